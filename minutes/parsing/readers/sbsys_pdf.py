"""SBSYS (eDagsorden) minutes and agendas as a PDF print, or its text.

Two layouts:

- Committee minutes: items `N. <title>` with `Sagsnr.:` (KLE numbers, the action code may be a
  letter: `00.30.14-Ø00-1-13`), headings in capitals (`RESUME`, `SAGSFREMSTILLING`,
  `ADMINISTRATIONENS INDSTILLING`), one decision slot per deciding body (`ØKONOMIUDVALGETS
  BESLUTNING`, `KOMMUNALBESTYRELSENS BESLUTNING`) that is empty or says "Tomt indhold" until
  that body has decided, and `PUNKTET BEHANDLET TIDLIGERE`, a reference to earlier treatment
  that is no decision. The text parser reads these (`vocabulary`, `headings`); this reader
  writes the capitals as words and dates another body's slot by the earlier treatment it names
  (`Økonomiudvalget den 13. maj 2013, punkt 5`).
- Working groups (styregrupper, arbejdsgrupper): a header of `Dato:`, `Tid:`, `Sted:`,
  `Deltagere:`, `Afbud:`, often as a table whose labels the PDF gives in one column and the
  values in the next; items numbered `1`, `2` without a dot, their parts `2.1`, `2.2` (parts of
  their item, not items); under each the fields `Oplæg:` (what was presented) and `Referat:`
  (what the group concluded: this meeting's decision when it is not empty).
"""

from __future__ import annotations

import re

from ..bodies import same_body
from ..conventions import classify_outcome, find_date
from ..headings import body_date_line
from ..model import Decision, Item, ParsedDocument, Section
from ..vocabulary import NO_DECISION
from . import Reader, Source, general

NAME = "sbsys-pdf"

_SLOT = re.compile(r"^[A-ZÆØÅ][A-ZÆØÅ\- ]{2,80}S BESLUTNING\s*$", re.MULTILINE)
_EARLIER = re.compile(r"^PUNKTET BEHANDLET TIDLIGERE\s*$", re.MULTILINE)
_CAPITAL_WORDS = ("RESUME", "SAGSFREMSTILLING", "ADMINISTRATIONENS INDSTILLING", "ØKONOMI", "BILAG")
_CAPITAL_HEADINGS = re.compile(rf"^(?:{'|'.join(_CAPITAL_WORDS)})\s*$", re.MULTILINE)
_GROUP_LABELS = re.compile(r"^(?:Dato|Tid|Sted|Deltagere|Afbud)\s*:", re.MULTILINE)
_FIELD = re.compile(r"^(?P<label>Oplæg|Referat)\s*:\s*(?P<value>.*)$")
_FIELD_LINE = re.compile(r"^(?:Oplæg|Referat)\s*:", re.MULTILINE)
# "1<tab>Velkomst", "2 Status på …", "3.<tab>Budget": a working group's item heading.
_GROUP_ITEM = re.compile(r"^(?P<number>\d{1,2})\.?(?:\t+| +)(?P<title>[A-ZÆØÅ].*)$")
# "2.1<tab>Selvbetjening", or "2.1" with the title on the next line: a part of item 2.
_PART = re.compile(r"^(?P<number>\d{1,2}\.\d{1,2})\.?(?:[\t ]+(?P<title>\S.*))?$")


def _working_group(text: str) -> bool:
    if "Oplæg" not in text and "Referat" not in text:
        return False
    head = text[:4000]
    labels = {m.group(0).split(":")[0].strip() for m in _GROUP_LABELS.finditer(head)}
    return len(labels) >= 3 and bool(_FIELD_LINE.search(text))


def accepts(source: Source) -> bool:
    text = source.opening()
    if not text:
        return False
    if _working_group(text):
        return True
    # Each mark's words are looked for first: a line-anchored regex tries every line of the
    # 30,000 characters, which costs more than reading a meeting's items.
    marks = (
        "S BESLUTNING" in text and bool(_SLOT.search(text)),
        "PUNKTET BEHANDLET" in text and bool(_EARLIER.search(text)),
        sum(word in text for word in _CAPITAL_WORDS) >= 2
        and len(set(_CAPITAL_HEADINGS.findall(text))) >= 2,
    )
    return sum(marks) >= 2


def prepare(text: str) -> str:
    """A working group's item headings (`1<tab>Velkomst`) in the form the parser knows
    (`1. Velkomst`); parts (`2.1`) and everything else as they are."""
    lines = text.split("\n")
    for index, line in enumerate(lines):
        match = _GROUP_ITEM.match(line.strip())
        if match and not _PART.match(line.strip()):
            lines[index] = f"{match['number']}. {match['title'].strip()}"
    return "\n".join(lines)


def read(source: Source, *, municipality: str | None = None) -> ParsedDocument:
    text = source.text
    group = _working_group(text)
    doc = general.read_text(
        source, municipality=municipality, text=prepare(text) if group else None
    )
    for item in doc.items:
        if group:
            _read_fields(item, doc)
        for section in item.sections:
            if section.heading.isupper():
                section.heading = section.heading[:1] + section.heading[1:].lower()
        _date_earlier_slots(item)
    doc.reader = NAME
    return doc


def _read_fields(item: Item, doc: ParsedDocument) -> None:
    """An item's parts (`2.1 <title>`) and their `Oplæg:`/`Referat:` fields: a part is a
    section holding its presentation, an `Oplæg` outside parts a section of its own, and each
    written `Referat:` a decision of this meeting."""
    sections: list[Section] = []
    for section in item.sections:
        if section.heading:
            sections.append(section)
            continue
        current: Section | None = None
        decision: list[str] | None = None

        def close_decision() -> None:
            nonlocal decision
            if decision is not None:
                _add_referat(item, doc, "\n".join(decision).strip())
            decision = None

        def close_section() -> None:
            nonlocal current
            close_decision()
            if current is not None and (current.text or _PART_HEADING.match(current.heading)):
                sections.append(current)
            current = None

        lines = [line.strip() for line in section.text.split("\n")]
        position = 0
        while position < len(lines):
            line = lines[position]
            position += 1
            part = _PART.match(line)
            field = _FIELD.match(line)
            if part:
                close_section()
                title = part["title"]
                if not title:
                    # The title in the next column: the PDF gives it after a blank line.
                    following = next((k for k in range(position, len(lines)) if lines[k]), None)
                    if following is not None and not _FIELD.match(lines[following]):
                        title, position = lines[following], following + 1
                current = Section(heading=f"{part['number']} {title or ''}".strip(), text="")
            elif field and field["label"] == "Referat":
                close_decision()
                decision = [field["value"]]
            elif field:
                close_decision()
                if current is not None and _PART_HEADING.match(current.heading):
                    current.text = _append(current.text, f"Oplæg: {field['value']}".strip())
                else:
                    close_section()
                    current = Section(heading="Oplæg", text=field["value"])
            elif decision is not None:
                decision.append(line)
            elif current is not None:
                current.text = _append(current.text, line)
            elif line:
                current = Section(heading="", text=line)
        close_section()
    item.sections = sections


_PART_HEADING = re.compile(r"^\d{1,2}\.\d{1,2}\b")


def _append(text: str, line: str) -> str:
    return f"{text}\n{line}" if text else line


def _add_referat(item: Item, doc: ParsedDocument, text: str) -> None:
    text = re.sub(r"\n{3,}", "\n\n", text)
    if text.strip().lower() in NO_DECISION:
        return
    item.decisions.append(
        Decision(
            body=doc.committee or "",
            date=doc.date,
            outcome=classify_outcome(text),
            this_meeting=doc.kind == "minutes",
            text=text,
        )
    )


def _date_earlier_slots(item: Item) -> None:
    """Another body's slot has no date; `Punktet behandlet tidligere` names that body's meeting
    (`Økonomiudvalget den 13. maj 2013, punkt 5`)."""
    earlier = [
        found
        for section in item.sections
        if section.heading.lower() == "punktet behandlet tidligere"
        for line in section.text.split("\n")
        if (found := body_date_line(line.strip()))
    ]
    for decision in item.decisions:
        if decision.date is None and decision.body:
            for body, when in earlier:
                if same_body(body, decision.body):
                    decision.date = find_date(when)
                    break


READER = Reader(NAME, accepts, read)
