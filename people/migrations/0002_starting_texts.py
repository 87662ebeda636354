"""The nine standards pages with starting texts for the editors to replace, and a profile for each
account already on a byline with a full name (its display name), so existing bylines link."""
from django.db import migrations
from django.utils.text import slugify

STARTING = "<p><strong>Starting text, written for the editors to replace.</strong> {}</p>"

PAGES = [
    (
        "about", "About us",
        "Who we are, what we cover and the three types of work we publish.",
        STARTING.format("[Say here who we are, where we work from and what we are for.]")
        + "<p>We are a desk of reporters and editors who explain Korea and the geopolitics around it. Every story "
        "says which of three types of work it is: <strong>news</strong> reports what happened; "
        "<strong>analysis</strong> explains why it matters, drawing on named experts; <strong>opinion</strong> "
        "argues a case and says whose it is.</p>"
        "<p>Every story lists the people it quotes, with the title and affiliation we printed at the time, and "
        "the statements, dispatches and documents it relies on, with links to the originals where they are "
        "public.</p>",
    ),
    (
        "masthead", "Masthead",
        "The people who make our journalism, and who is responsible for what.",
        STARTING.format("[Name the editor in chief and who answers for what: news, analysis, standards.] "
                        "The staff listed below come from their own profiles."),
    ),
    (
        "ethics", "Ethics policy",
        "The principles our journalism follows: independence, conflicts of interest, types of work, bylines.",
        STARTING.format("")
        + "<h2>Independence</h2><p>[Who decides what we cover, and what no owner, funder or advertiser may "
        "decide.]</p>"
        "<h2>Conflicts of interest</h2><p>[What staff declare, what they may not accept, and where a declared "
        "interest is printed.]</p>"
        "<h2>Types of work</h2><p>News reports; analysis explains; opinion argues. Each story says which it is, "
        "at its top and to search engines.</p>"
        "<h2>Bylines</h2><p>Stories name the staff who wrote them, with a page for each author. A story credited "
        "only to the desk says so. [Say when a story carries no named author.]</p>",
    ),
    (
        "corrections", "Corrections policy",
        "How we correct errors, clarify and update stories, and where every correction is listed.",
        STARTING.format("")
        + "<p>When we get a fact wrong we correct it on the story, at the top, with the date. Clarifications "
        "(we were unclear) and updates (the story moved on) follow the story. Every one is also listed, newest "
        'first, on our <a href="/corrections/">corrections page</a>.</p>'
        "<p>[Say how readers report an error, who decides, and how quickly we answer.]</p>",
    ),
    (
        "diversity", "Diversity policy",
        "Whom we employ and whom we quote: our commitments on staff and on sources.",
        STARTING.format("")
        + "<h2>Our staff</h2><p>[How we hire, and whose perspectives the desk is missing.]</p>"
        "<h2>Our sources</h2><p>We count whom we quote, by the kind of organization they work for and by "
        "country, and publish the totals. No person is counted there by anything our stories do not print.</p>"
        "<p>[Say what balance the desk aims for, and how it will know.]</p>",
    ),
    (
        "unnamed-sources", "Unnamed sources",
        "When we grant a source anonymity, and what we tell readers when we do.",
        STARTING.format("")
        + "<p>We name our sources. [Say when the desk grants anonymity: the information matters, it cannot be "
        "had on the record, the source would risk harm.] An editor knows who every unnamed source is. The story "
        "says why the source was not named and how they know what they told us.</p>",
    ),
    (
        "verification", "Verification and fact-checking",
        "How we check what we publish, and which organizations we label state-controlled.",
        STARTING.format("")
        + "<h2>How we check</h2><p>[Who checks a story before publication, and what is checked: names, "
        "titles, figures, quotes against recordings or transcripts.]</p>"
        "<h2>State-controlled organizations</h2><p>We label an organization state-controlled when a government "
        "appoints its leaders, or sets its editorial line or its budget with no independent oversight. State "
        "media always are. Ministries and government offices are not labelled: they are named as what they are. "
        "Wherever we quote or cite a state-controlled organization, readers see the label.</p>"
        "<p>[Say how a story reports a claim that only state media carry.]</p>",
    ),
    (
        "ownership", "Ownership and funding",
        "Who owns us and where our money comes from.",
        STARTING.format("[Say who owns the publication; where its money comes from (subscriptions, advertising, "
                        "grants, owners); and any funder with an interest in what we cover.]"),
    ),
    (
        "contact", "Contact and feedback",
        "How to reach the desk with a tip, a correction or a complaint.",
        STARTING.format("[Give an address for tips, one for corrections and one for everything else, and say how "
                        "fast the desk answers.]")
        + "<p>To report an error, write to us with the story's address; our corrections policy says what "
        "happens next.</p>",
    ),
]


def add_starting_texts(apps, schema_editor):
    StandardsPage = apps.get_model("people", "StandardsPage")
    db = schema_editor.connection.alias
    for kind, title, summary, body in PAGES:
        if not StandardsPage.objects.using(db).filter(kind=kind).exists():
            StandardsPage.objects.using(db).create(
                kind=kind, title=title, summary=summary, body=body, starting_text=True,
            )


def remove_starting_texts(apps, schema_editor):
    StandardsPage = apps.get_model("people", "StandardsPage")
    StandardsPage.objects.using(schema_editor.connection.alias).filter(starting_text=True).delete()


def profile_bylined_accounts(apps, schema_editor):
    """Give each account already on a byline, with a full name and no profile, a profile under that name."""
    db = schema_editor.connection.alias
    Byline = apps.get_model("articles", "Byline")
    StaffProfile = apps.get_model("people", "StaffProfile")
    taken = set(StaffProfile.objects.using(db).values_list("slug", flat=True))
    authors = Byline.objects.using(db).values_list("author", flat=True).distinct()
    User = Byline._meta.get_field("author").related_model
    for user in User.objects.using(db).filter(pk__in=authors, staff_profile__isnull=True).order_by("pk"):
        name = " ".join(f"{user.first_name} {user.last_name}".split())
        if not name:
            continue  # the system check people.W001 lists them
        base = slugify(name, allow_unicode=True)[:90].strip("-") or "author"
        slug, n = base, 2
        while slug in taken:
            slug, n = f"{base}-{n}", n + 1
        taken.add(slug)
        StaffProfile.objects.using(db).create(user=user, display_name=name, slug=slug)


class Migration(migrations.Migration):

    dependencies = [
        ("people", "0001_initial"),
        ("articles", "0016_trust_fields"),
    ]

    operations = [
        migrations.RunPython(add_starting_texts, remove_starting_texts),
        migrations.RunPython(profile_bylined_accounts, migrations.RunPython.noop),
    ]
