"""One agenda item on a page of its own (eDoc Publishing, Københavns Kommune and others).

Such a page holds ONE item: its number and title as the page's heading (`5. Udbud af
rengøring`, `Punkt 5: …`, or the number in a cell beside the title), the case number, the
item's sections, its decisions and attachments. The meeting it belongs to is named only in the
page's header: the breadcrumb (`Økonomiudvalget › Møde 12.03.2024 › Punkt 5`), the title, a
header block (`Referat - Økonomiudvalget - 12.03.2024`, `Udvalg:`/`Mødedato:` labels). The
parse is one item with `item_page=True`: ingestion adds or updates that item of the meeting.

A page is taken for an item page when it has exactly one item heading, the header names a body
and a date, no list of several items is on it, and something marks it as the item's own page
(the item heading is the page's main heading, the breadcrumb ends with the item, links to the
previous/next item, or an address naming an item).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from bs4 import BeautifulSoup, Tag

from ..bodies import nominative, settle_this_meeting, this_meetings_decision
from ..conventions import (
    classify_outcome,
    find_case_number,
    find_date,
    find_labelled_case_number,
    find_time,
    find_votes,
    normalise_case_number,
)
from ..headings import closed_title
from ..html import (
    EMPTY_BLOCK,
    HEADINGS,
    ITEM_LINK,
    Block,
    attachment_title,
    blocks,
    clean,
    content_root,
    find_municipality,
    is_ui_text,
    parse_html,
    strip_chrome,
)
from ..model import Decision, Item, ParsedDocument, ParseError, Section
from ..vocabulary import BODY_MENTION
from . import Reader, Source

NAME = "item-page-html"

# "Punkt 5: Titel", "Pkt. 5 Titel", "5. Titel", "5 : Titel".
ITEM_HEADING = re.compile(
    r"^(?:(?:dagsordens)?punkt|pkt\.?)\s*(?P<a>\d{1,3})\s*[.:\-–]?\s*(?P<ta>\S.*)$"
    r"|^(?P<b>\d{1,3})\s*(?:\.|\s:|:|\))\s*(?P<tb>\S.*)$",
    re.IGNORECASE,
)
DATE_FIRST = re.compile(
    r"^\d{1,2}\.\s*(?:jan|feb|mar|apr|maj|jun|jul|aug|sep|okt|nov|dec)\w*\b|^\d{1,2}[.-]\d{1,2}[.-]\d{2,4}",
    re.IGNORECASE,
)
# The number alone, in its own element before the title.
BARE_NUMBER = re.compile(r"^(?:(?:dagsordens)?punkt|pkt\.?)?\s*(\d{1,3})\s*[.:]?$", re.I)
MEETING_OF = re.compile(r"\bmødet?\s+(?:i|for)\s+(?P<body>.+?)(?:\s+(?:den|d\.)\s+|,|$)", re.I)
LABEL = re.compile(
    r"^(?P<label>udvalg|forum|mødedato|dato|mødested|sted|tidspunkt|mødetidspunkt)\s*:\s*"
    r"(?P<value>.+)$",
    re.I,
)
BARE_LABEL = re.compile(
    r"^(?:udvalg|forum|mødedato|dato|mødested|sted|tidspunkt|mødetidspunkt)\s*:$", re.I
)
HEADER_NAMES = re.compile(
    r"header|breadcrumb|crumb|meeting|mode|møde|agenda-info|masthead|page-?title", re.I
)
# Site sections that name bodies in general, not the meeting's ("Byråd og udvalg").
GENERIC_BODY = re.compile(
    r"^(?:(?:byråd(?:et)?|kommunalbestyrelsen?)\s+og\s+udvalg\w*|(?:politiske\s+)?udvalg(?:ene)?"
    r"|råd\s+og\s+nævn|udvalg\s+og\s+råd|politik.*)$",
    re.IGNORECASE,
)
SEPARATORS = re.compile(r"\s+[-–|»›>/]\s+|\s*[|»›]\s*")
NEIGHBOUR_LINK = re.compile(r"^(?:«\s*)?(?:forrige|næste)\s+(?:punkt|sag)\b", re.I)
ITEM_ADDRESS = re.compile(r"(?:punkt|item|dagsordenspunkt|agendaitem)[-_/=]?\d", re.I)
CASE_LABEL = re.compile(r"^(?:sags?\s*-?\s*(?:nr|nummer|id)\.?|j\.?\s*nr\.?)\s*:?$", re.I)
ATTACHMENT_HEADING = re.compile(r"^(?:bilag|bilagsliste|vedhæftede filer)\s*:?$", re.I)
# Decision headings: "Beslutning", "Beslutning i Økonomiudvalget den 12.03.2024",
# "Økonomiudvalgets beslutning (i mødet) den 12. marts 2024", each maybe followed by ": text".
DECISION = re.compile(
    r"^(?:(?:beslutning(?:er)?|afgørelse|protokol)(?:\s+(?:i|fra|truffet af)\s+(?P<a>[^:]+?))?"
    r"|(?P<b>[A-ZÆØÅ][^:]{2,80}?s)\s+beslutning(?:er)?(?:\s+(?:i|på)\s+mødet)?)"
    r"(?:,?\s+(?:den|d\.)\s+(?P<date>[^:]+?))?\s*(?::\s*(?P<rest>.*))?$",
    re.IGNORECASE,
)


@dataclass
class _Page:
    heading: Tag
    number: int
    raw_title: str
    header: list[str] = field(default_factory=list)
    marked: bool = False  # something says this is the item's own page


def accepts(source: Source) -> bool:
    if source.kind != "html" or len(source.data) > 3_000_000:
        return False
    page = _analyse(parse_html(source.data))
    if page is None or not page.marked:
        return False
    committee, when, _, _ = _meeting(page.header)
    return committee is not None and when is not None


def read(source: Source, *, municipality: str | None = None) -> ParsedDocument:
    soup = parse_html(source.data)
    page = _analyse(soup)
    if page is None:
        raise ParseError("Siden har ikke netop ét dagsordenspunkt med mødets udvalg og dato")
    committee, when, start, place = _meeting(page.header)
    found_municipality = municipality or find_municipality(soup, committee)
    heading_text = clean(page.heading.get_text(" "))
    strip_chrome(soup)
    root = content_root(soup)
    content = _after_heading(blocks(root), heading_text)
    closed, title = closed_title(page.raw_title)
    item = Item(page.number, title or "Lukket punkt", page.raw_title, closed=closed)
    _read_item(content, item, committee, when)
    kind = _kind(page.header) or ("minutes" if any(d.text for d in item.decisions) else "agenda")
    doc = ParsedDocument(
        kind=kind,
        municipality=found_municipality,
        committee=committee,
        term=None,
        date=when,
        start_time=start,
        location=place,
        items=[item],
        reader=NAME,
        item_page=True,
    )
    if committee is None or when is None:
        doc.warnings.append("sidehovedet nævner ikke mødets udvalg og dato")
    settle_this_meeting(doc)
    decision = this_meetings_decision(item)
    if decision is not None and not item.votes:
        item.votes = find_votes(decision.text)
    return doc


# --- The page ---------------------------------------------------------------------------------


def _analyse(soup: BeautifulSoup) -> _Page | None:
    """The page's one item heading and its header texts, or None when it is no item page."""
    work = BeautifulSoup(str(soup), "html.parser")
    strip_chrome(work)
    found = [h for h in (_item_heading(tag) for tag in work.find_all(HEADINGS)) if h is not None]
    if not found or _item_list(work):
        return None
    # The item is the top heading; numbered headings below it are its own sections.
    top = min(int(h[0].name[1]) for h in found)
    found = [h for h in found if int(h[0].name[1]) == top]
    if len(found) != 1:
        return None
    tag, number, raw_title = found[0]
    heading_text = clean(tag.get_text(" "))
    # The same heading in the page the reader keeps (not the stripped copy).
    original = next(
        (h for h in soup.find_all(tag.name) if clean(h.get_text(" ")) == heading_text), None
    )
    if original is None:
        return None
    neighbours = any(NEIGHBOUR_LINK.match(clean(a.get_text(" "))) for a in soup.find_all("a"))
    addresses = [
        str(tag.get("href") or tag.get("content") or "")
        for tag in soup.find_all(["link", "meta"])
        if "canonical" in (tag.get("rel") or []) or tag.get("property") == "og:url"
    ]
    crumbs = _breadcrumb(soup)
    framed = _framed_texts(soup)
    last_crumb = crumbs[-1] if crumbs else ""
    marked = (
        tag.name == "h1"
        or neighbours
        or bool(last_crumb and (BARE_NUMBER.match(last_crumb) or last_crumb in raw_title))
        or any(ITEM_ADDRESS.search(a) for a in addresses)
    )
    # The page header: the breadcrumb nearest the item first (a site section such as "Byråd
    # og udvalg" comes earlier), the title, header blocks, and what precedes the item heading.
    before: list[str] = []
    for block in blocks(work.body or work):
        if block.text == heading_text:
            break
        before.append(block.text)
    title = [clean(soup.title.get_text(" "))] if soup.title is not None else []
    header = [*reversed(crumbs), *title, *framed, *before]
    texts = [t for t in header if t and len(t) <= 200 and t != heading_text]
    return _Page(original, number, raw_title, texts, marked)


def _item_heading(tag: Tag) -> tuple[Tag, int, str] | None:
    text = clean(tag.get_text(" "))
    if DATE_FIRST.match(text):
        return None  # "12. marts 2024 – Økonomiudvalget" is the meeting, not item 12
    match = ITEM_HEADING.match(text)
    if match:
        return tag, int(match["a"] or match["b"]), (match["ta"] or match["tb"]).strip()
    # The number in its own element before the title: a cell, a span, a preceding label.
    for neighbour in (tag.find_previous_sibling(True), _previous_cell(tag)):
        if neighbour is not None:
            bare = BARE_NUMBER.match(clean(neighbour.get_text(" ")))
            if bare and text:
                return tag, int(bare.group(1)), text
    return None


def _previous_cell(tag: Tag) -> Tag | None:
    cell = tag.find_parent(["td", "th"])
    return cell.find_previous_sibling(["td", "th"]) if cell is not None else None


def _item_list(root: Tag) -> bool:
    """A list or table of several items (a meeting's index page, not one item's page)."""
    for container in root.find_all(["ul", "ol", "table"]):
        entries = container.find_all(["li", "tr"])
        numbered = [e for e in entries if ITEM_LINK.match(clean(e.get_text(" "))) and e.find("a")]
        if len(numbered) >= 2:
            return True
    return False


def _breadcrumb(soup: BeautifulSoup) -> list[str]:
    for tag in soup.find_all(True):
        names = " ".join(tag.get("class") or []) + " " + str(tag.get("id") or "")
        label = str(tag.get("aria-label") or "")
        if re.search(r"breadcrumb|crumb", names, re.I) or re.search(
            r"brødkrumme|breadcrumb", label, re.I
        ):
            items = tag.find_all("li") or tag.find_all(["a", "span"])
            texts = [clean(i.get_text(" ")) for i in items]
            return [t for t in texts if t]
    return []


MENU = re.compile(
    r"(?:^|[-_\s])(?:nav\w*|menu\w*|cookie\w*|consent|share|social|search|skip)", re.I
)


def _framed_texts(soup: BeautifulSoup) -> list[str]:
    """The texts of the page's header blocks (the frame the chrome stripping removes)."""
    # The site's menus sit in its header too ("Byråd og udvalg"); they name no meeting.
    soup = BeautifulSoup(str(soup), "html.parser")
    for tag in list(soup.find_all(True)):
        if getattr(tag, "decomposed", False) or tag.attrs is None:
            continue
        names = " ".join(tag.get("class") or []) + " " + str(tag.get("id") or "")
        if tag.name == "nav" or MENU.search(names) or "crumb" in names.lower():
            tag.decompose()
    texts: list[str] = []
    for tag in soup.find_all(True):
        names = " ".join(tag.get("class") or []) + " " + str(tag.get("id") or "")
        framed = tag.name == "header" or (names.strip() and HEADER_NAMES.search(names))
        if framed and tag.find_parent("header") is None:
            texts += [b.text for b in blocks(tag)]
    return texts


def _meeting(texts: list[str]) -> tuple[str | None, date | None, str | None, str | None]:
    """Body, date, time and place of the meeting, from the header's texts."""
    body = when = start = place = None
    for index, text in enumerate(texts):  # labels first: they say what they are
        label = LABEL.match(text)
        if not label and BARE_LABEL.match(text) and index + 1 < len(texts):
            # The label in one cell, its value in the next.
            label = LABEL.match(f"{text} {texts[index + 1]}")
        if not label:
            continue
        name, value = label["label"].lower(), label["value"]
        if name in {"udvalg", "forum"}:
            body = body or nominative(value)
        elif name in {"mødedato", "dato"}:
            when, start = when or find_date(value), start or find_time(value)
        elif name in {"mødested", "sted"}:
            place = place or value.strip()
        else:
            start = start or find_time(value)
    for text in texts:
        if LABEL.match(text) or BARE_LABEL.match(text) or GENERIC_BODY.match(text):
            continue
        if body is None:
            body = _body_in(text)
        if find_date(text):
            when, start = when or find_date(text), start or find_time(text)
    return body, when, start, place


def _body_in(text: str) -> str | None:
    meeting_of = MEETING_OF.search(text)
    if meeting_of and BODY_MENTION.search(meeting_of["body"]):
        return nominative(meeting_of["body"])
    for part in SEPARATORS.split(text):
        part = clean(
            re.sub(r"^(?:referat|dagsorden)\s*(?:fra|for|til)?\s*[:\-–]?\s*", "", part, flags=re.I)
        )
        if (
            part
            and BODY_MENTION.search(part)
            and not find_date(part)
            and len(part) <= 80
            and not re.search(r"\b(?:dagsordener|referater|kommune)\b", part, re.I)
        ):
            return nominative(part)
    return None


def _kind(texts: list[str]) -> str | None:
    joined = " ".join(texts).lower()
    if re.search(r"\b(?:referat|beslutningsprotokol|protokol)\b", joined):
        return "minutes"
    if re.search(r"\bdagsorden\b", joined):
        return "agenda"
    return None


# --- The item ---------------------------------------------------------------------------------


def _after_heading(content: list[Block], heading: str) -> list[Block]:
    for index, block in enumerate(content):
        if block.text == heading:
            return content[index + 1 :]
    return content


@dataclass
class _Open:
    """The part being read: a section, the attachments, or a decision."""

    kind: str
    heading: str
    body: str | None = None
    when: date | None = None
    lines: list[Block] = field(default_factory=list)


def _read_item(content: list[Block], item: Item, committee: str | None, when: date | None) -> None:
    current = _Open("section", "")
    pending_case_label = False
    for block in content:
        if is_ui_text(block.text):
            continue
        if item.case_number is None and (pending_case_label or not item.sections):
            number = _case_number(block, pending_case_label)
            pending_case_label = bool(CASE_LABEL.match(block.text))
            if number:
                item.case_number = number
                continue
            if pending_case_label:
                continue
        decision = DECISION.match(block.text)
        if decision and (block.is_heading or decision["rest"]) and len(block.text) <= 160:
            body = decision["a"] or decision["b"]
            day = find_date(decision["date"] or "")
            if current.kind == "decision" and not current.lines:
                # "Beslutning" then "Økonomiudvalgets beslutning den …": one decision.
                current.body, current.when = (
                    (nominative(body) if body else current.body),
                    day or current.when,
                )
            else:
                _close(current, item)
                current = _Open(
                    "decision", block.text, nominative(body) if body else committee, day or when
                )
            if decision["rest"]:
                current.lines.append(Block(decision["rest"], block.tag))
            continue
        if block.is_heading:
            _close(current, item)
            kind = "attachments" if ATTACHMENT_HEADING.match(block.text) else "section"
            current = _Open(kind, block.text.rstrip(":"))
            continue
        current.lines.append(block)
    _close(current, item)
    if item.case_number:
        item.case_number_normalised = normalise_case_number(item.case_number)


def _case_number(block: Block, after_label: bool) -> str | None:
    if after_label:
        return find_case_number(block.text)
    labelled = find_labelled_case_number(block.text)
    if labelled:
        return labelled
    bare = find_case_number(block.text)
    # A bare number counts only standing alone, not inside the text.
    return bare if bare and len(block.text) <= len(bare) + 4 else None


def _close(part: _Open, item: Item) -> None:
    lines = [b.text for b in part.lines if not EMPTY_BLOCK.match(b.text)]
    if part.kind == "attachments":
        entries = [b for b in part.lines if b.in_list or b.links]
        item.attachments += [attachment_title(b) for b in entries]
        return
    if part.kind == "decision":
        if not lines or part.body is None:
            return  # an empty decision slot is no decision
        text = " ".join(lines)
        item.decisions.append(Decision(part.body, part.when, classify_outcome(text), False, text))
        return
    if lines:
        item.sections.append(Section(part.heading, "\n".join(lines)))


READER = Reader(NAME, accepts, read)
