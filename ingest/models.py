"""What the wire-copy import keeps: each imported copy, its suggestions and the draft it became."""
from django.conf import settings
from django.db import models

from articles.models import Article


class CopyImport(models.Model):
    """A plain-text wire story imported as a draft, kept so re-importing finds the same draft."""

    checksum = models.CharField(max_length=64, unique=True)
    filename = models.CharField(max_length=255, blank=True)
    text = models.TextField()
    article = models.ForeignKey(Article, null=True, blank=True, on_delete=models.SET_NULL, related_name="imports")
    suggestions = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "articles_copyimport"  # the table imports were first kept in
        ordering = ["-created_at"]
        verbose_name = "imported copy"
        verbose_name_plural = "imported copy"

    def __str__(self):
        return self.filename or self.checksum[:12]
