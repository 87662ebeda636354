"""The core's signals: other apps can refuse a story that is not ready to publish."""
import pytest
from django.core.exceptions import ValidationError

from articles import services, signals
from articles.models import Article, Transition

from ..factories import ArticleFactory
from .workflow_support import person

pytestmark = pytest.mark.django_db


def test_a_receiver_refusing_publication_stops_the_move_and_saves_nothing():
    editor = person("Editor", "edwina")
    story = ArticleFactory(status=Article.Status.IN_REVIEW, published_at=None)
    seen = []

    def refuse(sender, article, user, action, **kwargs):
        seen.append((article.pk, user, action))
        raise ValidationError("Pretend check: this story is not ready.")

    signals.publishing.connect(refuse)
    try:
        with pytest.raises(ValidationError, match="not ready"):
            services.article_transition(article=story, action="publish", user=editor)
    finally:
        signals.publishing.disconnect(refuse)
    story.refresh_from_db()
    assert seen == [(story.pk, editor, "publish")]
    assert story.status == Article.Status.IN_REVIEW and story.published_at is None
    assert not Transition.objects.exists()
    services.article_transition(article=story, action="publish", user=editor)
    assert Article.objects.get(pk=story.pk).is_published()
