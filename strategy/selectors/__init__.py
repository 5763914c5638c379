"""Reads for the strategy page, the API, the dashboard and the deck.

Every selector answers plain data (dicts, lists, model instances) in a fixed number
of queries, whatever the number of rows. One module per concern; the public names
are re-exported here (`from strategy.selectors import strategy_summary`).
"""

from strategy.selectors.benefits import benefits_realisation
from strategy.selectors.board import (
    buy_in_snapshot,
    days_left,
    making_it_real,
    mission_current,
    ranking_top,
    steps_list,
    strategy_get,
    strategy_summary,
)
from strategy.selectors.checks import health_check, health_facts
from strategy.selectors.competencies import (
    actions_list,
    competency_summary,
    holes,
    latest_ratings,
    rating_history,
    rating_trend,
    user_latest_scores,
)
from strategy.selectors.success import metric_status, metrics_overview

__all__ = [
    "actions_list",
    "benefits_realisation",
    "buy_in_snapshot",
    "competency_summary",
    "days_left",
    "health_check",
    "health_facts",
    "holes",
    "latest_ratings",
    "making_it_real",
    "metric_status",
    "metrics_overview",
    "mission_current",
    "ranking_top",
    "rating_history",
    "rating_trend",
    "steps_list",
    "strategy_get",
    "strategy_summary",
    "user_latest_scores",
]
