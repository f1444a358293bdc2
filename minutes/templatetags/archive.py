from __future__ import annotations

import re
from dataclasses import dataclass, field

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from ..parsing.conventions import RECOMMENDATION_HEADINGS
from ..parties import party_label

register = template.Library()


@dataclass
class Block:
    text: str = ""
    rows: list[list[str]] | None = None


@register.filter
def text_blocks(text: str) -> list[Block]:
    """Paragraphs, with runs of tab-separated lines as table rows."""
    blocks: list[Block] = []
    for paragraph in (text or "").split("\n\n"):
        lines = paragraph.split("\n")
        table_lines = [line for line in lines if "\t" in line]
        # A row whose cells are all empty but the first loses its tabs to line trimming.
        if len(table_lines) >= 2 and len(table_lines) >= len(lines) - 2:
            rows = [line.split("\t") for line in lines]
            width = max(len(r) for r in rows)
            blocks.append(Block(rows=[r + [""] * (width - len(r)) for r in rows]))
        else:
            blocks.append(Block(text=paragraph))
    return blocks


@register.simple_tag
def heading(level: int, text: str, section_position: int | None = None):
    """A heading one below the page's h1, never deeper than h6; with the position of its
    document section it gets the anchor the table of contents links to (#afsnit-N)."""
    tag = f"h{min(6, max(2, int(level) + 1))}"
    if section_position is not None:
        anchor = f"afsnit-{int(section_position)}"
        return format_html('<{} id="{}">{}</{}>', tag, anchor, text, tag)
    return format_html("<{}>{}</{}>", tag, text, tag)


@dataclass
class ItemSections:
    recommendation: list = field(default_factory=list)
    rest: list = field(default_factory=list)


@register.filter
def split_sections(sections) -> ItemSections:
    """The Indstilling apart from the rest, so the page can put it next to the decision."""
    parts = ItemSections()
    for section in sections:
        key = (section.heading or "").strip().lower()
        (parts.recommendation if key in RECOMMENDATION_HEADINGS else parts.rest).append(section)
    return parts


@register.filter
def join_and(names) -> str:
    """Danish enumeration: 'A, B og C'."""
    names = [str(n) for n in names]
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} og {names[-1]}"


# Emphasis as the published text writes it: **bold**, *italic*, and stray <i>/<b> tags.
_INLINE = re.compile(
    r"\*\*(?=\S)(?P<strong>[^*\n]+?)(?<=\S)\*\*"
    r"|\*(?=\S)(?P<em>[^*\n]+?)(?<=\S)\*"
    r"|&lt;(?P<tag>i|b|em|strong)&gt;(?P<tagged>.*?)&lt;/(?P=tag)&gt;"
)


def _emphasis(match: re.Match[str]) -> str:
    if match["strong"]:
        return f"<strong>{match['strong']}</strong>"
    if match["em"]:
        return f"<em>{match['em']}</em>"
    tag = "em" if match["tag"] in ("i", "em") else "strong"
    return f"<{tag}>{match['tagged']}</{tag}>"


@register.filter
def inline_markup(text: str) -> SafeString:
    """The text escaped, then its emphasis marks turned into <strong>/<em>.

    Safe because every character of the input is escaped first; the only tags in the output
    are the ones written here, around text that is already escaped.
    """
    return mark_safe(_INLINE.sub(_emphasis, escape(text or "")))


_NUMBER = re.compile(r"^[-−–]?\s?(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?\s?%?$")


@register.filter
def is_number(cell: str) -> bool:
    """A Danish-formatted figure (1.234,5 / -3,0 / 12 %), to be right-aligned in tables."""
    return bool(_NUMBER.match((cell or "").strip()))


@register.filter
def prose(text: str, highlighter=None) -> SafeString:
    """A section's text as HTML: paragraphs with line breaks, tab-separated runs as tables.

    Built in Python rather than with a template loop: on a long meeting page the loop was most
    of the rendering time. Every piece of source text is escaped (by `inline_markup`, or by the
    search highlighter when the page was reached from a result) before any tag is added.
    """
    parts: list[str] = []
    for block in text_blocks(text):
        if block.rows:
            head = "".join(
                format_html('<th scope="col">{}</th>', inline_markup(cell))
                for cell in block.rows[0]
            )
            body = "".join(
                "<tr>"
                + "".join(
                    format_html(
                        "<td{}>{}</td>",
                        mark_safe(' class="num"') if is_number(cell) else "",
                        inline_markup(cell),
                    )
                    for cell in row
                )
                + "</tr>"
                for row in block.rows[1:]
            )
            parts.append(
                format_html(
                    '<div class="table-wrap" role="region" aria-label="Tabel: {}" tabindex="0">'
                    '<table class="table table-compact"><thead><tr>{}</tr></thead>'
                    "<tbody>{}</tbody></table></div>",
                    block.rows[0][0] or "uden overskrift",
                    mark_safe(head),
                    mark_safe(body),
                )
            )
        elif block.text.strip():
            paragraph = block.text.strip()
            marked = highlighter.mark(paragraph) if highlighter else inline_markup(paragraph)
            parts.append(f"<p>{str(marked).replace(chr(10), '<br>')}</p>")
    return mark_safe("\n".join(parts))


# "A (Socialdemokratiet)": the party a letter in the minutes stands for (minutes.parties).
register.filter("party", party_label)
