"""The header: the kind of document, the body, its term, the date, time and place, attendance.

The header names the kind (Referat, Dagsorden, Beslutningsprotokol), the body and the date, on
one line or spread over several, or as labelled fields (`Mødedato`, `Dato:`, `Sted:`) with the
value on the same or the next line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from .attendance import parse_people, people_line
from .conventions import DATE_TOKEN, WEEKDAYS, find_date, find_time
from .model import Attendee
from .noise import TOC_HEADING, Line
from .vocabulary import BODY_WORD, FIELD_LABELS, KIND_AFTER_BODY, KIND_LINE, LIST_FIELDS

TERM = re.compile(r"\(?\b(?P<a>(?:19|20)\d{2})\s*[-–/]\s*(?P<b>(?:19|20)?\d{2})\b\)?")
_FIELD_RE = [
    (re.compile(rf"^(?P<label>{labels})(?![\wæøå])\s*(?:[:.]\s*)?(?P<value>.*)$", re.I), name)
    for labels, name in FIELD_LABELS
]


def _field(stripped: str) -> tuple[str, str, str] | None:
    """(field, label, value) for a labelled header line."""
    for pattern, name in _FIELD_RE:
        match = pattern.match(stripped)
        if not match:
            continue
        value = match["value"].strip()
        # "Medlemmer af udvalget var …", "Dato for …": a sentence, not a label.
        if value and name in {"present", "staff"} and re.match(r"^[a-zæøå]", value):
            if not re.match(r"^(?:var|er)\b", value):
                return None
            value = re.sub(r"^(?:var|er)\s*:?\s*", "", value)
        if name in {"committee"} and value and not re.match(r"^[A-ZÆØÅ]", value):
            return None
        return name, match["label"], value
    return None


@dataclass
class Header:
    kind: str | None = None
    committee: str | None = None
    term: str | None = None
    date: date | None = None
    start_time: str | None = None
    location: str | None = None
    attendance: list[Attendee] = field(default_factory=list)
    text: str = ""
    kind_line: int | None = None


def _committee_and_term(text: str) -> tuple[str | None, str | None]:
    text = re.sub(r"\s+", " ", text).strip(" \t,.:;-–")
    term = None
    match = TERM.search(text)
    if match:
        a, b = match["a"], match["b"]
        b = b if len(b) == 4 else a[:2] + b
        term = f"{a}-{b}"
        text = (text[: match.start()] + text[match.end() :]).strip()
        text = re.sub(r"\s*(?:valgperiode|periode)\s*$", "", text, flags=re.I)
    text = re.sub(
        r"^(?:(?:for|fra|af|til|over|vedr\.?)\s+)?(?:(?:det\s+)?(?:ordinære|ekstraordinære|ordinært|"
        r"ekstraordinært)\s+)?(?:(?:mødet|møde|mødets?)\s+(?:i|for|med)\s+)?",
        "",
        text,
        flags=re.I,
    )
    text = re.sub(
        rf"\s*[,\-–]?\s*(?:(?:ordinært|ekstraordinært)\s+)?(?:møde(?:t)?\s*)?(?:(?:{WEEKDAYS})\s*)?"
        r"(?:den|d\.)?\s*$",
        "",
        text,
        flags=re.I,
    )
    text = _strip_brackets(text.strip(" \t,.:;-–()"), text)
    if not text or not re.match(r"[A-ZÆØÅ]", text) or len(text) > 100:
        return None, term
    return text, term


def _names_body(text: str) -> bool:
    """A body's name: its last word is a body word ("Økonomiudvalget"), or its first, in the
    "Udvalget for Klima og Miljø (KMU)" form (a code in brackets is no word of the name)."""
    words = re.sub(r"\s*\([^()]{1,12}\)\s*$", "", text.strip()).split()
    return bool(words) and (
        bool(BODY_WORD.search(words[-1]))
        or (len(words) > 2 and words[1].lower() == "for" and bool(BODY_WORD.search(words[0])))
    )


def _strip_brackets(stripped: str, text: str) -> str:
    """Put back the closing bracket of a name's code ("Udvalget for Klima og Miljø (KMU)")."""
    if stripped.count("(") > stripped.count(")") and text.rstrip(" \t,.:;-–").endswith(")"):
        return stripped + ")"
    return stripped


def _split_on_date(rest: str) -> tuple[str, str]:
    """(text before the first date, from the date on) in a header line."""
    match = DATE_TOKEN.search(rest)
    if not match:
        weekday = re.search(rf"\b(?:{WEEKDAYS})\b", rest, re.I)
        return (rest[: weekday.start()], rest[weekday.start() :]) if weekday else (rest, "")
    before = rest[: match.start()]
    before = re.sub(rf"(?:\b(?:{WEEKDAYS})\b\s*)?(?:\b(?:den|d\.)\s*)?$", "", before, flags=re.I)
    return before, rest[match.start() :]


def _looks_like_body(text: str) -> bool:
    words = text.split()
    return (
        1 <= len(words) <= 10
        and bool(re.match(r"^[A-ZÆØÅ]", text))
        and not DATE_TOKEN.search(text)
        and not text.endswith(".")
        and _field(text) is None
        and not KIND_LINE.match(text)
    )


ColumnField = tuple[tuple[str, str], list[str], list[int]]


def _label_column(stripped: list[str], nonblank: list[int], start: int) -> list[ColumnField]:
    """Fields whose labels stand alone one under another (`Dato:` ⏎ `Tid:` ⏎ `Sted:`) with the
    values after the last label, in the same order: ((field, label), values, line indexes).
    A member list's value runs on while its lines end in a comma."""
    labels: list[tuple[str, str, int]] = []
    position = start
    while position < len(nonblank):
        found = _field(stripped[nonblank[position]])
        if not found or found[2]:
            break
        labels.append((found[0], found[1], nonblank[position]))
        position += 1
    if len(labels) < 3:
        return []
    values: list[tuple[str, int]] = []
    while position < len(nonblank) and len(values) < len(labels) + 20:
        text = stripped[nonblank[position]]
        found = _field(text)
        # A value may begin with a label's word ("Mødelokale 2.14"); a label has its colon.
        if found and (not found[2] or re.match(rf"^{re.escape(found[1])}\s*:", text)):
            break
        if KIND_LINE.match(text) or TOC_HEADING.match(text):
            break
        values.append((text, nonblank[position]))
        position += 1
    if len(values) < len(labels):
        return []
    result: list[ColumnField] = []
    cursor = 0
    for number, (name, label, index) in enumerate(labels):
        if cursor >= len(values):
            break
        taken = [values[cursor]]
        cursor += 1
        last = number == len(labels) - 1
        while (
            name in LIST_FIELDS
            and cursor < len(values)
            and (taken[-1][0].endswith(",") or last)
            and people_line(values[cursor][0])
        ):
            taken.append(values[cursor])
            cursor += 1
        result.append(((name, label), [t for t, _ in taken], [index] + [i for _, i in taken]))
    return result


def parse_header(lines: list[Line]) -> Header:
    header = Header()
    stripped = [line.stripped for line in lines]
    nonblank = [i for i, s in enumerate(stripped) if s and s != "\f"]
    header.text = "\n".join(s for s in stripped if s != "\f")

    # Labelled fields: value on the line, or on the following lines.
    fields: dict[str, list[str]] = {}
    labels: dict[str, str] = {}
    consumed: set[int] = set()
    position = 0
    while position < len(nonblank):
        index = nonblank[position]
        found = _field(stripped[index])
        if not found:
            position += 1
            continue
        column = _label_column(stripped, nonblank, position)
        if column:
            # Labels in one column, their values in the next (a PDF table read column by column).
            for (name, label), values, used in column:
                consumed.update(used)
                labels.setdefault(name, label)
                if name not in fields or name in LIST_FIELDS:
                    fields.setdefault(name, []).extend(values)
            position = max(nonblank.index(i) for _, _, used in column for i in used) + 1
            continue
        name, label, value = found
        consumed.add(index)
        if name in fields and name not in LIST_FIELDS:
            position += 1
            continue
        values = [value] if value else []
        labels.setdefault(name, label)
        position += 1
        if name in LIST_FIELDS:
            while position < len(nonblank):
                nxt = stripped[nonblank[position]]
                if _field(nxt) or not people_line(nxt):
                    break
                values.append(nxt)
                consumed.add(nonblank[position])
                position += 1
        elif not value and position < len(nonblank):
            nxt = stripped[nonblank[position]]
            if not _field(nxt):
                values.append(nxt)
                consumed.add(nonblank[position])
                position += 1
        fields.setdefault(name, []).extend(values)

    # The kind line: "REFERAT Socialudvalget d. 05-02-2020", "Referat" / "til" / "mødet i …".
    for position, index in enumerate(nonblank[:40]):
        if index in consumed:
            continue
        text = stripped[index]
        kind_match = KIND_LINE.match(text)
        body_first = None
        if not kind_match:
            body_first = KIND_AFTER_BODY.match(text)
            if not body_first or not _names_body(body_first["body"]):
                continue
        match = kind_match or body_first
        assert match is not None
        rest = match["rest"]
        if (
            kind_match
            and rest
            and re.match(r"^[a-zæøå]", rest)
            and not re.match(r"^(?:for|fra|af|til|over|vedr|mødet|møde|fra)\b", rest, re.I)
        ):
            continue  # "Referatet godkendes" and other sentences
        header.kind = match["kind"].lower()
        header.kind_line = lines[index].no
        before, dated = _split_on_date(rest)
        committee, term = _committee_and_term(before)
        if body_first:
            committee, term2 = _committee_and_term(body_first["body"])
            term = term or term2
        header.committee, header.term = committee, term
        if dated:
            header.date = find_date(dated)
            header.start_time = find_time(dated)
        # Spread over several lines: "til" / "mødet i X" / "den 5. maj 2020 kl. 18:00" / "i …".
        seen_date = bool(dated)
        for follow in nonblank[position + 1 : position + 8]:
            if follow in consumed:
                break
            line = stripped[follow]
            lowered = line.lower()
            if lowered in {"til", "for", "fra", "af", "over", "i"}:
                continue
            if TOC_HEADING.match(line) or KIND_LINE.match(line) and not header.committee:
                break
            if not seen_date and (
                DATE_TOKEN.search(line) or re.match(rf"^(?:{WEEKDAYS})\b", lowered)
            ):
                if not header.committee:
                    before2, dated2 = _split_on_date(line)
                    candidate, term2 = _committee_and_term(before2)
                    if candidate and _looks_like_body(candidate):
                        header.committee = candidate
                    header.term = header.term or term2
                else:
                    dated2 = line
                header.date = header.date or find_date(dated2 or line)
                header.start_time = header.start_time or find_time(line)
                seen_date = True
                continue
            if seen_date and re.match(r"^(?:i|på)\s+\S", line) and not header.location:
                header.location = re.sub(r"^(?:i|på)\s+", "", line).strip()
                continue
            if not header.committee and not seen_date:
                candidate, term2 = _committee_and_term(line)
                if candidate and _looks_like_body(candidate):
                    header.committee = candidate
                    header.term = header.term or term2
                    continue
            if seen_date:
                break
        if not header.committee and position > 0:
            previous = stripped[nonblank[position - 1]]
            candidate, term2 = _committee_and_term(previous)
            if candidate and _looks_like_body(candidate):
                header.committee = candidate
                header.term = header.term or term2
        break

    # A page that opens with the body's name on a line of its own, and no kind line
    # ("Kommunalbestyrelsen" ⏎ "30. aug 2022"): that body.
    if header.committee is None and header.kind is None:
        for index in nonblank[:3]:
            line = stripped[index]
            if index in consumed or DATE_TOKEN.search(line) or len(line.split()) > 8:
                continue
            candidate, term2 = _committee_and_term(line)
            if candidate == line and _looks_like_body(candidate) and _names_body(candidate):
                header.committee, header.term = candidate, header.term or term2
                break

    # Fields fill what the kind line did not give.
    if fields.get("committee") and not header.committee:
        committee, term = _committee_and_term(" ".join(fields["committee"]))
        header.committee, header.term = committee, header.term or term
    when = " ".join(fields.get("date", []))
    if when:
        header.date = header.date or find_date(when)
        header.start_time = header.start_time or find_time(when) or find_time(when, bare=True)
    if fields.get("time") and not header.start_time:
        header.start_time = find_time(" ".join(fields["time"]), bare=True)
        header.date = header.date or find_date(" ".join(fields["time"]))
    if fields.get("location"):
        header.location = re.sub(r"\s+", " ", " ".join(fields["location"])).strip()
    if header.date is None:
        for index in nonblank[:30]:
            if index not in consumed or _field(stripped[index]):
                found = find_date(stripped[index])
                if found:
                    header.date = found
                    header.start_time = header.start_time or find_time(stripped[index])
                    break

    for name in ("present", "absent", "substitute", "staff"):
        values = fields.get(name, [])
        if values:
            header.attendance.extend(parse_people(values, name, labels.get(name, "")))
    return header
