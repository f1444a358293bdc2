from __future__ import annotations

from dataclasses import dataclass

from django import template
from django.utils.html import format_html

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
def heading(level: int, text: str):
    """A heading one below the page's h1, never deeper than h6."""
    tag = f"h{min(6, max(2, int(level) + 1))}"
    return format_html("<{}>{}</{}>", tag, text, tag)
