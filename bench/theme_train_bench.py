"""Theme model training and prediction through the service, on PostgreSQL.

Run: ``.venv/bin/python bench/theme_train_bench.py [--items 100000] [--profile]``
with PostgreSQL answering on DATABASE_URL's server (default
postgres://postgres@127.0.0.1:5432). It (re)creates the database
``cxplan_bench_themes`` and stores N feedback items resampled from the CFPB
narratives of ``../shared/data`` (setup, not timed), creates the 10 most
frequent issues as themes with a lead's keywords, labels 20 items per theme
with ``labels_set`` and then times ``theme_model_train`` (what the analytics
task runs): read labels and pool, fit, then predict every unlabelled item and
store the model's assignments. Next to it, in the same run, the pure model on
the same texts (``train`` + ``predict`` with no database), so the service's
overhead shows. Target (issue 4): train + predict of 100,000 items under 20 s.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import bench_db  # noqa: E402
import theme_quality as tq  # noqa: E402

DB_NAME = "cxplan_bench_themes"
TARGET_SECONDS = 20.0


def store_items(texts: list[str]) -> list[int]:
    """Feedback items for the texts (setup: bulk_create, no sentiment)."""
    from datetime import UTC, datetime

    from feedback.models import FeedbackItem

    now = datetime(2026, 11, 1, tzinfo=UTC)
    ids: list[int] = []
    for start in range(0, len(texts), 10_000):
        made = FeedbackItem.objects.bulk_create(
            FeedbackItem(
                source="bench",
                external_id=str(start + i),
                text=text,
                created=now,
                polarity="negative",
            )
            for i, text in enumerate(texts[start : start + 10_000])
        )
        ids.extend(item.pk for item in made)
    return ids


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--themes", type=int, default=10)
    parser.add_argument("--per-theme", type=int, default=20)
    bench_db.database_url_argument(parser)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    if not tq.DATA.exists():
        print(f"skipped: {tq.DATA} not found (it lives in ../shared/data)")
        return 0
    bench_db.fresh_django(DB_NAME, args.database_url, debug=False)

    from django.contrib.auth import get_user_model
    from django.core.cache import cache

    from feedback.models import Theme
    from feedback.services.labels import labels_set
    from feedback.services.theme_model import QUEUED_KEY, theme_model_train
    from feedback.themes import model as theme_model

    texts, y, names = tq.load(tq.DATA, args.themes)
    rng = np.random.default_rng(0)
    picks = rng.integers(0, len(texts), args.items)
    big = [texts[i] for i in picks]
    started = time.perf_counter()
    ids = store_items(big)
    print(f"{len(ids):,} items stored in {time.perf_counter() - started:.1f} s (setup)")

    truth = y[picks]
    train = tq.sample_labels(truth, args.per_theme, 0)
    keywords = tq.lead_keywords([big[i] for i in train], [int(truth[i]) for i in train])
    theme_of = {
        issue: Theme.objects.create(
            name=f"Issue {issue}: {names[issue]}"[:100],
            keywords=list(keywords.get(issue, [])),
        ).pk
        for issue in sorted({int(truth[i]) for i in train})
    }
    lead, _ = get_user_model().objects.get_or_create(username="bench-lead")
    cache.add(QUEUED_KEY, 1, timeout=3600)  # eager mode: no training per label
    for issue, theme_pk in theme_of.items():
        chosen = [ids[i] for i in train if int(truth[i]) == issue]
        labels_set(item_ids=chosen, theme_ids=[theme_pk], user=lead)
    labelled = len(train)

    profiler = None
    if args.profile:
        from pyinstrument import Profiler

        profiler = Profiler()
        profiler.start()
    started = time.perf_counter()
    outcome = theme_model_train(seed=0)
    service = time.perf_counter() - started
    if profiler is not None:
        profiler.stop()
        print(profiler.output_text(unicode=False, color=False))
    assert outcome["status"] == "ready", outcome

    # The pure model on the same texts, pool and labels, in the same run.
    chosen_set = set(train.tolist())
    unlabelled = [big[i] for i in range(len(big)) if i not in chosen_set]
    started = time.perf_counter()
    result = theme_model.train(
        [big[i] for i in train],
        [[theme_of[int(truth[i])]] for i in train],
        keywords={pk: keywords.get(issue, []) for issue, pk in theme_of.items()},
        unlabelled=unlabelled[-20_000:],
        seed=0,
    )
    pure_train = time.perf_counter() - started
    started = time.perf_counter()
    theme_model.predict(result.model, unlabelled)
    pure_predict = time.perf_counter() - started

    total = service
    print(f"labelled {labelled}, unlabelled {len(unlabelled):,}")
    print(
        f"service  train {outcome['train_ms'] / 1000:6.2f} s  predict+store "
        f"{outcome['predict_ms'] / 1000:6.2f} s  total {total:6.2f} s  "
        f"({outcome['predicted']:,} assignments written)"
    )
    print(
        f"pure     train {pure_train:6.2f} s  predict       "
        f"{pure_predict:6.2f} s  total {pure_train + pure_predict:6.2f} s"
    )
    verdict = "met" if total < TARGET_SECONDS else "NOT met"
    print(f"target < {TARGET_SECONDS:.0f} s through the service: {verdict}")
    return 0 if total < TARGET_SECONDS else 1


if __name__ == "__main__":
    raise SystemExit(main())
