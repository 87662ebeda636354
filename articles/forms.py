"""Forms. The admin's story form edits the body in a rich-text editor that offers only what is kept."""
from django import forms
from django.forms.renderers import TemplatesSetting
from django.forms.utils import ErrorList
from django.utils.html import format_html
from django.utils.safestring import SafeData, mark_safe
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


DJANGO_LABEL_TEMPLATE = "django/forms/label.html"


def label_html(context):
    """Return what django/forms/label.html renders for a label_tag() context, written directly."""
    if not context["use_tag"]:
        return format_html("{}", context["label"])
    return format_html(
        "<{}{}>{}</{}>", context["tag"], attrs_html(context["attrs"]), context["label"], context["tag"]
    )


def attrs_html(attrs):
    """Return what django/forms/attrs.html (and widgets/attrs.html) render for these attributes."""
    return mark_safe("".join(  # noqa: S308 - each part is built by format_html
        format_html(" {}", name) if value is True else format_html(' {}="{}"', name, as_string(value))
        for name, value in (attrs or {}).items()
        if value is not False
    ))


def as_string(value):
    """The template filter stringformat:'s', which keeps a safe string safe."""
    return value if isinstance(value, SafeData) else "%s" % (value,)  # noqa: UP031 - the filter's own formatting


# Plain <input> widgets: each template includes input.html, which includes attrs.html.
DIRECT_INPUT_TEMPLATES = {
    f"django/forms/widgets/{name}.html" for name in ("input", "text", "hidden", "checkbox", "number", "email")
}


def input_html(widget):
    """Return what django/forms/widgets/input.html renders for a widget's context, written directly."""
    value = "" if widget["value"] is None else format_html(' value="{}"', as_string(widget["value"]))
    return format_html(
        '<input type="{}" name="{}"{}{}>', widget["type"], widget["name"], value, attrs_html(widget["attrs"])
    )


class DirectInputRenderer(TemplatesSetting):
    """The project's form renderer, writing plain <input> widgets directly, Django's markup exactly.

    A story form has about sixty (ids, order, text boxes, checkboxes), each through three templates.
    """

    def render(self, template_name, context, request=None):
        if template_name in DIRECT_INPUT_TEMPLATES:
            return input_html(context["widget"])
        return super().render(template_name, context, request)


class DirectMarkupMixin:
    """A form whose labels and plain <input> boxes are written directly, Django's markup exactly.

    The story form has about seventy labels, each through two templates (the label and its
    attributes), and sixty plain inputs, each through three. Tests compare the markup with Django's.
    """

    default_renderer = DirectInputRenderer()

    def render(self, template_name=None, context=None, renderer=None):
        if template_name == DJANGO_LABEL_TEMPLATE and context is not None:
            return label_html(context)
        return super().render(template_name, context, renderer)


class ArticleAdminForm(DirectMarkupMixin, forms.ModelForm):
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
