"""Factories for ideas, votes, comments and notifications (issue 6 tests)."""

import factory

from feedback.models import IdeaComment, Notification, Vote
from initiatives.models import Initiative
from tests.factories import IdeaFactory, UserFactory


class VoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Vote

    idea = factory.SubFactory(IdeaFactory)
    user = factory.SubFactory(UserFactory, role="advisor")


class IdeaCommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IdeaComment

    idea = factory.SubFactory(IdeaFactory)
    author = factory.SubFactory(UserFactory, role="advisor")
    body = "Seen this twice today."


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    user = factory.SubFactory(UserFactory, role="advisor")
    message = factory.Sequence(lambda n: f"Something happened ({n})")
    url = "/ideas/"


class InitiativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Initiative

    title = factory.Sequence(lambda n: f"Initiative {n}")


def voted(idea, *users):
    """Record votes the way the data looks after the service: rows and the count."""
    for user in users:
        VoteFactory(idea=idea, user=user)
    idea.vote_count = Vote.objects.filter(idea=idea).count()
    idea.save(update_fields=["vote_count"])
    return idea
