"""FirstAgenda (Prepare) minutes and agendas as a PDF export, or its text.

Every municipality's export comes from one template: a header line `REFERAT <body> d.
dd-mm-yyyy` (or `DAGSORDEN …`), the fields `Mødedato`, `Mødested`, `Mødedeltagere` with the
value beside the label, a table of contents (`Indholdsfortegnelse`, titles with dot leaders and
page numbers), then `Punkt N: <title>` headings whose titles wrap over two or three lines, the
case number (`21/8910`, `EMN-2025-003383`) on the line under the title, and the item's blocks.

The blocks the text parser knows (`vocabulary`): `Beslutninger` (this meeting's decision, in
some municipalities printed first, right under the case number), `Beslutningspunkter` (the
recommendations `At 1)`, `At 2)`: the Indstilling), `Sagsforløb` (the case's earlier treatment,
one `Udvalg:` / `Dato:` / `Punktnummer:` entry per body, each a decision), `Bilag` (whose first
entry is often the `Indstilling` document), and closed items titled `Lukket: <title>`.

The family's own rule is the table of contents: it lists titles only, never `Punkt N:`, so
everything from its heading to the first item heading is dropped, entries that wrap included.
The seeds of the development set are this family's exports saved as text.
"""

from __future__ import annotations

import re

from ..model import ParsedDocument
from . import Reader, Source, general

NAME = "firstagenda-pdf"

_HEADER = re.compile(
    r"^(?:REFERAT|DAGSORDEN|TILLÆGSDAGSORDEN|BESLUTNINGSPROTOKOL)\s+\S.*\sd\.\s+\d{2}-\d{2}-\d{4}\s*$",
    re.MULTILINE,
)
_ITEM = re.compile(r"^Punkt \d{1,3}:\s", re.MULTILINE)
# Further marks of the template; a document needs its items and two of the header or these.
# Each with its word, looked for first: a line-anchored regex tries every line of the opening.
_MARKS = (
    ("Mødedato", re.compile(r"^Mødedato\b", re.MULTILINE)),
    ("Mødested", re.compile(r"^Mødested\b", re.MULTILINE)),
    ("Mødedeltagere", re.compile(r"^Mødedeltagere\b", re.MULTILINE)),
    ("Sagsforløb", re.compile(r"^Sagsforløb:?\s*$", re.MULTILINE)),
    ("Punktnummer:", re.compile(r"^\s*Punktnummer:", re.MULTILINE)),
    ("Beslutningspunkter", re.compile(r"^Beslutningspunkter\s*$", re.MULTILINE)),
)
_TOC = re.compile(r"^\s*Indholdsfortegnelse\s*$", re.IGNORECASE)
_ITEM_LINE = re.compile(r"^\s*Punkt \d{1,3}:")


def accepts(source: Source) -> bool:
    text = source.opening()
    if not text or "Punkt " not in text or not _ITEM.search(text):
        return False
    marks = bool(_HEADER.search(text[:5000])) + sum(
        word in text and bool(mark.search(text)) for word, mark in _MARKS
    )
    return marks >= 2


def drop_toc(text: str) -> str:
    """Without the table of contents: from its heading to the first `Punkt N:` heading."""
    lines = text.split("\n")
    start = next((i for i, line in enumerate(lines[:400]) if _TOC.match(line)), None)
    if start is None:
        return text
    end = next((i for i in range(start + 1, len(lines)) if _ITEM_LINE.match(lines[i])), None)
    if end is None:
        return text
    # Page breaks stay, so page numbers stay right.
    kept = ["\f" if "\f" in line else "" for line in lines[start:end]]
    return "\n".join(lines[:start] + kept + lines[end:])


def read(source: Source, *, municipality: str | None = None) -> ParsedDocument:
    doc = general.read_text(source, municipality=municipality, text=drop_toc(source.text))
    doc.reader = NAME
    return doc


READER = Reader(NAME, accepts, read)
