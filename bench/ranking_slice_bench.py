"""Time the ranking of a slice (date range, segment, channel) at 1M items.

Run: ``.venv/bin/python bench/ranking_slice_bench.py --items 1000000`` with
PostgreSQL answering on DATABASE_URL's server. It (re)creates the database
``cxplan_bench_slices`` and fills it with ``ranking_bench``'s SQL generator
(200,000 customers in three segments, items over 180 days in four channels,
30 themes, 1.3 themes per item); each item then takes its customer's segment
(the generator leaves it blank), and the tables are VACUUMed and ANALYZEd
(``ranking_bench.settle``). ``--no-fill`` times the database as it is.

Then, for a 90-day slice of each segment and of each channel, through
``GET /api/v1/ranking/?start=&end=&segment=`` (a member's session, the test
client in process):
- cold: the first request of that slice (nothing cached; PostgreSQL's buffers
  as the previous slices left them);
- warm: the same request again (the cached answer).
Target (issue 20.5): under 1 s cold.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
DB_NAME = "cxplan_bench_slices"
SEGMENTS = ("consumer", "small business", "enterprise")
CHANNELS = ("survey", "ticket", "review", "chat")

SEGMENT_SQL = """
UPDATE feedback_feedbackitem i SET segment = c.segment
FROM feedback_customer c WHERE c.id = i.customer_id
"""


def prepare(args) -> None:
    os.environ["CXPLAN_VAR_DIR"] = tempfile.mkdtemp(prefix="cxplan-slices-")
    os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    from bench_db import fresh_django, server_url

    if args.no_fill:
        os.environ["DATABASE_URL"] = server_url(args.database_url, DB_NAME)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cxplan.settings")
        os.environ.setdefault("DEBUG", "1")
        os.environ.pop("REDIS_URL", None)
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)  # the code may have moved on
        return
    fresh_django(DB_NAME, args.database_url)
    from django.db import connection
    from ranking_bench import fill

    took = fill(args.items, args.customers, args.themes)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(SEGMENT_SQL)
        cursor.execute("VACUUM FULL feedback_feedbackitem")
    print(
        f"fill {args.items:,} items: {took:.1f} s; segments and vacuum full: "
        f"{time.perf_counter() - started:.1f} s"
    )


def member_client():
    from django.test import Client

    from cxplan.core.roles import ADVISOR
    from tests.factories import UserFactory

    user = UserFactory(username="bench-slices", role=ADVISOR)
    client = Client()
    client.force_login(user)
    return client


def timed_get(client, params: dict) -> tuple[float, dict]:
    started = time.perf_counter()
    response = client.get("/api/v1/ranking/", params)
    took = time.perf_counter() - started
    if response.status_code != 200:
        raise SystemExit(f"{params}: {response.status_code} {response.content[:300]}")
    return took, response.json()


def reference() -> float:
    """The snapshot's raw GROUP BY over the whole 90-day window, fetched (what
    ranking_bench calls raw: 1.28-1.34 s on the quiet Xeon of PERFORMANCE.md),
    as a yardstick of how loaded the machine is during this run."""
    from django.db import connection

    from feedback.services import ranking

    window = ranking.ranking_window(days=90)
    start, end, recent = (ranking._aware(d) for d in window)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(ranking.GROUPS_SQL, [recent, start, end])
        cursor.fetchall()
    return time.perf_counter() - started


def warmed(client, slices, start, end) -> None:
    """What the recompute's warming costs the worker, and the readers after it."""
    from django.core.cache import cache

    from feedback.selectors.ranking_slices import ranking_slices_warm

    cache.clear()
    started = time.perf_counter()
    count = ranking_slices_warm()
    took = time.perf_counter() - started
    after = [
        timed_get(client, {"start": start.isoformat(), "end": end.isoformat(), f: v})[0]
        for f, v in slices
    ]
    print(
        f"warming after a recompute: {count} slices in {took:.1f} s (worker); "
        f"then each slice's first reader {min(after) * 1000:.0f}-"
        f"{max(after) * 1000:.0f} ms"
    )


def steps(start, end) -> None:
    """Where a cold segment slice's time goes (each step alone, in order)."""
    from feedback.models import Theme
    from feedback.ranking.slices import ItemFilter, slice_window
    from feedback.services.ranking import _coverage
    from feedback.services.ranking_aggregates import (
        negative_mentions,
        slice_aggregates,
    )
    from feedback.services.ranking_quotes import representative_quotes

    window = slice_window(start, end)
    items = ItemFilter(segment=SEGMENTS[0])
    themes = list(Theme.objects.filter(is_active=True).values_list("pk", flat=True))
    started = time.perf_counter()
    groups, _weekly, methods = slice_aggregates(
        window=window, theme_ids=themes, items=items
    )
    aggregated = time.perf_counter()
    representative_quotes(
        window=window,
        theme_ids=themes,
        negatives=negative_mentions(groups),
        items=items,
    )
    quoted = time.perf_counter()
    _coverage(window, items, methods)
    counted = time.perf_counter()
    print(
        f"steps ({SEGMENTS[0]}): the join's rows {aggregated - started:.2f} s "
        f"({len(groups):,} rows), quotes {quoted - aggregated:.2f} s, "
        f"coverage's counts {counted - quoted:.2f} s"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--themes", type=int, default=30)
    parser.add_argument("--customers", type=int, default=200_000)
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--no-fill", action="store_true")
    parser.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="repeat every slice cold (the cache cleared) this many times",
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/x"),
    )
    args = parser.parse_args()
    prepare(args)
    from ranking_bench import settle

    settle()
    from django.core.cache import cache

    from feedback.models import FeedbackItem
    from feedback.selectors.ranking_slices import _newest_day

    cache.clear()
    before = reference()
    end = _newest_day()
    start = end - timedelta(days=args.days - 1)
    print(f"items {FeedbackItem.objects.count():,}; slice {start} .. {end}")
    client = member_client()
    timed_get(client, {"top": 1})  # the snapshot path: loads the modules once
    slices = [("segment", s) for s in SEGMENTS] + [("channel", c) for c in CHANNELS]
    colds: dict[str, list[float]] = {}
    warms = []
    for round_ in range(args.rounds):
        cache.clear()
        for field, value in slices:
            params = {"start": start.isoformat(), "end": end.isoformat(), field: value}
            cold, answer = timed_get(client, params)
            warm = min(timed_get(client, params)[0] for _ in range(3))
            colds.setdefault(value, []).append(cold)
            warms.append(warm)
            coverage = answer["coverage"]
            print(
                f"round {round_ + 1} {field:8} {value:15} cold {cold * 1000:6.0f} ms"
                f"  warm {warm * 1000:5.1f} ms"
                f"  in window {coverage['in_window']:>8,}"
                f"  themed {coverage['themed']:>8,}"
                f"  top {answer['themes'][0]['theme'] if answer['themes'] else '-'}"
            )
    best = {value: min(runs) for value, runs in colds.items()}
    every = [t for runs in colds.values() for t in runs]
    print(
        f"cold: median {statistics.median(every) * 1000:.0f} ms, "
        f"max {max(every) * 1000:.0f} ms; best per slice "
        + ", ".join(f"{v} {t * 1000:.0f}" for v, t in best.items())
        + f" ms; warm: max {max(warms) * 1000:.1f} ms"
    )
    steps(start, end)
    warmed(client, slices, start, end)
    after = reference()
    print(
        f"yardstick, the whole window's raw GROUP BY: {before:.2f} s before, "
        f"{after:.2f} s after (quiet Xeon: 1.28-1.34 s); cold median / yardstick "
        f"{statistics.median(every) / ((before + after) / 2):.2f}"
    )
    met = max(every) < 1.0
    print("target (under 1 s cold):", "met" if met else "MISSED")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
