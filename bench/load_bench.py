"""Pages under load: gunicorn with production settings on 1M feedback items.

Run: ``.venv/bin/python bench/load_bench.py [--items 1000000] [--users 20]
[--seconds 60] [--no-fill]`` with PostgreSQL answering on DATABASE_URL's
server (default postgres://postgres@127.0.0.1:5432) and Redis on REDIS_URL
(default redis://127.0.0.1:6379/13, the cache).

It (re)uses the database ``cxplan_bench_load``: with ``--from-database NAME``
a fresh copy of NAME (``make bench`` passes ``cxplan_bench_import``, which
import_bench left holding the demo generator's 1M rows imported through the
product), otherwise N items filled in SQL with ranking_bench's
``generate_series`` fill; migrates, loads the demo company (users, themes,
ideas, initiatives, strategy), computes the ranking, then
starts gunicorn (DEBUG off, SECRET_KEY set, ALLOWED_HOSTS=127.0.0.1,
SECURE_SSL_REDIRECT off) and runs locust headless (bench/locustfile.py) with
``--users`` clients for ``--seconds`` over the dashboard, /ranking/,
/feedback/?polarity=negative, /initiatives/ and the API lists of feedback,
ideas and initiatives. Prints p50 / p95 / requests / errors per page.
Target (issue 12): p95 under 150 ms, no errors.
"""

from __future__ import annotations

import argparse
import csv
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
DB_NAME = "cxplan_bench_load"
PORT = 8765
SECRET = "bench-only-secret-key-not-for-production"


def server_env(database_url: str, redis_url: str) -> dict:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="cxplan.settings",
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        DEBUG="0",
        SECRET_KEY=SECRET,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="0",
        SECURE_HSTS_SECONDS="0",
        LOG_LEVEL="WARNING",
    )
    return env


def setup(
    database_url: str, redis_url: str, items: int, fill: bool, source: str | None
) -> str:
    """Prepare the database; return the CX lead's session cookie."""
    import psycopg

    if source:
        import bench_db

        started = time.perf_counter()
        bench_db.clone_database(DB_NAME, source, database_url)
        print(f"copied {source}: {time.perf_counter() - started:.1f} s", flush=True)
        fill = False
    admin = database_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME]
        ).fetchone()
        if not exists:
            conn.execute(f"CREATE DATABASE {DB_NAME}")
            fill = True
    os.environ.update(server_env(database_url, redis_url))
    import django

    django.setup()
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    # Production serves hashed static names from the manifest (var/staticfiles).
    call_command("collectstatic", interactive=False, verbosity=0)
    from cxplan import demo
    from feedback.models import FeedbackItem
    from strategy.services import strategy_ensure

    users, _ = demo.users_ensure(password="bench-only-pass-load")
    themes = demo.themes_ensure()
    demo.ideas_ensure(users=users, themes=themes)
    demo.initiatives_ensure(users=users, themes=themes)
    demo.strategy_ensure(users=users)
    strategy_ensure()
    from feedback.services.ranking import ranking_recompute

    if source:
        started = time.perf_counter()
        outcome = ranking_recompute(force=True)
        print(
            f"{FeedbackItem.objects.count():,} items; ranking snapshot: "
            f"{outcome['status']} ({time.perf_counter() - started:.1f} s)",
            flush=True,
        )
    elif fill or FeedbackItem.objects.count() < items:
        import ranking_bench

        from feedback.models import Theme

        started = time.perf_counter()
        took = ranking_bench.fill(items, max(1, min(200_000, items // 5)), 30)
        # ranking_bench parks the other themes; the demo initiatives want theirs.
        Theme.objects.filter(name__in=list(themes)).update(is_active=True)
        print(f"filled {items:,} items in SQL: {took:.1f} s", flush=True)
        outcome = ranking_recompute(force=True)
        print(
            f"ranking snapshot: {outcome['status']} "
            f"({time.perf_counter() - started:.1f} s with the fill)",
            flush=True,
        )
    lead = users["cx_lead"]
    from django.conf import settings

    store = SessionStore()
    store[SESSION_KEY] = str(lead.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = lead.get_session_auth_hash()
    store.create()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


def wait_up(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"gunicorn did not answer on {url}")


def warm_up(cookie: str, rounds: int) -> float:
    """Visit every page `rounds` times before measuring (seconds taken).

    Each gunicorn process compiles its templates, loads its modules and fills
    its caches on its first requests; the load figures are the steady state
    that follows. Sequential, so the requests spread over the processes.
    """
    import locustfile

    started = time.perf_counter()
    headers = {"Cookie": cookie, "X-Forwarded-Proto": "https"}
    for _ in range(rounds):
        for path in locustfile.PAGES.values():
            request = urllib.request.Request(
                f"http://127.0.0.1:{PORT}{path}", headers=headers
            )
            with urllib.request.urlopen(request, timeout=30) as response:
                response.read()
    return time.perf_counter() - started


def report(stats_csv: Path) -> bool:
    rows = list(csv.DictReader(stats_csv.open()))
    ok = True
    print(
        f"{'page':<22}{'requests':>9}{'errors':>8}{'p50 ms':>8}{'p90 ms':>8}"
        f"{'p95 ms':>8}{'p99 ms':>8}{'max ms':>8}"
    )
    for row in rows:
        name = row["Name"]
        p95 = float(row["95%"] or 0)
        errors = int(row["Failure Count"])
        if name != "Aggregated":
            ok = ok and errors == 0 and p95 < 150
        print(
            f"{name:<22}{int(row['Request Count']):>9}{errors:>8}"
            f"{float(row['50%'] or 0):>8.0f}{float(row['90%'] or 0):>8.0f}"
            f"{p95:>8.0f}{float(row['99%'] or 0):>8.0f}"
            f"{float(row['Max Response Time'] or 0):>8.0f}"
        )
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=2, help="threads per worker")
    parser.add_argument(
        "--wait",
        type=float,
        default=1.0,
        help="mean think time per client between pages, seconds (0: back to back)",
    )
    parser.add_argument(
        "--spawn-rate",
        type=float,
        default=4,
        help="clients started per second (0: all in the first second, whose first "
        "requests then queue together: p99 200-400 ms, p95 unchanged)",
    )
    parser.add_argument("--no-fill", action="store_true")
    parser.add_argument(
        "--from-database",
        metavar="NAME",
        help="start from a copy of this database (make bench: cxplan_bench_import, "
        "the demo generator's 1M rows imported) instead of the SQL fill",
    )
    parser.add_argument(
        "--warmup",
        type=int,
        default=8,
        help="sequential visits of every page before the measured run",
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/x"),
    )
    parser.add_argument(
        "--redis-url",
        default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13"),
    )
    args = parser.parse_args()
    database_url = args.database_url.rsplit("/", 1)[0] + f"/{DB_NAME}"
    cookie = setup(
        database_url, args.redis_url, args.items, not args.no_fill, args.from_database
    )
    env = server_env(database_url, args.redis_url)
    bin_dir = Path(sys.executable).parent
    server = subprocess.Popen(
        [
            str(bin_dir / "gunicorn"),
            "cxplan.wsgi",
            f"--bind=127.0.0.1:{PORT}",
            f"--workers={args.workers}",
            f"--threads={args.threads}",
            "--worker-class=gthread",
            "--log-level=warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    try:
        wait_up(f"http://127.0.0.1:{PORT}/login/")
        if args.warmup:
            took = warm_up(cookie, args.warmup)
            print(f"warm-up: every page {args.warmup} times, {took:.1f} s", flush=True)
        with tempfile.TemporaryDirectory(prefix="load-bench-") as tmp:
            prefix = Path(tmp) / "locust"
            print(
                f"locust: {args.users} clients (think time {args.wait:g} s), "
                f"{args.seconds} s, gunicorn "
                f"{args.workers} workers x {args.threads} threads",
                flush=True,
            )
            subprocess.run(
                [
                    str(bin_dir / "locust"),
                    "-f",
                    str(ROOT / "bench" / "locustfile.py"),
                    "--headless",
                    f"--users={args.users}",
                    f"--spawn-rate={args.spawn_rate or args.users}",
                    f"--run-time={args.seconds}s",
                    f"--host=http://127.0.0.1:{PORT}",
                    f"--csv={prefix}",
                    "--only-summary",
                    "--loglevel=WARNING",
                ],
                env={**env, "LOAD_COOKIE": cookie, "LOAD_WAIT": str(args.wait)},
                check=False,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            ok = report(Path(f"{prefix}_stats.csv"))
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    print("target (p95 < 150 ms, 0 errors on every page):", "met" if ok else "MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
