"""How well a keyword rule measures against the manual labels.

Pure: the rule matcher (`rules`) and SciPy. Every labelled item carries its
whole theme list, so an item labelled by hand without theme T is a negative
for T. Over the labelled items:
- precision of T's rule = labelled items it matches that carry T / labelled
  items it matches (`matched_labelled`, the count behind the figure);
- recall = labelled items carrying T that it matches / labelled items
  carrying T;
each with a 95% Wilson interval (`scipy.stats.binomtest(...).proportion_ci`).
The same figures per keyword say which keyword makes the false hits.

A rule "measures poorly" when its precision interval's upper bound is below
`min_precision`: even the best case the labels allow is too imprecise. With
fewer than `min_matches` labelled matches it is "not measured yet".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from scipy.stats import binomtest

from feedback.themes.rules import compile_rules, match_many

MIN_MATCHES = 5
CONFIDENCE = 0.95
OK, POOR, UNMEASURED = "ok", "poor", "unmeasured"


def wilson(successes: int, trials: int) -> list[float] | None:
    """[low, high] of the 95% Wilson interval; None without trials."""
    if trials <= 0:
        return None
    ci = binomtest(successes, trials).proportion_ci(
        confidence_level=CONFIDENCE, method="wilson"
    )
    return [float(ci.low), float(ci.high)]


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _figures(hits: set[int], positives: set[int]) -> dict:
    true_hits = len(hits & positives)
    return {
        "precision": _share(true_hits, len(hits)),
        "ci": wilson(true_hits, len(hits)),
        "matched_labelled": len(hits),
        "true_hits": true_hits,
        "false_hits": len(hits) - true_hits,
    }


def _flag(figures: dict, min_precision: float, min_matches: int) -> tuple[str, str]:
    n = figures["matched_labelled"]
    if n < min_matches:
        return UNMEASURED, f"not measured yet (n labelled matches {n} < {min_matches})"
    low, high = figures["ci"]
    if high < min_precision:
        return POOR, (
            f"measures poorly: precision {figures['precision']:.0%} "
            f"(95% {low:.0%}-{high:.0%}, n={n}) is below {min_precision:.0%}"
        )
    return OK, (
        f"precision {figures['precision']:.0%} (95% {low:.0%}-{high:.0%}, n={n})"
    )


def rule_quality(
    *,
    keywords: Mapping[int, Sequence[str]],
    labelled: Sequence[tuple[str, frozenset[int]]],
    min_precision: float,
    min_matches: int = MIN_MATCHES,
) -> dict[int, dict]:
    """Theme id -> the quality of its keyword rule.

    In: `keywords` {theme id: [keyword phrase, ...]} (the themes to measure)
    and `labelled` [(text, the item's manual theme ids)], one per labelled
    item. Out per theme: precision, ci, recall, recall_ci, matched_labelled,
    true_hits, false_hits, labelled_positives, labelled_items, flag (ok, poor,
    unmeasured), message, min_precision and `keywords`: the same figures per
    keyword phrase (a phrase without word characters never matches).
    """
    phrases = [(t, k) for t, kws in keywords.items() for k in dict.fromkeys(kws)]
    rules = compile_rules({i: [k] for i, (_t, k) in enumerate(phrases)})
    matches = match_many(rules, [text for text, _labels in labelled])
    by_phrase: list[set[int]] = [set() for _ in phrases]
    for item, found in enumerate(matches):
        for i in found:
            by_phrase[i].add(item)
    out = {}
    for theme_id in keywords:
        positives = {i for i, (_t, labels) in enumerate(labelled) if theme_id in labels}
        mine = [i for i, (t, _k) in enumerate(phrases) if t == theme_id]
        hits = set().union(*(by_phrase[i] for i in mine))
        figures = _figures(hits, positives)
        flag, message = _flag(figures, min_precision, min_matches)
        out[theme_id] = {
            **figures,
            "recall": _share(figures["true_hits"], len(positives)),
            "recall_ci": wilson(figures["true_hits"], len(positives)),
            "labelled_positives": len(positives),
            "labelled_items": len(labelled),
            "flag": flag,
            "message": message,
            "min_precision": min_precision,
            "keywords": [
                {"keyword": phrases[i][1], **_figures(by_phrase[i], positives)}
                for i in mine
            ],
        }
    return out
