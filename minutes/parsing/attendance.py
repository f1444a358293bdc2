"""Attendance: the people of a member list, their party, status and role; notes of absence.

Members are `present`/`absent`/`substitute`; staff listed under `Sekretær`, `Referent` or
`Fra administrationen` are kept as `present` with the label as note (for example "Sekretær"),
so the record shows who was in the room; they have no party.
"""

from __future__ import annotations

import re

from .conventions import attendance_notes
from .model import Attendee, ParsedDocument
from .vocabulary import ALL_PRESENT, ROLE_WORDS, STATUS_MARK

_NAME_TOKEN = re.compile(r"^(?:[A-ZÆØÅ][\w'’.\-]*|la|von|de|van|af|du|le|der|den)(?:$)", re.UNICODE)


def _looks_like_name(text: str) -> bool:
    text = re.sub(r"\([^)]*\)", "", text).strip(" ,.-–")
    words = text.split()
    if not words or len(words) > 7 or len(text) > 70 or re.search(r"\d", text):
        return False
    if not re.match(r"^[A-ZÆØÅ]", words[0]):
        return False
    return all(_NAME_TOKEN.match(word) for word in words)


def people_line(text: str) -> bool:
    """A line of a member list: names (with party, role, status) in cells or with commas."""
    if ALL_PRESENT.search(text):
        return True
    if text.lower() in {"ingen", "-", "–", "ingen afbud", "ingen fraværende"}:
        return True
    cells = _cells(text)
    return bool(cells) and all(
        _looks_like_name(_strip_person(cell)[0]) or ROLE_WORDS.match(cell.strip(" ,.-–"))
        for cell in cells
    )


def _cells(text: str) -> list[str]:
    cells: list[str] = []
    for cell in re.split(r"\t+|\s{3,}", text.strip()):
        for part in re.split(r"\s*[,;]\s*|\s+og\s+", cell):
            if part.strip(" .-–"):
                cells.append(part.strip())
    return cells


def _strip_person(raw: str) -> tuple[str, str | None, str | None, str | None]:
    """(name, party, status mark, role) of one list entry such as `Lolan Ottesen (A) - formand`."""
    text = raw.strip(" ,.;")
    mark = None
    status = STATUS_MARK.search(text)
    if status:
        mark = status["mark"]
        text = (text[: status.start()] + text[status.end() :]).strip()
    role = None
    role_match = re.search(r"\s+[-–]\s+(?P<role>[a-zæøå][\wæøå ,.-]*)$", text)
    if role_match:
        role = role_match["role"].strip()
        text = text[: role_match.start()].strip()
    # "Formand: Erik Nielsen", and without the colon "Formand Erik Nielsen" (a member list).
    prefix_role = re.match(
        r"^(?P<role>formand|næstformand|borgmester|viceborgmester)(?:\s*:\s*|\s+(?=[A-ZÆØÅ]))",
        text,
        re.I,
    )
    if prefix_role:
        role = prefix_role["role"].lower()
        text = text[prefix_role.end() :]
    party = None
    party_match = re.search(r"\s*\((?P<party>[A-ZÆØÅ]{1,3})\)", text)
    if party_match:
        party = party_match["party"]
        text = (text[: party_match.start()] + text[party_match.end() :]).strip()
    return re.sub(r"\s+", " ", text).strip(" ,.-–"), party, mark, role


def parse_people(values: list[str], field_name: str, label: str) -> list[Attendee]:
    """Attendees from a member list: comma-separated (possibly wrapped mid-name) or one a line."""
    values = [v for v in values if v and not ALL_PRESENT.search(v)]
    if not values:
        return []
    comma_style = (
        any(v.rstrip().endswith(",") for v in values) or len(re.split(r",", values[0])) > 2
    )
    entries: list[str] = []
    if comma_style:
        joined = " ".join(v.strip() for v in values)
        entries = [e for e in re.split(r"\s*[,;]\s*|\s+og\s+(?=[A-ZÆØÅ])", joined) if e.strip()]
    else:
        for value in values:
            for cell in re.split(r"\t+|\s{3,}", value.strip()):
                entries.extend(
                    e
                    for e in re.split(r"\s*;\s*|,\s*(?=[A-ZÆØÅ])|\s+og\s+(?=[A-ZÆØÅ])", cell)
                    if e.strip()
                )
    people: list[Attendee] = []
    for entry in entries:
        cleaned = entry.strip(" .")
        if cleaned.lower() in {"ingen", "-", "–", "ingen afbud", "ingen fraværende"}:
            continue
        if ROLE_WORDS.match(cleaned) and people:
            people[-1].note = cleaned if not people[-1].note else f"{people[-1].note}, {cleaned}"
            continue
        name, party, mark, role = _strip_person(cleaned)
        if not _looks_like_name(name):
            continue
        status = {"absent": "absent", "substitute": "substitute"}.get(field_name, "present")
        note: str | None = role
        if mark:
            lowered = mark.lower()
            if lowered.startswith(("afbud", "fravær", "syg", "forfald", "ikke til stede")):
                status, note = "absent", "Afbud" if lowered == "afbud" else mark
            elif lowered.startswith(("suppleant", "stedfortræder")):
                status, note = "substitute", mark
            else:
                note = mark
        elif field_name == "absent":
            note = "Afbud" if "afbud" in label.lower() else "Fraværende"
        elif field_name == "staff":
            note = label[:1].upper() + label[1:].lower() if label else "Administrationen"
        elif field_name == "substitute" and not note:
            note = "Stedfortræder"
        if role and note != role:
            note = f"{note}, {role}" if note else role
        people.append(Attendee(name=name, party=party, status=status, note=note))  # type: ignore[arg-type]
    return people


def dedupe(people: list[Attendee]) -> list[Attendee]:
    seen: dict[str, Attendee] = {}
    result: list[Attendee] = []
    for person in people:
        key = person.name.lower()
        if key in seen:
            existing = seen[key]
            if person.status != "present" and existing.status == "present":
                existing.status, existing.note = person.status, person.note
            existing.party = existing.party or person.party
            continue
        seen[key] = person
        result.append(person)
    return result


def apply_attendance_notes(doc: ParsedDocument, header_text: str) -> None:
    """Absences and substitutes noted in the header or this meeting's decisions."""
    texts = [header_text] + [d.text for item in doc.items for d in item.decisions if d.this_meeting]
    by_name = {a.name.lower(): a for a in doc.attendance}
    for text in texts:
        for note in attendance_notes(text):
            existing = by_name.get(note.name.lower()) or _match_person(note.name, by_name)
            if existing is not None:
                if note.status == "absent" and existing.status == "present":
                    existing.status = "absent"
                    existing.note = note.note
                existing.party = existing.party or note.party
            else:
                new = Attendee(name=note.name, party=note.party, status=note.status, note=note.note)
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
