"""Reads about money: what each initiative needs per year, what is allocated to
it and from where, what each source has left, the funding plan and the
self-funding ratio.

Decisions where DESIGN.md is silent:
- "needed" is the likely (raw, not risk-adjusted) cost per year t = 0..H: it is
  the cash that will be spent, so it is what must be funded before approval;
- the self-funding ratio and the optimiser's value use the risk-adjusted flows,
  like the NPV the executives rank by;
- every figure is computed here from the cost lines and drivers (with the
  initiative's assumption set, else the current one), so it never depends on a
  cached result being fresh.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd
from django.db.models import Prefetch, QuerySet, Sum

from initiatives.models import (
    Allocation,
    BenefitDriver,
    CostLine,
    FundingAmount,
    FundingSource,
    Initiative,
)
from roi import drivers as roi
from roi.engine import discount_factors
from roi.selectors import assumptions_current, assumptions_engine

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
CONTACTS_AVOIDED = BenefitDriver.Kind.CONTACTS_AVOIDED
# Initiatives whose costs still have to be (or are being) paid for.
OPEN_STATUSES = (
    Initiative.Status.PROPOSED,
    Initiative.Status.DEFERRED,
    Initiative.Status.APPROVED,
    Initiative.Status.IN_PROGRESS,
)
# The set the self-funding ratio is about: decided to go ahead.
APPROVED_SET = (
    Initiative.Status.APPROVED,
    Initiative.Status.IN_PROGRESS,
    Initiative.Status.SHIPPED,
)


def money(value) -> Decimal:
    """A float or Decimal rounded to cents."""
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass
class Flows:
    """An initiative's yearly figures on t = 0..H (lists of floats)."""

    costs: list[float]
    risk_costs: list[float]
    risk_benefits: list[float]
    risk_savings: list[float]
    rate: float
    valid: bool = True
    errors: list[str] = field(default_factory=list)

    @property
    def needed(self) -> list[Decimal]:
        return [money(value) for value in self.costs]

    def pv(self, values) -> float:
        values = np.asarray(values, dtype=float)
        return float(values @ discount_factors(self.rate, values.size))

    @property
    def risk_npv(self) -> float:
        return self.pv(self.risk_benefits) - self.pv(self.risk_costs)


# One reading of the stored assumptions for the whole product (roi/selectors).
current_assumptions = assumptions_current
to_assumptions = assumptions_engine


def with_case(queryset: QuerySet[Initiative]) -> QuerySet[Initiative]:
    """Prefetch what `initiative_flows` and `funded_by_year` read (no N+1)."""
    return queryset.select_related("assumptions", "owner").prefetch_related(
        Prefetch("cost_lines", queryset=CostLine.objects.order_by("id")),
        Prefetch("benefit_drivers", queryset=BenefitDriver.objects.order_by("id")),
        Prefetch(
            "allocations",
            queryset=Allocation.objects.select_related("source").order_by(
                "year", "source__name"
            ),
        ),
    )


def initiative_flows(
    initiative: Initiative, *, default: roi.Assumptions | None = None
) -> Flows:
    """Yearly costs, risk-adjusted costs, benefits and contacts-avoided savings.

    Uses the initiative's assumption set, else `default` (else engine defaults).
    A cost line or driver the engine refuses is left out and named in `errors`.
    """
    if initiative.assumptions_id:
        assumptions = to_assumptions(initiative.assumptions)
    else:
        assumptions = default or roi.Assumptions()
    errors = []
    lines = []
    for line in initiative.cost_lines.all():
        try:
            amount = roi.Uncertain(line.low, line.likely, line.high)
            lines.append(roi.CostLine(kind=line.kind, amount=amount, label=line.label))
        except ValueError as exc:
            errors.append(f"cost {line.label}: {exc}")
    benefit_drivers = []
    for driver in initiative.benefit_drivers.all():
        try:
            inputs = driver.inputs if isinstance(driver.inputs, dict) else {}
            benefit_drivers.append(
                roi.BenefitDriver(kind=driver.kind, inputs=inputs, label=driver.label)
            )
        except (ValueError, TypeError) as exc:
            errors.append(f"benefit {driver.label or driver.kind}: {exc}")
    size = assumptions.horizon + 1
    costs, risk_costs = np.zeros(size), np.zeros(size)
    risk_benefits, risk_savings = np.zeros(size), np.zeros(size)
    for row in roi.cashflow_lines(lines, benefit_drivers, assumptions):
        if row["side"] == "cost":
            costs += row["values"]
            risk_costs += row["risk_adjusted"]
        else:
            risk_benefits += row["risk_adjusted"]
            if row["kind"] == CONTACTS_AVOIDED:
                risk_savings += row["risk_adjusted"]
    return Flows(
        costs=costs.tolist(),
        risk_costs=risk_costs.tolist(),
        risk_benefits=risk_benefits.tolist(),
        risk_savings=risk_savings.tolist(),
        rate=assumptions.rate,
        valid=not errors,
        errors=errors,
    )


def funded_by_year(initiative: Initiative) -> dict[int, Decimal]:
    """Allocated amounts per year (reads the prefetched allocations)."""
    funded: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for allocation in initiative.allocations.all():
        funded[allocation.year] += allocation.amount
    return dict(funded)


def funding_state(initiative: Initiative, flows: Flows) -> dict:
    """Per year: needed, funded, gap (needed - funded, never below 0), sources.

    Returns ``{"years": [{"year", "needed", "funded", "gap", "sources":
    [{"source", "amount"}]}], "needed", "funded", "gap", "fully_funded"}``
    with Decimal money. Years with allocations but no cost are listed too.
    """
    funded = funded_by_year(initiative)
    needed = flows.needed
    by_year: dict[int, list] = defaultdict(list)
    for allocation in initiative.allocations.all():
        by_year[allocation.year].append(
            {"source": allocation.source.name, "amount": allocation.amount}
        )
    last = max([len(needed) - 1, *funded.keys()])
    years = []
    for year in range(last + 1):
        need = needed[year] if year < len(needed) else ZERO
        got = funded.get(year, ZERO)
        years.append(
            {
                "year": year,
                "needed": need,
                "funded": got,
                "gap": max(ZERO, need - got),
                "sources": by_year.get(year, []),
            }
        )
    gap = sum((row["gap"] for row in years), ZERO)
    return {
        "years": years,
        "needed": sum((row["needed"] for row in years), ZERO),
        "funded": sum((row["funded"] for row in years), ZERO),
        "gap": gap,
        "fully_funded": gap == ZERO,
    }


def gap_message(state: dict) -> str:
    """'Not fully funded: $5,000.00 missing in year 0, $1,000.00 in year 2.'"""
    parts = [
        f"${row['gap']:,.2f} in year {row['year']}"
        for row in state["years"]
        if row["gap"] > 0
    ]
    return "Not fully funded: missing " + ", ".join(parts) + "."


def initiative_funding(initiative_id: int) -> tuple[Initiative, Flows, dict]:
    """One initiative with its flows and funding state, freshly read."""
    initiative = with_case(Initiative.objects.filter(pk=initiative_id)).get()
    flows = initiative_flows(initiative, default=to_assumptions(current_assumptions()))
    return initiative, flows, funding_state(initiative, flows)


def sources_list() -> QuerySet[FundingSource]:
    """Every source with its yearly amounts and allocations prefetched."""
    return FundingSource.objects.select_related("savings_of").prefetch_related(
        Prefetch("amounts", queryset=FundingAmount.objects.order_by("year")),
        Prefetch(
            "allocations",
            queryset=Allocation.objects.select_related("initiative").order_by(
                "year", "initiative__title"
            ),
        ),
    )


def source_years(source: FundingSource) -> list[dict]:
    """Per year of a (prefetched) source: amount, allocated, available."""
    allocated: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for allocation in source.allocations.all():
        allocated[allocation.year] += allocation.amount
    return [
        {
            "year": row.year,
            "amount": row.amount,
            "allocated": allocated.get(row.year, ZERO),
            "available": row.amount - allocated.get(row.year, ZERO),
        }
        for row in source.amounts.all()
    ]


def allocated_by_initiative() -> dict[int, Decimal]:
    """Everything allocated to each initiative, all sources and years
    (initiatives without an allocation are left out); one query."""
    rows = (
        Allocation.objects.order_by()
        .values("initiative_id")
        .annotate(total=Sum("amount"))
    )
    return {row["initiative_id"]: row["total"] for row in rows}


def allocated_in_year(*, source_id: int, year: int, exclude_pk=None) -> Decimal:
    """What `source` has already promised in `year` (optionally minus one row)."""
    rows = Allocation.objects.filter(source_id=source_id, year=year)
    if exclude_pk is not None:
        rows = rows.exclude(pk=exclude_pk)
    return rows.aggregate(total=Sum("amount"))["total"] or ZERO


def savings_amounts(initiative: Initiative) -> dict[int, Decimal]:
    """The risk-adjusted contacts-avoided benefit of `initiative` per year > 0:
    the default amounts of a "savings of another initiative" source."""
    initiative = with_case(Initiative.objects.filter(pk=initiative.pk)).get()
    flows = initiative_flows(initiative, default=to_assumptions(current_assumptions()))
    return {
        year: money(value) for year, value in enumerate(flows.risk_savings) if value > 0
    }


def self_funding_ratio(cases: list[tuple[Initiative, Flows]]) -> float | None:
    """PV of cost-to-serve savings (contacts avoided) / PV of all costs, over the
    approved set, both risk-adjusted; None when the set costs nothing."""
    savings = costs = 0.0
    for initiative, flows in cases:
        if initiative.status in APPROVED_SET:
            savings += flows.pv(flows.risk_savings)
            costs += flows.pv(flows.risk_costs)
    return savings / costs if costs > 0 else None


def funding_plan(*, year: int | None = None) -> dict:
    """The funding plan of the open initiatives.

    Returns ``{"years": [{"year", "needed", "funded", "gap", "available",
    "sources": [{"source", "amount"}]}], "initiatives": [{"initiative",
    "state", "flows"}], "sources": [{"source", "years", "total", "available"}],
    "needed", "funded", "gap", "self_funding_ratio", "approved_count",
    "waterfall": DataFrame}``. The gap of a year is what its needs lack in
    allocations, never below 0 (`max(0, needed - funded)`); the plan's `gap`
    is the sum over its years: the one "funding gap" of the product (the page
    and the deck). The waterfall covers every year, or only `year` when given.
    A constant number of queries whatever the number of rows.
    """
    default = to_assumptions(current_assumptions())
    initiatives = list(
        with_case(
            Initiative.objects.filter(status__in=(*OPEN_STATUSES, *APPROVED_SET))
        ).order_by("-npv", "title")
    )
    cases = [(i, initiative_flows(i, default=default)) for i in initiatives]
    rows = []
    for initiative, flows in cases:
        if initiative.status in OPEN_STATUSES:
            state = funding_state(initiative, flows)
            rows.append({"initiative": initiative, "state": state, "flows": flows})
    sources = []
    for source in sources_list():
        years = source_years(source)
        sources.append(
            {
                "source": source,
                "years": years,
                "total": sum((y["amount"] for y in years), ZERO),
                "available": sum((y["available"] for y in years), ZERO),
            }
        )
    last = max(
        [0]
        + [len(r["state"]["years"]) - 1 for r in rows]
        + [y["year"] for s in sources for y in s["years"]]
    )
    plan_years = []
    for t in range(last + 1):
        needed = funded = ZERO
        from_where: dict[str, Decimal] = defaultdict(lambda: ZERO)
        for row in rows:
            for item in row["state"]["years"]:
                if item["year"] == t:
                    needed += item["needed"]
                    funded += item["funded"]
                    for part in item["sources"]:
                        from_where[part["source"]] += part["amount"]
        available = sum(
            (y["available"] for s in sources for y in s["years"] if y["year"] == t),
            ZERO,
        )
        plan_years.append(
            {
                "year": t,
                "needed": needed,
                "funded": funded,
                "gap": max(ZERO, needed - funded),
                "available": available,
                "sources": [
                    {"source": name, "amount": amount}
                    for name, amount in sorted(from_where.items())
                ],
            }
        )
    return {
        "years": plan_years,
        "initiatives": rows,
        "sources": sources,
        "needed": sum((y["needed"] for y in plan_years), ZERO),
        "funded": sum((y["funded"] for y in plan_years), ZERO),
        "gap": sum((y["gap"] for y in plan_years), ZERO),
        "self_funding_ratio": self_funding_ratio(cases),
        "approved_count": sum(1 for i, _ in cases if i.status in APPROVED_SET),
        "waterfall": waterfall_frame(sources, rows, year=year),
    }


def waterfall_frame(sources: list[dict], rows: list[dict], *, year=None):
    """Sources (their whole amounts) add, initiatives' needs subtract, for one
    year or all; the frame `funding_waterfall` draws."""
    records = []
    for item in sources:
        amount = sum(
            (y["amount"] for y in item["years"] if year is None or y["year"] == year),
            ZERO,
        )
        if amount:
            records.append(
                {"label": item["source"].name, "amount": amount, "kind": "source"}
            )
    for row in rows:
        need = sum(
            (
                y["needed"]
                for y in row["state"]["years"]
                if year is None or y["year"] == year
            ),
            ZERO,
        )
        if need:
            records.append(
                {"label": row["initiative"].title, "amount": need, "kind": "need"}
            )
    frame = pd.DataFrame(records, columns=["label", "amount", "kind"])
    frame["amount"] = frame["amount"].astype(float)
    return frame
