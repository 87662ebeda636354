"""The image library: each picture once, with who made it, who owns it, what it shows and where it ran;
and where the site uses one (a story's lead, its text, an analyst's or a member of staff's portrait)."""
import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from articles.models import Analyst, Article

# How long after a picture ran the library and the story form warn that readers saw it recently.
RECENT_RUN = datetime.timedelta(days=7)

_fraction = [MinValueValidator(0.0), MaxValueValidator(1.0)]


class PhotoQuerySet(models.QuerySet):
    def usable(self, *, on=None):
        """Return the pictures whose rights have not run out (on `on`, a date; default today)."""
        today = on or timezone.localdate()
        return self.filter(models.Q(rights_expire_on__isnull=True) | models.Q(rights_expire_on__gte=today))

    def expired(self, *, on=None):
        """Return the pictures whose rights ran out before `on` (default today)."""
        return self.filter(rights_expire_on__lt=on or timezone.localdate())

    def with_last_run(self, *, now=None):
        """Let each picture say `last_ran`: when the newest story readers can see that uses it went live (or None)."""
        live = Article.objects.published(at=now)

        def newest(uses):
            stories = live.filter(**{f"{uses}__photo": models.OuterRef("pk")})
            return models.Subquery(stories.order_by("-published_at").values("published_at")[:1])

        return self.annotate(last_ran_lead=newest("lead_image"), last_ran_body=newest("photo_figures"))


class Photo(models.Model):
    """A picture in the library: a photograph, a handout or a desk graphic, with its rights."""

    class Source(models.TextChoices):
        STAFF = "staff", "Staff (our photographer, or a graphic the desk made)"
        AGENCY = "agency", "Agency or wire"
        HANDOUT = "handout", "Handout (a government, company or campaign released it)"
        STATE_MEDIA_HANDOUT = "state_media_handout", "State-media handout"

    # Readers see this under a state-media handout, with the credit: they are owed the fact that a
    # government released the picture and the desk could not check what it shows.
    STATE_MEDIA_LABEL = "State-media handout: released by a government-controlled outlet; not independently verified."

    file = models.FileField(
        "cleaned original", max_length=255, editable=False,
        help_text="The uploaded picture, re-encoded without its metadata (location, camera, owner's notes).",
    )
    token = models.CharField(
        "file key", max_length=32, unique=True, editable=False,
        help_text="The random part of the picture's file names; it says nothing about any story.",
    )
    original_filename = models.CharField(
        "uploaded as", max_length=255, editable=False, help_text="The file's name on the uploader's computer.",
    )
    width = models.PositiveIntegerField("width (px)", editable=False)
    height = models.PositiveIntegerField("height (px)", editable=False)
    file_format = models.CharField("format", max_length=10, editable=False)
    file_size = models.PositiveIntegerField("uploaded size (bytes)", editable=False)
    sha256 = models.CharField("file checksum", max_length=64, db_index=True, editable=False)
    phash = models.CharField(
        "picture fingerprint", max_length=16, db_index=True, editable=False,
        help_text="A perceptual hash: the same picture resized or re-saved gets a nearly equal one.",
    )
    alt_text = models.TextField(
        "alt text", max_length=600, blank=True,
        help_text="What the picture shows, for readers who cannot see it: one or two plain sentences. "
        "Say who and what, not “image of”. A story may give its own for one use. "
        "No story that uses the picture can be published without it.",
    )
    caption = models.TextField(
        "caption", max_length=1000, blank=True,
        help_text="The usual caption: who, what, where, when. Each story may write its own. "
        "Filled from the file's own caption when it has one.",
    )
    credit = models.CharField(
        "credit", max_length=200,
        help_text="Printed under the picture, e.g. “Jeon Heon-kyun/Yonhap” or “Newsroom desk graphic”. "
        "Filled from the file when it says.",
    )
    copyright_holder = models.CharField(
        "copyright holder", max_length=200,
        help_text="Who owns the picture, e.g. “Yonhap News Agency”. Filled from the file when it says.",
    )
    source = models.CharField(
        "source", max_length=20, choices=Source.choices, default=Source.AGENCY,
        help_text="Where it came from. A state-media handout is labelled to readers as one.",
    )
    usage_terms = models.TextField(
        "usage terms", blank=True,
        help_text="What the licence allows, e.g. “Editorial use only; no archive sales”. "
        "Editors read this before using the picture.",
    )
    rights_expire_on = models.DateField(
        "rights expire on", null=True, blank=True,
        help_text="The last day the desk may show it. After that it cannot be added to a story, "
        "and stories already using it are flagged. Blank: no end date.",
    )
    focal_x = models.FloatField(
        "focal point, across", default=0.5, validators=_fraction,
        help_text="Where the picture's subject is, from the left edge (0) to the right (1). "
        "Set it by clicking the picture.",
    )
    focal_y = models.FloatField(
        "focal point, down", default=0.5, validators=_fraction,
        help_text="Where the picture's subject is, from the top (0) to the bottom (1).",
    )
    renditions = models.JSONField(
        "renditions", default=dict, editable=False,
        help_text="The sizes and crops made from the picture (photos/renditions.py), by name.",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="uploaded by", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+", editable=False,
    )
    uploaded_at = models.DateTimeField("uploaded", auto_now_add=True)
    updated_at = models.DateTimeField("last saved", auto_now=True)

    objects = PhotoQuerySet.as_manager()

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        verbose_name = "picture"
        verbose_name_plural = "pictures"
        indexes = [models.Index(fields=["credit"], name="photo_credit")]

    def __str__(self):
        text = (self.caption or self.alt_text or self.original_filename).strip()
        return text if len(text) <= 80 else text[:79].rstrip() + "…"

    @property
    def last_ran(self):
        """When a story readers can see last put it in front of them (with_last_run() loads it), or None."""
        times = [getattr(self, name, None) for name in ("last_ran_lead", "last_ran_body")]
        return max(filter(None, times), default=None)

    @property
    def is_state_media(self):
        return self.source == self.Source.STATE_MEDIA_HANDOUT

    def rights_expired(self, *, on=None):
        """State the usable() rule for this one picture: True once its rights have run out."""
        return self.rights_expire_on is not None and self.rights_expire_on < (on or timezone.localdate())

    rights_expired.boolean = True
    rights_expired.short_description = "rights expired"


class LeadImage(models.Model):
    """The picture at the top of a story, with the story's own caption and, if it needs one, its own alt text."""

    article = models.OneToOneField(Article, on_delete=models.CASCADE, related_name="lead_image")
    photo = models.ForeignKey(
        Photo, verbose_name="image", on_delete=models.PROTECT, related_name="lead_uses",
        help_text="Type to search the library by caption, credit or file name.",
    )
    caption = models.TextField(
        "caption in this story", max_length=1000, blank=True,
        help_text="Blank prints the library's caption. The credit is always printed after it.",
    )
    alt_text = models.TextField(
        "alt text in this story", max_length=600, blank=True,
        help_text="Only if this story needs a different description from the library's, "
        "e.g. to name the person the story is about.",
    )
    updated_at = models.DateTimeField("last saved", auto_now=True)

    class Meta:
        verbose_name = "lead image"
        ordering = ["article"]

    def __str__(self):
        return f"Lead image of “{self.article}”"

    @property
    def effective_alt(self):
        return (self.alt_text or self.photo.alt_text).strip()

    @property
    def effective_caption(self):
        return (self.caption or self.photo.caption).strip()


class BodyFigure(models.Model):
    """A library picture placed in a story's text; kept in step with the body each time the story is saved."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="photo_figures")
    photo = models.ForeignKey(Photo, on_delete=models.PROTECT, related_name="figure_uses")
    alt_text = models.TextField("alt text in the body", blank=True)
    sort_order = models.PositiveIntegerField("order in the body", default=0)

    class Meta:
        verbose_name = "figure in a story"
        ordering = ["article", "sort_order"]
        constraints = [models.UniqueConstraint(fields=["article", "photo"], name="unique_figure_per_story")]

    def __str__(self):
        return f"{self.photo} in “{self.article}”"



class Portrait(models.Model):
    """A person's portrait: a library picture, cropped square around its focal point, its own alt text if needed."""

    photo = models.ForeignKey(
        Photo, verbose_name="picture", on_delete=models.PROTECT, related_name="+",
        help_text="Type to search the library by caption, credit or file name. It is cropped square around "
        "the picture's focal point: set the point on the face in the image library.",
    )
    alt_text = models.TextField(
        "alt text for the portrait", max_length=600, blank=True,
        help_text="Blank uses the library's alt text. Say who it is, e.g. “Dana Quillfeather, smiling, "
        "in front of a bookcase”.",
    )
    updated_at = models.DateTimeField("last saved", auto_now=True)

    class Meta:
        abstract = True

    @property
    def effective_alt(self):
        return (self.alt_text or self.photo.alt_text).strip()


class AnalystPortrait(Portrait):
    """The picture on an analyst's page, next to their name."""

    analyst = models.OneToOneField(Analyst, on_delete=models.CASCADE, related_name="portrait")

    class Meta:
        verbose_name = "portrait"
        ordering = ["analyst"]

    def __str__(self):
        return f"Portrait of {self.analyst}"


class StaffPortrait(Portrait):
    """The picture of a member of staff, on their author page and the staff list; kept with their account."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name="account", on_delete=models.CASCADE, related_name="portrait",
    )

    class Meta:
        verbose_name = "staff portrait"
        ordering = ["user"]

    def __str__(self):
        return f"Portrait of account {self.user_id}"
