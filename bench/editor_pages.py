"""The editor pages of `make bench`: the admin's lists, forms, history, autocompletes, import review and dashboard.

Each page is requested in process (Django test client) by a signed-in editor (a user in the Editor
group, made with `manage.py create_editor`; the client signs in with force_login): one warm-up, one
request whose SQL queries are counted, then BENCH_ITERATIONS timed requests (median and p95). No
cache is cleared between requests: these pages are not page-cached.

The pages are picked from the corpus and from the admin's own configuration, so a filter or column
added to the story list is measured without editing this file: each list filter the story list
offers (with a realistic value: published status, the busiest topic, the most-quoted analyst...),
the date hierarchy's year and month, every sortable column, two searches; the analyst, source,
topic and organization lists with a search; the story and analyst forms; a story's history and one
revision's changes; every autocomplete the admin's forms use; the review screen of one imported
wire copy; and the sourcing dashboard over 90 days, 365 days and the whole archive.

Picking writes to the database it runs on (the editor account, two revisions of one story, one
imported copy), so run it on a copy. `make bench` runs it after the reader pages; alone, against an
existing corpus database::

    cp /tmp/newsroom-bench/corpus-<key>.sqlite3 /tmp/editor-bench.sqlite3
    DATABASE_URL=sqlite:////tmp/editor-bench.sqlite3 .venv/bin/python manage.py migrate
    DATABASE_URL=sqlite:////tmp/editor-bench.sqlite3 .venv/bin/python -m bench.editor_pages

Environment: DATABASE_URL (the database to measure; PostgreSQL URLs too), BENCH_ITERATIONS (30),
BENCH_PAGES (comma-separated keys or key prefixes, e.g. editor-dashboard; "editor" is all of them).
"""
import datetime
import os
import statistics
import sys
import time
from io import StringIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import harness  # noqa: E402

P95_TARGET_MS = 200
MAX_SECONDS = 30  # per page, whatever BENCH_ITERATIONS says
EDITOR_USERNAME = "bench-editor"
TITLE = "Editor pages (signed-in editor, in process)"
# A short fictional wire story for the import review screen: invented places, people and outlet.
WIRE_COPY = """Ruritania and Graustark resume talks on the Strelsau rail link

STRELSAU, May 4 (Meridian Wire) -- Ruritania and Graustark agreed on Monday to resume talks on the \
Strelsau rail link, frozen since a dispute over freight tariffs last winter.

"Both capitals need the line more than they need the quarrel," said Ilsa Marrowby, a senior fellow at \
the Zenda Institute for Transport Policy.

Transport Minister Anton Greifswald said: "We will meet again in June."
"""


def ensure_editor():
    """Return the benchmark's editor account, created with `create_editor` the first time."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    User = get_user_model()
    user = User._default_manager.filter(username=EDITOR_USERNAME).first()
    if user is None:
        call_command("create_editor", EDITOR_USERNAME, name="Bench Editor", role="editor", stdout=StringIO())
        user = User._default_manager.get(username=EDITOR_USERNAME)
    return user


def ensure_import(user):
    """Return the primary key of an imported copy (the fictional wire story), importing it the first time."""
    from ingest.services import copy_import, copy_read

    return copy_import(copy=copy_read(data=WIRE_COPY.encode(), filename="bench-wire.txt"), user=user).copy_import.pk


def ensure_revisions(story):
    """Return the latest of two saved revisions of the story (the corpus is bulk-written, without history)."""
    if story.history.count() < 2:
        story.save()
        story.dek = (story.dek or story.headline)[:380] + " (Revised.)"
        story.save()
    return story.history.order_by("-history_date", "-history_id").first()


def admin_request(user, path="/"):
    from django.test import RequestFactory

    request = RequestFactory().get(path)
    request.user = user
    return request


def story_list_pages(user, model_admin):
    """Return (key, name, query) for the story list: plain, each filter, the date drill-down, each sort, searches."""
    from django.utils import timezone

    request = admin_request(user)
    changelist = model_admin.get_changelist_instance(request)
    pages = [("", "story list", "")]
    for spec in changelist.filter_specs:
        choice = pick_choice(spec, changelist)
        if choice:
            pages.append((f"-filter-{slug(spec.title)}", f"story list, {spec.title}: {choice['display']}",
                          choice["query_string"]))
    if model_admin.date_hierarchy:
        field = model_admin.date_hierarchy
        last_month = timezone.localdate().replace(day=1) - datetime.timedelta(days=1)
        pages.append(("-year", f"story list, {last_month.year}", f"?{field}__year={last_month.year}"))
        pages.append(("-month", f"story list, {last_month:%B %Y}",
                      f"?{field}__year={last_month.year}&{field}__month={last_month.month}"))
    for index, column in enumerate(changelist.list_display):
        if changelist.get_ordering_field(column) is not None and column in model_admin.get_sortable_by(request):
            pages.append((f"-sort-{slug(column)}", f"story list, sorted by {column}", f"?o={index}"))
    return pages


def pick_choice(spec, changelist):
    """Return the choice an editor would click on this filter: published, the past week, else the first (busiest)."""
    choices = [c for c in spec.choices(changelist) if not c.get("selected") and str(c["display"]) != "All"]
    preferred = ("Published", "Past 7 days")
    for choice in choices:
        if str(choice["display"]) in preferred:
            return choice
    real = [c for c in choices if str(c["display"]) not in ("Any date", "No date", "Has date", "Today")]
    return (real or choices or [None])[0]


def slug(text):
    return "-".join(str(text).lower().replace("_", " ").split())


def autocomplete_pages(user, term):
    """Return (key, name, query) for every autocomplete field of every admin form and inline."""
    from django.apps import apps
    from django.contrib import admin

    request = admin_request(user)
    seen, pages = set(), []
    for model in apps.get_models():
        if not admin.site.is_registered(model):
            continue
        model_admin = admin.site.get_model_admin(model)
        inlines = model_admin.get_inline_instances(request)
        forms = [(model, model_admin), *((inline.model, inline) for inline in inlines)]
        for form_model, owner in forms:
            for field in owner.get_autocomplete_fields(request):
                opts = form_model._meta
                if (opts.label, field) in seen:
                    continue
                seen.add((opts.label, field))
                pages.append((
                    f"-{opts.model_name}-{field}", f"autocomplete: {opts.verbose_name} → {field} ({term})",
                    f"?app_label={opts.app_label}&model_name={opts.model_name}&field_name={field}&term={term}",
                ))
    return pages


def pick_pages(user):
    """Return one dict (key, kind, name, url) per editor page, picked from this corpus and the admin."""
    from django.contrib import admin
    from django.db.models import Count
    from django.urls import reverse
    from django.utils import timezone

    from articles.models import Analyst, Article, Commentary, Organization, Source, Topic

    published = Article.objects.published()
    story = harness.sample_story(published)
    top = (
        Commentary.objects.filter(article__in=published).values("analyst").annotate(n=Count("id")).order_by("-n")
        .first()
    )
    analyst = Analyst.objects.get(pk=top["analyst"]) if top else Analyst.objects.order_by("pk").first()
    topic = Topic.objects.annotate(n=Count("tagged_articles")).order_by("-n", "pk").first()
    common_word = topic.name.split()[0] if topic else "Freedonia"
    surname = analyst.name.split()[-1]
    organization = Organization.objects.order_by("pk").first()
    source = Source.objects.order_by("pk").first()

    pages = []

    def add(key, kind, name, url):
        pages.append({"key": f"editor-{key}", "kind": kind, "name": name, "url": url})

    stories_url = reverse("admin:articles_article_changelist")
    for key, name, query in story_list_pages(user, admin.site.get_model_admin(Article)):
        add(f"stories{key}", "list", name, stories_url + query)
    add("stories-search-word", "list", f"story list, search “{common_word}”", f"{stories_url}?q={common_word}")
    add("stories-search-name", "list", f"story list, search “{analyst.name}”",
        f"{stories_url}?q={analyst.name.replace(' ', '+')}")
    for model, term in ((Analyst, surname), (Source, word_of(source)), (Topic, common_word),
                        (Organization, word_of(organization))):
        name, url = model._meta.verbose_name_plural, reverse(f"admin:articles_{model._meta.model_name}_changelist")
        add(f"{model._meta.model_name}s", "list", f"{name} list", url)
        add(f"{model._meta.model_name}s-search", "list", f"{name} list, search “{term}”", f"{url}?q={term}")
    add("story-form", "form", f"story form ({story.commentary.count()} quotes)",
        reverse("admin:articles_article_change", args=[story.pk]))
    add("analyst-form", "form", f"analyst form ({analyst.name})",
        reverse("admin:articles_analyst_change", args=[analyst.pk]))
    revision = ensure_revisions(story)
    add("story-history", "history", "story history", reverse("admin:articles_article_history", args=[story.pk]))
    add("story-diff", "history", "story revision, changes",
        reverse("admin:articles_article_revision_diff", args=[story.pk, revision.history_id]))
    autocomplete = reverse("admin:autocomplete")
    for key, name, query in autocomplete_pages(user, surname[:4]):
        add(f"autocomplete{key}", "autocomplete", name, autocomplete + query)
    add("import-review", "import", "import review (one wire copy)",
        reverse("import_copy_review", args=[ensure_import(user)]))
    today = timezone.localdate()
    first = published.order_by("published_at").values_list("published_at", flat=True).first()
    archive_days = (today - timezone.localtime(first).date()).days + 1 if first else 1
    dashboard = reverse("sourcing_dashboard")
    for key, days, name in ((90, 90, "90 days"), (365, 365, "365 days"), ("all", archive_days, "whole archive")):
        start = today - datetime.timedelta(days=days - 1)
        add(f"dashboard-{key}", "dashboard", f"sourcing dashboard, {name}", f"{dashboard}?start={start}&end={today}")
    return select(pages)


def word_of(obj):
    return obj.name.split()[0] if obj is not None else "Freedonia"


def select(pages, wanted=None):
    """Keep the pages BENCH_PAGES names by key or key prefix ("editor": all of them; nothing set: all)."""
    if wanted is None:
        wanted = [p.strip() for p in os.environ.get("BENCH_PAGES", "").split(",") if p.strip()]
    if not wanted:
        return pages
    return [p for p in pages if any(p["key"].startswith(w) for w in wanted)]


def wanted_any(wanted=None):
    """Tell whether BENCH_PAGES asks for any editor page (nothing set: yes)."""
    if wanted is None:
        wanted = [p.strip() for p in os.environ.get("BENCH_PAGES", "").split(",") if p.strip()]
    return not wanted or any(w.startswith("editor") or "editor-".startswith(w) for w in wanted)


def measure(client, url, iterations):
    """Return status, queries of one request, and (median, p95) ms of `iterations` requests after a warm-up."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm templates, connections and the session
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    # Counted now: the captured list is read from the connection's log, which each request empties.
    count = len(queries)
    timings, deadline = [], time.monotonic() + MAX_SECONDS
    for _ in range(iterations):
        started = time.perf_counter()
        client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        if time.monotonic() > deadline:
            break
    timings.sort()
    return {"status": response.status_code, "queries": count, "bytes": len(response.content),
            "timing": (statistics.median(timings), harness.percentile(timings, 95)), "requests": len(timings)}


def measure_pages(pages, user, iterations, log=harness.log):
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    rows = []
    for page in pages:
        log(f"Editor page: {page['name']} {page['url']}")
        row = {**page, **measure(client, page["url"], iterations)}
        log(f"  {row['status']}, {row['queries']} queries, {row['timing'][0]:.1f}/{row['timing'][1]:.1f} ms")
        rows.append(row)
    return rows


def fmt(value):
    return "—" if value is None else f"{value:.1f}"


def render_table(rows):
    """Return the Markdown table of the measured editor pages."""
    lines = [f"{TITLE}:", "", "| page | status | queries | median / p95 ms |", "|---|---|---:|---:|"]
    for row in rows:
        name = row["name"].replace("|", "\\|")
        lines.append(f"| {name} | {row['status']} | {row['queries']} | {fmt(row['timing'][0])} / "
                     f"{fmt(row['timing'][1])} |")
    return "\n".join(lines)


def check_target(rows):
    """Return the target line: every editor page's p95 within P95_TARGET_MS, met or not, with the slowest."""
    target = f"every editor page p95 ≤ {P95_TARGET_MS} ms"
    if not rows:
        return f"- **not measured**: {target}. No editor page in this run."
    failed = [r for r in rows if r["status"] != 200]
    over = [r for r in rows if r["timing"][1] > P95_TARGET_MS]
    slowest = max(rows, key=lambda r: r["timing"][1])
    if failed or over:
        detail = "; ".join(
            [f"{r['name']} answered {r['status']}" for r in failed]
            + [f"{r['name']} {fmt(r['timing'][1])} ms" for r in over]
        )
        within = len(rows) - len({r["key"] for r in failed + over})
        return f"- **not met**: {target}. {within} of {len(rows)} within; over or failing: {detail}."
    return f"- **met**: {target}. All {len(rows)}; slowest {slowest['name']} {fmt(slowest['timing'][1])} ms."


def run(iterations, log=harness.log):
    """Pick, measure and format the editor pages on the configured database: (rows, table, target line)."""
    user = ensure_editor()
    rows = measure_pages(pick_pages(user), user, iterations, log=log)
    return rows, render_table(rows), check_target(rows)


def main():
    url = os.environ.get("DATABASE_URL")
    if not url:
        raise SystemExit("Set DATABASE_URL to a copy of a corpus database (see this module's docstring).")
    os.environ.update(harness.bench_env(url))
    import django

    django.setup()
    from django.core.management import call_command

    # Production settings serve the admin's files from a manifest: it must exist.
    call_command("collectstatic", interactive=False, verbosity=0)
    _, table, check = run(harness.env_int("BENCH_ITERATIONS", 30))
    print(table)
    print()
    print(check)


if __name__ == "__main__":
    main()
