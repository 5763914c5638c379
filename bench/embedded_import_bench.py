"""The embedded default (`make run`: SQLite, file broker, a real worker) under a
100,000-row upload: how fast POST /api/v1/imports/ answers, whether the batch's
progress moves, and how other requests are served meanwhile (prints figures).

Run: `.venv/bin/python bench/embedded_import_bench.py [--rows 100000]`.
It starts its own site in a temporary folder (tests/reliability/embedded.py),
so the dev database is not touched.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import requests  # noqa: E402

from tests.reliability.embedded import Site  # noqa: E402

WORDS = ["app", "bill", "refund", "login", "delivery", "agent", "wait", "price"]


def upload(rows: int) -> bytes:
    lines = ["external_id,text,created,channel"]
    for i in range(rows):
        a, b = WORDS[i % 8], WORDS[(i // 8) % 8]
        lines.append(
            f"e-{i},The {a} and the {b} failed again on order {i},"
            f"2026-11-{1 + i % 28:02d},email"
        )
    return ("\n".join(lines) + "\n").encode()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args(argv)
    body = upload(args.rows)
    site = Site.fresh()
    try:
        site.start_web()
        site.start_worker()
        started = time.monotonic()
        answer = requests.post(
            f"{site.url}/api/v1/imports/",
            files={"file": ("upload.csv", body, "text/csv")},
            data={"source": "bench"},
            headers=site.headers,
            timeout=120,
        )
        answered = time.monotonic() - started
        assert answer.status_code == 202, answer.text
        batch = answer.json()["id"]
        seen, others, status = [], [], "pending"
        while status not in {"done", "failed"} and time.monotonic() - started < 900:
            t = time.monotonic()
            other = requests.get(
                f"{site.url}/api/v1/feedback/?page_size=1",
                headers=site.headers,
                timeout=30,
            )
            others.append((time.monotonic() - t, other.status_code))
            state = requests.get(
                f"{site.url}/api/v1/imports/{batch}/", headers=site.headers, timeout=30
            ).json()
            status = state["status"]
            if not seen or seen[-1] != state["progress"]:
                seen.append(state["progress"])
            time.sleep(0.3)
        total = time.monotonic() - started
        times = [s for s, _ in others]
        print(f"## Embedded default, {args.rows:,} rows, {time.strftime('%Y-%m-%d')}")
        print(f"- POST /api/v1/imports/ answered 202 in {answered * 1000:.0f} ms")
        print(f"- batch {status} after {total:.1f} s; progress seen: {seen}")
        print(
            f"- {len(times)} GET /api/v1/feedback/ requests meanwhile: median "
            f"{statistics.median(times) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms,"
            f" statuses {sorted({c for _, c in others})}"
        )
    finally:
        site.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
