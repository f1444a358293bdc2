"""One item: its title, case number and body, read into sections, decisions and attachments.

A case number sits near the heading (after it, in it, or just before it), labelled or bare.
Decisions are dated headings (`Beslutning i X den …`, `Xs beslutning den …`) or a `Beslutning`
heading followed by `X, den …` lines, and the entries of a `Sagsforløb` block (`Udvalg:` /
`Dato:` / `Punktnummer:` then that body's text); which one is this meeting's is settled for
the whole document (`bodies.settle_this_meeting`). A slot holding only a placeholder (`Tomt
indhold`, FirstAgenda's lone `.`) decides nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .bodies import nominative, same_body
from .conventions import (
    CASE_LABEL_ANYWHERE,
    OTHER_NUMBER_LABEL,
    classify_outcome,
    find_date,
    find_votes,
    normalise_case_number,
)
from .headings import (
    SUB_ITEM,
    DecisionHead,
    attachment_heading,
    body_date_line,
    case_line,
    clean_title,
    closed_title,
    decision_heading,
    history_field,
    history_heading,
    is_meta,
    point_decision_line,
    section_heading,
    structural,
)
from .items import Candidate, title_case_number
from .model import Decision, Item, ParsedDocument, Section
from .noise import SIGNATURE_HEADING, Line
from .vocabulary import (
    NO_DECISION,
    RECOMMENDATION_TITLES,
    SIGNATURE_TITLES,
    part_marker,
)


def closed_parts(lines: list[Line]) -> list[bool]:
    closed = False
    marks: list[bool] = []
    for line in lines:
        marker = part_marker(line.stripped)
        if marker is not None:
            closed = marker
        marks.append(closed)
    return marks


def _metadata(body: list[Line]) -> Iterator[tuple[int, str | None]]:
    """The metadata lines just after an item's heading (case and document numbers, the officer
    responsible), at most six: each line's position and the case number it gives, if any."""
    seen = 0
    for position, line in enumerate(body):
        text = line.stripped
        if not text or text == "\f":
            continue
        seen += 1
        if seen > 6:
            return
        found = case_line(text)
        if found and not OTHER_NUMBER_LABEL.match(text):
            yield position, found
        elif is_meta(text) or OTHER_NUMBER_LABEL.match(text):
            yield position, None
        else:
            return


def metadata_case(body: list[Line]) -> str | None:
    """The case number in the metadata just after an item's heading, or None."""
    return next((found for _, found in _metadata(body) if found), None)


def parse_item(
    candidate: Candidate,
    body: list[Line],
    case_before: str | None,
    claimed: set[int],
    doc: ParsedDocument,
    in_closed_part: bool,
) -> Item:
    raw_title = re.sub(r"\s+", " ", candidate.raw_title).strip()
    title_text, title_case = title_case_number(raw_title)
    marked, title_text = closed_title(title_text)
    closed = in_closed_part or marked
    if re.search(r"\(lukket(?: punkt| sag)?\)\s*$", title_text, re.I):
        closed = True
        title_text = re.sub(r"\s*\(lukket(?: punkt| sag)?\)\s*$", "", title_text, flags=re.I)
    title = clean_title(title_text) if title_text else ""
    if not title:
        title = "Lukket punkt" if closed else raw_title or f"Punkt {candidate.number}"
    if closed and raw_title.strip().lower() == "lukket":
        title = "Lukket"
    item = Item(number=candidate.number, title=title, raw_title=raw_title, closed=closed)

    content = list(body)
    # Metadata just after the heading: case and document numbers, responsible officer.
    metadata = list(_metadata(content))
    case_number = title_case or next((found for _, found in metadata if found), None)
    content = content[metadata[-1][0] + 1 :] if metadata else content
    if case_number is None:
        case_number = case_before
    item.case_number = case_number
    if hasattr(item, "case_number_normalised"):
        item.case_number_normalised = normalise_case_number(case_number) if case_number else None
    if case_number is None and title.lower() not in SIGNATURE_TITLES:
        doc.warnings.append(f"punkt {candidate.number}: intet sagsnummer fundet")

    # Drop trailing lines another item claims as its case number, and signature pages.
    content = [line for line in content if id(line) not in claimed]
    if title.lower() not in SIGNATURE_TITLES:
        for position, line in enumerate(content):
            if SIGNATURE_HEADING.match(line.stripped) and position > 0:
                content = content[:position]
                break
    content = [line for line in content if part_marker(line.stripped) is None]
    _read_body(item, content, doc)
    return item


def case_number_before(candidate: Candidate, lines: list[Line], claimed: set[int]) -> str | None:
    """A case number printed on the line(s) just before the heading (`Sagsnr. 17/1` ⏎ `1. Titel`)."""
    looked = 0
    for index in range(candidate.index - 1, max(-1, candidate.index - 6), -1):
        line = lines[index]
        text = line.stripped
        if not text or text == "\f":
            continue
        looked += 1
        if looked > 2:
            break
        found = case_line(text)
        if found and CASE_LABEL_ANYWHERE.match(text):
            claimed.add(id(line))
            return found
        if not is_meta(text):
            break
    return None


# Longer than any heading a classifier below takes, counted without runs of spaces: a
# labelled heading has its colon within 61 characters, a decision line opens with its word,
# a dated or genitive decision line (`Byrådets beslutning den 3. maj 2021`) and a body-date
# line stay under 160, a lettered sub-item opens with its letter.
_LONGEST_HEADING = 200
_OPENING_WORDS = ("beslutning", "afgørelse", "protokol")
_SPACE_RUN = re.compile(r"\s\s")


def _prose(stripped: str) -> bool:
    """A paragraph line that no heading classifier of `_read_body` can take."""
    return (
        len(stripped) > _LONGEST_HEADING
        and ":" not in stripped[:62]
        and not (stripped[1:2] == "." and stripped[0].islower())
        and not stripped[:12].lower().startswith(_OPENING_WORDS)
        and (not _space_run(stripped) or len(" ".join(stripped.split())) > _LONGEST_HEADING)
    )


def _space_run(text: str) -> bool:
    """Whether two whitespace characters stand together. In a printable text the only
    whitespace is the space (every other one is unprintable), and `in` finds two of them
    five times faster than the pattern."""
    return "  " in text if text.isprintable() else bool(_SPACE_RUN.search(text))


def _read_body(item: Item, content: list[Line], doc: ParsedDocument) -> None:
    mode = "text"  # text | decisions | attachments | history
    section: Section | None = None
    decision: Decision | None = None
    buffer: list[str] = []
    attachment_lines: list[tuple[bool, str]] = []  # (after a blank line, text)
    history: list[Line] = []
    sub_item = False

    def flush() -> None:
        nonlocal section, decision, buffer, sub_item
        if history:
            item.decisions.extend(_history_decisions(history, doc))
            history.clear()
        text = _decision_text(buffer) if decision is not None else join_paragraphs(buffer)
        if decision is not None:
            decision.text = text
            decision.outcome = classify_outcome(text)
            item.decisions.append(decision)
            item.votes.extend(find_votes(text))
        elif section is not None and (text or sub_item):
            section.text = text
            item.sections.append(section)
        elif mode == "text" and text and section is None:
            item.sections.append(Section(heading="", text=text))
        section, decision, buffer, sub_item = None, None, [], False

    def flush_attachments() -> None:
        item.attachments.extend(_attachments(attachment_lines))
        attachment_lines.clear()

    previous_blank = True
    index = 0
    while index < len(content):
        line = content[index]
        index += 1
        stripped = line.stripped
        if line.text == "\f":
            continue
        if not stripped:
            # A blank line (near half of them) only separates: what the steps below do with it.
            if mode == "history":
                history.append(line)
            elif mode != "attachments":
                buffer.append(line.text)
            previous_blank = True
            continue
        blank = False
        # A paragraph no heading can be skips the classifiers (a third of a meeting's lines).
        classify = bool(stripped) and not _prose(stripped)
        head = decision_heading(stripped) if classify else None
        if head is None and classify and mode in {"text", "attachments"}:
            named = point_decision_line(stripped)
            if named:
                head = DecisionHead(*named)
        attach, attach_rest = attachment_heading(stripped) if classify else (False, "")
        heading = section_heading(stripped) if classify and not head else None
        if heading and mode == "attachments" and _listed(heading[0], content, index):
            heading = None  # FirstAgenda lists the recommendation as a document: `Indstilling`
        in_text = classify and mode not in {"decisions", "history"}
        sub = SUB_ITEM.match(stripped) if in_text else None
        if classify and history_heading(stripped):
            flush()
            if mode == "attachments":
                flush_attachments()
            mode = "history"
            previous_blank = False
            continue
        if mode == "history" and not (head or attach or heading):
            history.append(line)
            previous_blank = blank
            continue
        if head is not None:
            flush()
            if mode == "attachments":
                flush_attachments()
            mode = "decisions"
            if head.body is not None or head.date_text is not None:
                decision = _new_decision(head.body, head.date_text, line, doc)
            if head.rest:
                if decision is None:
                    decision = _this_meeting_decision(doc)
                buffer.append(head.rest)
            previous_blank = False
            continue
        if attach:
            flush()
            if mode == "attachments":
                flush_attachments()
            mode = "attachments"
            if attach_rest:
                attachment_lines.append((True, attach_rest))
            previous_blank = True
            continue
        if heading is not None:
            flush()
            if mode == "attachments":
                flush_attachments()
            mode = "text"
            section = Section(heading=heading[0], text="")
            if heading[1]:
                buffer.append(heading[1])
            previous_blank = False
            continue
        if sub and (mode == "attachments" or section is None or sub_item):
            # A lettered sub-item ("a. Møder og konferencer", "b." ⏎ title) inside the item.
            flush()
            if mode == "attachments":
                flush_attachments()
            mode = "text"
            heading_text = stripped
            if not sub["title"]:
                following = _next_nonblank(content, index)
                if following is not None and not structural(content[following].stripped):
                    heading_text = f"{stripped} {content[following].stripped}"
                    index = following + 1
            # The sub-item title may wrap onto the next line(s).
            while index < len(content):
                nxt = content[index].stripped
                if not nxt or structural(nxt) or SUB_ITEM.match(nxt) or len(nxt) > 140:
                    if not nxt and index + 1 < len(content):
                        after = content[index + 1].stripped
                        if (
                            after
                            and re.match(r"^[a-zæøå]", after)
                            and not structural(after)
                            and not SUB_ITEM.match(after)
                        ):
                            heading_text = f"{heading_text} {after}"
                            index += 2
                            continue
                    break
                if heading_text.endswith((".", "?", "!", ":")):
                    break
                heading_text = f"{heading_text} {nxt}"
                index += 1
            section = Section(heading=re.sub(r"\s+", " ", heading_text), text="")
            sub_item = True
            previous_blank = False
            continue
        if mode == "decisions" and stripped:
            trail = body_date_line(stripped)
            if trail:
                flush()
                decision = _new_decision(trail[0], trail[1], line, doc)
                previous_blank = False
                continue
            if decision is None:
                decision = _this_meeting_decision(doc)
        if mode == "attachments":
            if "\t" in line.text and stripped:
                # A table row after the list: the attachments are over, the text goes on.
                flush_attachments()
                mode = "text"
            else:
                if stripped:
                    attachment_lines.append((previous_blank, re.sub(r"\s+", " ", stripped)))
                previous_blank = blank
                continue
        buffer.append(line.text)
        previous_blank = blank
    flush()
    flush_attachments()
    # A decision heading with nothing under it, or a placeholder, decides nothing (an agenda's
    # empty field, SBSYS "Tomt indhold", FirstAgenda's ".").
    item.decisions = [d for d in item.decisions if d.text.strip().lower() not in NO_DECISION]


def _listed(heading: str, content: list[Line], index: int) -> bool:
    """Under `Bilag`, an `Indstilling` line is a listed document when no prose follows it."""
    if heading.lower() not in RECOMMENDATION_TITLES:
        return False
    following = _next_nonblank(content, index)
    if following is None:
        return True
    text = content[following].stripped
    return not re.search(r"[.!?:]$", text) and len(text) <= 160


def _decision_text(buffer: list[str]) -> str:
    """The decision's text without the placeholder lines (a lone `.`) printed after it."""
    lines = list(buffer)
    while lines and lines[-1].strip() in {"", ".", "-", "–"}:
        lines.pop()
    # An empty absence field printed above each decision (`Fraværende:` with no one) says nothing.
    while lines and (not lines[0].strip() or _EMPTY_ABSENCE.match(lines[0].strip())):
        lines.pop(0)
    return join_paragraphs(lines)


_EMPTY_ABSENCE = re.compile(r"^(?:fraværende|afbud|fravær)\s*:\s*(?:ingen\.?|-)?$", re.IGNORECASE)


def _history_decisions(lines: list[Line], doc: ParsedDocument) -> list[Decision]:
    """The entries of a `Sagsforløb` block: `Udvalg: X` starts one, `Dato:` dates it,
    `Punktnummer:` is dropped; the lines after them are that body's decision. A label may stand
    alone with its value on the next line."""
    decisions: list[Decision] = []
    current: Decision | None = None
    text: list[str] = []
    pending: str | None = None

    def close() -> None:
        if current is not None:
            current.text = _decision_text(text)
            current.outcome = classify_outcome(current.text)
            if current.text.strip().lower() not in NO_DECISION and current.body:
                decisions.append(current)

    for line in lines:
        stripped = line.stripped
        if pending and stripped:
            field: tuple[str, str] | None = (pending, stripped)
            pending = None
        else:
            field = history_field(stripped) if stripped else None
        if field is None:
            if current is not None:
                text.append(line.text)
            continue
        label, value = field
        if not value:
            pending = label  # the value is on the next line
            continue
        if label == "udvalg":
            close()
            current = Decision(
                body=nominative(value, doc.committee),
                date=None,
                outcome="other",
                this_meeting=False,
                text="",
            )
            text = []
        elif current is not None and label == "dato":
            current.date = find_date(value)
    close()
    return decisions


def _next_nonblank(content: list[Line], start: int) -> int | None:
    for index in range(start, min(len(content), start + 4)):
        if content[index].stripped and content[index].text != "\f":
            return index
    return None


_ATTACHMENT_PREFIX = re.compile(
    r"^(?:(?:19|20)\d{2}\s*[-–]\s*\d{3,}\s*[-–]|bilag\s*\d+|\d{1,3}[.)]\s|[•·▪\-–*]\s"
    r"|\d{2}/\d{3,}|\d{2}\.\d{2}\.\d{2}-)",
    re.IGNORECASE,
)
_NO_ATTACHMENTS = {"ingen", "ingen bilag", "-", "–", "intet", "ingen vedhæftede bilag"}


def _attachments(entries: list[tuple[bool, str]]) -> list[str]:
    """Attachment titles; in a prefixed list (`2012-208960 - Titel`, `Bilag 1:`) an unprefixed
    line right after an entry is that entry's wrapped title."""
    entries = [
        (gap, text) for gap, text in entries if text.lower().strip(" .") not in _NO_ATTACHMENTS
    ]
    prefixed = [bool(_ATTACHMENT_PREFIX.match(text)) for _, text in entries]
    result: list[str] = []
    if entries and sum(prefixed) * 2 >= len(entries) and prefixed[0]:
        for (gap, text), has_prefix in zip(entries, prefixed, strict=True):
            if not has_prefix and result and not gap:
                result[-1] = f"{result[-1]} {text}"
            else:
                result.append(text)
        return [re.sub(r"\s+", " ", r).strip() for r in result]
    return [text for _, text in entries]


def _this_meeting_decision(doc: ParsedDocument) -> Decision:
    # Text under a bare "Beslutning" heading with no body named: this meeting's.
    return Decision(
        body=doc.committee or "", date=doc.date, outcome="other", this_meeting=False, text=""
    )


def _new_decision(
    body: str | None, date_text: str | None, line: Line, doc: ParsedDocument
) -> Decision:
    name = nominative(body, doc.committee) if body else doc.committee or ""
    # An undated slot of another body (SBSYS `ØKONOMIUDVALGETS BESLUTNING`) was filled at that
    # body's meeting, whose date the slot does not say.
    undated_other = body is not None and not same_body(name, doc.committee)
    when = find_date(date_text) if date_text else None if undated_other else doc.date
    if date_text and when is None:
        where = f"side {line.page}" if line.page else f"linje {line.no}"
        doc.warnings.append(f"{where}: beslutningsdato '{date_text}' kan ikke læses")
    return Decision(body=name, date=when, outcome="other", this_meeting=False, text="")


def join_paragraphs(lines: list[str]) -> str:
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
