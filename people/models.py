"""The desk's people and standards: staff profiles behind the bylines, and the pages on how it works."""
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.db.models.signals import pre_save
from django.dispatch import receiver
from simple_history.models import HistoricalRecords

from articles.models import site_url, slug_url, unique_slug
from articles.sanitize import clean_html

_link = URLValidator(schemes=["http", "https"])


def _is_link(value):
    try:
        _link(value)
    except ValidationError:
        return False
    return True


class StaffProfile(models.Model):
    """A member of staff as readers meet them: the name bylines print, and their author page."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name="account", on_delete=models.CASCADE, related_name="staff_profile",
        help_text="The login this profile belongs to. Readers never see the login name, only the display name.",
    )
    display_name = models.CharField(
        "display name", max_length=100,
        help_text="The name bylines print, in the order the person uses, e.g. “Dana Quillfeather”.",
    )
    slug = models.SlugField(
        "address", max_length=100, unique=True, allow_unicode=True,
        help_text="The author page's address, /authors/<this>/. Filled from the display name; "
        "change it only before it is used.",
    )
    job_title = models.CharField(
        "job title", max_length=120, blank=True,
        help_text="As the masthead prints it, e.g. “North Korea correspondent”.",
    )
    bio = models.TextField(
        "short bio", max_length=1000, blank=True,
        help_text="Two to four sentences in the third person: what they cover, what they did before. Plain text.",
    )
    expertise = models.ManyToManyField(
        "articles.Topic", verbose_name="areas of expertise", blank=True, related_name="+",
        help_text="The topics they know best, listed on their author page.",
    )
    languages = models.CharField(
        "languages", max_length=200, blank=True,
        help_text="Languages they report in, separated by commas, e.g. “English, Korean”.",
    )
    public_email = models.EmailField(
        "public e-mail", blank=True,
        help_text="An address readers and sources may write to, shown on the author page. Blank shows none.",
    )
    links = models.TextField(
        "links", blank=True,
        help_text="Their public profiles elsewhere, one address per line (a personal site, a social account). "
        "Search engines read them as the same person.",
    )
    is_current = models.BooleanField(
        "current staff", default=True,
        help_text="Untick when they leave: their page stays, with their stories, marked as former staff, "
        "and they leave the staff list and the masthead.",
    )
    updated_at = models.DateTimeField("updated", auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["display_name", "pk"]
        verbose_name = "staff profile"
        permissions = [("edit_any_profile", "Can edit every staff member's profile")]

    def __str__(self):
        return self.display_name

    # The URL of their author page, by its slug (as the core's models name theirs).
    page_url_name = "articles:author_detail"

    def get_absolute_url(self):
        return slug_url(self.page_url_name, self.slug)

    def _lines(self):
        return [line.strip() for line in self.links.splitlines() if line.strip()]

    @property
    def link_list(self):
        """Return the web addresses among the links, one per line (the sameAs of structured data).

        Only http(s) addresses: the form refuses anything else, and a row written another way
        (a shell, a fixture) still never puts a javascript: link on a page.
        """
        return [line for line in self._lines() if _is_link(line)]

    @property
    def initials(self):
        """Return up to two letters for the portrait's stand-in: "DQ" for “Dana Quillfeather”."""
        words = [word for word in self.display_name.replace("-", " ").split() if word[:1].isalpha()]
        if not words:
            return ""
        letters = words[0][0] + (words[-1][0] if len(words) > 1 else "")
        return letters.upper()

    def clean(self):
        for line in self._lines():
            if not _is_link(line):
                raise ValidationError({"links": f"“{line}” is not a web address (it must start with https://)."})

    def save(self, *args, **kwargs):
        self.display_name = " ".join(self.display_name.split())
        if not self.slug:
            self.slug = unique_slug(self, self.display_name, max_length=100)
        super().save(*args, **kwargs)


class StandardsPageManager(models.Manager):
    def get_by_natural_key(self, kind):
        return self.get(kind=kind)


class StandardsPage(models.Model):
    """One of the pages that say how the desk works (ethics, corrections, ownership...), edited by its editors."""

    class Kind(models.TextChoices):
        ABOUT = "about", "About us"
        MASTHEAD = "masthead", "Masthead"
        ETHICS = "ethics", "Ethics policy"
        CORRECTIONS = "corrections", "Corrections policy"
        DIVERSITY = "diversity", "Diversity policy"
        UNNAMED_SOURCES = "unnamed-sources", "Unnamed sources"
        VERIFICATION = "verification", "Verification and fact-checking"
        OWNERSHIP = "ownership", "Ownership and funding"
        CONTACT = "contact", "Contact and feedback"

    kind = models.CharField(
        "page", max_length=20, choices=Kind.choices, unique=True,
        help_text="Which page this is. Each has a fixed address that search engines are told about.",
    )
    title = models.CharField("title", max_length=120, help_text="The page's heading, e.g. “Ethics policy”.")
    summary = models.CharField(
        "summary", max_length=300, blank=True,
        help_text="One sentence for search results and the About page's list of policies.",
    )
    body = models.TextField(
        "text", blank=True,
        help_text="Paragraphs, headings, links, emphasis and lists are kept; anything else is removed when you save.",
    )
    starting_text = models.BooleanField(
        "starting text", default=False, editable=False,
        help_text="Still the text the site shipped with. Saving the page in the admin marks it as the desk's own.",
    )
    updated_at = models.DateTimeField("last updated", auto_now=True)

    objects = StandardsPageManager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["pk"]
        verbose_name = "standards page"

    def __str__(self):
        return self.title or self.get_kind_display()

    def natural_key(self):
        return (self.kind,)

    def get_absolute_url(self):
        return standards_url(self.kind)


# The schema.org properties of a NewsMediaOrganization that each page answers (the publisher's JSON-LD).
POLICY_PROPERTIES = {
    StandardsPage.Kind.MASTHEAD: ("masthead",),
    StandardsPage.Kind.ETHICS: ("ethicsPolicy", "publishingPrinciples"),
    StandardsPage.Kind.CORRECTIONS: ("correctionsPolicy",),
    StandardsPage.Kind.DIVERSITY: ("diversityPolicy",),
    StandardsPage.Kind.UNNAMED_SOURCES: ("unnamedSourcesPolicy",),
    StandardsPage.Kind.VERIFICATION: ("verificationFactCheckingPolicy",),
    StandardsPage.Kind.OWNERSHIP: ("ownershipFundingInfo",),
    StandardsPage.Kind.CONTACT: ("actionableFeedbackPolicy",),
}


def standards_url(kind):
    """Return the address of a standards page: /about/ for About, /about/<kind>/ for the others."""
    if kind == StandardsPage.Kind.ABOUT:
        return site_url("articles:about")
    return slug_url("articles:standards_page", str(kind))


@receiver(pre_save, sender=StandardsPage)
def _store_body_sanitized(sender, instance, **kwargs):
    """Sanitize the text on every save, raw ones included (fixtures, the starting texts' migration)."""
    instance.body = clean_html(instance.body)
