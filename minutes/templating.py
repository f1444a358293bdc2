"""The Jinja2 environment for the few templates rendered with Jinja2 (`templates/jinja2/`).

The meeting agenda has about a thousand substitutions on a long meeting; Django's template
engine spent most of a meeting page's first render on them, Jinja2 compiles the template to
Python. Everything else stays a Django template. The filters are the same functions the Django
templates use, so a piece of text is escaped and marked up the same way on every page.
"""

from __future__ import annotations

from django.template.defaultfilters import linebreaks_filter
from jinja2 import Environment

from .parties import party_label
from .templatetags.archive import prose, split_sections
from .templatetags.search_tags import fremhaev
from .text import danish_date


def environment(**options) -> Environment:
    env = Environment(**options)
    env.filters.update(
        danish_date=danish_date,
        fremhaev=fremhaev,
        linebreaks=linebreaks_filter,
        party=party_label,
        prose=prose,
        split_sections=split_sections,
    )
    return env
