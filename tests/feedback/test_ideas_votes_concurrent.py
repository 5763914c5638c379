"""Votes arriving at the same moment on PostgreSQL still count once per person."""

import threading

import pytest
from django.db import connection

from feedback.models import Idea, Vote
from feedback.services.ideas import idea_vote
from tests.conftest import need
from tests.factories import IdeaFactory, UserFactory


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_votes_count_once_per_person():
    need("postgres")
    idea = IdeaFactory()
    people = [UserFactory(role="advisor") for _ in range(4)]
    # Each person clicks twice at once: 8 requests, 4 votes.
    start = threading.Barrier(8)
    failures = []

    def click(user):
        try:
            start.wait()
            idea_vote(idea=idea, user=user)
        except Exception as exc:  # pragma: no cover - reported below
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=click, args=(u,)) for u in people * 2]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
    assert Vote.objects.filter(idea=idea).count() == 4
    assert Idea.objects.get(pk=idea.pk).vote_count == 4
