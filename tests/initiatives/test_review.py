"""The executive review page: ranked figures, one-click decisions, changes since
the last visit."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from initiatives.models import Allocation, Decision, Initiative, ReviewVisit
from tests.initiatives.factories_funding import (
    add_custom_benefit,
    initiative_costing,
    source_with,
)

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
# Session, user, roles, visit, cases, changes, badge; N+1 would add 10+.
QUERY_LIMIT = 22


def funded_case(title, cost=10_000, benefit=20_000):
    initiative = initiative_costing(cost, title=title)
    add_custom_benefit(initiative, benefit)
    source = source_with({0: cost})
    Allocation.objects.create(source=source, initiative=initiative, year=0, amount=cost)
    return initiative


def test_only_executives_open_the_review(client, cx_lead, advisor, outsider):
    url = reverse("review")
    assert client.get(url).status_code == 302
    for user in (cx_lead, advisor, outsider):
        client.force_login(user)
        assert client.get(url).status_code == 403
        assert client.post(reverse("review-decide", args=[1])).status_code == 403


def test_initiatives_are_ranked_with_their_figures_and_funding(client, executive):
    funded_case("Modest", benefit=12_000)
    funded_case("Strong", benefit=40_000)
    unfunded = initiative_costing(5000, title="Unfunded")
    add_custom_benefit(unfunded, 1000)
    Initiative.objects.filter(title="Strong").update(
        result={"risk_adjusted": {"montecarlo": {"p10": -1000.0, "p90": 90_000.0}}}
    )
    client.force_login(executive)
    page = client.get(reverse("review")).content.decode()
    assert page.index("Strong") < page.index("Modest") < page.index("Unfunded")
    assert "-$1,000 to $90,000" in page
    assert "gap of $5,000" in page
    assert page.count('data-testid="funding-state">fully funded') == 2


def test_a_one_click_approval_swaps_the_row(client, executive):
    initiative = funded_case("Chat")
    client.force_login(executive)
    response = client.post(
        reverse("review-decide", args=[initiative.pk]),
        {"verdict": "approve", "comment": "", "version": initiative.version},
        **HTMX,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<article id="review-')
    assert "approve recorded" in html
    initiative.refresh_from_db()
    assert initiative.status == "approved"
    assert Decision.objects.get().decided_by == executive


def test_refusals_show_in_the_row(client, executive):
    unfunded = initiative_costing(5000, title="Needs money")
    client.force_login(executive)
    url = reverse("review-decide", args=[unfunded.pk])
    approve = client.post(url, {"verdict": "approve"}, **HTMX).content.decode()
    assert "Not fully funded" in approve and "$5,000.00 in year 0" in approve
    reject = client.post(url, {"verdict": "reject"}, **HTMX).content.decode()
    assert "Say why" in reject
    stale = client.post(
        url, {"verdict": "reject", "comment": "no", "version": 99}, **HTMX
    ).content.decode()
    assert "changed since you loaded" in stale
    assert not Decision.objects.exists()


def test_a_rejection_without_htmx_redirects_with_a_message(client, executive):
    initiative = funded_case("Kiosk")
    client.force_login(executive)
    response = client.post(
        reverse("review-decide", args=[initiative.pk]),
        {"verdict": "reject", "comment": "Not now, not ever"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("review")
    assert "reject recorded" in response.content.decode()
    initiative.refresh_from_db()
    assert initiative.status == "rejected"
    htmx = client.post(
        reverse("review-decide", args=[initiative.pk]),
        {"verdict": "approve"},
        **HTMX,
    ).content.decode()
    assert "cannot be approved" in htmx


def test_deciding_on_an_unknown_initiative_is_404(client, executive):
    client.force_login(executive)
    assert client.post(reverse("review-decide", args=[999999])).status_code == 404


def test_the_page_marks_what_changed_since_the_last_visit(client, executive):
    old = funded_case("Old news")
    client.force_login(executive)
    first = client.get(reverse("review")).content.decode()
    assert "first visit" in first
    visit = ReviewVisit.objects.get(user=executive)
    # Pretend the visit was an hour ago and that "Old news" predates it.
    earlier = timezone.now() - timedelta(hours=1)
    ReviewVisit.objects.filter(pk=visit.pk).update(seen_at=earlier)
    before = earlier - timedelta(hours=1)
    Initiative.objects.filter(pk=old.pk).update(updated_at=before)
    Allocation.objects.filter(initiative=old).update(created_at=before)
    funded_case("Fresh idea")
    page = client.get(reverse("review")).content.decode()
    assert "New initiative: Fresh idea" in page
    fresh = page[page.index("Fresh idea") :]
    assert 'data-testid="changed"' in fresh[: fresh.index("</article>")]
    stale = page[page.index(f'id="review-{old.pk}"') :]
    assert 'data-testid="changed"' not in stale[: stale.index("</article>")]
    assert ReviewVisit.objects.get(user=executive).seen_at > earlier


def test_the_review_does_not_grow_queries(
    client, executive, django_assert_max_num_queries
):
    for n in range(2):
        funded_case(f"Case {n}")
    client.force_login(executive)
    client.get(reverse("review"))  # the first visit has no "since" to compare
    with django_assert_max_num_queries(QUERY_LIMIT):
        client.get(reverse("review"))
    for n in range(2, 12):
        initiative = funded_case(f"Case {n}")
        Decision.objects.create(
            initiative=initiative, verdict="defer", comment="x", decided_by=executive
        )
    with django_assert_max_num_queries(QUERY_LIMIT):
        assert (
            client.get(reverse("review"))
            .content.decode()
            .count('data-testid="review-row"')
            == 12
        )


def test_the_nav_links_review_for_executives_and_funding_for_managers(
    client, executive, cx_lead, advisor
):
    client.force_login(executive)
    page = client.get(reverse("funding-plan")).content.decode()
    assert 'data-nav="review"' in page and 'data-nav="funding"' in page
    client.force_login(cx_lead)
    page = client.get(reverse("funding-plan")).content.decode()
    assert 'data-nav="funding"' in page and 'data-nav="review"' not in page
    client.force_login(advisor)
    page = client.get(reverse("dashboard")).content.decode()
    assert 'data-nav="funding"' not in page and 'data-nav="review"' not in page
