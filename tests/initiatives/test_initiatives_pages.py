"""Initiative pages: ranked list, business case, form (new, edit), compare,
and who may open them."""

import pytest

from initiatives.models import Initiative
from tests.initiatives.factories_initiatives import make_initiative, theme_with_feedback

pytestmark = pytest.mark.django_db


def form_data(**overrides):
    data = {
        "title": "Chat bot",
        "problem": "Long waits",
        "team": "Support",
        "costs-TOTAL_FORMS": "2",
        "costs-INITIAL_FORMS": "0",
        "costs-0-kind": "one_time",
        "costs-0-label": "Licence",
        "costs-0-low": "8000",
        "costs-0-likely": "10000",
        "costs-0-high": "14000",
        "drivers-TOTAL_FORMS": "1",
        "drivers-INITIAL_FORMS": "0",
        "drivers-0-kind": "custom",
        "drivers-0-label": "Savings",
        "drivers-0-amount_per_year_low": "9000",
        "drivers-0-amount_per_year_likely": "12000",
        "drivers-0-amount_per_year_high": "13000",
    }
    data.update(overrides)
    return data


def test_a_cx_lead_creates_an_initiative_from_the_form(client, cx_lead):
    client.force_login(cx_lead)
    response = client.post("/initiatives/new/", form_data())
    initiative = Initiative.objects.get()
    assert response.status_code == 302
    assert response.url == f"/initiatives/{initiative.pk}/"
    assert str(initiative.npv) == "5303.91"
    assert initiative.cost_lines.get().high == 14000


def test_the_form_shows_errors_next_to_the_field(client, cx_lead):
    client.force_login(cx_lead)
    response = client.post(
        "/initiatives/new/", form_data(**{"costs-0-low": "20000", "title": ""})
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Expected low &lt;= likely &lt;= high." in html
    assert "This field is required." in html
    assert not Initiative.objects.exists()


def test_editing_replaces_the_case_and_refuses_a_stale_form(client, cx_lead):
    initiative = make_initiative(cx_lead)
    client.force_login(cx_lead)
    page = client.get(f"/initiatives/{initiative.pk}/edit/")
    assert page.status_code == 200
    assert 'value="Build"' in page.content.decode()
    data = form_data(title="Renamed", version="1")
    assert client.post(f"/initiatives/{initiative.pk}/edit/", data).status_code == 302
    initiative.refresh_from_db()
    assert (initiative.title, initiative.version) == ("Renamed", 2)
    stale = client.post(
        f"/initiatives/{initiative.pk}/edit/", form_data(title="Late", version="1")
    )
    assert stale.status_code == 400
    assert "changed this initiative" in stale.content.decode()


def test_the_detail_page_shows_the_case_and_both_charts(client, advisor, cx_lead):
    initiative = make_initiative(cx_lead)
    client.force_login(advisor)
    html = client.get(f"/initiatives/{initiative.pk}/").content.decode()
    assert 'data-testid="cashflow-table"' in html
    assert "$5,304" in html  # risk-adjusted NPV
    assert "24.9" in html  # payback months
    assert html.count('data-plotly="') == 2
    assert "Payback: 24.9 months" in html
    assert "P10 (downside)" in html
    assert "plotly.min.js" in html
    assert "Edit</a>" not in html


def test_the_list_ranks_and_links_to_compare(client, executive, cx_lead):
    make_initiative(cx_lead, title="Small")
    make_initiative(cx_lead, title="Big", npv_scale=2)
    client.force_login(executive)
    html = client.get("/initiatives/").content.decode()
    assert html.index("Big") < html.index("Small")
    assert 'action="/initiatives/compare/"' in html
    by_payback = client.get("/initiatives/?sort=payback").content.decode()
    assert "Ranked by payback" in by_payback


def test_compare_shows_two_to_four_side_by_side(client, executive, cx_lead):
    a, b = (
        make_initiative(cx_lead, title="Alpha"),
        make_initiative(cx_lead, title="Beta"),
    )
    client.force_login(executive)
    ok = client.get(f"/initiatives/compare/?ids={a.pk}&ids={b.pk}")
    assert ok.status_code == 200
    assert 'data-testid="compare-table"' in ok.content.decode()
    one = client.get(f"/initiatives/compare/?ids={a.pk}")
    assert one.status_code == 400
    assert "Pick 2 to 4" in one.content.decode()


def test_the_list_page_query_count_does_not_grow(
    client, cx_lead, django_assert_max_num_queries
):
    theme = theme_with_feedback("Queue", customers=1)
    client.force_login(cx_lead)
    make_initiative(cx_lead, title="I0", themes=[theme.pk])
    with django_assert_max_num_queries(20) as few:
        client.get("/initiatives/")
    for i in range(1, 10):
        make_initiative(cx_lead, title=f"I{i}", themes=[theme.pk])
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert (
            client.get("/initiatives/")
            .content.decode()
            .count('data-testid="initiative-row"')
            == 10
        )


@pytest.mark.parametrize(
    "path", ["/initiatives/", "/initiatives/compare/?ids=1,2", "/initiatives/1/"]
)
def test_anonymous_visitors_go_to_login_and_outsiders_are_refused(
    client, outsider, path
):
    assert client.get(path).status_code == 302
    client.force_login(outsider)
    assert client.get(path).status_code == 403


@pytest.mark.parametrize("path", ["/initiatives/new/", "/initiatives/{pk}/edit/"])
def test_only_cx_leads_open_the_form(client, cx_lead, executive, advisor, path):
    initiative = make_initiative(cx_lead)
    path = path.format(pk=initiative.pk)
    assert client.get(path).status_code == 302
    for user in (executive, advisor):
        client.force_login(user)
        assert client.get(path).status_code == 403
        assert client.post(path, form_data()).status_code == 403
    assert Initiative.objects.count() == 1


def test_a_case_never_computed_is_filled_in_when_opened(client, advisor):
    initiative = Initiative.objects.create(title="Imported")
    client.force_login(advisor)
    html = client.get(f"/initiatives/{initiative.pk}/").content.decode()
    initiative.refresh_from_db()
    assert initiative.result["raw"]["npv"] == 0.0
    assert initiative.assumptions is not None
    assert 'data-testid="figures"' in html


def test_an_older_cached_distribution_still_draws(client, advisor, cx_lead):
    initiative = make_initiative(cx_lead)
    result = dict(initiative.result)
    result["npv_quantiles"] = result["npv_quantiles"][::2]  # fewer points
    Initiative.objects.filter(pk=initiative.pk).update(result=result)
    client.force_login(advisor)
    response = client.get(f"/initiatives/{initiative.pk}/")
    assert response.status_code == 200
    assert "P10 (downside)" in response.content.decode()
