"""The ranking of a slice: `GET /api/v1/ranking/?start=&end=&segment=&channel=`
and the ranking page's slice form rank only the slice's items, with inclusive
dates, coverage that adds up, 400s naming the field and a bounded query count."""

from datetime import UTC, date, datetime, timedelta

import pytest

from feedback.models import ThemeAssignment
from feedback.services.ranking import ranking_recompute
from feedback.services.ranking_state import ranking_mark_dirty
from tests.conftest import need
from tests.factories import CustomerFactory, FeedbackItemFactory, ThemeFactory

pytestmark = pytest.mark.django_db

DAY = datetime(2026, 11, 10, 12, tzinfo=UTC)


def _items(theme, *, n, segment, channel, created, negative=True):
    out = []
    for i in range(n):
        item = FeedbackItemFactory(
            customer=CustomerFactory(annual_revenue=1000),
            segment=segment,
            channel=channel,
            created=created - timedelta(minutes=i),
            polarity="negative" if negative else "positive",
            text=f"{theme.name if theme else 'nothing'} complaint {i} from {segment}",
        )
        if theme is not None:
            ThemeAssignment.objects.create(item=item, theme=theme, method="rule")
        out.append(item)
    return out


@pytest.fixture
def corpus():
    """Enterprise: 3 billing tickets, 1 login ticket, 2 unthemed, on 10 Nov.
    Consumer: 4 login chats, 1 billing chat on 15 Nov; 2 billing tickets at
    00:00 on 1 Oct and 1 at 23:59 on 30 Sep. Whole ranking: Login 5, Billing 7."""
    billing = ThemeFactory(name="Billing")
    login = ThemeFactory(name="Login")
    _items(billing, n=3, segment="enterprise", channel="ticket", created=DAY)
    _items(login, n=1, segment="enterprise", channel="ticket", created=DAY)
    _items(None, n=2, segment="enterprise", channel="email", created=DAY)
    later = DAY + timedelta(days=5)
    _items(login, n=4, segment="consumer", channel="chat", created=later)
    _items(billing, n=1, segment="consumer", channel="chat", created=later)
    first_oct = datetime(2026, 10, 1, 0, 1, tzinfo=UTC)  # and 00:00
    _items(billing, n=2, segment="consumer", channel="ticket", created=first_oct)
    last_sep = datetime(2026, 9, 30, 23, 59, tzinfo=UTC)
    _items(billing, n=1, segment="consumer", channel="ticket", created=last_sep)
    ranking_recompute(force=True)
    return {"billing": billing, "login": login}


def _get(client, **params):
    return client.get("/api/v1/ranking/", params)


def _by_name(answer):
    return {t["theme"]: t for t in answer["themes"]}


def test_a_segment_slice_ranks_only_that_segments_items(corpus, as_user, cx_lead):
    client = as_user(cx_lead)
    whole = _by_name(client.get("/api/v1/ranking/").json())
    assert whole["Login"]["mentions"] == 5 and whole["Billing"]["mentions"] == 7
    answer = _get(client, segment="enterprise", start="2026-09-01", end="2026-11-20")
    assert answer.status_code == 200
    body = answer.json()
    themes = _by_name(body)
    assert themes["Billing"]["mentions"] == 3 and themes["Billing"]["customers"] == 3
    assert themes["Login"]["mentions"] == 1
    assert body["top_three"][0] == corpus["billing"].pk
    assert body["slice"] == {
        "start": "2026-09-01",
        "end": "2026-11-20",
        "segment": "enterprise",
        "channel": None,
    }
    assert body["window"] == {
        "start": "2026-09-01",
        "end": "2026-11-20",
        "days": 81,
        "items": 6,
    }
    consumer = _by_name(_get(client, segment="consumer", start="2026-10-01").json())
    assert consumer["Login"]["mentions"] == 4 and consumer["Billing"]["mentions"] == 3
    # The quotes are the slice's own items.
    assert all("enterprise" in q["text"] for q in themes["Billing"]["quotes"])


def test_a_channel_slice_ranks_only_that_channels_items(corpus, as_user, cx_lead):
    themes = _by_name(_get(as_user(cx_lead), channel="chat").json())
    assert themes["Login"]["mentions"] == 4 and themes["Billing"]["mentions"] == 1
    themes = _by_name(_get(as_user(cx_lead), channel="ticket").json())
    # The default window is the 90 days ending 15 Nov: 1 Oct is in, 30 Sep too.
    assert themes["Billing"]["mentions"] == 6 and themes["Login"]["mentions"] == 1


def test_both_ends_of_the_date_range_are_inclusive(corpus, as_user, cx_lead):
    client = as_user(cx_lead)
    one_day = _by_name(_get(client, start="2026-10-01", end="2026-10-01").json())
    assert one_day["Billing"]["mentions"] == 2  # 00:00 on 1 Oct, not 30 Sep
    sep = _by_name(_get(client, start="2026-09-30", end="2026-09-30").json())
    assert sep["Billing"]["mentions"] == 1  # 23:59 on the last day counts
    both = _by_name(_get(client, start="2026-09-30", end="2026-10-01").json())
    assert both["Billing"]["mentions"] == 3


def test_the_coverage_of_a_slice_adds_up(corpus, as_user, cx_lead):
    body = _get(as_user(cx_lead), segment="enterprise", start="2026-11-10").json()
    coverage = body["coverage"]
    assert coverage == {
        "items": 6,
        "in_window": 6,
        "outside_window": 0,
        "themed": 4,
        "unthemed": 2,
        "other_language": 0,
        "by_method": {"label": 0, "rule": 4, "model": 0},
    }
    consumer = _get(as_user(cx_lead), segment="consumer", end="2026-10-01").json()
    c = consumer["coverage"]
    assert c["items"] == 8 and c["in_window"] == 3 and c["outside_window"] == 5
    assert c["themed"] + c["unthemed"] == c["in_window"]
    assert sum(c["by_method"].values()) == c["themed"]


def test_advisors_get_the_hidden_fields_withheld_in_a_slice(
    corpus, as_user, advisor, api, outsider
):
    body = _get(as_user(advisor), segment="enterprise").json()
    assert all(t["revenue_at_risk"] is None for t in body["themes"])
    assert all(t["score"] is None for t in body["themes"])
    assert _get(api, segment="enterprise").status_code in (401, 403)
    assert _get(as_user(outsider), segment="enterprise").status_code == 403


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"start": "yesterday"}, "start"),
        ({"end": "2026-02-30"}, "end"),
        ({"start": "2026-11-10", "end": "2026-11-01"}, "end"),
        ({"start": "2020-01-01", "end": "2026-11-01"}, "end"),
        ({"start": "2020-01-01"}, "start"),
        ({"channel": "fax"}, "channel"),
        ({"snapshot": "1", "segment": "enterprise"}, "snapshot"),
        ({"segment": "x" * 101}, "segment"),
    ],
)
def test_bad_slice_parameters_are_400_naming_the_field(
    corpus, as_user, cx_lead, params, field
):
    response = _get(as_user(cx_lead), **params)
    assert response.status_code == 400, response.content
    assert field in {e["field"] for e in response.json()["errors"]}


@pytest.mark.parametrize(
    "params",
    [
        {"start": "9999-12-31"},
        {"end": "0001-01-01"},
        {"start": "2026-11-10T00:00"},
        {"segment": "\u00e9t\u00e9 '; DROP TABLE x; --"},
        {"segment": ""},
        {"channel": ""},
        {"start": "", "end": ""},
        {"top": "0", "segment": "enterprise"},
    ],
)
def test_odd_slice_parameters_never_answer_500(corpus, as_user, cx_lead, params):
    assert _get(as_user(cx_lead), **params).status_code in (200, 400)


def test_the_sliced_api_query_count_is_bounded(
    corpus, as_user, cx_lead, django_assert_max_num_queries
):
    client = as_user(cx_lead)
    with django_assert_max_num_queries(16) as cold:
        assert _get(client, segment="consumer").status_code == 200
    with django_assert_max_num_queries(6) as warm:  # cached per data version
        assert _get(client, segment="consumer").status_code == 200
    assert len(warm.captured_queries) < len(cold.captured_queries)
    for i in range(12):
        theme = ThemeFactory(name=f"Extra {i}")
        _items(theme, n=2, segment="consumer", channel="chat", created=DAY)
    ranking_mark_dirty(enqueue=False)
    with django_assert_max_num_queries(len(cold.captured_queries)):
        body = _get(client, segment="consumer").json()
    assert len(body["themes"]) == 14  # a new data version: computed again


def test_the_page_shows_the_slice_and_its_coverage(corpus, client, advisor):
    client.force_login(advisor)
    page = client.get(
        "/ranking/", {"segment": "enterprise", "start": "2026-09-01"}
    ).content.decode()
    assert 'data-testid="slice"' in page and "segment <strong>enterprise" in page
    assert 'data-testid="slice-form"' in page
    assert 'data-testid="coverage-in-window">6<' in page
    assert 'data-testid="coverage-themed">4<' in page
    assert "&amp;segment=enterprise" in page  # the unthemed items' link keeps it
    plain = client.get("/ranking/").content.decode()
    assert 'data-testid="slice"' not in plain and 'data-testid="slice-form"' in plain


def test_the_page_refuses_a_bad_slice_with_400(corpus, client, advisor, outsider):
    client.force_login(advisor)
    assert client.get("/ranking/", {"channel": "fax"}).status_code == 400
    assert (
        client.get(
            "/ranking/", {"start": "2026-11-10", "end": "2026-01-01"}
        ).status_code
        == 400
    )
    assert client.get("/ranking/", {"snapshot": 1, "segment": "x"}).status_code == 400
    client.force_login(outsider)
    assert client.get("/ranking/", {"segment": "enterprise"}).status_code == 403


def test_on_postgresql_one_join_gives_the_same_groups_and_coverage(corpus):
    """The slice's per-assignment rows add up to the snapshot path's groups,
    weekly counts and coverage methods (PostgreSQL; elsewhere one path)."""
    need("postgres")
    from feedback.ranking.slices import ItemFilter, slice_window
    from feedback.services import ranking_aggregates as agg
    from feedback.services.ranking import _coverage

    window = slice_window(date(2026, 9, 1), date(2026, 11, 20))
    themes = [corpus["billing"].pk, corpus["login"].pk]
    for items in (ItemFilter(segment="consumer"), ItemFilter(channel="ticket")):
        groups, weekly, methods = agg.slice_aggregates(
            window=window, theme_ids=themes, items=items
        )
        plain, plain_weekly = agg.ranking_aggregates(
            window=window, theme_ids=themes, items=items
        )
        key = ["theme_id", "negative", "recent"]
        assert groups.groupby(key)["n"].sum().to_dict() == (
            plain.groupby(key)["n"].sum().to_dict()
        )
        assert weekly == plain_weekly
        assert methods == _coverage(window, items)["by_method"]


def test_the_recompute_ranks_the_default_windows_slices_into_the_cache(
    corpus, as_user, cx_lead, django_assert_max_num_queries, settings
):
    from feedback.tasks import recompute_ranking

    settings.CXPLAN_RANKING_WARM_SLICES = 12
    ranking_mark_dirty(enqueue=False)
    outcome = recompute_ranking.apply().get()
    # Channels ticket, chat, email and segments consumer, enterprise.
    assert outcome["slices_warmed"] == 5
    client = as_user(cx_lead)
    with django_assert_max_num_queries(6):  # a cache read, as a warm slice
        body = _get(client, segment="enterprise").json()
    assert _by_name(body)["Billing"]["mentions"] == 3
    settings.CXPLAN_RANKING_WARM_SLICES = 0
    ranking_mark_dirty(enqueue=False)
    assert recompute_ranking.apply().get()["slices_warmed"] == 0
