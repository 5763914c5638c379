"""The evidence an initiative is decided on, frozen, and what changed since.

A decision (approve, reject, defer) stores `evidence_now(initiative)` in its
figures: item and customer counts, revenue at risk of the linked themes (the
ranking's own figures, summed over the themes), three quotes, the applied theme
model's version and the ranking window. Later imports, retrains or a new ranking
never rewrite it; `evidence_change` says what moved since, in numbers.
"""

from __future__ import annotations

from django.utils import timezone

from charts.layout import format_money
from cxplan.core.visibility import withhold
from feedback.services.theme_candidates import theme_model_applied
from initiatives.models import Decision, Initiative
from initiatives.selectors.initiatives import (
    evidence_check,
    latest_snapshot,
    theme_entries,
)

QUOTES = 3


def _quotes(entries: list[dict]) -> list[dict]:
    """Up to QUOTES distinct quotes, taking each theme's best in turn."""
    seen: set[str] = set()
    out: list[dict] = []
    pools = [list(e.get("quotes") or []) for e in entries]
    while len(out) < QUOTES and any(pools):
        for entry, pool in zip(entries, pools, strict=True):
            while pool:
                quote = pool.pop(0)
                if quote.get("text") and quote["text"] not in seen:
                    seen.add(quote["text"])
                    out.append(
                        {
                            "text": quote["text"],
                            "date": quote.get("date"),
                            "theme": entry.get("theme"),
                        }
                    )
                    break
            if len(out) == QUOTES:
                break
    return out


def evidence_now(initiative: Initiative) -> dict:
    """The evidence behind `initiative` as of now (the newest ranking)."""
    snapshot = latest_snapshot()
    theme_ids = sorted(t.pk for t in initiative.themes.all())
    check = evidence_check(theme_ids=theme_ids, snapshot=snapshot)
    entries = theme_entries(snapshot)
    themes = [
        {
            "theme": pk,
            "name": entries[pk].get("theme"),
            "rank": entries[pk].get("rank"),
            "customers": entries[pk].get("customers"),
            "mentions": entries[pk].get("mentions"),
            "revenue_at_risk": entries[pk].get("revenue_at_risk"),
        }
        for pk in theme_ids
        if pk in entries
    ]
    applied = theme_model_applied()
    return {
        "items": check["items"],
        "customers": check["customers"],
        "revenue_at_risk": round(
            sum(float(t["revenue_at_risk"] or 0) for t in themes), 2
        ),
        "themes": themes,
        "quotes": _quotes([entries[t["theme"]] for t in themes]),
        "model_version": applied.version if applied else None,
        "window": check["window"],
        "snapshot": snapshot.pk if snapshot else None,
        "at": timezone.now().isoformat(),
    }


def _signed(value: float, money: bool = False) -> str:
    text = format_money(abs(value)) if money else f"{abs(int(value)):,}"
    return ("+" if value >= 0 else "-") + text


def evidence_withheld(evidence: dict | None, hidden: frozenset[str]) -> dict | None:
    """`evidence` with the revenue at risk withheld when `hidden` says so
    (cxplan.core.visibility: advisors)."""
    if evidence is None or "revenue_at_risk" not in hidden:
        return evidence
    return {
        **evidence,
        "revenue_at_risk": None,
        "themes": [withhold(t, hidden) for t in evidence.get("themes") or []],
    }


def evidence_change(
    frozen: dict | None, now: dict, *, hidden: frozenset[str] = frozenset()
) -> dict | None:
    """What moved between the frozen evidence and `now`; None without a freeze.

    Returns {"items", "customers", "revenue_at_risk" (differences),
    "model_changed", "window_changed", "changed", "message"}; the revenue is
    left out (None, and not in the message) when `hidden` names it.
    """
    if not frozen:
        return None
    diff = {
        key: (now.get(key) or 0) - (frozen.get(key) or 0)
        for key in ("items", "customers", "revenue_at_risk")
    }
    diff["revenue_at_risk"] = round(diff["revenue_at_risk"], 2)
    diff["model_changed"] = now.get("model_version") != frozen.get("model_version")
    diff["window_changed"] = now.get("window") != frozen.get("window")
    diff["changed"] = bool(
        diff["items"]
        or diff["customers"]
        or diff["revenue_at_risk"]
        or diff["model_changed"]
        or diff["window_changed"]
    )
    if not diff["changed"]:
        diff["message"] = "Unchanged since the decision."
        if "revenue_at_risk" in hidden:
            diff["revenue_at_risk"] = None
        return diff
    parts = [
        f"{_signed(diff['items'])} items",
        f"{_signed(diff['customers'])} customers",
    ]
    if "revenue_at_risk" in hidden:
        diff["revenue_at_risk"] = None
    else:
        parts.append(f"revenue at risk {_signed(diff['revenue_at_risk'], money=True)}")
    if diff["model_changed"]:
        parts.append(
            f"theme model v{frozen.get('model_version') or '-'}"
            f" -> v{now.get('model_version') or '-'}"
        )
    if diff["window_changed"] and now.get("window"):
        parts.append("window now {} to {}".format(*now["window"]))
    diff["message"] = "Since the decision: " + ", ".join(parts) + "."
    return diff


def decision_evidence(decision: Decision) -> dict | None:
    """The evidence frozen on `decision` (None for decisions made before
    evidence was frozen)."""
    figures = decision.figures if isinstance(decision.figures, dict) else {}
    return figures.get("evidence")


def latest_decision(initiative: Initiative) -> Decision | None:
    return initiative.decisions.order_by("-decided_at", "-id").first()


def decided_evidence(
    initiative: Initiative, *, hidden: frozenset[str] = frozenset()
) -> dict | None:
    """For an initiative with a decision: {"decision", "verdict", "decided_at",
    "evidence" (frozen), "since" (evidence_change against now)}; else None.
    The `hidden` fields (cxplan.core.visibility) are withheld."""
    decision = latest_decision(initiative)
    frozen = decision_evidence(decision) if decision else None
    if frozen is None:
        return None
    return {
        "decision": decision.pk,
        "verdict": decision.verdict,
        "decided_at": decision.decided_at,
        "evidence": evidence_withheld(frozen, hidden),
        "since": evidence_change(frozen, evidence_now(initiative), hidden=hidden),
    }
