"""Ranking recompute end to end: SQL aggregates, snapshot, API, page, commands."""

import json
from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from feedback.models import RankingSnapshot, RankingState, ThemeAssignment
from feedback.services import ranking as ranking_service
from feedback.services.ranking_state import ranking_mark_dirty, ranking_state_get
from feedback.tasks import recompute_ranking
from tests.factories import (
    CustomerFactory,
    FeedbackItemFactory,
    IdeaFactory,
    ThemeFactory,
    UserFactory,
)

NEWEST = datetime(2026, 11, 20, 12, tzinfo=UTC)


def _say(theme, *, n, negative=True, revenue=1000, days_ago=1, text=None):
    for i in range(n):
        customer = CustomerFactory(annual_revenue=revenue)
        item = FeedbackItemFactory(
            customer=customer,
            created=NEWEST - timedelta(days=days_ago, minutes=i),
            polarity="negative" if negative else "positive",
            text=text or f"{theme.name} problem number {i} keeps happening to me",
        )
        ThemeAssignment.objects.create(item=item, theme=theme, method="rule")


@pytest.fixture
def world(db):
    logins = ThemeFactory(name="App log-in")
    refunds = ThemeFactory(name="Slow refunds")
    bills = ThemeFactory(name="Billing errors")
    quiet = ThemeFactory(name="Quiet theme")
    _say(logins, n=12, revenue=5000)
    _say(refunds, n=8, revenue=1000)
    _say(bills, n=5, negative=False)
    _say(quiet, n=1, days_ago=200)  # outside the 90-day window
    ranking_mark_dirty(enqueue=False)
    return {"logins": logins, "refunds": refunds, "bills": bills, "quiet": quiet}


def test_task_writes_a_snapshot_with_components_quotes_and_window(world):
    outcome = recompute_ranking.apply().get()
    assert outcome["status"] == "computed"
    snap = RankingSnapshot.objects.get(pk=outcome["snapshot_id"])
    names = [t["theme"] for t in snap.themes]
    assert names[:3] == ["App log-in", "Slow refunds", "Billing errors"]
    top = snap.themes[0]
    assert top["customers"] == 12 and top["mentions"] == 12
    assert top["revenue_at_risk"] == pytest.approx(60000)
    assert top["negative_share"] == 1.0
    assert len(top["quotes"]) == 3
    assert all("customer" not in q for q in top["quotes"])
    assert snap.themes[2]["revenue_at_risk"] == 0  # positive items put nothing at risk
    quiet = next(t for t in snap.themes if t["theme"] == "Quiet theme")
    assert quiet["mentions"] == 0
    assert snap.weights["customers"] == 0.35
    # Newest item is on the 19th; the window ends (exclusive) the day after.
    assert snap.window_end.date() == NEWEST.date()
    assert snap.items_in_window == 25
    assert 0 <= top["p_top3"] <= 1
    assert sum(top["weekly"]) == 12


def test_aggregates_take_a_constant_number_of_queries(world):
    with CaptureQueriesContext(connection) as few:
        recompute_ranking.apply().get()
    _say(world["bills"], n=30)
    ranking_mark_dirty(enqueue=False)
    with CaptureQueriesContext(connection) as many:
        recompute_ranking.apply().get()
    assert len(many) == len(few) <= 20


def test_second_run_without_new_inputs_is_a_no_op(world):
    recompute_ranking.apply().get()
    again = recompute_ranking.apply().get()
    assert again["status"] == "fresh"
    assert RankingSnapshot.objects.count() == 1


def test_older_run_never_overwrites_newer_result(world):
    state = ranking_state_get()
    # A newer run already stored version +5.
    RankingState.objects.filter(pk=state.pk).update(
        computed_version=state.inputs_version + 5
    )
    outcome = ranking_service.ranking_recompute(force=True)
    assert outcome["snapshot_id"] is None
    assert RankingSnapshot.objects.count() == 0
    assert ranking_state_get().computed_version == state.inputs_version + 5


def test_busy_lock_skips_the_run(world):
    with ranking_service.ranking_lock() as got:
        assert got
        if connection.vendor == "postgresql":
            # The advisory lock is per session: a second connection is refused.
            from django.db import connections

            other = connections.create_connection("default")
            with other.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_try_advisory_lock(%s)", [ranking_service.LOCK_KEY]
                )
                assert cursor.fetchone()[0] is False
            other.close()
        else:
            assert ranking_service.ranking_recompute()["status"] == "busy"


def test_votes_from_advisors_count_for_linked_themes(world):
    idea = IdeaFactory()
    idea.themes.set([world["bills"]])
    idea.votes.create(user=UserFactory(role="advisor"))
    idea.votes.create(user=UserFactory(role="advisor"))
    idea.votes.create(user=UserFactory(role="executive"))
    ranking_mark_dirty(enqueue=False)
    recompute_ranking.apply().get()
    snap = RankingSnapshot.objects.latest("computed_at")
    bills = next(t for t in snap.themes if t["theme"] == "Billing errors")
    assert bills["votes"] == 2


def test_marking_dirty_enqueues_one_recompute_on_commit(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ranking_mark_dirty()
        ranking_mark_dirty()
    assert RankingSnapshot.objects.count() == 1
    assert not ranking_state_get().dirty


# --- API ---------------------------------------------------------------------


def test_api_shape_and_revenue_hidden_from_advisors(world, as_user, advisor, cx_lead):
    recompute_ranking.apply().get()
    lead = as_user(cx_lead).get("/api/v1/ranking/").json()
    assert lead["themes"][0]["revenue_at_risk"] == pytest.approx(60000)
    assert set(lead) >= {"id", "computed_at", "window", "weights", "themes"}
    assert set(lead["themes"][0]) >= {
        "rank",
        "theme_id",
        "theme",
        "score",
        "customers",
        "mentions",
        "negative_share",
        "revenue_at_risk",
        "trend",
        "votes",
        "p_top3",
        "quotes",
    }
    adv = as_user(advisor).get("/api/v1/ranking/?top=3").json()
    assert len(adv["themes"]) == 3
    assert all(t["revenue_at_risk"] is None for t in adv["themes"])
    assert all("item_id" not in q for q in adv["themes"][0]["quotes"])


def test_api_refuses_anonymous_and_roleless(world, api, as_user, outsider):
    assert api.get("/api/v1/ranking/").status_code in (401, 403)
    assert as_user(outsider).get("/api/v1/ranking/").status_code == 403


def test_api_unknown_snapshot_is_404_and_bad_id_400(world, as_user, cx_lead):
    assert as_user(cx_lead).get("/api/v1/ranking/?snapshot=999").status_code == 404
    bad = as_user(cx_lead).get("/api/v1/ranking/?snapshot=abc")
    assert bad.status_code == 400
    assert bad.json()["errors"][0]["field"] == "snapshot"


def test_recompute_endpoint_is_for_cx_leads(
    world, as_user, cx_lead, advisor, executive
):
    for user in (advisor, executive):
        assert as_user(user).post("/api/v1/ranking/recompute/").status_code == 403
    version = ranking_state_get().inputs_version
    assert as_user(cx_lead).post("/api/v1/ranking/recompute/").status_code == 202
    assert ranking_state_get().inputs_version == version + 1


def test_weights_put_validates_and_is_stored_with_the_next_snapshot(
    world, as_user, cx_lead, advisor
):
    body = {
        "customers": 0,
        "revenue_at_risk": 0,
        "negative_share": 0,
        "trend": 0,
        "votes": 1,
        "window_days": 30,
    }
    assert as_user(advisor).put("/api/v1/ranking/weights/", body).status_code == 403
    zero = {**body, "votes": 0}
    bad = as_user(cx_lead).put("/api/v1/ranking/weights/", zero, format="json")
    assert bad.status_code == 400
    neg = as_user(cx_lead).put(
        "/api/v1/ranking/weights/", {**body, "trend": -1}, format="json"
    )
    assert neg.status_code == 400 and neg.json()["errors"][0]["field"] == "trend"
    ok = as_user(cx_lead).put("/api/v1/ranking/weights/", body, format="json")
    assert ok.status_code == 200 and ok.json()["window_days"] == 30
    recompute_ranking.apply().get()
    snap = RankingSnapshot.objects.latest("computed_at")
    assert snap.weights["votes"] == 1.0 and snap.window_days == 30


def test_evidence_counts_customers_and_items(world, as_user, advisor):
    got = as_user(advisor).get("/api/v1/evidence/?q=slow refunds problem").json()
    assert got["items"] == 8 and got["customers"] == 8
    assert len(got["quotes"]) == 3
    assert as_user(advisor).get("/api/v1/evidence/?q=").status_code == 400


# --- page and commands -------------------------------------------------------


def test_page_shows_top_three_cards_and_hides_revenue_from_advisors(
    world, client, cx_lead, advisor
):
    recompute_ranking.apply().get()
    client.force_login(cx_lead)
    page = client.get("/ranking/").content.decode()
    assert page.count('data-testid="top-card"') == 3
    assert "<dt>Revenue at risk</dt>" in page and "60,000" in page
    assert "weights-form" in page
    top_id = RankingSnapshot.objects.latest("computed_at").themes[0]["theme_id"]
    assert f"/initiatives/new/?theme={top_id}" in page
    client.force_login(advisor)
    page = client.get("/ranking/").content.decode()
    # Advisors see the normalised component bar, never the money.
    assert "<dt>Revenue at risk</dt>" not in page and "60,000" not in page
    assert "weights-form" not in page and "/initiatives/new/" not in page


def test_page_query_count_does_not_grow_with_themes(
    world, client, cx_lead, django_assert_max_num_queries
):
    recompute_ranking.apply().get()
    client.force_login(cx_lead)
    with django_assert_max_num_queries(12):
        assert client.get("/ranking/").status_code == 200
    for i in range(15):
        _say(ThemeFactory(name=f"Extra {i}"), n=2)
    ranking_mark_dirty(enqueue=False)
    recompute_ranking.apply().get()
    with django_assert_max_num_queries(12):
        assert client.get("/ranking/").status_code == 200


def test_page_refuses_anonymous_and_roleless(world, client, outsider):
    assert client.get("/ranking/").status_code == 302
    client.force_login(outsider)
    assert client.get("/ranking/").status_code == 403


def test_page_recompute_and_weights_forms_are_for_cx_leads(
    world, client, executive, cx_lead
):
    client.force_login(executive)
    assert client.post("/ranking/recompute").status_code == 403
    assert client.post("/ranking/weights", {}).status_code == 403
    client.force_login(cx_lead)
    bad = client.post("/ranking/weights", {"customers": "x"})
    assert bad.status_code == 400
    ok = client.post(
        "/ranking/weights",
        {
            "customers": 1,
            "revenue_at_risk": 1,
            "negative_share": 0,
            "trend": 0,
            "votes": 0,
            "window_days": 60,
        },
    )
    assert ok.status_code == 302
    assert ranking_state_get().window_days == 60


def test_commands_recompute_sync_and_print_json(world, capsys):
    call_command("recompute_ranking", "--sync")
    call_command("ranking", "--json", "--top", "2")
    payload = json.loads(capsys.readouterr().out.split("\n", 1)[1])
    assert [t["theme"] for t in payload["themes"]] == ["App log-in", "Slow refunds"]
    call_command("ranking")
    assert "App log-in" in capsys.readouterr().out


def test_running_is_read_from_the_lock_not_a_leftover_flag(world):
    from django.utils import timezone

    from feedback.services.ranking_state import ranking_running

    state = ranking_state_get()
    # A worker killed mid-run leaves running_since behind.
    RankingState.objects.filter(pk=state.pk).update(running_since=timezone.now())
    if connection.vendor == "postgresql":
        assert ranking_running() is False  # nobody holds the lock
        with ranking_service.ranking_lock():
            assert ranking_running() is True
    else:
        assert ranking_running() is True  # trusted for an hour
        RankingState.objects.filter(pk=state.pk).update(
            running_since=timezone.now() - timedelta(hours=2)
        )
        assert ranking_running() is False


def test_evidence_names_the_themes_and_the_search_box_answers(world, client, advisor):
    client.force_login(advisor)
    got = client.get("/api/v1/evidence/?q=log-in problem").json()
    assert got["themes"][0]["theme"] == "App log-in" and got["themes"][0]["items"] == 12
    partial = client.get("/evidence/?q=log-in problem", HTTP_HX_REQUEST="true")
    html = partial.content.decode()
    assert 'data-testid="evidence-result"' in html and "<html" not in html
    assert "12</strong> customers" in html
    assert "Nobody has said it" in client.get("/evidence/?q=forum").content.decode()
    assert "2 to 200" in client.get("/evidence/?q=x").content.decode()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_recomputes_make_one_consistent_snapshot():
    import threading

    from tests.conftest import need

    need("postgres")
    theme = ThemeFactory(name="Log-in")
    _say(theme, n=30)
    ranking_mark_dirty(enqueue=False)
    start = threading.Barrier(2)
    outcomes = []

    def run():
        try:
            start.wait()
            outcomes.append(ranking_service.ranking_recompute())
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    statuses = sorted(o["status"] for o in outcomes)
    # Either one ran while the other found the lock taken, or one ran and the
    # other then found the result fresh; never two snapshots of one version.
    assert statuses in (["busy", "computed"], ["computed", "fresh"])
    state = ranking_state_get()
    assert state.computed_version == state.inputs_version
    same = RankingSnapshot.objects.filter(inputs_version=state.inputs_version)
    assert same.count() == 1


def test_a_window_where_no_theme_is_mentioned_ranks_every_theme_at_zero(db):
    old = ThemeFactory(name="Old complaint")
    ThemeFactory(name="Never mentioned")
    _say(old, n=2, days_ago=200)  # outside the window
    FeedbackItemFactory(created=NEWEST)  # the window's newest item, no theme
    ranking_mark_dirty(enqueue=False)
    outcome = recompute_ranking.apply().get()
    assert outcome["status"] == "computed"
    snap = RankingSnapshot.objects.get(pk=outcome["snapshot_id"])
    assert sorted(t["theme"] for t in snap.themes) == [
        "Never mentioned",
        "Old complaint",
    ]
    assert all(t["mentions"] == 0 and t["customers"] == 0 for t in snap.themes)
    assert all(sum(t["weekly"]) == 0 for t in snap.themes)


def test_quotes_looked_for_in_the_last_week_first_are_those_of_the_whole_third(
    db, monkeypatch
):
    from feedback.ranking import formula as pure
    from feedback.services import ranking_quotes

    busy, slow = ThemeFactory(name="Busy"), ThemeFactory(name="Slow lately")
    for days_ago in range(1, 8):  # busy: plenty in the last week
        _say(busy, n=2, days_ago=days_ago, text=f"busy theme complaint {days_ago} x")
    _say(busy, n=3, days_ago=20, text="busy theme complaint from weeks ago")
    _say(slow, n=3, days_ago=2, text="slow theme complaint this week here")
    _say(slow, n=4, days_ago=15, text="slow theme complaint a fortnight ago")
    monkeypatch.setattr(ranking_quotes, "SAMPLE", 6)
    window = pure.window_bounds(NEWEST.date(), 90)
    themes = [busy.pk, slow.pk]
    # Counts that promise plenty lately: the first look spans one day, too
    # few for both themes, so both are asked again over the third.
    plenty = {busy.pk: (3000, 3000), slow.pk: (3000, 3000)}
    got = ranking_quotes.representative_quotes(
        window=window, theme_ids=themes, negatives=plenty
    )
    third = ranking_quotes._candidates(
        window=window, theme_ids=themes, start=window.recent_start
    )
    expected = {
        t: [rows[i] for i in ranking_quotes.most_typical([r["text"] for r in rows])]
        for t, rows in third.items()
    }
    assert got == expected
    # The slow theme needed the wider look: a quote from two weeks ago.
    assert any("fortnight" in q["text"] for q in got[slow.pk])


def test_quote_lookup_plan_spans_the_days_every_theme_needs():
    from feedback.services import ranking_quotes

    want = ranking_quotes.MARGIN * ranking_quotes.SAMPLE  # candidates expected
    negatives = {
        1: (int(30 * want), 90_000),  # `want` a day: 1 day
        2: (int(30 * want / 3), 10_000),  # a third of that: 3 days
        4: (0, 12),  # none lately: not looked for in the third
    }
    assert ranking_quotes.lookup_plan([1, 2, 4, 5], negatives, 30) == (3, [1, 2])
    # A theme that needs over half the third: all of it, in one look.
    negatives[3] = (int(want), int(want))
    assert ranking_quotes.lookup_plan([1, 2, 3], negatives, 30) == (30, [1, 2, 3])


def test_quotes_planned_from_negative_counts_match_and_skip_themes_without_any(
    db, monkeypatch
):
    from feedback.ranking import formula as pure
    from feedback.services import ranking_quotes

    busy, slow = ThemeFactory(name="Busy"), ThemeFactory(name="Slow lately")
    older, praised = ThemeFactory(name="Older"), ThemeFactory(name="Praised")
    for days_ago in range(1, 8):
        _say(busy, n=4, days_ago=days_ago, text=f"busy theme complaint {days_ago} x")
    _say(busy, n=3, days_ago=20, text="busy theme complaint from weeks ago")
    _say(slow, n=3, days_ago=2, text="slow theme complaint this week here")
    _say(slow, n=4, days_ago=15, text="slow theme complaint a fortnight ago")
    _say(older, n=2, days_ago=60, text="older theme complaint from two months ago")
    _say(praised, n=5, negative=False)
    monkeypatch.setattr(ranking_quotes, "SAMPLE", 3)
    window = pure.window_bounds(NEWEST.date(), 90)
    themes = [busy.pk, slow.pk, older.pk, praised.pk]
    groups = ranking_service.ranking_groups(window=window)
    negatives = ranking_service.negative_mentions(groups)
    assert negatives == {busy.pk: (31, 31), slow.pk: (7, 7), older.pk: (0, 2)}
    with CaptureQueriesContext(connection) as planned:
        got = ranking_quotes.representative_quotes(
            window=window, theme_ids=themes, negatives=negatives
        )
    assert got == _one_look_per_reach(window, themes)
    assert set(got) == {busy.pk, slow.pk, older.pk}
    assert any("two months" in q["text"] for q in got[older.pk])
    assert _themes_asked(planned) == [{busy.pk, slow.pk}, {older.pk}]
    # Slow needs most of the third, so all of it was read in one look; alone,
    # busy needs 5 days (1.5 x 3 candidates at 31 in 30 days).
    with CaptureQueriesContext(connection) as alone:
        ranking_quotes.representative_quotes(
            window=window, theme_ids=[busy.pk], negatives=negatives
        )
    assert _themes_asked(alone) == [{busy.pk}]
    assert "'2026-11-16 00:00:00" in alone.captured_queries[0]["sql"]


def _one_look_per_reach(window, themes) -> dict[int, list[dict]]:
    """The quotes of one query over the newest third, then one over the window
    for the themes that found fewer than QUOTES there: what any plan must give."""
    from feedback.services import ranking_quotes as rq

    found = rq._candidates(window=window, theme_ids=themes, start=window.recent_start)
    short = [t for t in themes if len(found.get(t, [])) < rq.QUOTES]
    found.update(rq._candidates(window=window, theme_ids=short))
    return {
        t: [rows[i] for i in rq.most_typical([r["text"] for r in rows])]
        for t, rows in found.items()
    }


def _themes_asked(captured) -> list[set[int]]:
    import re

    return [
        {int(x) for x in found.split(",")}
        for query in captured.captured_queries
        for found in re.findall(r"theme_id IN \(([^)]*)\)", query["sql"])
    ]


def test_the_one_scan_aggregate_matches_the_groups_and_weekly_queries(world):
    # On PostgreSQL one GROUP BY split by week feeds both; it must add up to the
    # plain groups and the ORM's weekly counts (the path other databases take).
    from feedback.ranking import formula as pure

    busy = world["logins"]
    regular = CustomerFactory(annual_revenue=700)
    # One customer's group spread over two weeks, two items in one of them.
    for minutes, days_ago in enumerate((40, 40, 54)):
        item = FeedbackItemFactory(
            customer=regular,
            created=NEWEST - timedelta(days=days_ago, minutes=minutes),
            polarity="negative",
        )
        ThemeAssignment.objects.create(item=item, theme=busy, method="rule")
    window = pure.window_bounds(NEWEST.date(), 90)
    themes = [t.pk for t in world.values() if hasattr(t, "pk")]
    groups, weekly = ranking_service.ranking_aggregates(window=window, theme_ids=themes)
    key = ["theme_id", "customer_id", "negative", "recent"]
    summed = groups.groupby(key, dropna=False).agg(
        n=("n", "sum"), revenue=("revenue", "max")
    )
    plain = ranking_service.ranking_groups(window=window).set_index(key)
    assert summed.sort_index().equals(plain[["n", "revenue"]].sort_index())
    assert summed.loc[(busy.pk, regular.pk, True, False), "n"] == 3
    assert weekly == ranking_service.ranking_weekly(window=window, theme_ids=themes)
    assert sum(weekly[busy.pk]) == 15
