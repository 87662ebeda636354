"""Readers: the lead picture, share cards, structured data, teasers, figures in the text and feeds."""
import json
import re

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from articles.models import Article
from photos.models import LeadImage, Photo

from ..factories import ArticleFactory, TopicFactory
from .conftest import add_photo

pytestmark = pytest.mark.django_db


def structured(html):
    return [json.loads(block) for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)]


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
