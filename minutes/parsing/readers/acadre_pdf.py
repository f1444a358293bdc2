"""Acadre (Formpipe) minutes and agendas as a PDF print, or its text.

The print: a title page (`Referat`, the committee with its code in brackets, `Udvalget for Klima
og Miljø (KMU)`, `Mødedato:`/`Mødetidspunkt:`/`Mødested:`, the members in two columns, `Afbud:`),
a table of contents, then the items under their yearly running number (`715. <title>`, so an
item number of 700 is no numbered list), each with a line `Sagsnr.: 13/1290  Sagen afgøres i:
<body>`. An item carries every decision taken on the case so far, each under a dated heading
(`Beslutning i <udvalg> den 13-03-2013`, then `… den 10-04-2013`): only the one of the
meeting's body on the meeting day is this meeting's. Every page but the first has a running
header with the committee, the date and `Side N`; the last page is an `Underskriftsside` with
the members' names, neither an item nor attendance.

The text parser reads the structure; this reader drops the running header (also where the PDF
text lost its position) and the signature page, and rejoins a decision heading the print wrapped
before its date.
"""

from __future__ import annotations

import re
from collections import Counter

from ..model import ParsedDocument
from ..vocabulary import SIGNATURE_TITLES
from . import FINGERPRINT_CHARS, Reader, Source, general

NAME = "acadre-pdf"

_AFGORES = re.compile(r"^.{0,80}\bSagen afgøres i\s*:", re.MULTILINE)
_DATED_DECISION = re.compile(
    r"^Beslutning i \S.{2,120}? den \d{2}-\d{2}-\d{4}\s*$", re.MULTILINE | re.IGNORECASE
)
_RUNNING_NUMBER = re.compile(r"^\s*\d{3,4}\.\s+[A-ZÆØÅ]", re.MULTILINE)
_SIGNATURE = re.compile(r"^\s*(?:\d{1,4}\.\s+)?(?:Underskriftsside|Underskrifter)\s*$", re.I)
# Lines only an item's body has: its case number, a dated decision.
_ITEM_BODY = re.compile(r"^\s*(?:Sagsnr\.?\s*:|Beslutning i \S.* den \S)", re.IGNORECASE)
_SIGNATURE_MARK = re.compile(r"^\s*(?:\d{1,4}\.\s+)?Underskriftsside\s*$", re.I | re.MULTILINE)
# A running header or footer: text, then the page number ("… - 10-04-2013   Side 3 af 9").
_PAGE_TAIL = re.compile(r"\bSide\s+\d{1,4}(?:\s*(?:af|/)\s*\d{1,4})?\s*$", re.IGNORECASE)
# "Beslutning i Udvalget for Sundhed, Ældre og Forebyggelse (SÆF) den" ⏎ "10-04-2013"
_WRAPPED_DECISION = re.compile(r"^\s*Beslutning i \S.*?(?:\s+den)?\s*$", re.IGNORECASE)
_DATE_START = re.compile(r"^\s*(?:den\s+)?\d{1,2}[-.]\d{1,2}[-.]\d{4}\s*$", re.IGNORECASE)


def accepts(source: Source) -> bool:
    """`Sagen afgøres i:` is Acadre's own field; without it, dated `Beslutning i … den` headings
    with the yearly running numbers or the signature page."""
    text = source.opening()
    if not text:
        return False
    # The plain words first: a regex scan of every line costs more than the whole choice.
    if "afgøres i" in text and _AFGORES.search(text):
        return True
    lowered = text.lower()
    if "beslutning i " not in lowered or not _DATED_DECISION.search(text):
        return False
    if not _RUNNING_NUMBER.search(text):
        return False
    # The signature page closes the document: looked for in its last pages.
    return bool(_SIGNATURE_MARK.search((source.readable_text() or "")[-FINGERPRINT_CHARS:]))


def prepare(text: str) -> str:
    """The text without running headers and the signature page, decision headings rejoined."""
    lines = text.split("\n")
    signature = [i for i, line in enumerate(lines) if _SIGNATURE.match(line.strip())]
    if signature and any(_ITEM_BODY.match(line) for line in lines[: signature[-1]]):
        # The last one, after the items: the table of contents may list the page too.
        lines = lines[: signature[-1]]
    keys = Counter(_page_key(line) for line in lines if _PAGE_TAIL.search(line.strip()))
    running = {key for key, count in keys.items() if count >= 2}
    kept: list[str] = []
    for line in lines:
        stripped = line.strip()
        if _PAGE_TAIL.search(stripped) and _page_key(line) in running:
            kept.append("")
            continue
        if (
            _DATE_START.match(stripped)
            and kept
            and _WRAPPED_DECISION.match(kept[-1])
            and not re.search(r"\d{4}\s*$", kept[-1])
        ):
            kept[-1] = f"{kept[-1].rstrip()} {stripped}"
            continue
        kept.append(line)
    return "\n".join(kept)


def _page_key(line: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", " ", line.strip().lower()))


def read(source: Source, *, municipality: str | None = None) -> ParsedDocument:
    doc = general.read_text(source, municipality=municipality, text=prepare(source.text))
    # A signature page printed as a numbered item, where `prepare` found no items before it.
    doc.items = [item for item in doc.items if item.title.lower() not in SIGNATURE_TITLES]
    doc.reader = NAME
    return doc


READER = Reader(NAME, accepts, read)
