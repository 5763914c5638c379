"""The portfolio optimiser: exact against brute force, and its reasons."""

import itertools
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from initiatives.optimizer import Candidate, optimize


def brute_force(candidates, budget, must_include=(), exclude=()):
    """Best total value over every subset that obeys the rules, or None."""
    years = max([len(budget), *(len(c.costs) for c in candidates)])
    limits = list(budget) + [0.0] * (years - len(budget))
    best = None
    for size in range(len(candidates) + 1):
        for subset in itertools.combinations(candidates, size):
            ids = {c.id for c in subset}
            if not set(must_include) <= ids or ids & set(exclude):
                continue
            if any(c.value <= 0 and c.id not in must_include for c in subset):
                continue
            spend = [
                sum(c.costs[t] for c in subset if t < len(c.costs))
                for t in range(years)
            ]
            pairs = zip(spend, limits, strict=True)
            if all(s <= b + 1e-9 * max(1, abs(b)) for s, b in pairs):
                value = math.fsum(c.value for c in subset)
                best = value if best is None else max(best, value)
    return best


@st.composite
def portfolios(draw):
    """Up to 10 candidates over up to 4 years, a budget, forced ins and outs."""
    years = draw(st.integers(1, 4))
    count = draw(st.integers(0, 10))
    amount = st.one_of(st.just(0.0), st.floats(0, 100).map(lambda x: round(x, 2)))
    candidates = [
        Candidate(
            id=i,
            costs=tuple(draw(st.lists(amount, min_size=1, max_size=years))),
            value=draw(st.floats(-20, 100).map(lambda x: round(x, 2))),
        )
        for i in range(count)
    ]
    budget = draw(st.lists(st.floats(0, 200), min_size=1, max_size=years))
    ids = list(range(count))
    must = draw(st.lists(st.sampled_from(ids), max_size=2, unique=True)) if ids else []
    rest = [i for i in ids if i not in must]
    exclude = (
        draw(st.lists(st.sampled_from(rest), max_size=2, unique=True)) if rest else []
    )
    return candidates, budget, must, exclude


@settings(max_examples=150, deadline=None)
@given(portfolios())
def test_it_matches_brute_force_on_small_cases(case):
    candidates, budget, must, exclude = case
    result = optimize(candidates, budget, must_include=must, exclude=exclude)
    best = brute_force(candidates, budget, must, exclude)
    if best is None:
        assert result["status"] == "infeasible"
    else:
        assert result["status"] == "optimal"
        assert result["value"] == pytest.approx(best, abs=1e-6)


@settings(max_examples=100, deadline=None)
@given(portfolios())
def test_its_selection_fits_the_budget_and_adds_up(case):
    candidates, budget, must, exclude = case
    result = optimize(candidates, budget, must_include=must, exclude=exclude)
    if result["status"] == "infeasible":
        assert result["selected"] == [] and result["message"]
        return
    chosen = [c for c in candidates if c.id in result["selected"]]
    assert result["value"] == pytest.approx(math.fsum(c.value for c in chosen))
    for t, limit in enumerate(result["budget"]):
        spend = sum(c.costs[t] for c in chosen if t < len(c.costs))
        assert spend <= limit + 1e-9 * max(1, limit)
    assert set(must) <= set(result["selected"])
    assert not set(exclude) & set(result["selected"])
    listed = result["selected"] + [row["id"] for row in result["left_out"]]
    assert sorted(listed) == [c.id for c in candidates]


# Worked example: budget [100, 40].
# A (70, 10) v 10, B (20, 30) v 8, C (20, 0) v 3.
# All three cost 110 at t = 0. A + B = 18, A + C = 13, B + C = 11: A + B wins.
# Room left: [10, 0]; C needs 20 at t = 0, so only year 0 keeps it out.
WORKED = [
    Candidate("A", (70, 10), 10),
    Candidate("B", (20, 30), 8),
    Candidate("C", (20, 0), 3),
]


def test_it_chooses_the_most_valuable_set_that_fits():
    result = optimize(WORKED, [100, 40])
    assert result["selected"] == ["A", "B"]
    assert result["value"] == 18
    assert result["spend"] == [90, 40]


def test_it_names_the_year_that_keeps_a_candidate_out():
    result = optimize(WORKED, [100, 40])
    assert result["left_out"] == [
        {"id": "C", "reason": "does not fit the budget in year 0"}
    ]


def test_it_names_every_year_a_candidate_would_break():
    # A takes everything; B needs money in both years.
    result = optimize(
        [Candidate(1, (100, 100), 10), Candidate(2, (1, 1), 1)], [100, 100]
    )
    assert result["left_out"] == [
        {"id": 2, "reason": "does not fit the budget in years 0, 1"}
    ]


def test_a_fully_spent_year_is_binding():
    # Year 1 is spent to the last unit; year 0 alone keeps C out.
    assert optimize(WORKED, [100, 40])["binding_years"] == [0, 1]


def test_a_year_with_room_is_not_binding_when_it_blocks_nobody():
    # Only A is chosen; 30 of 100 is left in year 0 and nobody is kept out.
    result = optimize([Candidate("A", (70, 100), 5)], [100, 100])
    assert result["binding_years"] == [1]


def test_must_include_forces_a_low_value_candidate_in():
    result = optimize(WORKED, [100, 40], must_include=["C"])
    # With C in, the best partner is A (A + C = 13 beats B + C = 11).
    assert result["selected"] == ["A", "C"]
    assert result["value"] == 13


def test_must_include_that_breaks_the_budget_is_infeasible_not_an_error():
    result = optimize(WORKED, [100, 40], must_include=["A", "B", "C"])
    assert result["status"] == "infeasible"
    assert result["selected"] == []
    assert "year 0" in result["message"]


def test_exclude_forces_a_candidate_out_with_its_reason():
    result = optimize(WORKED, [100, 40], exclude=["A"])
    assert result["selected"] == ["B", "C"]
    assert {"id": "A", "reason": "excluded"} in result["left_out"]


def test_a_candidate_worth_nothing_or_less_is_left_out():
    result = optimize(
        [Candidate(1, (0,), 0), Candidate(2, (0,), -5), Candidate(3, (0,), 1)],
        [10],
    )
    assert result["selected"] == [3]
    assert result["left_out"] == [
        {"id": 1, "reason": "negative value"},
        {"id": 2, "reason": "negative value"},
    ]


def test_years_beyond_the_budget_list_have_no_money():
    # The budget covers t = 0 only; a cost at t = 2 cannot fit.
    result = optimize([Candidate(1, (5, 0, 5), 10), Candidate(2, (5,), 1)], [100])
    assert result["selected"] == [2]
    assert result["left_out"] == [
        {"id": 1, "reason": "does not fit the budget in year 2"}
    ]
    assert result["budget"] == [100, 0, 0]


def test_short_cost_lists_cost_nothing_in_later_years():
    result = optimize([Candidate(1, (50,), 10)], [50, 0, 0])
    assert result["selected"] == [1]


def test_no_candidates_is_an_empty_optimal_answer():
    result = optimize([], [100])
    assert result["status"] == "optimal"
    assert result["selected"] == []
    assert result["value"] == 0


def test_duplicate_ids_are_refused():
    with pytest.raises(ValueError, match="unique"):
        optimize([Candidate(1, (1,), 1), Candidate(1, (2,), 2)], [10])


def test_an_unknown_must_include_id_is_refused():
    with pytest.raises(ValueError, match="unknown"):
        optimize(WORKED, [100, 40], must_include=["Z"])


def test_an_id_both_included_and_excluded_is_refused():
    with pytest.raises(ValueError, match="both"):
        optimize(WORKED, [100, 40], must_include=["A"], exclude=["A"])
