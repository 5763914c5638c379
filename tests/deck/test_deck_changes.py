"""What changed since the previous version: new top themes, changed figures."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from deck import services
from deck.changes import changes_between
from deck.models import Deck
from initiatives.models import Initiative
from tests.deck.factories import deck_world, media, ranking  # noqa: F401
from tests.factories import ThemeFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]


def _build():
    deck = services.deck_request(user=None, formats=["html"], enqueue=False)
    return services.deck_build(deck_id=deck.pk)


def test_the_first_version_has_no_changes():
    deck_world()
    assert _build().changes == []


def test_a_second_version_lists_new_themes_and_changed_figures(client, cx_lead):
    refunds, waits, bills = deck_world()
    first = _build()
    outages = ThemeFactory(name="Outages")
    ranking(
        [refunds, outages, waits, bills],
        **{"Slow refunds": {"customers": 150, "revenue": 50000.0}},
    )
    Initiative.objects.filter(title="Call-back").update(status="approved")
    second = _build()
    texts = [c["text"] for c in second.changes]
    assert texts[:4] == [
        "New in the top three: Outages (rank 2).",
        "Left the top three: Bills (was rank 3).",
        "Slow refunds: customers 100 → 150.",
        "Long waits moved from rank 2 to 3.",
    ]
    assert "Call-back: proposed → approved." in texts
    assert first.changes == []
    client.force_login(cx_lead)
    page = client.get(reverse("deck-detail", args=[second.pk])).content.decode()
    assert "What changed since v1" in page
    assert "New in the top three: Outages (rank 2)." in page


def test_a_failed_version_is_skipped_when_comparing():
    themes = deck_world()
    _build()
    Deck.objects.create(version=2, status="failed", data={})
    ranking(list(reversed(themes)))
    third = _build()
    assert third.version == 3
    assert "Bills moved from rank 3 to 1." in [c["text"] for c in third.changes]


def test_small_jitter_is_not_news():
    row = {"rank": 1, "theme": "A", "customers": 1000, "revenue_at_risk": 1e6}
    before = {"ranking": {"themes": [row]}}
    after = {"ranking": {"themes": [{**row, "customers": 1005}]}}
    assert changes_between(before, after) == []
    after = {"ranking": {"themes": [{**row, "customers": 1100}]}}
    assert [c["field"] for c in changes_between(before, after)] == ["customers"]


def test_the_command_builds_synchronously_and_writes_the_file(tmp_path):
    deck_world()
    out = tmp_path / "deck.html"
    call_command("build_deck", "--format", "html", "--out", str(out))
    assert out.read_text().count('<section class="slide ') == 13
    deck = Deck.objects.get()
    assert deck.status == "done" and deck.built_by is None


def test_building_twice_leaves_a_finished_deck_alone():
    deck_world()
    deck = _build()
    before = (deck.finished_at, deck.html.name)
    again = services.deck_build(deck_id=deck.pk)
    assert (again.finished_at, again.html.name) == before
    assert services.deck_build(deck_id=999) is None
