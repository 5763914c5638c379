"""Time 10,000 seeded Monte Carlo draws of a three-year business case.

Run: ``.venv/bin/python bench/montecarlo_bench.py [--repeat N]``; prints the
median and best time per distribution. Reference: the initiative page recomputes
one case on every edit, so this is the cost a CX lead waits for (target: 50 ms).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from roi.engine import Assumptions, BenefitDriver, CostLine, Uncertain  # noqa: E402
from roi.montecarlo import simulate_case  # noqa: E402

COSTS = [
    CostLine("one_time", Uncertain(80_000, 100_000, 150_000), "build"),
    CostLine("recurring", Uncertain(10_000, 12_000, 16_000), "run"),
]
DRIVERS = [
    BenefitDriver(
        "contacts_avoided",
        {"contacts_per_year": Uncertain(30_000, 40_000, 50_000), "share_avoided": 0.3},
    ),
    BenefitDriver(
        "churn_avoided",
        {
            "customers_affected": 5_000,
            "churn_reduction_pp": Uncertain(0.5, 1.0, 2.0),
            "revenue_per_customer": 600.0,
        },
    ),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    for distribution in ("triangular", "pert"):
        runs = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            simulate_case(COSTS, DRIVERS, Assumptions(), distribution=distribution)
            runs.append(time.perf_counter() - start)
        median = statistics.median(runs) * 1000
        print(
            f"{distribution:10s} 10,000 draws: median {median:.1f} ms,"
            f" best {min(runs) * 1000:.1f} ms (target 50 ms)"
        )


if __name__ == "__main__":
    main()
