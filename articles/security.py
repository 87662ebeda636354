"""Site security plumbing: the Content-Security-Policy middleware and the login-throttling backend."""
import base64
import functools
import hashlib

from axes.backends import AxesStandaloneBackend
from csp.middleware import CSPMiddleware
from django.urls import NoReverseMatch, reverse


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


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, plus the prose editor's import map on admin pages."""

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
