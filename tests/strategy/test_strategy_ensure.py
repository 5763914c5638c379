"""`strategy_ensure()` makes one strategy with its five steps and the starter
actions, works on top of the demo's strategy, and never duplicates anything."""

from collections import Counter

import pytest

from cxplan import demo
from strategy.models import (
    STEP_KEYS,
    Action,
    Competency,
    Strategy,
    StrategyStep,
)
from strategy.services import strategy_ensure
from strategy.starter import STARTER_ACTIONS

pytestmark = pytest.mark.django_db


def test_it_creates_the_strategy_with_the_five_steps_in_order():
    strategy = strategy_ensure()
    assert Strategy.objects.count() == 1
    assert list(strategy.steps.values_list("order", "key")) == [
        (i, key) for i, (key, _label) in enumerate(STEP_KEYS, start=1)
    ]


def test_running_it_again_duplicates_nothing():
    strategy_ensure()
    strategy_ensure()
    assert Strategy.objects.count() == 1
    assert StrategyStep.objects.count() == 5
    assert Action.objects.count() == len(STARTER_ACTIONS)


def test_the_starter_set_covers_every_competency_with_all_three_kinds():
    strategy_ensure()
    kinds = {k for k, _ in Action.Kind.choices}
    per_competency = Counter(Action.objects.values_list("competency__key", flat=True))
    assert set(per_competency) == set(Competency.objects.values_list("key", flat=True))
    assert min(per_competency.values()) >= 2
    for c in Competency.objects.all():
        assert set(c.actions.values_list("kind", flat=True)) == kinds


def test_deleted_starter_actions_do_not_come_back():
    strategy_ensure()
    Action.objects.all().delete()
    strategy_ensure()
    assert not Action.objects.exists()


def test_it_completes_the_demo_strategy_without_touching_its_progress():
    users, _password = demo.users_ensure(password="x" * 12)
    demo.strategy_ensure(users=users)
    before = list(StrategyStep.objects.values_list("key", "status", "owner_id"))
    strategy = strategy_ensure()
    assert strategy.pk == 1
    assert Strategy.objects.count() == 1
    assert list(StrategyStep.objects.values_list("key", "status", "owner_id")) == before
    assert Action.objects.count() == len(STARTER_ACTIONS)


def test_missing_steps_are_added_in_their_place():
    strategy = Strategy.objects.create()
    StrategyStep.objects.create(strategy=strategy, order=2, key="who_we_are")
    strategy_ensure()
    assert list(strategy.steps.values_list("key", flat=True)) == [
        k for k, _ in STEP_KEYS
    ]


def test_a_re_created_strategy_does_not_duplicate_the_starter_actions():
    strategy_ensure()
    Strategy.objects.all().delete()
    strategy_ensure()
    assert Action.objects.count() == len(STARTER_ACTIONS)
