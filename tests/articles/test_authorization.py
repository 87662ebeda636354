"""Every admin URL, admin action and service, for every role, against the role table (articles/roles.py).

The URL patterns are read from the resolver and the actions from the registered ModelAdmins: one
that is not in ROUTES or ACTIONS below fails the test until someone says which capability guards
it. Each route is requested as an anonymous visitor, a Reporter, an Editor and an Admin, on real
objects of each kind (the reporter's own draft, someone else's draft, a story in review, a
scheduled one, a live one, an unpublished one); what each gets (the status, whether the database
changed, whether anything they may not read shows) must be what `roles.can` says.
"""
import datetime
import io
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser, Group
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction
from django.test import Client, RequestFactory
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone

from articles import roles, services
from articles.models import Analyst, Article, Correction, Organization, SlugRedirect, Source, Topic, Transition
from ingest.models import CopyImport
from people.models import StaffProfile, StandardsPage
from photos.models import Photo

from ..factories import (
    AnalystFactory,
    ArticleFactory,
    BylineFactory,
    CorrectionFactory,
    OrganizationFactory,
    SourceFactory,
    StaffProfileFactory,
    TopicFactory,
    UserFactory,
)
from .workflow_support import person, story_post

pytestmark = pytest.mark.django_db

User = get_user_model()
COPY = Path(__file__).resolve().parents[1] / "ingest" / "copy"
KINDS = ["own draft", "others' draft", "in review", "scheduled", "live", "unpublished"]
WHO = ["anonymous", roles.REPORTER, roles.EDITOR, roles.ADMIN]
# What the database is compared on: everything editorial, the imports, accounts and sign-in records.
SNAPSHOT_APPS = {"articles", "ingest", "auth", "taggit", "axes", "people", "photos"}


# The desk: people, stories of each kind and one of everything else --------------------------------


@dataclass
class Desk:
    users: dict
    stories: dict
    objects: dict = field(default_factory=dict)  # model -> [objects]
    imports: dict = field(default_factory=dict)  # "own" / "others'" -> CopyImport
    superuser: object = None

    def user(self, who):
        return AnonymousUser() if who == "anonymous" else self.users[who]


@pytest.fixture
def desk():
    call_command("setup_roles", stdout=io.StringIO())
    reporter, colleague = person("Reporter", "rhea"), person("Reporter", "otto")
    users = {roles.REPORTER: reporter, roles.EDITOR: person("Editor", "edmund"), roles.ADMIN: person("Admin", "ada")}
    now = timezone.now()
    shapes = {
        "own draft": {"status": Article.Status.DRAFT, "published_at": None, "created_by": reporter},
        "others' draft": {"status": Article.Status.DRAFT, "published_at": None, "created_by": colleague},
        "in review": {"status": Article.Status.IN_REVIEW, "published_at": None, "created_by": colleague},
        "scheduled": {"published_at": now + datetime.timedelta(days=2), "created_by": colleague},
        "live": {"published_at": now - datetime.timedelta(days=1), "created_by": colleague},
        "unpublished": {
            "status": Article.Status.ARCHIVED, "published_at": now - datetime.timedelta(days=3), "created_by": colleague
        },
    }
    stories = {}
    for kind, shape in shapes.items():
        marker = kind.replace("'", "").replace(" ", "-")
        story = ArticleFactory(headline=f"First headline of the {marker} story", body="<p>Secret first text.</p>",
                               **shape)
        # A second revision, so there is a difference to show and an older one to restore.
        story.headline = f"Headline of the {marker} story"
        story.body = f"<p>Body of the {marker} story.</p>"
        story.save()
        stories[kind] = story
    live, unpublished, in_review = stories["live"], stories["unpublished"], stories["in review"]
    BylineFactory(article=stories["own draft"], author=reporter)
    topic = TopicFactory(name="Pretend canals")
    for story in stories.values():
        story.topics.add(topic)
    objects = {
        Topic: [topic, TopicFactory(name="Pretend harbours")],
        Analyst: [AnalystFactory(name="Aurelia Fictus")],
        Organization: [OrganizationFactory(name="Institute of Pretend Studies")],
        Source: [SourceFactory(name="Ministry of Make-Believe statement")],
        Correction: [
            CorrectionFactory(article=live, text="Correction on the live story."),
            CorrectionFactory(article=unpublished, text="Correction on the unpublished story."),
        ],
        Transition: [
            Transition.objects.create(article=live, from_status="in_review", to_status="published"),
            Transition.objects.create(article=in_review, from_status="draft", to_status="in_review"),
        ],
        SlugRedirect: [SlugRedirect.objects.create(old_slug="an-old-live-address", article=live)],
        User: [colleague],
        Group: [Group.objects.get(name=roles.REPORTER)],
        AccessAttempt: [AccessAttempt.objects.create(
            username="intruder", ip_address="192.0.2.7", user_agent="pretend", http_accept="*/*",
            path_info="/admin/login/", failures_since_start=2, get_data="", post_data="",
        )],
        AccessLog: [AccessLog.objects.create(
            username="otto", ip_address="192.0.2.8", user_agent="pretend", http_accept="*/*", path_info="/admin/",
        )],
        AccessFailureLog: [AccessFailureLog.objects.create(
            username="intruder", ip_address="192.0.2.7", user_agent="pretend", http_accept="*/*",
            path_info="/admin/login/", locked_out=False,
        )],
    }
    imports = {}
    for owner, name in ((reporter, "own"), (colleague, "others'")):
        client = Client()
        client.force_login(owner)
        copy = COPY / ("01-harbor-talks.txt" if name == "own" else "02-grain-corridor.txt")
        client.post(reverse("import_copy"), {"text": copy.read_text()})
        imports[name] = CopyImport.objects.get(created_by=owner)
    # Staff profiles (the reporter's own and a colleague's) and a standards page, each with an older
    # revision to restore.
    # (The reporter's own draft credits them: their profile exists already, under their full name.)
    own, _ = StaffProfile.objects.update_or_create(user=reporter, defaults={"display_name": "Rhea Profilewright"})
    profiles = [own, StaffProfileFactory(user=colleague, display_name="Otto Profilewright")]
    policy = StandardsPage.objects.get(kind="ethics")
    for record, name in ((profiles[0], "job_title"), (profiles[1], "job_title"), (policy, "summary")):
        setattr(record, name, f"A second {name}")
        record.save()
    objects[StaffProfile], objects[StandardsPage] = profiles, [policy]
    # A picture in the library that no story uses (so it may be deleted); its files are not needed here.
    objects[Photo] = [Photo.objects.create(
        token="0123456789abcdef", original_filename="pretend.jpg", width=1600, height=1000, file_format="JPEG",
        file_size=1, sha256="0" * 64, phash="0" * 16, credit="Pretend Wire", copyright_holder="Pretend Wire",
    )]
    superuser = UserFactory(username="root", is_superuser=True)
    return Desk(users=users, stories=stories, objects=objects, imports=imports, superuser=superuser)


def snapshot():
    """Return every row of the compared tables, to tell whether a request changed anything."""
    state = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.app_label in SNAPSHOT_APPS:
            state[model._meta.label] = list(model._base_manager.order_by("pk").values())
    return state


class FormFields(HTMLParser):
    """The values a browser would post from the page's first POST form (or the one with form_id)."""

    SKIPPED = {"submit", "button", "image", "file", "reset"}

    def __init__(self, form_id=None):
        super().__init__(convert_charrefs=True)
        self.form_id, self.inside, self.done = form_id, False, False
        self.data, self.select, self.options, self.textarea = {}, None, [], None

    def add(self, name, value):
        self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and not self.done and (attrs.get("method") or "").lower() == "post":
            # The admin's header carries a sign-out form: never the page's own.
            wanted = attrs.get("id") != "logout-form" if self.form_id is None else attrs.get("id") == self.form_id
            self.inside = wanted
        if not self.inside or "disabled" in attrs:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = (attrs.get("type") or "text").lower()
            if kind in {"checkbox", "radio"}:
                if "checked" in attrs:
                    self.add(name, attrs.get("value") or "on")
            elif kind not in self.SKIPPED:
                self.add(name, attrs.get("value") or "")
        elif tag == "select" and name:
            self.select, self.options = (name, "multiple" in attrs), []
        elif tag == "option" and self.select:
            self.options.append((attrs.get("value", ""), "selected" in attrs))
        elif tag == "textarea" and name:
            self.textarea = [name, ""]

    def handle_data(self, data):
        if self.textarea:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form" and self.inside:
            self.inside, self.done = False, True
        elif tag == "select" and self.select:
            (name, multiple), chosen = self.select, [v for v, selected in self.options if selected]
            if not chosen and not multiple and self.options:
                chosen = [self.options[0][0]]
            self.data.setdefault(name, []).extend(chosen)
            self.select = None
        elif tag == "textarea" and self.textarea:
            name, text = self.textarea
            self.add(name, text.removeprefix("\n"))
            self.textarea = None


def form_data(client, url, form_id=None, **overrides):
    """Return what the form at url posts, as the client sees it, with some fields changed."""
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    parser = FormFields(form_id)
    parser.feed(response.content.decode())
    data = parser.data
    data.update({name: value if isinstance(value, list) else [value] for name, value in overrides.items()})
    return data


# What a request must do -----------------------------------------------------------------------------


@dataclass
class Case:
    """One request, what the table says of it, and what an allowed one answers and changes."""

    method: str
    url: str
    allowed: bool
    data: dict | None = None
    ok: tuple = (200,)  # the statuses of an allowed request
    changes: bool | None = False  # whether an allowed request changes the database (None: not compared)
    secrets: tuple = ()  # text a refused request (or a list the user may not fully read) must not show
    shows: tuple = ()  # text an allowed request must show
    admin: bool = True  # behind the admin's login
    label: str = ""
    refusals: tuple = (302, 403, 404, 405)  # the statuses of a refused request
    prepare: object = None  # run before the request, inside the savepoint


    def __str__(self):
        return f"{self.method} {self.url} {self.label}".strip()


def run(client, case):
    """Make the request inside a savepoint that is rolled back; return (response, changed)."""
    with transaction.atomic():
        if case.prepare:
            case.prepare()
        before = snapshot()
        response = client.get(case.url) if case.method == "GET" else client.post(case.url, case.data or {})
        changed = snapshot() != before
        transaction.set_rollback(True)
    return response, changed


def problems_of(who, case, response, changed):
    body = response.content.decode(errors="replace") if not getattr(response, "streaming", False) else ""
    found = []
    if who == "anonymous" and case.admin and case.url != reverse("admin:login"):
        if response.status_code != 302 or not response["Location"].startswith(reverse("admin:login")):
            found.append(f"anonymous got {response.status_code}, not the sign-in page")
    elif case.allowed:
        if response.status_code not in case.ok:
            found.append(f"allowed, but answered {response.status_code} (expected {case.ok})")
        if case.changes is not None and changed != case.changes:
            found.append("changed nothing" if case.changes else "changed the database")
        found += [f"does not show {text!r}" for text in case.shows if text not in body]
    else:
        if response.status_code not in case.refusals:
            found.append(f"refused by the table, but answered {response.status_code}")
    if changed and not case.allowed:
        found.append("changed the database although refused")
    found += [f"shows {text!r}" for text in case.secrets if text in body]
    return found


def check(desk, who, cases):
    client = Client()
    if who != "anonymous":
        client.force_login(desk.users[who])
    failures = []
    for case in cases:
        response, changed = run(client, case)
        failures += [f"{who}: {case}: {problem}" for problem in problems_of(who, case, response, changed)]
    return failures


# The routes: which capability guards each URL pattern under /admin/ (and the preview) --------------


def can(desk, who, capability, obj=None):
    return capability is not None and roles.can(desk.user(who), capability, obj)


def story_secret(story):
    return story.headline


def unreadable_stories(desk, who):
    return [s for s in desk.stories.values() if not can(desk, who, roles.READ_STORY, s)]


@dataclass(frozen=True)
class ModelRoutes:
    """The capabilities the admin pages of one model are guarded by (None: nobody)."""

    view: object
    add: object
    change: object
    delete: object
    marker: str = ""  # the field a change post alters


MODEL_ROUTES = {
    Article: ModelRoutes(roles.READ_STORY, roles.ADD_STORY, roles.EDIT_STORY, roles.DELETE_STORY, "headline"),
    Topic: ModelRoutes(roles.EDIT_LISTS, roles.EDIT_LISTS, roles.EDIT_LISTS, roles.DELETE_LISTS, "name"),
    Analyst: ModelRoutes(roles.EDIT_LISTS, roles.EDIT_LISTS, roles.EDIT_LISTS, roles.DELETE_LISTS, "title"),
    Organization: ModelRoutes(roles.EDIT_LISTS, roles.EDIT_LISTS, roles.EDIT_LISTS, roles.DELETE_LISTS, "country"),
    Source: ModelRoutes(roles.EDIT_LISTS, roles.EDIT_LISTS, roles.EDIT_LISTS, roles.DELETE_LISTS, "description"),
    Correction: ModelRoutes(
        roles.READ_CORRECTIONS, roles.WRITE_CORRECTIONS, roles.WRITE_CORRECTIONS, roles.WRITE_CORRECTIONS, "text"
    ),
    Transition: ModelRoutes(roles.READ_STATUS_LOG, None, None, None),
    SlugRedirect: ModelRoutes(*[roles.MANAGE_OLD_ADDRESSES] * 4, "old_slug"),
    User: ModelRoutes(*[roles.MANAGE_ACCOUNTS] * 4, "first_name"),
    Group: ModelRoutes(*[roles.MANAGE_ACCOUNTS] * 4, "name"),
    AccessAttempt: ModelRoutes(roles.MANAGE_ACCOUNTS, None, roles.MANAGE_ACCOUNTS, roles.MANAGE_ACCOUNTS),
    AccessLog: ModelRoutes(roles.MANAGE_ACCOUNTS, None, roles.MANAGE_ACCOUNTS, roles.MANAGE_ACCOUNTS),
    AccessFailureLog: ModelRoutes(roles.MANAGE_ACCOUNTS, None, roles.MANAGE_ACCOUNTS, roles.MANAGE_ACCOUNTS),
    StaffProfile: ModelRoutes(
        roles.EDIT_PROFILE, roles.ADD_PROFILE, roles.EDIT_PROFILE, roles.DELETE_PROFILE, "job_title"
    ),
    StandardsPage: ModelRoutes(roles.EDIT_STANDARDS, None, roles.EDIT_STANDARDS, None, "summary"),
    # Pictures are added through the upload page (photo_upload_cases); the add page only points there.
    Photo: ModelRoutes(roles.USE_PHOTOS, None, roles.USE_PHOTOS, roles.DELETE_PHOTOS, "caption"),
}


def objects_of(desk, model):
    if model is Article:
        return [(kind, story) for kind, story in desk.stories.items()]
    return [(str(obj), obj) for obj in desk.objects[model]]


def secret_of(obj):
    if isinstance(obj, Article):
        return obj.headline
    if isinstance(obj, Correction | Transition):
        return obj.article.headline
    if isinstance(obj, StaffProfile):
        return obj.display_name
    return ""


def add_values(desk, model):
    live = desk.stories["live"]
    when = timezone.localtime(timezone.now() - datetime.timedelta(hours=1))
    return {
        Article: story_post(),
        Topic: {"name": "Added pretend topic", "slug": "added-pretend-topic"},
        Analyst: {"name": "Added Pretend Analyst", "slug": "added-pretend-analyst"},
        Organization: {"name": "Added Pretend Institute", "slug": "added-pretend-institute"},
        Source: {"name": "Added pretend statement", "slug": "added-pretend-statement", "kind": "statement"},
        Correction: {"article": str(live.pk), "kind": "correction", "text": "An added pretend correction.",
                     "published_at_0": f"{when:%Y-%m-%d}", "published_at_1": f"{when:%H:%M:%S}"},
        SlugRedirect: {"old_slug": "an-added-old-address", "article": str(live.pk)},
        User: {"username": "added-pretend-user", "password1": "A pretend pass phrase 1",
               "password2": "A pretend pass phrase 1", "usable_password": "true"},
        Group: {"name": "Added pretend role"},
        StaffProfile: {"user": str(desk.users[roles.EDITOR].pk), "display_name": "Added Pretend Person",
                       "slug": "added-pretend-person"},
    }.get(model, {})


def model_cases(desk, who, model, page):
    """The cases of one generic admin page (changelist, add, change, delete, history, redirect) of a model."""
    spec = MODEL_ROUTES[model]
    info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    root = Client()
    root.force_login(desk.superuser)
    cases = []
    if page == "changelist":
        url = reverse(f"{info}_changelist")
        allowed = can(desk, who, spec.view) or can(desk, who, spec.change)
        objects = objects_of(desk, model)
        hidden = tuple(secret_of(o) for _, o in objects if secret_of(o) and not can(desk, who, spec.view, o))
        shown = tuple(secret_of(o) for _, o in objects if secret_of(o) and can(desk, who, spec.view, o))
        cases.append(Case("GET", url, allowed, secrets=hidden, shows=shown))
    elif page == "add":
        url = reverse(f"{info}_add")
        allowed = can(desk, who, spec.add)
        cases.append(Case("GET", url, allowed))
        if spec.add is not None:
            data = form_data(root, url, f"{model._meta.model_name}_form", **add_values(desk, model))
            cases.append(Case("POST", url, allowed, data, ok=(302,), changes=True))
        else:
            cases.append(Case("POST", url, allowed, {}, ok=(302,), changes=True))
    else:
        for label, obj in objects_of(desk, model):
            pk = obj.pk
            secret = secret_of(obj)
            readable = can(desk, who, spec.view, obj) or can(desk, who, spec.change, obj)
            if page == "change":
                url = reverse(f"{info}_change", args=[pk])
                cases.append(Case("GET", url, readable, secrets=(secret,) if secret and not readable else (),
                                  label=label))
                if spec.change is not None:
                    marker = {spec.marker: f"changed-{spec.marker}-marker"} if spec.marker else {}
                    data = form_data(root, url, f"{model._meta.model_name}_form", **marker)
                    cases.append(Case("POST", url, can(desk, who, spec.change, obj), data, ok=(302,),
                                      changes=bool(spec.marker), label=label))
                else:
                    cases.append(Case("POST", url, False, {}, label=label))
            elif page == "delete":
                url = reverse(f"{info}_delete", args=[pk])
                allowed = can(desk, who, spec.delete, obj)
                cases.append(Case("GET", url, allowed, secrets=(secret,) if secret and not readable else (),
                                  label=label))
                cases.append(Case("POST", url, allowed, {"post": "yes"}, ok=(302,), changes=True, label=label))
            elif page == "history":
                url = reverse(f"{info}_history", args=[pk])
                cases.append(Case("GET", url, readable, secrets=(secret,) if secret and not readable else (),
                                  label=label))
            elif page == "redirect":
                # <object id>/ answers with the change page's address, whatever the object: staff only.
                url = reverse(f"{info}_change", args=[pk]).removesuffix("change/")
                cases.append(Case("GET", url, who != "anonymous", ok=(301, 302), secrets=(secret,) if secret else (),
                                  label=label))
    return cases


MOVE_CAPABILITY = {move.action: roles.PUBLISH_STORY if move.publishes else roles.EDIT_STORY
                   for move in services.MOVES.values()}


def transition_cases(desk, who):
    cases = []
    later = timezone.localtime(timezone.now() + datetime.timedelta(days=5))
    for kind, story in desk.stories.items():
        applies = {move.action for move in services.article_moves(article=story, user=None)}
        readable = can(desk, who, roles.READ_STORY, story)
        for action in services.MOVES:
            url = reverse("admin:articles_article_transition", args=[story.pk, action])
            data = {"published_at": f"{later:%Y-%m-%d %H:%M}"} if action == "schedule" else {}
            allowed = can(desk, who, MOVE_CAPABILITY[action], story)
            # A move the table allows but the story's status does not: refused with a message, nothing saved.
            case = Case("POST", url, allowed, data, ok=(302,), changes=action in applies, label=kind)
            if allowed and action not in applies:
                case.changes = False
            if not readable:
                case.secrets = (story.headline,)
            cases.append(case)
        cases.append(Case("GET", reverse("admin:articles_article_transition", args=[story.pk, "publish"]),
                          readable, ok=(405,), label=kind))
    return cases


def history_cases(desk, who, page):
    cases = []
    root = Client()
    root.force_login(desk.superuser)
    for kind, story in desk.stories.items():
        readable = can(desk, who, roles.READ_STORY, story)
        first, latest = story.history.earliest(), story.history.latest()
        secrets = () if readable else (story.headline, "First headline")
        if page == "diff":
            url = reverse("admin:articles_article_revision_diff", args=[story.pk, latest.history_id])
            cases.append(Case("GET", url, readable, secrets=secrets, shows=(story.headline,), label=kind))
        else:
            url = reverse("admin:articles_article_simple_history", args=[story.pk, first.history_id])
            cases.append(Case("GET", url, readable, secrets=secrets, label=kind))
            data = form_data(root, url)  # the restore form (simple-history's page gives it no id)
            cases.append(Case("POST", url, can(desk, who, roles.EDIT_STORY, story), data, ok=(302,), changes=True,
                              secrets=secrets, label=kind))
    return cases


def people_history_cases(desk, who, model, capability):
    """Open a staff profile's or a standards page's older revision, and restore it."""
    cases = []
    root = Client()
    root.force_login(desk.superuser)
    for obj in desk.objects[model]:
        first = obj.history.earliest()
        url = reverse(f"admin:people_{model._meta.model_name}_simple_history", args=[obj.pk, first.history_id])
        allowed = can(desk, who, capability, obj)
        secrets = () if allowed or not secret_of(obj) else (secret_of(obj),)
        cases.append(Case("GET", url, allowed, secrets=secrets, label=str(obj)))
        data = form_data(root, url)
        cases.append(Case("POST", url, allowed, data, ok=(302,), changes=True, secrets=secrets, label=str(obj)))
    return cases


def view_on_site_cases(desk, who, admin_pattern):
    cases = []
    article_type = ContentType.objects.get_for_model(Article)
    for kind, story in desk.stories.items():
        url = reverse("admin:view_on_site" if admin_pattern else "view_on_site", args=[article_type.pk, story.pk])
        cases.append(Case("GET", url, can(desk, who, roles.READ_STORY, story), ok=(302,), label=kind,
                          secrets=(story.slug,) if not can(desk, who, roles.READ_STORY, story) else ()))
    analyst = desk.objects[Analyst][0]
    url = reverse("view_on_site", args=[ContentType.objects.get_for_model(Analyst).pk, analyst.pk])
    cases.append(Case("GET", url, who != "anonymous", ok=(302,), label="analyst"))
    return cases


def preview_cases(desk, who):
    return [
        Case("GET", reverse("articles:article_preview", args=[story.pk]), can(desk, who, roles.READ_STORY, story),
             secrets=(story.headline,) if not can(desk, who, roles.READ_STORY, story) else (),
             shows=(story.headline,), admin=False, label=kind)
        for kind, story in desk.stories.items()
    ]


def pick_cases(desk, who):
    analyst = desk.objects[Analyst][0]
    url = reverse("admin:articles_analyst_pick", args=[analyst.pk]) + "?_popup=1"
    return [Case("GET", url, can(desk, who, roles.EDIT_LISTS), shows=(str(analyst.pk),))]


def import_cases(desk, who):
    url = reverse("import_copy")
    allowed = can(desk, who, roles.IMPORT_COPY)
    hidden = tuple(imp.article.headline for imp in desk.imports.values()
                   if not can(desk, who, roles.REVIEW_COPY, imp))
    text = (COPY / "03-frontier-scholars.txt").read_text()
    return [
        Case("GET", url, allowed, secrets=hidden),
        Case("POST", url, allowed, {"text": text}, ok=(302,), changes=True),
    ]


def review_cases(desk, who):
    cases = []
    root = Client()
    root.force_login(desk.superuser)
    for name, record in desk.imports.items():
        url = reverse("import_copy_review", args=[record.pk])
        allowed = can(desk, who, roles.REVIEW_COPY, record)
        secrets = () if allowed else (record.article.headline,)
        cases.append(Case("GET", url, allowed, secrets=secrets, label=name))
        data = form_data(root, url)
        first = next(key for key in data if key.endswith("-action"))
        data[first] = ["reject"]
        # Deciding on a suggestion is working on the draft: the draft must be one they may edit.
        may_apply = allowed and can(desk, who, roles.EDIT_STORY, record.article)
        cases.append(Case("POST", url, allowed, data, ok=(302,), changes=may_apply, secrets=secrets, label=name))
    return cases


def sourcing_cases(desk, who):
    return [Case("GET", reverse("sourcing_dashboard"), can(desk, who, roles.SOURCING_DASHBOARD))]


def autocomplete_cases(desk, who):
    base = reverse("admin:autocomplete")
    colleague = desk.objects[User][0]
    people = f"{base}?app_label=articles&model_name=byline&field_name=author"
    stories = f"{base}?app_label=articles&model_name=correction&field_name=article"
    hidden = tuple(s.headline for s in unreadable_stories(desk, who))
    return [
        # Colleagues by name, never an e-mail address, and never found by one.
        Case("GET", f"{people}&term=otto", can(desk, who, roles.PICK_PEOPLE), shows=("otto",),
             secrets=(colleague.email,)),
        Case("GET", f"{people}&term=newsroom.test", can(desk, who, roles.PICK_PEOPLE), secrets=("otto",),
             label="by e-mail"),
        Case("GET", f"{stories}&term=Headline", can(desk, who, roles.READ_STORY),
             shows=tuple(s.headline for s in desk.stories.values() if s.headline not in hidden), secrets=hidden),
    ]


def app_index_cases(desk, who):
    cases = []
    for app_label, capability in (("articles", roles.READ_STORY), ("auth", roles.MANAGE_ACCOUNTS),
                                  ("axes", roles.MANAGE_ACCOUNTS)):
        cases.append(Case("GET", reverse("admin:app_list", args=[app_label]), can(desk, who, capability)))
    return cases


def photo_upload_cases(desk, who):
    url = reverse("admin:photos_photo_upload")
    allowed = can(desk, who, roles.USE_PHOTOS)
    out = io.BytesIO()
    from PIL import Image

    Image.new("RGB", (640, 400), (90, 120, 150)).save(out, "JPEG")
    picture = SimpleUploadedFile("pretend.jpg", out.getvalue(), content_type="image/jpeg")
    data = {"files": picture, "credit": "Pretend Wire", "copyright_holder": "Pretend Wire", "source": "agency"}
    return [Case("GET", url, allowed), Case("POST", url, allowed, data, ok=(302,), changes=True)]


def photo_picker_cases(desk, who):
    url = reverse("admin:photos_photo_picker") + "?CKEditorFuncNum=1"
    return [Case("GET", url, can(desk, who, roles.USE_PHOTOS), shows=("Pretend Wire",))]


def staff_cases(*names, **kwargs):
    def cases(desk, who):
        return [Case("GET", reverse(name), who != "anonymous", **kwargs) for name in names]
    return cases


def login_cases(desk, who):
    # Anyone may open the sign-in page; signed-in staff are sent on to the admin.
    return [Case("GET", reverse("admin:login"), True, ok=(302,) if who != "anonymous" else (200,), admin=False)]


def logout_cases(desk, who):
    # Signed-out visitors are sent to the admin's front page (and on to the sign-in page).
    return [Case("POST", reverse("admin:logout"), who != "anonymous", changes=None, admin=False)]


def password_cases(desk, who):
    new = "A changed pretend pass phrase 9"
    data = {"old_password": "correct-horse-battery", "new_password1": new, "new_password2": new}
    return [
        Case("GET", reverse("admin:password_change"), who != "anonymous"),
        Case("POST", reverse("admin:password_change"), who != "anonymous", data, ok=(302,), changes=True),
    ]


def catch_all_cases(desk, who):
    return [Case("GET", "/admin/no-such-page/", False)]


def model_route(model, page):
    return lambda desk, who: model_cases(desk, who, model, page)


def model_routes():
    routes = {}
    for model in MODEL_ROUTES:
        info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        for page in ("changelist", "add", "change", "delete", "history"):
            routes[f"{info}_{page}"] = model_route(model, page)
        routes[f"admin/{model._meta.app_label}/{model._meta.model_name}/<path:object_id>/"] = model_route(
            model, "redirect"
        )
    return routes


ROUTES = {
    **model_routes(),
    "admin:articles_article_transition": transition_cases,
    "admin:articles_article_revision_diff": lambda desk, who: history_cases(desk, who, "diff"),
    "admin:articles_article_simple_history": lambda desk, who: history_cases(desk, who, "restore"),
    "admin:articles_analyst_pick": pick_cases,
    "admin:people_staffprofile_simple_history": lambda desk, who: people_history_cases(
        desk, who, StaffProfile, roles.EDIT_PROFILE
    ),
    "admin:people_standardspage_simple_history": lambda desk, who: people_history_cases(
        desk, who, StandardsPage, roles.EDIT_STANDARDS
    ),
    "admin:view_on_site": lambda desk, who: view_on_site_cases(desk, who, admin_pattern=True),
    "view_on_site": lambda desk, who: view_on_site_cases(desk, who, admin_pattern=False),
    "import_copy": import_cases,
    "import_copy_review": review_cases,
    "sourcing_dashboard": sourcing_cases,
    "admin:photos_photo_upload": photo_upload_cases,
    "admin:photos_photo_picker": photo_picker_cases,
    "admin:index": staff_cases("admin:index"),
    "admin:login": login_cases,
    "admin:logout": logout_cases,
    "admin:password_change": password_cases,
    "admin:password_change_done": staff_cases("admin:password_change_done"),
    "admin:autocomplete": autocomplete_cases,
    "admin:jsi18n": staff_cases("admin:jsi18n"),
    "admin:app_list": app_index_cases,
    "admin:auth_user_password_change": lambda desk, who: [
        Case("GET", reverse("admin:auth_user_password_change", args=[desk.objects[User][0].pk]),
             can(desk, who, roles.MANAGE_ACCOUNTS)),
    ],
    "admin/(?P<url>.*)$": catch_all_cases,
    # Not under /admin/, but the desk's too: the private preview.
    "articles:article_preview": preview_cases,
}


def admin_patterns():
    """Yield (key, route) for every URL pattern under /admin/: its name, or its route when it has none."""

    def walk(patterns, prefix="", namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}:{pattern.namespace}".strip(":") if pattern.namespace else namespace
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
            else:
                route = prefix + str(pattern.pattern)
                name = f"{namespace}:{pattern.name}".strip(":") if pattern.name else ""
                yield name or route, route

    for key, route in walk(get_resolver().url_patterns):
        if route.startswith("admin/"):
            yield key, route


def test_every_admin_url_pattern_is_in_the_table():
    missing = sorted({key for key, _ in admin_patterns()} - set(ROUTES))
    assert not missing, f"Admin URLs no role table entry covers (add them to ROUTES): {missing}"


@pytest.mark.parametrize("key", sorted(ROUTES))
def test_each_role_gets_what_the_table_allows_at(desk, key):
    failures = []
    for who in WHO:
        failures += check(desk, who, ROUTES[key](desk, who))
    assert not failures, "\n".join(failures)


# Actions -----------------------------------------------------------------------------------------


def registered_models():
    return [model for model in apps.get_models() if admin.site.is_registered(model)]


def every_action():
    request = RequestFactory().get("/admin/")
    request.user = User(username="everything", is_superuser=True, is_staff=True, is_active=True)
    for model in registered_models():
        for name in admin.site.get_model_admin(model).get_actions(request):
            yield model, name


ACTIONS = {
    (Article, "add_topic"): roles.EDIT_STORY,
    (Article, "remove_topic"): roles.EDIT_STORY,
    (Article, "publish_now"): roles.PUBLISH_STORY,
    (Article, "unpublish"): roles.PUBLISH_STORY,
    (Article, "delete_selected"): roles.DELETE_STORY,
    (Topic, "merge_topics"): roles.MERGE_TOPICS,
    (Topic, "delete_selected"): roles.DELETE_LISTS,
    (Analyst, "delete_selected"): roles.DELETE_LISTS,
    (Organization, "delete_selected"): roles.DELETE_LISTS,
    (Source, "delete_selected"): roles.DELETE_LISTS,
    (Correction, "delete_selected"): roles.WRITE_CORRECTIONS,
    (SlugRedirect, "delete_selected"): roles.MANAGE_OLD_ADDRESSES,
    (User, "delete_selected"): roles.MANAGE_ACCOUNTS,
    (Group, "delete_selected"): roles.MANAGE_ACCOUNTS,
    (AccessAttempt, "delete_selected"): roles.MANAGE_ACCOUNTS,
    (AccessAttempt, "cleanup_expired_attempts"): roles.MANAGE_ACCOUNTS,
    (AccessLog, "delete_selected"): roles.MANAGE_ACCOUNTS,
    (AccessFailureLog, "delete_selected"): roles.MANAGE_ACCOUNTS,
    (StaffProfile, "delete_selected"): roles.DELETE_PROFILE,
    (Photo, "delete_selected"): roles.DELETE_PHOTOS,
}


def test_every_admin_action_is_in_the_table():
    missing = sorted(f"{model._meta.label}.{name}" for model, name in every_action() if (model, name) not in ACTIONS)
    assert not missing, f"Admin actions no role table entry covers (add them to ACTIONS): {missing}"


# An action the user may not take is not offered: the list comes back (or they may not open it).
REFUSED_ACTION = (200, 302, 403)


def action_cases(desk, who, model, name):
    capability = ACTIONS[(model, name)]
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    cases = []
    if model is Topic and name == "merge_topics":
        keep, other = desk.objects[Topic]
        data = {"action": name, "_selected_action": [keep.pk, other.pk], "confirm": "yes", "target": keep.pk}
        return [Case("POST", url, can(desk, who, capability), data, ok=(302,), changes=True, refusals=REFUSED_ACTION)]
    for label, obj in objects_of(desk, model):
        data = {"action": name, "_selected_action": [obj.pk], "topic": "Pretend harbours", "post": "yes"}
        changes = True
        if name in {"publish_now", "unpublish"}:
            move = "publish" if name == "publish_now" else "unpublish"
            changes = move in {m.action for m in services.article_moves(article=obj, user=None)}
        if name == "remove_topic":
            data["topic"] = "Pretend canals"
        allowed = can(desk, who, capability, obj)
        # The story list shows (and acts on) only stories they may read; others are "not found".
        readable = model is not Article or can(desk, who, roles.READ_STORY, obj)
        prepare = None
        if name == "cleanup_expired_attempts":
            def prepare():
                AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(days=1))
        cases.append(Case("POST", url, allowed, data, ok=(302,), changes=changes, label=label,
                          secrets=() if readable else (obj.headline,), refusals=REFUSED_ACTION, prepare=prepare))
    return cases


@pytest.mark.parametrize(("model", "name"), sorted(ACTIONS, key=lambda pair: (pair[0]._meta.label, pair[1])),
                         ids=lambda value: value if isinstance(value, str) else value._meta.label)
def test_each_role_gets_what_the_table_allows_with_the_action(desk, model, name):
    failures = []
    for who in WHO:
        failures += check(desk, who, action_cases(desk, who, model, name))
    assert not failures, "\n".join(failures)


# The table itself, and the services ------------------------------------------------------------


def test_each_rule_and_its_queryset_agree_on_every_kind_of_story(desk):
    for who in WHO[1:]:
        user = desk.users[who]
        for capability in (roles.READ_STORY, roles.EDIT_STORY, roles.PUBLISH_STORY, roles.DELETE_STORY):
            stories = Article.objects.filter(pk__in=[s.pk for s in desk.stories.values()])
            listed = set(roles.narrow(user, capability, stories))
            one_by_one = {s for s in desk.stories.values() if roles.can(user, capability, s)}
            assert listed == one_by_one, (who, capability)


def test_reporters_read_their_own_and_live_stories_only(desk):
    reporter = desk.users[roles.REPORTER]
    readable = {kind for kind, story in desk.stories.items() if roles.can(reporter, roles.READ_STORY, story)}
    assert readable == {"own draft", "live"}
    # A byline is an assignment: the story becomes theirs to read, and to edit while it is a draft.
    BylineFactory(article=desk.stories["others' draft"], author=reporter)
    BylineFactory(article=desk.stories["scheduled"], author=reporter)
    assert roles.can(reporter, roles.EDIT_STORY, desk.stories["others' draft"])
    assert roles.can(reporter, roles.READ_STORY, desk.stories["scheduled"])
    assert not roles.can(reporter, roles.EDIT_STORY, desk.stories["scheduled"])


def test_the_groups_hold_what_the_table_grants(desk):
    for role in (roles.REPORTER, roles.EDITOR):
        group = Group.objects.get(name=role)
        held = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")}
        assert held == set(roles.granted(role)), role
    assert not {p for p in roles.granted(roles.EDITOR) if p.startswith("auth.")}  # no account e-mail addresses


def test_anonymous_inactive_and_non_staff_users_have_no_role(desk):
    assert roles.role_of(AnonymousUser()) is None
    assert roles.role_of(UserFactory(username="reader", is_staff=False)) is None
    gone = desk.users[roles.EDITOR]
    gone.is_active = False
    assert roles.role_of(gone) is None
    assert not roles.can(gone, roles.READ_STORY, desk.stories["live"])


@pytest.mark.parametrize("who", WHO[1:])
def test_services_ask_the_same_table(desk, who):
    user = desk.users[who]
    later = timezone.now() + datetime.timedelta(days=5)
    failures = []
    for kind, story in desk.stories.items():
        applies = {move.action for move in services.article_moves(article=story, user=None)}
        for action in services.MOVES:
            with transaction.atomic():
                try:
                    services.article_transition(article=story, action=action, user=user, at=later)
                    outcome = "moved"
                except PermissionDenied:
                    outcome = "refused"
                except ValidationError:
                    outcome = "not possible"
                transaction.set_rollback(True)
            if action not in applies:
                expected = "not possible"
            else:
                expected = "moved" if roles.can(user, MOVE_CAPABILITY[action], story) else "refused"
            if outcome != expected:
                failures.append(f"{who} {action} on {kind}: {outcome}, expected {expected}")
        one = Article.objects.filter(pk=story.pk)
        for write, extra, capability in (
            (services.articles_tag, {"name": "Pretend straits"}, roles.EDIT_STORY),
            (services.articles_untag, {"name": "Pretend canals"}, roles.EDIT_STORY),
            (services.articles_publish, {}, roles.PUBLISH_STORY),
            (services.articles_unpublish, {}, roles.PUBLISH_STORY),
        ):
            with transaction.atomic():
                try:
                    write(articles=one, user=user, **extra)
                    refused = False
                except PermissionDenied:
                    refused = True
                transaction.set_rollback(True)
            if refused == roles.can(user, capability, story):
                failures.append(f"{who} {capability} on {kind}: {'refused' if refused else 'allowed'}")
    assert not failures, "\n".join(failures)


def test_view_on_site_of_a_draft_opens_its_preview_and_a_live_story_its_page(client, desk):
    client.force_login(desk.users[roles.EDITOR])
    draft, live = desk.stories["others' draft"], desk.stories["live"]
    page = client.get(reverse("admin:articles_article_change", args=[draft.pk])).content.decode()
    assert "View on site" not in page and reverse("articles:article_preview", args=[draft.pk]) in page
    assert re.search(r'class="previewlink"[^>]*>Preview<', page)
    page = client.get(reverse("admin:articles_article_change", args=[live.pk])).content.decode()
    assert "View on site" in page
    article_type = ContentType.objects.get_for_model(Article).pk
    response = client.get(reverse("admin:view_on_site", args=[article_type, draft.pk]), follow=True)
    assert response.status_code == 200 and draft.headline in response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("articles:article_preview", args=[draft.pk])
    response = client.get(reverse("admin:view_on_site", args=[article_type, live.pk]))
    assert response["Location"] == live.get_absolute_url()
