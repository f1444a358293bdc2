"""Item headings: the candidates (`Punkt 5:`, `5. Titel`, `5` ⏎ `Titel`), their weights, the chain.

Weak headings are told from numbered lists by what follows them (a case number, section
headings) and by their numbers rising through the document: `choose_items` takes the rising
chain of candidates with the most weight.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .conventions import CASE_NUMBER_PATTERNS, MONTHS, OTHER_NUMBER_LABEL, find_labelled_case_number
from .headings import (
    BARE_NUMBER,
    SUB_ITEM,
    WEAK_HEADING,
    attachment_heading,
    case_line,
    decision_heading,
    is_meta,
    section_heading,
    structural,
)
from .noise import Line, is_toc_entry
from .vocabulary import CLOSED_TITLE, ITEM_HEADING, TITLE_CASE_SUFFIX

# How sure we are that a candidate is an item heading. A chain of headings is chosen by the sum of
# these weights (see `choose_items`), so they compare evidence, not probabilities.
#
# A case number in the title, or on the lines right under the heading: items have one, numbered
# lists in the text do not. Also a title beginning "Lukket": a closed item.
CASE_NUMBER_WEIGHT = 10.0
# A labelled case number on the line just before the heading (`Sagsnr. 17/1` ⏎ `1. Titel`).
CASE_BEFORE_WEIGHT = 8.0
# A section, decision or attachment heading among the first two lines after the heading …
SECTION_NEXT_WEIGHT = 6.0
# … or the third.
SECTION_SOON_WEIGHT = 3.0
# Such a heading further on, before the next candidate.
SECTION_LATER_WEIGHT = 2.0
# With no evidence a weak candidate (`5. Titel`) keeps its own weight, 1.0; a bare number with the
# title on the next line is less sure: 0.5 with a dot (`5.` ⏎ `Titel`), 0.3 without (`5` ⏎ `Titel`).
WEAK_WEIGHT = 1.0
BARE_DOT_WEIGHT = 0.5
BARE_WEIGHT = 0.3
# `Punkt 5:` is an item heading by its wording: it gets this on top of its evidence.
STRONG_BONUS = 5.0
# Each number skipped between two headings of the chain costs this, counted up to MAX_SKIP.
SKIP_COST = 0.3
MAX_SKIP = 10
# A chain of one weak candidate needs at least this much support to be an item.
LONE_WEAK_MINIMUM = 2
# Candidates beyond this many are not considered (the chain is quadratic in their number).
MAX_CANDIDATES = 1500
# Headings this sure (a strong heading, or a weak one with a section heading right under it) are
# evidence that a text without a `Referat`/`Dagsorden` header is still minutes.
EVIDENCE_WEIGHT = 6

_CONNECTOR_END = re.compile(
    r"(?:\s(?:og|i|for|til|af|på|med|om|fra|ved|samt|eller|der|som|vedr\.?|mellem|efter|under)"
    r"|[-–,])$",
    re.IGNORECASE,
)


@dataclass
class Candidate:
    index: int  # line index of the heading
    number: int
    raw_title: str
    end: int  # index of the last line that belongs to the heading
    strong: bool
    weight: float = WEAK_WEIGHT


def title_after(lines: list[Line], start: int, limit: int = 3) -> tuple[str, int] | None:
    """The next non-blank line within `limit` lines (the title after a bare number)."""
    seen = 0
    for index in range(start, min(len(lines), start + limit + 3)):
        text = lines[index].stripped
        if text == "\f":
            continue
        if not text:
            continue
        seen += 1
        if seen > 1:
            return None
        if not re.match(r"^[A-ZÆØÅ\"”“'«]", text) or structural(text) or case_line(text):
            return None
        return text, index
    return None


def _continue_title(lines: list[Line], title: str, end: int) -> tuple[str, int]:
    """Join a title wrapped over the next line(s); PDFs may leave a blank line in between.

    A wrapped line usually starts in lower case or follows a connector (`og`, `-`). Where the
    case number follows the heading (FirstAgenda, Acadre), every short line up to it is the
    title, whatever its first letter ("… Budgetaftale" ⏎ "2025 og høring …" ⏎ "Nørre Skole").
    """
    before_case = _lines_before_case(lines, end)
    if before_case:
        for index in before_case:
            title = _join_wrapped(title, lines[index].stripped)
        return title, before_case[-1]
    for _ in range(2):
        blanks = 0
        index = end + 1
        while index < len(lines) and (not lines[index].stripped or lines[index].text == "\f"):
            if lines[index].text != "\f":
                blanks += 1
            index += 1
        if index >= len(lines) or blanks > 1:
            break
        text = lines[index].stripped
        if len(text) > 140 or structural(text) or case_line(text) or SUB_ITEM.match(text):
            break
        wraps = re.match(r"^[a-zæøå(]", text) or _CONNECTOR_END.search(title)
        if not wraps or (blanks and not re.match(r"^[a-zæøå]", text)):
            break
        title = _join_wrapped(title, text)
        end = index
    return title, end


# A title wraps over at most this many more lines.
MAX_WRAPPED_LINES = 2


def _lines_before_case(lines: list[Line], end: int) -> list[int]:
    """The line indexes between a heading and the case number printed under it, when they can
    be the rest of its title: at most MAX_WRAPPED_LINES short lines, no heading or metadata
    among them, at most one blank line between two."""
    found: list[int] = []
    index = end + 1
    while index < len(lines):
        blanks = 0
        while index < len(lines) and (not lines[index].stripped or lines[index].text == "\f"):
            blanks += lines[index].text != "\f"
            index += 1
        if index >= len(lines) or blanks > 1:
            return []
        text = lines[index].stripped
        if case_line(text) and not OTHER_NUMBER_LABEL.match(text):
            # Printed just before the next heading (`Sagsnr. 17/2` ⏎ `2. Titel`), the number is
            # the next item's, and the lines before it this item's text.
            after = next((k for k in range(index + 1, len(lines)) if lines[k].stripped), None)
            heading = after is not None and (
                ITEM_HEADING.match(lines[after].stripped)
                or WEAK_HEADING.match(lines[after].stripped)
            )
            return [] if heading else found
        if (
            len(found) == MAX_WRAPPED_LINES
            or len(text) > 140
            or structural(text)
            or SUB_ITEM.match(text)
            or BARE_NUMBER.match(text)
            or re.search(r"[.:;!?]$", text)
        ):
            return []
        found.append(index)
        index += 1
    return []


def _join_wrapped(title: str, text: str) -> str:
    joiner = "" if title.endswith("-") and re.match(r"^[a-zæøå]", text) else " "
    if title.endswith(("-", "–")) and not re.search(r"\s[-–]$", title):
        joiner = ""
    return f"{title}{joiner}{text}"


# The number under the title ("Tillæg 1 til Lokalplan 145" ⏎ "Sag nr. 130"): a web page that
# prints each item's title first and its running number on the next line.
NUMBER_UNDER_TITLE = re.compile(r"^sag\s+nr\.?\s*(?P<number>\d{1,4})$", re.IGNORECASE)


def _title_above(lines: list[Line], index: int) -> int | None:
    """The line just above a `Sag nr. N` line (no blank between) when it can be a title."""
    above = index - 1
    if above < 0 or not lines[above].stripped or lines[above].text == "\f":
        return None
    text = lines[above].stripped
    if not re.match(r"^[A-ZÆØÅ0-9\"”“'«]", text) or len(text) > 250 or structural(text):
        return None
    return above


def _candidates(lines: list[Line]) -> list[Candidate]:
    found: list[Candidate] = []
    for index, line in enumerate(lines):
        text = line.stripped
        if not text or text == "\f" or len(text) > 300:
            continue
        under = NUMBER_UNDER_TITLE.match(text)
        above = _title_above(lines, index) if under else None
        if under and above is not None:
            if found and found[-1].index == above:
                found.pop()  # the title line read as a heading of its own
            found.append(Candidate(above, int(under["number"]), lines[above].stripped, index, True))
            continue
        strong = ITEM_HEADING.match(text)
        if strong:
            title = strong["title"].strip()
            if title and not strong["sep"] and re.match(r"^[a-zæøå]", title):
                continue  # "Punkt 3 blev behandlet …"
            if title and re.match(r"^[a-zæøå]", title) and strong["sep"] in {".", ")"}:
                continue
            end = index
            if not title:
                after = title_after(lines, index + 1)
                if after:
                    title, end = after
            title, end = _continue_title(lines, title, end)
            found.append(Candidate(index, int(strong["number"]), title, end, True))
            continue
        weak = WEAK_HEADING.match(text)
        if weak:
            title = weak["title"].strip()
            if (
                not re.match(r"^[A-ZÆØÅ\"”“'«]", title)
                or re.match(rf"^(?:{MONTHS})\b", title, re.I)
                or is_toc_entry(text)
                or len(title) > 250
            ):
                continue
            title, end = _continue_title(lines, title, index)
            found.append(Candidate(index, int(weak["number"]), title, end, False))
            continue
        bare = BARE_NUMBER.match(text)
        if bare:
            after = title_after(lines, index + 1)
            if after is None:
                continue
            title, end = after
            if re.match(rf"^(?:{MONTHS})\b", title, re.I) or len(title) > 250:
                continue
            title, end = _continue_title(lines, title, end)
            candidate = Candidate(index, int(bare["number"]), title, end, False)
            candidate.weight = BARE_DOT_WEIGHT if bare["dot"] else BARE_WEIGHT
            found.append(candidate)
    return found


def _weigh(candidate: Candidate, lines: list[Line], next_index: int) -> float:
    """How sure we are that a candidate is an item heading, from what follows it."""
    if CLOSED_TITLE.match(candidate.raw_title) or title_case_number(candidate.raw_title)[1]:
        return CASE_NUMBER_WEIGHT
    following = [
        lines[i].stripped
        for i in range(candidate.end + 1, min(next_index, candidate.end + 60, len(lines)))
        if lines[i].stripped and lines[i].text != "\f"
    ]
    for text in following[:4]:
        if case_line(text) and not OTHER_NUMBER_LABEL.match(text):
            return CASE_NUMBER_WEIGHT
        if not is_meta(text):
            break
    before = [
        lines[i].stripped
        for i in range(max(0, candidate.index - 3), candidate.index)
        if lines[i].stripped
    ]
    if before and find_labelled_case_number(before[-1]) and len(before[-1]) < 60:
        return CASE_BEFORE_WEIGHT
    for position, text in enumerate(following[:3]):
        if section_heading(text) or decision_heading(text) or attachment_heading(text)[0]:
            return SECTION_NEXT_WEIGHT if position < 2 else SECTION_SOON_WEIGHT
    if any(
        section_heading(t) or decision_heading(t) or attachment_heading(t)[0] for t in following
    ):
        return SECTION_LATER_WEIGHT
    return candidate.weight


def choose_items(lines: list[Line], warnings: list[str] | None = None) -> list[Candidate]:
    """The item headings: the rising chain of candidates best supported by what follows them.

    Above MAX_CANDIDATES candidates the rest of the document is not divided into items; that
    is said in `warnings`, never silently."""
    candidates = _candidates(lines)
    strong = [c for c in candidates if c.strong]
    if len(strong) >= 2 or (strong and not any(not c.strong for c in candidates)):
        candidates = strong
    if not candidates:
        return []
    if len(candidates) > MAX_CANDIDATES:
        if warnings is not None:
            last = candidates[MAX_CANDIDATES - 1].number
            warnings.append(
                f"dokumentet har {len(candidates):,} mulige punktoverskrifter; kun de første "
                f"{MAX_CANDIDATES:,} (til punkt {last}) er læst som punkter, resten står som "
                "tekst i det sidste punkt".replace(",", ".")
            )
        candidates = candidates[:MAX_CANDIDATES]
    for position, candidate in enumerate(candidates):
        next_index = (
            candidates[position + 1].index if position + 1 < len(candidates) else len(lines)
        )
        candidate.weight = _weigh(candidate, lines, next_index) + (
            STRONG_BONUS if candidate.strong else 0.0
        )
    # Longest-path over candidates with rising numbers, a small cost for skipped numbers.
    best: list[float] = []
    back: list[int] = []
    for j, cj in enumerate(candidates):
        score, link = cj.weight, -1
        for i in range(j):
            ci = candidates[i]
            if ci.number < cj.number and ci.end < cj.index:
                gap = min(cj.number - ci.number - 1, MAX_SKIP)
                value = best[i] + cj.weight - SKIP_COST * gap
                if value > score:
                    score, link = value, i
        best.append(score)
        back.append(link)
    end = max(range(len(candidates)), key=lambda k: (best[k], -k))
    chain: list[Candidate] = []
    while end >= 0:
        chain.append(candidates[end])
        end = back[end]
    chain.reverse()
    # A lone weak candidate with nothing to support it is a numbered line, not an item.
    if len(chain) == 1 and not chain[0].strong and chain[0].weight < LONE_WEAK_MINIMUM:
        return []
    return chain


def title_case_number(raw_title: str) -> tuple[str, str | None]:
    """A case number printed in the heading: `Titel (17/1234)`, `Titel - Sagsnr. 57`."""
    # Without a bracket or the label's letters the pattern cannot match: skip its search, which
    # tries every position of the title.
    lowered = raw_title.lower()
    if "(" not in raw_title and "sag" not in lowered and "nr" not in lowered:
        return raw_title, None
    match = TITLE_CASE_SUFFIX.search(raw_title)
    if not match:
        return raw_title, None
    if match["bare"]:
        value = match["bare"]
        if not any(p.fullmatch(value) for p in CASE_NUMBER_PATTERNS):
            return raw_title, None
        number = value
    else:
        number = find_labelled_case_number(match.group(0))
        if not number:
            return raw_title, None
    return raw_title[: match.start()].rstrip(" -–,"), number
