"""Drivers of a score, of NPS and of churn for a slice: read, estimate, cache.

The reads are one query per need, only the columns the models use: the
scored items, their active themes' assignments, and (churn) the customers with
an outcome and the themes each raised. On PostgreSQL they come back through
COPY as CSV into pandas (a million rows in well under a second). The answer is
cached per data version (ranking inputs version, newest item, customers'
newest change), so a second reader of the same slice costs one small query.
"""

from __future__ import annotations

import io
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime

import pandas as pd
from django.db import connection

from cxplan.core.caching import cached, content_key
from feedback.drivers.churn import churn_drivers
from feedback.drivers.nps import nps_drivers
from feedback.drivers.result import Drivers, finite, indicators
from feedback.drivers.score import SCALES, scaled, score_drivers
from feedback.models import Theme
from feedback.ranking.slices import ItemFilter

METRICS = ("score", "nps", "churn")
SCORE_TYPES = (*SCALES, "all")
TTL_SECONDS = 3600


@dataclass(frozen=True)
class DriversQuery:
    """One drivers question: a metric over a slice (None: no bound)."""

    metric: str
    segment: str | None = None
    channel: str | None = None
    start: date | None = None
    end: date | None = None
    score_type: str | None = None  # score only; None: the one used, else all

    def where(self, alias: str = "i") -> tuple[str, list]:
        """The slice as ` AND ...` SQL fragments (constant) and parameters."""
        fragment, params = ItemFilter(self.segment, self.channel).sql(alias)
        for op, day in ((">=", self.start), ("<", self.end)):
            if day is not None:
                day += timedelta(days=1) if op == "<" else timedelta(0)
                moment = datetime.combine(day, dtime.min, tzinfo=UTC)
                fragment += f" AND {alias}.created {op} %s"
                params.append(connection.ops.adapt_datetimefield_value(moment))
        return fragment, params


def _rows(sql: str, params: list, names: list[str]) -> pd.DataFrame:
    """The rows of `sql` as a DataFrame of `names` (COPY on PostgreSQL)."""
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return pd.DataFrame(cursor.fetchall(), columns=names)
    import psycopg

    query = psycopg.ClientCursor(connection.connection).mogrify(sql, params)
    buffer = io.BytesIO()
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY ({query}) TO STDOUT WITH (FORMAT csv)") as copy,
    ):
        for block in copy:
            buffer.write(block)
    if not buffer.tell():
        return pd.DataFrame(columns=names)
    buffer.seek(0)
    return pd.read_csv(buffer, header=None, names=names, keep_default_na=False)


SCORED = "i.score IS NOT NULL AND i.score_type <> ''"
# Constant SQL; the slice's values go in as parameters (reviewed for bandit).
ITEMS_SQL = f"""SELECT i.id, i.score, i.score_type, i.segment, i.channel
FROM feedback_feedbackitem i WHERE {SCORED}{{where}}"""  # nosec B608
# Every active theme's assignments, the slice's items picked out in pandas: at
# 1M items joining them to the items costs PostgreSQL 2 s, reading them 0.6 s.
ASSIGNED_SQL = """SELECT a.item_id, a.theme_id FROM feedback_themeassignment a
JOIN feedback_theme t ON t.id = a.theme_id AND t.is_active"""
# Churn: the slice's items said by a customer, and the customers with an
# outcome; grouped in pandas (GROUP BYs over the join cost PostgreSQL 5-8 s).
SAID_SQL = """SELECT i.id, i.customer_id, i.created,
       CASE WHEN i.polarity = 'negative' THEN 1 ELSE 0 END
FROM feedback_feedbackitem i WHERE i.customer_id IS NOT NULL{where}"""
OUTCOMES_SQL = """SELECT c.id, c.churned, c.churned_on, c.segment, c.annual_revenue
FROM feedback_customer c WHERE c.churned IS NOT NULL"""


def _read(sql: str, query: DriversQuery, names: list[str], kind: str | None = None):
    """The rows of `sql` for the slice (and one score type when `kind`)."""
    fragment, params = query.where()
    if kind:
        fragment, params = fragment + " AND i.score_type = %s", [*params, kind]
    return _rows(sql.replace("{where}", fragment), params, names)


def _score(query: DriversQuery, theme_ids: list[int]) -> tuple[Drivers, str]:
    kind = query.score_type
    extra = kind if kind and kind != "all" else None
    items = _read(
        ITEMS_SQL, query, ["id", "score", "score_type", "segment", "channel"], extra
    )
    pairs = _rows(ASSIGNED_SQL, [], ["item_id", "theme_id"])
    types = sorted(items["score_type"].unique())
    if kind is None:
        kind = types[0] if len(types) == 1 else "all"
    items["y"] = items["score"].astype(float) if kind != "all" else scaled(items)
    themes = indicators(items["id"].to_numpy(), pairs, theme_ids, "item_id")
    return score_drivers(items, themes, theme_ids), kind


def _nps(query: DriversQuery, theme_ids: list[int]) -> Drivers:
    extra = "nps"
    items = _read(
        ITEMS_SQL, query, ["id", "score", "score_type", "segment", "channel"], extra
    )
    pairs = _rows(ASSIGNED_SQL, [], ["item_id", "theme_id"])
    themes = indicators(items["id"].to_numpy(), pairs, theme_ids, "item_id")
    return nps_drivers(items["score"].to_numpy(dtype=float), themes, theme_ids)


def _truthy(values: pd.Series) -> pd.Series:
    return values.astype(str).str.lower().isin(["t", "true", "1"])


def _dates(values: pd.Series) -> pd.Series:
    """Text dates or datetimes (CSV or SQLite) as naive UTC midnights."""
    parsed = pd.to_datetime(values.replace("", None), utc=True, format="ISO8601")
    return parsed.dt.tz_localize(None).dt.normalize()


def _churn(query: DriversQuery, theme_ids: list[int]) -> Drivers:
    said = _read(SAID_SQL, query, ["item_id", "customer_id", "created", "negative"])
    names = ["customer_id", "churned", "churned_on", "segment", "revenue"]
    customers = _rows(OUTCOMES_SQL, [], names)
    pairs = _rows(ASSIGNED_SQL, [], ["item_id", "theme_id"])
    said = said[said["customer_id"].isin(customers["customer_id"])]
    said = said.assign(created=_dates(said["created"]))
    seen = said.groupby("customer_id")["created"].agg(["min", "max"])
    customers = customers.join(seen, on="customer_id", how="inner")
    customers = customers.rename(columns={"min": "first_seen", "max": "last_seen"})
    customers["churned"] = _truthy(customers["churned"])
    customers["churned_on"] = _dates(customers["churned_on"])
    customers["revenue"] = pd.to_numeric(customers["revenue"], errors="coerce")
    where = pd.Index(said["item_id"]).get_indexer(pairs["item_id"])
    pairs, where = pairs[where >= 0], where[where >= 0]
    raised = pd.DataFrame(
        {
            "customer_id": said["customer_id"].to_numpy()[where],
            "theme_id": pairs["theme_id"].to_numpy(),
            "negative": said["negative"].to_numpy().astype(int)[where] > 0,
        }
    )
    raised = raised.groupby(["customer_id", "theme_id"], as_index=False)["negative"]
    raised = raised.max()
    stamps = pd.concat([customers["churned_on"], customers["last_seen"]]).dropna()
    as_of = stamps.max() if len(stamps) else pd.Timestamp.now().normalize()
    return churn_drivers(customers, raised, theme_ids, as_of=as_of)


def data_version() -> str:
    """What the drivers read, as a cache-key part: one query."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT inputs_version FROM feedback_rankingstate ORDER BY id "
            "LIMIT 1), (SELECT requested_at FROM feedback_rankingstate ORDER BY id "
            "LIMIT 1), (SELECT MAX(id) FROM feedback_feedbackitem), "
            "(SELECT MAX(updated_at) FROM feedback_customer), "
            "(SELECT COUNT(*) FROM feedback_customer), "
            "(SELECT MAX(updated_at) FROM feedback_theme)"
        )
        return "|".join(str(v) for v in cursor.fetchone())


def _answer(query: DriversQuery) -> dict:
    names = dict(Theme.objects.filter(is_active=True).values_list("id", "name"))
    theme_ids = sorted(names)
    out: dict = {"metric": query.metric}
    if query.metric == "score":
        result, kind = _score(query, theme_ids)
        out["score_type"] = kind
    elif query.metric == "nps":
        result = _nps(query, theme_ids)
    else:
        result = _churn(query, theme_ids)
    out.update(n=result.n, method=result.method, drivers=[])
    for d in result.drivers:
        row = {
            "theme": d.theme,
            "name": names.get(d.theme, ""),
            "impact": finite(d.impact),
            "ci": [finite(v) for v in d.ci] if d.ci else None,
            "items": d.items,
            "significant": d.significant,
        }
        row.update(
            {k: finite(v) if isinstance(v, float) else v for k, v in d.extra.items()}
        )
        out["drivers"].append(row)
    return out


def drivers_get(query: DriversQuery) -> dict:
    """The drivers answer of `query` (the API's shape), cached per data version.

    Revenue fields are in it: the caller withholds them from roles that may
    not see revenue."""
    key = content_key("cxplan:drivers", f"{data_version()}|{asdict(query)!r}")
    return cached(key, lambda: _answer(query), TTL_SECONDS)


def drivers_warm() -> int:
    """Compute the unsliced answer of every metric into the cache (the worker
    runs it after a ranking recompute, so the page's first reader after new
    data gets a cached answer); how many metrics were computed."""
    for metric in METRICS:
        drivers_get(DriversQuery(metric=metric))
    return len(METRICS)
