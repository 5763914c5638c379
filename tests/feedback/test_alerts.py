"""Alerts: a planted spike is alerted in its week, steady themes over a year
give at most one alert, a dismissed alarm stays dismissed, CX leads are told."""

from datetime import UTC, date, datetime, time, timedelta

import numpy as np
import pytest
from django.core import mail

from feedback.models import Alert, FeedbackItem, Notification, ThemeAssignment
from feedback.ranking.control_chart import sentiment_signals, volume_signals
from tests.factories import ThemeFactory

pytestmark = pytest.mark.django_db
FIRST = date(2025, 11, 3)  # a Monday
WEEKS = 52


def _year(seed: int, shares: dict, *, per_week=120, spike=None, drop=None):
    """A year of weekly feedback; `shares` theme name -> share of items;
    `spike` = (name, week, factor), `drop` = (name, week, sentiment shift)."""
    rng = np.random.default_rng(seed)
    themes = {name: ThemeFactory(name=name) for name in shares}
    items, links = [], []
    for week in range(WEEKS):
        for i in range(int(rng.poisson(per_week))):
            day = FIRST + timedelta(weeks=week, days=int(rng.integers(0, 7)))
            picked = []
            for name, share in shares.items():
                if spike and spike[0] == name and spike[1] == week:
                    share *= spike[2]
                if rng.random() < share:
                    picked.append(name)
            shift = drop[2] if drop and drop[1] == week and drop[0] in picked else 0
            items.append(
                FeedbackItem(
                    source="gen",
                    external_id=f"{seed}-{week}-{i}",
                    text="generated",
                    created=datetime.combine(day, time(12), tzinfo=UTC),
                    channel="survey",
                    polarity="neutral",
                    sentiment=float(np.clip(rng.normal(-0.1 + shift, 0.35), -1, 1)),
                    language="en",
                )
            )
            links.append(picked)
    FeedbackItem.objects.bulk_create(items, batch_size=2000)
    ThemeAssignment.objects.bulk_create(
        [
            ThemeAssignment(item=item, theme=themes[name], method="rule")
            for item, names in zip(items, links, strict=True)
            for name in names
        ],
        batch_size=2000,
    )
    return themes


def _recompute(as_user, cx_lead):
    answer = as_user(cx_lead).post("/api/v1/alerts/recompute/")
    assert answer.status_code == 200, answer.content
    return as_user(cx_lead).get("/api/v1/alerts/").json()


def test_a_planted_spike_is_alerted_in_its_week_and_the_leads_are_told(
    as_user, cx_lead, executive, django_capture_on_commit_callbacks
):
    _year(1, {"Login": 0.1, "Billing": 0.15}, spike=("Login", 40, 3.0))
    with django_capture_on_commit_callbacks(execute=True):
        alerts = _recompute(as_user, cx_lead)
    spikes = [
        a
        for a in alerts
        if a["theme_name"] == "Login"
        and a["kind"] == "spike"
        and a["measure"] == "volume"
    ]
    assert [a["week_start"] for a in spikes] == [str(FIRST + timedelta(weeks=40))]
    assert spikes[0]["size"] > 2
    assert len(alerts) <= 2  # the spike, and at most one false alarm
    told = Notification.objects.filter(user=cx_lead)
    assert told.filter(message__startswith="Login:").exists()
    assert not Notification.objects.filter(user=executive).exists()
    assert any("Login" in m.subject for m in mail.outbox)


def test_a_sentiment_drop_is_alerted(as_user, cx_lead):
    _year(2, {"Delivery": 0.3}, drop=("Delivery", 45, -0.6))
    alerts = _recompute(as_user, cx_lead)
    drops = [a for a in alerts if a["measure"] == "sentiment" and a["kind"] == "drop"]
    assert [a["week_start"] for a in drops] == [str(FIRST + timedelta(weeks=45))]


@pytest.mark.parametrize("seed", [3, 4])
def test_steady_themes_over_a_year_give_at_most_one_alert(as_user, cx_lead, seed):
    _year(seed, {"Login": 0.1, "Billing": 0.15, "Delivery": 0.2})
    assert len(_recompute(as_user, cx_lead)) <= 1


def test_a_dismissed_alarm_stays_dismissed_and_is_not_sent_again(
    as_user, cx_lead, advisor
):
    _year(5, {"Login": 0.1}, spike=("Login", 30, 3.0))
    alert = _recompute(as_user, cx_lead)[0]
    assert (
        as_user(advisor).post(f"/api/v1/alerts/{alert['id']}/dismiss/").status_code
        == 403
    )
    answer = as_user(cx_lead).post(f"/api/v1/alerts/{alert['id']}/dismiss/")
    assert answer.status_code == 200 and answer.json()["dismissed"] is True
    sent = Notification.objects.count()
    again = _recompute(as_user, cx_lead)
    assert Alert.objects.filter(pk=alert["id"], dismissed=True).exists()
    assert len(again) == Alert.objects.count()
    assert Notification.objects.count() == sent


def test_who_may_see_and_run_them(api, as_user, advisor, client):
    assert api.get("/api/v1/alerts/").status_code in (401, 403)
    assert as_user(advisor).get("/api/v1/alerts/").status_code == 200
    assert as_user(advisor).post("/api/v1/alerts/recompute/").status_code == 403
    assert client.get("/alerts/").status_code == 302
    client.force_login(advisor)
    assert client.get("/alerts/").status_code == 200


def test_the_page_lists_them_and_a_lead_dismisses_from_it(client, cx_lead):
    _year(6, {"Login": 0.1}, spike=("Login", 35, 3.0))
    from feedback.services.alerts import alerts_recompute

    alerts_recompute()
    client.force_login(cx_lead)
    html = client.get("/alerts/").content.decode()
    assert "spike in volume" in html
    alert = Alert.objects.get(kind="spike", measure="volume")
    assert client.post(f"/alerts/{alert.pk}/dismiss").status_code == 302
    alert.refresh_from_db()
    assert alert.dismissed and alert.dismissed_by == cx_lead


def test_false_alarms_of_steady_series_are_rare():
    """200 simulated years of 5 steady themes (two measures each), no database:
    the charts' 2% a year per measure means about 0.2 alerts a year here."""
    alarms = 0
    for seed in range(200):
        rng = np.random.default_rng(10_000 + seed)
        totals = rng.poisson(300, WEEKS)
        for t in range(5):
            counts = rng.binomial(totals, 0.08 + 0.02 * t)
            draws = [rng.normal(-0.2, 0.4, k) for k in counts]
            means = [float(d.mean()) for d in draws]
            sds = [float(d.std(ddof=1)) for d in draws]
            alarms += len(volume_signals(counts, totals))
            alarms += len(sentiment_signals(means, counts, sds))
    assert alarms / 200 < 0.5


def test_the_list_is_the_contracts_shape(as_user, cx_lead):
    _year(7, {"Login": 0.1}, spike=("Login", 40, 3.0))
    alerts = _recompute(as_user, cx_lead)
    assert isinstance(alerts, list) and alerts
    keys = {"id", "theme", "kind", "measure", "week_start", "size", "dismissed"}
    assert keys <= set(alerts[0])
    assert alerts[0]["theme"] == ThemeAssignment.objects.first().theme_id
