"""Time a feedback CSV import through the real path, next to a raw COPY.

Run: ``.venv/bin/python bench/import_bench.py --rows 100000`` with PostgreSQL
answering on DATABASE_URL's server (default postgres://postgres@127.0.0.1:5432).
It (re)creates the database ``cxplan_bench_import``, writes N generated rows
(`feedback.demo_generator`) to a CSV, then prints rows/s for:
- parse+validate: `read_table` + `column_plan` + `validate_frame`;
- sentiment: VADER on every text plus the score rule;
- import: `import_batch_create` + `import_batch_run` (what the task does), and
  the write share of it (import minus parse+validate and sentiment);
- the database write alone: the item upsert (COPY into staging + one
  INSERT ... ON CONFLICT) and the customer upsert, timed around those calls;
- two raw references in the same run: COPY of the file into an unlogged text
  table (no types, indexes or constraints), and COPY of the same imported rows
  into a table created LIKE the items table INCLUDING ALL (same columns,
  indexes, checks; no foreign keys).
The demo themes (with their keyword rules) exist first, so the rules run as in
the product. The generated texts repeat: the distinct count is printed, since
sentiment and rules work once per distinct text.
Targets (issue 3): 100,000 rows end to end under 10 s; the write within 2x COPY.
The database is left holding the imported rows (the demo generator's data at
scale): `make bench` runs the 1M ranking and load benches on copies of it.
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
import time
from pathlib import Path
from unittest import mock

import bench_db

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB_NAME = "cxplan_bench_import"


def rate(rows: int, seconds: float) -> str:
    return f"{seconds:7.2f} s  {rows / max(seconds, 1e-9):>10,.0f} rows/s"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    bench_db.database_url_argument(parser)
    parser.add_argument(
        "--profile", action="store_true", help="print a pyinstrument profile"
    )
    parser.add_argument(
        "--unique-texts",
        action="store_true",
        help="make every text distinct (a reference number is appended), the "
        "worst case for sentiment and rules",
    )
    args = parser.parse_args()
    bench_db.fresh_django(DB_NAME, args.database_url)

    from django.db import connection

    from cxplan import demo
    from feedback import sentiment as vader
    from feedback.demo_generator import write_csv
    from feedback.intake.columns import column_plan
    from feedback.intake.reading import read_table
    from feedback.intake.validation import validate_frame
    from feedback.services import imports, ingest_copy
    from feedback.services.ingest import score_sentiment

    demo.themes_ensure()
    # What a worker has loaded after its first task.
    import feedback.services.themes  # noqa: F401

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.csv"
        n = write_csv(path, n_items=args.rows, n_customers=max(1, args.rows // 20))
        data = path.read_bytes()
        import pandas as pd

        if args.unique_texts:
            frame = pd.read_csv(path, dtype=str, keep_default_na=False)
            frame["text"] = frame["text"] + " (ref " + frame.index.astype(str) + ")"
            frame.to_csv(path, index=False)
            data = path.read_bytes()
        distinct = pd.read_csv(path, usecols=["text"])["text"].nunique()
        print(
            f"{n:,} rows ({distinct:,} distinct texts), {len(data) / 1_048_576:.1f} MB"
        )

        started = time.perf_counter()
        table = read_table(data)
        plan = column_plan(list(table.frame.columns), {})
        result = validate_frame(
            table.frame, plan, lines=table.lines, default_source="bench"
        )
        parse = time.perf_counter() - started
        assert not result.errors, result.errors[:5]

        started = time.perf_counter()
        score_sentiment(result.rows)
        sentiment = time.perf_counter() - started

        # The import scores its own texts: forget the scores measured above.
        vader._SEEN.clear()
        started = time.perf_counter()
        # check_size=False: a 1M-row file is over the upload cap; the import
        # command takes that path. The commit's ranking task (eager here, a
        # Redis push in production) is left out: ranking_bench times it.
        batch = imports.import_batch_create(
            file=data,
            source="bench",
            original_name="bench.csv",
            enqueue=False,
            check_size=False,
        )
        profiler = None
        if args.profile:
            from pyinstrument import Profiler

            profiler = Profiler()
            profiler.start()
        db_write = [0.0]

        def timed(function):
            def run(*args, **kwargs):
                begun = time.perf_counter()
                try:
                    return function(*args, **kwargs)
                finally:
                    db_write[0] += time.perf_counter() - begun

            return run

        with (
            mock.patch("feedback.services.ranking_state._enqueue_debounced"),
            mock.patch.object(
                ingest_copy,
                "items_upsert_copy",
                timed(ingest_copy.items_upsert_copy),
            ),
            mock.patch.object(
                ingest_copy,
                "customers_upsert_sql",
                timed(ingest_copy.customers_upsert_sql),
            ),
        ):
            summary = imports.import_batch_run(batch_id=batch.pk)
        total = time.perf_counter() - started
        if profiler is not None:
            profiler.stop()
            print(profiler.output_text(unicode=False, color=False))
        assert summary["status"] == "done", summary
        write = max(total - parse - sentiment, 0.0)

        columns = ", ".join(f'"{c}" text' for c in table.frame.columns)
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE UNLOGGED TABLE bench_raw ({columns})")
            with (
                open(path, "rb") as fh,
                cursor.connection.cursor().copy(
                    "COPY bench_raw FROM STDIN WITH (FORMAT csv, HEADER true)"
                ) as copy,
            ):
                while chunk := fh.read(1 << 20):
                    copy.write(chunk)
        raw_copy = time.perf_counter() - started

        # The same rows, as stored, into a table with the items' own schema.
        with connection.cursor() as cursor:
            cursor.execute(
                "CREATE TABLE bench_like (LIKE feedback_feedbackitem INCLUDING ALL)"
            )
            dump = io.BytesIO()
            with cursor.connection.cursor().copy(
                "COPY feedback_feedbackitem TO STDOUT"
            ) as copy:
                for block in copy:
                    dump.write(block)
            started = time.perf_counter()
            with cursor.connection.cursor().copy("COPY bench_like FROM STDIN") as copy:
                copy.write(dump.getvalue())
            like_copy = time.perf_counter() - started
            # Leave the product's tables only: the 1M load and ranking benches
            # start from a copy of this database.
            cursor.execute("DROP TABLE bench_raw, bench_like")

    print(f"parse+validate  {rate(n, parse)}")
    print(f"sentiment       {rate(n, sentiment)}")
    print(f"write (derived) {rate(n, write)}")
    print(f"import, total   {rate(n, total)}")
    print(f"  of which DB   {rate(n, db_write[0])}  (item + customer upserts)")
    print(f"raw COPY, text  {rate(n, raw_copy)}  (unlogged, no indexes)")
    print(f"raw COPY, LIKE  {rate(n, like_copy)}  (items schema and indexes)")
    print(f"DB write / COPY text {db_write[0] / max(raw_copy, 1e-9):6.1f}x")
    print(f"DB write / COPY LIKE {db_write[0] / max(like_copy, 1e-9):6.1f}x")
    # Issue 3: 100,000 rows under 10 s, the write within 2x COPY; issue 12:
    # 1,000,000 rows under 120 s. Other sizes are printed without a verdict.
    targets = {100_000: 10.0, 1_000_000: 120.0}
    if n not in targets:
        return 0
    met = total < targets[n]
    if n == 100_000:
        met = met and db_write[0] <= 2 * like_copy
    print(f"target (< {targets[n]:.0f} s end to end):", "met" if met else "MISSED")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
