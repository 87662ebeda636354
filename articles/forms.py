"""Forms. The admin's story form edits the body in a rich-text editor that offers only what is kept."""
from django import forms
from django.forms.utils import ErrorList
from django.utils.safestring import mark_safe
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


class QuietErrorList(ErrorList):
    """An error list that renders nothing without a template when it is empty.

    The story form asks every field and row for its errors (about 150 lists a page, nearly all
    empty); rendering each empty one through the form renderer's template was a tenth of the page.
    """

    def render(self, template_name=None, context=None, renderer=None):
        if not self.data:
            return mark_safe("")
        return super().render(template_name, context, renderer)

    __str__ = __html__ = render


class ArticleAdminForm(forms.ModelForm):
    """The story form of the admin: the body in django-prose-editor, cleaned by the site's allow-list."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("error_class", QuietErrorList)
        super().__init__(*args, **kwargs)

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
