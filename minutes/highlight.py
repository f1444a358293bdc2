"""Highlighting that is safe against HTML in the source text.

Search snippets: PostgreSQL marks matches with sentinel characters that cannot occur in our
text; we escape the whole snippet, then turn the sentinels into <mark>.

Item pages reached from a result (`?fremhaev=<query>`): `Highlighter` knows which words of the
page are forms of the query's words (Danish stemming, asked of PostgreSQL once per page) and
marks them in escaped text. Document text is never marked safe as is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.db import connection
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

START, STOP = "\x02", "\x03"
# Words as the PostgreSQL parser sees them closely enough: letters/digits, joined by . / -
# inside (so "21/8910" and "Høje-Taastrup" stay whole).
WORD = re.compile(r"\w+(?:[./-]\w+)*")
MAX_QUERY = 300


def render_marked(text: str) -> SafeString:
    cleaned = text.replace("<mark>", "").replace("</mark>", "")
    escaped = escape(cleaned)
    return mark_safe(escaped.replace(START, "<mark>").replace(STOP, "</mark>"))  # noqa: S308 - escaped above


class Highlighter:
    """Marks the words of a page that match a search query."""

    def __init__(self, query: str, words: set[str]) -> None:
        self.query = query
        self.words = words  # lower-cased forms to mark

    def __bool__(self) -> bool:
        return bool(self.words)

    def mark(self, text: str) -> SafeString:
        text = text or ""
        out: list[str] = []
        position = 0
        for match in WORD.finditer(text):
            if match.group(0).lower() not in self.words:
                continue
            out.append(escape(text[position : match.start()]))
            out.append(f"<mark>{escape(match.group(0))}</mark>")
            position = match.end()
        out.append(escape(text[position:]))
        return mark_safe("".join(out))  # noqa: S308 - every piece escaped above


def highlighter_for(query: str | None, texts: Iterable[str]) -> Highlighter | None:
    """A Highlighter for `query` over the words in `texts`, or None without a usable query.

    Two SQL queries whatever the page size: the query's lexemes, and the lexemes of the page's
    distinct words.
    """
    from .search import parse_query  # search imports models; keep this module light

    query = (query or "").strip()[:MAX_QUERY]
    if not query:
        return None
    parsed = parse_query(query)
    if parsed.empty or not parsed.lexemes:
        return None
    exact = {lexeme for lexeme, prefix in parsed.lexemes if not prefix}
    prefixes = tuple(lexeme for lexeme, prefix in parsed.lexemes if prefix)
    words = sorted({w.lower() for text in texts for w in WORD.findall(text or "")})
    if not words:
        return Highlighter(query, set())
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT w, tsvector_to_array(to_tsvector('danish', w)) FROM unnest(%s::text[]) AS w",
            [words],
        )
        rows = cursor.fetchall()
    marked = {
        word
        for word, lexemes in rows
        if any(lex in exact or (prefixes and lex.startswith(prefixes)) for lex in lexemes or [])
    }
    return Highlighter(query, marked)


def item_texts(items: Iterable) -> list[str]:
    """The texts an item page shows, for highlighter_for: titles, sections, decisions, bilag.

    `items` as `selectors.meeting_items` returns them.
    """
    texts: list[str] = []
    for item in items:
        texts.append(item.title)
        texts += [s.heading + "\n" + s.text for s in item.section_list]
        texts += [d.text for d in item.decision_list]
        texts += [a.title for a in item.attachment_list]
    return texts
