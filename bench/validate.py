"""The standards gate: every public page type, feed and sitemap through the validators the web uses.

`make validate` (python -m bench.validate). On a fresh SQLite database it loads the seeds and adds
fictional stories as editors make them (one published with "Publish now", so its time has
microseconds; a correction; a topic and an analyst with two pages each; two bylines), renders
every public page type in process with DEBUG off, then checks:

- HTML: the W3C Nu Html Checker (vnu.jar, run with Java; VNU_JAR names the file): 0 errors.
- Feeds (site, topic, analyst; RSS and Atom): the W3C feed validator's rules that matter here,
  implemented below because its code is on no package registry this project can use: well-formed
  XML; unique, permanent ids (tag: URIs, RFC 4151, the same for a story in every feed and after
  its address changes); dates in RFC 822 (RSS) and RFC 3339 (Atom); atom:link rel="self" naming
  the feed's own address; one author element per author; deks as text; links on the site: 0 errors.
- Sitemaps: the index and every sitemap it lists against the sitemaps.org schemas, the news
  sitemap against Google's rules (publication name and language, only the last two days, at most
  1,000 URLs) and its tags' schema (bench/schemas/, with their licences): 0 errors.
- JSON-LD: parsed with extruct; a story's Article checked for the properties Google's Article
  documentation lists, the recommended ones it still lacks reported (not errors).

Prints a table per validator and exits 1 on any error. Never imported by the product.
"""
import datetime
import email.utils
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from html import unescape
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SCHEMAS = Path(__file__).resolve().parent / "schemas"
# Where `make validate` installs the pinned checker (VNU_JAR overrides).
INSTALLED_VNU = sorted((BASE_DIR / ".venv" / "validators").glob("vnu-*/node_modules/vnu-jar/build/dist/vnu.jar"))

ATOM = "http://www.w3.org/2005/Atom"
DC = "http://purl.org/dc/elements/1.1/"
SM = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS = "http://www.google.com/schemas/sitemap-news/0.9"
# RFC 822 as RSS 2.0 uses it (four-digit years): "Mon, 07 Dec 2026 19:57:22 +0000".
RFC822 = re.compile(
    r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} "
    r"\d{2}:\d{2}:\d{2} ([+-]\d{4}|GMT|UT|[A-Z]{3})$"
)
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
# RFC 4151: tag:<authority>,<date>:<specific>, the date YYYY, YYYY-MM or YYYY-MM-DD.
TAG_URI = re.compile(r"^tag:([a-z0-9.-]+|[^,@\s]+@[a-z0-9.-]+),\d{4}(-\d{2}(-\d{2})?)?:[!-~]+$")
ISO8601 = RFC3339
NEWS_WINDOW = datetime.timedelta(days=2)
NEWS_LIMIT = 1000
# Google's Article structured data: no required property; these recommended ones.
ARTICLE_RECOMMENDED = ("author", "author.name", "author.url", "dateModified", "datePublished", "headline", "image")
ARTICLE_TYPES = {"Article", "NewsArticle", "BlogPosting", "AnalysisNewsArticle", "OpinionNewsArticle",
                 "ReportageNewsArticle", "BackgroundNewsArticle", "ReviewNewsArticle"}


def setup_django(workdir):
    """Point Django at a new SQLite file in workdir, with the test settings (DEBUG off, local caches)."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "newsroom.settings.test"
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'validate.sqlite3'}"
    os.environ.pop("REDIS_URL", None)
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()
    from django.test.utils import setup_test_environment

    setup_test_environment()  # the test client's host is allowed


# The site ---------------------------------------------------------------------------------------


class Site:
    """The seeded desk: what was made, for the checks that compare a page with the database."""


def seed():
    """Migrate, load the seeds, and add fictional stories as editors make them; return a Site."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.utils import timezone

    from articles import services
    from articles.models import Analyst, Article, Byline, Citation, Commentary, Organization, Source, Topic

    quiet = {"verbosity": 0, "stdout": io.StringIO()}
    call_command("migrate", **quiet)
    call_command("setup_roles", **quiet)
    call_command("load_seeds", **quiet)
    users = get_user_model().objects
    editor = users.create_superuser("validate-editor", "editor@example.org", None)
    writers = [users.create_user(username, first_name=first, last_name=last, is_staff=True)
               for username, first, last in (("rinkwell", "Rhea", "Inkwell"), ("tquill", "Tobiah", "Quillfeather"))]
    institute = Organization.objects.create(name="Institute for Pretend Strategy")
    analyst = Analyst.objects.create(name="Odalys Penwright", title="senior fellow", organization=institute,
                                     bio="A fictional expert on the pretend frontier.")
    source = Source.objects.create(name="Sylvanian Foreign Ministry statement", url="https://example.org/statement",
                                   organization=institute, description="The fictional ministry's weekly note.")
    topic = Topic.objects.create(name="Pretend frontier talks", description="Talks over the fictional border.")
    other_topic = Topic.objects.create(name="Pretend tariffs")
    now = timezone.now()

    def story(n, published_at, **fields):
        article = Article.objects.create(
            headline=fields.pop("headline", f"Freedonia and Sylvania trade notes, round {n}"),
            dek=fields.pop("dek", "The fictional neighbours exchanged statements again."),
            dateline="FREEDONIA CITY", credit="Pretend Desk", kind=fields.pop("kind", Article.Kind.NEWS),
            body="<p>The two imaginary states traded notes on Tuesday.</p><p>Neither <em>capital</em> moved.</p>",
            status=Article.Status.PUBLISHED, published_at=published_at, **fields,
        )
        article.topics.add(topic)
        Commentary.objects.create(article=article, analyst=analyst, is_direct_quote=n % 2 == 0,
                                  text="Both capitals are playing to audiences at home.")
        Citation.objects.create(article=article, source=source, taken="The ministry said talks would continue.")
        return article

    # Two pages of the topic and of the analyst (20 a page); the oldest two fall outside the news window.
    for n in range(1, 26):
        hours = n if n < 24 else 24 * (n - 20)
        story(n, now - datetime.timedelta(hours=hours, minutes=n))
    # Published with "Publish now": its time has microseconds, as the desk's own stories do.
    fresh = Article.objects.create(
        headline="Sylvania turns down border talks with Freedonia",
        dek="The fictional kingdom called the offer a “performance” & walked out.",
        dateline="SEOUL", kind=Article.Kind.ANALYSIS, body="<p>The pretend talks ended before lunch.</p>",
    )
    fresh.topics.add(topic, other_topic)
    for order, writer in enumerate(writers):
        Byline.objects.create(article=fresh, author=writer, sort_order=order)
    Commentary.objects.create(article=fresh, analyst=analyst, text="Both sides are speaking to voters at home.")
    Citation.objects.create(article=fresh, source=source, taken="The ministry rejected the proposal.")
    fresh = services.article_transition(article=fresh, action="publish", user=editor)
    services.correction_add(article=fresh, text="An earlier version misnamed the fictional envoy.", user=editor)
    site = Site()
    site.fresh, site.topic, site.analyst, site.source, site.editor = fresh, topic, analyst, source, editor
    site.seed_story = Article.objects.exclude(pk=fresh.pk).exclude(credit="Pretend Desk").first()  # from seeds/
    return site


# Pages ------------------------------------------------------------------------------------------


def render(client, url, expected=200):
    response = client.get(url)
    if response.status_code != expected:
        raise SystemExit(f"{url} answered {response.status_code}, expected {expected}")
    return response.content.decode()


def older_link(html):
    """Return the address a page's "Older stories" link leads to (the canonical address of the next page)."""
    match = re.search(r'<a rel="next" href="([^"]+)"', html)
    if not match:
        raise SystemExit("A list page with more than one page of stories has no link to the next.")
    return unescape(match[1])


def public_pages(client, site):
    """Return {name: (url, html)} for every public page type."""
    pages = {}

    def add(name, url, expected=200):
        pages[name] = (url, render(client, url, expected))

    add("home", "/")
    add("story (published now)", site.fresh.get_absolute_url())
    if site.seed_story:
        add("story (seed)", site.seed_story.get_absolute_url())
    add("topics", "/topics/")
    add("topic, page 1", site.topic.get_absolute_url())
    add("topic, page 2", older_link(pages["topic, page 1"][1]))
    add("topic, page 2 by number", site.topic.get_absolute_url() + "?page=2")
    add("analysts", "/analysts/")
    add("analyst, page 1", site.analyst.get_absolute_url())
    add("analyst, page 2", older_link(pages["analyst, page 1"][1]))
    add("source", site.source.get_absolute_url())
    add("search", "/search/?q=Sylvania")
    add("search (empty)", "/search/")
    add("corrections", "/corrections/")
    add("404", "/no/such/page/", expected=404)
    return pages


# Tables -----------------------------------------------------------------------------------------


def table(title, header, rows):
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows, strict=True)]
    line = "  ".join("-" * width for width in widths)
    print(f"\n{title}")
    print("  ".join(str(cell).ljust(width) for cell, width in zip(header, widths, strict=True)))
    print(line)
    for row in rows:
        print("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)))


def details(problems):
    for where, message in problems:
        print(f"  ERROR {where}: {message}")


# HTML: the Nu Html Checker ----------------------------------------------------------------------


def check_html(pages, workdir):
    jar = Path(os.environ.get("VNU_JAR") or (INSTALLED_VNU[-1] if INSTALLED_VNU else "vnu.jar"))
    if not jar.exists():
        raise SystemExit(f"vnu.jar not found at {jar}: run `make validate`, which installs it, or set VNU_JAR.")
    files = {}
    for index, (name, (_url, html)) in enumerate(pages.items()):
        path = workdir / f"page-{index:02d}.html"
        path.write_text(html, encoding="utf-8")
        files[str(path.resolve())] = name
    # A page with one known error: the checker must find it, or it checked nothing.
    canary = workdir / "canary.html"
    canary.write_text('<!doctype html><html lang="en"><title>c</title><time datetime="2026-01-01T00:00:00.1234Z">')
    command = [java(), "-Xss4m", "-jar", str(jar), "--format", "json", "--stdout", "--exit-zero-always",
               *files, str(canary.resolve())]
    # Our own rendered pages, in our own temporary folder, to a pinned checker.
    result = subprocess.run(command, capture_output=True, text=True, check=True)  # noqa: S603
    counts = {name: [0, 0] for name in files.values()}
    problems, canary_errors = [], 0
    for message in json.loads(result.stdout)["messages"]:
        path = "/" + message.get("url", "").removeprefix("file:").lstrip("/")
        if path == str(canary.resolve()):
            canary_errors += message["type"] == "error"
            continue
        name = files.get(path, path)
        if message["type"] in ("error", "non-document-error"):
            counts.setdefault(name, [0, 0])[0] += 1
            problems.append((name, f"line {message.get('lastLine', '?')}: {message['message']}"))
        elif message.get("subType") == "warning":
            counts.setdefault(name, [0, 0])[1] += 1
    if not canary_errors:
        problems.append(("checker", "the Nu Html Checker found no error in a page that has one: nothing was checked"))
    rows = [(name, pages[name][0] if name in pages else "", errors, warnings)
            for name, (errors, warnings) in counts.items()]
    table("HTML (W3C Nu Html Checker " + vnu_version(jar) + ")", ("page", "address", "errors", "warnings"), rows)
    details(problems)
    return len(problems)


def java():
    found = shutil.which("java")
    if not found:
        raise SystemExit("java not found: the Nu Html Checker needs a Java runtime (Debian: default-jre-headless).")
    return found


def vnu_version(jar):
    version = subprocess.run([java(), "-jar", str(jar), "--version"], capture_output=True, text=True)  # noqa: S603
    return version.stdout.strip()


# Feeds ------------------------------------------------------------------------------------------


def expected_authors(story):
    from django.conf import settings

    names = [b.author.get_full_name() or b.author.get_username() for b in story.bylines.select_related("author")]
    if story.credit:
        names.append(story.credit)
    return names or [settings.NEWSROOM["NAME"]]


def story_at(link, site_root):
    from articles.models import Article

    path = link.removeprefix(site_root)
    match = re.fullmatch(r"/stories/([^/]+)/", path)
    return Article.objects.filter(slug=match[1]).first() if match else None


def rfc822_problem(value):
    if not value or not RFC822.match(value):
        return f"not an RFC 822 date: {value!r}"
    parsed = email.utils.parsedate_to_datetime(value)
    if parsed.strftime("%a") != value[:3]:
        return f"weekday does not match the date: {value!r}"
    return None


def rfc3339_problem(value):
    if not value or not RFC3339.match(value):
        return f"not an RFC 3339 date-time: {value!r}"
    datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    return None


def feed_urls(site):
    from django.urls import reverse

    topic, analyst = {"slug": site.topic.slug}, {"slug": site.analyst.slug}
    return {
        "site RSS": reverse("articles:feed_rss"), "site Atom": reverse("articles:feed_atom"),
        "topic RSS": reverse("articles:topic_feed_rss", kwargs=topic),
        "topic Atom": reverse("articles:topic_feed_atom", kwargs=topic),
        "analyst RSS": reverse("articles:analyst_feed_rss", kwargs=analyst),
        "analyst Atom": reverse("articles:analyst_feed_atom", kwargs=analyst),
    }


def read_feed(client, url):
    """Return [(story id, link, story)] of a feed, and its problems, by the feed validator's rules."""
    from lxml import etree

    from reader.formats import site_root

    root_url = site_root()
    body = client.get(url).content
    problems, entries = [], []
    try:
        root = etree.fromstring(body)
    except etree.XMLSyntaxError as error:
        return [], [f"not well-formed XML: {error}"]
    me = root_url + url
    if root.tag == "rss":
        channel = root.find("channel")
        if root.get("version") != "2.0":
            problems.append("rss version is not 2.0")
        for name in ("title", "link", "description"):
            if not (channel.findtext(name) or "").strip():
                problems.append(f"channel has no {name}")
        selves = [link.get("href") for link in channel.findall(f"{{{ATOM}}}link") if link.get("rel") == "self"]
        if selves != [me]:
            problems.append(f'atom:link rel="self" is {selves}, expected [{me!r}]')
        if channel.findtext("lastBuildDate") and (problem := rfc822_problem(channel.findtext("lastBuildDate"))):
            problems.append(f"lastBuildDate {problem}")
        for item in channel.findall("item"):
            link, guid = item.findtext("link") or "", item.find("guid")
            where = f"item {link}"
            if guid is None or guid.get("isPermaLink") != "false":
                problems.append(f'{where}: guid missing or not isPermaLink="false"')
            if problem := rfc822_problem(item.findtext("pubDate")):
                problems.append(f"{where}: pubDate {problem}")
            description = item.findtext("description") or ""
            if "<" in description:
                problems.append(f"{where}: the description carries markup; deks are plain text")
            creators = [c.text for c in item.findall(f"{{{DC}}}creator")]
            entries.append((guid.text if guid is not None else None, link, creators, where))
    elif root.tag == f"{{{ATOM}}}feed":
        for name in ("id", "title", "updated"):
            if not (root.findtext(f"{{{ATOM}}}{name}") or "").strip():
                problems.append(f"feed has no {name}")
        if problem := rfc3339_problem(root.findtext(f"{{{ATOM}}}updated")):
            problems.append(f"feed updated {problem}")
        selves = [link.get("href") for link in root.findall(f"{{{ATOM}}}link") if link.get("rel") == "self"]
        if selves != [me]:
            problems.append(f'link rel="self" is {selves}, expected [{me!r}]')
        for entry in root.findall(f"{{{ATOM}}}entry"):
            links = [
                a.get("href") for a in entry.findall(f"{{{ATOM}}}link") if a.get("rel", "alternate") == "alternate"
            ]
            link = links[0] if links else ""
            where = f"entry {link}"
            for name in ("updated", "published"):
                if problem := rfc3339_problem(entry.findtext(f"{{{ATOM}}}{name}")):
                    problems.append(f"{where}: {name} {problem}")
            summary = entry.find(f"{{{ATOM}}}summary")
            if summary is not None and summary.get("type", "text") != "text":
                problems.append(f'{where}: summary type="{summary.get("type")}"; deks are plain text')
            creators = []
            for author in entry.findall(f"{{{ATOM}}}author"):
                names = author.findall(f"{{{ATOM}}}name")
                if len(names) != 1:
                    problems.append(f"{where}: an author with {len(names)} names")
                creators += [name.text for name in names]
            entries.append((entry.findtext(f"{{{ATOM}}}id"), link, creators, where))
    else:
        return [], [f"neither RSS nor Atom: <{root.tag}>"]
    ids = [story_id for story_id, *_ in entries]
    for story_id in {i for i in ids if ids.count(i) > 1}:
        problems.append(f"id {story_id} is used by {ids.count(story_id)} items")
    stories = []
    for story_id, link, creators, where in entries:
        if not story_id or not TAG_URI.match(story_id):
            problems.append(f"{where}: id {story_id!r} is not a tag: URI (RFC 4151)")
        if not link.startswith(root_url + "/"):
            problems.append(f"{where}: link is not on the site ({root_url})")
        story = story_at(link, root_url)
        if story is None:
            problems.append(f"{where}: no story at this link")
            continue
        if creators != expected_authors(story):
            problems.append(f"{where}: authors {creators}, expected one each: {expected_authors(story)}")
        stories.append((story_id, link, story))
    return stories, problems


def check_feeds(client, site):
    from articles import services
    from pagecache.cache import bump_generation

    rows, problems, ids_by_story = [], [], defaultdict(set)
    urls = feed_urls(site)
    for name, url in urls.items():
        stories, feed_problems = read_feed(client, url)
        for story_id, _link, story in stories:
            ids_by_story[story.pk].add(story_id)
        problems += [(name, problem) for problem in feed_problems]
        rows.append((name, url, len(stories), len(feed_problems)))
    for pk, ids in ids_by_story.items():
        if len(ids) > 1:
            problems.append(("all feeds", f"story {pk} has {len(ids)} different ids: {sorted(ids)}"))
    # Permanent: a new address (slug) for a published story leaves its id as it was.
    story = site.fresh
    before = {story_id for story_id, _, s in read_feed(client, urls["site RSS"])[0] + read_feed(
        client, urls["site Atom"])[0] if s.pk == story.pk}
    old_slug = story.slug
    story.slug = f"{old_slug}-renamed"
    story.save()
    services.article_slug_changed(article=story, old_slug=old_slug)
    bump_generation()
    after_entries = read_feed(client, urls["site RSS"])[0] + read_feed(client, urls["site Atom"])[0]
    after = {story_id for story_id, _, s in after_entries if s.pk == story.pk}
    links = {link for _, link, s in after_entries if s.pk == story.pk}
    renamed = not any(old_slug + "/" in link for link in links) and links
    permanent = len(before) == 1 and before == after and renamed
    if not permanent:
        problems.append(("site feeds", f"the id changed with the story's address: {sorted(before)} -> {sorted(after)}"))
    rows.append(("site feeds, story renamed", "(ids before and after)", len(after), 0 if permanent else 1))
    table("Feeds (the feed validator's rules, checked here)", ("feed", "address", "items", "errors"), rows)
    details(problems)
    return len(problems)


# Sitemaps ---------------------------------------------------------------------------------------


def schema(name):
    from lxml import etree

    return etree.XMLSchema(etree.parse(str(SCHEMAS / name)))


def news_schema():
    """The URL set schema with the news tags' schema, for the news sitemap (strict on both)."""
    from lxml import etree

    driver = f"""<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema">
      <xsd:import namespace="{SM}" schemaLocation="{(SCHEMAS / 'sitemap.xsd').as_uri()}"/>
      <xsd:import namespace="{NEWS}" schemaLocation="{(SCHEMAS / 'sitemap-news.xsd').as_uri()}"/>
    </xsd:schema>"""
    return etree.XMLSchema(etree.fromstring(driver.encode()))


def against(xsd, body):
    from lxml import etree

    try:
        document = etree.fromstring(body)
    except etree.XMLSyntaxError as error:
        return None, [f"not well-formed XML: {error}"]
    if xsd.validate(document):
        return document, []
    return document, [f"line {e.line}: {e.message}" for e in xsd.error_log]


def check_sitemaps(client):
    from django.conf import settings
    from django.utils import timezone

    from reader.formats import site_root

    root_url = site_root()
    rows, problems = [], []
    index, index_problems = against(schema("siteindex.xsd"), client.get("/sitemap.xml").content)
    problems += [("/sitemap.xml", p) for p in index_problems]
    listed = [loc.text for loc in index.iter(f"{{{SM}}}loc")] if index is not None else []
    rows.append(("index", "/sitemap.xml", "sitemaps.org siteindex.xsd", len(listed), len(index_problems)))
    urlset = schema("sitemap.xsd")
    for location in listed:
        if not location.startswith(root_url + "/"):
            problems.append(("/sitemap.xml", f"{location} is not on the site ({root_url})"))
            continue
        path = location.removeprefix(root_url)
        document, found = against(urlset, client.get(path).content)
        locs = [loc.text for loc in document.iter(f"{{{SM}}}loc")] if document is not None else []
        found += [f"{loc} is not on the site" for loc in locs if not loc.startswith(root_url + "/")]
        problems += [(path, p) for p in found]
        rows.append(("section", path, "sitemaps.org sitemap.xsd", len(locs), len(found)))
    news, found = against(news_schema(), client.get("/sitemap-news.xml").content)
    now = timezone.now()
    urls = list(news.iter(f"{{{SM}}}url")) if news is not None else []
    if len(urls) > NEWS_LIMIT:
        found.append(f"{len(urls)} URLs; Google reads at most {NEWS_LIMIT}")
    if not urls:
        found.append("no URL: the desk published stories in the last two days")
    for url in urls:
        loc = url.findtext(f"{{{SM}}}loc")
        publication = url.find(f"{{{NEWS}}}news/{{{NEWS}}}publication")
        name = publication.findtext(f"{{{NEWS}}}name") if publication is not None else None
        language = publication.findtext(f"{{{NEWS}}}language") if publication is not None else None
        if name != settings.NEWSROOM["NAME"]:
            found.append(f"{loc}: publication name {name!r}, expected {settings.NEWSROOM['NAME']!r}")
        if language != settings.NEWSROOM["LANGUAGE"]:
            found.append(f"{loc}: language {language!r}, expected {settings.NEWSROOM['LANGUAGE']!r}")
        stamp = url.findtext(f"{{{NEWS}}}news/{{{NEWS}}}publication_date") or ""
        if RFC3339.match(stamp):
            published = datetime.datetime.fromisoformat(stamp.replace("Z", "+00:00"))
            if not now - NEWS_WINDOW <= published <= now:
                found.append(f"{loc}: published {stamp}, outside the last two days")
        if not (loc or "").startswith(root_url + "/"):
            found.append(f"{loc} is not on the site ({root_url})")
    problems += [("/sitemap-news.xml", p) for p in found]
    rows.append(("news", "/sitemap-news.xml", "sitemap.xsd, news tags, Google's rules", len(urls), len(found)))
    table("Sitemaps", ("sitemap", "address", "checked against", "URLs", "errors"), rows)
    details(problems)
    return len(problems)


# Page rules -------------------------------------------------------------------------------------


def expected_canonical(name, url):
    """Return the canonical address a page must name: its own, but none for the 404 and page-number pages."""
    from reader.formats import site_root

    if name == "404" or "?page=" in url:
        return None
    return site_root() + ("/search/" if url.startswith("/search/") else url)


def check_page_rules(pages):
    """One canonical address per page; search landmarks each with their own name; times to the second."""
    import lxml.html

    rows, problems = [], []
    for name, (url, html) in pages.items():
        document = lxml.html.fromstring(html)
        found = []
        canonicals = [link.get("href") for link in document.iter("link") if link.get("rel") == "canonical"]
        expected = expected_canonical(name, url)
        if canonicals != ([expected] if expected else []):
            found.append(f"canonical {canonicals}, expected {[expected] if expected else 'none'}")
        robots = [meta.get("content") for meta in document.iter("meta") if meta.get("name") == "robots"]
        if not expected and not any("noindex" in content for content in robots):
            found.append("a page with no canonical address must ask not to be indexed")
        searches = [form.get("aria-label") or "" for form in document.iter("form") if form.get("role") == "search"]
        searches += [el.get("aria-label") or "" for el in document.iter("search")]
        if len(searches) > 1 and (len(set(searches)) < len(searches) or not all(searches)):
            found.append(f"search landmarks without a name of their own: {searches}")
        if name == "search" and not document.find_class("result"):
            found.append(f"no result for {url}, though the word is in every seeded headline: results went unchecked")
        stamps = [el.get("datetime") for el in document.iter("time") if el.get("datetime")]
        stamps += [meta.get("content") for meta in document.iter("meta") if meta.get("property", "").endswith("_time")]
        fractions = [stamp for stamp in stamps if "." in stamp]
        if fractions:
            found.append(f"{len(fractions)} times with a fraction of a second, e.g. {fractions[0]}")
        problems += [(name, problem) for problem in found]
        rows.append((name, canonicals[0] if canonicals else "(none)", len(searches), len(stamps), len(found)))
    table("Page rules (canonical address, search landmarks, machine times)",
          ("page", "canonical", "search landmarks", "times", "errors"), rows)
    details(problems)
    return len(problems)


# JSON-LD ----------------------------------------------------------------------------------------


def missing_recommended(article):
    """Return the Google Article properties the block lacks (author.name and author.url: for any author)."""
    missing = [name for name in ("dateModified", "datePublished", "headline", "image") if not article.get(name)]
    authors = article.get("author") or []
    authors = authors if isinstance(authors, list) else [authors]
    if not authors:
        missing.append("author")
    if any(not author.get("name") for author in authors):
        missing.append("author.name")
    if any(not author.get("url") for author in authors):
        missing.append("author.url")
    return missing


def check_jsonld(pages):
    import extruct

    from reader.formats import site_root

    root_url = site_root()
    rows, problems, missing = [], [], {}
    script = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.DOTALL)
    for name, (url, html) in pages.items():
        found = []
        blocks = script.findall(html)
        try:
            data = extruct.extract(html, base_url=root_url + url, syntaxes=["json-ld"], uniform=False)["json-ld"]
        except Exception as error:  # noqa: BLE001 - any parse failure is the finding
            data, found = [], [f"JSON-LD does not parse: {error}"]
        if len(data) != len(blocks):
            found.append(f"{len(blocks)} blocks on the page, {len(data)} parsed")
        types = []
        for block in data:
            kind = block.get("@type")
            types.append(kind)
            if block.get("@context") not in ("https://schema.org", "http://schema.org"):
                found.append(f"{kind}: @context is {block.get('@context')!r}")
            if block.get("url") and not block["url"].startswith(root_url + "/"):
                found.append(f"{kind}: url {block['url']} is not on the site")
            if kind in ARTICLE_TYPES:
                for date in ("datePublished", "dateModified"):
                    if block.get(date) and not ISO8601.match(block[date]):
                        found.append(f"{kind}: {date} {block[date]!r} is not ISO 8601 with a time zone")
                authors = block.get("author") or []
                for author in authors if isinstance(authors, list) else [authors]:
                    if author.get("@type") not in ("Person", "Organization"):
                        found.append(f"{kind}: an author of type {author.get('@type')!r}")
                    if "," in (author.get("name") or "") or " and " in (author.get("name") or ""):
                        found.append(f"{kind}: one author field names several people: {author.get('name')!r}")
                missing[name] = missing_recommended(block)
            if kind == "ProfilePage" and not (block.get("mainEntity") or {}).get("name"):
                found.append("ProfilePage: mainEntity has no name")
        problems += [(name, problem) for problem in found]
        recommended = ", ".join(missing.get(name, [])) or ("none" if name in missing else "")
        rows.append((name, ", ".join(map(str, types)) or "(none)", len(found), recommended))
    table("JSON-LD (extruct; Google's Article properties)",
          ("page", "types", "errors", "recommended Article properties missing"), rows)
    details(problems)
    return len(problems)


def main():
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="newsroom-validate-") as tmp:
        workdir = Path(tmp)
        setup_django(workdir)
        from django.test import Client

        site = seed()
        client = Client()
        pages = public_pages(client, site)
        errors = {
            "HTML": check_html(pages, workdir),
            "Page rules": check_page_rules(pages),
            "JSON-LD": check_jsonld(pages),
            "Sitemaps": check_sitemaps(client),
            "Feeds": check_feeds(client, site),  # last: it renames a story
        }
    table("Standards gate", ("validator", "errors"), list(errors.items()))
    print(f"\n{sum(errors.values())} errors in {time.monotonic() - started:.0f} s")
    return 1 if any(errors.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
