"""The portfolio optimiser over the stored proposed initiatives.

Candidates are the proposed initiatives: their yearly likely costs (t = 0..H)
and their risk-adjusted NPV as value. The default budget per year is what the
funding sources hold, minus what they already give initiatives that are not
candidates (approved or running work keeps its money; money promised to a
proposal is available to the optimiser, which decides among proposals).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from django.db.models import Sum

from initiatives.models import Allocation, FundingAmount, Initiative
from initiatives.optimizer import Candidate, optimize
from initiatives.selectors.funding import (
    current_assumptions,
    initiative_flows,
    to_assumptions,
    with_case,
)

CANDIDATE_STATUSES = (Initiative.Status.PROPOSED,)
# The API answers in well under a second on realistic data; this caps a
# pathological input instead of letting a request hang.
TIME_LIMIT_SECONDS = 5.0


def portfolio_candidates() -> list[tuple[Initiative, Candidate]]:
    """Each proposed initiative and its optimiser candidate."""
    default = to_assumptions(current_assumptions())
    initiatives = with_case(
        Initiative.objects.filter(status__in=CANDIDATE_STATUSES)
    ).order_by("-npv", "title", "pk")
    out = []
    for initiative in initiatives:
        flows = initiative_flows(initiative, default=default)
        out.append(
            (
                initiative,
                Candidate(
                    id=initiative.pk,
                    costs=tuple(flows.costs),
                    value=round(flows.risk_npv, 2),
                ),
            )
        )
    return out


def portfolio_budget() -> list[float]:
    """Money per year t = 0..10 the sources can still give to proposals,
    trailing empty years dropped."""
    amounts: dict[int, float] = defaultdict(float)
    for row in FundingAmount.objects.values("year").annotate(total=Sum("amount")):
        amounts[row["year"]] += float(row["total"])
    taken = (
        Allocation.objects.exclude(initiative__status__in=CANDIDATE_STATUSES)
        .values("year")
        .annotate(total=Sum("amount"))
    )
    for row in taken:
        amounts[row["year"]] -= float(row["total"])
    if not amounts:
        return []
    last = max(amounts)
    return [max(0.0, amounts.get(year, 0.0)) for year in range(last + 1)]


def portfolio_optimize(
    *,
    budget: Sequence[float] | None = None,
    must_include: Iterable[int] = (),
    exclude: Iterable[int] = (),
) -> dict:
    """The best set of proposed initiatives within the budget.

    Answers the optimiser's result (`selected`, `value`, `left_out` with a
    reason, `binding_years`, `spend`, `budget`, `status`) plus `initiatives`:
    `{id: {"title", "costs", "value"}}` for every candidate. Ids that are not
    proposed initiatives raise ValueError.
    """
    pairs = portfolio_candidates()
    if budget is None:
        budget = portfolio_budget()
    result = optimize(
        [candidate for _, candidate in pairs],
        budget,
        must_include=must_include,
        exclude=exclude,
        time_limit=TIME_LIMIT_SECONDS,
    )
    titles = {initiative.pk: initiative.title for initiative, _ in pairs}
    for item in result["left_out"]:
        item["title"] = titles[item["id"]]
    result["initiatives"] = [
        {
            "id": candidate.id,
            "title": initiative.title,
            "costs": [round(cost, 2) for cost in candidate.costs],
            "value": candidate.value,
        }
        for initiative, candidate in pairs
    ]
    return result


def stateless_optimize(
    candidates: Sequence[dict],
    budget: Sequence[float],
    *,
    must_include: Iterable = (),
    exclude: Iterable = (),
) -> dict:
    """The optimiser on explicit candidates `{"id", "costs", "value"}`."""
    return optimize(
        [
            Candidate(id=c["id"], costs=tuple(c["costs"]), value=c["value"])
            for c in candidates
        ],
        budget,
        must_include=must_include,
        exclude=exclude,
        time_limit=TIME_LIMIT_SECONDS,
    )
