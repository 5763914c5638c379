def test_priming_in_worker_processes_gives_the_scores_of_one_process(monkeypatch):
    from feedback import sentiment

    texts = [f"item {i}: the refund was late and rude" for i in range(30)]
    texts += ["love it, great app", "love it, great app", "", "ok"]
    expected = [sentiment.score_text(t) for t in texts]
    monkeypatch.setattr(sentiment, "_SEEN", {})
    monkeypatch.setattr(sentiment, "PARALLEL_MIN", 10)
    assert sentiment.prime(texts) == 33  # distinct strings, "" included
    assert len(sentiment._SEEN) == 33
    monkeypatch.setattr(sentiment, "score_text", None)  # all from the cache now
    assert sentiment.score_texts(texts).tolist() == expected


def test_priming_a_few_texts_leaves_them_to_the_chunks(monkeypatch):
    from feedback import sentiment

    monkeypatch.setattr(sentiment, "_SEEN", {})
    assert sentiment.prime(["one", "two"]) == 0
    assert sentiment._SEEN == {}


def test_polarity_follows_the_score_bands_and_a_negative_text_always_wins():
    from feedback.sentiment import polarities

    cases = [  # (compound, score, score type, expected)
        (0.0, 6, "nps", "negative"),
        (0.0, 7, "nps", "neutral"),
        (0.0, 9, "nps", "positive"),
        (0.0, 2, "csat", "negative"),
        (0.0, 3, "stars", "neutral"),
        (0.0, 4, "stars", "positive"),
        (-0.5, 10, "nps", "negative"),  # a complaint inside a polite 10
        (0.6, 7, "nps", "neutral"),  # a score decides over a positive text
        (0.6, None, "", "positive"),  # no score: the text decides
        (0.0, None, "nps", "neutral"),
        (-0.05, None, "", "negative"),
        (0.04, None, "", "neutral"),
    ]
    got = polarities(
        [c[0] for c in cases], [c[1] for c in cases], [c[2] for c in cases]
    )
    assert list(got) == [c[3] for c in cases]
    assert list(polarities([0.2, -0.2])) == ["positive", "negative"]
