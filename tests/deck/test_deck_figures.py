"""The deck shows the figures the pages show: it reads the same selectors."""

import pytest

from deck.slides import slides_build
from deck.snapshot import snapshot_collect
from feedback.selectors.ranking import ranking_view
from initiatives.models import Allocation
from initiatives.selectors.funding import funding_plan
from initiatives.selectors.initiatives import initiatives_ranked
from tests.deck.factories import deck_world
from tests.initiatives.factories_funding import initiative_costing, source_with

pytestmark = pytest.mark.django_db


def _slide(slides, key):
    return next(s for s in slides if s.key == key)


def test_the_ranking_is_the_ranking_pages_rows():
    deck_world()
    data = snapshot_collect()
    view = ranking_view()
    assert data["ranking"]["snapshot_id"] == view.snapshot.pk
    assert [t["theme"] for t in data["ranking"]["themes"]] == [
        t["theme"] for t in view.themes
    ]


def test_the_initiatives_are_the_lists_rows_in_its_order():
    deck_world()
    data = snapshot_collect()
    rows = initiatives_ranked(sort="npv")
    assert [i["id"] for i in data["initiatives"]] == [r["id"] for r in rows]
    assert [i["npv"] for i in data["initiatives"]] == [r["npv"] for r in rows]


def test_the_funding_gap_is_the_funding_pages_gap():
    """Needs lack allocations year by year: 10,000 at t = 0 with 4,000 allocated
    and 1,000 a year after with nothing allocated leave a gap of 9,000, whatever
    the source still holds."""
    source = source_with({0: 50_000, 1: 50_000, 2: 50_000, 3: 50_000})
    initiative = initiative_costing(one_time=10_000, recurring=1_000)
    Allocation.objects.create(
        initiative=initiative, source=source, year=0, amount=4_000
    )
    data = snapshot_collect()
    plan = funding_plan()
    assert data["funding"]["gap"] == float(plan["gap"]) == 9_000.0
    assert data["funding"]["needed"] == float(plan["needed"]) == 13_000.0
    assert data["initiatives"][0]["needed"] == 13_000.0
    assert data["initiatives"][0]["gap"] == 9_000.0
    slides = slides_build(data)
    assert "Funding gap: $9k" in _slide(slides, "funding").bullets
    assert "Fund the gap of $9k" in _slide(slides, "decisions").bullets


def test_a_fully_funded_plan_says_so():
    source = source_with({0: 50_000})
    initiative = initiative_costing(one_time=10_000)
    Allocation.objects.create(
        initiative=initiative, source=source, year=0, amount=10_000
    )
    slides = slides_build(snapshot_collect())
    funding = _slide(slides, "funding")
    assert "Fully funded: every year's need is allocated" in funding.bullets
    assert not any("gap" in b for b in _slide(slides, "decisions").bullets)


def test_a_version_built_before_the_gap_was_kept_says_so():
    """Older snapshots have no plan gap: the slide says so, it never guesses."""
    source_with({0: 50_000})
    data = snapshot_collect()
    del data["funding"]["gap"]
    funding = _slide(slides_build(data), "funding")
    assert funding.missing[-1] == (
        "This version was built before the deck kept the funding plan's gap."
    )
