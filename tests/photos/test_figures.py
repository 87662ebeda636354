"""Figures in a story's text: the sanitizer keeps exactly what the editor's figure button writes, and nothing else."""
import pytest
from django_prose_editor.config import allowlist_from_extensions, expand_extensions

from articles.sanitize import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, clean_html
from photos.figures import figures_in

FIGURE = (
    '<figure class="figure"><img src="/media/photos/ab/abcdef0123456789/full-800x500.jpg" '
    'alt="Two ferries &quot;at rest&quot;" data-file="42"><figcaption>At the quay, <em>dawn</em>.</figcaption></figure>'
)


def test_the_editors_figure_markup_is_all_kept():
    allowed = allowlist_from_extensions(expand_extensions({"Figure": True, "Image": True, "Caption": True}))
    assert set(allowed["tags"]) <= ALLOWED_TAGS
    assert set(allowed["attributes"]["img"]) <= ALLOWED_ATTRIBUTES["img"]
    assert clean_html(FIGURE) == FIGURE
    assert figures_in(clean_html(FIGURE)) == [(42, 'Two ferries "at rest"')]


@pytest.mark.parametrize("html", [
    '<img src="https://tracker.example/pixel.gif">',
    '<img src="/media/photos/x.jpg">',  # no picture number: not from the figure button
    '<img src=x onerror="alert(1)">',
    '<img src="javascript:alert(1)" data-file="1">',
    '<img src="/media/../../etc/passwd" data-file="1">',
    '<img src="data:image/png;base64,AAAA" data-file="1">',
])
def test_any_other_image_is_removed_whole(html):
    assert "<img" not in clean_html(f"<p>Text.</p>{html}")


def test_a_picture_number_must_be_a_number():
    assert "<img" not in clean_html('<figure><img src="/media/a.jpg" data-file="1 OR 1=1"></figure>')


def test_cleaning_a_figure_twice_changes_nothing():
    once = clean_html(FIGURE + '<figure class="evil"><img src="/media/a.jpg" data-file="7"></figure>')
    assert clean_html(once) == once
