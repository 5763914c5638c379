"""Theme model against the plain TF-IDF + logistic regression baseline on real
data of several domains, 20 labels a theme (prints markdown; not a test).

Run: `.venv/bin/python bench/theme_domains.py [--seeds 3] [--cap 600]`.

Each data set is a real public export in `../shared/data/` with a ground-truth
label column (skipped with a message when absent): CFPB complaints (finance;
`Issue`, 10 most frequent), women's clothing reviews (retail; `Class Name`, 8
most frequent, and `Department Name`, 5) and the Maven telecom churn reasons
(`Churn Category` from the `Churn Reason` text, 5). At most `--cap` items of a
label are kept (seeded), so each set runs in seconds. The simulation is
`theme_quality.evaluate`: a CX lead labels 20 random items a theme, every other
item is the unlabelled pool and the test set; the figure is the macro-F1 of the
top theme, mean over the seeds, for the baseline and the model, and their ratio.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
for folder in (ROOT, ROOT / "bench"):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

import theme_quality as tq  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
SETS = {
    "CFPB complaints / Issue": (
        "cfpb_complaints_sample.csv",
        "Consumer complaint narrative",
        "Issue",
        10,
    ),
    "clothing reviews / Class Name": (
        "womens_clothing_ecommerce_reviews.csv",
        "Review Text",
        "Class Name",
        8,
    ),
    "clothing reviews / Department Name": (
        "womens_clothing_ecommerce_reviews.csv",
        "Review Text",
        "Department Name",
        5,
    ),
    "telecom churn reasons / Churn Category": (
        "maven_telecom_customer_churn.csv",
        "Churn Reason",
        "Churn Category",
        5,
    ),
}


def load(path: Path, text: str, label: str, n: int, cap: int):
    """Texts and label ids of the `n` most frequent labels, `cap` items each."""
    import pandas as pd

    frame = pd.read_csv(path, usecols=[text, label]).dropna(subset=[label])
    frame[text] = frame[text].fillna("").astype(str).str.strip()
    frame = frame[frame[text] != ""]
    top = frame[label].value_counts().index[:n].tolist()
    frame = frame[frame[label].isin(top)].sample(frac=1.0, random_state=0)
    frame = frame[frame.groupby(label).cumcount() < cap]
    ids = frame[label].map({name: i for i, name in enumerate(top)}).to_numpy()
    return frame[text].tolist(), ids


def run(*, seeds: int, cap: int, per_theme: int = 20) -> int:
    print(f"## Theme model by domain: {per_theme} labels a theme, {seeds} seeds\n")
    print("| data set | items | baseline macro-F1 | model macro-F1 | ratio | s |")
    print("|---|---|---|---|---|---|")
    ratios = []
    for name, (file, text, label, n) in SETS.items():
        path = DATA / file
        if not path.exists():
            print(f"| {name} | skipped: {path} not found | | | | |")
            continue
        texts, y = load(path, text, label, n, cap)
        common = {"seeds": list(range(seeds)), "per_theme": per_theme}
        started = time.perf_counter()
        base = np.mean(tq.evaluate(texts, y, tq.baseline_hook, **common)["f1"])
        ours = np.mean(tq.evaluate(texts, y, tq.pure_hook, **common)["f1"])
        ratios.append(ours / base)
        print(
            f"| {name} | {len(texts):,} | {base:.3f} | {ours:.3f} | "
            f"{ours / base:.2f} | {time.perf_counter() - started:.0f} |",
            flush=True,
        )
    if ratios:
        print(f"\nSmallest ratio {min(ratios):.2f}, mean {np.mean(ratios):.2f}.")
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--cap", type=int, default=600)
    args = parser.parse_args(argv)
    return run(seeds=args.seeds, cap=args.cap)


if __name__ == "__main__":
    raise SystemExit(main())
