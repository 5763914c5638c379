"""Time the portfolio optimiser on 200 random initiatives over 4 years (t = 0..3).

Run: ``.venv/bin/python bench/portfolio_bench.py [--seeds N]``. Two shapes of
random data are timed, each exactly (no time limit); the target is under 1 s:
- "portfolio": a one-time cost at t = 0 plus recurring costs of up to 30% of it,
  and a value of cost x (ROI drawn from a log-normal around 40%), as proposals
  built with the ROI engine look;
- "uniform": every yearly cost uniform on [0, 100 000] (30% of them zero) and a
  value of total cost x U(0.5, 2), a weakly correlated knapsack that is known to
  be hard for exact solvers.
The budget is a quarter of what all candidates cost, year by year.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from initiatives.optimizer import Candidate, optimize  # noqa: E402

INITIATIVES = 200
YEARS = 4


def portfolio_case(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Costs (initiatives x years) and values shaped like real proposals."""
    one_time = rng.lognormal(np.log(50_000), 0.8, INITIATIVES)
    recurring = one_time * rng.uniform(0, 0.3, INITIATIVES)
    costs = np.column_stack([one_time] + [recurring] * (YEARS - 1))
    roi = rng.lognormal(np.log(0.4), 0.8, INITIATIVES) - 0.2
    return costs, costs.sum(axis=1) * roi


def uniform_case(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Uniform yearly costs and values loosely tied to them (the hard kind)."""
    costs = rng.uniform(0, 100_000, size=(INITIATIVES, YEARS))
    costs *= rng.random((INITIATIVES, YEARS)) < 0.7
    return costs, costs.sum(axis=1) * rng.uniform(0.5, 2.0, INITIATIVES)


SHAPES = {"portfolio": portfolio_case, "uniform": uniform_case}


def time_one(shape: str, seed: int) -> tuple[float, dict]:
    """Seconds to optimise one random case, and the answer."""
    costs, values = SHAPES[shape](np.random.default_rng(seed))
    candidates = [
        Candidate(id=i, costs=tuple(row), value=float(value))
        for i, (row, value) in enumerate(zip(costs, values, strict=True))
    ]
    budget = (costs.sum(axis=0) * 0.25).tolist()
    start = time.perf_counter()
    result = optimize(candidates, budget)
    return time.perf_counter() - start, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5, help="random cases per shape")
    args = parser.parse_args()
    optimize([Candidate(id=0, costs=(1.0,), value=1.0)], [1.0])  # warm the import
    for shape in SHAPES:
        times = []
        for seed in range(args.seeds):
            elapsed, result = time_one(shape, seed)
            times.append(elapsed)
            print(
                f"{shape:9} seed {seed}: {elapsed * 1000:7.1f} ms  "
                f"{result['status']}, {len(result['selected'])} selected, "
                f"binding years {result['binding_years']}"
            )
        median, worst = statistics.median(times) * 1000, max(times) * 1000
        print(
            f"{shape:9} {INITIATIVES} initiatives x {YEARS} years: "
            f"median {median:.0f} ms, worst {worst:.0f} ms"
        )


if __name__ == "__main__":
    main()
