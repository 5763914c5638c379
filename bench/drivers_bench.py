"""Time the drivers answer (issue 23) at 1M items on PostgreSQL, cold and warm.

Run: ``.venv/bin/python bench/drivers_bench.py --items 1000000`` with PostgreSQL
answering on DATABASE_URL's server. It (re)creates the database
``cxplan_drivers_bench`` (``--no-fill`` reuses it), fills it in SQL with
``generate_series``: 200,000 customers (12% churned, with a churn date on none:
the logistic model), items over 180 days, half rated 1-10 and half NPS 0-10,
20 themes at 1.3 per item, and a planted score effect of -0.1 x (theme % 5)
points per theme on the ratings (themes, channel, segment and score type
drawn from independent hashes of the item number, so no column is
collinear). Then per metric (score, nps, churn, and a segment slice of
score) it prints the cold answer (cache cleared: reads, fit and bootstrap) and
the warm one (the cached answer: one version query), median of ``--repeat``.
Target: under 5 s.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.bench_db import database_url_argument, fresh_django  # noqa: E402

DB_NAME = "cxplan_drivers_bench"
THEMES = 20


def _pick(g: str, salt: int, n: int) -> str:
    """SQL: 0..n-1, a hash of item number `g`, independent across salts."""
    hashed = f"hashint4(({g} + {salt})::int)::bigint"
    return f"(({hashed} %% {n} + {n}) %% {n})"


def _themes(g: str) -> tuple[str, str, str]:
    """SQL of item g's first theme, second theme and whether it has one."""
    first, second = f"(1 + {_pick(g, 0, THEMES)})", f"(1 + {_pick(g, 7, THEMES)})"
    return first, second, f"({_pick(g, 11, 10)} < 3 AND {second} <> {first})"


T1, T2, HAS2 = _themes("g")
A1, A2, AHAS2 = _themes("i.id")
# The planted score effect of theme t: -0.1 x (t % 5) points, 0 for t % 5 = 0.
EFFECT = f"(-0.1 * ({T1} %% 5) - CASE WHEN {HAS2} THEN 0.1 * ({T2} %% 5) ELSE 0 END)"
RATED = f"{_pick('g', 13, 2)} = 0"

FILL_SQL = f"""
INSERT INTO feedback_customer (external_id, name, segment, annual_revenue,
                               churned, churned_on, created_at, updated_at)
SELECT 'C' || g, 'Customer ' || g,
       (ARRAY['consumer','small business','enterprise'])[1 + g %% 3],
       round((random() * 20000)::numeric, 2), random() < 0.12, NULL, now(), now()
FROM generate_series(1, %(customers)s) g;
INSERT INTO feedback_feedbackitem (source, external_id, text, created, channel,
    score, score_type, customer_id, segment, sentiment, polarity, extra, language,
    inserted_at, updated_at)
SELECT 'bench', 'B' || g, 'Bench item ' || g,
       now() - (random() * interval '180 days'),
       (ARRAY['survey','ticket','review','chat'])[1 + {_pick("g", 17, 4)}],
       CASE WHEN {RATED}
            THEN LEAST(10, GREATEST(1, 7 + {EFFECT} + (random() - 0.5) * 3))
            ELSE floor(random() * 11) END,
       CASE WHEN {RATED} THEN 'rating' ELSE 'nps' END,
       CASE WHEN g %% 5 = 0 THEN NULL ELSE 1 + (g::bigint * 7919) %% %(customers)s END,
       (ARRAY['consumer','small business','enterprise'])[1 + {_pick("g", 19, 3)}],
       CASE WHEN g %% 3 = 0 THEN 0.5 ELSE -0.5 END,
       CASE WHEN g %% 3 = 0 THEN 'positive' ELSE 'negative' END, '{{}}', 'en',
       now(), now()
FROM generate_series(1, %(items)s) g;
INSERT INTO feedback_themeassignment (item_id, theme_id, method, confidence,
                                      created_at)
SELECT i.id, t.id, 'rule', 0.9, now()
FROM feedback_feedbackitem i
JOIN feedback_theme t ON t.name = 'Bench theme ' || {A1}
UNION ALL
SELECT i.id, t.id, 'model', 0.7, now()
FROM feedback_feedbackitem i
JOIN feedback_theme t ON t.name = 'Bench theme ' || {A2}
WHERE {AHAS2};
"""


def fill(items: int, customers: int) -> float:
    from django.db import connection

    from feedback.models import Theme

    for n in range(1, THEMES + 1):
        Theme.objects.get_or_create(name=f"Bench theme {n}")
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(FILL_SQL, {"items": items, "customers": customers})
        cursor.execute(
            "VACUUM (ANALYZE) feedback_feedbackitem, feedback_themeassignment, "
            "feedback_customer"
        )
    return time.perf_counter() - started


def planted_check(answer: dict) -> None:
    """How the ratings' estimates meet the planted -0.1 x (theme % 5) points."""
    covered, order = 0, []
    for d in answer["drivers"]:
        planted = -0.1 * (int(d["name"].rsplit(" ", 1)[1]) % 5)
        covered += d["ci"][0] <= planted <= d["ci"][1]
        order.append(planted)
    print(
        f"{'':20s} planted effects covered {covered} of {len(order)}; "
        f"sorted by estimate, planted never rises: {order == sorted(order)}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--customers", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-fill", action="store_true")
    database_url_argument(parser)
    args = parser.parse_args()
    if args.no_fill:
        import os

        os.environ["DATABASE_URL"] = args.database_url.rsplit("/", 1)[0] + "/" + DB_NAME
        os.environ.setdefault("DEBUG", "1")
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cxplan.settings")
        import django

        django.setup()
    else:
        fresh_django(DB_NAME, args.database_url)
        print(f"fill {args.items:,} items: {fill(args.items, args.customers):.1f} s")
    from django.core.cache import cache

    from feedback.selectors.drivers import DriversQuery, drivers_get

    queries = {
        "score": DriversQuery(metric="score"),
        "score, ratings": DriversQuery(metric="score", score_type="rating"),
        "nps": DriversQuery(metric="nps"),
        "churn": DriversQuery(metric="churn"),
        "score, one segment": DriversQuery(metric="score", segment="enterprise"),
    }
    worst = 0.0
    for label, query in queries.items():
        cold, warm = [], []
        for _ in range(args.repeat):
            cache.clear()
            started = time.perf_counter()
            answer = drivers_get(query)
            cold.append(time.perf_counter() - started)
            started = time.perf_counter()
            drivers_get(query)
            warm.append(time.perf_counter() - started)
        worst = max(worst, statistics.median(cold))
        top = answer["drivers"][0] if answer["drivers"] else {}
        clear = sum(d["significant"] for d in answer["drivers"])
        print(
            f"{label:20s} n {answer['n']:>9,}  cold {statistics.median(cold):6.2f} s"
            f"  warm {statistics.median(warm) * 1000:6.1f} ms  "
            f"themes {len(answer['drivers'])} ({clear} clear)  top "
            f"{top.get('name')} {top.get('impact', 0):.3f}"
        )
        print(f"{'':20s} method: {answer['method']}")
        if query.score_type == "rating":
            planted_check(answer)
    print("target (cold under 5 s):", "met" if worst < 5 else "MISSED")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
