"""Time the ranking recompute against the raw SQL aggregate it starts from.

Run: ``.venv/bin/python bench/ranking_bench.py --items 1000000`` with PostgreSQL
answering on DATABASE_URL's server (default postgres://postgres@127.0.0.1:5432).
It (re)creates the database ``cxplan_bench``, fills it in SQL with
``generate_series`` (200,000 customers, items over 180 days, 30 themes, 1.3
themes per item: the shape issue 5 names), VACUUMs and ANALYZEs the feedback
tables and runs a CHECKPOINT (see ``settle``), then prints, median of
``--repeat`` runs:
- raw: the GROUP BY of (theme, customer, negative, recent) alone, in psql terms;
- groups: the same through ``ranking_groups`` (into a DataFrame);
- full: ``ranking_compute`` (groups, 200 bootstrap resamples, quotes, weekly counts)
and the ratio full / raw. Target (issues 5 and 12): within 2x the raw
aggregate and under 3 s. ``--database NAME`` times an existing database instead
of filling one (settled the same way), e.g. the one import_bench left.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB_NAME = "cxplan_bench"

FILL_SQL = """
TRUNCATE feedback_themeassignment, feedback_feedbackitem, feedback_customer,
         feedback_rankingsnapshot RESTART IDENTITY CASCADE;
INSERT INTO feedback_customer (external_id, name, segment, annual_revenue,
                               created_at, updated_at)
SELECT 'C' || g, 'Customer ' || g,
       (ARRAY['consumer','small business','enterprise'])[1 + g %% 3],
       round((random() * 20000)::numeric, 2), now(), now()
FROM generate_series(1, %(customers)s) g;
INSERT INTO feedback_feedbackitem (source, external_id, text, created, channel,
    score, score_type, customer_id, segment, sentiment, polarity, extra,
    inserted_at, updated_at)
SELECT 'bench', 'B' || g,
       (ARRAY['The app will not let me log in again',
              'My refund has taken weeks, still nothing',
              'I was billed twice for the same month',
              'Broadband keeps dropping every evening',
              'Waited forty minutes on the phone',
              'Great service from the engineer',
              'Cancelling was far too hard',
              'The new router works well'])[1 + g %% 8] || ' #' || (g %% 997),
       now() - (random() * interval '180 days'),
       (ARRAY['survey','ticket','review','chat'])[1 + g %% 4],
       NULL, '',
       CASE WHEN g %% 5 = 0 THEN NULL ELSE 1 + (g::bigint * 7919) %% %(customers)s END,
       '', CASE WHEN g %% 3 = 0 THEN 0.5 ELSE -0.5 END,
       CASE WHEN g %% 3 = 0 THEN 'positive' ELSE 'negative' END, '{}', now(), now()
FROM generate_series(1, %(items)s) g;
INSERT INTO feedback_themeassignment (item_id, theme_id, method, confidence,
                                      created_at)
SELECT i.id, t.id, 'rule', 0.9, now()
FROM feedback_feedbackitem i
JOIN feedback_theme t ON t.name = 'Bench theme ' || (1 + i.id %% %(themes)s)
UNION ALL
SELECT i.id, t.id, 'model', 0.7, now()
FROM feedback_feedbackitem i
JOIN feedback_theme t ON t.name = 'Bench theme ' || (1 + (i.id / 3) %% %(themes)s)
WHERE i.id %% 10 < 3 AND (1 + (i.id / 3) %% %(themes)s) <> (1 + i.id %% %(themes)s);
ANALYZE;
"""


def setup(database_url: str, name: str) -> None:
    import psycopg

    admin = database_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists and name != DB_NAME:
            raise SystemExit(f"database {name} does not exist: run its bench first")
        if not exists:
            conn.execute(f"CREATE DATABASE {DB_NAME}")
    os.environ["DATABASE_URL"] = database_url.rsplit("/", 1)[0] + f"/{name}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cxplan.settings")
    os.environ.setdefault("DEBUG", "1")
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def fill(items: int, customers: int, themes: int) -> float:
    from django.db import connection

    from feedback.models import Theme

    Theme.objects.exclude(name__startswith="Bench theme").update(is_active=False)
    for n in range(1, themes + 1):
        Theme.objects.get_or_create(name=f"Bench theme {n}")
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            FILL_SQL, {"items": items, "customers": customers, "themes": themes}
        )
    return time.perf_counter() - started


def settle() -> None:
    """Leave the tables as autovacuum would (this server has it off) and flush
    dirty pages, so that neither the writes of the fill or of the bench before
    (make bench runs this straight after the 1M import) nor first-read hint
    bits are written during the timings."""
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            "VACUUM (ANALYZE) feedback_feedbackitem, feedback_themeassignment, "
            "feedback_customer"
        )
        cursor.execute("CHECKPOINT")
    print(f"vacuum, analyze, checkpoint: {time.perf_counter() - started:.1f} s")


def timed(fn, repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - started)
    return statistics.median(runs)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--themes", type=int, default=30)
    parser.add_argument("--customers", type=int, default=200_000)
    parser.add_argument("--no-fill", action="store_true")
    parser.add_argument(
        "--database",
        default=DB_NAME,
        help="time on this existing database instead of filling cxplan_bench "
        "(make bench also passes cxplan_bench_import: the demo generator's 1M "
        "rows, imported)",
    )
    parser.add_argument(
        "--profile", action="store_true", help="print a pyinstrument profile"
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/x"),
    )
    args = parser.parse_args()
    setup(args.database_url, args.database)
    from django.db import connection

    from feedback.services import ranking
    from feedback.services.ranking_state import ranking_state_get

    if not args.no_fill and args.database == DB_NAME:
        took = fill(args.items, args.customers, args.themes)
        print(f"fill {args.items:,} items: {took:.1f} s")
    settle()
    window = ranking.ranking_window(days=90)
    start, end, recent = (ranking._aware(d) for d in window)
    raw_sql = ranking.GROUPS_SQL

    def raw():
        with connection.cursor() as cursor:
            cursor.execute(raw_sql, [recent, start, end])
            cursor.fetchall()

    state = ranking_state_get()
    t_raw = timed(raw, args.repeat)
    t_groups = timed(lambda: ranking.ranking_groups(window=window), args.repeat)
    t_full = timed(lambda: ranking.ranking_compute(state=state), args.repeat)
    from feedback.models import FeedbackItem

    total = FeedbackItem.objects.count()
    print(f"items {total:,}  window {window.start} .. {window.end}")
    print(f"raw SQL aggregate      {t_raw * 1000:8.0f} ms")
    print(f"ranking_groups         {t_groups * 1000:8.0f} ms")
    print(f"ranking_compute (full) {t_full * 1000:8.0f} ms")
    print(f"full / raw             {t_full / t_raw:8.2f} x   (target <= 2)")
    met = t_full / t_raw <= 2 and t_full < 3
    print(
        "targets (within 2x the raw aggregate, under 3 s):", "met" if met else "MISSED"
    )
    if args.profile:
        from pyinstrument import Profiler

        profiler = Profiler()
        profiler.start()
        ranking.ranking_compute(state=state)
        profiler.stop()
        print(profiler.output_text(unicode=False, color=False))
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
