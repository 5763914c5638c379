"""Writes on the strategy: every change goes through one of these functions.

Pages and the API are thin callers. Each write is audited; versioned records
(`Strategy`, `StrategyStep`, `Action`, `SuccessMetric`) get their version bumped,
and callers that know the version the user read pass `expected_version` (a
mismatch raises `StaleVersion`, nothing is written). One module per concern
(`board`, `competencies`, `success`, and `edits` for how a write is applied); the
public names are re-exported here (`from strategy import services`).
"""

from strategy.services.board import (
    mission_add,
    step_sign_off,
    step_update,
    strategy_ensure,
    strategy_update,
)
from strategy.services.competencies import (
    action_create,
    action_delete,
    action_update,
    competency_rate,
    rating_role_for,
)
from strategy.services.edits import AlreadySignedOff, StaleVersion
from strategy.services.success import (
    metric_create,
    metric_delete,
    metric_reading_record,
    metric_update,
)

__all__ = [
    "AlreadySignedOff",
    "StaleVersion",
    "action_create",
    "action_delete",
    "action_update",
    "competency_rate",
    "metric_create",
    "metric_delete",
    "metric_reading_record",
    "metric_update",
    "mission_add",
    "rating_role_for",
    "step_sign_off",
    "step_update",
    "strategy_ensure",
    "strategy_update",
]
