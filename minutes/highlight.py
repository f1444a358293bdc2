"""Highlighting that is safe against HTML in the source text.

PostgreSQL marks matches with sentinel characters that cannot occur in our text; we escape the
whole snippet, then turn the sentinels into <mark>. Document text is never marked safe as is.
"""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

START, STOP = "\x02", "\x03"


def render_marked(text: str) -> SafeString:
    cleaned = text.replace("<mark>", "").replace("</mark>", "")
    escaped = escape(cleaned)
    return mark_safe(escaped.replace(START, "<mark>").replace(STOP, "</mark>"))  # noqa: S308 - escaped above
