"""Writes about money: funding sources with their yearly amounts, and
allocations from a source to an initiative in a year.

A source is never over-allocated in any year: every write that could push a
year's allocations above its amount first locks that (source, year) amount row
(SELECT ... FOR UPDATE), then sums what is allocated and checks. Two concurrent
allocations from one source and year therefore run one after the other, and the
second sees the first. (SQLite ignores FOR UPDATE but serialises writers.)
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F

from cxplan.core.audit import audit_record
from initiatives.models import Allocation, FundingAmount, FundingSource, Initiative
from initiatives.selectors.funding import allocated_in_year, money, savings_amounts

MAX_YEAR = 10
NOT_FUNDABLE = (Initiative.Status.REJECTED, Initiative.Status.SHIPPED)


def _clean_amounts(amounts: Mapping) -> dict[int, Decimal]:
    """{year: Decimal} from {year: number}; ValidationError on bad entries."""
    cleaned: dict[int, Decimal] = {}
    for year, amount in amounts.items():
        try:
            year = int(year)
            amount = money(amount)
        except (TypeError, ValueError, InvalidOperation):
            raise ValidationError(
                {"amounts": f"year {year!r}: amount must be a number"}
            ) from None
        if not 0 <= year <= MAX_YEAR:
            raise ValidationError({"amounts": f"year must lie within 0..{MAX_YEAR}"})
        if amount < 0 or not amount.is_finite():
            raise ValidationError({"amounts": f"year {year}: amount must be >= 0"})
        if year in cleaned:
            raise ValidationError({"amounts": f"year {year} is given twice"})
        cleaned[year] = amount
    return cleaned


def _check_kind(kind: str, savings_of: Initiative | None) -> None:
    if kind not in FundingSource.Kind.values:
        raise ValidationError(
            {"kind": f"kind must be one of {FundingSource.Kind.values}"}
        )
    if kind == FundingSource.Kind.SAVINGS and savings_of is None:
        raise ValidationError(
            {"savings_of": "A savings source names the initiative that saves."}
        )
    if kind != FundingSource.Kind.SAVINGS and savings_of is not None:
        raise ValidationError(
            {"savings_of": "Only a savings source names an initiative."}
        )


@transaction.atomic
def funding_source_create(
    *,
    actor,
    name: str,
    kind: str,
    savings_of: Initiative | None = None,
    note: str = "",
    amounts: Mapping | None = None,
) -> FundingSource:
    """A new source with its amounts per year ({year t: amount}).

    A savings source given no amounts takes the risk-adjusted contacts-avoided
    benefit of the initiative it names, year by year.
    """
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "A source needs a name."})
    _check_kind(kind, savings_of)
    if amounts is None and savings_of is not None:
        amounts = savings_amounts(savings_of)
    cleaned = _clean_amounts(amounts or {})
    source = FundingSource.objects.create(
        name=name, kind=kind, savings_of=savings_of, note=note or ""
    )
    FundingAmount.objects.bulk_create(
        [
            FundingAmount(source=source, year=year, amount=amount)
            for year, amount in sorted(cleaned.items())
        ]
    )
    audit_record(
        actor=actor,
        action="funding_source.create",
        objects=source,
        changes={"name": name, "kind": kind, "amounts": cleaned},
    )
    return source


@transaction.atomic
def funding_source_update(
    *,
    actor,
    source: FundingSource,
    name: str | None = None,
    note: str | None = None,
    amounts: Mapping | None = None,
) -> FundingSource:
    """Rename, re-note or replace the amounts of a source ({year: amount}).

    Lowering a year below what is already allocated, or dropping a year that
    has allocations, is refused (under the same row locks as allocating).
    """
    changes: dict = {}
    if name is not None:
        name = name.strip()
        if not name:
            raise ValidationError({"name": "A source needs a name."})
        source.name = name
        changes["name"] = name
    if note is not None:
        source.note = note
        changes["note"] = note
    if amounts is not None:
        cleaned = _clean_amounts(amounts)
        rows = {
            row.year: row
            for row in FundingAmount.objects.select_for_update()
            .filter(source=source)
            .order_by("year")
        }
        for year in rows:
            allocated = allocated_in_year(source_id=source.pk, year=year)
            new = cleaned.get(year, Decimal("0"))
            if allocated > new:
                raise ValidationError(
                    {
                        "amounts": (
                            f"Year {year}: ${allocated:,.2f} is already allocated; "
                            f"the amount cannot go below that (asked ${new:,.2f})."
                        )
                    }
                )
        for year, row in rows.items():
            if year not in cleaned:
                row.delete()
            elif row.amount != cleaned[year]:
                row.amount = cleaned[year]
                row.save(update_fields=["amount"])
        FundingAmount.objects.bulk_create(
            [
                FundingAmount(source=source, year=year, amount=amount)
                for year, amount in sorted(cleaned.items())
                if year not in rows
            ]
        )
        changes["amounts"] = cleaned
    source.version = F("version") + 1
    source.save()
    source.refresh_from_db(fields=["version"])
    audit_record(
        actor=actor, action="funding_source.update", objects=source, changes=changes
    )
    return source


@transaction.atomic
def funding_source_delete(*, actor, source: FundingSource) -> None:
    """Delete a source that funds nothing; refused while it has allocations."""
    FundingAmount.objects.select_for_update().filter(source=source).exists()
    if source.allocations.exists():
        raise ValidationError(
            {"source": "This source still funds initiatives; remove those first."}
        )
    audit_record(
        actor=actor,
        action="funding_source.delete",
        objects=source,
        changes={"name": source.name},
    )
    source.delete()


@transaction.atomic
def allocation_set(
    *,
    actor,
    source: FundingSource,
    initiative: Initiative,
    year: int,
    amount,
) -> Allocation | None:
    """Set what `source` gives `initiative` in year `year` (0 removes it).

    Refused (ValidationError) when the source has no amount for that year,
    when the year's allocations would exceed it (the message says what is left),
    when the initiative is rejected or shipped, or when a savings source would
    fund its own initiative. Returns the allocation, or None once removed.
    """
    try:
        amount = money(amount)
        year = int(year)
    except (TypeError, ValueError, InvalidOperation):
        raise ValidationError({"amount": "Year and amount must be numbers."}) from None
    if amount < 0:
        raise ValidationError({"amount": "An allocation cannot be negative."})
    if initiative.status in NOT_FUNDABLE:
        raise ValidationError(
            {"initiative": f"A {initiative.status} initiative cannot be funded."}
        )
    if source.savings_of_id == initiative.pk:
        raise ValidationError(
            {"source": "An initiative's savings cannot pay for the initiative itself."}
        )
    row = (
        FundingAmount.objects.select_for_update()
        .filter(source=source, year=year)
        .first()
    )
    existing = Allocation.objects.filter(
        source=source, initiative=initiative, year=year
    ).first()
    if amount == 0:
        if existing is not None:
            existing.delete()
            audit_record(
                actor=actor,
                action="allocation.delete",
                objects=initiative,
                changes={"source": source.pk, "year": year},
            )
        return None
    if row is None:
        raise ValidationError({"year": f"{source.name} has no money in year {year}."})
    others = allocated_in_year(
        source_id=source.pk, year=year, exclude_pk=existing.pk if existing else None
    )
    left = row.amount - others
    if amount > left:
        raise ValidationError(
            {
                "amount": (
                    f"{source.name} has ${left:,.2f} left in year {year}; "
                    f"${amount:,.2f} would over-allocate it."
                )
            }
        )
    if existing is None:
        existing = Allocation.objects.create(
            source=source, initiative=initiative, year=year, amount=amount
        )
    else:
        existing.amount = amount
        existing.save(update_fields=["amount"])
    audit_record(
        actor=actor,
        action="allocation.set",
        objects=initiative,
        changes={"source": source.pk, "year": year, "amount": amount},
    )
    return existing


def allocation_delete(*, actor, allocation: Allocation) -> None:
    """Remove one allocation (gives its money back to the source)."""
    allocation_set(
        actor=actor,
        source=allocation.source,
        initiative=allocation.initiative,
        year=allocation.year,
        amount=0,
    )
