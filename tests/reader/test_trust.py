"""What each story tells readers about how it was made: its type of work, the sources in it (state-controlled
ones labelled, on story, analyst and source pages alike), how it was reported, and its corrections."""
import pytest

from articles.models import Article, Organization, Source

from ..factories import (
    AnalystFactory,
    ArticleFactory,
    CitationFactory,
    CommentaryFactory,
    CorrectionFactory,
    OrganizationFactory,
    SourceFactory,
)
from .desk import jsonld_blocks

pytestmark = pytest.mark.django_db

LABEL = ">State-controlled</a>"


@pytest.fixture
def sourced():
    """An analysis quoting an analyst at a state-controlled think tank (twice) and one at a university, citing
    a state-media dispatch and a ministry statement."""
    story = ArticleFactory(
        headline="Freedonia and Sylvania trade pretend notes", kind=Article.Kind.ANALYSIS,
        backstory="We read both statements in full.\n\nThe ministry did not answer our questions.",
    )
    tank = OrganizationFactory(name="Freedonian Institute of Official Thought", state_controlled=True)
    state_analyst = AnalystFactory(name="Ilse Partyline", title="fellow", organization=tank)
    free_analyst = AnalystFactory(
        name="Bruno Freeman", title="professor",
        organization=OrganizationFactory(name="Sylvania Free University", kind=Organization.Kind.UNIVERSITY),
    )
    CommentaryFactory(article=story, analyst=state_analyst, text="The line is the line.", sort_order=0)
    CommentaryFactory(article=story, analyst=free_analyst, text="Both capitals posture.", sort_order=1)
    CommentaryFactory(article=story, analyst=state_analyst, text="Nothing has changed.", sort_order=2)
    dispatch = SourceFactory(
        name="Freedonian Central News dispatch", kind=Source.Kind.STATE_MEDIA,
        organization=OrganizationFactory(name="Freedonian Central News", kind=Organization.Kind.STATE_MEDIA),
    )
    statement = SourceFactory(name="Sylvanian ministry statement")
    CitationFactory(article=story, source=dispatch, taken="The dispatch called it a provocation.", sort_order=0)
    CitationFactory(article=story, source=statement, taken="The ministry said talks continue.", sort_order=1)
    return story, state_analyst, free_analyst, dispatch, statement


def section(body, heading_id):
    start = body.index(f'id="{heading_id}"')
    return body[start: body.index("</section>", start)]


def test_the_sources_panel_lists_each_person_once_as_printed_and_labels_state_control(client, sourced):
    story, state_analyst, free_analyst, dispatch, statement = sourced
    body = client.get(story.get_absolute_url()).content.decode()
    panel = section(body, "story-sources")
    people = panel.split("Sources cited")[0]
    assert people.count("Ilse Partyline</a>") == 1 and people.count("Bruno Freeman</a>") == 1
    assert "Fellow, Freedonian Institute of Official Thought" in people
    assert "Professor, Sylvania Free University" in people
    ilse, bruno = people.split("Bruno Freeman</a>")
    assert LABEL in ilse and LABEL not in bruno
    cited = panel.split("Sources cited")[1]
    dispatch_item, statement_item = cited.split(statement.name, 1)
    assert LABEL in dispatch_item and LABEL not in statement_item
    assert f'href="{state_analyst.get_absolute_url()}"' in people and f'href="{dispatch.get_absolute_url()}"' in cited
    assert 'href="/about/verification/"' in panel


def test_quotes_from_state_controlled_organizations_are_labelled_where_they_are_printed(client, sourced):
    story, state_analyst, free_analyst, *_ = sourced
    commentary = section(client.get(story.get_absolute_url()).content.decode(), "expert-commentary")
    assert commentary.count(LABEL) == 2  # Ilse's two quotes, not Bruno's


def test_analyst_and_source_pages_carry_the_label(client, sourced):
    _, state_analyst, free_analyst, dispatch, statement = sourced
    assert LABEL in client.get(state_analyst.get_absolute_url()).content.decode()
    assert LABEL not in client.get(free_analyst.get_absolute_url()).content.decode()
    dispatch_page = client.get(dispatch.get_absolute_url()).content.decode()
    assert LABEL in dispatch_page and "Freedonian Central News is controlled by a government." in dispatch_page
    assert LABEL not in client.get(statement.get_absolute_url()).content.decode()


def test_a_change_to_the_flag_reaches_the_cached_analyst_page(client, sourced):
    _, state_analyst, *_ = sourced
    assert LABEL in client.get(state_analyst.get_absolute_url()).content.decode()
    state_analyst.organization.state_controlled = False
    state_analyst.organization.save()
    assert LABEL not in client.get(state_analyst.get_absolute_url()).content.decode()


def test_how_we_reported_this_shows_with_the_story_and_in_its_jsonld(client, sourced):
    story = sourced[0]
    response = client.get(story.get_absolute_url())
    backstory = section(response.content.decode(), "how-we-reported")
    assert "<p>We read both statements in full.</p>" in backstory
    assert "<p>The ministry did not answer our questions.</p>" in backstory
    [data] = jsonld_blocks(response)
    assert data["backstory"] == story.backstory


def test_a_story_without_a_note_shows_no_empty_section(client):
    story = ArticleFactory(backstory="")
    assert 'id="how-we-reported"' not in client.get(story.get_absolute_url()).content.decode()


@pytest.mark.parametrize("kind,says", [
    (Article.Kind.NEWS, "News reports what happened"),
    (Article.Kind.ANALYSIS, "Analysis explains what the news means"),
    (Article.Kind.OPINION, "Opinion argues a case"),
])
def test_the_type_of_work_is_named_and_explained_on_the_story(client, kind, says):
    story = ArticleFactory(kind=kind)
    response = client.get(story.get_absolute_url())
    note = section(response.content.decode(), "story-standards")
    assert says in note and 'href="/about/ethics/"' in note
    assert jsonld_blocks(response)[0]["@type"] == {
        "news": "NewsArticle", "analysis": "AnalysisNewsArticle", "opinion": "OpinionNewsArticle",
    }[kind]


def test_a_corrected_story_links_its_correction_history(client):
    story = ArticleFactory()
    CorrectionFactory(article=story)
    CorrectionFactory(article=story, text="A second pretend fix.")
    note = section(client.get(story.get_absolute_url()).content.decode(), "story-standards")
    assert "Corrected or updated 2 times" in note
    assert 'href="/corrections/"' in note and 'href="/about/corrections/"' in note


def test_what_editors_type_in_the_note_is_escaped(client):
    story = ArticleFactory(backstory='<script>alert("b")</script> & more')
    body = client.get(story.get_absolute_url()).content.decode()
    assert '<script>alert("b")' not in body and "&lt;script&gt;" in body
