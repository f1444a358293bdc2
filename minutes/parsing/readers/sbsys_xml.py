"""SBSYS: the meeting as the case system exports it in XML.

Two schemas are read:

- the eDagsorden publication (`<Publication>` … `<Agendas><Agenda>` with `<Meeting>`,
  `<Committee>` and `<Items><Item>`), the file SBSYS eDagsorden writes beside the attachments
  of a publication (Ballerup 2013; OS2web reads the same file in its Agenda Management
  import). An item's text is a list of `ItemField`s, each a caption and HTML content; the
  decision slots are fields whose caption names a decision (`KOMMUNALBESTYRELSENS BESLUTNING`,
  `Beslutning`) or that are filled in at the meeting (`IsFeedback`). `ItemHistory` holds the
  decisions of earlier meetings that treated the case.
- the Danish agenda export (`<Dagsorden Dagsordentype=…>` with `<Møde Udvalg= Mødedato=
  Mødetid= Mødested=>` and `<Dagsordenpunkter><Dagsordenpunkt Nummer= Åbent=>`, contents in
  `<Indhold>`, attachments in `<Bilagsliste><Bilag Navn= BilagUrl=>`), as OS2web's SBSYS
  import reads it.

`read_with_enclosures` also returns where each item's attachment files are, for the package
reader (`package.py`), which reads the XML together with its attachments.
"""

from __future__ import annotations

import re
from collections import defaultdict
from xml.etree.ElementTree import Element, tostring

from ..bodies import nominative, same_body, settle_this_meeting
from ..conventions import classify_outcome, find_date, find_time
from ..model import AttendanceStatus, Attendee, Decision, Item, ParsedDocument, ParseError, Section
from ..municipality import recognise_in_export
from . import Reader, Source
from .structured import (
    Enclosure,
    Parsed,
    decision_body,
    export_item,
    flag,
    html_to_plain,
    is_placeholder,
    own_decision_written,
    parse_when,
    parse_xml,
    split_party,
    text_of,
)

NAME = "sbsys-xml"


def _accepts(source: Source) -> bool:
    # An export without an XML declaration is sniffed as text; its root element still tells.
    if source.kind not in {"xml", "text"}:
        return False
    head = source.data[:65536]
    if re.search(rb"<Publication[\s>]", head):
        return bool(
            re.search(rb"<(?:Agendas|Agenda|PublicationTypeAs\w+|EnclosureFileNamePattern)\b", head)
        )
    return bool(re.search(rb"<Dagsorden[\s>]", head)) and b"<Dagsordenpunkt" in source.data


def read_with_enclosures(source: Source, *, municipality: str | None = None) -> Parsed:
    """The parse, and per item (in `doc.items` order) the enclosures the export lists."""
    root = parse_xml(source.data)
    if root.tag == "Publication":
        doc, enclosures = _publication(root)
    elif root.tag == "Dagsorden":
        doc, enclosures = _agenda_export(root)
    else:
        raise ParseError(f"XML-filen er ikke en SBSYS-eksport (rodelementet er <{root.tag}>)")
    if municipality:
        doc.municipality = municipality
    doc.reader = NAME
    settle_this_meeting(doc)
    return doc, enclosures


def _read(source: Source, *, municipality: str | None = None) -> ParsedDocument:
    return read_with_enclosures(source, municipality=municipality)[0]


READER = Reader(NAME, _accepts, _read)


# --- The eDagsorden publication ------------------------------------------------------------

# PublicationTypeAsValue: 0 draft, 1 final agenda, 2 minutes (OS2web's Agenda Management import).
_MINUTES_TYPES = {"minutes", "referat", "summary", "protocol", "decisions"}


def _publication(root: Element) -> Parsed:
    agendas = root.findall("Agendas/Agenda") or root.findall(".//Agenda")
    if not agendas:
        raise ParseError("SBSYS-publikationen indeholder ingen dagsorden (<Agenda>)")
    agenda = agendas[0]
    meeting = agenda.find("Meeting")
    committee_el = agenda.find("Committee")
    committee = text_of(committee_el, "Name") or text_of(agenda, "Name") or None
    when, clock = parse_when(text_of(meeting, "When"))
    if when and not clock:
        clock = find_time(text_of(committee_el, "DefaultMeetingTime"), bare=True)
    start, end = (parse_when(text_of(committee_el, p))[0] for p in ("PeriodStart", "PeriodEnd"))
    doc = ParsedDocument(
        kind="agenda",
        municipality=None,
        committee=committee,
        term=f"{start.year}-{end.year}" if start and end else None,
        date=when,
        start_time=clock,
        location=text_of(meeting, "Where") or text_of(committee_el, "DefaultMeetingPlace") or None,
    )
    if len(agendas) > 1:
        doc.warnings.append(
            f"Publikationen indeholder {len(agendas)} dagsordener; kun den første er læst"
        )
    doc.attendance = _meeting_members(meeting) or [
        Attendee(*split_party(text_of(member, "Member/Name")))
        for member in agenda.findall("Committee/Members/CommitteeMember")
        if text_of(member, "Member/Name")
    ]

    # The agenda also lists every enclosure with its item's ID; items that do not repeat
    # their own enclosures get them from there.
    by_item: dict[str, list[Element]] = defaultdict(list)
    for enclosure in agenda.findall("Enclosures/Enclosure"):
        by_item[enclosure.get("ItemID") or text_of(enclosure, "ItemID")].append(enclosure)

    parsed: list[tuple[Item, list[Enclosure]]] = []
    for position, item_el in enumerate(agenda.findall("Items/Item"), 1):
        item = _publication_item(item_el, position, doc)
        own = item_el.findall("Enclosures/Enclosure") or by_item.get(item_el.get("ID") or "", [])
        enclosures = [_enclosure(e) for e in sorted(own, key=_enclosure_order)]
        item.attachments = [e.title for e in enclosures]
        parsed.append((item, enclosures))
    if not parsed:
        doc.warnings.append("Dagsordenen har ingen punkter")
    parsed.sort(key=lambda pair: pair[0].number)
    doc.items = [item for item, _ in parsed]

    kind = text_of(root, "PublicationTypeAsEnum").lower()
    value = text_of(root, "PublicationTypeAsValue")
    says_minutes = kind in _MINUTES_TYPES or (value.isdigit() and int(value) >= 2)
    doc.kind = "minutes" if says_minutes or own_decision_written(doc) else "agenda"

    doc.municipality = recognise_in_export(
        labels=[
            doc.location or "",
            committee or "",
            text_of(committee_el, "DefaultMeetingPlace"),
            html_to_plain(text_of(agenda, "Frontpage")),
        ],
        emails=[element.text or "" for element in root.iter("EmailAddress")],
        content=[s.text for item in doc.items for s in item.sections],
    )
    return doc, [enclosures for _, enclosures in parsed]


def _publication_item(element: Element, position: int, doc: ParsedDocument) -> Item:
    number = _number(text_of(element, "Number") or element.get("Nummer") or "", position)
    title = " ".join(
        (
            text_of(element, "Caption")
            or text_of(element, "Title")
            or text_of(element, "Case/Title")
        ).split()
    )
    if not title:
        title = f"Punkt {number}"
        doc.warnings.append(f"punkt {number}: uden overskrift i XML-filen")
    case_number = text_of(element, "Case/Number").strip(" -") or None
    item = export_item(
        number, title, case_number, closed=flag(text_of(element, "IsPublic")) is False
    )
    for field in element.findall("Fields/ItemField"):
        _add_field(
            item,
            doc,
            caption=text_of(field, "Caption"),
            markup=field.findtext("Content") or "",
            feedback=flag(text_of(field, "IsFeedback")) is True,
        )
    for field in element.findall("ItemHistory/ItemField"):
        _add_history(item, doc, field)
    return item


def _add_field(
    item: Item, doc: ParsedDocument, *, caption: str, markup: str, feedback: bool
) -> None:
    """A field of the item: a decision when it is a decision slot with text, else a section."""
    text = html_to_plain(markup) if markup.strip() else ""
    body = decision_body(caption, doc.committee, feedback=feedback)
    if body is not None:
        if is_placeholder(text):
            return  # an empty slot, or "Tomt indhold": nothing was decided here (yet)
        when = find_date(caption) or (doc.date if same_body(body, doc.committee) else None)
        item.decisions.append(
            Decision(
                body=body, date=when, outcome=classify_outcome(text), this_meeting=False, text=text
            )
        )
    elif text and not is_placeholder(text):
        item.sections.append(Section(heading=" ".join(caption.split()) or "Tekst", text=text))


def _add_history(item: Item, doc: ParsedDocument, field: Element) -> None:
    """A decision an earlier meeting took on the case, with that meeting's body and date."""
    text = html_to_plain(field.findtext("Content") or "")
    if is_placeholder(text):
        return
    committee = text_of(field, "MeetingDetails/CommitteeName")
    body = decision_body(
        text_of(field, "Caption"),
        nominative(committee, doc.committee) if committee else doc.committee,
        feedback=flag(text_of(field, "IsFeedback")) is not False,
    )
    if body is None:
        return
    when = parse_when(text_of(field, "MeetingDetails/MeetingDueDate"))[0]
    item.decisions.append(
        Decision(
            body=body, date=when, outcome=classify_outcome(text), this_meeting=False, text=text
        )
    )


def _meeting_members(meeting: Element | None) -> list[Attendee]:
    people: list[Attendee] = []
    for member in meeting.findall("Members/MeetingMember") if meeting is not None else []:
        raw = text_of(member, "Name") or text_of(member, "Member/Name")
        if not raw:
            continue
        name, party = split_party(raw)
        status, note = _participation(
            text_of(member, "ParticipationStatusAsValue"),
            text_of(member, "ParticipationStatusAsText"),
            text_of(member, "ParticipationNote"),
        )
        people.append(Attendee(name=name, party=party, status=status, note=note))
    return people


def _participation(value: str, label: str, note: str) -> tuple[AttendanceStatus, str | None]:
    """A member's ParticipationStatus as attendance.

    NotDecided (0) is how an agenda lists the invited members: present unless told otherwise.
    Statuses 1 and 4 are taking part; any other status is an apology (OS2web's reading).
    """
    lowered = label.casefold()
    if re.search(
        r"absent|notparticipat|notattend|cancel|declin|excus|afbud|fravær|ikke (?:til stede|deltag)",
        lowered,
    ):
        status: AttendanceStatus = "absent"
    elif re.search(r"substitut|deputy|stedfortræd|suppleant", lowered):
        status = "substitute"
    elif value in {"", "0", "1", "4"} or re.search(
        r"notdecided|ikke bestemt|participat|attend|present|deltag", lowered
    ):
        status = "present"
    else:
        status = "absent"
    shown = (
        label
        if label and lowered not in {"notdecided", "ikke bestemt", "participating", "attending"}
        else ""
    )
    return status, note or shown or None


def _enclosure(element: Element) -> Enclosure:
    file_name = text_of(element, "FileName")
    title = text_of(element, "Name") or re.sub(r"\.\w{2,5}$", "", file_name) or "Bilag"
    references = (
        text_of(element, "InstantiationFilePathRelative"),
        text_of(element, "InstantiationFileName"),
        file_name,
    )
    return Enclosure(" ".join(title.split()), tuple(r for r in references if r))


def _enclosure_order(element: Element) -> int:
    for path in ("Index", "Number"):
        value = text_of(element, path)
        if value.isdigit():
            return int(value)
    return 0


# --- The Danish agenda export --------------------------------------------------------------

_HTML_TAGS = {"p", "div", "span", "br", "ul", "ol", "li", "table", "b", "i", "strong", "em", "u"}


def _attribute(element: Element | None, *names: str) -> str:
    """An attribute, or a child element of the same name: the export writes both."""
    if element is None:
        return ""
    for name in names:
        value = (element.get(name) or "").strip() or text_of(element, name)
        if value:
            return value
    return ""


def _agenda_export(root: Element) -> Parsed:
    meeting = root.find("Møde")
    committee = _attribute(meeting, "Udvalg", "UdvalgNavn") or None
    when, clock = parse_when(
        f"{_attribute(meeting, 'Mødedato', 'Dato')} {_attribute(meeting, 'Mødetid', 'Tid')}"
    )
    doc = ParsedDocument(
        kind="agenda",
        municipality=None,
        committee=committee,
        term=None,
        date=when,
        start_time=clock,
        location=_attribute(meeting, "Mødested", "Sted") or None,
    )
    parsed: list[tuple[Item, list[Enclosure]]] = []
    for position, point in enumerate(root.findall("Dagsordenpunkter/Dagsordenpunkt"), 1):
        number = _number(_attribute(point, "Nummer", "Nr"), position)
        title = " ".join(_attribute(point, "Overskrift", "Titel").split()) or f"Punkt {number}"
        case_number = _attribute(point, "Sagsnummer", "SagsNummer", "Sagsnr") or None
        open_flag = flag(_attribute(point, "Åbent", "Aabent"))
        item = export_item(number, title, case_number, closed=open_flag is False)
        for content in point.findall("Indhold"):
            for caption, markup in _content_fields(content):
                _add_field(item, doc, caption=caption, markup=markup, feedback=False)
        enclosures = [
            Enclosure(
                " ".join(_attribute(e, "Navn", "Titel").split()) or "Bilag",
                tuple(r for r in (_attribute(e, "BilagUrl", "Url"), _attribute(e, "Filnavn")) if r),
            )
            for e in point.findall("Bilagsliste/Bilag")
        ]
        item.attachments = [e.title for e in enclosures]
        parsed.append((item, enclosures))
    doc.items = [item for item, _ in parsed]
    says_minutes = "referat" in (root.get("Dagsordentype") or "").lower()
    doc.kind = "minutes" if says_minutes or own_decision_written(doc) else "agenda"
    doc.municipality = recognise_in_export(
        labels=[doc.location or "", committee or ""],
        content=[s.text for item in doc.items for s in item.sections],
    )
    return doc, [enclosures for _, enclosures in parsed]


def _content_fields(content: Element) -> list[tuple[str, str]]:
    """(caption, HTML) pairs of an `<Indhold>`: itself when it holds the text, else each of
    its children, captioned by an attribute (Overskrift, Navn) or their element name."""
    children = list(content)
    if not children or all(child.tag.lower() in _HTML_TAGS for child in children):
        return [(_attribute(content, "Overskrift", "Navn", "Titel"), _inner(content))]
    fields = []
    for child in children:
        caption = (child.get("Overskrift") or child.get("Navn") or child.get("Titel") or "").strip()
        caption = caption or text_of(child, "Overskrift") or text_of(child, "Navn")
        if not caption and child.tag not in {"Felt", "Field", "Afsnit", "Tekst"}:
            caption = child.tag
        body = next(
            (
                child.find(n)
                for n in ("Tekst", "Html", "Indhold", "Content")
                if child.find(n) is not None
            ),
            child,
        )
        fields.append((caption, _inner(body, skip={"Overskrift", "Navn"})))
    return fields


def _inner(element: Element, skip: set[str] | None = None) -> str:
    parts = [element.text or ""]
    for child in element:
        if skip and child.tag in skip:
            parts.append(child.tail or "")
        else:
            parts.append(tostring(child, encoding="unicode"))
    return "".join(parts)


# --- Shared --------------------------------------------------------------------------------


def _number(raw: str, position: int) -> int:
    match = re.match(r"\s*(\d+)", raw)
    return int(match.group(1)) if match else position
