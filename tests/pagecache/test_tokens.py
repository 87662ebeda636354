"""Page-cache tokens in a memory-mapped file (pagecache/tokens.py): shared by every process on a machine."""
import subprocess
import sys
import textwrap

import pytest
from django.conf import settings
from django.test import override_settings

from pagecache.tokens import SLOTS, WIDTH, SharedTokens

from ..factories import ArticleFactory, TopicFactory


def test_a_new_file_holds_random_tokens_and_a_bump_changes_only_its_own(tmp_path):
    tokens = SharedTokens(tmp_path / "tokens")
    keys = ["newsroom:content-generation", "newsroom:scope:topic:abc"]
    assert SharedTokens._offset(keys[0]) != SharedTokens._offset(keys[1])
    first, second = tokens.get_many(keys)
    assert first != second and "0" * 2 * WIDTH not in (first, second)
    assert all(len(token) == 2 * WIDTH for token in (first, second))
    tokens.bump(keys[:1])
    bumped, unchanged = tokens.get_many(keys)
    assert bumped != first and unchanged == second
    tokens.bump(keys[:1])
    assert tokens.get_many(keys[:1]) != [bumped]
    assert (tmp_path / "tokens").stat().st_size == SLOTS * WIDTH
    assert [p.name for p in tmp_path.iterdir()] == ["tokens"]  # no draft file left behind


def test_a_recreated_file_brings_back_no_token_of_the_old_one(tmp_path):
    """A page cached under a token that was current before the file was deleted is never served again."""
    path = tmp_path / "tokens"
    reader = SharedTokens(path)
    keys = [f"newsroom:scope:topic:{n}" for n in range(50)]
    before = reader.get_many(keys)  # never bumped: what a cached page may have been keyed by
    path.unlink()  # e.g. a temporary-files cleaner
    after = reader.get_many(keys)
    assert not set(before) & set(after)


def test_a_file_of_another_size_is_refused_with_a_clear_error(tmp_path):
    path = tmp_path / "tokens"
    path.write_bytes(b"not tokens")
    with pytest.raises(ValueError, match="not a page-token file"):
        SharedTokens(path).get_many(["k"])


def test_processes_creating_the_file_at_once_agree_on_one(tmp_path):
    path = tmp_path / "tokens"
    script = textwrap.dedent(f"""
        from pagecache.tokens import SharedTokens
        print(SharedTokens({str(path)!r}).get_many(["k"])[0])
    """)
    runs = [
        subprocess.Popen([sys.executable, "-c", script], cwd=settings.BASE_DIR, stdout=subprocess.PIPE, text=True)  # noqa: S603
        for _ in range(4)
    ]
    seen = {run.communicate()[0].strip() for run in runs}
    assert seen == {SharedTokens(path).get_many(["k"])[0]}


def test_another_process_sees_a_bump_at_once(tmp_path):
    path = tmp_path / "tokens"
    reader = SharedTokens(path)
    before = reader.get_many(["k"])
    script = textwrap.dedent(f"""
        from pagecache.tokens import SharedTokens
        SharedTokens({str(path)!r}).bump(["k"])
    """)
    subprocess.run([sys.executable, "-c", script], check=True, cwd=settings.BASE_DIR)  # noqa: S603
    assert reader.get_many(["k"]) != before


def test_a_replaced_file_is_mapped_again_so_no_process_reads_tokens_nobody_writes(tmp_path):
    path = tmp_path / "tokens"
    old_reader = SharedTokens(path)
    old_reader.bump(["k"])
    path.unlink()  # e.g. a temporary-files cleaner
    writer = SharedTokens(path)
    writer.bump(["k"])
    assert old_reader.get_many(["k"]) == writer.get_many(["k"])


@pytest.mark.django_db
def test_pages_cached_with_a_token_file_follow_every_write(client, tmp_path):
    topic = TopicFactory(name="Pretend token file desk")
    story = ArticleFactory(headline="Freedonia opens a pretend token office", topics=[topic])
    with override_settings(NEWSROOM_TOKEN_FILE=tmp_path / "tokens"):
        for url in ["/", topic.get_absolute_url()]:
            assert client.get(url)["ETag"] == client.get(url)["ETag"]
        assert (tmp_path / "tokens").exists()  # the tokens live there, not in the test cache
        story.headline = "Freedonia closes its pretend token office"
        story.save()
        for url in ["/", topic.get_absolute_url()]:
            assert "closes its pretend token office" in client.get(url).content.decode(), url
