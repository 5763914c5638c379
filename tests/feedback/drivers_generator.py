"""Feedback with planted driver effects (issue 23), as frames and in the database.

Score: a 1-10 rating of 7 plus each theme's planted effect (A -2.0, B -1.0,
C -0.5, D 0: D is the most frequent), +0.5 for the business segment, -0.3 on
chat, and noise (sd 0.8). NPS: 0-10 answers whose detractor chance is 20%,
+30 points with A, +15 with B, none with D. Churn: one customer per item;
churn odds planted as ratios (A churns at 30% against a 10% baseline, an odds
ratio of 3.86; B 2.0; D 1.0), or (`dated`) exponential churn times with
hazard ratios (A 3.0, B 1.7, D 1.0) censored at the end of the year.
"""

from datetime import UTC, date, datetime, timedelta

import numpy as np
import pandas as pd

from feedback.models import Customer, FeedbackItem, Theme, ThemeAssignment

SCORE_EFFECTS = {"A": -2.0, "B": -1.0, "C": -0.5, "D": 0.0}
SHARES = {"A": 0.12, "B": 0.12, "C": 0.15, "D": 0.45}
DETRACTOR_LIFT = {"A": 0.30, "B": 0.15, "C": 0.0, "D": 0.0}
ODDS_RATIOS = {"A": (0.3 / 0.7) / (0.1 / 0.9), "B": 2.0, "C": 1.0, "D": 1.0}
HAZARD_RATIOS = {"A": 3.0, "B": 1.7, "C": 1.0, "D": 1.0}
START = datetime(2026, 1, 1, 12, tzinfo=UTC)
YEAR_END = date(2026, 12, 31)


def planted(seed: int, n: int, *, dated: bool = False) -> pd.DataFrame:
    """One row per item (and customer): its themes (bool columns A-D), segment,
    channel, rating, nps answer and churn outcome."""
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({t: rng.random(n) < SHARES[t] for t in SHARES})
    frame["segment"] = rng.choice(["consumer", "business"], n)
    frame["channel"] = rng.choice(["survey", "chat"], n)
    rating = 7.0 + sum(frame[t] * e for t, e in SCORE_EFFECTS.items())
    rating += 0.5 * (frame["segment"] == "business") - 0.3 * (
        frame["channel"] == "chat"
    )
    frame["rating"] = np.clip(rating + rng.normal(0, 0.8, n), 1, 10)
    detractor_p = 0.2 + sum(frame[t] * lift for t, lift in DETRACTOR_LIFT.items())
    detractor = rng.random(n) < detractor_p
    frame["nps"] = np.where(detractor, rng.integers(0, 7, n), rng.integers(7, 11, n))
    days = rng.integers(0, 60, n)
    frame["created"] = [START + timedelta(days=int(d)) for d in days]
    if dated:
        ratio = np.prod([np.where(frame[t], HAZARD_RATIOS[t], 1.0) for t in SHARES], 0)
        lifetime = rng.exponential(1200.0 / ratio)
        left = [
            (START + timedelta(days=int(d + x))).date()
            for d, x in zip(days, lifetime, strict=True)
        ]
        frame["churned_on"] = [d if d <= YEAR_END else None for d in left]
        frame["churned"] = frame["churned_on"].notna()
    else:
        log_odds = np.log(0.1 / 0.9) + sum(
            frame[t] * np.log(ODDS_RATIOS[t]) for t in SHARES
        )
        frame["churned"] = rng.random(n) < 1 / (1 + np.exp(-log_odds))
        frame["churned_on"] = None
    return frame


def store(frame: pd.DataFrame, *, score: str = "rating") -> dict[str, Theme]:
    """Write `frame` as customers, items (score `score`: rating or nps) and
    theme assignments; the themes by letter."""
    themes = {t: Theme.objects.get_or_create(name=f"Planted {t}")[0] for t in SHARES}
    rows = list(frame.itertuples(index=False))
    stamp = int(datetime.now().timestamp() * 1e6)
    customers = Customer.objects.bulk_create(
        Customer(
            external_id=f"P{stamp}-{i}",
            segment=row.segment,
            annual_revenue=1000,
            churned=bool(row.churned),
            churned_on=row.churned_on,
        )
        for i, row in enumerate(rows)
    )
    items = FeedbackItem.objects.bulk_create(
        FeedbackItem(
            source="planted",
            external_id=f"P{stamp}-{i}",
            text=f"planted item {i}",
            created=row.created,
            channel=row.channel,
            segment=row.segment,
            score=float(row.rating if score == "rating" else row.nps),
            score_type=score,
            customer=customer,
            polarity="negative" if row.A or row.B else "neutral",
        )
        for i, (row, customer) in enumerate(zip(rows, customers, strict=True))
    )
    ThemeAssignment.objects.bulk_create(
        ThemeAssignment(item=item, theme=themes[t], method="rule")
        for item, row in zip(items, rows, strict=True)
        for t in SHARES
        if getattr(row, t)
    )
    return themes


LETTERS = tuple(SHARES)


def churn_inputs(frame: pd.DataFrame):
    """`frame` as `churn_drivers` takes it (customers, raised, theme ids 0-3),
    read as the selector reads the database: dates at midnight, censored at
    the newest churn or feedback date."""
    first = pd.to_datetime(frame["created"]).dt.tz_localize(None).dt.normalize()
    customers = pd.DataFrame(
        {
            "customer_id": np.arange(len(frame)),
            "churned": frame["churned"].astype(bool),
            "churned_on": pd.to_datetime(frame["churned_on"]),
            "first_seen": first,
            "segment": frame["segment"],
            "revenue": 1000.0,
        }
    )
    raised = pd.DataFrame(
        [
            (i, j, False)
            for j, t in enumerate(LETTERS)
            for i in np.flatnonzero(frame[t])
        ],
        columns=["customer_id", "theme_id", "negative"],
    )
    stamps = pd.concat([customers["churned_on"], first]).dropna()
    return customers, raised, stamps.max()
