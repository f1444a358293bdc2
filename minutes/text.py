"""Small text helpers shared by ingestion, views and templates."""

from __future__ import annotations

from django.utils.text import slugify

_DANISH = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "Ae", "Ø": "Oe", "Å": "Aa"})


def danish_slug(text: str) -> str:
    """A readable ASCII slug: 'Ældre- og Sundhedsudvalget' → 'aeldre-og-sundhedsudvalget'."""
    return slugify(text.translate(_DANISH)) or "x"
