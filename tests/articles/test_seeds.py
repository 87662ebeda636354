"""The seed fixtures: they load, load twice without duplicates, and a broken one changes nothing."""
import json
import shutil

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from articles.models import Analyst, Article, Citation, Commentary, Organization, Source, TaggedArticle, Topic

pytestmark = pytest.mark.django_db

MODELS = [Organization, Analyst, Source, Topic, Article, TaggedArticle, Citation, Commentary]


def counts():
    return {m.__name__: m.objects.count() for m in MODELS}


def test_load_seeds_represents_the_seed_story():
    call_command("load_seeds", verbosity=0)
    article = Article.objects.get(slug="kim-yo-jong-rejects-seoul-overtures")
    assert article.is_published()
    assert article.dateline == "SEOUL"
    assert article.credit == "Realist English"
    assert article.published_at.date().isoformat() == "2025-07-28"
    assert {t.name for t in article.topics.all()} >= {
        "North Korea", "Inter-Korean relations", "US-South Korea alliance", "North Korea-Russia relations",
    }
    printed = {(c.analyst.name, c.title_as_printed, c.affiliation_as_printed) for c in article.commentary.all()}
    assert printed == {
        ("Moon Seong Mook", "", "Korea Research Institute for National Strategy"),
        ("Leif-Eric Easley", "professor", "Ewha Womans University"),
        ("Kwak Gil Sup", "head", "One Korea Center"),
    }
    assert {c.source.kind for c in article.citations.all()} == {Source.Kind.STATE_MEDIA, Source.Kind.STATEMENT}
    assert "Koo Byoungsam" in " ".join(c.taken for c in article.citations.all())


def test_seed_commentary_is_exactly_as_in_the_copy(settings):
    call_command("load_seeds", verbosity=0)
    copy = (settings.BASE_DIR / "seeds" / "kim-yo-jong-rejects-seoul-overtures.txt").read_text()
    copy = " ".join(copy.split())
    for commentary in Commentary.objects.all():
        assert commentary.text.rstrip(".") in copy


def test_load_seeds_twice_changes_nothing():
    call_command("load_seeds", verbosity=0)
    first = counts()
    article = Article.objects.get()
    call_command("load_seeds", verbosity=0)
    assert counts() == first
    assert Article.objects.get().updated_at == article.updated_at


def test_each_fixture_loads_with_loaddata(settings):
    for fixture in sorted((settings.BASE_DIR / "seeds").glob("*.json")):
        call_command("loaddata", str(fixture), verbosity=0)
    assert Article.objects.count() == 1


def test_broken_fixture_changes_nothing_and_names_the_file(settings, tmp_path):
    seeds = tmp_path / "seeds"
    shutil.copytree(settings.BASE_DIR / "seeds", seeds)
    stories = json.loads((seeds / "05_stories.json").read_text())
    stories[-1]["fields"]["analyst"] = ["no-such-analyst"]
    (seeds / "05_stories.json").write_text(json.dumps(stories))

    with pytest.raises(CommandError, match="05_stories.json"):
        call_command("load_seeds", seeds_dir=str(seeds), verbosity=0)
    assert set(counts().values()) == {0}


def test_malformed_json_changes_nothing(settings, tmp_path):
    seeds = tmp_path / "seeds"
    shutil.copytree(settings.BASE_DIR / "seeds", seeds)
    (seeds / "03_sources.json").write_text('[{"model": "articles.source", "fields": ')
    with pytest.raises(CommandError, match="03_sources.json"):
        call_command("load_seeds", seeds_dir=str(seeds), verbosity=0)
    assert set(counts().values()) == {0}


def test_dry_run_leaves_database_empty():
    call_command("load_seeds", dry_run=True, verbosity=0)
    assert set(counts().values()) == {0}
