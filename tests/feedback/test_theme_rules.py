"""Keyword rules: whole words, case-insensitive, stemmed, several themes per text."""

import pytest

from feedback.themes.rules import compile_rules, match, match_many
from feedback.themes.text import stem

BILLING, LOGIN, APP = 1, 2, 3


@pytest.fixture
def rules():
    return compile_rules(
        {BILLING: ["refund", "late fee"], LOGIN: ["log in", "password"], APP: ["app"]}
    )


@pytest.mark.parametrize(
    "words",
    [
        ["refund", "refunds", "refunded", "refunding"],
        ["charge", "charges", "charged", "charging"],
        ["log", "logs", "logged", "logging"],
        ["company", "companies"],
        ["use", "used", "using", "uses"],
    ],
)
def test_stem_gives_one_stem_for_inflections(words):
    assert len({stem(w) for w in words}) == 1


def test_stem_keeps_unrelated_words_apart():
    assert stem("app") != stem("happy")
    assert stem("us") != stem("use")


def test_keyword_matches_whole_words_only(rules):
    assert match(rules, "I am so happy with the service") == []
    assert match(rules, "The app keeps crashing") == [APP]


def test_matching_ignores_case(rules):
    assert match(rules, "MY REFUND NEVER CAME") == [BILLING]


@pytest.mark.parametrize("text", ["refunds", "it was refunded", "still refunding me"])
def test_keyword_matches_inflected_forms(rules, text):
    assert match(rules, text) == [BILLING]


@pytest.mark.parametrize(
    "text", ["I was logging in", "after I logged in", "cannot log-in today"]
)
def test_phrase_matches_inflected_words_in_order(rules, text):
    assert match(rules, text) == [LOGIN]


@pytest.mark.parametrize("text", ["my login failed", "in the log", "log me in"])
def test_phrase_needs_its_words_adjacent_and_separate(rules, text):
    assert match(rules, text) == []


def test_text_can_match_several_themes(rules):
    text = "The app charged a late fee and now I cannot log in"
    assert match(rules, text) == [BILLING, LOGIN, APP]


def test_blank_keywords_and_empty_texts_match_nothing():
    rules = compile_rules({BILLING: ["", "  ", "!!"], LOGIN: []})
    assert match(rules, "anything at all") == []
    assert match(compile_rules({BILLING: ["refund"]}), "") == []


def test_match_many_gives_the_same_answers_as_match(rules):
    texts = ["refund please", "", "happy app user", "password reset, late fees", "x"]
    assert match_many(rules, texts) == [match(rules, t) for t in texts]


def test_match_many_handles_a_large_batch(rules):
    texts = ["the app refunded my late fee", "nothing to see here"] * 5000
    found = match_many(rules, texts)
    assert found[0] == [BILLING, APP]
    assert found[1] == []
    assert len(found) == len(texts)
