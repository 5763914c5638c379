"""The assumptions page, and that results keep and follow the assumptions."""

import pytest

from initiatives.models import Initiative
from roi.models import AssumptionSet
from tests.initiatives.factories_initiatives import make_initiative

pytestmark = pytest.mark.django_db

FORM = {
    "rate": "0.08",
    "horizon": "3",
    "gross_margin": "0.6",
    "assisted_cost": "6",
    "self_service_cost": "0.5",
    "ramp": "0.25, 0.75, 1",
    "benefit_risk": "0.15",
    "cost_risk": "0.1",
    "note": "finance asked",
}


def test_a_cx_lead_saves_new_assumptions_and_cases_are_recomputed(
    client, cx_lead, django_capture_on_commit_callbacks
):
    initiative = make_initiative(cx_lead)
    first_set = initiative.assumptions_id
    client.force_login(cx_lead)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/assumptions/", FORM)
    assert response.status_code == 302
    current = AssumptionSet.objects.get(is_current=True)
    assert current.note == "finance asked" and current.created_by == cx_lead
    initiative.refresh_from_db()
    assert initiative.assumptions_id == current.pk != first_set
    assert initiative.result["assumptions"]["rate"] == 0.08
    # At 8% the benefits are worth more:
    # 0.85 x (3000/1.08 + 9000/1.08^2 + 12000/1.08^3) - 11000 = 6016.84
    assert str(initiative.npv) == "6016.84"
    # The old set stays, so earlier results remain explainable.
    assert AssumptionSet.objects.filter(pk=first_set, is_current=False).exists()


def test_a_bad_value_is_shown_on_its_field(client, cx_lead):
    client.force_login(cx_lead)
    response = client.post("/assumptions/", {**FORM, "ramp": "soon"})
    assert response.status_code == 400
    assert "is not a number" in response.content.decode()
    assert not AssumptionSet.objects.exists()


def test_members_see_the_page_but_only_cx_leads_change_it(
    client, advisor, executive, outsider
):
    assert client.get("/assumptions/").status_code == 302
    client.force_login(outsider)
    assert client.get("/assumptions/").status_code == 403
    for user in (advisor, executive):
        client.force_login(user)
        page = client.get("/assumptions/")
        assert page.status_code == 200
        assert "Save a new set" not in page.content.decode()
        assert client.post("/assumptions/", FORM).status_code == 403
    assert not AssumptionSet.objects.exists()
    assert not Initiative.objects.exists()
