"""Factories for tests. Every person and organization here is fictional."""
import datetime

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from articles.models import (
    Analyst,
    Article,
    Byline,
    Citation,
    Commentary,
    Correction,
    Organization,
    Source,
    Topic,
)
from people.models import StaffProfile


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"reporter{n}")
    first_name = "Dana"
    last_name = factory.Sequence(lambda n: f"Quillfeather{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@newsroom.test")
    password = factory.django.Password("correct-horse-battery")
    is_staff = True


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Institute of Imaginary Studies {n}")
    kind = Organization.Kind.THINK_TANK
    country = "Freedonia"


class AnalystFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Analyst

    name = factory.Sequence(lambda n: f"Aurelia Fictus {n}")
    title = "senior fellow"
    organization = factory.SubFactory(OrganizationFactory)
    bio = "A fictional analyst used in tests."


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    name = factory.Sequence(lambda n: f"Ministry of Make-Believe statement {n}")
    kind = Source.Kind.STATEMENT
    organization = factory.SubFactory(OrganizationFactory, kind=Organization.Kind.GOVERNMENT)
    url = "https://example.org/statement"


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Imaginary affairs {n}")


class ArticleFactory(factory.django.DjangoModelFactory):
    """A published story by default; pass status=... or published_at=... for others."""

    class Meta:
        model = Article
        skip_postgeneration_save = True

    headline = factory.Sequence(lambda n: f"Freedonia and Sylvania trade notes, round {n}")
    dek = "The fictional neighbours exchanged statements again."
    dateline = "FREEDONIA CITY"
    credit = "Test Desk"
    body = "<p>The two imaginary states traded notes on Tuesday.</p>"
    kind = Article.Kind.NEWS
    status = Article.Status.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(hours=1))

    @factory.post_generation
    def topics(self, create, extracted, **kwargs):
        if create and extracted:
            self.topics.add(*extracted)


class BylineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Byline

    article = factory.SubFactory(ArticleFactory)
    author = factory.SubFactory(UserFactory)


class CommentaryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commentary

    article = factory.SubFactory(ArticleFactory)
    analyst = factory.SubFactory(AnalystFactory)
    text = "Both capitals are playing to audiences at home."
    is_direct_quote = True


class CitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Citation

    article = factory.SubFactory(ArticleFactory)
    source = factory.SubFactory(SourceFactory)
    use = Citation.Use.SUMMARY
    taken = "The ministry said talks would continue."


class CorrectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Correction

    article = factory.SubFactory(ArticleFactory)
    kind = Correction.Kind.CORRECTION
    text = "An earlier version misnamed the fictional ministry."


class StaffProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffProfile
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    display_name = factory.Sequence(lambda n: f"Marisol Pennyquill {n}")
    job_title = "Correspondent for imaginary affairs"
    bio = "A fictional reporter used in tests."

    @factory.post_generation
    def expertise(self, create, extracted, **kwargs):
        if create and extracted:
            self.expertise.add(*extracted)
