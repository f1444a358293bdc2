"""The municipality or region a text names."""

from __future__ import annotations

import re
from functools import cache

from .noise import Line

AUTHORITY_MENTION = re.compile(
    r"\b(?:Region (?:Hovedstaden|Sjælland|Syddanmark|Midtjylland|Nordjylland)"
    r"|Bornholms Regionskommune|[A-ZÆØÅ][\w\-]+(?:[ -][A-ZÆØÅ][\w\-]+)? Kommune)\b"
)


@cache
def _authority_names() -> frozenset[str]:
    from minutes.data.municipalities import MUNICIPALITIES

    return frozenset(a.name for a in MUNICIPALITIES)


def recognise_municipality(lines: list[Line]) -> str | None:
    """The municipality or region the text names most, preferring its first lines."""
    names = _authority_names()
    counts: dict[str, int] = {}
    for position, line in enumerate(lines):
        if "Kommune" not in line.text and "Region" not in line.text:
            continue
        for match in AUTHORITY_MENTION.finditer(line.text):
            name = match.group(0)
            if name in names:
                if position < 40:
                    return name
                counts[name] = counts.get(name, 0) + 1
    if counts:
        name, count = max(counts.items(), key=lambda kv: kv[1])
        if count >= 2:
            return name
    return None
