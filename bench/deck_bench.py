"""Deck build time per format on the demo data.

Usage: .venv/bin/python bench/deck_bench.py [--rounds N] [--keep DIR]

Runs in a throwaway SQLite database and media folder (never your own data):
migrates, loads `seed_demo`, computes the ranking, adds a few costed initiatives
and funding sources when the demo has none, then builds the deck N times per
format and prints the median seconds. Targets (issue 10): HTML under 10 s, all
three formats together under 30 s.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CASES = (
    (
        "Refund tracker in the app",
        "Slow refunds",
        [60000, 12000, 12000, 12000],
        [0, 90000, 110000, 120000],
    ),
    (
        "Call-back instead of holding",
        "Long waits on the phone",
        [45000, 20000, 20000, 20000],
        [0, 70000, 80000, 85000],
    ),
    (
        "Text-message reset codes",
        "App log-in problems",
        [30000, 5000, 5000, 5000],
        [0, 40000, 60000, 60000],
    ),
    (
        "First-bill explainer",
        "Billing errors",
        [15000, 2000, 2000, 2000],
        [0, 20000, 25000, 25000],
    ),
)


def setup(tmp: Path) -> None:
    os.environ.update(
        DJANGO_SETTINGS_MODULE="cxplan.settings_test",
        DATABASE_URL=f"sqlite:///{tmp / 'bench.sqlite3'}",
        MEDIA_ROOT=str(tmp / "media"),
        REDIS_URL="",
    )
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, skip_checks=True)
    call_command("seed_demo", password="bench-only-pass", skip_checks=True)
    from feedback.services.ranking import ranking_recompute

    ranking_recompute(force=True)
    ensure_cases()


def ensure_cases() -> None:
    """Costed initiatives and funding for the demo when it has none yet."""
    from feedback.models import Theme
    from initiatives.models import FundingAmount, FundingSource, Initiative
    from roi.engine import evaluate
    from roi.montecarlo import simulate_explicit

    if Initiative.objects.exclude(npv=None).exists():
        return
    for index, (title, theme_name, costs, benefits) in enumerate(CASES):
        result = evaluate(costs, benefits, rate=0.1, benefit_risk=0.15, cost_risk=0.1)
        ranges = [[0.8 * b, b, 1.2 * b] for b in benefits]
        result["montecarlo"] = simulate_explicit(
            costs, ranges, rate=0.1, benefit_risk=0.15, cost_risk=0.1, seed=index
        )
        risk = result["risk_adjusted"]
        initiative = Initiative.objects.create(
            title=title,
            status="approved" if index == 0 else "proposed",
            result=result,
            npv=risk["npv"],
            roi=risk["roi"],
            payback_months=risk["payback_months"],
            pv_costs=risk["pv_costs"],
            evidence_customers=40 * (index + 1),
        )
        initiative.themes.set(Theme.objects.filter(name=theme_name))
    source = FundingSource.objects.create(name="CX budget 2027", kind="budget")
    for year, amount in enumerate((120000, 40000, 40000, 40000)):
        FundingAmount.objects.create(source=source, year=year, amount=amount)


def bench(rounds: int, keep: Path | None) -> dict[str, float]:
    from deck import services
    from deck.exporters import FORMATS

    medians = {}
    for label, formats in [*((f, [f]) for f in FORMATS), ("all three", list(FORMATS))]:
        times = []
        for _ in range(rounds):
            started = time.perf_counter()
            deck = services.deck_request(user=None, formats=formats, enqueue=False)
            deck = services.deck_build(deck_id=deck.pk)
            times.append(time.perf_counter() - started)
            if deck.status != "done" or deck.error:
                print(f"{label}: {deck.status} {deck.error}")
        medians[label] = statistics.median(times)
        print(f"{label:>9}: median {medians[label]:.2f} s over {rounds} builds")
    if keep:
        keep.mkdir(parents=True, exist_ok=True)
        for fmt in FORMATS:
            with getattr(deck, fmt).open("rb") as src:
                (keep / f"deck.{fmt}").write_bytes(src.read())
        print(f"files of the last build in {keep}")
    return medians


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="copy the last deck's files here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="deck-bench-") as tmp:
        started = time.perf_counter()
        setup(Path(tmp))
        print(f"demo data ready in {time.perf_counter() - started:.1f} s")
        medians = bench(args.rounds, args.keep)
    ok = medians["html"] < 10 and medians["all three"] < 30
    print("targets (HTML < 10 s, all three < 30 s):", "met" if ok else "MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
