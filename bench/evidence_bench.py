"""Time the evidence check by meaning (issue 20.6) on the demo generator's items.

Run: ``.venv/bin/python bench/evidence_bench.py --items 100000`` with PostgreSQL
answering on DATABASE_URL's server (default postgres://postgres@127.0.0.1:5432).
It (re)creates the database ``cxplan_bench_evidence``, fills it with
``generate_feedback(n_items)`` (bulk inserts), VACUUMs and ANALYZEs, then prints:
- learn: the background task that learns the related words and the stem index
  (once per version of the feedback);
- for each phrase, the matches of the old exact-phrase search (ILIKE) and of
  the new one by kind, and the new search's median time, warm (words and index
  learned) and with stems only (none learned yet: the database's ILIKE way);
- the related terms "customer forum" used.
Target: well under 1 s warm at 100k items.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB_NAME = "cxplan_bench_evidence"
PHRASES = (
    "customer forum",
    "forum",
    "refund",
    "slow refunds",
    "app log in problem",
    "charged twice",
    "engineer appointment",
)


def setup(database_url: str, *, reuse: bool) -> None:
    import psycopg

    admin = database_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not reuse:
            conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME}")
            conn.execute(f"CREATE DATABASE {DB_NAME}")
    os.environ["DATABASE_URL"] = database_url.rsplit("/", 1)[0] + f"/{DB_NAME}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cxplan.settings")
    os.environ.setdefault("DEBUG", "1")
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def fill(items: int) -> float:
    import pandas as pd
    from django.db import connection

    from feedback.demo_generator import generate_feedback
    from feedback.models import Customer, FeedbackItem

    started = time.perf_counter()
    frame = generate_feedback(n_items=items, n_customers=max(items // 2, 10))
    known = frame[frame["customer_id"] != ""].drop_duplicates("customer_id")
    Customer.objects.bulk_create(
        [
            Customer(external_id=row.customer_id, name=row.customer_name)
            for row in known.itertuples()
        ],
        batch_size=5000,
    )
    ids = dict(Customer.objects.values_list("external_id", "id"))
    created = pd.to_datetime(frame["created"], utc=True)
    FeedbackItem.objects.bulk_create(
        [
            FeedbackItem(
                source="bench",
                external_id=row.external_id,
                text=row.text,
                created=when,
                channel=row.channel,
                customer_id=ids.get(row.customer_id),
                polarity="negative" if i % 3 else "positive",
                sentiment=-0.5 if i % 3 else 0.5,
            )
            for i, (row, when) in enumerate(
                zip(frame.itertuples(), created, strict=True)
            )
        ],
        batch_size=5000,
    )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE) feedback_feedbackitem, feedback_customer")
    return time.perf_counter() - started


def timed(fn, repeat: int) -> tuple[float, object]:
    runs, value = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        value = fn()
        runs.append(time.perf_counter() - started)
    return statistics.median(runs), value


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/x"),
    )
    parser.add_argument(
        "--reuse", action="store_true", help="time the database the last run filled"
    )
    args = parser.parse_args()
    setup(args.database_url, reuse=args.reuse)
    if not args.reuse:
        print(f"fill {args.items:,} demo items: {fill(args.items):.1f} s")

    from feedback.models import FeedbackItem
    from feedback.selectors import evidence as meaning
    from feedback.services import evidence_words

    version_s, _ = timed(evidence_words.corpus_version, args.repeat)
    print(f"corpus version query   {version_s * 1000:8.1f} ms")
    evidence_words.evidence_words_forget()
    learn_s, learned = timed(evidence_words.evidence_words_learn, 1)
    print(
        f"learn words and index  {learn_s * 1000:8.0f} ms  "
        f"({learned['items']:,} items, {learned['stems']:,} stems)"
    )
    header = f"{'phrase':22} {'before':>6} {'after':>6} {'exact':>6} {'stem':>6}"
    print(header + f" {'related':>7} {'warm ms':>8} {'stems-only ms':>13}")
    for phrase in PHRASES:
        # Before issue 20.6: the items whose text holds the phrase (ILIKE).
        before = FeedbackItem.objects.filter(text__icontains=phrase).count()
        warm, body = timed(
            lambda p=phrase: meaning.evidence_search(phrase=p), args.repeat
        )
        assert body["words"]["state"] == "ready", body["words"]
        # Stems only: no words learned yet, the database's way.
        cached, asked = evidence_words._cached, evidence_words._request_learning
        evidence_words._cached = lambda: None
        evidence_words._request_learning = lambda: None
        try:
            stems_s, plain = timed(
                lambda p=phrase: meaning.evidence_search(phrase=p), args.repeat
            )
        finally:
            evidence_words._cached, evidence_words._request_learning = cached, asked
        assert plain["words"]["state"] == "learning"
        kinds = body["matches"]
        print(
            f"{phrase:22} {before:6,} {body['items']:6,} {kinds['exact']:6,} "
            f"{kinds['stem']:6,} {kinds['related']:7,} {warm * 1000:8.0f} "
            f"{stems_s * 1000:13.0f}"
        )
        if phrase == "customer forum":
            related = ", ".join(
                f"{t['term']} {t['similarity']:.2f}" for t in body["related_terms"]
            )
            forum_body = body
    print(f"customer forum: related terms {related}")
    print(f"customer forum: {forum_body['method']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
