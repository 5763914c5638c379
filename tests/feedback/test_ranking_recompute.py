"""Ranking recompute end to end: SQL aggregates, snapshot, versions and the lock."""

from datetime import timedelta

import pytest
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
from tests.feedback.ranking_helpers import NEWEST, _say


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


def test_aggregates_take_a_constant_number_of_queries(world, settings):
    # The recompute alone: the slices it warms afterwards are counted in
    # test_ranking_slices.
    settings.CXPLAN_RANKING_WARM_SLICES = 0
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
