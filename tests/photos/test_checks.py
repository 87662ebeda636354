"""Publishing refuses a story whose pictures lack alt text or whose rights have run out; nothing is saved."""
import datetime

import pytest
from django.core.exceptions import ValidationError

from articles import services
from articles.models import Article, Transition
from photos.models import LeadImage

from ..articles.workflow_support import person
from ..factories import ArticleFactory
from .conftest import add_photo

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    return person("Editor", "pictures-editor")


def in_review(**kwargs):
    return ArticleFactory(status=Article.Status.IN_REVIEW, published_at=None, **kwargs)


def test_a_lead_picture_without_alt_text_stops_publication_and_saves_nothing(editor):
    story = in_review()
    LeadImage.objects.create(article=story, photo=add_photo(caption="Ferries"))
    with pytest.raises(ValidationError, match="The lead image .*Ferries.* has no alt text"):
        services.article_transition(article=story, action="publish", user=editor)
    story.refresh_from_db()
    assert story.status == Article.Status.IN_REVIEW and not Transition.objects.exists()


def test_alt_text_given_by_the_story_or_the_library_lets_it_publish(editor):
    story = in_review()
    use = LeadImage.objects.create(article=story, photo=add_photo(), alt_text="A ferry in a storm, drawn in shapes")
    services.article_transition(article=story, action="publish", user=editor)
    assert Article.objects.get(pk=story.pk).is_published()
    use.alt_text = ""
    use.save()
    use.photo.alt_text = "Two ferries"
    use.photo.save()
    other = in_review()
    LeadImage.objects.create(article=other, photo=use.photo)
    services.article_transition(article=other, action="publish", user=editor)


def test_a_figure_in_the_text_without_alt_text_stops_publication(editor):
    photo = add_photo(caption="The quay")
    story = in_review(body=f'<p>Text.</p><figure><img src="/media/a.jpg" alt="" data-file="{photo.pk}"></figure>')
    with pytest.raises(ValidationError, match="Picture 1 in the text .*The quay.* has no alt text"):
        services.article_transition(article=story, action="schedule", user=editor,
                                    at=datetime.datetime(2099, 1, 1, tzinfo=datetime.UTC))
    story.body = f'<figure><img src="/media/a.jpg" alt="The quay at night" data-file="{photo.pk}"></figure>'
    story.save()
    services.article_transition(article=story, action="publish", user=editor)


def test_a_picture_whose_rights_ran_out_stops_publication(editor):
    photo = add_photo(alt_text="A quay", rights_expire_on=datetime.date(2020, 1, 31))
    story = in_review()
    LeadImage.objects.create(article=story, photo=photo)
    with pytest.raises(ValidationError, match="rights to it ran out on 31 January 2020"):
        services.article_transition(article=story, action="publish", user=editor)
