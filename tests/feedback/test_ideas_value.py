"""Ideas weighed by value (issue 24.3): the customers behind an idea (attached,
or of attached feedback items, each once), their annual revenue for the roles
that see revenue, and the list ordered by votes or by that revenue."""

import pytest

from feedback.models import Idea
from tests.factories import (
    CustomerFactory,
    FeedbackItemFactory,
    IdeaFactory,
    UserFactory,
)
from tests.feedback.factories_ideas import voted

pytestmark = pytest.mark.django_db
IDEAS = "/api/v1/ideas/"


def attach(api, idea, **body):
    return api.post(f"{IDEAS}{idea.pk}/customers/", body, format="json")


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [i["id"] for i in response.json()["results"]]


def test_the_author_attaches_customers_by_id_external_id_and_items(
    advisor, cx_lead, as_user
):
    idea = IdeaFactory(author=advisor)
    acme = CustomerFactory(external_id="ACME", annual_revenue=50_000)
    zeta = CustomerFactory(annual_revenue=20_000)
    both = CustomerFactory(annual_revenue=7_500)
    items = [FeedbackItemFactory(customer=both), FeedbackItemFactory(customer=zeta)]
    anonymous = FeedbackItemFactory(customer=None)
    answer = attach(
        as_user(advisor),
        idea,
        customers=[zeta.pk],
        customer_external_ids=["ACME"],
        items=[i.pk for i in items] + [anonymous.pk],
    )
    assert answer.status_code == 200, answer.content
    # zeta is named and behind an item: one customer; the anonymous item none.
    assert answer.json()["customers"] == 3
    assert answer.json()["customer_revenue"] is None  # hidden from advisors
    seen = as_user(cx_lead).get(f"{IDEAS}{idea.pk}/").json()
    assert seen["customers"] == 3
    assert seen["customer_revenue"] == 77_500.0
    assert set(Idea.objects.get(pk=idea.pk).customers.all()) == {acme, zeta}


def test_a_list_given_replaces_and_one_left_out_stays(cx_lead, as_user):
    idea = IdeaFactory()
    first, second = CustomerFactory(), CustomerFactory()
    item = FeedbackItemFactory(customer=CustomerFactory())
    api = as_user(cx_lead)
    attach(api, idea, customers=[first.pk], items=[item.pk])
    answer = attach(api, idea, customers=[second.pk])
    assert answer.json()["customers"] == 2  # second, and the item's customer
    assert answer.json()["customer_revenue"] == 2000.0
    assert attach(api, idea, items=[]).json()["customers"] == 1


def test_only_the_author_or_a_cx_lead_attaches(
    advisor, other_advisor, executive, as_user
):
    idea = IdeaFactory(author=advisor)
    customer = CustomerFactory()
    for user in (other_advisor, executive):
        answer = attach(as_user(user), idea, customers=[customer.pk])
        assert answer.status_code == 403, user
    assert idea.customers.count() == 0


def test_unknown_customers_and_items_are_named(advisor, as_user):
    idea = IdeaFactory(author=advisor)
    api = as_user(advisor)
    answer = attach(api, idea, customers=[999_999], customer_external_ids=["NOPE"])
    assert answer.status_code == 400
    assert "999999" in answer.content.decode()
    answer = attach(api, idea, customer_external_ids=["NOPE"])
    assert answer.status_code == 400 and "NOPE" in answer.content.decode()
    assert attach(api, idea, items=[2**40]).status_code == 400
    assert attach(api, idea, customers="x").status_code == 400


def test_the_list_orders_by_votes_either_way(
    advisor, other_advisor, executive, as_user
):
    few = voted(IdeaFactory(), advisor)
    many = voted(IdeaFactory(), advisor, other_advisor, executive)
    none = IdeaFactory()
    api = as_user(advisor)
    assert ids(api.get(IDEAS, {"ordering": "-votes"})) == [many.pk, few.pk, none.pk]
    assert ids(api.get(IDEAS, {"ordering": "votes"})) == [none.pk, few.pk, many.pk]
    # The older `sort` still works; `ordering` wins when both are sent.
    assert ids(api.get(IDEAS, {"sort": "votes"}))[0] == many.pk
    both = api.get(IDEAS, {"sort": "votes", "ordering": "votes"})
    assert ids(both)[0] == none.pk
    assert api.get(IDEAS, {"ordering": "-title"}).status_code == 400


def _valued():
    rich, poor, unknown = IdeaFactory(), IdeaFactory(), IdeaFactory()
    rich.customers.set([CustomerFactory(annual_revenue=90_000)])
    poor.items.set([FeedbackItemFactory(customer=CustomerFactory(annual_revenue=10))])
    # Two customers, one without a known revenue (counts 0 in the sum).
    unknown.customers.set(
        [CustomerFactory(annual_revenue=None), CustomerFactory(annual_revenue=500)]
    )
    return rich, poor, unknown


@pytest.mark.parametrize("role", ["cx_lead", "executive"])
def test_managers_order_by_customer_revenue(role, as_user):
    rich, poor, unknown = _valued()
    api = as_user(UserFactory(role=role))
    order = ids(api.get(IDEAS, {"ordering": "-customer_revenue"}))
    assert order == [rich.pk, unknown.pk, poor.pk]
    assert ids(api.get(IDEAS, {"ordering": "customer_revenue"})) == order[::-1]
    rows = {r["id"]: r for r in api.get(IDEAS).json()["results"]}
    assert rows[unknown.pk]["customers"] == 2
    assert rows[unknown.pk]["customer_revenue"] == 500.0


def test_advisors_may_not_order_by_revenue_nor_see_it(advisor, as_user):
    _valued()
    api = as_user(advisor)
    for ordering in ("-customer_revenue", "customer_revenue"):
        answer = api.get(IDEAS, {"ordering": ordering})
        assert answer.status_code == 400
        [error] = answer.json()["errors"]
        assert error["field"] == "ordering"
        assert "customer revenue" in error["message"]
    rows = api.get(IDEAS).json()["results"]
    assert {r["customer_revenue"] for r in rows} == {None}
    assert sorted(r["customers"] for r in rows) == [1, 1, 2]


def test_the_list_costs_the_same_queries_for_3_or_30_valued_ideas(
    cx_lead, as_user, django_assert_max_num_queries
):
    def grow(n):
        for _ in range(n):
            idea = voted(IdeaFactory(), UserFactory())
            idea.customers.set([CustomerFactory()])
            idea.items.set([FeedbackItemFactory(customer=CustomerFactory())])

    api = as_user(cx_lead)
    grow(3)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as three:
        first = api.get(IDEAS, {"ordering": "-customer_revenue"})
    grow(27)
    assert len(three.captured_queries) <= 6
    with django_assert_max_num_queries(len(three.captured_queries)):
        rows = api.get(IDEAS, {"ordering": "-customer_revenue"}).json()["results"]
    assert len(first.json()["results"]) == 3 and len(rows) == 30
    assert {r["customers"] for r in rows} == {2}
    assert {r["customer_revenue"] for r in rows} == {2000.0}
