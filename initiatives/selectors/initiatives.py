"""Reads of initiatives: the ranked list, the compare view, a theme's pre-fill
and the customer-evidence check.

Decisions where DESIGN.md is silent:
- the ranked list sorts by the cached risk-adjusted figures (what executives
  rank by); initiatives never computed sort last;
- "theme rank" is the best (lowest) rank of any linked theme in the newest
  ranking snapshot;
- evidence counts distinct customers who raised any linked theme within the
  newest ranking window (items without a customer count one each, as in the
  ranking); fewer than EVIDENCE_MIN_CUSTOMERS, or no linked theme, is "little
  customer evidence".
"""

from __future__ import annotations

import math
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q, QuerySet

from feedback.models import (
    CONTACT_CHANNELS,
    FeedbackItem,
    RankingSnapshot,
    Theme,
    ThemeAssignment,
)
from feedback.selectors.ranking import snapshot_get
from initiatives.business_case import BusinessCase
from initiatives.models import BenefitDriver, CostLine, Initiative
from roi.selectors import assumptions_current

EVIDENCE_MIN_CUSTOMERS = getattr(settings, "CXPLAN_EVIDENCE_MIN_CUSTOMERS", 5)
SORTS = {
    "npv": "risk-adjusted NPV",
    "roi": "risk-adjusted ROI",
    "payback": "payback",
    "theme_rank": "theme rank",
}
COMPARE_MIN, COMPARE_MAX = 2, 4
# Prefilled guesses a CX lead is expected to revise (shown as ranges).
DEFAULT_CHURN_REDUCTION_PP = [1.0, 2.0, 4.0]
DEFAULT_SHARE_AVOIDED = [0.1, 0.2, 0.3]


def latest_snapshot() -> RankingSnapshot | None:
    """The newest ranking snapshot, as the ranking page reads it."""
    return snapshot_get()


def theme_entries(snapshot: RankingSnapshot | None) -> dict[int, dict]:
    """The snapshot's ranking entry per theme id ({} without a snapshot)."""
    if snapshot is None:
        return {}
    return {
        entry["theme_id"]: entry
        for entry in snapshot.themes or []
        if isinstance(entry, dict) and "theme_id" in entry
    }


def with_case(queryset: QuerySet[Initiative]) -> QuerySet[Initiative]:
    """Everything a list row or a detail page reads, in a constant number of
    queries."""
    return queryset.select_related("owner", "assumptions").prefetch_related(
        Prefetch("themes", queryset=Theme.objects.order_by("name")),
        Prefetch("cost_lines", queryset=CostLine.objects.order_by("id")),
        Prefetch("benefit_drivers", queryset=BenefitDriver.objects.order_by("id")),
    )


def initiative_get(*, pk: int) -> Initiative:
    return with_case(Initiative.objects.all()).get(pk=pk)


def _window(snapshot: RankingSnapshot | None):
    if snapshot is None or snapshot.window_start is None or snapshot.window_end is None:
        return None
    return snapshot.window_start, snapshot.window_end


def evidence_check(*, theme_ids, snapshot: RankingSnapshot | None = None) -> dict:
    """The evidence numbers for a set of linked themes.

    Returns ``{"themes", "customers", "items", "threshold", "window", "little",
    "message"}``: distinct customers and items that raised any of the themes in
    the newest ranking window (all time without a snapshot).
    """
    theme_ids = sorted(set(theme_ids))
    threshold = EVIDENCE_MIN_CUSTOMERS
    window = _window(snapshot)
    out = {
        "themes": len(theme_ids),
        "customers": 0,
        "items": 0,
        "threshold": threshold,
        "window": [window[0].date().isoformat(), window[1].date().isoformat()]
        if window
        else None,
    }
    if theme_ids:
        items = FeedbackItem.objects.filter(assignments__theme_id__in=theme_ids)
        if window:
            items = items.filter(created__gte=window[0], created__lt=window[1])
        counts = items.aggregate(
            items=Count("id", distinct=True),
            customers=Count("customer_id", distinct=True),
            anonymous=Count("id", filter=Q(customer__isnull=True), distinct=True),
        )
        out["items"] = counts["items"]
        out["customers"] = counts["customers"] + counts["anonymous"]
    out["little"] = not theme_ids or out["customers"] < threshold
    out["message"] = evidence_message(out)
    return out


def evidence_message(evidence: dict) -> str:
    """One sentence for the flag ("" when the evidence is enough)."""
    if not evidence.get("little"):
        return ""
    if not evidence.get("themes"):
        return "Little customer evidence: linked to no customer theme."
    customers = evidence.get("customers", 0)
    items = evidence.get("items", 0)
    where = " in the ranking window" if evidence.get("window") else ""
    return (
        f"Little customer evidence: {customers} customer{'s' if customers != 1 else ''}"
        f" ({items} item{'s' if items != 1 else ''}) raised the linked themes{where};"
        f" at least {evidence.get('threshold', EVIDENCE_MIN_CUSTOMERS)} expected."
    )


def evidence_of(initiative: Initiative) -> dict:
    """The cached evidence of an initiative, falling back to the cached count."""
    evidence = BusinessCase.from_json(initiative.result).evidence
    if evidence is not None and "little" in evidence:
        return evidence
    themes = len(initiative.themes.all())
    fallback = {
        "themes": themes,
        "customers": initiative.evidence_customers,
        "items": None,
        "threshold": EVIDENCE_MIN_CUSTOMERS,
        "window": None,
        "little": not themes or initiative.evidence_customers < EVIDENCE_MIN_CUSTOMERS,
    }
    fallback["message"] = evidence_message(fallback)
    return fallback


def _figure(value):
    return None if value is None else float(value)


def row_for(initiative: Initiative, entries: dict[int, dict], current_id) -> dict:
    """One list / compare row from a prefetched initiative.

    The sortable figures come from the cached columns; `irr`, `peak_funding`,
    `raw` and `risk_adjusted` (Figures) and `montecarlo` (MonteCarlo or None)
    from the business case (see initiatives.business_case)."""
    case = BusinessCase.from_json(initiative.result)
    themes = list(initiative.themes.all())
    ranks = [entries[t.pk]["rank"] for t in themes if t.pk in entries]
    return {
        "initiative": initiative,
        "id": initiative.pk,
        "title": initiative.title,
        "status": initiative.status,
        "themes": [
            {"id": t.pk, "name": t.name, "rank": entries.get(t.pk, {}).get("rank")}
            for t in themes
        ],
        "theme_rank": min(ranks) if ranks else None,
        "npv": _figure(initiative.npv),
        "roi": initiative.roi,
        "payback_months": initiative.payback_months,
        "pv_costs": _figure(initiative.pv_costs),
        "irr": case.irr,
        "peak_funding": case.peak_funding,
        "raw": case.raw,
        "risk_adjusted": case.risk_adjusted,
        "montecarlo": case.montecarlo,
        "evidence": evidence_of(initiative),
        "computed": case.computed,
        "stale_assumptions": bool(
            current_id
            and initiative.assumptions_id
            and initiative.assumptions_id != current_id
        ),
        "warnings": list(case.warnings),
    }


def _sort_key(sort: str):
    def key(row):
        value = {
            "npv": row["npv"],
            "roi": row["roi"],
            "payback": row["payback_months"],
            "theme_rank": row["theme_rank"],
        }[sort]
        missing = value is None or (isinstance(value, float) and math.isnan(value))
        if missing:
            return (1, 0.0, row["title"].lower(), row["id"])
        # Bigger NPV / ROI first; shorter payback and better (lower) rank first.
        signed = -value if sort in ("npv", "roi") else value
        return (0, signed, row["title"].lower(), row["id"])

    return key


def initiatives_ranked(
    *, sort: str = "npv", status: str | None = None, theme: int | None = None
) -> list[dict]:
    """Every initiative (optionally of one status or theme) as rows sorted by
    `sort` (see SORTS). Queries: a constant number whatever the row count."""
    if sort not in SORTS:
        raise ValidationError({"sort": f"Sort by one of {', '.join(SORTS)}."})
    queryset = Initiative.objects.all()
    if status:
        queryset = queryset.filter(status=status)
    if theme:
        queryset = queryset.filter(themes__id=theme).distinct()
    entries = theme_entries(latest_snapshot())
    current = assumptions_current()
    rows = [
        row_for(i, entries, current.pk if current else None)
        for i in with_case(queryset)
    ]
    rows.sort(key=_sort_key(sort))
    return rows


def initiatives_compare(*, ids) -> list[dict]:
    """Rows of 2 to 4 initiatives, in the order asked; ValidationError otherwise."""
    try:
        ids = [int(i) for i in ids]
    except (TypeError, ValueError):
        raise ValidationError(
            {"ids": "Give initiative ids as whole numbers."}
        ) from None
    ids = list(dict.fromkeys(ids))
    if not COMPARE_MIN <= len(ids) <= COMPARE_MAX:
        raise ValidationError(
            {"ids": f"Pick {COMPARE_MIN} to {COMPARE_MAX} different initiatives."}
        )
    found = {i.pk: i for i in with_case(Initiative.objects.filter(pk__in=ids))}
    missing = [i for i in ids if i not in found]
    if missing:
        raise ValidationError({"ids": f"No initiative {missing[0]}."})
    entries = theme_entries(latest_snapshot())
    current = assumptions_current()
    return [row_for(found[i], entries, current.pk if current else None) for i in ids]


def theme_contacts(*, theme: Theme, snapshot: RankingSnapshot | None) -> dict:
    """The theme's items in the contact channels (ticket, chat, call) over the
    ranking window (else the 90 days ending at its newest item), annualised."""
    items = FeedbackItem.objects.filter(
        assignments__theme=theme, channel__in=CONTACT_CHANNELS
    )
    window = _window(snapshot)
    if window is None:
        newest = (
            ThemeAssignment.objects.filter(theme=theme)
            .order_by("-item__created")
            .values_list("item__created", flat=True)
            .first()
        )
        if newest is None:
            return {"count": 0, "days": 90, "per_year": 0.0}
        window = (newest - timedelta(days=90), newest + timedelta(microseconds=1))
    days = max(1, round((window[1] - window[0]).total_seconds() / 86400))
    count = (
        items.filter(created__gte=window[0], created__lt=window[1]).distinct().count()
    )
    return {"count": count, "days": days, "per_year": round(count * 365.0 / days, 1)}


def theme_prefill(*, theme: Theme) -> dict:
    """What creating an initiative from a ranked theme starts with.

    Returns ``{"title", "problem", "themes": [id], "drivers": [...], "source":
    {...}}``: a churn-avoided driver with the theme's customers and revenue at
    risk per customer (from its ranking entry), and a contacts-avoided driver
    with the theme's annualised contact volume; the reductions are placeholder
    ranges to revise.
    """
    snapshot = latest_snapshot()
    entry = theme_entries(snapshot).get(theme.pk, {})
    customers = int(entry.get("customers") or 0)
    revenue = float(entry.get("revenue_at_risk") or 0.0)
    per_customer = round(revenue / customers, 2) if customers else 0.0
    contacts = theme_contacts(theme=theme, snapshot=snapshot)
    drivers = []
    if customers:
        drivers.append(
            {
                "kind": BenefitDriver.Kind.CHURN_AVOIDED.value,
                "label": f"Churn avoided: {theme.name}",
                "inputs": {
                    "customers_affected": [customers] * 3,
                    "churn_reduction_pp": list(DEFAULT_CHURN_REDUCTION_PP),
                    "revenue_per_customer": [per_customer] * 3,
                },
            }
        )
    if contacts["per_year"]:
        drivers.append(
            {
                "kind": BenefitDriver.Kind.CONTACTS_AVOIDED.value,
                "label": f"Contacts avoided: {theme.name}",
                "inputs": {
                    "contacts_per_year": [contacts["per_year"]] * 3,
                    "share_avoided": list(DEFAULT_SHARE_AVOIDED),
                },
            }
        )
    return {
        "title": f"Fix: {theme.name}",
        "problem": theme.description or f"Customers raise “{theme.name}”.",
        "themes": [theme.pk],
        "drivers": drivers,
        "source": {
            "theme_id": theme.pk,
            "theme": theme.name,
            "rank": entry.get("rank"),
            "snapshot_id": snapshot.pk if snapshot else None,
            "customers": customers,
            "revenue_at_risk": revenue,
            "contacts_in_window": contacts["count"],
            "window_days": contacts["days"],
            "contacts_per_year": contacts["per_year"],
        },
    }


def initiative_row(initiative: Initiative) -> dict:
    """The list row of one prefetched initiative (theme rank, evidence, figures)."""
    current = assumptions_current()
    return row_for(
        initiative, theme_entries(latest_snapshot()), current.pk if current else None
    )


def ranked_themes(*, limit: int = 10) -> list[dict]:
    """The newest snapshot's top themes (`theme_id`, `theme`, `rank`), to start
    an initiative from."""
    snapshot = latest_snapshot()
    entries = sorted(
        theme_entries(snapshot).values(), key=lambda e: e.get("rank") or 10**9
    )
    return [
        {"theme_id": e["theme_id"], "theme": e.get("theme", ""), "rank": e.get("rank")}
        for e in entries[:limit]
    ]
