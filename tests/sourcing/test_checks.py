"""Each sourcing check, on a story that should trip it and one that should not."""
import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from articles.models import Citation, Commentary, Organization, Source
from articles.roles import REPORTER_PERMISSIONS
from sourcing import checks as checks_sourcing
from sourcing.checks import StoryParts, normalize_quote, run_checks
from tests.factories import (
    AnalystFactory,
    ArticleFactory,
    BylineFactory,
    CitationFactory,
    CommentaryFactory,
    OrganizationFactory,
    SourceFactory,
    UserFactory,
)

from ..articles.test_admin import article_form_data, inline_management

pytestmark = pytest.mark.django_db

BODY = (
    "<p>The ministry said talks would resume.</p>"
    "<p>“Both capitals are playing to audiences at home,” said Alma Quillfeather of the "
    "Institute of Imaginary Studies. “It’s theatre — nothing more.”</p>"
)


@pytest.fixture
def tank():
    return OrganizationFactory(name="Institute of Imaginary Studies", kind=Organization.Kind.THINK_TANK)


@pytest.fixture
def alma(tank):
    return AnalystFactory(name="Alma Quillfeather", organization=tank)


@pytest.fixture
def story():
    return ArticleFactory(body=BODY)


def codes(warnings):
    return [w.check for w in warnings]


def only(check, story):
    return run_checks(story, checks=[check])


def test_clean_story_has_no_warnings(story, alma):
    CommentaryFactory(article=story, analyst=alma, text="Both capitals are playing to audiences at home.")
    CitationFactory(article=story)
    assert run_checks(story) == []


def test_every_check_is_registered():
    assert {c.__name__ for c in checks_sourcing.CHECKS} == {
        "quote_without_affiliation", "only_state_media", "no_credit", "affiliation_changed", "source_without_link",
        "direct_quote_not_in_body",
    }


class TestQuoteWithoutAffiliation:
    def test_blank_affiliation_is_flagged_and_current_one_offered(self, story, alma):
        item = CommentaryFactory(article=story, analyst=alma, text="Both capitals are playing to audiences at home.")
        Commentary.objects.filter(pk=item.pk).update(affiliation_as_printed="  ")
        [warning] = only(checks_sourcing.quote_without_affiliation, story)
        assert "Quote 1 (Alma Quillfeather) prints no affiliation" in warning.message
        assert "Institute of Imaginary Studies" in warning.fix

    def test_analyst_without_organization_gets_advice_instead(self, story):
        CommentaryFactory(article=story, analyst=AnalystFactory(organization=None))
        [warning] = only(checks_sourcing.quote_without_affiliation, story)
        assert "analyst's record" in warning.fix

    def test_printed_affiliation_passes(self, story, alma):
        CommentaryFactory(article=story, analyst=alma)
        assert only(checks_sourcing.quote_without_affiliation, story) == []


class TestOnlyStateMedia:
    def test_story_citing_only_state_media_is_flagged(self, story):
        newsreel = OrganizationFactory(kind=Organization.Kind.STATE_MEDIA)
        CitationFactory(article=story, source=SourceFactory(kind=Source.Kind.STATE_MEDIA, organization=newsreel))
        CitationFactory(article=story, source=SourceFactory(kind=Source.Kind.STATEMENT, organization=newsreel))
        assert codes(only(checks_sourcing.only_state_media, story)) == ["only_state_media"]

    def test_one_independent_source_clears_it(self, story):
        CitationFactory(article=story, source=SourceFactory(kind=Source.Kind.STATE_MEDIA, organization=None))
        CitationFactory(article=story, source=SourceFactory(kind=Source.Kind.WIRE))
        assert only(checks_sourcing.only_state_media, story) == []

    def test_story_citing_nothing_is_not_flagged(self, story):
        assert only(checks_sourcing.only_state_media, story) == []


class TestAffiliationChanged:
    def test_analyst_who_moved_is_flagged_with_the_current_affiliation(self, story, alma):
        CommentaryFactory(article=story, analyst=alma)
        alma.organization = OrganizationFactory(name="University of Sylvan Port")
        alma.save()
        [warning] = only(checks_sourcing.affiliation_changed, story)
        assert "“Institute of Imaginary Studies”" in warning.message
        assert "University of Sylvan Port" in warning.fix

    def test_printed_affiliation_that_names_the_organization_passes(self, story, alma):
        CommentaryFactory(article=story, analyst=alma, affiliation_as_printed="a fellow at the institute of "
                          "imaginary  studies")
        assert only(checks_sourcing.affiliation_changed, story) == []

    def test_analyst_without_current_affiliation_is_not_flagged(self, story, alma):
        CommentaryFactory(article=story, analyst=alma)
        alma.organization = None
        alma.save()
        assert only(checks_sourcing.affiliation_changed, story) == []


class TestSourceWithoutLink:
    def test_citation_without_any_link_is_flagged(self, story):
        CitationFactory(article=story, source=SourceFactory(name="Leaked memo", url=""), url="")
        [warning] = only(checks_sourcing.source_without_link, story)
        assert "Source 1 (Leaked memo) has no link" in warning.message

    def test_link_on_the_citation_or_the_source_passes(self, story):
        CitationFactory(article=story, source=SourceFactory(url=""), url="https://example.org/item")
        CitationFactory(article=story, source=SourceFactory(url="https://example.org/source"), url="")
        assert only(checks_sourcing.source_without_link, story) == []


class TestDirectQuoteNotInBody:
    def test_quote_missing_from_body_is_flagged(self, story, alma):
        CommentaryFactory(article=story, analyst=alma, text="The talks are doomed.")
        assert codes(only(checks_sourcing.direct_quote_not_in_body, story)) == ["direct_quote_not_in_body"]

    @pytest.mark.parametrize("text", [
        "Both capitals are playing to audiences at home.",
        'It\'s theatre - nothing more',
        "both   capitals are\nplaying to audiences at home",
        "“It’s theatre — nothing more.”",
    ])
    def test_quote_in_body_passes_despite_marks_case_and_spacing(self, story, alma, text):
        CommentaryFactory(article=story, analyst=alma, text=text)
        assert only(checks_sourcing.direct_quote_not_in_body, story) == []

    def test_paraphrase_is_not_checked(self, story, alma):
        CommentaryFactory(article=story, analyst=alma, text="She thinks the talks are doomed.", is_direct_quote=False)
        assert only(checks_sourcing.direct_quote_not_in_body, story) == []

    def test_entities_and_tags_are_ignored(self):
        assert normalize_quote("<p>Rock &amp; <em>roll</em>&nbsp;now</p>") == "rock & roll now"


def test_checks_read_unsaved_parts(alma):
    """The same checks run on a story still in the form, built from unsaved instances."""
    parts = StoryParts(
        body="<p>Nothing quoted here.</p>",
        commentary=[Commentary(analyst=alma, text="Unprinted words", affiliation_as_printed="")],
        citations=[Citation(source=SourceFactory(kind=Source.Kind.STATE_MEDIA, organization=None, url=""))],
    )
    assert codes(run_checks(parts)) == [
        "quote_without_affiliation", "only_state_media", "no_credit", "source_without_link",
        "direct_quote_not_in_body",
    ]


def test_checks_on_a_saved_story_take_three_queries(story, alma, django_assert_num_queries):
    CommentaryFactory.create_batch(3, article=story, analyst=alma)
    CitationFactory.create_batch(3, article=story)
    with django_assert_num_queries(3):  # its quotes, its citations, its byline
        run_checks(story)


def test_a_new_check_joins_the_registry():
    def no_citations(parts):
        return [] if parts.citations else [checks_sourcing.SourcingWarning("no_citations", "Cite something.")]

    checks_sourcing.register(no_citations)
    try:
        assert "no_citations" in codes(run_checks(StoryParts()))
    finally:
        checks_sourcing.CHECKS.remove(no_citations)


class TestInTheAdmin:
    """Reporters see the checks on their own stories; every save shows them as warnings."""

    @pytest.fixture
    def reporter(self, client):
        user = UserFactory(username="desk-reporter")
        codenames = [name.split(".", 1)[1] for name in REPORTER_PERMISSIONS if name.startswith("articles.")]
        user.user_permissions.add(*Permission.objects.filter(content_type__app_label="articles",
                                                             codename__in=codenames))
        client.force_login(user)
        return user

    def test_reporter_sees_checks_panel_on_own_story(self, client, reporter, alma):
        story = ArticleFactory(status="draft", published_at=None, created_by=reporter, body=BODY)
        CommentaryFactory(article=story, analyst=alma, text="These words were never printed.")
        response = client.get(reverse("admin:articles_article_change", args=[story.pk]))
        assert response.status_code == 200
        content = response.content.decode()
        assert "Sourcing checks" in content
        assert "is marked as a direct quote, but its words are not in the body" in content
        assert "Sourcing dashboard" not in content  # the dashboard is for editors

    def test_editor_sees_clean_panel_and_dashboard_link(self, client, story, alma):
        client.force_login(UserFactory(username="root", is_superuser=True))
        CommentaryFactory(article=story, analyst=alma, text="Both capitals are playing to audiences at home.")
        content = client.get(reverse("admin:articles_article_change", args=[story.pk])).content.decode()
        assert "No sourcing warnings" in content
        assert reverse("sourcing_dashboard") in content

    def test_saving_shows_warnings_without_blocking(self, client, alma):
        client.force_login(UserFactory(username="root", is_superuser=True))
        source = SourceFactory(name="Unlinked memo", url="")
        data = article_form_data()
        data.update(inline_management("citations", 1))
        data.update({
            "citations-0-source": source.pk, "citations-0-use": "summary", "citations-0-taken": "It said so.",
            "citations-0-url": "", "citations-0-sort_order": "0",
        })
        response = client.post(reverse("admin:articles_article_add"), data, follow=True)
        assert response.status_code == 200
        messages = [str(m) for m in response.context["messages"]]
        assert any("Sourcing: Source 1 (Unlinked memo) has no link" in m for m in messages), messages


class TestCreditAndStateControl:
    def test_a_story_with_neither_byline_nor_desk_credit_is_flagged(self):
        story = ArticleFactory(credit="  ")
        [warning] = only(checks_sourcing.no_credit, story)
        assert "no byline and no desk credit" in warning.message and "Desk credit" in warning.fix

    def test_a_byline_or_a_desk_credit_is_enough(self):
        assert only(checks_sourcing.no_credit, ArticleFactory(credit="Test Desk")) == []
        story = ArticleFactory(credit="")
        BylineFactory(article=story)
        assert only(checks_sourcing.no_credit, story) == []

    def test_the_story_form_counts_an_unsaved_byline(self):
        parts = StoryParts(credit="", byline_authors=[UserFactory().pk])
        assert codes(run_checks(parts, checks=[checks_sourcing.no_credit])) == []

    def test_a_state_controlled_organizations_statement_counts_as_state_media(self, story):
        official = OrganizationFactory(kind=Organization.Kind.THINK_TANK, state_controlled=True)
        CitationFactory(article=story, source=SourceFactory(organization=official))
        assert codes(only(checks_sourcing.only_state_media, story)) == ["only_state_media"]
