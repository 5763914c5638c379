"""factory_boy factories for the personas and the core records."""

from datetime import UTC, datetime

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from cxplan.core.tokens import token_create
from feedback.models import Customer, FeedbackItem, Idea, Theme

PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if extracted:
            self.groups.add(Group.objects.get(name=extracted))
        if create:
            self.save()


def api_key_for(user, name: str = "") -> str:
    """A new API key for `user`, made the way the token endpoint makes one; send it
    as `Authorization: Token <key>`."""
    return token_create(user=user, name=name).key


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Customer

    external_id = factory.Sequence(lambda n: f"C{n:05d}")
    name = factory.Sequence(lambda n: f"Customer {n}")
    segment = "consumer"
    annual_revenue = 1000


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Theme {n}")
    keywords = factory.LazyFunction(list)


class FeedbackItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FeedbackItem

    source = "test"
    external_id = factory.Sequence(lambda n: f"F{n:06d}")
    text = "The app will not let me log in."
    created = factory.LazyFunction(lambda: datetime(2026, 11, 1, 12, tzinfo=UTC))
    channel = "survey"
    polarity = "negative"
    sentiment = -0.5


class IdeaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Idea

    title = factory.Sequence(lambda n: f"Idea {n}")
    body = "Customers wait too long."
    author = factory.SubFactory(UserFactory, role="advisor")
