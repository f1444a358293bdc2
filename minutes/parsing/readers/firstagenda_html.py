"""FirstAgenda Publication: a meeting's agenda or minutes as the publication web page shows it.

Every municipality's page comes from one template: a title (`Dagsorden 8. oktober 2025 kl.
16.00`), a table of labels each in its own cell with the value in the next (`Udvalg:`,
`Mødedato:`, `Mødested:`, `Mødedeltagere:`), then one table row per item (`tr.punktrow`): the
number in the first cell, the title as the heading of an accordion button, the case number
(`.sagsnummer`), the item's text in blocks under headings (`Beslutninger`, `Resume`,
`Beslutningspunkter`, `Sagsforløb:` …) and the attachments as a bullet list of PDF links under
`Bilag`. A third cell holds UI (`Hent som PDF`, `Kopier link`), never read.

`Beslutninger` is this meeting's decision. Each `Sagsforløb` entry (`Udvalg:` / `Dato:` /
`Punktnummer:` then that body's decision text) is an earlier decision of the case, this
meeting's only when it is the meeting's own body on the meeting's date.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from bs4 import BeautifulSoup, Tag

from ..bodies import nominative, settle_this_meeting, this_meetings_decision
from ..conventions import (
    classify_outcome,
    find_case_number,
    find_date,
    find_time,
    find_votes,
    normalise_case_number,
)
from ..headings import closed_title
from ..html import (
    EMPTY_BLOCK,
    HEADINGS,
    Block,
    attachment_title,
    blocks,
    clean,
    find_municipality,
    is_ui_text,
    parse_html,
    strip_chrome,
)
from ..model import Attendee, Decision, Item, ParsedDocument, Section
from . import Reader, Source, general

NAME = "firstagenda-html"

# The labels of the meeting's info table, each alone in its cell.
LABELS = {
    "committee": re.compile(r"(?:Udvalg|Forum)\s*:", re.I),
    "date": re.compile(r"(?:Mødedato|Dato)\s*:", re.I),
    "place": re.compile(r"(?:Mødested|Sted)\s*:", re.I),
    "time": re.compile(r"(?:Mødetidspunkt|Tidspunkt|Starttidspunkt)\s*:", re.I),
    "attendees": re.compile(r"(?:Mødedeltagere|Deltagere)\s*:", re.I),
    "absent": re.compile(r"(?:Afbud|Fraværende|Fravær)\s*:", re.I),
}
# Fingerprints in the markup: the template's item rows, its other class names and PDF links.
_ITEM_MARKS = re.compile(rb"class=\"[^\"]*\bpunktrow\b|id=\"dagsordenDetaljer\"", re.I)
# "overskrift" (heading) is a common Danish class name: an item mark only beside the others.
_HEADING_MARK = re.compile(rb"class=\"[^\"]*\boverskrift\b", re.I)
_CLASS_MARKS = re.compile(
    rb"class=\"[^\"]*\b(?:dagsordeninfo|sagsnummer|bilag-link|punkt-tabel|dagsordenhent)\b"
    rb"|/vis/pdf/(?:bilag|dagsorden)",
    re.I,
)
_LABEL_MARKS = re.compile(
    rb">\s*(?:Udvalg|M\xc3\xb8dedato|M\xc3\xb8dested|M\xc3\xb8dedeltagere):\s*<"
)
_GENERATOR = re.compile(rb"firstagenda", re.I)

DECISION_HEADING = re.compile(r"^beslutning(?:er)?\s*:?$", re.I)
HISTORY_HEADING = re.compile(r"^sagsforløb\s*:?$", re.I)
ATTACHMENT_HEADING = re.compile(r"^(?:bilag|bilagsliste)\s*:?$", re.I)
# The fields of a Sagsforløb entry: the body starts an entry, its date and item number follow.
ENTRY_FIELD = re.compile(
    r"^(?P<label>udvalg|beslutningsorgan|forum|dato|mødedato|punktnummer|punkt\s*nr\.?)\s*:\s*"
    r"(?P<value>.*)$",
    re.I,
)
PARTY = re.compile(r"\s*\(([A-ZÆØÅ]{1,2})\)\s*$")


def accepts(source: Source) -> bool:
    if source.kind != "html":
        return False
    data = source.data
    classes = len({m.group(0).lower() for m in _CLASS_MARKS.finditer(data)})
    labels = len({m.group(0) for m in _LABEL_MARKS.finditer(data)})
    generator = bool(_GENERATOR.search(data))
    if _ITEM_MARKS.search(data):
        return generator or labels >= 2 or classes >= 2
    # Without the row class, the item headings must come with the template's other marks.
    return bool(_HEADING_MARK.search(data)) and classes >= 2 and (generator or labels >= 2)


def read(source: Source, *, municipality: str | None = None) -> ParsedDocument:
    soup = parse_html(source.data)
    strip_chrome(soup)
    rows = _item_rows(soup)
    meeting = _meeting(soup, rows)
    if not rows:
        # The page carries the template's marks but not its item rows: read it as any page.
        fallback = next(r for r in general.READERS if r.name == "html")
        doc = fallback.read(source, municipality=municipality)
        doc.reader = fallback.name
        return doc
    items = [_item(row, position, meeting) for position, row in enumerate(rows, 1)]
    doc = ParsedDocument(
        kind="minutes",
        municipality=municipality or find_municipality(soup, meeting.committee),
        committee=meeting.committee,
        term=None,
        date=meeting.date,
        start_time=meeting.time,
        location=meeting.place,
        attendance=meeting.attendance,
        items=items,
        reader=NAME,
    )
    settle_this_meeting(doc)
    decided = [d for item in items if (d := this_meetings_decision(item)) is not None]
    doc.kind = "minutes" if decided else meeting.kind or "agenda"
    if decided and meeting.kind == "agenda":
        doc.warnings.append("overskriften siger dagsorden, men punkterne har mødets beslutninger")
    for item in items:
        decision = this_meetings_decision(item)
        if decision is not None and not item.votes:
            item.votes = find_votes(decision.text)
    if meeting.committee is None:
        doc.warnings.append("FirstAgenda-siden nævner ikke udvalget (feltet 'Udvalg:')")
    if meeting.date is None:
        doc.warnings.append("FirstAgenda-siden nævner ikke mødedatoen (feltet 'Mødedato:')")
    return doc


# --- The meeting ------------------------------------------------------------------------------


@dataclass
class _Meeting:
    kind: str | None = None
    committee: str | None = None
    date: date | None = None
    time: str | None = None
    place: str | None = None
    attendance: list[Attendee] = field(default_factory=list)


def _meeting(soup: BeautifulSoup, rows: list[Tag]) -> _Meeting:
    # Only the page's own labels: an item's `Udvalg:` lines (Sagsforløb) are not the meeting's.
    inside = {id(row) for row in rows}

    def in_item(element: Tag) -> bool:
        return any(id(parent) in inside for parent in element.parents)

    found = label_values(soup, LABELS, in_item)
    title = _page_title(soup)
    committee = value_text(found["committee"]) or _classed(soup, "udvalg")
    when = value_text(found["date"]) or _classed(soup, "dato") or title or ""
    meeting = _Meeting(
        kind=_kind(title),
        committee=nominative(committee) if committee else None,
        date=find_date(when) or (find_date(title) if title else None),
        time=find_time(value_text(found["time"]) or "", bare=True) or find_time(when),
        place=value_text(found["place"]) or _classed(soup, "sted"),
    )
    meeting.attendance = _people(found["attendees"], "present") + _people(found["absent"], "absent")
    return meeting


def _page_title(soup: BeautifulSoup) -> str | None:
    heading = soup.find("h1")
    if heading is not None and clean(heading.get_text(" ")):
        return clean(heading.get_text(" "))
    return clean(soup.title.get_text(" ")) if soup.title else None


def _classed(soup: BeautifulSoup, name: str) -> str | None:
    tag = soup.find(class_=name)
    return clean(tag.get_text(" ")) or None if tag is not None else None


def _kind(title: str | None) -> str | None:
    lowered = (title or "").lower()
    if re.search(r"\b(?:referat|protokol|beslutningsprotokol)\b", lowered):
        return "minutes"
    if re.search(r"\b(?:dagsorden|tillægsdagsorden|tillæg)\b", lowered):
        return "agenda"
    return None


def _people(value: Tag | str | None, status: str) -> list[Attendee]:
    """Names in a labelled cell: list items, lines or comma-separated, each maybe `(A)`."""
    if value is None:
        return []
    if isinstance(value, Tag):
        names = [b.text for b in blocks(value)]
        if len(names) == 1:
            names = re.split(r"\s*[,;]\s*", names[0])
    else:
        names = re.split(r"\s*[,;]\s*", value)
    people: list[Attendee] = []
    for raw in names:
        text = clean(raw)
        if not text or is_ui_text(text) or len(text) > 80 or not re.search(r"[A-ZÆØÅ]", text):
            continue
        person_status = status
        note = None
        mark = re.search(
            r"\s*[-–(,]?\s*\b(afbud|fraværende|forfald|stedfortræder|suppleant)\b\)?", text, re.I
        )
        if mark:
            word = mark.group(1).lower()
            person_status = "substitute" if word in {"stedfortræder", "suppleant"} else "absent"
            note = word
            text = clean(text[: mark.start()] + text[mark.end() :])
        party = PARTY.search(text)
        name = clean(text[: party.start()]) if party else text
        if name:
            people.append(
                Attendee(name, party.group(1) if party else None, person_status, note)  # type: ignore[arg-type]
            )
    return people


def label_values(
    root: Tag, labels: dict[str, re.Pattern[str]], skip: Callable[[Tag], bool]
) -> dict[str, Tag | str | None]:
    """The value printed after each label that stands alone in its element (`<td>Udvalg:</td>`).

    The value is the next element beside the label (the next cell, the `dd` after a `dt`), or
    the rest of the label's parent when label and value share one element (`<p><b>Sted:</b> X`).
    The first label of each kind wins.
    """
    found: dict[str, Tag | str | None] = dict.fromkeys(labels)
    for element in root.find_all(["td", "th", "dt", "span", "strong", "b", "label", "div", "p"]):
        own = clean(element.string or "")  # a label is one string, alone in its element
        if not own or len(own) > 40:
            continue
        key = next((k for k, p in labels.items() if found[k] is None and p.fullmatch(own)), None)
        if key is None or skip(element):
            continue
        sibling = element.find_next_sibling(True)
        if sibling is not None and clean(sibling.get_text(" ")):
            found[key] = sibling
            continue
        parent = element.parent
        rest = clean(parent.get_text(" ")) if isinstance(parent, Tag) else ""
        if rest.startswith(own) and len(rest) > len(own):
            found[key] = rest[len(own) :].strip()
    return found


def value_text(value: Tag | str | None) -> str | None:
    if value is None:
        return None
    return (value if isinstance(value, str) else clean(value.get_text(" "))) or None


# --- Items ------------------------------------------------------------------------------------


def _item_rows(soup: BeautifulSoup) -> list[Tag]:
    rows = soup.select("tr.punktrow")
    if rows:
        return rows
    # A variant without the row class: the rows that hold an item heading.
    found: list[Tag] = []
    for heading in soup.find_all(class_="overskrift"):
        row = heading.find_parent("tr")
        if row is not None and all(row is not other for other in found):
            found.append(row)
    return found


def _item(row: Tag, position: int, meeting: _Meeting) -> Item:
    number = _number(row) or position
    heading = row.find(class_="overskrift") or row.find(HEADINGS)
    raw_title = clean(heading.get_text(" ")) if heading is not None else ""
    marked, title = closed_title(raw_title)
    closed = marked or _marked_closed(row)
    item = Item(
        number=number,
        title=title or ("Lukket punkt" if closed else f"Punkt {number}"),
        raw_title=raw_title,
        closed=closed,
    )
    details = row.find(class_="details") or row
    case_tag = details.find(class_="sagsnummer")
    if case_tag is not None:
        item.case_number = clean(case_tag.get_text(" ")) or None
        case_tag.decompose()
    if heading is not None:
        heading.decompose()
    _read_content(blocks(details), item, meeting)
    if item.case_number is None:
        item.case_number = _bare_case_number(item)
    if item.case_number:
        item.case_number_normalised = normalise_case_number(item.case_number)
    if not item.attachments:
        # Some pages list the PDFs beside the text, not under a `Bilag` heading.
        item.attachments = [
            a.get_text(" ", strip=True) for a in row.find_all("a", class_="bilag-link")
        ]
    return item


def _number(row: Tag) -> int | None:
    cell = row.find(["td", "th"])
    label = row.find(class_="label")
    for source in (label, cell):
        if source is not None:
            match = re.match(r"\s*(\d{1,4})\b", source.get_text(" "))
            if match:
                return int(match.group(1))
    return None


def _marked_closed(row: Tag) -> bool:
    # A closed item carries a lock icon or a "Lukket punkt" label instead of its content (the
    # title's own words do not count: "… holde svømmehallen lukket" is an open item).
    for tag in row.find_all(True):
        names = " ".join(tag.get("class") or [])
        if re.search(r"\b(?:lock|lukket|closed)\b", names, re.I):
            return True
        marks = [str(tag.get("aria-label") or ""), str(tag.get("title") or "")]
        if not tag.find(True):
            marks.append(tag.get_text(" "))
        if any(re.fullmatch(r"\s*lukket(?: punkt| sag)?\s*", m, re.I) for m in marks):
            return True
    return False


def _bare_case_number(item: Item) -> str | None:
    # A case number printed on its own line before the first heading.
    for section in item.sections[:1]:
        if not section.heading:
            first = section.text.split("\n", 1)[0]
            number = find_case_number(first)
            if number and len(first) <= len(number) + 12:
                return number
    return None


def _read_content(content: list[Block], item: Item, meeting: _Meeting) -> None:
    """Sections, decisions and attachments from the item's blocks, heading by heading."""
    heading = ""
    part: list[Block] = []
    for block in [*content, None]:
        # A bold `Udvalg: Magistraten` line is a Sagsforløb field, not a heading.
        if block is not None and (not block.is_heading or ENTRY_FIELD.match(block.text)):
            part.append(block)
            continue
        _take(heading, part, item, meeting)
        if block is None:
            break
        heading, part = block.text, []


def _take(heading: str, part: list[Block], item: Item, meeting: _Meeting) -> None:
    lines = [b.text for b in part if not EMPTY_BLOCK.match(b.text) and not is_ui_text(b.text)]
    name = heading.strip()
    if ATTACHMENT_HEADING.match(name):
        entries = [b for b in part if b.in_list] or [b for b in part if b.links]
        item.attachments += [attachment_title(b) for b in entries if not is_ui_text(b.text)]
        return
    if HISTORY_HEADING.match(name):
        _add_decisions(item, _entries(lines, None, None))
        return
    if DECISION_HEADING.match(name):
        _add_decisions(item, _entries(lines, meeting.committee, meeting.date))
        return
    if lines:
        item.sections.append(Section(name.rstrip(":"), "\n".join(lines)))


@dataclass
class _Entry:
    body: str | None
    date: date | None
    lines: list[str] = field(default_factory=list)


def _entries(lines: list[str], body: str | None, when: date | None) -> list[_Entry]:
    """Decisions in a block: `Udvalg:`/`Dato:` entries, or one decision of `body` on `when`."""
    current = _Entry(body, when) if body is not None else None
    entries: list[_Entry] = [current] if current is not None else []
    pending: str | None = None
    for line in lines:
        if pending is not None and current is not None:
            _set(current, pending, line)
            pending = None
            continue
        match = ENTRY_FIELD.match(line)
        if match is None:
            if current is not None:
                current.lines.append(line)
            continue
        label, value = match["label"].lower(), match["value"].strip()
        if label in {"udvalg", "beslutningsorgan", "forum"}:
            current = _Entry(None, None)
            entries.append(current)
        if current is None:
            continue
        if value:
            _set(current, label, value)
        else:
            pending = label  # the label on its own line, its value on the next
    return [e for e in entries if e.body and e.lines]


def _set(entry: _Entry, label: str, value: str) -> None:
    if label in {"udvalg", "beslutningsorgan", "forum"}:
        entry.body = nominative(value)
    elif label in {"dato", "mødedato"}:
        entry.date = find_date(value)


def _add_decisions(item: Item, entries: list[_Entry]) -> None:
    """The entries as the item's decisions; which is this meeting's is settled for the whole
    page (`settle_this_meeting`)."""
    for entry in entries:
        text = " ".join(entry.lines)
        known = {(d.body, d.date) for d in item.decisions}
        if (entry.body, entry.date) in known:
            continue  # the Beslutninger block and its Sagsforløb line are one decision
        assert entry.body is not None
        item.decisions.append(Decision(entry.body, entry.date, classify_outcome(text), False, text))


READER = Reader(NAME, accepts, read)
