"""Feedback models, one module per concern; every model is importable from here.

`items` (customers, feedback items, their choices), `imports` (import batches,
remembered source mappings), `themes` (themes, assignments, theme model
versions, suggestions), `ideas` (ideas, votes, comments), `ranking` (state and
snapshots), `notifications`.
"""

from feedback.models.alerts import Alert
from feedback.models.ideas import Idea, IdeaComment, Vote
from feedback.models.imports import ImportBatch, SourceMapping
from feedback.models.items import (
    CHANNELS,
    CONTACT_CHANNELS,
    Channel,
    Customer,
    FeedbackItem,
    Polarity,
    ScoreType,
)
from feedback.models.notifications import Notification
from feedback.models.ranking import RankingSnapshot, RankingState
from feedback.models.themes import (
    Theme,
    ThemeAssignment,
    ThemeModelVersion,
    ThemeSuggestion,
)

__all__ = [
    "Alert",
    "CHANNELS",
    "CONTACT_CHANNELS",
    "Channel",
    "Customer",
    "FeedbackItem",
    "Idea",
    "IdeaComment",
    "ImportBatch",
    "Notification",
    "Polarity",
    "RankingSnapshot",
    "RankingState",
    "ScoreType",
    "SourceMapping",
    "Theme",
    "ThemeAssignment",
    "ThemeModelVersion",
    "ThemeSuggestion",
    "Vote",
]
