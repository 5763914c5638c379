"""A seeded generator of believable feedback for a fictional broadband and mobile
company ("Brightline"). Pure: numpy and pandas only. All text is our own.

`generate_feedback(n_items=3000, n_customers=1500, days=182, seed=7)` returns a
DataFrame in the feedback CSV contract (DESIGN.md), so the same rows feed
`seed_demo`, the benchmarks (scaled to 100k or 1M) and CSV files for tests.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class DemoTheme:
    name: str
    description: str
    keywords: tuple[str, ...]
    phrases: tuple[str, ...]
    weight: float  # share of mentions
    negative: float  # probability an item on this theme is negative
    growth: float  # relative growth over the period (0.5 = +50% by the end)
    channels: tuple[str, ...]


THEMES: tuple[DemoTheme, ...] = (
    DemoTheme(
        "Billing errors",
        "Bills that are wrong, higher than quoted, or charged twice.",
        ("bill", "charged twice", "overcharged", "invoice"),
        (
            "my bill was higher than the price I was quoted",
            "I was charged twice for the same month",
            "the invoice shows extras I never ordered",
            "I got overcharged again after the discount ended without warning",
            "the bill keeps changing every month and nobody can explain why",
        ),
        0.17,
        0.8,
        0.1,
        ("ticket", "call", "chat", "survey"),
    ),
    DemoTheme(
        "Slow refunds",
        "Refunds and credits promised but late or missing.",
        ("refund", "credit", "money back"),
        (
            "I am still waiting for the refund I was promised weeks ago",
            "the refund took over a month to arrive",
            "they promised a credit on my account but it never appeared",
            "getting my money back has taken five phone calls",
        ),
        0.12,
        0.88,
        0.35,
        ("ticket", "call", "email"),
    ),
    DemoTheme(
        "App log-in problems",
        "Customers cannot sign in to the app or reset their password.",
        ("log in", "login", "password", "app"),
        (
            "I cannot log in to the app since the last update",
            "the password reset email never arrives",
            "the app logs me out every time I open it",
            "two-factor codes for the app take ages to come through",
            "the login screen just spins and then fails",
        ),
        0.14,
        0.78,
        1.4,
        ("chat", "review", "survey", "ticket"),
    ),
    DemoTheme(
        "Long waits on the phone",
        "Long hold times and queues before reaching a person.",
        ("on hold", "hold", "waited", "queue"),
        (
            "I was on hold for forty minutes before anyone answered",
            "the queue message loops forever",
            "I waited an hour and then the call dropped",
            "nobody picks up the phone in the evening",
        ),
        0.15,
        0.85,
        -0.2,
        ("call", "survey", "social"),
    ),
    DemoTheme(
        "Broadband drops out",
        "Connection drops, outages and slow speeds at home.",
        ("connection", "outage", "drops", "slow speed", "wifi"),
        (
            "my connection drops several times every evening",
            "there was an outage for two days with no update",
            "the speed is far slower than the package promises",
            "the wifi keeps cutting out during video calls",
        ),
        0.16,
        0.75,
        0.0,
        ("ticket", "call", "social", "survey"),
    ),
    DemoTheme(
        "Engineer appointments",
        "Missed or badly timed engineer visits.",
        ("engineer", "appointment", "visit"),
        (
            "the engineer did not turn up for the appointment",
            "I took a day off work and nobody came",
            "the visit was rescheduled three times",
            "the engineer left without fixing the fault",
        ),
        0.08,
        0.82,
        -0.1,
        ("call", "ticket", "survey"),
    ),
    DemoTheme(
        "Leaving and contracts",
        "Cancelling, exit fees and contract terms that surprise customers.",
        ("cancel", "contract", "exit fee", "leave"),
        (
            "cancelling my contract was far harder than signing up",
            "the exit fee was never mentioned when I joined",
            "I was kept on the phone for ages when I asked to leave",
            "the contract renewed itself at a higher price",
        ),
        0.08,
        0.8,
        0.2,
        ("call", "email", "review"),
    ),
    DemoTheme(
        "Helpful staff",
        "Praise for advisors who solved a problem well.",
        ("helpful", "friendly", "thank"),
        (
            "the advisor was friendly and sorted it out quickly",
            "a really helpful person in the shop explained everything",
            "thank you to the agent who stayed on the line until it worked",
            "the chat agent was patient and knew the answer",
        ),
        0.10,
        0.06,
        0.0,
        ("chat", "survey", "review", "call"),
    ),
)

# A handful of customers ask for a community forum: the "pet idea" the evidence
# check is meant to put in proportion.
FORUM_PHRASES = (
    "it would be nice to have a community forum to swap tips",
    "maybe a user forum could answer simple questions",
)

OPENERS_NEG = (
    "Really disappointed.",
    "Not happy at all.",
    "This is the third time I have had to get in touch.",
    "Honestly fed up.",
    "",
    "Frustrating experience.",
)
OPENERS_POS = ("Great service.", "Very pleased.", "", "Credit where it is due.")
CLOSERS_NEG = (
    "Please sort this out.",
    "I am thinking about switching provider.",
    "Nobody seems to take ownership.",
    "",
    "I expect better for what I pay.",
)
CLOSERS_POS = ("Keep it up.", "Would recommend.", "", "Thanks again.")

SEGMENTS = (
    ("consumer", 0.78, (240.0, 1400.0)),
    ("small business", 0.18, (2500.0, 24000.0)),
    ("enterprise", 0.04, (40000.0, 420000.0)),
)
SEGMENT_CHANNELS = {"consumer": None, "small business": None, "enterprise": None}
FIRST_NAMES = ("Alex", "Sam", "Jo", "Priya", "Tom", "Mei", "Olu", "Ana", "Ravi", "Kate")
LAST_NAMES = ("Hughes", "Khan", "Okafor", "Smith", "Novak", "Evans", "Silva", "Reid")
COMPANY_WORDS = ("Harbour", "Oak", "Summit", "Bridge", "Meadow", "North", "Kite")
COMPANY_KINDS = ("Bakery", "Dental", "Logistics", "Studio", "Partners", "Foods")


def generate_customers(n_customers: int = 1500, seed: int = 7) -> pd.DataFrame:
    """Customers: customer_id, customer_name, segment, annual_revenue."""
    rng = np.random.default_rng(seed)
    names, probs, ranges = zip(*SEGMENTS, strict=True)
    seg_idx = rng.choice(len(names), size=n_customers, p=np.array(probs))
    lows = np.array([r[0] for r in ranges])[seg_idx]
    highs = np.array([r[1] for r in ranges])[seg_idx]
    # log-uniform revenue inside each segment's range
    revenue = np.exp(rng.uniform(np.log(lows), np.log(highs))).round(2)
    first = rng.integers(0, len(FIRST_NAMES), n_customers)
    last = rng.integers(0, len(LAST_NAMES), n_customers)
    word = rng.integers(0, len(COMPANY_WORDS), n_customers)
    kind = rng.integers(0, len(COMPANY_KINDS), n_customers)
    customer_names = [
        f"{FIRST_NAMES[f]} {LAST_NAMES[s]}"
        if names[g] == "consumer"
        else f"{COMPANY_WORDS[w]} {COMPANY_KINDS[k]}"
        for f, s, w, k, g in zip(first, last, word, kind, seg_idx, strict=True)
    ]
    return pd.DataFrame(
        {
            "customer_id": [f"C{i:07d}" for i in range(1, n_customers + 1)],
            "customer_name": customer_names,
            "segment": np.array(names)[seg_idx],
            "annual_revenue": revenue,
        }
    )


def generate_feedback(
    n_items: int = 3000,
    n_customers: int = 1500,
    days: int = 182,
    seed: int = 7,
    end: datetime | None = None,
    source: str = "demo",
) -> pd.DataFrame:
    """Feedback rows in the CSV contract; vectorised so 1M rows take seconds."""
    rng = np.random.default_rng(seed)
    end = end or datetime(2026, 11, 20, 17, 0, tzinfo=UTC)
    customers = generate_customers(n_customers, seed)

    # Day of each item, then a theme drawn with weights that drift per theme growth.
    day = rng.integers(0, days, n_items)  # 0 = oldest
    progress = day / max(days - 1, 1)
    base = np.array([t.weight for t in THEMES])
    growth = np.array([t.growth for t in THEMES])
    weights = base[None, :] * (1 + growth[None, :] * progress[:, None])
    weights /= weights.sum(axis=1, keepdims=True)
    cum = weights.cumsum(axis=1)
    theme_idx = (rng.random(n_items)[:, None] > cum).sum(axis=1)
    theme_idx = np.minimum(theme_idx, len(THEMES) - 1)

    neg_p = np.array([t.negative for t in THEMES])[theme_idx]
    negative = rng.random(n_items) < neg_p

    # A second theme on ~15% of items: customers rarely have just one complaint.
    second = rng.integers(0, len(THEMES) - 1, n_items)
    has_second = (rng.random(n_items) < 0.15) & negative
    forum = rng.random(n_items) < 0.004

    cust_idx = rng.integers(0, n_customers, n_items)
    anonymous = rng.random(n_items) < 0.08

    texts = []
    phrase_pick = rng.integers(0, 1000, (n_items, 4))
    for i in range(n_items):
        t = THEMES[theme_idx[i]]
        neg = negative[i]
        opener = (OPENERS_NEG if neg else OPENERS_POS)[phrase_pick[i, 0] % 4]
        phrase = t.phrases[phrase_pick[i, 1] % len(t.phrases)]
        if not neg and t.negative > 0.5:
            # A happy ending on a usually negative theme.
            phrase = f"{phrase}, but support fixed it the same day"
        parts = [opener, phrase[0].upper() + phrase[1:] + "."]
        if has_second[i]:
            s = THEMES[second[i] if second[i] < theme_idx[i] else second[i] + 1]
            p2 = s.phrases[phrase_pick[i, 2] % len(s.phrases)]
            parts.append(f"Also, {p2}.")
        if forum[i]:
            parts.append(FORUM_PHRASES[phrase_pick[i, 3] % 2].capitalize() + ".")
        closer = (CLOSERS_NEG if neg else CLOSERS_POS)[phrase_pick[i, 3] % 4]
        parts.append(closer)
        texts.append(" ".join(p for p in parts if p))

    # Channel from the theme's usual channels.
    channel = [
        THEMES[k].channels[c % len(THEMES[k].channels)]
        for k, c in zip(theme_idx, rng.integers(0, 100, n_items), strict=True)
    ]
    # Scores on survey and review items: NPS on surveys, stars on reviews.
    score = np.full(n_items, np.nan)
    score_type = np.array([""] * n_items, dtype=object)
    chan = np.array(channel)
    survey = chan == "survey"
    review = chan == "review"
    nps_neg = rng.integers(0, 7, n_items)
    nps_pos = rng.integers(8, 11, n_items)
    score[survey] = np.where(negative, nps_neg, nps_pos)[survey]
    score_type[survey] = "nps"
    stars_neg = rng.integers(1, 3, n_items)
    stars_pos = rng.integers(4, 6, n_items)
    score[review] = np.where(negative, stars_neg, stars_pos)[review]
    score_type[review] = "stars"

    seconds = rng.integers(8 * 3600, 20 * 3600, n_items)
    start = end - timedelta(days=days - 1)
    created = (
        pd.Timestamp(start.replace(hour=0, minute=0, second=0))
        + pd.to_timedelta(day, unit="D")
        + pd.to_timedelta(seconds, unit="s")
    )
    cust = customers.iloc[cust_idx].reset_index(drop=True)
    frame = pd.DataFrame(
        {
            "external_id": [f"{source}-{i:08d}" for i in range(1, n_items + 1)],
            "text": texts,
            "created": created.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "channel": channel,
            "score": score,
            "score_type": score_type,
            "customer_id": cust["customer_id"].where(~anonymous, ""),
            "customer_name": cust["customer_name"].where(~anonymous, ""),
            "segment": cust["segment"].where(~anonymous, ""),
            "annual_revenue": cust["annual_revenue"].where(~anonymous, np.nan),
            "source": source,
        }
    )
    frame["score"] = frame["score"].astype("float64")
    return frame


def write_csv(path, **kwargs) -> int:
    """Write generated feedback to a CSV file; returns the row count."""
    frame = generate_feedback(**kwargs)
    frame.to_csv(path, index=False)
    return len(frame)
