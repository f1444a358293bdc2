"""Acadre: the meeting's agenda XML that Acadre MM publishes beside the agenda document.

Acadre writes database tables as nested `<table name="…">` elements, each with its columns in
`<fields><field name="…">value</field></fields>` (the structure OS2web's Acadre imports read):

    <table name="agenda">                         sysid, name, producedate, description
      <table name="meeting">                      sysid, name, date, finish, location
      <table name="committee">                    sysid, name
        <table name="commember"><table name="member">        name
      <table name="agendaitemparents">            sort (the item's number)
        <table name="agendaitem">                 sysid, name, caseno, access (1 = open),
                                                  accessname, comname
          <table name="bullet">                   bulletname, bulletcontent (HTML)
          <table name="enclosure">                sysid, name, filename, access

A publication folder also holds a manifest (`<table name="producedAgenda">`, one per agenda,
type 1 agenda, 2 minutes); it is not a meeting and is not accepted here. An item's decisions
are its bullets named as decisions (`Beslutning`, `Beslutning i Økonomiudvalget den
10-04-2013`); only the committee's on the meeting day belongs to this meeting.
"""

from __future__ import annotations

import re
from xml.etree.ElementTree import Element

from ..bodies import same_body, settle_this_meeting
from ..conventions import classify_outcome, find_date
from ..model import Attendee, Decision, Item, ParsedDocument, ParseError, Section
from ..municipality import recognise_in_export
from . import Reader, Source
from .structured import (
    Enclosure,
    Parsed,
    decision_body,
    export_item,
    html_to_plain,
    is_placeholder,
    own_decision_written,
    parse_when,
    parse_xml,
    split_party,
)

NAME = "acadre-xml"

_AGENDA_TABLE = re.compile(rb"<table\s+name\s*=\s*[\"']agenda[\"']")


def _accepts(source: Source) -> bool:
    if source.kind not in {"xml", "text"} or not _AGENDA_TABLE.search(source.data[:65536]):
        return False
    return bool(re.search(rb"name\s*=\s*[\"'](?:meeting|agendaitemparents)[\"']", source.data))


def read_with_enclosures(source: Source, *, municipality: str | None = None) -> Parsed:
    """The parse, and per item (in `doc.items` order) the enclosures the agenda lists."""
    root = parse_xml(source.data)
    agenda = root if _is_table(root, "agenda") else root.find(".//table[@name='agenda']")
    if agenda is None:
        raise ParseError('XML-filen er ikke en Acadre-dagsorden (ingen <table name="agenda">)')
    meeting = _table(agenda, "meeting")
    committee_table = _table(agenda, "committee")
    committee = _field(committee_table, "name") or None
    when, clock = parse_when(_field(meeting, "date"))
    doc = ParsedDocument(
        kind="agenda",
        municipality=municipality,
        committee=committee,
        term=None,
        date=when,
        start_time=clock,
        location=_field(meeting, "location") or None,
        reader=NAME,
    )
    members = (
        committee_table.findall("table[@name='commember']/table[@name='member']")
        if (committee_table is not None)
        else []
    )
    for member in members:
        if _field(member, "name"):
            doc.attendance.append(Attendee(*split_party(_field(member, "name"))))

    parsed: list[tuple[int, Item, list[Enclosure]]] = []
    for position, parent in enumerate(agenda.findall("table[@name='agendaitemparents']"), 1):
        entry = _table(parent, "agendaitem")
        if entry is None or not _field(entry, "name"):
            continue  # OS2web skips these too: a numbering row without an item
        sort = _field(parent, "sort")
        number = int(sort) if sort.isdigit() else position
        parsed.append((number, *_item(entry, number, doc)))
    parsed.sort(key=lambda triple: triple[0])
    doc.items = [item for _, item, _ in parsed]
    if not doc.items:
        doc.warnings.append("Dagsordenen har ingen punkter")

    # The agenda's own name says what it is ("Dagsorden", "Referat"); filled decision bullets
    # of the committee on the meeting day make it minutes whatever it is called.
    says_minutes = "referat" in _field(agenda, "name").lower()
    doc.kind = "minutes" if says_minutes or own_decision_written(doc) else "agenda"
    if not municipality:
        doc.municipality = recognise_in_export(
            labels=[doc.location or "", committee or "", _field(meeting, "name")],
            content=[s.text for item in doc.items for s in item.sections],
        )
    settle_this_meeting(doc)
    return doc, [enclosures for _, _, enclosures in parsed]


def _read(source: Source, *, municipality: str | None = None) -> ParsedDocument:
    return read_with_enclosures(source, municipality=municipality)[0]


READER = Reader(NAME, _accepts, _read)


def _item(entry: Element, number: int, doc: ParsedDocument) -> tuple[Item, list[Enclosure]]:
    title = " ".join(_field(entry, "name").split())
    case_number = _field(entry, "caseno") or None
    access = _field(entry, "access")
    # access 1 is an open item; the access name says "Lukket" for a closed one.
    closed = (access.isdigit() and access != "1") or "lukket" in _field(entry, "accessname").lower()
    item = export_item(number, title, case_number, closed=closed)
    for bullet in entry.findall("table[@name='bullet']"):
        caption = " ".join(_field(bullet, "bulletname").split())
        text = html_to_plain(_field(bullet, "bulletcontent"))
        body = decision_body(caption, doc.committee)
        if body is not None:
            if is_placeholder(text):
                continue
            dated = find_date(caption)
            when = dated or (doc.date if same_body(body, doc.committee) else None)
            item.decisions.append(
                Decision(body, when, classify_outcome(text), this_meeting=False, text=text)
            )
        elif text and not is_placeholder(text):
            item.sections.append(Section(heading=caption or "Tekst", text=text))
    enclosures = []
    for enclosure in entry.findall("table[@name='enclosure']"):
        file_name = _field(enclosure, "filename")
        title = _field(enclosure, "name") or re.sub(r"\.\w{2,5}$", "", file_name)
        if title or file_name:
            enclosures.append(
                Enclosure(" ".join(title.split()) or "Bilag", (file_name,) if file_name else ())
            )
    item.attachments = [e.title for e in enclosures]
    return item, enclosures


def _is_table(element: Element, name: str) -> bool:
    return element.tag == "table" and element.get("name") == name


def _table(element: Element | None, name: str) -> Element | None:
    return None if element is None else element.find(f"table[@name='{name}']")


def _field(element: Element | None, name: str) -> str:
    """A column's value: the text of `<fields><field name="…">`, empty when absent."""
    if element is None:
        return ""
    for field in element.findall("fields/field"):
        if field.get("name") == name:
            return (field.text or "").strip()
    return ""
