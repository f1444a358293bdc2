"""What the readers of structured exports share: SBSYS and Acadre XML and their zip packages.

These exports carry the meeting as data (committee, date, items, fields, enclosures), so their
readers need no layout heuristics, only the few conversions collected here: safe XML parsing,
HTML field content to text, decision-slot captions to a deciding body, member names to name
and party. A body's name is `minutes.parsing.bodies`, the municipality
`minutes.parsing.municipality` (`recognise_in_export`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from xml.etree.ElementTree import Element
from xml.etree.ElementTree import ParseError as XMLSyntaxError

from bs4 import BeautifulSoup
from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml.ElementTree import fromstring

from ..bodies import nominative, same_body, unnamed
from ..conventions import find_date, find_time, normalise_case_number
from ..model import Item, ParsedDocument, ParseError

# A publication XML is a few MB at most; far larger is not a meeting export.
MAX_XML_BYTES = 100 * 1024 * 1024


@dataclass(frozen=True)
class Enclosure:
    """An attachment an export lists for an item: its title and where its file may be.

    `references` are the paths and names the export gives for the file (relative path, file
    name), tried in order against the members of a package.
    """

    title: str
    references: tuple[str, ...]


# A structured reader's parse, and per item (in `doc.items` order) the enclosures it lists.
Parsed = tuple[ParsedDocument, list[list[Enclosure]]]


def export_item(number: int, title: str, case_number: str | None, *, closed: bool) -> Item:
    """An item as an export gives it: the title as the export has it, the case number also
    normalised; closed when the export says so (`closed`) or the title starts with "Lukket"."""
    return Item(
        number=number,
        title=title,
        raw_title=title,
        case_number=case_number,
        case_number_normalised=normalise_case_number(case_number) if case_number else None,
        closed=closed or bool(re.match(r"lukket\b", title, re.IGNORECASE)),
    )


# --- XML -----------------------------------------------------------------------------------


def parse_xml(data: bytes) -> Element:
    """The XML's root element, namespaces dropped; DTDs and entities are refused.

    An export from a case system never declares a DTD or entities, while a hostile file uses
    them to expand into gigabytes ("billion laughs") or to read local files and URLs (XXE), so
    any DTD is refused before anything is expanded or fetched.
    """
    if len(data) > MAX_XML_BYTES:
        raise ParseError(f"XML-filen er for stor (over {MAX_XML_BYTES // (1024 * 1024)} MB)")
    try:
        root = fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DTDForbidden as exc:
        raise ParseError(
            "XML-filen har en dokumenttypeerklæring (<!DOCTYPE …>); den læses ikke, da den kan "
            "udvide filen voldsomt eller hente eksterne filer"
        ) from exc
    except EntitiesForbidden as exc:
        raise ParseError(
            "XML-filen erklærer entiteter (<!ENTITY …>); de udvides ikke af sikkerhedshensyn"
        ) from exc
    except ExternalReferenceForbidden as exc:
        raise ParseError(
            "XML-filen henviser til en ekstern fil eller adresse; den hentes ikke"
        ) from exc
    except XMLSyntaxError as exc:
        line, column = getattr(exc, "position", (None, None))
        raise ParseError(f"XML-filen er ikke gyldig XML (kolonne {column})", line=line) from exc
    for element in root.iter():
        if isinstance(element.tag, str) and "}" in element.tag:
            element.tag = element.tag.split("}", 1)[1]
    return root


def text_of(element: Element | None, path: str = "") -> str:
    """The stripped text at `path` under `element` (or of it), empty when absent."""
    if element is None:
        return ""
    if not path:
        return (element.text or "").strip()
    return (element.findtext(path) or "").strip()


def flag(value: str | None) -> bool | None:
    """ "True"/"1"/"ja" → True, "False"/"0"/"nej" → False, anything else → None."""
    lowered = (value or "").strip().lower()
    if lowered in {"true", "1", "ja", "yes"}:
        return True
    if lowered in {"false", "0", "nej", "no"}:
        return False
    return None


# --- HTML field content --------------------------------------------------------------------

_PARAGRAPH_TAGS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "table", "blockquote", "ul"}
_LINE_TAGS = {"li", "tr", "dt", "dd", "ol"}
_ROMAN = (("m", 1000), ("cm", 900), ("d", 500), ("cd", 400), ("c", 100), ("xc", 90))
_ROMAN += (("l", 50), ("xl", 40), ("x", 10), ("ix", 9), ("v", 5), ("iv", 4), ("i", 1))


def _list_marker(kind: str, number: int) -> str:
    if kind in {"a", "lower-alpha", "lower-latin", "A", "upper-alpha", "upper-latin"}:
        letter = chr(ord("a") + (number - 1) % 26)
        return (letter.upper() if kind in {"A", "upper-alpha", "upper-latin"} else letter) + "."
    if kind in {"i", "lower-roman", "I", "upper-roman"}:
        roman, rest = "", number
        for symbol, value in _ROMAN:
            while rest >= value:
                roman, rest = roman + symbol, rest - value
        return (roman.upper() if kind in {"I", "upper-roman"} else roman) + "."
    return f"{number}."


def html_to_plain(markup: str) -> str:
    """Field content (HTML from the case system's editor) as text: a line per list item or
    table row, a blank line between paragraphs, list numbers as the reader sees them."""
    if "<" not in markup and "&" not in markup:
        return _tidy(re.sub(r"\n[ \t]*\n", f"\n{_PARAGRAPH}\n", markup))
    soup = BeautifulSoup(markup, "html.parser")
    for tag in soup(["script", "style"]):
        tag.decompose()
    # As a browser shows it: a run of whitespace in the source is one space; only <br> and
    # block elements break lines.
    for string in soup.find_all(string=True):
        if string.find_parent("pre") is None and re.search(r"\s\s|[\n\t\r]", string):
            string.replace_with(re.sub(r"\s+", " ", str(string)))
    for br in soup.find_all("br"):
        br.replace_with("\n")
    # Browsers number ordered lists (A., B. in SBSYS recommendations); the text must too.
    for listing in soup.find_all(["ol", "ul"]):
        style = re.search(r"list-style-type\s*:\s*([\w-]+)", str(listing.get("style") or ""))
        kind = str(listing.get("type") or (style.group(1) if style else "decimal"))
        start = int(listing.get("start") or 1) if str(listing.get("start") or "1").isdigit() else 1
        for index, entry in enumerate(listing.find_all("li", recursive=False)):
            marker = "•" if listing.name == "ul" else _list_marker(kind, start + index)
            entry.insert(0, f"{marker} ")
    for cell in soup.find_all(["td", "th"]):
        cell.append("\t")
    for tag in soup.find_all(_PARAGRAPH_TAGS | _LINE_TAGS):
        gap = f"\n{_PARAGRAPH}\n" if tag.name in _PARAGRAPH_TAGS else "\n"
        tag.insert_before(gap)
        tag.insert_after(gap)
    return _tidy(soup.get_text())


# Marks a paragraph break until the text is tidied; whitespace-only lines between list items
# or cells are source formatting, not paragraphs.
_PARAGRAPH = "\ue000"  # a private-use character: never in the text, never whitespace


def _tidy(text: str) -> str:
    lines: list[str] = []
    for raw in text.splitlines():
        line = re.sub(r"[ \t\u00a0\u200b]+", " ", raw).strip()
        if line.strip(_PARAGRAPH + " "):
            lines.append(line.replace(_PARAGRAPH, "").strip())
        elif _PARAGRAPH in line and lines and lines[-1]:
            lines.append("")
    return "\n".join(lines).strip()


# A slot the case system fills with a placeholder instead of leaving it empty.
_PLACEHOLDER = re.compile(r"^[\s.\-–]*(?:tomt\s+indhold|intet\s+indhold|ingen)?[\s.\-–]*$", re.I)


def is_placeholder(text: str) -> bool:
    """True for an empty slot or one holding only "Tomt indhold": no decision was written."""
    return not text.strip() or bool(_PLACEHOLDER.match(text))


# --- Decision slots ------------------------------------------------------------------------

# Captions of fields that refer to or frame a decision without being one.
_NOT_DECISION = re.compile(
    r"tidligere|behandlet|træffes|kompetence|historik|indstilling|sagsforløb", re.IGNORECASE
)
# Feedback fields about who took part: notes on the item, not decisions.
_PARTICIPATION = re.compile(
    r"fravær|afbud|deltog|deltagelse|deltagere|til\s*stede|inhabil|bemærkning|protokol|note",
    re.IGNORECASE,
)
_GENERIC_DECISION = re.compile(
    r"(?:beslutning|referat|afgørelse)(?:\s+(?:i|på)\s+(?:udvalget|mødet))?", re.IGNORECASE
)
_GENITIVE_DECISION = re.compile(r"(?P<body>\S.*?)s\s+(?:beslutning|afgørelse)\b", re.IGNORECASE)
_NAMED_DECISION = re.compile(
    r"(?:beslutning|afgørelse)\s+(?:i|fra|af)\s+(?P<body>\S.*)", re.IGNORECASE
)
_DATE_TAIL = re.compile(r"\s+(?:den|d\.)\s+.*$|\s+\d{1,2}[-./]\d{1,2}[-./]\d{2,4}.*$", re.I)


def decision_body(caption: str, committee: str | None, *, feedback: bool = False) -> str | None:
    """The body a decision slot belongs to, in nominative, or None when the field is no slot.

    "KOMMUNALBESTYRELSENS BESLUTNING" → "Kommunalbestyrelsen"; "Beslutning i Økonomiudvalget
    den 10-04-2013" → "Økonomiudvalget"; a bare "Beslutning" (or an unnamed feedback field)
    belongs to the meeting's own committee.
    """
    text = " ".join(caption.split()).strip(" :")
    if text and (_NOT_DECISION.search(text) or _PARTICIPATION.search(text)):
        return None
    if not text or _GENERIC_DECISION.fullmatch(_DATE_TAIL.sub("", text)):
        return (committee or "") if (text or feedback) else None
    match = _GENITIVE_DECISION.match(text) or _NAMED_DECISION.match(text)
    if match:
        body = _DATE_TAIL.sub("", match["body"]).strip(" ,:-")
        if not body or unnamed(body):
            return committee or ""
        return nominative(body, committee)
    return (committee or "") if feedback else None


def own_decision_written(doc: ParsedDocument) -> bool:
    """True when a slot of the meeting's own body, for the meeting day, holds a decision: the
    export is minutes, whatever it calls itself. Decisions of other bodies or earlier meetings
    (an agenda shows them too) do not count."""
    return any(
        same_body(decision.body, doc.committee) and decision.date == doc.date and decision.text
        for item in doc.items
        for decision in item.decisions
    )


# --- Dates, people -------------------------------------------------------------------------

_DMY = re.compile(r"(\d{1,2})[-./](\d{1,2})[-./](\d{4})(?:[ T]+(\d{1,2})[:.](\d{2}))?")
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[ T]+(\d{1,2}):(\d{2}))?")


def parse_when(text: str) -> tuple[date | None, str | None]:
    """A timestamp as exports write it ("15-05-2013 16:30:00", "2013-05-15T16:30:00",
    "27. august 2018 16:00") as a date and an "HH:MM" time; midnight counts as no time."""
    text = text.strip()
    found: tuple[int, int, int, str | None, str | None] | None = None
    match = _ISO.search(text)
    if match:
        found = (int(match[1]), int(match[2]), int(match[3]), match[4], match[5])
    elif match := _DMY.search(text):
        found = (int(match[3]), int(match[2]), int(match[1]), match[4], match[5])
    if found:
        year, month, day, hour, minute = found
        try:
            when = date(year, month, day)
        except ValueError:
            return None, None
        clock = f"{int(hour):02d}:{minute}" if hour is not None and minute is not None else None
        return when, None if clock == "00:00" else clock
    return find_date(text), find_time(text, bare=True)


_PARTY_SUFFIX = re.compile(r"\s*\(([A-ZÆØÅ]{1,3})\)\s*$")


def split_party(name: str) -> tuple[str, str | None]:
    """ "Doris Børger (A)" → ("Doris Børger", "A")."""
    name = " ".join(name.split())
    match = _PARTY_SUFFIX.search(name)
    if match:
        return name[: match.start()].strip(), match.group(1)
    return name, None
