"""Minutes and agendas as text: header, attendance, items, sections, decisions, attachments.

Works by structure and Danish conventions, not by one publishing system's lines:

- the header names the kind (Referat, Dagsorden, Beslutningsprotokol), the body and the date, on
  one line or spread over several, or as labelled fields (`Mødedato`, `Dato:`, `Sted:`) with the
  value on the same or the next line;
- item headings are `Punkt N:`/`Pkt. N` (strong) or `N. Titel`, `N : Titel`, a yearly running
  number, or the number alone before the title (weak). Weak headings are told from numbered lists
  by what follows them (a case number, section headings) and by their numbers rising through the
  document;
- a case number sits near the heading (after it, in it, or just before it), labelled or bare;
- decisions are dated headings (`Beslutning i X den …`, `Xs beslutning den …`) or a `Beslutning`
  heading followed by `X, den …` lines; the one of this body on this date is this meeting's.

Attendance: members are `present`/`absent`/`substitute`; staff listed under `Sekretær`,
`Referent` or `Fra administrationen` are kept as `present` with the label as note (for example
"Sekretær"), so the record shows who was in the room; they have no party.

This module prepares the lines (noise, glued headings, the table of contents, page breaks) and
puts the parts together in `parse_text`. The parts:

- `vocabulary`: the words and labels lines are recognised by; a new format mostly adds here;
- `headings`: what one line is (section, decision or attachment heading, case number, metadata);
- `header`: kind, body, term, date, time and place; `attendance`: the member lists and notes;
- `items`: the item heading candidates, their weights and the chosen chain;
- `toc`: tables of contents; `item_body`: one item's case number, sections, decisions,
  attachments; `documents`: texts that are not minutes; `municipality`: who published it;
  `bodies`: a body's name, and which decision is this meeting's.
"""

from __future__ import annotations

import re

from .attendance import apply_attendance_notes, dedupe
from .bodies import (
    NO_COMMITTEE,
    NO_DATE,
    has_own_decisions,
    meeting_from_decisions,
    settle_this_meeting,
)
from .documents import looks_like_memo, parse_document
from .header import parse_header
from .headings import WEAK_HEADING
from .item_body import case_number_before, closed_parts, metadata_case, parse_item
from .items import EVIDENCE_WEIGHT, choose_items, title_case_number
from .model import ParsedDocument, ParseError
from .municipality import recognise_municipality
from .noise import Line, drop_noise, split_lines
from .toc import drop_toc
from .vocabulary import GLUED_HEADING

# --- Line preparation ----------------------------------------------------------------------


def _unglue(lines: list[Line]) -> list[Line]:
    """`BeslutningGodkendt.` (a heading glued to its text by an export) becomes two lines."""
    result: list[Line] = []
    for line in lines:
        match = GLUED_HEADING.match(line.stripped)
        if match:
            result.append(Line(line.no, line.page, match["head"]))
            result.append(Line(line.no, line.page, match["rest"]))
        else:
            result.append(line)
    return result


def _drop_repeated_headings(lines: list[Line]) -> list[Line]:
    """A numbered heading printed twice in a row (a web page's accordion title, then the same
    heading in the panel: `1. Godkendelse af dagsorden` ⏎ `1.     Godkendelse af dagsorden`)
    is one heading; the repeat would otherwise stand in the previous item's text."""
    previous = ""
    result: list[Line] = []
    for line in lines:
        if not line.stripped or line.text == "\f":
            result.append(line)
            continue
        # Only a numbered line can be a repeated heading: others are compared as printed.
        canonical = " ".join(line.stripped.split()) if line.stripped[0].isdigit() else line.stripped
        if canonical == previous and WEAK_HEADING.match(canonical):
            result.append(Line(line.no, line.page, ""))
            continue
        previous = canonical
        result.append(line)
    return result


def _mend_page_breaks(lines: list[Line]) -> list[Line]:
    """Rejoin a sentence split by a page break: drop the blank lines between its halves."""
    drop: set[int] = set()
    for index, line in enumerate(lines):
        if line.text != "\f":
            continue
        before = index - 1
        while before >= 0 and not lines[before].stripped:
            before -= 1
        after = index + 1
        while after < len(lines) and (not lines[after].stripped or lines[after].text == "\f"):
            after += 1
        if before < 0 or after >= len(lines):
            continue
        if re.search(r"[.!?:;]$", lines[before].stripped):
            continue
        if not re.match(r"^[a-zæøå]", lines[after].stripped):
            continue
        drop.update(k for k in range(before + 1, after) if lines[k].text != "\f")
    if not drop:
        return lines
    return [line for index, line in enumerate(lines) if index not in drop]


# --- Whole document ------------------------------------------------------------------------


def parse_text(
    text: str, *, municipality: str | None = None, from_pdf: bool = False, file_name: str = ""
) -> ParsedDocument:
    """The text's parse. Without `municipality`, the text names it, or else the file name
    (`file_name`, as published: "ballerup_referat.pdf")."""
    lines = split_lines(text)
    if not any(line.stripped and line.text != "\f" for line in lines):
        raise ParseError("Filen er tom")
    lines = drop_noise(lines, running=not from_pdf)
    lines = _unglue(lines)
    lines = drop_toc(lines)
    lines = _mend_page_breaks(lines)
    lines = _drop_repeated_headings(lines)
    limits: list[str] = []
    chain = choose_items(lines, limits)
    header_end = chain[0].index if chain else min(len(lines), 120)
    header = parse_header(lines[:header_end])

    # No "Referat"/"Dagsorden" header: a memo's opening, or too little sign of agenda items,
    # makes it a document (memo, letter, status table, budget remarks), whatever it numbers.
    evidence = sum(1 for c in chain if c.weight >= EVIDENCE_WEIGHT)
    if header.kind is None and (not chain or evidence < 2 or looks_like_memo(lines)):
        return parse_document(lines, municipality=municipality, text=text, file_name=file_name)

    if header.kind in {"dagsorden", "tillægsdagsorden", "mødeindkaldelse"}:
        kind = "agenda"
    else:
        kind = "minutes"
    doc = ParsedDocument(
        kind=kind,  # type: ignore[arg-type]
        municipality=municipality or recognise_municipality(lines, file_name=file_name),
        committee=header.committee,
        term=header.term,
        date=header.date,
        start_time=header.start_time,
        location=header.location,
        attendance=dedupe(header.attendance),
    )
    if header.kind is None:
        doc.warnings.append("ingen overskrift med 'Referat' eller 'Dagsorden' fundet")
    if doc.committee is None:
        doc.warnings.append(NO_COMMITTEE)
    if doc.date is None:
        doc.warnings.append(NO_DATE)
    if not chain:
        doc.warnings.append("ingen dagsordenspunkter fundet")
    doc.warnings += limits

    closed_part = closed_parts(lines)
    bodies = [
        lines[c.end + 1 : chain[k + 1].index if k + 1 < len(chain) else len(lines)]
        for k, c in enumerate(chain)
    ]
    # Case numbers printed just before a heading belong to that item, not to the one above;
    # claim them first so the item above does not keep them as text.
    claimed: set[int] = set()
    before: dict[int, str] = {}
    for candidate, body in zip(chain, bodies, strict=True):
        if title_case_number(candidate.raw_title)[1] is None and metadata_case(body) is None:
            found = case_number_before(candidate, lines, claimed)
            if found:
                before[candidate.index] = found
    for candidate, body in zip(chain, bodies, strict=True):
        item = parse_item(
            candidate, body, before.get(candidate.index), claimed, doc, closed_part[candidate.index]
        )
        doc.items.append(item)
    if doc.kind == "agenda" and has_own_decisions(doc):
        # "Dagsorden" over minutes with this meeting's decisions: the decisions are real.
        doc.kind = "minutes"
        doc.warnings.append("overskriften siger dagsorden, men punkterne har mødets beslutninger")
    meeting_from_decisions(doc)
    settle_this_meeting(doc)
    apply_attendance_notes(doc, header.text)
    return doc
