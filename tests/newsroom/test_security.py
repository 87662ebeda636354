"""Security headers and cookies, the Content-Security-Policy, and the production deploy checks."""
import base64
import hashlib
import os
import re

import pytest
from django.contrib import admin
from django.http import HttpResponse
from django.test import override_settings
from django.urls import reverse

from articles.forms import ArticleAdminForm
from articles.models import Article
from tests.commands import run_manage
from tests.factories import ArticleFactory, CitationFactory, CommentaryFactory, UserFactory

SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.S | re.I)
DATA_BLOCK_TYPES = {"application/json", "application/ld+json"}


def csp_directives(response):
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


@pytest.fixture
def superuser(db):
    return UserFactory(username="hedda.fictus", is_superuser=True)


@pytest.fixture
def story(db):
    article = ArticleFactory(headline="Freedonia header check")
    CommentaryFactory(article=article)
    CitationFactory(article=article)
    return article


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/admin/login/", "/healthz"])
def test_every_response_carries_the_security_headers(client, url):
    response = client.get(url)
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    directives = csp_directives(response)
    assert directives["default-src"] == ["'self'"]
    assert "'unsafe-inline'" not in directives["script-src"]
    assert "'unsafe-eval'" not in directives["script-src"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"]


@pytest.mark.django_db
def test_the_policy_built_once_is_django_csps_own_and_follows_the_settings(client, rf):
    from csp.middleware import CSPMiddleware

    def built_by_django_csp(path):
        response = CSPMiddleware(lambda request: HttpResponse()).process_response(rf.get(path), HttpResponse())
        return response["Content-Security-Policy"]

    first, second = client.get("/healthz"), client.get("/healthz")  # the second copies the first's
    assert first["Content-Security-Policy"] == second["Content-Security-Policy"] == built_by_django_csp("/healthz")
    changed = {"DIRECTIVES": {"default-src": ["'self'"], "img-src": ["'self'", "https://example.org"]}}
    with override_settings(CONTENT_SECURITY_POLICY=changed):
        assert client.get("/healthz")["Content-Security-Policy"] == built_by_django_csp("/healthz")
        assert "https://example.org" in client.get("/healthz")["Content-Security-Policy"]
    assert client.get("/healthz")["Content-Security-Policy"] == first["Content-Security-Policy"]


def test_a_response_that_changes_its_policy_gets_its_own_and_ordinary_ones_keep_theirs(rf):
    from newsroom.security import ContentSecurityPolicyMiddleware

    middleware = ContentSecurityPolicyMiddleware(lambda request: HttpResponse())
    ordinary = middleware.process_response(rf.get("/"), HttpResponse())["Content-Security-Policy"]
    special = HttpResponse()
    special._csp_update = {"img-src": ["https://images.example.org"]}
    assert "https://images.example.org" in middleware.process_response(rf.get("/"), special)["Content-Security-Policy"]
    assert middleware.process_response(rf.get("/"), HttpResponse())["Content-Security-Policy"] == ordinary


@pytest.mark.django_db
def test_cookies_are_http_only(client, superuser):
    response = client.get(reverse("admin:login"))
    assert response.cookies["csrftoken"]["httponly"]
    response = client.post(
        reverse("admin:login"), {"username": superuser.username, "password": "correct-horse-battery", "next": "/admin/"}
    )
    assert response.status_code == 302
    assert response.cookies["sessionid"]["httponly"]
    assert response.cookies["sessionid"]["samesite"] == "Lax"


@pytest.mark.django_db
@override_settings(SECURE_HSTS_SECONDS=31536000, SECURE_HSTS_INCLUDE_SUBDOMAINS=True, SECURE_HSTS_PRELOAD=True)
def test_hsts_is_sent_over_https(client):
    response = client.get(reverse("admin:login"), secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


def test_article_admin_edits_the_body_in_the_prose_editor():
    assert issubclass(admin.site._registry[Article].form, ArticleAdminForm)


def inline_scripts(html):
    """Yield (attributes, content) of every <script> the browser would run inline."""
    for attributes, content in SCRIPT.findall(html):
        if "src=" in attributes:
            continue
        kind = re.search(r'type="([^"]+)"', attributes)
        if kind and kind.group(1) in DATA_BLOCK_TYPES:
            continue
        yield attributes, content


@pytest.mark.django_db
def test_admin_pages_run_no_inline_script_the_policy_does_not_allow(client, superuser, story):
    client.force_login(superuser)
    urls = [
        reverse("admin:index"),
        reverse("admin:articles_article_changelist"),
        reverse("admin:articles_article_add"),
        reverse("admin:articles_article_change", args=[story.pk]),
        reverse("admin:articles_topic_changelist"),
        reverse("admin:articles_analyst_add"),
        reverse("admin:articles_source_add"),
    ]
    seen_importmap = False
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        allowed = csp_directives(response)["script-src"]
        html = response.content.decode()
        assert not re.search(r"\son[a-z]+\s*=", re.sub(SCRIPT, "", html)), f"inline event handler on {url}"
        for attributes, content in inline_scripts(html):
            digest = base64.b64encode(hashlib.sha256(content.encode()).digest()).decode()
            assert f"'sha256-{digest}'" in allowed, f"inline script {attributes!r} on {url} is blocked by CSP"
            seen_importmap |= 'type="importmap"' in attributes
    assert seen_importmap, "the prose editor's import map was expected on the story form"


PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "newsroom.settings.production",
    "DJANGO_SECRET_KEY": base64.b64encode(os.urandom(48)).decode(),
    "DJANGO_ALLOWED_HOSTS": "news.example.org",
}


def test_production_settings_pass_the_deploy_checks():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env_overrides=PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_settings_are_https_only():
    code = (
        "from django.conf import settings as s;"
        "print(s.SECURE_HSTS_SECONDS >= 31536000, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_SSL_REDIRECT,"
        " s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.X_FRAME_OPTIONS,"
        " s.CONTENT_SECURITY_POLICY['DIRECTIVES'].get('upgrade-insecure-requests'))"
    )
    result = run_manage("shell", "--no-imports", "-c", code, env_overrides=PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True", "True", "True", "True", "True", "DENY", "True"]


def test_production_refuses_to_start_without_a_secret_key():
    result = run_manage("check", env_overrides={**PRODUCTION, "DJANGO_SECRET_KEY": ""})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr
