"""What the page cache checks its shared store against: a count of changes kept in the database."""
from django.db import models


class ChangeCount(models.Model):
    """One row counting every committed change readers may see (pagecache/cache.py).

    Bumped inside each change's own transaction, so no backup of the cache, and no cache that
    missed a change while it was unreachable, can pretend to be newer than the database: the page
    cache serves a kept page only while its store has seen this very count. Derived data: never
    edited by hand.
    """

    changes = models.BigIntegerField(
        "changes", default=0, help_text="Changes readers may see, counted since the database was created.",
    )

    class Meta:
        verbose_name = "change count"

    def __str__(self):
        return f"{self.changes} changes"
