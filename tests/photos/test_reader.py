"""Readers: the lead picture, share cards, structured data, teasers, figures in the text and feeds."""
import datetime
import json
import re

import pytest
from defusedxml import ElementTree
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from photos.models import LeadImage, Photo

from ..factories import ArticleFactory, TopicFactory
from .conftest import add_photo

pytestmark = pytest.mark.django_db


def structured(html):
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return [json.loads(block) for block in blocks]


def meta(html, key):
    found = re.search(rf'<meta (?:property|name)="{re.escape(key)}" content="([^"]*)"', html)
    return found.group(1) if found else None


def test_story_page_shows_the_credited_lead_picture_with_srcset_sizes_width_height(client, photo):
    story = ArticleFactory()
    LeadImage.objects.create(article=story, photo=photo, caption="Ferries wait out the storm.")
    html = client.get(story.get_absolute_url()).content.decode()
    figure = re.search(r'<figure class="photo photo--lead.*?</figure>', html, re.S).group(0)
    img = re.search(r"<img [^>]*>", figure).group(0)
    for attribute in ("alt", "width", "height", "srcset", "sizes"):
        assert f' {attribute}="' in img, attribute
    assert 'alt="Two fictional ferries at a quay in a drawing of shapes"' in img
    assert 'loading="lazy"' not in img  # above the fold
    assert '<source type="image/webp"' in figure
    assert "Ferries wait out the storm." in figure and "Test Desk" in figure


def test_share_card_is_absolute_1200_by_630_with_alt_and_a_large_twitter_card(client, photo):
    story = ArticleFactory()
    LeadImage.objects.create(article=story, photo=photo, alt_text="Ferries in a drawing, for this story")
    html = client.get(story.get_absolute_url()).content.decode()
    image = meta(html, "og:image")
    assert image.startswith("https://news.example.org/media/photos/") and image.endswith(".jpg")
    assert (meta(html, "og:image:width"), meta(html, "og:image:height")) == ("1200", "630")
    assert meta(html, "og:image:alt") == "Ferries in a drawing, for this story"
    assert meta(html, "twitter:card") == "summary_large_image"
    assert meta(html, "twitter:image") == image
    assert default_storage.exists(image.removeprefix("https://news.example.org/media/"))


def test_a_story_without_a_picture_keeps_the_small_card(client):
    html = client.get(ArticleFactory().get_absolute_url()).content.decode()
    assert meta(html, "og:image") is None and meta(html, "twitter:card") == "summary"
    assert '"image"' not in html.split('type="application/ld+json">', 1)[1].split("</script>")[0]


def test_structured_data_gives_three_shapes_at_least_1200_px_wide_that_exist(client, photo):
    story = ArticleFactory()
    LeadImage.objects.create(article=story, photo=photo, caption="Ferries")
    data = next(d for d in structured(client.get(story.get_absolute_url()).content.decode()) if "headline" in d)
    shapes = {(image["width"], image["height"]) for image in data["image"]}
    assert shapes == {(1200, 675), (1200, 900), (1200, 1200)}
    for image in data["image"]:
        assert image["creditText"] == "Test Desk" and image["caption"] == "Ferries"
        assert default_storage.exists(image["url"].removeprefix("https://news.example.org/media/"))


def test_a_state_media_handout_is_labelled_to_readers_on_the_story_and_in_teasers(client):
    handout = add_photo(alt_text="A fictional leader waves", source=Photo.Source.STATE_MEDIA_HANDOUT,
                        credit="Fictional Central News Agency")
    story = ArticleFactory()
    LeadImage.objects.create(article=story, photo=handout)
    page = client.get(story.get_absolute_url()).content.decode()
    assert "State-media handout" in page and "not independently verified" in page
    home = client.get("/").content.decode()
    assert "State-media handout · Fictional Central News Agency" in home


def test_teasers_show_the_picture_with_its_credit_the_first_eager_the_rest_lazy(client, photo):
    older = ArticleFactory(published_at=timezone.now() - datetime.timedelta(hours=3))
    newer = ArticleFactory(published_at=timezone.now() - datetime.timedelta(hours=1))
    for story in (older, newer):
        LeadImage.objects.create(article=story, photo=photo)
    html = client.get("/").content.decode()
    pictures = re.findall(r'<figure class="teaser__picture">.*?</figure>', html, re.S)
    assert len(pictures) == 2
    assert 'fetchpriority="high"' in pictures[0] and 'loading="lazy"' in pictures[1]
    for picture in pictures:
        assert "Test Desk</figcaption>" in picture
        assert re.search(r'<img [^>]*width="\d+" height="\d+" alt="Two fictional ferries', picture)


def test_a_changed_credit_reaches_cached_topic_teasers(client, photo):
    topic = TopicFactory(name="Ferries")
    story = ArticleFactory(topics=[topic])
    LeadImage.objects.create(article=story, photo=photo)
    assert "Test Desk</figcaption>" in client.get(topic.get_absolute_url()).content.decode()
    photo.credit = "Pat Photog/Imaginary Wire"
    photo.save()
    html = client.get(topic.get_absolute_url()).content.decode()
    assert "Pat Photog/Imaginary Wire</figcaption>" in html and "Test Desk</figcaption>" not in html


def test_figures_in_the_text_are_drawn_from_the_library_with_their_credit(client, photo):
    story = ArticleFactory(body=(
        f'<p>Before.</p><figure class="figure"><img src="/media/old.jpg" alt="" data-file="{photo.pk}">'
        "<figcaption>The quay, <em>at night</em>.</figcaption></figure>"
        '<p>After.</p><img src="/media/stray.jpg"><figure><blockquote><p>A pull quote.</p></blockquote></figure>'
    ))
    html = client.get(story.get_absolute_url()).content.decode()
    body = html.split('class="story__body prose">', 1)[1].split("</div>", 1)[0]
    figure = re.search(r'<figure class="photo photo--body">.*?</figure>', body, re.S).group(0)
    assert "/media/old.jpg" not in body and "stray.jpg" not in body
    assert 'srcset="' in figure and 'loading="lazy"' in figure and '<source type="image/webp"' in figure
    assert 'alt="Two fictional ferries at a quay in a drawing of shapes"' in figure  # the library's, as none was given
    assert "The quay, <em>at night</em>." in figure and "Test Desk" in figure
    assert "<blockquote><p>A pull quote.</p></blockquote>" in body


def test_a_figure_of_a_picture_no_longer_in_the_library_is_left_out(client):
    story = ArticleFactory(body='<figure><img src="/media/gone.jpg" alt="Gone" data-file="987654">'
                                "<figcaption>Gone</figcaption></figure><p>Text.</p>")
    body = client.get(story.get_absolute_url()).content.decode().split('class="story__body prose">', 1)[1]
    assert "gone.jpg" not in body and "<figcaption>Gone" not in body and "<p>Text.</p>" in body


def test_no_picture_address_reveals_a_storys_address(client, photo):
    story = ArticleFactory(status=Article.Status.DRAFT, published_at=None, headline="Secret merger talks")
    LeadImage.objects.create(article=story, photo=photo)
    from photos.renditions import file_names

    for name in file_names(photo.renditions) + [photo.file.name]:
        assert story.slug not in name and "secret" not in name


def test_feeds_carry_the_share_card_as_an_enclosure(client, photo):
    story = ArticleFactory()
    LeadImage.objects.create(article=story, photo=photo)
    share = photo.renditions["share"]["jpeg"][-1]
    rss = ElementTree.fromstring(client.get(reverse("articles:feed_rss")).content)
    enclosure = rss.find("./channel/item/enclosure")
    assert enclosure.attrib == {
        "url": f"https://news.example.org/media/{share[2]}", "length": str(share[3]), "type": "image/jpeg"}
    atom = client.get(reverse("articles:feed_atom")).content.decode()
    assert f'href="https://news.example.org/media/{share[2]}"' in atom and 'rel="enclosure"' in atom

