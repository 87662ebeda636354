"""URL converters. Django's <slug:> is ASCII-only; stories and topics may have Hangul slugs."""


class UnicodeSlugConverter:
    regex = r"[-\w]+"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value
