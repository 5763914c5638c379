"""Initiatives with simple cases, funding sources with yearly amounts."""

from decimal import Decimal

import factory

from initiatives.models import (
    BenefitDriver,
    CostLine,
    FundingAmount,
    FundingSource,
    Initiative,
)


class InitiativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Initiative

    title = factory.Sequence(lambda n: f"Initiative {n}")
    status = Initiative.Status.PROPOSED


def add_cost(initiative, kind="one_time", amount=10_000):
    amount = Decimal(str(amount))
    return CostLine.objects.create(
        initiative=initiative,
        kind=kind,
        label=f"{kind} cost",
        low=amount,
        likely=amount,
        high=amount,
    )


def add_contacts_avoided(initiative, contacts=10_000, share=0.5):
    return BenefitDriver.objects.create(
        initiative=initiative,
        kind="contacts_avoided",
        label="self-service",
        inputs={"contacts_per_year": [contacts] * 3, "share_avoided": [share] * 3},
    )


def add_custom_benefit(initiative, amount=20_000):
    return BenefitDriver.objects.create(
        initiative=initiative,
        kind="custom",
        inputs={"amount_per_year": [amount] * 3},
    )


def initiative_costing(one_time=10_000, recurring=0, **kwargs):
    """An initiative costing `one_time` at t = 0 and `recurring` in t = 1..3."""
    initiative = InitiativeFactory(**kwargs)
    if one_time:
        add_cost(initiative, "one_time", one_time)
    if recurring:
        add_cost(initiative, "recurring", recurring)
    return initiative


def source_with(amounts: dict, name=None, kind="budget", savings_of=None):
    source = FundingSource.objects.create(
        name=name or f"Budget {FundingSource.objects.count() + 1}",
        kind=kind,
        savings_of=savings_of,
    )
    for year, amount in amounts.items():
        FundingAmount.objects.create(
            source=source, year=year, amount=Decimal(str(amount))
        )
    return source
