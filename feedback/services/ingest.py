"""Write validated feedback rows: upsert customers, score sentiment, upsert items.

The one write path behind the CSV import, the JSON API, the web form and the demo
seed. Rows arrive already validated (see `feedback.intake.validation`).
"""

from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np
import pandas as pd
from django.db import connection, transaction
from django.utils import timezone

from feedback import sentiment
from feedback.models import Customer, FeedbackItem, ImportBatch
from feedback.services.languages import items_languages

ITEM_UPDATE_FIELDS = [
    "text",
    "created",
    "channel",
    "score",
    "score_type",
    "customer",
    "segment",
    "sentiment",
    "polarity",
    "extra",
    "language",
    "batch",
    "updated_at",
]


@dataclass
class IngestResult:
    created: int = 0
    updated: int = 0
    item_ids: list[int] = field(default_factory=list)
    # PostgreSQL path: {id: text} of the items this call created.
    new_items: dict[int, str] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return self.created + self.updated


def _clean(value, default=""):
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return default
    if value is pd.NA or value is pd.NaT:
        return default
    return value


def customers_upsert(*, rows: pd.DataFrame) -> dict[str, int]:
    """Upsert the customers named in `rows`; return external id -> primary key.

    The newest row for a customer wins for name, segment and revenue; empty
    values never erase what is stored.
    """
    if "customer_id" not in rows:
        return {}
    named = rows[rows["customer_id"].fillna("").astype(str).str.strip() != ""]
    if named.empty:
        return {}
    latest = named.drop_duplicates("customer_id", keep="last")
    if connection.vendor == "postgresql":
        # One INSERT ... ON CONFLICT over arrays (feedback/services/ingest_copy.py).
        from feedback.services.ingest_copy import customers_upsert_sql

        return customers_upsert_sql(latest=latest)
    ids = latest["customer_id"].astype(str).str.strip().tolist()
    existing = {c.external_id: c for c in Customer.objects.filter(external_id__in=ids)}
    to_create, to_update = [], []
    for rec in latest.to_dict("records"):
        ext = str(rec["customer_id"]).strip()
        name = str(_clean(rec.get("customer_name"), "")).strip()
        segment = str(_clean(rec.get("segment"), "")).strip()
        revenue = _clean(rec.get("annual_revenue"), None)
        revenue = None if revenue is None else Decimal(str(round(float(revenue), 2)))
        customer = existing.get(ext)
        if customer is None:
            to_create.append(
                Customer(
                    external_id=ext, name=name, segment=segment, annual_revenue=revenue
                )
            )
            continue
        changed = False
        for attr, value in (
            ("name", name),
            ("segment", segment),
            ("annual_revenue", revenue),
        ):
            if value not in ("", None) and getattr(customer, attr) != value:
                setattr(customer, attr, value)
                changed = True
        if changed:
            to_update.append(customer)
    Customer.objects.bulk_create(to_create, batch_size=2000)
    if to_update:
        Customer.objects.bulk_update(
            to_update, ["name", "segment", "annual_revenue"], batch_size=2000
        )
    return dict(
        Customer.objects.filter(external_id__in=ids).values_list("external_id", "pk")
    )


def score_sentiment(rows: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Compound sentiment and polarity for each row (text plus score)."""
    compounds = sentiment.score_texts(rows["text"].tolist())
    scores = rows["score"] if "score" in rows else pd.Series([np.nan] * len(rows))
    types = rows["score_type"] if "score_type" in rows else pd.Series([""] * len(rows))
    polarities = sentiment.polarities(
        compounds, scores.to_numpy(dtype="float64"), types.fillna("").to_numpy()
    )
    return compounds, polarities


@transaction.atomic
def feedback_rows_ingest(
    *,
    rows: pd.DataFrame,
    batch: ImportBatch | None = None,
    user=None,
    default_source: str = "",
) -> IngestResult:
    """Upsert validated rows in one transaction; returns counts and the item ids.

    Rows with an external id update the item with the same (source, external_id);
    rows without one are always new. Sentiment is scored and the language told
    here (`feedback.services.languages`), so every item written has both.
    Marks the ranking dirty on commit.
    """
    result = IngestResult()
    if rows.empty:
        return result
    rows = rows.reset_index(drop=True)
    customer_pks = customers_upsert(rows=rows)
    compounds, polarities = score_sentiment(rows)
    languages = (
        rows["language"].fillna("").astype(str).tolist()
        if "language" in rows
        else items_languages(rows["text"].tolist())
    )
    now = timezone.now()
    if connection.vendor == "postgresql":
        # COPY + one INSERT ... ON CONFLICT (feedback/services/ingest_copy.py).
        from feedback.services.ingest_copy import items_upsert_copy

        (
            result.created,
            result.updated,
            result.item_ids,
            result.new_items,
        ) = items_upsert_copy(
            rows=rows,
            customer_pks=customer_pks,
            compounds=compounds,
            polarities=polarities,
            languages=languages,
            batch_id=batch.pk if batch is not None else None,
            user_id=getattr(user, "pk", None),
            default_source=default_source,
            now=now,
        )
        return _after_write(result)
    items = []
    for i, rec in enumerate(rows.to_dict("records")):
        ext_customer = str(_clean(rec.get("customer_id"), "")).strip()
        ext_id = str(_clean(rec.get("external_id"), "")).strip() or None
        score = _clean(rec.get("score"), None)
        created = rec["created"]
        if isinstance(created, str):
            created = pd.Timestamp(created)
        if getattr(created, "tzinfo", None) is None:
            created = pd.Timestamp(created).tz_localize("UTC")
        items.append(
            FeedbackItem(
                source=str(_clean(rec.get("source"), "")).strip() or default_source,
                external_id=ext_id,
                text=rec["text"],
                created=pd.Timestamp(created).to_pydatetime(),
                channel=str(_clean(rec.get("channel"), "other")) or "other",
                score=None if score is None else float(score),
                score_type=str(_clean(rec.get("score_type"), "")),
                customer_id=customer_pks.get(ext_customer),
                segment=str(_clean(rec.get("segment"), "")),
                sentiment=float(compounds[i]),
                polarity=str(polarities[i]),
                extra=_clean(rec.get("extra"), None) or {},
                language=languages[i],
                batch=batch,
                created_by=user,
                updated_at=now,
            )
        )
    keyed = [it for it in items if it.external_id]
    unkeyed = [it for it in items if not it.external_id]
    if keyed:
        keys = {(it.source, it.external_id) for it in keyed}
        sources = {s for s, _ in keys}
        existing = set(
            FeedbackItem.objects.filter(
                source__in=sources, external_id__in=[e for _, e in keys]
            ).values_list("source", "external_id")
        )
        result.updated = len(keys & existing)
        result.created += len(keys - existing)
        FeedbackItem.objects.bulk_create(
            keyed,
            batch_size=2000,
            update_conflicts=True,
            unique_fields=["source", "external_id"],
            update_fields=ITEM_UPDATE_FIELDS,
        )
    if unkeyed:
        FeedbackItem.objects.bulk_create(unkeyed, batch_size=2000)
        result.created += len(unkeyed)
    result.item_ids = _written_ids(keyed, unkeyed)
    return _after_write(result)


def _after_write(result: IngestResult) -> IngestResult:
    from feedback.services.ranking_state import ranking_mark_dirty
    from feedback.services.themes import assignments_apply_rules

    assignments_apply_rules(item_ids=result.item_ids, new_items=result.new_items)
    ranking_mark_dirty()
    return result


def _written_ids(keyed, unkeyed) -> list[int]:
    ids = [it.pk for it in unkeyed if it.pk]
    if keyed:
        by_source: dict[str, list[str]] = {}
        for it in keyed:
            by_source.setdefault(it.source, []).append(it.external_id)
        for source, ext_ids in by_source.items():
            for start in range(0, len(ext_ids), 5000):
                ids.extend(
                    FeedbackItem.objects.filter(
                        source=source, external_id__in=ext_ids[start : start + 5000]
                    ).values_list("pk", flat=True)
                )
    return ids
