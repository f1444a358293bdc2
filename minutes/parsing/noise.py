"""Lines of a document and the noise to drop before reading its structure.

Noise is what a publishing system repeats or adds around the minutes: running page headers and
footers (`Side 3 af 12`, the committee and date again on every page), form feeds, web-page
boilerplate (`Til toppen`, `Hent som PDF`), signature lines and tables of contents.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field


@dataclass(slots=True)
class Line:
    """One line of text; `no` is its 1-based line number, `page` its 1-based page if known."""

    no: int
    page: int | None
    text: str
    # Computed once: the classifiers ask for it many times per line.
    stripped: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.stripped = self.text.strip()


def split_lines(text: str) -> list[Line]:
    """Lines with their numbers; form feeds end a page (pages are known only if there are any)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u00a0", " ").replace("\u2007", " ").replace("\u202f", " ")
    text = _INVISIBLE.sub("", text)
    paged = "\f" in text
    page = 1
    lines: list[Line] = []
    for number, raw in enumerate(text.split("\n"), 1):
        if "\f" not in raw:  # most lines: no page break to split on
            lines.append(Line(number, page if paged else None, raw.rstrip()))
            continue
        parts = raw.split("\f")
        for index, part in enumerate(parts):
            if index:
                page += 1
                lines.append(Line(number, page if paged else None, "\f"))
            cleaned = part.rstrip()
            if cleaned or not index:
                lines.append(Line(number, page if paged else None, cleaned))
    return lines


# Control characters (other than tab, and the line and page breaks split on) and invisible
# characters (soft hyphen, zero-width spaces, BOM) are never content; removed in one pass over
# the whole text.
_INVISIBLE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f\u00ad\u200b\u200c\u200d\ufeff]")


# Lines that are never content, wherever they stand.
PAGE_LINE = re.compile(
    r"^(?:-\s*)?(?:side|page|s\.)\s*\d{1,4}(?:\s*(?:af|/|of|ud af)\s*\d{1,4})?(?:\s*-)?$"
    r"|^-\s*\d{1,4}\s*-$",
    re.IGNORECASE,
)
BOILERPLATE = {
    "til toppen",
    "tilbage til toppen",
    "gå til toppen",
    "til top",
    "hent som pdf",
    "download som pdf",
    "download pdf",
    "hent pdf",
    "kopier link",
    "kopiér link",
    "del",
    "del på facebook",
    "del på linkedin",
    "del på twitter",
    "print",
    "udskriv",
    "udskriv siden",
    "luk",
    "vis mere",
    "vis mindre",
    "vis alle",
    "skjul alle",
    "fold ud",
    "fold sammen",
    "læs mere",
    "gå til indhold",
    "spring til indhold",
    "skip to content",
    "skip to main content",
    "menu",
    "søg",
    "cookies",
    "cookieindstillinger",
    "tilgængelighedserklæring",
    "abonner",
    "abonnér",
    "send til en ven",
    "tilbage",
    "forrige",
    "næste",
    "forrige punkt",
    "næste punkt",
    "del dette punkt",
    "link til punkt",
    "åbn bilag",
    "hent bilag",
    "vis bilag",
}
RULE_LINE = re.compile(r"^[\s_\-–—=.·•*]{3,}$")
# The first characters (lowered) PAGE_LINE and RULE_LINE can open a stripped line with, and
# the longest boilerplate line (lowering never shortens a text, so a longer line is none).
_PAGE_LINE_FIRST = frozenset("-spſ")  # ſ: IGNORECASE matches it for s
_RULE_FIRST = frozenset("_-–—=.·•*")
_LONGEST_BOILERPLATE = max(map(len, BOILERPLATE))


def page_line(stripped: str) -> bool:
    """A page number line (`Side 3 af 12`, `- 4 -`)."""
    return stripped[:1].lower() in _PAGE_LINE_FIRST and bool(PAGE_LINE.match(stripped))


SIGNATURE_HEADING = re.compile(
    r"^(?:underskriftsblad|underskriftsside|underskrifter|underskrift(?:er)?\s*:?|"
    r"underskrevet af|protokollen underskrevet|godkendt og underskrevet)\s*:?\s*$",
    re.IGNORECASE,
)


def _key(text: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", " ", text.strip().lower()))


def drop_noise(lines: list[Line], *, running: bool = True) -> list[Line]:
    """Lines without page numbers, running headers/footers, boilerplate and rule lines.

    `running=False` when the PDF reader already removed running headers by their position.
    """
    if running:
        lines = _drop_running_lines(lines)
    kept: list[Line] = []
    for line in lines:
        stripped = line.stripped
        if line.text == "\f":
            kept.append(line)
            continue
        # Each test only where it can hold (most lines are text): a page line opens with
        # "-", "side", "page" or "s.", a rule line with a rule character, boilerplate is short.
        first = stripped[:1].lower()
        core = stripped.rstrip(" :»›>«‹<")
        if (
            page_line(stripped)
            or (len(core) <= _LONGEST_BOILERPLATE and core.lower() in BOILERPLATE)
            or (first in _RULE_FIRST and RULE_LINE.match(stripped))
        ):
            kept.append(Line(line.no, line.page, ""))
            continue
        kept.append(line)
    return kept


def _pages(lines: list[Line]) -> list[list[int]]:
    pages: list[list[int]] = [[]]
    for index, line in enumerate(lines):
        if line.text == "\f":
            pages.append([])
        else:
            pages[-1].append(index)
    return pages


def _drop_running_lines(lines: list[Line]) -> list[Line]:
    """Blank out text repeated at the same place at the top or bottom of most pages.

    Pages are separated by form feeds; without them, `Side N` lines mark page ends. A line is
    running when its text (digits ignored, so `Side 3` and `Side 4` are one) stands at the same
    rank from the top (or bottom) of at least 60 % of the pages, and of at least two. Matching the
    rank, not just the text, keeps the real header on page 1 ("Referat", the committee) and
    content that merely recurs near page ends (decision headings) safe.
    """
    pages = _pages(lines)
    if len(pages) < 2:
        pages = _pages_by_page_lines(lines)
    if len(pages) < 2:
        return _drop_repeated_footer_lines(lines)
    edge = 4
    counts: dict[tuple[str, str, int], int] = {}
    for page in pages:
        for slot, _index in _edge_slots(lines, page, edge):
            counts[slot] = counts.get(slot, 0) + 1
    threshold = 2 if len(pages) == 2 else max(3, -(-len(pages) * 3 // 5))
    running = {slot for slot, count in counts.items() if count >= threshold and slot[0]}
    if not running:
        return _drop_repeated_footer_lines(lines)
    blank: set[int] = set()
    for page in pages:
        # A header or footer is a block at the page edge: stop at the first line that is not.
        slots = _edge_slots(lines, page, edge)
        for side in ("top", "bottom"):
            for slot, index in (entry for entry in slots if entry[0][1] == side):
                if slot not in running:
                    break
                blank.add(index)
    result = [
        Line(line.no, line.page, "") if index in blank else line for index, line in enumerate(lines)
    ]
    return _drop_repeated_footer_lines(result)


def _edge_slots(
    lines: list[Line], page: list[int], edge: int
) -> list[tuple[tuple[str, str, int], int]]:
    nonblank = [i for i in page if lines[i].stripped]
    slots = [((_key(lines[i].text), "top", rank), i) for rank, i in enumerate(nonblank[:edge])]
    tail = list(reversed(nonblank))[:edge]
    slots += [((_key(lines[i].text), "bottom", rank), i) for rank, i in enumerate(tail)]
    return slots


def _pages_by_page_lines(lines: list[Line]) -> list[list[int]]:
    """Pages of a text export without form feeds, cut after each `Side N` line."""
    marks = [i for i, line in enumerate(lines) if page_line(line.stripped)]
    if len(marks) < 2:
        return [list(range(len(lines)))]
    pages: list[list[int]] = []
    start = 0
    for mark in marks:
        pages.append(list(range(start, mark + 1)))
        start = mark + 1
    pages.append(list(range(start, len(lines))))
    return pages


_FOOTER_WITH_PAGE = re.compile(r"\bside\s+\d{1,4}(?:\s*(?:af|/)\s*\d{1,4})?\s*$", re.IGNORECASE)


def _drop_repeated_footer_lines(lines: list[Line]) -> list[Line]:
    """A line ending in `Side N af M` printed twice or more is a footer, whatever precedes it."""
    # A footer ends in its page number; the regex runs only on lines that do.
    footers = {
        index: _key(line.text)
        for index, line in enumerate(lines)
        if line.stripped[-1:].isdigit() and _FOOTER_WITH_PAGE.search(line.stripped)
    }
    counts = Counter(footers.values())
    repeated = {index for index, key in footers.items() if counts[key] >= 2}
    if not repeated:
        return lines
    return [
        Line(line.no, line.page, "") if index in repeated else line
        for index, line in enumerate(lines)
    ]


# --- Tables of contents --------------------------------------------------------------------

TOC_HEADING = re.compile(
    r"^(?:indholdsfortegnelse|indhold|indholdsliste|oversigt over (?:dagsorden)?punkter"
    r"|dagsordenspunkter|punktoversigt)\s*:?\s*$",
    re.IGNORECASE,
)
# "Godkendelse af dagsorden.....	3", "Meddelelser …… 4", "2. Budget    7"
TOC_LEADER = re.compile(r"(?:\.{4,}|…|\.\s\.\s\.|_{4,})\s*\d*\s*$|\.{3,}\s*\t\s*\d+\s*$")
TOC_PAGE_SUFFIX = re.compile(r"\S\s*(?:\t|\s{3,})\s*\d{1,4}\s*$")


def is_toc_entry(text: str) -> bool:
    return bool(TOC_LEADER.search(text) or TOC_PAGE_SUFFIX.search(text))
