"""Small text helpers shared by ingestion, views and templates."""

from __future__ import annotations

from django.utils.formats import date_format
from django.utils.text import slugify

_DANISH = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "Ae", "Ø": "Oe", "Å": "Aa"})


def danish_slug(text: str) -> str:
    """A readable ASCII slug: 'Ældre- og Sundhedsudvalget' → 'aeldre-og-sundhedsudvalget'."""
    return slugify(text.translate(_DANISH)) or "x"


def danish_date(value) -> str:
    """2. juni 2021: the date as Danish prose writes it (the active language is Danish)."""
    return date_format(value, "j. F Y") if value else ""
