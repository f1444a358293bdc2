"""Documents that are not minutes or agendas (budget remarks and the like): numbered sections."""

from __future__ import annotations

import re

from .item_body import join_paragraphs
from .model import DocumentSection, ParsedDocument, ParseError
from .noise import Line

NUMBERED_HEADING = re.compile(
    r"^(?P<number>\d{1,2}(?:\.\d{1,2})*)\.?\s+(?P<title>[A-ZÆØÅ].{2,120})$"
)


def parse_document(lines: list[Line], *, municipality: str | None, text: str) -> ParsedDocument:
    raw = [line.text for line in lines if line.text != "\f"]
    sections: list[DocumentSection] = []
    current: DocumentSection | None = None
    buffer: list[str] = []
    numbered = 0

    def flush() -> None:
        nonlocal buffer
        body = join_paragraphs(buffer)
        if current is not None:
            current.text = body
            sections.append(current)
        elif body:
            sections.append(DocumentSection(heading="", level=1, text=body))
        buffer = []

    for index, line in enumerate(raw):
        stripped = line.strip()
        prev_blank = index == 0 or not raw[index - 1].strip()
        next_blank = index + 1 >= len(raw) or not raw[index + 1].strip()
        heading = NUMBERED_HEADING.match(stripped)
        if heading and "\t" not in line and prev_blank and next_blank:
            flush()
            numbered += 1
            current = DocumentSection(
                heading=stripped, level=heading["number"].count(".") + 1, text=""
            )
            continue
        if (
            stripped
            and prev_blank
            and next_blank
            and "\t" not in line
            and len(stripped) <= 70
            and not stripped.endswith((".", ":", ",", ";"))
            and not stripped.startswith(("-", "*", "<"))
            and stripped[0].isupper()
            and current is not None
        ):
            flush()
            current = DocumentSection(
                heading=stripped,
                level=current.level + 1
                if current.heading and NUMBERED_HEADING.match(current.heading)
                else max(current.level, 2),
                text="",
            )
            continue
        buffer.append(line)
    flush()
    if numbered < 1 or len(sections) < 2:
        first = next((line for line in lines if line.stripped and line.text != "\f"), None)
        opening = f" Teksten begynder: '{first.stripped[:60]}'." if first else ""
        raise ParseError(
            "Teksten ligner hverken et referat, en dagsorden eller et kommunalt dokument: "
            "der er ingen overskrift med 'Referat' eller 'Dagsorden', ingen dagsordenspunkter "
            f"og ingen nummererede afsnit.{opening}",
            line=first.no if first and not first.page else None,
            page=first.page if first and first.page else None,
        )
    title = next(s.heading for s in sections if s.heading)
    title_match = NUMBERED_HEADING.match(title)
    title = title_match["title"] if title_match else title
    term_match = re.search(r"((?:19|20)\d{2})\s*-\s*((?:19|20)\d{2})", title)
    return ParsedDocument(
        kind="document",
        municipality=municipality,
        committee=None,
        term=f"{term_match[1]}-{term_match[2]}" if term_match else None,
        date=None,
        title=title.strip(),
        document_sections=sections,
    )
