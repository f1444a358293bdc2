"""Template helpers for search: `{{ text|fremhaev:highlighter }}` on pages reached from a result."""

from __future__ import annotations

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString

from ..highlight import Highlighter

register = template.Library()


@register.filter(is_safe=True)
def fremhaev(text: str, highlighter: Highlighter | None) -> SafeString:
    """The text escaped, with the search terms in <mark> when there is a highlighter."""
    if not highlighter:
        return escape(text or "")
    return highlighter.mark(text or "")
