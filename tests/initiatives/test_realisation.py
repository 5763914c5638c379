"""Benefits realisation on generated data with known effects: a theme whose
share falls by 40% after the ship date gets an effect whose interval covers
-0.4 and excludes 0; an initiative with no real effect gets one covering 0.
Run on several seeds (held-out cases), through GET .../realisation/."""

from datetime import UTC, date, datetime, timedelta

import numpy as np
import pytest

from feedback.models import FeedbackItem, ThemeAssignment
from initiatives.its import difference_in_differences, level_change
from tests.factories import ThemeFactory
from tests.initiatives.factories_funding import (
    add_contacts_avoided,
    add_cost,
    initiative_costing,
)

pytestmark = pytest.mark.django_db
SHIP = date(2026, 9, 7)
BEFORE, AFTER = 16, 12
TODAY = SHIP + timedelta(weeks=AFTER)


def _world(seed: int, *, drop: float, per_week: int = 120, segment=None):
    """Weekly feedback around SHIP: a theme at 20% of items before; after SHIP
    its share falls by `drop` (in `segment` only, when given)."""
    rng = np.random.default_rng(seed)
    theme = ThemeFactory(name=f"Login {seed}")
    items, links = [], []
    for week in range(-BEFORE, AFTER):
        for segment_name in (segment, "other") if segment else (None,):
            n = int(rng.poisson(per_week))
            share = 0.2 * (1 - drop) if week >= 0 and segment_name != "other" else 0.2
            hits = rng.random(n) < share
            for i in range(n):
                created = datetime.combine(
                    SHIP + timedelta(weeks=week, days=int(rng.integers(0, 7))),
                    datetime.min.time(),
                    tzinfo=UTC,
                )
                items.append(
                    FeedbackItem(
                        source="gen",
                        external_id=f"{seed}-{week}-{segment_name}-{i}",
                        text="generated",
                        created=created,
                        channel="survey",
                        segment=segment_name or "",
                        polarity="negative",
                        language="en",
                    )
                )
                links.append(bool(hits[i]))
    FeedbackItem.objects.bulk_create(items, batch_size=2000)
    ThemeAssignment.objects.bulk_create(
        [
            ThemeAssignment(item=item, theme=theme, method="rule")
            for item, hit in zip(items, links, strict=True)
            if hit
        ],
        batch_size=2000,
    )
    initiative = initiative_costing(20_000, title=f"Fix {seed}")
    add_contacts_avoided(initiative, contacts=10_000, share=0.3)
    initiative.themes.set([theme])
    initiative.shipped_on = SHIP
    initiative.shipped_segment = segment or ""
    initiative.status = "shipped"
    initiative.save()
    return initiative


def _measure(as_user, user, initiative, monkeypatch):
    from initiatives.selectors import realisation

    monkeypatch.setattr(realisation.timezone, "localdate", lambda: TODAY)
    answer = as_user(user).get(f"/api/v1/initiatives/{initiative.pk}/realisation/")
    assert answer.status_code == 200, answer.content
    return answer.json()


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_40_percent_drop_is_measured_with_an_interval_excluding_zero(
    as_user, advisor, monkeypatch, seed
):
    body = _measure(as_user, advisor, _world(seed, drop=0.4), monkeypatch)
    assert body["status"] == "measured"
    assert body["weeks_after"] == AFTER and body["weeks_before"] == BEFORE
    (theme,) = body["themes"]
    low, high = theme["ci"]
    assert low <= -0.4 <= high
    assert high < 0
    assert theme["measure"] == "share"
    assert theme["method"].startswith("interrupted time series")
    # Promised 30% fewer contacts; realised about 40%.
    assert body["promised"]["share_reduction"] == 0.3
    assert body["realised"]["share_reduction"] == pytest.approx(-theme["effect"])
    assert body["realised"]["track"] == "on_track"


@pytest.mark.parametrize("seed", [4, 5])
def test_no_real_effect_gets_an_interval_covering_zero(
    as_user, advisor, monkeypatch, seed
):
    body = _measure(as_user, advisor, _world(seed, drop=0.0), monkeypatch)
    (theme,) = body["themes"]
    assert theme["ci"][0] <= 0 <= theme["ci"][1]
    assert body["realised"]["track"] == "off_track"


def test_a_control_segment_makes_it_a_difference_in_differences(
    as_user, advisor, monkeypatch
):
    initiative = _world(6, drop=0.4, per_week=90, segment="smb")
    body = _measure(as_user, advisor, initiative, monkeypatch)
    (theme,) = body["themes"]
    assert theme["method"].startswith("difference in differences")
    assert theme["ci"][0] <= -0.4 <= theme["ci"][1] < 0


def test_too_early_says_how_many_weeks_it_needs(as_user, advisor, monkeypatch):
    from initiatives.selectors import realisation

    initiative = _world(7, drop=0.4, per_week=20)
    monkeypatch.setattr(
        realisation.timezone, "localdate", lambda: SHIP + timedelta(days=15)
    )
    body = (
        as_user(advisor).get(f"/api/v1/initiatives/{initiative.pk}/realisation/").json()
    )
    assert body["status"] == "too_early"
    assert body["needs"].startswith("Needs 2 more week(s) after shipping")


def test_not_shipped_and_access(as_user, api, outsider):
    initiative = initiative_costing(10_000, title="Not yet")
    add_cost(initiative, "recurring", 1_000)
    url = f"/api/v1/initiatives/{initiative.pk}/realisation/"
    assert api.get(url).status_code in (401, 403)
    assert as_user(outsider).get(url).status_code == 403


def test_the_statistics_on_many_held_out_series():
    """Coverage over 100 simulated series, no database: about 95%."""
    covered = excluded = null = 0
    for seed in range(100):
        rng = np.random.default_rng(1000 + seed)
        total = rng.poisson(400, 30)
        share = np.where(np.arange(30) < 16, 0.10, 0.06)
        e = level_change(rng.binomial(total, share), total, weeks_before=16)
        covered += e.ci[0] <= -0.4 <= e.ci[1]
        excluded += e.ci[1] < 0
        e0 = level_change(rng.binomial(total, 0.10), total, weeks_before=16)
        null += e0.ci[0] <= 0 <= e0.ci[1]
    assert covered >= 88 and excluded >= 95 and null >= 88
    control = rng.poisson(400, 30)
    d = difference_in_differences(
        rng.binomial(total, share),
        total,
        rng.binomial(control, 0.1),
        control,
        weeks_before=16,
    )
    assert d.ci[0] < d.effect < d.ci[1]


def test_the_initiative_page_says_whether_it_worked(client, advisor, monkeypatch):
    from initiatives.selectors import realisation

    initiative = _world(8, drop=0.4)
    monkeypatch.setattr(realisation.timezone, "localdate", lambda: TODAY)
    client.force_login(advisor)
    html = client.get(f"/initiatives/{initiative.pk}/").content.decode()
    assert 'data-testid="realisation-theme"' in html
    assert "95% interval -" in html
    assert "on track" in html
