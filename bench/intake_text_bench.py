"""Time the two text steps of intake: personal-data redaction and language.

Run: ``.venv/bin/python bench/intake_text_bench.py [--texts 10000]``. No
database. For each corpus (the demo generator's texts made distinct with a
reference, and the real review and complaint files in /work/shared/data when
present) it prints, per 10,000 distinct texts: the redaction time and how many
texts the phone matcher had to read; the language detection time and the
languages found. Also the detector's build time and the process's peak memory
before and after it. Texts are distinct so that neither step's memo helps
(an import of repeated texts reads each distinct text once).
"""

from __future__ import annotations

import argparse
import collections
import csv
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATA = Path("/work/shared/data")
REAL = {
    "clothing reviews": ("womens_clothing_ecommerce_reviews.csv", "Review Text"),
    "airline reviews": ("ba_airline_reviews.csv", "ReviewBody"),
    "CFPB complaints": ("cfpb_complaints_sample.csv", "Consumer complaint narrative"),
    "churn reasons": ("maven_telecom_customer_churn.csv", "Churn Reason"),
}


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def real_texts(name: str, column: str, n: int) -> list[str]:
    path = DATA / name
    if not path.is_file():
        return []
    csv.field_size_limit(1 << 30)
    texts: list[str] = []
    with path.open(encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            text = (row.get(column) or "").strip()
            if text:
                texts.append(text)
            if len(texts) >= n:
                break
    # Distinct, and n of them (repeated with a reference if the file is short).
    texts = list(dict.fromkeys(texts))
    return [f"{texts[i % len(texts)]} ({i})" for i in range(n)] if texts else []


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", type=int, default=10_000)
    args = parser.parse_args()
    n = args.texts

    from feedback.demo_generator import generate_feedback
    from feedback.intake import language, redaction

    demo = generate_feedback(n_items=n)["text"].tolist()
    corpora = {"demo (generated)": [f"{t} (ref {i})" for i, t in enumerate(demo)]}
    # Again, reversed: the first corpus's figure includes any lazy loading.
    corpora["demo, second pass"] = [f"(ref {i}) {t}" for i, t in enumerate(demo)]
    for label, (name, column) in REAL.items():
        texts = real_texts(name, column, n)
        if texts:
            corpora[label] = texts

    before = peak_mb()
    started = time.perf_counter()
    # The models load on the first detection: build, then detect once.
    language.detector().detect_language_of("warming the detector up")
    build = time.perf_counter() - started
    print(
        f"detector build + first detection {build:.2f} s; "
        f"peak memory {before:.0f} -> {peak_mb():.0f} MB"
    )

    scale = 10_000 / n
    for label, texts in corpora.items():
        chars = sum(map(len, texts)) / len(texts)
        matcher = sum(1 for t in texts if redaction._PHONE_LIKE.search(t))
        started = time.perf_counter()
        _, counts = redaction.redact_many(texts)
        redact_s = time.perf_counter() - started
        started = time.perf_counter()
        codes = language.languages_detect(texts)
        detect_s = time.perf_counter() - started
        top = collections.Counter(codes).most_common(4)
        print(
            f"{label:18s} {len(texts):,} texts, {chars:,.0f} chars avg | "
            f"redact {redact_s * scale:5.2f} s/10k ({matcher / len(texts):.1%} "
            f"to the phone matcher; {counts}) | language "
            f"{detect_s * scale:5.2f} s/10k {top}"
        )
    print(f"peak memory at the end {peak_mb():.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
