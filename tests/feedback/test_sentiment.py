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
