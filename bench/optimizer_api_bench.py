"""Time `POST /api/v1/portfolio/optimize/` with 200 initiatives (target < 1 s).

Run: ``.venv/bin/python bench/optimizer_api_bench.py [--seeds N]``. Builds a
throwaway test database (SQLite by default, or DATABASE_URL's server with a
`test_` prefix), and times through the whole HTTP stack:
- "stateless": 200 inline candidates shaped like real proposals (a one-time
  cost, recurring costs up to 30% of it, values from a log-normal ROI), budget
  a quarter of the total cost each year;
- "stored": 200 proposed initiatives with cost lines and a benefit driver, and
  funding sources holding a quarter of the total cost each year; the time
  includes reading them and running the ROI engine on each.
A warm-up request is made first and not timed. Prints the median and worst
time per form; exits 1 when a worst time is 1 s or more.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cxplan.settings_test")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from rest_framework.test import APIClient  # noqa: E402

INITIATIVES = 200
YEARS = 4
TARGET_SECONDS = 1.0
URL = "/api/v1/portfolio/optimize/"


def proposals(rng: np.random.Generator):
    one_time = rng.lognormal(np.log(50_000), 0.8, INITIATIVES).round(2)
    recurring = (one_time * rng.uniform(0, 0.3, INITIATIVES)).round(2)
    roi = rng.lognormal(np.log(0.4), 0.8, INITIATIVES) - 0.2
    return one_time, recurring, roi


def stateless_payload(seed: int) -> dict:
    one_time, recurring, roi = proposals(np.random.default_rng(seed))
    costs = np.column_stack([one_time] + [recurring] * (YEARS - 1))
    values = costs.sum(axis=1) * roi
    return {
        "candidates": [
            {"id": i, "costs": row.tolist(), "value": float(value)}
            for i, (row, value) in enumerate(zip(costs, values, strict=True))
        ],
        "budget": (costs.sum(axis=0) * 0.25).tolist(),
    }


def store_initiatives(seed: int) -> None:
    """Replace every initiative and source with 200 random proposals."""
    from initiatives.models import (
        BenefitDriver,
        CostLine,
        FundingAmount,
        FundingSource,
        Initiative,
    )

    Initiative.objects.all().delete()
    FundingSource.objects.all().delete()
    one_time, recurring, roi = proposals(np.random.default_rng(seed))
    initiatives = Initiative.objects.bulk_create(
        [Initiative(title=f"Proposal {i}") for i in range(INITIATIVES)]
    )
    lines, drivers = [], []
    for initiative, first, later, ratio in zip(
        initiatives, one_time, recurring, roi, strict=True
    ):
        for kind, amount in (("one_time", first), ("recurring", later)):
            lines.append(
                CostLine(
                    initiative=initiative,
                    kind=kind,
                    label=kind,
                    low=amount,
                    likely=amount,
                    high=amount,
                )
            )
        yearly = float((first + 3 * later) * (1 + ratio) / 2)
        drivers.append(
            BenefitDriver(
                initiative=initiative,
                kind="custom",
                inputs={"amount_per_year": [yearly] * 3},
            )
        )
    CostLine.objects.bulk_create(lines)
    BenefitDriver.objects.bulk_create(drivers)
    source = FundingSource.objects.create(name="Budget", kind="budget")
    totals = [one_time.sum()] + [recurring.sum()] * (YEARS - 1)
    FundingAmount.objects.bulk_create(
        [
            FundingAmount(source=source, year=year, amount=round(total * 0.25, 2))
            for year, total in enumerate(totals)
        ]
    )


def timed(client: APIClient, payload: dict) -> tuple[float, dict]:
    start = time.perf_counter()
    response = client.post(URL, payload, format="json")
    elapsed = time.perf_counter() - start
    if response.status_code != 200:
        raise SystemExit(f"HTTP {response.status_code}: {response.content[:500]!r}")
    return elapsed, response.json()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=int, default=5)
    args = parser.parse_args()
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, keepdb=False)
    try:
        user = get_user_model().objects.create_user("bench-lead")
        user.groups.add(Group.objects.get(name="cx_lead"))
        client = APIClient()
        client.force_authenticate(user)
        # The first request loads URLconfs, serializers and scipy's solver.
        timed(
            client, {"candidates": [{"id": 1, "costs": [1], "value": 1}], "budget": [1]}
        )
        worst = 0.0
        for form in ("stateless", "stored"):
            times = []
            for seed in range(args.seeds):
                if form == "stored":
                    store_initiatives(seed)
                    payload = {}
                else:
                    payload = stateless_payload(seed)
                elapsed, body = timed(client, payload)
                times.append(elapsed)
                print(
                    f"{form:9} seed {seed}: {elapsed * 1000:7.1f} ms, "
                    f"{len(body['selected'])} selected, status {body['status']}, "
                    f"binding years {body['binding_years']}"
                )
            worst = max(worst, max(times))
            print(
                f"{form:9} median {statistics.median(times) * 1000:.1f} ms, "
                f"worst {max(times) * 1000:.1f} ms over {len(times)} runs"
            )
        verdict = "OK" if worst < TARGET_SECONDS else "TOO SLOW"
        print(f"{verdict}: worst {worst:.3f} s for {INITIATIVES} initiatives")
        return 0 if worst < TARGET_SECONDS else 1
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    sys.exit(main())
