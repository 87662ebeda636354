"""Site security plumbing: the Content-Security-Policy middleware and the login-throttling backend."""
import base64
import functools
import hashlib

from axes.backends import AxesStandaloneBackend
from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.exceptions import CSPNonceError
from csp.middleware import CheckableLazyObject, CSPMiddleware
from django.conf import settings
from django.urls import NoReverseMatch, reverse

# What a view or decorator can set on a response to change its policy (django-csp's names).
POLICY_OVERRIDES = (
    "_csp_config", "_csp_update", "_csp_replace", "_csp_exempt",
    "_csp_config_ro", "_csp_update_ro", "_csp_replace_ro", "_csp_exempt_ro",
)


@functools.cache
def prose_editor_importmap_hash():
    """Return the CSP source ('sha256-...') of django-prose-editor's inline import map.

    The map only lists static file URLs, so it is the same on every admin page of a deployment.
    Allowing exactly its hash keeps `unsafe-inline` out of script-src.
    """
    from django_prose_editor.widgets import importmap

    html = str(importmap.render())
    content = html[html.index(">") + 1 : -len("</script>")]
    digest = hashlib.sha256(content.encode()).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


@functools.cache
def admin_prefix():
    try:
        return reverse("admin:index")
    except NoReverseMatch:
        return None


def _nonce_after_response():
    raise CSPNonceError("The CSP nonce is not available once the response's policy header is written.")


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, plus the prose editor's import map on admin pages.

    The policy of an ordinary page (no nonce, no decorator, not the admin) is the same on every
    response: it is built once per settings and copied. Building it twice per response (enforced and
    report-only) was a sixth of serving a cached page.
    """

    def __init__(self, get_response):
        super().__init__(get_response)
        self._ordinary = {}

    def _is_ordinary(self, request, response):
        prefix = admin_prefix()
        return not (
            settings.DEBUG
            or getattr(request, "_csp_nonce", None) is not None
            or any(hasattr(response, name) for name in POLICY_OVERRIDES)
            or HEADER in response or HEADER_REPORT_ONLY in response
            or (prefix and request.path_info.startswith(prefix))
            or any((getattr(settings, name, None) or {}).get("EXCLUDE_URL_PREFIXES")
                   for name in ("CONTENT_SECURITY_POLICY", "CONTENT_SECURITY_POLICY_REPORT_ONLY"))
        )

    def process_response(self, request, response):
        if not self._is_ordinary(request, response):
            return super().process_response(request, response)
        # Keyed by the settings objects themselves: override_settings replaces them.
        key = (id(getattr(settings, "CONTENT_SECURITY_POLICY", None)),
               id(getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None)))
        headers = self._ordinary.get(key)
        if headers is None:
            response = super().process_response(request, response)
            self._ordinary[key] = [(name, response[name]) for name in (HEADER, HEADER_REPORT_ONLY) if name in response]
            return response
        for name, value in headers:
            response[name] = value
        # As django-csp does: a nonce asked for after the header is written is an error, not a silent gap.
        request.csp_nonce = CheckableLazyObject(_nonce_after_response)
        return response

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        prefix = admin_prefix()
        if not report_only and prefix and request.path_info.startswith(prefix):
            update = dict(parts.update or {})
            update["script-src"] = [*update.get("script-src", []), prose_editor_importmap_hash()]
            parts.update = update
        return parts


class LoginThrottleBackend(AxesStandaloneBackend):
    """django-axes' lockout check, for every login that comes with a request.

    Every login a visitor can attempt (the admin login form) passes the request. Calls without one
    come from code on the server (the test client's `login()`, a shell), where there is no client
    address to throttle; they go straight to the next backend instead of raising.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def lockout_response(request, original_response=None, credentials=None):
    """Render the admin-styled page shown after too many failed logins (HTTP 429)."""
    from axes.helpers import get_cool_off, get_failure_limit
    from django.contrib import admin
    from django.shortcuts import render

    cool_off = get_cool_off(request)
    context = {
        **admin.site.each_context(request),
        "title": "Sign-in paused",
        "failure_limit": get_failure_limit(request, credentials),
        "cooloff_minutes": int(cool_off.total_seconds() // 60) if cool_off else None,
    }
    response = render(request, "axes/lockout.html", context, status=429)
    if cool_off:
        response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response
