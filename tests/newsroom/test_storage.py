"""The static files storage: WhiteNoise's hashed files, each URL worked out once."""
from unittest import mock

import pytest
from django.core.management import call_command
from whitenoise.storage import CompressedManifestStaticFilesStorage

from newsroom.storage import StaticFilesStorage


@pytest.fixture
def collected(tmp_path, settings):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": "newsroom.storage.StaticFilesStorage"}}
    call_command("collectstatic", "--noinput", verbosity=0)
    return tmp_path


def test_urls_are_whitenoises_hashed_urls_worked_out_once(collected):
    storage, plain = StaticFilesStorage(location=collected), CompressedManifestStaticFilesStorage(location=collected)
    expected, icon = plain.url("css/site.css"), plain.url("img/favicon.svg")
    assert expected != "/static/css/site.css" and expected.startswith("/static/css/site.")
    with mock.patch.object(CompressedManifestStaticFilesStorage, "url", autospec=True, side_effect=plain.url.__func__) \
            as worked_out:
        assert storage.url("css/site.css") == storage.url("css/site.css") == expected
        assert storage.url("img/favicon.svg") == storage.url("img/favicon.svg") == icon
    assert worked_out.call_count == 2  # one per file, however often it is asked for


def test_a_file_missing_from_the_manifest_is_an_error_every_time(collected):
    storage = StaticFilesStorage(location=collected)
    for _ in range(2):
        with pytest.raises(ValueError, match="Missing staticfiles manifest entry"):
            storage.url("css/no-such-file.css")
