"""Forms. The admin's story form edits the body in a rich-text editor that offers only what is kept."""
from django import forms
from django_prose_editor.fields import ProseEditorFormField
from django_prose_editor.widgets import AdminProseEditorWidget

from .models import Article
from .sanitize import clean_html

# The editor's toolbar offers only markup that articles/sanitize.py keeps (a test holds them
# together), so what an editor sees while writing is what readers get.
BODY_EDITOR_EXTENSIONS = {
    "Paragraph": True,
    "HardBreak": True,
    "Heading": {"levels": [2, 3, 4]},
    "Bold": True,
    "Italic": True,
    "Underline": True,
    "Strike": True,
    "Subscript": True,
    "Superscript": True,
    "Code": True,
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HorizontalRule": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
    "SpecialCharacters": True,
}


class ArticleAdminForm(forms.ModelForm):
    """The story form of the admin: the body in django-prose-editor, cleaned by the site's allow-list."""

    body = ProseEditorFormField(
        label=Article._meta.get_field("body").verbose_name.capitalize(),
        help_text=Article._meta.get_field("body").help_text,
        required=False,
        widget=AdminProseEditorWidget,
        config={"extensions": BODY_EDITOR_EXTENSIONS},
        sanitize=clean_html,
    )

    class Meta:
        model = Article
        fields = "__all__"  # noqa: DJ007 - ArticleAdmin.fieldsets choose and order the fields
