"""The fields of a feedback row and the words they accept: pure, no ORM.

The fields are DESIGN.md's feedback CSV contract; the aliases are the words
other systems use for our channels and score types.
"""

import re

FIELDS = (
    "external_id",
    "text",
    "created",
    "channel",
    "score",
    "score_type",
    "customer_id",
    "customer_name",
    "segment",
    "annual_revenue",
    "source",
)
REQUIRED = ("text", "created")
CHANNELS = ("survey", "ticket", "review", "chat", "social", "email", "call", "other")
# Words other systems use for our channels (CFPB's "Submitted via", help desks).
CHANNEL_ALIASES = {
    "phone": "call",
    "telephone": "call",
    "voice": "call",
    "e-mail": "email",
    "mail": "email",
    "postal mail": "other",
    "fax": "other",
    "web": "other",
    "referral": "other",
    "web form": "other",
    "live chat": "chat",
    "twitter": "social",
    "facebook": "social",
    "support ticket": "ticket",
    "reviews": "review",
}
SCORE_TYPES = {"nps": (0, 10), "csat": (1, 5), "stars": (1, 5), "rating": (1, 10)}
SCORE_TYPE_ALIASES = {"star": "stars", "rating10": "rating", "1-10": "rating"}
MAX_LENGTHS = {
    "external_id": 200,
    "text": 100_000,  # the default of settings.CXPLAN_MAX_TEXT_CHARS
    "customer_id": 200,
    "customer_name": 300,
    "segment": 100,
    "source": 100,
}
IGNORE = "ignore"
EXTRA = "extra"


def normalise_name(name: str) -> str:
    """`Customer ID` and `customer-id` both become `customer_id`."""
    return re.sub(r"[\s\-]+", "_", str(name).strip().lower())
