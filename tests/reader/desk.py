"""Shared set-up for the reader-site tests: a published story and its hidden twins."""
import datetime
import json
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone

from articles.models import Article

from ..factories import (
    AnalystFactory,
    ArticleFactory,
    BylineFactory,
    CitationFactory,
    CommentaryFactory,
    OrganizationFactory,
    SourceFactory,
    TopicFactory,
    UserFactory,
)

# The configured site address pages name (tests/settings: not the test client's host).
SITE = settings.NEWSROOM_SITE_URL
JSONLD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.DOTALL)


def jsonld_blocks(response):
    """Return every JSON-LD block of a page, parsed."""
    return [json.loads(block) for block in JSONLD.findall(response.content.decode())]


@dataclass
class Desk:
    story: Article
    topic: object
    analyst: object
    source: object
    hidden: dict = field(default_factory=dict)

    def hidden_headlines(self):
        return [article.headline for article in self.hidden.values()]


def build_desk():
    """One published story with commentary, a citation and a topic, plus a draft, an in-review,
    a scheduled and an archived story that share the topic, the analyst and the source."""
    topic = TopicFactory(name="Imaginary frontier", description="Talks over the fictional border.")
    analyst = AnalystFactory(
        name="Odalys Penwright", title="senior fellow",
        organization=OrganizationFactory(name="Institute for Pretend Strategy"),
        bio="Odalys Penwright is a fictional expert on the pretend frontier.",
    )
    source = SourceFactory(name="Sylvanian Foreign Ministry statement")
    story = ArticleFactory(
        headline="Sylvania turns down border talks with Freedonia",
        dek="The fictional kingdom called the offer a performance.",
        kind=Article.Kind.ANALYSIS,
        dateline="SEOUL",
        credit="Test Desk",
        published_at=timezone.now() - datetime.timedelta(hours=2),
        topics=[topic],
    )
    BylineFactory(article=story, author=UserFactory(first_name="Rhea", last_name="Inkwell"))
    CommentaryFactory(article=story, analyst=analyst, text="Both sides are speaking to voters at home.")
    CitationFactory(article=story, source=source, taken="The ministry rejected the proposal.")
    hidden = {}
    now = timezone.now()
    for label, status, published_at in [
        ("draft", Article.Status.DRAFT, None),
        ("in_review", Article.Status.IN_REVIEW, None),
        ("scheduled", Article.Status.PUBLISHED, now + datetime.timedelta(days=1)),
        ("archived", Article.Status.ARCHIVED, now - datetime.timedelta(days=1)),
    ]:
        article = ArticleFactory(
            headline=f"Hiddenword {label} story about the pretend frontier",
            status=status, published_at=published_at, topics=[topic],
        )
        CommentaryFactory(article=article, analyst=analyst, text=f"Secret {label} quote from the analyst.")
        CitationFactory(article=article, source=source, taken=f"Secret {label} citation.")
        hidden[label] = article
    return Desk(story=story, topic=topic, analyst=analyst, source=source, hidden=hidden)
