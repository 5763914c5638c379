"""The keyword rules' precision and recall against the manual labels, for the
themes pages and the themes API (`feedback.themes.rule_quality` does the
counting).

Two queries (the active themes' keywords; the manual labels with their items'
text) and the matching of the labelled texts, cached per data version: every
change of labels or keywords bumps the ranking's inputs (`inputs_key`), so the
figures are recounted only after one. A cached read costs one query.
"""

from __future__ import annotations

from django.conf import settings

from cxplan.core.caching import cached
from feedback.models import Theme, ThemeAssignment
from feedback.services.ranking_state import inputs_key
from feedback.themes.rule_quality import rule_quality

CACHE_SECONDS = 15 * 60


def min_precision() -> float:
    """The precision a rule must be able to reach (CXPLAN_RULE_MIN_PRECISION)."""
    return float(getattr(settings, "CXPLAN_RULE_MIN_PRECISION", 0.6))


def _count(threshold: float) -> dict[int, dict]:
    keywords = {
        pk: kws
        for pk, kws in Theme.objects.filter(is_active=True).values_list(
            "pk", "keywords"
        )
        if kws
    }
    if not keywords:
        return {}
    labels: dict[int, tuple[str, set[int]]] = {}
    for item_id, theme_id, text in ThemeAssignment.objects.filter(
        method=ThemeAssignment.Method.MANUAL
    ).values_list("item_id", "theme_id", "item__text"):
        labels.setdefault(item_id, (text, set()))[1].add(theme_id)
    labelled = [(text, frozenset(themes)) for text, themes in labels.values()]
    return rule_quality(keywords=keywords, labelled=labelled, min_precision=threshold)


def rule_quality_all() -> dict[int, dict]:
    """Theme id -> its rule's quality (see `feedback.themes.rule_quality`), for
    every active theme with keywords; others are absent."""
    threshold = min_precision()
    version = inputs_key()
    if version == "0":  # nothing has ever been recorded: nothing to key it on
        return _count(threshold)
    key = f"cxplan:rule-quality:{version}:{threshold}"
    return cached(key, lambda: _count(threshold), CACHE_SECONDS)
