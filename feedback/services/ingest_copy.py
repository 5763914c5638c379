"""PostgreSQL fast path of `feedback_rows_ingest`: COPY, then one upsert.

Customers go first, in one `INSERT ... SELECT FROM unnest(arrays) ON CONFLICT`
(`customers_upsert_sql`), with the same rules as the ORM path.

The rows go, as CSV written by pandas, through `COPY` into a session temporary
staging table (emptied on commit), then one
`INSERT ... SELECT ... ON CONFLICT (source, external_id) DO UPDATE ... RETURNING`
writes them all, in the caller's transaction. No model instances are built, so
100,000 rows cost about what COPY costs plus the index updates.
"""

import csv
import io
import json
from decimal import Decimal

import numpy as np
import pandas as pd
from django.db import connection
from django.utils import timezone

from feedback.services.languages import themable_languages

STAGE = "feedback_ingest_stage"
COLUMNS = (
    "ord",
    "source",
    "external_id",
    "text",
    "created",
    "channel",
    "score",
    "score_type",
    "customer_id",
    "segment",
    "sentiment",
    "polarity",
    "extra",
    "language",
)
CREATE_STAGE = f"""
CREATE TEMP TABLE IF NOT EXISTS {STAGE} (
    ord bigint, source text, external_id text, text text, created timestamptz,
    channel text, score double precision, score_type text, customer_id bigint,
    segment text, sentiment double precision, polarity text, extra text,
    language text
) ON COMMIT DELETE ROWS
"""
UPSERT = f"""
INSERT INTO feedback_feedbackitem (
    source, external_id, text, created, channel, score, score_type, customer_id,
    segment, sentiment, polarity, extra, language, batch_id, created_by_id,
    inserted_at, updated_at
)
SELECT COALESCE(source, ''), NULLIF(external_id, ''), text, created,
       COALESCE(NULLIF(channel, ''), 'other'), score, COALESCE(score_type, ''),
       customer_id, COALESCE(segment, ''), sentiment, polarity,
       COALESCE(NULLIF(extra, ''), '{{}}')::jsonb, COALESCE(language, ''),
       %(batch)s, %(user)s, %(now)s, %(now)s
FROM {STAGE}
ORDER BY ord
ON CONFLICT (source, external_id) DO UPDATE SET
    text = EXCLUDED.text, created = EXCLUDED.created, channel = EXCLUDED.channel,
    score = EXCLUDED.score, score_type = EXCLUDED.score_type,
    customer_id = EXCLUDED.customer_id, segment = EXCLUDED.segment,
    sentiment = EXCLUDED.sentiment, polarity = EXCLUDED.polarity,
    extra = EXCLUDED.extra, language = EXCLUDED.language,
    batch_id = EXCLUDED.batch_id,
    updated_at = EXCLUDED.updated_at
RETURNING id, (xmax = 0) AS inserted, text, language
"""


CUSTOMERS_UPSERT = """
INSERT INTO feedback_customer AS c (
    external_id, name, segment, annual_revenue, created_at, updated_at
)
SELECT s.external_id, s.name, s.segment, s.revenue::numeric, %(now)s, %(now)s
FROM unnest(%(ids)s::text[], %(names)s::text[], %(segments)s::text[],
            %(revenues)s::text[]) AS s (external_id, name, segment, revenue)
ON CONFLICT (external_id) DO UPDATE SET
    name = COALESCE(NULLIF(EXCLUDED.name, ''), c.name),
    segment = COALESCE(NULLIF(EXCLUDED.segment, ''), c.segment),
    annual_revenue = COALESCE(EXCLUDED.annual_revenue, c.annual_revenue)
WHERE (EXCLUDED.name <> '' AND EXCLUDED.name IS DISTINCT FROM c.name)
   OR (EXCLUDED.segment <> '' AND EXCLUDED.segment IS DISTINCT FROM c.segment)
   OR (EXCLUDED.annual_revenue IS NOT NULL
       AND EXCLUDED.annual_revenue IS DISTINCT FROM c.annual_revenue)
"""
CUSTOMERS_STORED = """
SELECT external_id, id, name, segment, annual_revenue
FROM feedback_customer WHERE external_id = ANY(%s::text[])
"""


def _revenue_text(value) -> str | None:
    # Same rounding as the ORM path: Decimal(str(round(float(value), 2))).
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    if np.isnan(number):
        return None
    return str(round(number, 2))


def customers_upsert_sql(*, latest: pd.DataFrame) -> dict[str, int]:
    """Upsert one row per customer (the newest); return external id -> pk.

    Same semantics as the ORM path of `customers_upsert`: new customers are
    created; for known ones a non-empty name, segment or revenue replaces the
    stored value, an empty one never erases it, and unchanged rows are not
    rewritten (no dead tuples on a re-import).
    """
    ids = latest["customer_id"].astype(str).str.strip().tolist()
    names = _text(latest, "customer_name").tolist()
    segments = _text(latest, "segment").tolist()
    revenues = (
        [_revenue_text(v) for v in latest["annual_revenue"].tolist()]
        if "annual_revenue" in latest
        else [None] * len(ids)
    )
    # " C1" and "C1" are one customer: keep the newest row per stripped id.
    keep = {ext: i for i, ext in enumerate(ids)}
    if len(keep) < len(ids):
        order = sorted(keep.values())
        ids, names, segments, revenues = (
            [column[i] for i in order] for column in (ids, names, segments, revenues)
        )
    with connection.cursor() as cursor:
        # Read first: most rows of a large file name customers already stored
        # and unchanged, and a plain read neither locks nor rewrites them (an
        # ON CONFLICT that updates nothing still locks the row).
        cursor.execute(CUSTOMERS_STORED, [ids])
        stored = {row[0]: row[1:] for row in cursor.fetchall()}
        pks = {ext: row[0] for ext, row in stored.items()}
        todo = [
            i
            for i, ext in enumerate(ids)
            if ext not in stored
            or _changes(stored[ext][1:], names[i], segments[i], revenues[i])
        ]
        if todo:
            cursor.execute(
                CUSTOMERS_UPSERT,
                {
                    "ids": [ids[i] for i in todo],
                    "names": [names[i] for i in todo],
                    "segments": [segments[i] for i in todo],
                    "revenues": [revenues[i] for i in todo],
                    "now": timezone.now(),
                },
            )
            missing = [ids[i] for i in todo if ids[i] not in pks]
            if missing:
                cursor.execute(CUSTOMERS_STORED, [missing])
                pks.update((row[0], row[1]) for row in cursor.fetchall())
        return pks


def _changes(stored: tuple, name: str, segment: str, revenue: str | None) -> bool:
    """Would this row change the stored (name, segment, revenue)?"""
    old_name, old_segment, old_revenue = stored
    if name and name != old_name:
        return True
    if segment and segment != old_segment:
        return True
    return revenue is not None and (
        old_revenue is None or Decimal(revenue) != Decimal(old_revenue)
    )


def _text(rows: pd.DataFrame, name: str, default: str = "") -> pd.Series:
    if name not in rows:
        return pd.Series([default] * len(rows), index=rows.index, dtype=object)
    return rows[name].fillna(default).astype(str).str.strip()


def items_upsert_copy(
    *,
    rows: pd.DataFrame,
    customer_pks: dict[str, int],
    compounds: np.ndarray,
    polarities: np.ndarray,
    languages: list[str],
    batch_id: int | None,
    user_id: int | None,
    default_source: str,
    now,
) -> tuple[int, int, list[int], dict[int, str]]:
    """Upsert validated rows.

    Returns (created, updated, the written item ids, {new item id: text}); the
    texts of new items (those in the theme model's language) let the keyword
    rules skip reading them back.
    """
    source = _text(rows, "source")
    source = source.where(source != "", default_source)
    created = pd.to_datetime(rows["created"], utc=True)
    extra = (
        rows["extra"].map(lambda e: json.dumps(e) if isinstance(e, dict) and e else "")
        if "extra" in rows
        else ""
    )
    customer = np.array(
        [customer_pks.get(c) for c in _text(rows, "customer_id")], dtype=object
    )
    stage = pd.DataFrame(
        {
            "ord": np.arange(len(rows)),
            "source": source.to_numpy(),
            "external_id": _text(rows, "external_id").to_numpy(),
            "text": rows["text"].astype(str).to_numpy(),
            "created": created.dt.strftime("%Y-%m-%d %H:%M:%S.%f+00").to_numpy(),
            "channel": _text(rows, "channel", "other").to_numpy(),
            "score": (
                pd.to_numeric(rows["score"], errors="coerce").to_numpy(dtype="float64")
                if "score" in rows
                else np.nan
            ),
            "score_type": _text(rows, "score_type").to_numpy(),
            "customer_id": customer,
            "segment": _text(rows, "segment").to_numpy(),
            "sentiment": np.asarray(compounds, dtype="float64"),
            "polarity": np.asarray(polarities, dtype=object),
            "extra": np.asarray(extra, dtype=object)
            if not isinstance(extra, str)
            else extra,
            "language": np.asarray(languages, dtype=object),
        },
        columns=list(COLUMNS),
    )
    buffer = io.StringIO()
    # Quote every string, so a text that reads `\.` cannot end the COPY early.
    stage.to_csv(buffer, index=False, header=False, quoting=csv.QUOTE_NONNUMERIC)
    with connection.cursor() as cursor:
        cursor.execute(CREATE_STAGE)
        cursor.execute(f"TRUNCATE {STAGE}")
        raw = cursor.cursor  # the psycopg cursor: COPY needs it
        with raw.copy(
            f"COPY {STAGE} ({', '.join(COLUMNS)}) FROM STDIN "
            "WITH (FORMAT csv, FORCE_NULL (score, customer_id, external_id))"
        ) as copy:
            copy.write(buffer.getvalue())
        cursor.execute(UPSERT, {"batch": batch_id, "user": user_id, "now": now})
        returned = cursor.fetchall()
        cursor.execute(f"TRUNCATE {STAGE}")
    ids = [row[0] for row in returned]
    created = sum(1 for row in returned if row[1])
    # The keyword rules read only the texts in the theme model's language.
    themable = set(themable_languages())
    new_items = {row[0]: row[2] for row in returned if row[1] and row[3] in themable}
    return created, len(returned) - created, ids, new_items


# PostgreSQL plans from table statistics that only ANALYZE (or autovacuum, when
# it is on and gets round to it) refreshes. After a bulk import they still
# describe the old table: at 1M items, the ranking that runs straight after an
# import planned for 6 rows where 82,000 came and took 0.45 s for a query of
# 0.1 s. Large writes refresh them before their transaction commits (ANALYZE
# counts the transaction's own new rows), so the on-commit ranking plans right.
ANALYZE_MIN_ROWS = 10_000
ANALYZED_TABLES = (
    "feedback_feedbackitem",
    "feedback_themeassignment",
    "feedback_customer",
)


def statistics_refresh(*, rows_written: int) -> bool:
    """ANALYZE the feedback tables after a large write (PostgreSQL only)."""
    if connection.vendor != "postgresql" or rows_written < ANALYZE_MIN_ROWS:
        return False
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {', '.join(ANALYZED_TABLES)}")
    return True
