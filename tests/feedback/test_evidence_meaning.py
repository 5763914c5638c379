"""The evidence check by meaning (issue 20.6): stems, related words learned from
the corpus, how sure each match is, through the API and the page."""

from datetime import UTC, datetime, timedelta

import pytest

from feedback.models import ThemeAssignment
from feedback.services.evidence_words import evidence_words_forget
from feedback.tasks import learn_evidence_words
from tests.factories import CustomerFactory, FeedbackItemFactory, ThemeFactory

URL = "/api/v1/evidence/"
NEWEST = datetime(2026, 11, 20, 12, tzinfo=UTC)

EXACT = "We would love a customer forum, a message board to swap tips"
STEM = (
    "Please open forums where customers help each other",
    "A forum or community for other users would help",
    "A community forum to swap tips with other users",
    "A message board or forum for other users to swap tips",
)
RELATED = (
    "An online community where users swap tips",
    "A message board where users swap tips and help each other",
)
CUSTOMER_ONLY = (
    "As a customer my bill was wrong again",
    "Customer service kept me on hold for an hour",
    "Poor customer care, the engineer never came",
    "Another customer complaint about the bill",
    "Customer support hung up on me",
    "I have been a loyal customer for years and the price went up",
    "The customer portal logs me out",
    "Customer care never called back about the refund",
    "Worst customer experience with the router",
    "Customer help line was closed",
)
UNRELATED = "The router drops every evening"
OTHERS = (
    UNRELATED,
    "My refund is still missing after three weeks",
    "The bill doubled without warning",
    "The app will not let me log in, please help",
    "Nobody could help with the bill",
    "Waited an hour on hold and the call dropped",
    "The engineer did not turn up",
    "The refund took a month and nobody would help",
    "The router needs a restart every day",
    "The app crashes when I open the bill",
    "The price went up again",
    "Nobody answers the phone in the evening",
    "The engineer fixed the fault quickly",
)


@pytest.fixture
def corpus(db):
    evidence_words_forget()
    texts = (EXACT, *STEM, *RELATED, *CUSTOMER_ONLY, *OTHERS)
    theme = ThemeFactory(name="Community")
    for i, text in enumerate(texts):
        item = FeedbackItemFactory(
            text=text,
            customer=CustomerFactory(annual_revenue=123456),
            # The exact phrase is the oldest: it must still come first.
            created=NEWEST - timedelta(hours=len(texts) - i if i else 500),
        )
        if text in RELATED:
            ThemeAssignment.objects.create(item=item, theme=theme, method="rule")
    return texts


def _by_text(body):
    return {row["text"]: row for row in body["examples"]}


def test_customer_forum_finds_stems_and_related_words_surest_first(
    corpus, as_user, advisor
):
    body = as_user(advisor).get(URL, {"q": "customer forum"}).json()
    rows = _by_text(body)
    assert body["examples"][0]["text"] == EXACT
    assert rows[EXACT]["match"] == "exact" and rows[EXACT]["score"] == 1.0
    for text in STEM:
        assert rows[text]["match"] == "stem", text
    for text in RELATED:
        assert rows[text]["match"] == "related", text
    best_related = max(rows[t]["score"] for t in RELATED)
    worst_stem = min(rows[t]["score"] for t in STEM)
    assert 0 < best_related < worst_stem < 1.0
    assert UNRELATED not in rows
    assert not set(CUSTOMER_ONLY) & set(rows)  # "customer" alone is not a forum
    assert body["matches"] == {"exact": 1, "stem": 4, "related": 2}
    assert body["items"] == 7 and body["customers"] == 7
    assert body["themes"] == [
        {"theme_id": body["themes"][0]["theme_id"], "theme": "Community", "items": 2}
    ]
    terms = {t["term"]: t for t in body["related_terms"]}
    assert "community" in terms or "board" in terms
    assert all(0 < t["similarity"] <= 1 and t["for"] for t in terms.values())
    assert body["words"]["state"] == "ready"
    assert "related word" in body["method"]


def test_the_answer_keeps_the_old_keys_and_hides_no_new_field(corpus, as_user, advisor):
    body = as_user(advisor).get(URL, {"q": "forums"}).json()
    assert {"q", "items", "customers", "negative_items", "themes", "quotes"} <= set(
        body
    )
    assert len(body["quotes"]) == 3
    assert "123456" not in str(body) and "customer" not in body["examples"][0]


def test_leaving_out_a_related_term_drops_its_matches(corpus, as_user, advisor):
    body = as_user(advisor).get(URL, {"q": "customer forum"}).json()
    used = [t["term"] for t in body["related_terms"]]
    left = as_user(advisor).get(URL, {"q": "customer forum", "exclude": ",".join(used)})
    assert left.status_code == 200
    body = left.json()
    assert body["related_terms"] == [] and body["matches"]["related"] == 0
    assert body["excluded"] == sorted(used)
    assert body["items"] == 5


def test_an_unknown_word_matches_nothing(corpus, as_user, advisor):
    body = as_user(advisor).get(URL, {"q": "loyalty points scheme"}).json()
    assert body["items"] == 0 and body["examples"] == []
    assert body["unmatched_terms"] == ["loyalty", "points", "scheme"]
    assert as_user(advisor).get(URL, {"q": "?!"}).json()["items"] == 0
    # Stop words only: looked for as they are ("never" is in 2 items).
    assert as_user(advisor).get(URL, {"q": "never"}).json()["items"] == 2


def test_without_learned_words_it_matches_stems_and_says_so(
    corpus, as_user, advisor, monkeypatch
):
    learned = as_user(advisor).get(URL, {"q": "customer forum"}).json()
    used = ",".join(t["term"] for t in learned["related_terms"])
    indexed = as_user(advisor).get(URL, {"q": "customer forum", "exclude": used})
    monkeypatch.setattr(
        "feedback.services.evidence_words._request_learning", lambda: None
    )
    evidence_words_forget()
    body = as_user(advisor).get(URL, {"q": "customer forum"}).json()
    assert body["words"]["state"] == "learning"
    assert body["matches"]["related"] == 0 and body["related_terms"] == []
    assert "stems only" in body["method"]
    assert body["examples"][0]["text"] == EXACT
    # The database's way and the index's way give the same answer.
    same = ("item_id", "match", "score")
    assert [[row[k] for k in same] for row in body["examples"]] == [
        [row[k] for k in same] for row in indexed.json()["examples"]
    ]


def test_new_feedback_is_searched_at_once_with_the_older_words_meanwhile(
    corpus, as_user, advisor, monkeypatch
):
    assert learn_evidence_words.apply().get()["status"] == "learned"
    assert learn_evidence_words.apply().get()["status"] == "fresh"
    monkeypatch.setattr(
        "feedback.services.evidence_words._request_learning", lambda: None
    )
    FeedbackItemFactory(text="Forums for customers, please", created=NEWEST)
    body = as_user(advisor).get(URL, {"q": "customer forum"}).json()
    assert body["words"]["state"] == "stale" and "earlier version" in body["method"]
    assert body["items"] == 8 and body["examples"][1]["match"] == "stem"
    monkeypatch.undo()
    assert learn_evidence_words.apply().get()["status"] == "learned"
    body = as_user(advisor).get(URL, {"q": "customer forum"}).json()
    assert body["words"]["state"] == "ready"


@pytest.mark.parametrize("q", ["", "x", "y" * 201])
def test_bad_phrase_is_400(corpus, as_user, advisor, q):
    got = as_user(advisor).get(URL, {"q": q})
    assert got.status_code == 400
    assert got.json()["errors"][0]["field"] == "q"


def test_too_many_left_out_terms_is_400(corpus, as_user, advisor):
    many = ",".join(f"t{i}" for i in range(21))
    got = as_user(advisor).get(URL, {"q": "forum", "exclude": many})
    assert got.status_code == 400


def test_members_only(corpus, api, as_user, outsider, client):
    assert api.get(URL, {"q": "forum"}).status_code in (401, 403)
    assert as_user(outsider).get(URL, {"q": "forum"}).status_code == 403
    assert client.get("/evidence/?q=forum").status_code == 302
    client.force_login(outsider)
    assert client.get("/evidence/?q=forum").status_code == 403


def test_page_shows_related_terms_kinds_items_and_leaves_a_term_out(
    corpus, client, advisor
):
    client.force_login(advisor)
    page = client.get("/evidence/", {"q": "customer forum"}).content.decode()
    assert 'data-testid="evidence-related"' in page and "leave out" in page
    assert "<strong>1</strong> say the phrase word for word" in page
    assert page.count('data-match="related"') == 2
    assert "exclude=" in page
    body = client.get(URL, {"q": "customer forum"}).json()
    term = body["related_terms"][0]["term"]
    left = client.get("/evidence/", {"q": "customer forum", "exclude": term})
    html = left.content.decode()
    assert left.status_code == 200 and "use again" in html
    assert client.get("/evidence/", {"q": "y" * 201}).status_code == 400
