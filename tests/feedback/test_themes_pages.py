"""Theme pages and the feedback list: who sees what, filters, labelling."""

import pytest
from django.test import Client

from feedback.models import Theme, ThemeAssignment, ThemeSuggestion
from tests.factories import PASSWORD, CustomerFactory, FeedbackItemFactory, ThemeFactory
from tests.feedback.factories_themes import (
    _fresh_cache,  # noqa: F401
    labelled_corpus,
)

pytestmark = pytest.mark.django_db


def login(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_feedback_list_shows_themes_with_their_method(advisor):
    theme = ThemeFactory(name="Late refunds")
    item = FeedbackItemFactory(text="Refund still missing")
    ThemeAssignment.objects.create(
        item=item, theme=theme, method="rule", confidence=0.9
    )
    html = login(advisor).get("/feedback/").content.decode()
    assert "Refund still missing" in html
    assert "Late refunds · rule" in html


def test_advisors_never_see_customer_identity_or_revenue(advisor, cx_lead):
    customer = CustomerFactory(name="Acme Bank", annual_revenue=987654)
    FeedbackItemFactory(customer=customer, text="Slow transfers")
    advisor_html = login(advisor).get("/feedback/").content.decode()
    assert "Slow transfers" in advisor_html
    assert "Acme Bank" not in advisor_html and "987654" not in advisor_html
    lead_html = login(cx_lead).get("/feedback/").content.decode()
    assert "Acme Bank" in lead_html and "987654" in lead_html


def test_feedback_list_filters_by_theme_polarity_channel_segment_and_text(advisor):
    theme = ThemeFactory(name="Login")
    a = FeedbackItemFactory(text="alpha login", polarity="negative", channel="chat")
    b = FeedbackItemFactory(text="beta", polarity="positive", segment="smb")
    ThemeAssignment.objects.create(item=a, theme=theme, method="manual")
    client = login(advisor)

    def shown(**params):
        page = client.get("/feedback/", params).context["page"]
        return {i.pk for i in page.object_list}

    assert shown() == {a.pk, b.pk}
    assert shown(theme=theme.pk) == {a.pk}
    assert shown(theme="none") == {b.pk}
    assert shown(polarity="positive") == {b.pk}
    assert shown(channel="chat") == {a.pk}
    assert shown(segment="smb") == {b.pk}
    assert shown(q="ALPHA") == {a.pk}


def test_htmx_filters_answer_only_the_results(advisor):
    FeedbackItemFactory(text="hello")
    response = login(advisor).get("/feedback/", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "hello" in html and "<html" not in html


def test_cx_leads_get_checkboxes_and_label_selected_items(cx_lead):
    theme = ThemeFactory(name="Login")
    items = [FeedbackItemFactory(), FeedbackItemFactory()]
    client = login(cx_lead)
    assert 'name="items"' in client.get("/feedback/").content.decode()
    response = client.post(
        "/feedback/label",
        {
            "items": [i.pk for i in items],
            "themes": [theme.pk],
            "mode": "add",
            "next": "/feedback/?polarity=negative",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/feedback/?polarity=negative"
    assert ThemeAssignment.objects.filter(theme=theme, method="manual").count() == 2


def test_advisors_cannot_label_and_see_no_checkboxes(advisor):
    theme = ThemeFactory(name="Login")
    item = FeedbackItemFactory()
    client = login(advisor)
    assert 'name="items"' not in client.get("/feedback/").content.decode()
    response = client.post(
        "/feedback/label", {"items": [item.pk], "themes": [theme.pk]}
    )
    assert response.status_code == 403
    assert not ThemeAssignment.objects.exists()


def test_feedback_list_refuses_anonymous_and_outsiders(outsider):
    assert Client().get("/feedback/").status_code == 302
    assert login(outsider).get("/feedback/").status_code == 403


def test_feedback_list_queries_stay_constant_as_items_grow(
    cx_lead, django_assert_max_num_queries
):
    client = login(cx_lead)

    def grow(n):
        theme = ThemeFactory()
        for _ in range(n):
            item = FeedbackItemFactory(customer=CustomerFactory())
            ThemeAssignment.objects.create(item=item, theme=theme, method="rule")

    grow(3)
    with django_assert_max_num_queries(20) as few:
        client.get("/feedback/")
    grow(30)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(client.get("/feedback/").context["page"].object_list) == 33


def test_theme_list_shows_model_quality_and_suggestions(advisor):
    from feedback.tasks import train_themes

    labelled_corpus()
    train_themes.delay().get()
    suggestion = ThemeSuggestion.objects.create(
        name="Late fee", terms=["late fee", "fee"], size=9, example_ids=[]
    )
    html = login(advisor).get("/themes/").content.decode()
    assert "cross-validated macro-F1" in html
    assert 'data-testid="model-f1"' in html
    assert "Billing: 8" in html
    assert suggestion.name in html
    # Advisors see but do not act.
    assert "theme-form" not in html and "Accept as theme" not in html


def test_theme_list_queries_stay_constant(advisor, django_assert_max_num_queries):
    client = login(advisor)
    for _ in range(2):
        ThemeFactory()
    with django_assert_max_num_queries(20) as few:
        client.get("/themes/")
    for _ in range(15):
        theme = ThemeFactory()
        ThemeAssignment.objects.create(
            item=FeedbackItemFactory(), theme=theme, method="rule"
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/themes/")


def test_cx_lead_creates_edits_merges_and_archives_themes_on_pages(cx_lead):
    client = login(cx_lead)
    response = client.post(
        "/themes/new", {"name": "Refunds", "keywords": "refund\nrebate"}
    )
    assert response.status_code == 302
    theme = Theme.objects.get(name="Refunds")
    assert theme.keywords == ["refund", "rebate"]
    other = ThemeFactory(name="Money back")
    edited = client.post(
        f"/themes/{theme.pk}/",
        {"name": "Refunds", "description": "Money", "keywords": "refund"},
    )
    assert edited.status_code == 302
    theme.refresh_from_db()
    assert theme.keywords == ["refund"] and theme.description == "Money"
    merged = client.post(f"/themes/{other.pk}/merge", {"into": theme.pk})
    assert merged.status_code == 302
    other.refresh_from_db()
    assert other.merged_into == theme
    client.post(f"/themes/{theme.pk}/archive")
    theme.refresh_from_db()
    assert not theme.is_active
    client.post(f"/themes/{theme.pk}/restore")
    theme.refresh_from_db()
    assert theme.is_active


def test_a_duplicate_theme_name_re_renders_the_form_with_the_error(cx_lead):
    ThemeFactory(name="Refunds")
    response = login(cx_lead).post("/themes/new", {"name": "refunds"})
    assert response.status_code == 400
    assert "already exists" in response.content.decode()


def test_theme_pages_refuse_changes_by_other_roles(advisor, executive):
    theme = ThemeFactory(name="Refunds")
    other = ThemeFactory(name="Other")
    assert Client().get("/themes/").status_code == 302
    for user in (advisor, executive):
        client = login(user)
        assert client.get("/themes/").status_code == 200
        assert client.get(f"/themes/{theme.pk}/").status_code == 200
        assert client.post("/themes/new", {"name": "X"}).status_code == 403
        assert client.post(f"/themes/{theme.pk}/", {"name": "Y"}).status_code == 403
        merge = client.post(f"/themes/{theme.pk}/merge", {"into": other.pk})
        assert merge.status_code == 403
        assert client.post(f"/themes/{theme.pk}/archive").status_code == 403
        assert client.post("/themes/train").status_code == 403
        assert client.post("/themes/discover", {"k": 3}).status_code == 403
    assert Theme.objects.filter(is_active=True).count() == 2


def test_suggestion_buttons_accept_and_dismiss(cx_lead):
    item = FeedbackItemFactory(text="late fee again", polarity="negative")
    keep = ThemeSuggestion.objects.create(
        name="Late fee", terms=["late fee", "fee"], size=1, example_ids=[item.pk]
    )
    drop = ThemeSuggestion.objects.create(name="Noise", terms=["x"], size=1)
    client = login(cx_lead)
    assert client.post(f"/themes/suggestions/{keep.pk}/accept", {"name": "Fees"})
    theme = Theme.objects.get(name="Fees")
    assert ThemeAssignment.objects.get(item=item).theme == theme
    client.post(f"/themes/suggestions/{drop.pk}/dismiss")
    drop.refresh_from_db()
    assert drop.status == "dismissed"


def test_the_nav_links_feedback_and_themes_for_members_and_the_queue_for_leads(
    advisor, cx_lead
):
    advisor_html = login(advisor).get("/themes/").content.decode()
    assert 'data-nav="feedback"' in advisor_html
    assert 'data-nav="themes"' in advisor_html
    assert 'data-nav="queue"' not in advisor_html
    assert 'data-nav="queue"' in login(cx_lead).get("/themes/").content.decode()


def test_cx_leads_download_the_filtered_list_from_the_page(client, cx_lead, advisor):
    from tests.factories import FeedbackItemFactory

    FeedbackItemFactory(text="=cmd|' /C calc'!A0 refund late", polarity="negative")
    FeedbackItemFactory(text="Lovely engineer", polarity="positive")
    client.force_login(cx_lead)
    page = client.get("/feedback/?polarity=negative").content.decode()
    link = page.split('data-testid="export-csv"')[0].rsplit('href="', 1)[1]
    link = link.split('"')[0].replace("&amp;", "&")
    assert "polarity=negative" in link
    csv = client.get(link)
    assert csv.status_code == 200
    body = csv.content.decode()
    assert "refund late" in body and "Lovely engineer" not in body
    assert "'=cmd" in body  # formula neutralised
    client.force_login(advisor)
    assert 'data-testid="export-csv"' not in client.get("/feedback/").content.decode()
