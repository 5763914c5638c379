"""Theme discovery groups similar texts and explains each group."""

from feedback.themes.discovery import discover

PETS = [
    "my cat and my dog need a vet visit for the kitten",
    "the puppy and the kitten play, the cat sleeps, the dog barks",
    "vet said the dog and cat are healthy pets",
    "cat food and dog food for my pets at the vet",
    "kitten and puppy vaccines at the vet clinic",
    "the dog chased the cat around the vet clinic",
]
MONEY = [
    "my bank charged an overdraft fee on my checking account",
    "the bank refused to refund the overdraft fee",
    "checking account interest rate and bank fee questions",
    "overdraft fee again on the account, bank support useless",
    "bank account closed and the fee was not refunded",
    "interest on my savings account and a bank fee",
]


def test_discovery_separates_two_obvious_clusters():
    texts = PETS + MONEY
    found = discover(texts, k=2, seed=0)
    assert len(found) == 2
    groups = [set(c.example_indices) for c in found]
    pets, money = set(range(len(PETS))), set(range(len(PETS), len(texts)))
    assert any(g <= pets for g in groups)
    assert any(g <= money for g in groups)
    assert sorted(c.size for c in found) == [6, 6]


def test_each_candidate_has_three_examples_terms_and_a_name():
    for candidate in discover(PETS + MONEY, k=2, seed=0):
        assert len(candidate.example_indices) == 3
        assert candidate.terms
        assert candidate.keywords
        assert candidate.suggested_name


def test_cluster_terms_describe_the_cluster():
    found = discover(PETS + MONEY, k=2, seed=0)
    words = [" ".join(c.terms) for c in found]
    assert any("cat" in w or "dog" in w for w in words)
    assert any("bank" in w or "fee" in w for w in words)


def test_fewer_texts_than_k_gives_fewer_candidates():
    found = discover(["late delivery", "broken screen", "rude agent"], k=5)
    assert 1 <= len(found) <= 3


def test_empty_texts_are_skipped_but_indices_refer_to_the_input():
    texts = ["", "   "] + PETS + [""] + MONEY
    found = discover(texts, k=2, seed=0)
    used = {i for c in found for i in c.example_indices}
    assert used.isdisjoint({0, 1, 2 + len(PETS)})
    assert sum(c.size for c in found) == len(PETS) + len(MONEY)


def test_no_usable_text_gives_no_candidates():
    assert discover([], k=3) == []
    assert discover(["", "the and of"], k=3) == []


def test_discovery_is_repeatable_with_a_seed():
    first = discover(PETS + MONEY, k=2, seed=3)
    again = discover(PETS + MONEY, k=2, seed=3)
    assert [c.example_indices for c in first] == [c.example_indices for c in again]
