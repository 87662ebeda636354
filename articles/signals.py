"""The signals the editorial core sends when what readers may see changes.

The core never learns who listens: the page cache makes pages stale, the kept counts mark counts
stale (both inside the write's transaction). articles/changes.py sends them from every route.
"""
from django.dispatch import Signal

# After a write to stories or their parts that a reader can see (published before or after, scheduled
# included). Arguments: story_ids (list), scopes (frozenset of (kind, slug): the "story", "topic",
# "analyst" and "source" pages that show them, links the write removed included), using (alias).
stories_changed = Signal()

# After a write any page may show: a topic, an analyst, an organization, a source, an old address,
# a staff name. Argument: using.
content_changed = Signal()

# Before a story is published or scheduled, inside the move's transaction. Arguments: article, user,
# action ("publish" or "schedule"). A receiver that finds the story not ready raises ValidationError
# with a message for the editor (a byline without a display name, a photo without alt text); the
# move is then refused and nothing is saved.
publishing = Signal()

# After `manage.py create_editor` made a staff account, inside its transaction. Arguments: user,
# display_name (the name bylines print, as the operator typed it). The people app gives the account
# its staff profile.
account_created = Signal()
