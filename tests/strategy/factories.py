"""Factories for the strategy tests (and the few upstream records they read)."""

import factory

from cxplan.core.models import AuditEvent
from initiatives.models import Allocation, FundingSource, Initiative
from strategy.models import (
    Action,
    Competency,
    CompetencyRating,
    MetricReading,
    MissionVersion,
    Strategy,
    StrategyStep,
    SuccessMetric,
)
from tests.factories import UserFactory


class InitiativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Initiative
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Initiative {n}")
    status = Initiative.Status.PROPOSED

    @factory.post_generation
    def themes(self, create, extracted, **kwargs):
        if create and extracted:
            self.themes.set(extracted)

    @factory.post_generation
    def ideas(self, create, extracted, **kwargs):
        if create and extracted:
            self.ideas.set(extracted)


class FundingSourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FundingSource

    name = factory.Sequence(lambda n: f"Budget {n}")
    kind = FundingSource.Kind.BUDGET


class AllocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Allocation

    source = factory.SubFactory(FundingSourceFactory)
    initiative = factory.SubFactory(InitiativeFactory)
    year = 0
    amount = 10000


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    competency = factory.LazyFunction(lambda: Competency.objects.first())
    kind = Action.Kind.PROVING_IT
    title = factory.Sequence(lambda n: f"Action {n}")


class SuccessMetricFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SuccessMetric

    name = factory.Sequence(lambda n: f"Metric {n}")
    kind = SuccessMetric.Kind.CUSTOM


class RatingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CompetencyRating

    competency = factory.LazyFunction(lambda: Competency.objects.first())
    rated_by = factory.SubFactory(UserFactory, role="advisor")
    role = "advisor"
    score = 3


def competency(key: str) -> Competency:
    return Competency.objects.get(key=key)


MODELS = (
    Strategy,
    MissionVersion,
    StrategyStep,
    CompetencyRating,
    Action,
    SuccessMetric,
    MetricReading,
    AuditEvent,
)


def db_state():
    """Every row a strategy write could touch, to prove a refusal changed nothing."""
    return {m.__name__: list(m.objects.order_by("pk").values()) for m in MODELS}
