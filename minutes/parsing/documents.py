"""Documents that are not minutes or agendas: memos, letters, status tables, budget remarks.

Read by the conventions of the genre, not by one document's lines:

- the opening: a letterhead (the department, the authority), labelled fields (`Til:`, `Fra:`,
  `Dato:`, `Emne:`, `Vedr.:`, `Sagsnr.:`, `Kontakt:`, `Ajourført:`), with the value on the same
  line or, in a two-column layout, the labels stacked and their values after them in the same
  order; the genre's word on a line of its own (`Notat`) with the title after it;
- the title: after the genre's word, the `Emne:`/`Vedr.:` field, the first heading after the
  fields, or, in a document of numbered sections, its first heading;
- the date: the document's own dated field (`Dato: 4. december 2012`, `Ajourført:`) or a date
  line standing alone by the title ("Ballerup, den 4. december 2012"); never a date in the body;
- the committee: a body the title names ("Budgetbemærkninger - Socialudvalget 2022-2025") or an
  `Udvalg:` field; the recipients in `Til:` are not the document's committee;
- sections: numbered headings (`1.`, `1.1`; the numbers rise, so a list that starts again at 1 is
  no heading) and short headings standing above their text; everything else, tables included, is
  kept as the sections' text so that it can be searched. A document has no items and no
  decisions, whatever its table rows say ("Vedtaget. Byrådet 25. juni").

A text is a document when it has numbered sections, or a title and a body and either the marks of
a memo (the genre's word, two memo fields) or an authority it belongs to (a name, a mail or web
domain: see `municipality`). Anything else is refused: it is neither minutes nor a municipal
document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from .conventions import DATE_TOKEN, find_date
from .item_body import join_paragraphs
from .model import DocumentSection, ParsedDocument, ParseError
from .municipality import recognise_municipality
from .noise import Line

NUMBERED_HEADING = re.compile(
    r"^(?P<number>\d{1,2}(?:\.\d{1,2})*)\.?\s+(?P<title>[A-ZÆØÅ].{2,120})$"
)
# An agenda item with a running number of the year ("136. Godkendelse af dagsorden"): the
# opening is over; a section heading under it ("Redegørelse") is no memo's genre word.
_RUNNING_ITEM = re.compile(r"^\d{3,4}\.\s+[A-ZÆØÅ]")
# The line under a numbered heading may be its first lettered point: "a)  Sygdomsspecifik …".
LETTERED_POINT = re.compile(r"^[a-zæøå][).]\s+\S")

# The genre's word on a line of its own, or starting the title line ("Notat om …").
GENRE_LINE = re.compile(
    r"^(?P<word>notat|statusnotat|orienteringsnotat|beslutningsnotat|sagsnotat|redegørelse"
    r"|høringssvar|budgetbemærkninger|statusoversigt)\b\s*[:\-–]?\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
# "Dato: 4. december 2012", "Tlf. dir.: 44773549", "Vedr.: …", "Til:" (value in the next column).
FIELD_LINE = re.compile(r"^(?P<label>[A-ZÆØÅa-zæøå][\wæøå. /-]{0,24}?)\s*:\s*(?P<value>.*)$")
# Memo field labels, written without dots, spaces or hyphens, and what they hold.
MEMO_FIELDS = {
    **dict.fromkeys(
        ("dato", "ajourført", "opdateret", "senestopdateret", "revideret", "dateret"), "date"
    ),
    **dict.fromkeys(("emne", "vedr", "vedrørende", "titel", "overskrift"), "subject"),
    **dict.fromkeys(("udvalg", "tiludvalg"), "committee"),
    **dict.fromkeys(
        (
            "til",
            "fra",
            "cc",
            "kopi",
            "kopitil",
            "modtager",
            "afsender",
            "sagsnr",
            "sagsnummer",
            "journalnr",
            "jnr",
            "doknr",
            "dokumentnr",
            "dokid",
            "kontakt",
            "kontaktperson",
            "sagsbehandler",
            "forfatter",
            "udarbejdetaf",
            "ref",
            "reference",
            "email",
            "mail",
            "tlf",
            "tlfdir",
            "telefon",
            "direktetelefon",
            "afdeling",
            "enhed",
            "forvaltning",
            "center",
        ),
        "other",
    ),
}
# A date standing alone by the title: "4. december 2012", "Ballerup, den 4. december 2012".
_DATE = DATE_TOKEN.pattern.replace("(?P<date>", "(?:")
DATE_LINE = re.compile(
    rf"^(?:[A-ZÆØÅ][\wæøå. -]{{0,30}},\s*)?(?:den\s+|d\.\s*)?(?:{_DATE})\.?$", re.IGNORECASE
)
# A body a title names: "Socialudvalget", "Sundheds- og Forebyggelsesudvalget", "Byrådet",
# "Udvalget for Teknik og Miljø".
BODY_IN_TITLE = re.compile(
    r"(?<![\w-])(?P<body>(?:[A-ZÆØÅ][\wæøå]*-\s+og\s+)?"
    r"(?:[A-ZÆØÅ][\wæøå-]*(?:udvalget|rådet|bestyrelsen|nævnet)"
    r"|Udvalget|Byrådet|Kommunalbestyrelsen|Magistraten|Borgerrepræsentationen)"
    r"(?:\s+for\s+[A-ZÆØÅ][\wæøå-]*(?:(?:,\s*|\s+og\s+)[A-ZÆØÅ][\wæøå-]*)*)?)(?![\w-])"
)
TERM = re.compile(r"((?:19|20)\d{2})\s*-\s*((?:19|20)\d{2})")
OPENING_LINES = 25


@dataclass
class Opening:
    """What stands before a document's body: letterhead, fields, the genre's word, the title."""

    title: str | None = None
    # Index (into the lines) where the body starts, and the lines before it that are no title.
    body_start: int = 0
    lines: list[str] = field(default_factory=list)
    fields: dict[str, str] = field(default_factory=dict)
    genre: bool = False
    date: date | None = None

    @property
    def memo(self) -> bool:
        return self.genre or len(self.fields) >= 2


def _field(stripped: str) -> tuple[str, str] | None:
    """(label key, value) of a memo field line."""
    match = FIELD_LINE.match(stripped)
    if not match:
        return None
    key = re.sub(r"[^a-zæøå]", "", match["label"].lower())
    return (key, match["value"].strip()) if key in MEMO_FIELDS else None


def _prose(stripped: str) -> bool:
    """A line of running text: the body has begun."""
    return len(stripped.split()) >= 8 and len(stripped) > 50


def _heading_like(stripped: str) -> bool:
    return (
        bool(stripped)
        and "\t" not in stripped
        and len(stripped) <= 120
        and bool(re.match(r"^[A-ZÆØÅ0-9]", stripped))
        and not stripped.endswith((".", ",", ";"))
        and not DATE_LINE.match(stripped)
    )


def read_opening(raw: list[str]) -> Opening | None:
    """The opening of a memo, letter or table; None for a document that starts with `1. Titel`."""
    nonblank = [i for i, line in enumerate(raw) if line.strip()]
    if not nonblank or NUMBERED_HEADING.match(raw[nonblank[0]].strip()):
        return None
    opening = Opening()
    pending: list[str] = []  # labels whose values stand in the next column
    last = -1  # the last line that belongs to the opening
    genre_at: int | None = None
    for index in nonblank[:OPENING_LINES]:
        stripped = raw[index].strip()
        found = _field(stripped)
        if found:
            key, value = found
            if value:
                opening.fields.setdefault(key, value)
            else:
                pending.append(key)
            last = index
            continue
        if genre_at is None and GENRE_LINE.match(stripped):
            genre_at, opening.genre = index, True
            last = index
            continue
        if pending and not _prose(stripped):
            opening.fields.setdefault(pending.pop(0), stripped)
            last = index
            continue
        if _prose(stripped) or NUMBERED_HEADING.match(stripped) or _RUNNING_ITEM.match(stripped):
            break
        if last >= 0 and _heading_like(stripped):
            break  # the title after the fields
    for key, value in opening.fields.items():
        if MEMO_FIELDS[key] == "date" and opening.date is None:
            opening.date = find_date(value)

    title_lines: list[int] = []
    genre_match = GENRE_LINE.match(raw[genre_at].strip()) if genre_at is not None else None
    subject = next((v for k, v in opening.fields.items() if MEMO_FIELDS[k] == "subject"), "")
    if genre_at is not None and genre_match and genre_match["rest"]:
        title_lines = [genre_at]  # "Notat om …": the whole line is the title
    elif subject and genre_at != last:
        opening.title = subject
    else:
        for index in [i for i in nonblank if i > last][:8]:
            stripped = raw[index].strip()
            if DATE_LINE.match(stripped):
                opening.date = opening.date or find_date(stripped)
                continue
            if _heading_like(stripped) and not _field(stripped):
                title_lines = [index]
                # A title wrapped over lines: the next lines go on in lower case.
                for more in range(index + 1, min(index + 3, len(raw))):
                    if raw[more].strip() and re.match(r"^[a-zæøå]", raw[more].strip()):
                        title_lines.append(more)
                    else:
                        break
            break
    if title_lines:
        opening.title = " ".join(raw[i].strip() for i in title_lines)
        opening.body_start = title_lines[-1] + 1
        opening.lines = raw[: title_lines[0]]
    elif opening.title:
        opening.body_start = last + 1
        opening.lines = raw[: last + 1]
    elif last < 0:
        return None
    else:
        return opening  # fields without a title: the sections take every line
    under = [i for i in nonblank if i >= opening.body_start][:1]
    if opening.date is None and under and DATE_LINE.match(raw[under[0]].strip()):
        # A date standing alone just under the title.
        opening.date = find_date(raw[under[0]])
        opening.body_start = under[0] + 1
    return opening


def _committee(title: str, opening: Opening | None) -> str | None:
    if opening is not None:
        named = next((v for k, v in opening.fields.items() if MEMO_FIELDS[k] == "committee"), "")
        if named:
            match = BODY_IN_TITLE.search(named)
            return match["body"] if match else named
    match = BODY_IN_TITLE.search(TERM.sub("", title))
    return match["body"].strip() if match else None


def _sections(raw: list[str], start: int, opened: bool) -> tuple[list[DocumentSection], int]:
    """Sections from `raw[start:]`, and how many of their headings are numbered."""
    sections: list[DocumentSection] = []
    current: DocumentSection | None = None
    buffer: list[str] = []
    numbered = 0
    last_number: dict[int, tuple[int, ...]] = {}

    def flush() -> None:
        nonlocal buffer
        body = join_paragraphs(buffer)
        if current is not None:
            current.text = body
            sections.append(current)
        elif body:
            sections.append(DocumentSection(heading="", level=1, text=body))
        buffer = []

    for index in range(start, len(raw)):
        line = raw[index]
        stripped = line.strip()
        prev_blank = index == start or not raw[index - 1].strip()
        following = raw[index + 1].strip() if index + 1 < len(raw) else ""
        next_blank = not following
        heading = NUMBERED_HEADING.match(stripped)
        if heading and "\t" not in line and prev_blank:
            number = tuple(int(part) for part in heading["number"].split("."))
            depth = len(number)
            rising = number > last_number.get(depth, ())
            if rising and (next_blank or LETTERED_POINT.match(following)):
                flush()
                numbered += 1
                last_number[depth] = number
                current = DocumentSection(heading=stripped, level=depth, text="")
                continue
        if (
            stripped
            and prev_blank
            and (next_blank or (opened and _text_under_heading(stripped, following)))
            and "\t" not in line
            and len(stripped) <= 70
            and not stripped.endswith((".", ":", ",", ";"))
            and not stripped.startswith(("-", "*", "<"))
            and stripped[0].isupper()
            and (current is not None or opened)
            and not (opened and _table_cell(stripped))
        ):
            flush()
            if current is None:
                level = 1
            elif current.heading and NUMBERED_HEADING.match(current.heading):
                level = current.level + 1
            else:
                level = max(current.level, 1 if opened and not numbered else 2)
            current = DocumentSection(heading=stripped, level=level, text="")
            continue
        buffer.append(line)
    flush()
    return sections, numbered


def _table_cell(stripped: str) -> bool:
    """A cell of a table read column by column ("Vedtaget. Byrådet 25. juni", "PUK"), no heading."""
    return bool(re.search(r"\.\s+[A-ZÆØÅ]", stripped)) or (
        len(stripped) <= 3 and stripped.isupper()
    )


def _text_under_heading(heading: str, following: str) -> bool:
    """A short heading with its text straight under it ("Formål" / "Formålet med …")."""
    return (
        len(heading.split()) <= 6
        and bool(re.match(r"^[A-ZÆØÅ]", following))
        and not DATE_LINE.match(heading)
        and not re.search(r"\d", heading)
    )


def parse_document(
    lines: list[Line], *, municipality: str | None, text: str, file_name: str = ""
) -> ParsedDocument:
    """A document that is not minutes, or a ParseError for text that is no municipal document.

    Only the text's own naming of an authority makes it a municipal document; the file name
    (`file_name`) is the municipality's fallback once it is one."""
    raw = [line.text for line in lines if line.text != "\f"]
    opening = read_opening(raw)
    title = opening.title if opening is not None else None
    opened = title is not None
    memo = opening is not None and opening.memo
    sections, numbered = _sections(raw, opening.body_start if opening else 0, opened)
    if opening is not None and opening.lines:
        head = join_paragraphs(opening.lines)
        if head:
            sections.insert(0, DocumentSection(heading="", level=1, text=head))
    named = recognise_municipality(lines)
    body_lines = sum(1 for s in sections for part in s.text.splitlines() if part.strip())
    is_document = (numbered >= 1 and len(sections) >= 2) or (
        opened and body_lines >= 3 and (memo or named is not None)
    )
    if not is_document:
        first = next((line for line in lines if line.stripped and line.text != "\f"), None)
        start = f" Teksten begynder: '{first.stripped[:60]}'." if first else ""
        raise ParseError(
            "Teksten ligner hverken et referat, en dagsorden eller et kommunalt dokument: "
            "der er ingen overskrift med 'Referat' eller 'Dagsorden', ingen dagsordenspunkter, "
            "ingen nummererede afsnit og hverken et notats felter (Til, Fra, Dato, Emne) eller "
            f"en kommune eller region, som teksten hører til.{start}",
            line=first.no if first and not first.page else None,
            page=first.page if first and first.page else None,
        )
    if title is None:
        title = next(s.heading for s in sections if s.heading)
        title_match = NUMBERED_HEADING.match(title)
        title = title_match["title"] if title_match else title
    title = title.strip()
    term_match = TERM.search(title)
    return ParsedDocument(
        kind="document",
        municipality=municipality or named or recognise_municipality("", file_name=file_name),
        committee=_committee(title, opening),
        term=f"{term_match[1]}-{term_match[2]}" if term_match else None,
        date=opening.date if opening else None,
        title=title,
        document_sections=sections,
    )


def looks_like_memo(lines: list[Line]) -> bool:
    """The opening of a memo (the genre's word alone on a line, or two memo fields)."""
    raw = [line.text for line in lines if line.text != "\f"]
    opening = read_opening(raw)
    return opening is not None and opening.memo
