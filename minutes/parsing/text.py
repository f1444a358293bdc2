"""Minutes as plain text: header, attendance, items, sections, decisions, attachments.

Works by structure and Danish conventions: a header naming the body and date, labelled meeting
fields, `Punkt N:` item headings, a case number near the heading, known section headings and
dated decision headings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .conventions import (
    DATE_TOKEN,
    attendance_notes,
    classify_outcome,
    find_case_number,
    find_date,
    find_time,
    find_votes,
)
from .model import (
    Attendee,
    Decision,
    DocumentSection,
    Item,
    ParsedDocument,
    ParseError,
    Section,
)

SECTION_HEADINGS = {
    h.lower()
    for h in (
        "Baggrund",
        "Resume",
        "Resumé",
        "Sammendrag",
        "Indstilling",
        "Indstillinger",
        "Forslag",
        "Problemstilling",
        "Løsninger",
        "Løsning",
        "Sagsfremstilling",
        "Sagsbeskrivelse",
        "Sagens indhold",
        "Administrationens vurdering",
        "Vurdering",
        "Forvaltningens vurdering",
        "Økonomi",
        "Økonomiske konsekvenser",
        "Økonomi og finansiering",
        "Strategisk ramme",
        "Videre proces",
        "Høring",
        "Høringssvar",
        "Beslutningskompetence",
        "Kompetence",
        "Oversigt",
        "Lovgrundlag",
        "Retsgrundlag",
        "Lovgivning",
        "Tidsplan",
        "Kommunikation",
        "Bevillingsmæssige konsekvenser",
        "Personalemæssige konsekvenser",
        "Miljømæssige konsekvenser",
        "Sundhedsmæssige konsekvenser",
        "Supplerende oplysninger",
        "Supplerende sagsfremstilling",
        "Politisk behandling",
        "Tidligere beslutninger",
        "Beskrivelse",
        "Formål",
        "Indledning",
        "Konklusion",
        "Direktionens indstilling",
        "Afledte konsekvenser",
        "Handicappolitisk vurdering",
        "Klimavurdering",
        "Klimamæssige konsekvenser",
        "Borgerinddragelse",
        "Sagsgang",
        "Proces",
    )
}
DECISION_HEADINGS = {"beslutning", "beslutninger", "afgørelse"}
ATTACHMENT_HEADINGS = {"bilag", "bilagsliste"}

HEADER = re.compile(
    r"^(?P<kind>REFERAT|DAGSORDEN|BESLUTNINGSPROTOKOL)\s+(?:for\s+|fra\s+)?"
    r"(?P<committee>.+?)(?:\s+(?P<term>(?:19|20)\d{2}\s*-\s*(?:19|20)\d{2}))?"
    r"\s+(?:d\.|den)\s+(?P<date>.+)$",
    re.IGNORECASE,
)
FIELD = re.compile(
    r"^(?P<label>Mødedato|Mødetidspunkt|Mødested|Mødedeltagere|Deltagere|Fraværende|Afbud)"
    r"\s*:?\s*(?P<value>.*)$",
    re.IGNORECASE,
)
ITEM_HEADING = re.compile(r"^(?:Punkt|Pkt\.?)\s*(?P<number>\d{1,4})\s*[:.]?\s*(?P<title>.*)$", re.I)
TOC_HEADING = re.compile(r"^(Indholdsfortegnelse|Indhold)\s*$", re.IGNORECASE)
TOC_LINE = re.compile(r"(\.{3,}|…)\s*\d*\s*$|\t\s*\d+\s*$")
# "Beslutning Arbejdsmarkedsudvalget den 02-06-2021", "Beslutning i Byrådet den 5. maj 2020".
DATED_DECISION = re.compile(
    r"^(?:Beslutning(?:er)?|Afgørelse)\s+(?:i\s+|fra\s+)?(?P<body>.+?),?\s+(?:den|d\.)\s+(?P<date>.+)$",
    re.IGNORECASE,
)
# "<Udvalg>s beslutning den 12.03.2014"
GENITIVE_DECISION = re.compile(
    r"^(?P<body>.+?)s\s+beslutning\s+(?:den|d\.)\s+(?P<date>\S+)", re.IGNORECASE
)
# Under a plain "Beslutning" heading: "Teknikudvalget, den 29. oktober 2024".
BODY_DATE_LINE = re.compile(
    r"^(?P<body>[A-ZÆØÅ][^,:]{2,80}?),\s+(?:den\s+|d\.\s+)?(?P<date>.+?)\s*:?$"
)
ROUTING_PREFIX = re.compile(r"^[A-ZÆØÅ]\s*-\s*(?=\S)")
CODES_SUFFIX = re.compile(r"\s*-\s*(?:[A-ZÆØÅ]{2,6})(?:\s*,\s*[A-ZÆØÅ]{2,6})*\s*$")
KIND_SUFFIX = re.compile(
    r"\s*\((?:Beslutning|Orientering|Drøftelse|Godkendelse|Til beslutning|Til orientering)\)\s*$",
    re.IGNORECASE,
)
PARTY_IN_NAME = re.compile(r"^(?P<name>.+?)\s*\((?P<party>[A-ZÆØÅ])\)\s*(?P<rest>.*)$")
ABSENT_MARK = re.compile(r"\((?:afbud|fraværende|fravær)\)", re.IGNORECASE)
SIGNATURE_TITLES = {"underskriftsblad", "underskrift af protokol", "underskrifter"}


def clean_title(raw: str) -> str:
    """The title without routing letter, committee codes or kind marker."""
    title = KIND_SUFFIX.sub("", raw.strip())
    title = ROUTING_PREFIX.sub("", title)
    previous = None
    while previous != title:
        previous = title
        title = CODES_SUFFIX.sub("", title).strip()
    return title.strip(" -") or raw.strip()


def _lines(text: str) -> list[str]:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    return [line.replace("\u00a0", " ").rstrip() for line in text.split("\n")]


@dataclass
class _Block:
    """An item's body lines (after the heading) with their line numbers."""

    lines: list[tuple[int, str]]


def _date_of(text: str, line_no: int) -> object:
    found = find_date(text)
    if found is None:
        raise ParseError(f"Datoen '{text.strip()}' kan ikke læses", line=line_no)
    return found


def parse_text(text: str, *, municipality: str | None = None) -> ParsedDocument:
    lines = _lines(text)
    if not any(line.strip() for line in lines):
        raise ParseError("Filen er tom")
    header_index, header = _find_header(lines)
    if header is None:
        if any(ITEM_HEADING.match(line.strip()) for line in lines):
            raise ParseError(
                "Dokumentet har dagsordenspunkter, men ingen overskrift med udvalg og dato "
                "(fx 'REFERAT Socialudvalget d. 05-02-2020')"
            )
        return _parse_document(lines, municipality=municipality)

    kind = "agenda" if header["kind"].upper() == "DAGSORDEN" else "minutes"
    meeting_date = find_date(header["date"])
    if meeting_date is None:
        raise ParseError(f"Mødedatoen '{header['date']}' kan ikke læses", line=header_index + 1)
    committee = re.sub(r"\s+", " ", header["committee"]).strip()
    term = re.sub(r"\s+", "", header["term"]) if header["term"] else None
    doc = ParsedDocument(
        kind=kind, municipality=municipality, committee=committee, term=term, date=meeting_date
    )

    body_start = _parse_fields(lines, header_index + 1, doc)
    item_blocks = _split_items(lines, body_start)
    if not item_blocks:
        doc.warnings.append("ingen dagsordenspunkter fundet")
    for number, raw_title, block in item_blocks:
        doc.items.append(_parse_item(number, raw_title, block, doc))
    _apply_attendance_notes(doc)
    return doc


def _find_header(lines: list[str]) -> tuple[int, re.Match[str] | None]:
    for index, line in enumerate(lines[:60]):
        match = HEADER.match(line.strip())
        if match:
            return index, match
    return -1, None


def _parse_fields(lines: list[str], start: int, doc: ParsedDocument) -> int:
    """Read the labelled meeting fields; returns the index where the body begins."""
    index = start
    current: str | None = None
    values: dict[str, list[str]] = {}
    while index < len(lines):
        stripped = lines[index].strip()
        if TOC_HEADING.match(stripped) or ITEM_HEADING.match(stripped):
            break
        field = FIELD.match(stripped)
        if field:
            current = field["label"].lower()
            values.setdefault(current, [])
            if field["value"]:
                values[current].append(field["value"])
        elif stripped and current:
            values[current].append(stripped)
        elif not stripped and current and values.get(current):
            current = None
        index += 1

    when = " ".join(values.get("mødedato", []) + values.get("mødetidspunkt", []))
    doc.start_time = find_time(when)
    if values.get("mødested"):
        doc.location = " ".join(values["mødested"])
    names = " ".join(values.get("mødedeltagere", []) + values.get("deltagere", []))
    for raw in re.split(r",|\bog\b", names):
        raw = raw.strip()
        if not raw:
            continue
        status = "absent" if ABSENT_MARK.search(raw) else "present"
        note = "Afbud" if status == "absent" else None
        name = ABSENT_MARK.sub("", raw).strip()
        party = None
        party_match = PARTY_IN_NAME.match(name)
        if party_match:
            name, party = party_match["name"].strip(), party_match["party"]
        doc.attendance.append(Attendee(name=name, party=party, status=status, note=note))
    for label in ("fraværende", "afbud"):
        for raw in re.split(r",|\bog\b", " ".join(values.get(label, []))):
            if raw.strip():
                doc.attendance.append(Attendee(name=raw.strip(), status="absent", note="Afbud"))
    return index


def _split_items(lines: list[str], start: int) -> list[tuple[int, str, _Block]]:
    items: list[tuple[int, str, _Block]] = []
    in_toc = False
    for index in range(start, len(lines)):
        stripped = lines[index].strip()
        if TOC_HEADING.match(stripped):
            in_toc = True
            continue
        heading = ITEM_HEADING.match(stripped)
        if heading and not TOC_LINE.search(stripped):
            in_toc = False
            items.append((int(heading["number"]), heading["title"].strip(), _Block([])))
            continue
        if in_toc or not items:
            continue
        items[-1][2].lines.append((index + 1, lines[index]))
    return items


def _parse_item(number: int, raw_title: str, block: _Block, doc: ParsedDocument) -> Item:
    title = clean_title(raw_title)
    closed = bool(re.match(r"^lukket\b", raw_title.strip(), re.IGNORECASE))
    if closed:
        title = re.sub(r"^lukket\s*:?\s*", "", title, flags=re.IGNORECASE).strip() or "Lukket punkt"
    item = Item(number=number, title=title, raw_title=raw_title, closed=closed)

    content = [(no, line) for no, line in block.lines]
    # The case number is printed on its own line just after the heading.
    for position, (_no, line) in enumerate(content[:6]):
        if not line.strip():
            continue
        case_number = find_case_number(line)
        if case_number and len(line.strip()) <= len(case_number) + 20:
            item.case_number = case_number
            content = content[position + 1 :]
        break
    if item.case_number is None and title.lower() not in SIGNATURE_TITLES:
        doc.warnings.append(f"punkt {number}: intet sagsnummer fundet")

    mode = "text"  # text | decisions | attachments
    section: Section | None = None
    decision: Decision | None = None
    buffer: list[str] = []

    def flush() -> None:
        nonlocal section, decision, buffer
        body = _join(buffer)
        if decision is not None:
            decision.text = body
            decision.outcome = classify_outcome(body)
            item.decisions.append(decision)
            item.votes.extend(find_votes(body))
        elif section is not None and body:
            section.text = body
            item.sections.append(section)
        elif mode == "text" and body and section is None:
            item.sections.append(Section(heading="", text=body))
        section, decision, buffer = None, None, []

    for line_no, line in content:
        stripped = line.strip()
        lowered = stripped.lower().rstrip(":")
        dated = DATED_DECISION.match(stripped) or GENITIVE_DECISION.match(stripped)
        if dated and DATE_TOKEN.search(dated["date"]):
            flush()
            mode = "decisions"
            decision = _new_decision(dated["body"], dated["date"], line_no, doc)
            continue
        if lowered in DECISION_HEADINGS:
            flush()
            mode = "decisions"
            continue
        if lowered in ATTACHMENT_HEADINGS:
            flush()
            mode = "attachments"
            continue
        if lowered in SECTION_HEADINGS:
            flush()
            mode = "text"
            section = Section(heading=stripped.rstrip(":"), text="")
            continue
        if mode == "decisions":
            body_line = BODY_DATE_LINE.match(stripped)
            if body_line and DATE_TOKEN.search(body_line["date"]) and len(stripped) < 120:
                flush()
                mode = "decisions"
                decision = _new_decision(body_line["body"], body_line["date"], line_no, doc)
                continue
            if decision is None and stripped:
                # Text under a bare "Beslutning" heading with no body named: this meeting's.
                decision = Decision(
                    body=doc.committee or "",
                    date=doc.date,
                    outcome="other",
                    this_meeting=True,
                    text="",
                )
        if mode == "attachments":
            if stripped:
                item.attachments.append(re.sub(r"\s+", " ", stripped))
            continue
        buffer.append(line)
    flush()
    return item


def _new_decision(body: str, date_text: str, line_no: int, doc: ParsedDocument) -> Decision:
    when = find_date(date_text)
    if when is None:
        doc.warnings.append(f"linje {line_no}: beslutningsdato '{date_text}' kan ikke læses")
    body = re.sub(r"\s+", " ", body).strip()
    this_meeting = (
        when == doc.date and _same_body(body, doc.committee or "") and doc.kind == "minutes"
    )
    return Decision(body=body, date=when, outcome="other", this_meeting=this_meeting, text="")


def _same_body(a: str, b: str) -> bool:
    def key(name: str) -> str:
        name = re.sub(r"\s+(?:19|20)\d{2}\s*-\s*(?:19|20)\d{2}$", "", name.strip())
        return re.sub(r"\W+", "", name.lower())

    return key(a) == key(b)


def _join(lines: list[str]) -> str:
    """Paragraphs separated by one blank line; lines within a paragraph kept."""
    paragraphs: list[str] = []
    current: list[str] = []
    for line in lines:
        if line.strip():
            current.append(line.strip())
        elif current:
            paragraphs.append("\n".join(current))
            current = []
    if current:
        paragraphs.append("\n".join(current))
    return "\n\n".join(paragraphs)


def _apply_attendance_notes(doc: ParsedDocument) -> None:
    """Absences and substitutes recorded in this meeting's decisions update the attendance."""
    by_name = {a.name.lower(): a for a in doc.attendance}
    for item in doc.items:
        for decision in item.decisions:
            if not decision.this_meeting:
                continue
            for note in attendance_notes(decision.text):
                existing = by_name.get(note.name.lower()) or _match_person(note.name, by_name)
                if existing is not None:
                    if note.status == "absent" and existing.status == "present":
                        existing.status = "absent"
                        existing.note = note.note
                    existing.party = existing.party or note.party
                elif note.status == "substitute" or note.status == "absent":
                    new = Attendee(
                        name=note.name, party=note.party, status=note.status, note=note.note
                    )
                    doc.attendance.append(new)
                    by_name[new.name.lower()] = new


def _match_person(name: str, by_name: dict[str, Attendee]) -> Attendee | None:
    """A person written with or without a middle name: first and last name decide."""
    parts = name.lower().split()
    if len(parts) < 2:
        return None
    for key, attendee in by_name.items():
        other = key.split()
        if len(other) >= 2 and other[0] == parts[0] and other[-1] == parts[-1]:
            return attendee
    return None


# --- Documents that are not minutes (budget remarks and the like) -------------------------

NUMBERED_HEADING = re.compile(
    r"^(?P<number>\d{1,2}(?:\.\d{1,2})*)\.?\s+(?P<title>[A-ZÆØÅ].{2,120})$"
)


def _parse_document(lines: list[str], *, municipality: str | None) -> ParsedDocument:
    sections: list[DocumentSection] = []
    current: DocumentSection | None = None
    buffer: list[str] = []
    numbered = 0

    def flush() -> None:
        nonlocal buffer
        body = _join(buffer)
        if current is not None:
            current.text = body
            sections.append(current)
        elif body:
            sections.append(DocumentSection(heading="", level=1, text=body))
        buffer = []

    for index, line in enumerate(lines):
        stripped = line.strip()
        prev_blank = index == 0 or not lines[index - 1].strip()
        next_blank = index + 1 >= len(lines) or not lines[index + 1].strip()
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
        raise ParseError(
            "Teksten ligner hverken et referat, en dagsorden eller et kommunalt dokument: "
            "der er ingen overskrift med udvalg og dato og ingen nummererede afsnit"
        )
    title = next(s.heading for s in sections if s.heading)
    title = NUMBERED_HEADING.match(title)["title"] if NUMBERED_HEADING.match(title) else title
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
