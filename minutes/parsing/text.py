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
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import cache

from .conventions import (
    CASE_LABEL_ANYWHERE,
    CASE_NUMBER_PATTERNS,
    DATE_TOKEN,
    MONTHS,
    OTHER_NUMBER_LABEL,
    WEEKDAYS,
    attendance_notes,
    classify_outcome,
    find_date,
    find_labelled_case_number,
    find_time,
    find_votes,
    normalise_case_number,
)
from .model import (
    Attendee,
    Decision,
    DocumentSection,
    Item,
    ParsedDocument,
    ParseError,
    Section,
)
from .noise import (
    SIGNATURE_HEADING,
    TOC_HEADING,
    TOC_LEADER,
    Line,
    drop_noise,
    is_toc_entry,
    split_lines,
)

SECTION_HEADINGS = {
    h.lower()
    for h in (
        "Baggrund",
        "Resume",
        "Resumé",
        "Sammendrag",
        "Indstilling",
        "Indstillinger",
        "Forslag",
        "Problemstilling",
        "Løsninger",
        "Løsning",
        "Sagsfremstilling",
        "Sagsbeskrivelse",
        "Sagens indhold",
        "Sagens baggrund",
        "Sagens faktiske forhold",
        "Administrationens vurdering",
        "Administrationens indstilling",
        "Forvaltningens indstilling",
        "Vurdering",
        "Forvaltningens vurdering",
        "Økonomi",
        "Økonomiske konsekvenser",
        "Økonomiske konsekvenser og finansiering",
        "Økonomi og finansiering",
        "Økonomi og personale",
        "Bevilling",
        "Strategisk ramme",
        "Videre proces",
        "Høring",
        "Høringssvar",
        "Beslutningskompetence",
        "Beslutningen træffes af",
        "Kompetence",
        "Kompetenceforhold",
        "Oversigt",
        "Lovgrundlag",
        "Retsgrundlag",
        "Lovgivning",
        "Lovgrundlag og fortolkning",
        "Tidsplan",
        "Kommunikation",
        "Bevillingsmæssige konsekvenser",
        "Personalemæssige konsekvenser",
        "Miljømæssige konsekvenser",
        "Sundhedsmæssige konsekvenser",
        "Supplerende oplysninger",
        "Supplerende sagsfremstilling",
        "Politisk behandling",
        "Tidligere beslutninger",
        "Tidligere behandling",
        "Beskrivelse",
        "Formål",
        "Indledning",
        "Konklusion",
        "Direktionens indstilling",
        "Afledte konsekvenser",
        "Handicappolitisk vurdering",
        "Klimavurdering",
        "Klimamæssige konsekvenser",
        "Borgerinddragelse",
        "Sagsgang",
        "Proces",
        "Sagens gang",
        "Begrundelse",
        "Historik",
        "Udvalgets bemærkninger",
        "Bemærkninger",
        "Indhold",
        "Fakta",
        "Udtalelse",
        "Udtalelser",
        "Konsekvenser",
        "Finansiering",
        "Likviditet",
        "Effekt",
        "Tværgående perspektiv",
        "Følgende deltog ikke i behandlingen af punktet",
        "Fraværende under punktet",
        "Inhabilitet",
    )
}
DECISION_HEADINGS = {
    "beslutning",
    "beslutninger",
    "afgørelse",
    "udvalgets beslutning",
    "beslutning i udvalget",
    "beslutningsprotokol",
    "protokol",
    "protokollat",
    "beslutningstekst",
}
ATTACHMENT_HEADINGS = {
    "bilag",
    "bilagsliste",
    "bilagsfortegnelse",
    "vedhæftede bilag",
    "vedhæftede filer",
    "vedlagte bilag",
    "bilag til punktet",
    "udsendte bilag",
}
# Every decision/attachment heading (the sets above, and the "Beslutning i X den …" and
# "Bilag: …" forms) contains one of these; most lines contain none and skip the regexes.
DECISION_WORDS = ("beslut", "afgør", "protokol")
ATTACHMENT_WORDS = ("bilag", "vedhæft")
SIGNATURE_TITLES = {
    "underskriftsblad",
    "underskrift af protokol",
    "underskrifter",
    "underskriftsside",
}

_DATE = DATE_TOKEN.pattern.replace("(?P<date>", "(?:")
# Item headings. Strong: "Punkt 5: …", "Pkt. 5 …", "Dagsordenspunkt 5". Weak: "5. …", "5 : …".
ITEM_HEADING = re.compile(
    r"^(?:dagsordens?punkt|punkt|pkt\.?)\s*(?:nr\.?\s*)?(?P<number>\d{1,4})\b\s*"
    r"(?P<sep>[:.)\-–]?)\s*(?P<title>.*)$",
    re.IGNORECASE,
)
WEAK_HEADING = re.compile(r"^(?P<number>\d{1,4})(?:\.|\s+:|:)[\t ]+(?P<title>\S.*)$")
BARE_NUMBER = re.compile(r"^(?P<number>\d{1,4})(?P<dot>\.?)$")
SUB_ITEM = re.compile(r"^(?P<letter>[a-zæøå])\.(?:[\t ]+(?P<title>\S.*))?$")
CLOSED_PART = re.compile(
    r"^(?:lukket (?:referat|dagsorden|møde|del|punkt(?:er)?)|lukkede (?:punkter|sager)"
    r"|punkter på lukket dagsorden)\s*:?$",
    re.IGNORECASE,
)
OPEN_PART = re.compile(
    r"^(?:åbent? (?:referat|dagsorden|møde|del|punkt(?:er)?)|åbne (?:punkter|sager)"
    r"|punkter på åben dagsorden)\s*:?$",
    re.IGNORECASE,
)
CLOSED_TITLE = re.compile(r"^\s*(?:\(?lukket(?:\s+(?:punkt|sag))?\)?\s*(?:[:\-–]\s*|$))", re.I)

# "Beslutning Arbejdsmarkedsudvalget den 02-06-2021", "Beslutning i Byrådet den 5. maj 2020".
DATED_DECISION = re.compile(
    r"^(?:Beslutning(?:er)?|Afgørelse|Protokol)\s+(?:i\s+|fra\s+|truffet af\s+|for\s+)?"
    r"(?P<body>.+?),?\s+(?:den|d\.)\s+(?P<date>.+)$",
    re.IGNORECASE,
)
DECISION_PREFIX = re.compile(
    r"^(?:Beslutning(?:er)?|Afgørelse|Protokol)\s+(?:i\s+|fra\s+|truffet af\s+|taget af\s+|for\s+)?"
    r"(?P<rest>.+)$",
    re.IGNORECASE,
)
# "<Udvalg>s beslutning den 12.03.2014", "Udvalgets beslutning".
GENITIVE_DECISION = re.compile(
    r"^(?P<body>.+?)s\s+(?:beslutning|afgørelse)(?:\s+(?:den|d\.)\s+(?P<date>.+?))?"
    r"(?:\s+(?:pkt\.?|punkt)\s*\d+)?\s*:?$",
    re.IGNORECASE,
)
# Under a plain "Beslutning" heading: "Teknikudvalget, den 29. oktober 2024",
# "Økonomiudvalget, 3. maj 2021, pkt. 18:".
BODY_DATE_LINE = re.compile(
    r"^(?P<body>[A-ZÆØÅ][^,:]{2,80}),\s+(?:den\s+|d\.\s+)?(?P<date>.+?)\s*:?$"
)
# The same without a comma needs "den": "Økonomiudvalget den 12. maj 2021".
BODY_DEN_LINE = re.compile(r"^(?P<body>[A-ZÆØÅ][^,:]{2,80}?)\s+(?:den|d\.)\s+(?P<date>.+?)\s*:?$")
_DATE_ONLY = re.compile(
    rf"^(?:(?:{WEEKDAYS})\s+)?(?:den\s+|d\.\s*)?(?:{_DATE})(?:\s*,?\s*kl\.?\s*\d{{1,2}}(?:[.:]\d{{2}})?)?"
    r"(?:\s*,?\s*(?:pkt\.?|punkt)\s*\d+)?\s*[:.]?$",
    re.IGNORECASE,
)
BODY_WORD = re.compile(
    r"(?:udvalg(?:et)?|råd(?:et)?|bestyrelse(?:n)?|byråd(?:et)?|direktion(?:en)?|forsamling(?:en)?"
    r"|borgerrepræsentation(?:en)?|nævn(?:et)?|komit[eé](?:en)?|forum|kollegi(?:et|um)?|udvalg)$",
    re.IGNORECASE,
)
ROUTING_PREFIX = re.compile(r"^[A-ZÆØÅ]\s*-\s*(?=\S)")
CODES_SUFFIX = re.compile(r"\s*-\s*(?:[A-ZÆØÅ]{2,6})(?:\s*,\s*[A-ZÆØÅ]{2,6})*\s*$")
KIND_SUFFIX = re.compile(
    r"\s*\((?:Beslutning|Orientering|Drøftelse|Godkendelse|Til beslutning|Til orientering"
    r"|Til drøftelse|Til godkendelse|Beslutningssag|Orienteringssag|Drøftelsessag|Anbefaling)\)\s*$",
    re.IGNORECASE,
)
TITLE_CASE_SUFFIX = re.compile(
    r"\s*(?:[-–,]\s*)?\(?\s*(?:sags?\s*nr\.?|sagsnummer|sag\s+nr\.?|sagnr\.?|j\.?\s*nr\.?)\s*[:.]?\s*"
    r"[\w./\-–]+\s*\)?\s*$|\s*[-–]?\s*\(\s*(?P<bare>[\w./\-–]+)\s*\)\s*$",
    re.IGNORECASE,
)
_CONNECTOR_END = re.compile(
    r"(?:\s(?:og|i|for|til|af|på|med|om|fra|ved|samt|eller|der|som|vedr\.?|mellem|efter|under)"
    r"|[-–,])$",
    re.IGNORECASE,
)


def clean_title(raw: str) -> str:
    """The title without routing letter, committee codes or kind marker."""
    title = KIND_SUFFIX.sub("", raw.strip())
    title = ROUTING_PREFIX.sub("", title)
    previous = None
    while previous != title:
        previous = title
        title = CODES_SUFFIX.sub("", title).strip()
        title = KIND_SUFFIX.sub("", title).strip()
    return title.strip(" -–") or raw.strip()


# --- Line classifiers ----------------------------------------------------------------------


_SPACES = re.compile(r"\s+")
# No heading is longer than this; body paragraphs (often thousands of characters) skip the work.
_MAX_HEADING = 160


def _canon(stripped: str) -> str:
    if len(stripped) > _MAX_HEADING:
        return ""
    return _SPACES.sub(" ", stripped.strip().rstrip(":").strip()).lower()


def section_heading(stripped: str) -> tuple[str, str] | None:
    """(heading as printed, text after a colon) if the line is a known section heading."""
    if _canon(stripped) in SECTION_HEADINGS:
        return stripped.strip().rstrip(":").strip(), ""
    match = re.match(r"^([^:]{3,60}):\s*(\S.*)$", stripped)
    if match and _canon(match[1]) in SECTION_HEADINGS:
        return match[1].strip(), match[2].strip()
    return None


def attachment_heading(stripped: str) -> tuple[bool, str]:
    lowered = stripped.lower()
    if not any(word in lowered for word in ATTACHMENT_WORDS):
        return False, ""
    if _canon(stripped) in ATTACHMENT_HEADINGS:
        return True, ""
    match = re.match(r"^(bilag|bilagsliste)\s*:\s*(\S.*)$", stripped, re.IGNORECASE)
    if match:
        return True, match[2].strip()
    return False, ""


@dataclass
class _DecisionHead:
    body: str | None  # None: this meeting's body (a bare "Beslutning" heading)
    date_text: str | None
    rest: str = ""


def decision_heading(stripped: str) -> _DecisionHead | None:
    lowered = stripped.lower()
    if not any(word in lowered for word in DECISION_WORDS):
        return None
    canon = _canon(stripped)
    if canon in DECISION_HEADINGS:
        return _DecisionHead(None, None)
    match = re.match(r"^(beslutning(?:er)?|afgørelse)\s*:\s*(\S.*)$", stripped, re.IGNORECASE)
    if match and not DATE_TOKEN.match(match[2]):
        return _DecisionHead(None, None, match[2].strip())
    prefixed = DECISION_PREFIX.match(stripped)
    if prefixed:
        # "Beslutning i X den 5. maj 2020", "Beslutning fra X, 12. maj 2022", "Beslutning X 14-03-2023"
        rest = prefixed["rest"]
        found = DATE_TOKEN.search(rest)
        if found:
            body = re.sub(
                rf"[\s,]*(?:\b(?:den|d\.)\s*)?(?:\b(?:{WEEKDAYS})\s*)?[\s,]*$",
                "",
                rest[: found.start()],
                flags=re.IGNORECASE,
            ).strip()
            date_part, after = _split_date(rest[found.start() :])
            if date_part and re.match(r"^[A-ZÆØÅ]", body) and len(body) <= 90:
                return _DecisionHead(body, date_part, after)
    genitive = GENITIVE_DECISION.match(stripped)
    if genitive and len(genitive["body"]) <= 90:
        body = genitive["body"]
        if genitive["date"]:
            date_part, rest = _split_date(genitive["date"])
            if not date_part or rest:
                return None
            return _DecisionHead(body, date_part)
        if re.fullmatch(r"(?:udvalget|[\w\-]+(?:udvalget|rådet|bestyrelsen|byrådet))", body, re.I):
            return _DecisionHead(body, None)
    return None


def _split_date(text: str) -> tuple[str | None, str]:
    """The date at the start of `text` and anything after it (a `Punkt 1`, a colon, text)."""
    match = re.match(
        rf"^\s*(?:(?:{WEEKDAYS})\s+)?(?:den\s+|d\.\s*)?(?P<date>{_DATE})"
        r"(?:\s*,?\s*kl\.?\s*\d{1,2}(?:[.:]\d{2})?)?"
        r"(?:\s*,?\s*(?:pkt\.?|punkt)\s*\d+)?\s*[:.]?\s*(?P<rest>.*)$",
        text,
        re.IGNORECASE,
    )
    if not match:
        return None, text
    return match["date"], match["rest"].strip()


def body_date_line(stripped: str) -> tuple[str, str] | None:
    """(body, date) for a `Teknikudvalget, den 29. oktober 2024` line under a decision heading."""
    if len(stripped) > 140:
        return None
    match = BODY_DATE_LINE.match(stripped)
    has_comma = True
    if not match or not _DATE_ONLY.match(match["date"].strip()):
        match = BODY_DEN_LINE.match(stripped)
        has_comma = False
        if not match or not _DATE_ONLY.match(match["date"].strip()):
            return None
    body = match["body"].strip()
    if not has_comma and not BODY_WORD.search(body.split()[-1] if body.split() else ""):
        return None
    if len(body.split()) > 8:
        return None
    return body, match["date"]


def _case_line(stripped: str) -> str | None:
    """The case number of a line that is only a case number, labelled or bare."""
    if not stripped or len(stripped) > 120:
        return None
    if OTHER_NUMBER_LABEL.match(stripped):
        labelled = find_labelled_case_number(stripped)
        return labelled
    labelled = find_labelled_case_number(stripped)
    if labelled and CASE_LABEL_ANYWHERE.match(stripped):
        return labelled
    for pattern in CASE_NUMBER_PATTERNS:
        match = pattern.search(stripped)
        if match:
            rest = (stripped[: match.start()] + stripped[match.end() :]).strip(" \t-–,;.()")
            if len(rest) <= 12 and not re.search(r"[a-zæøå]{4,}", rest):
                return re.sub(r"\s+", "", match.group(0))
            return None
    return None


_META_LABEL = re.compile(
    r"^(?:dok(?:ument)?\.?\s*-?\s*(?:nr|nummer|id)|akt[-\s]?(?:id|nr)|sagsansvarlig|sagsbehandler"
    r"|forfatter|ansvarlig|sagstype|åben sag|lukket sag|emne|kle|journalnummer|j\.\s*nr"
    r"|sags?\s*-?\s*(?:nr|nummer|id)|sag\s+nr|sagnr|dagsordenspunkt(?:ets)? id|punkt-?id"
    r"|dato for behandling|behandlet|udvalg|ref\.?|dok\.?id)\b\.?\s*[:.]?",
    re.IGNORECASE,
)


def _is_meta(stripped: str) -> bool:
    return bool(_META_LABEL.match(stripped)) and len(stripped) <= 120


# --- Header --------------------------------------------------------------------------------

KIND_WORDS = (
    r"dagsorden og referat|referat og beslutninger|udskrift af beslutningsprotokol"
    r"|beslutningsprotokol|beslutningsreferat|mødereferat|tillægsdagsorden|mødeindkaldelse"
    r"|referat|dagsorden|protokol"
)
KIND_LINE = re.compile(
    rf"^(?:(?:åben|åbent|offentlig|offentligt|endelig|endeligt|godkendt|samlet|lukket)\s+)?"
    rf"(?P<kind>{KIND_WORDS})\b\s*[:\-–]?\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
KIND_AFTER_BODY = re.compile(
    rf"^(?P<body>[A-ZÆØÅ][^\t]{{2,80}}?)\s*[-–,:|]\s*(?:åbent?\s+)?(?P<kind>{KIND_WORDS})\b"
    r"\s*[-–,:]?\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
TERM = re.compile(r"\(?\b(?P<a>(?:19|20)\d{2})\s*[-–/]\s*(?P<b>(?:19|20)?\d{2})\b\)?")

FIELD_LABELS: tuple[tuple[str, str], ...] = (
    # (label pattern, field)
    ("afbud\\s*/\\s*fraværende|fraværende\\s*/\\s*afbud", "absent"),
    (
        "fraværende med afbud|fraværende uden afbud|meddelt afbud|afbud|fraværende|fravær"
        "|ikke til stede|ikke mødt|forfald|deltog ikke|ikke deltagende",
        "absent",
    ),
    ("stedfortrædere|stedfortræder|suppleanter|suppleant|indkaldt stedfortræder", "substitute"),
    (
        "mødedeltagere|deltagere|til stede var|tilstede|til stede|medlemmer|fremmødte|deltog",
        "present",
    ),
    (
        "mødesekretær|sekretær|referent|protokolfører|fra administrationen|fra forvaltningen"
        "|desuden deltog|øvrige deltagere|embedsmænd|administrationen",
        "staff",
    ),
    (
        "mødedato og -tidspunkt|mødedato og tid|mødedato|dato og tid|dato og tidspunkt|mødedag|dato",
        "date",
    ),
    ("mødetidspunkt|starttidspunkt|mødestart|tidspunkt|klokken|tid|start", "time"),
    ("sluttidspunkt|mødeslut|mødet slut|mødet sluttede|mødet hævet|afsluttet|slut", "end"),
    ("mødested|mødelokale|lokation|adresse|lokale|sted", "location"),
    ("mødeforum|udvalg|forum|organ|møde", "committee"),
)
_FIELD_RE = [
    (re.compile(rf"^(?P<label>{labels})(?![\wæøå])\s*(?:[:.]\s*)?(?P<value>.*)$", re.I), name)
    for labels, name in FIELD_LABELS
]
LIST_FIELDS = {"present", "absent", "substitute", "staff"}
ROLE_WORDS = re.compile(
    r"^(?:formand|næstformand|borgmester|viceborgmester|udvalgsformand|medlem|sekretær"
    r"|referent|direktør|kommunaldirektør|chef|centerchef|formand for [\w\s-]+)$",
    re.IGNORECASE,
)
ALL_PRESENT = re.compile(
    r"\balle\s+(?:var\s+)?(?:mødt|til stede|fremmødt|deltog)|\bingen\s+afbud\b", re.I
)


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
class _Header:
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
    text = text.strip(" \t,.:;-–()")
    if not text or not re.match(r"[A-ZÆØÅ]", text) or len(text) > 100:
        return None, term
    return text, term


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


def parse_header(lines: list[Line]) -> _Header:
    header = _Header()
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
                if _field(nxt) or not _people_line(nxt):
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
            if not body_first or not BODY_WORD.search(body_first["body"].split()[-1]):
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
            header.attendance.extend(_people(values, name, labels.get(name, "")))
    return header


_NAME_TOKEN = re.compile(r"^(?:[A-ZÆØÅ][\w'’.\-]*|la|von|de|van|af|du|le|der|den)(?:$)", re.UNICODE)


def _looks_like_name(text: str) -> bool:
    text = re.sub(r"\([^)]*\)", "", text).strip(" ,.-–")
    words = text.split()
    if not words or len(words) > 7 or len(text) > 70 or re.search(r"\d", text):
        return False
    if not re.match(r"^[A-ZÆØÅ]", words[0]):
        return False
    return all(_NAME_TOKEN.match(word) for word in words)


def _people_line(text: str) -> bool:
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


_STATUS_MARK = re.compile(
    r"\((?P<mark>afbud|fraværende|fravær|syg|forfald|ikke til stede|suppleant|stedfortræder"
    r"|stedfortræder for [^)]*|deltog ikke[^)]*|deltog fra[^)]*|til og med[^)]*|fra punkt[^)]*)\)",
    re.IGNORECASE,
)


def _strip_person(raw: str) -> tuple[str, str | None, str | None, str | None]:
    """(name, party, status mark, role) of one list entry such as `Lolan Ottesen (A) - formand`."""
    text = raw.strip(" ,.;")
    mark = None
    status = _STATUS_MARK.search(text)
    if status:
        mark = status["mark"]
        text = (text[: status.start()] + text[status.end() :]).strip()
    role = None
    role_match = re.search(r"\s+[-–]\s+(?P<role>[a-zæøå][\wæøå ,.-]*)$", text)
    if role_match:
        role = role_match["role"].strip()
        text = text[: role_match.start()].strip()
    prefix_role = re.match(r"^(?P<role>formand|næstformand|borgmester)\s*:\s*", text, re.I)
    if prefix_role:
        role = prefix_role["role"].lower()
        text = text[prefix_role.end() :]
    party = None
    party_match = re.search(r"\s*\((?P<party>[A-ZÆØÅ]{1,3})\)", text)
    if party_match:
        party = party_match["party"]
        text = (text[: party_match.start()] + text[party_match.end() :]).strip()
    return re.sub(r"\s+", " ", text).strip(" ,.-–"), party, mark, role


def _people(values: list[str], field_name: str, label: str) -> list[Attendee]:
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


# --- Items ---------------------------------------------------------------------------------


@dataclass
class _Candidate:
    index: int  # line index of the heading
    number: int
    raw_title: str
    end: int  # index of the last line that belongs to the heading
    strong: bool
    weight: float = 1.0


def _title_after(lines: list[Line], start: int, limit: int = 3) -> tuple[str, int] | None:
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
        if not re.match(r"^[A-ZÆØÅ\"”“'«]", text) or _structural(text) or _case_line(text):
            return None
        return text, index
    return None


def _structural(text: str) -> bool:
    return bool(
        section_heading(text)
        or decision_heading(text)
        or attachment_heading(text)[0]
        or ITEM_HEADING.match(text)
        or WEAK_HEADING.match(text)
        or _is_meta(text)
    )


def _continue_title(lines: list[Line], title: str, end: int) -> tuple[str, int]:
    """Join a title wrapped over the next line(s); PDFs may leave a blank line in between."""
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
        if len(text) > 140 or _structural(text) or _case_line(text) or SUB_ITEM.match(text):
            break
        wraps = re.match(r"^[a-zæøå(]", text) or _CONNECTOR_END.search(title)
        if not wraps or (blanks and not re.match(r"^[a-zæøå]", text)):
            break
        joiner = "" if title.endswith("-") and re.match(r"^[a-zæøå]", text) else " "
        if title.endswith(("-", "–")) and not re.search(r"\s[-–]$", title):
            joiner = ""
        title = f"{title}{joiner}{text}"
        end = index
    return title, end


def _candidates(lines: list[Line]) -> list[_Candidate]:
    found: list[_Candidate] = []
    for index, line in enumerate(lines):
        text = line.stripped
        if not text or text == "\f" or len(text) > 300:
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
                after = _title_after(lines, index + 1)
                if after:
                    title, end = after
            title, end = _continue_title(lines, title, end)
            found.append(_Candidate(index, int(strong["number"]), title, end, True))
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
            found.append(_Candidate(index, int(weak["number"]), title, end, False))
            continue
        bare = BARE_NUMBER.match(text)
        if bare:
            after = _title_after(lines, index + 1)
            if after is None:
                continue
            title, end = after
            if re.match(rf"^(?:{MONTHS})\b", title, re.I) or len(title) > 250:
                continue
            title, end = _continue_title(lines, title, end)
            candidate = _Candidate(index, int(bare["number"]), title, end, False)
            candidate.weight = 0.5 if bare["dot"] else 0.3
            found.append(candidate)
    return found


def _weigh(candidate: _Candidate, lines: list[Line], next_index: int) -> float:
    """How sure we are that a candidate is an item heading, from what follows it."""
    if CLOSED_TITLE.match(candidate.raw_title) or _title_case_number(candidate.raw_title)[1]:
        return 10.0
    following = [
        lines[i].stripped
        for i in range(candidate.end + 1, min(next_index, candidate.end + 60, len(lines)))
        if lines[i].stripped and lines[i].text != "\f"
    ]
    for text in following[:4]:
        if _case_line(text) and not OTHER_NUMBER_LABEL.match(text):
            return 10.0
        if not _is_meta(text):
            break
    before = [
        lines[i].stripped
        for i in range(max(0, candidate.index - 3), candidate.index)
        if lines[i].stripped
    ]
    if before and find_labelled_case_number(before[-1]) and len(before[-1]) < 60:
        return 8.0
    for position, text in enumerate(following[:3]):
        if section_heading(text) or decision_heading(text) or attachment_heading(text)[0]:
            return 6.0 if position < 2 else 3.0
    if any(
        section_heading(t) or decision_heading(t) or attachment_heading(t)[0] for t in following
    ):
        return 2.0
    return candidate.weight


def choose_items(lines: list[Line]) -> list[_Candidate]:
    """The item headings: the rising chain of candidates best supported by what follows them."""
    candidates = _candidates(lines)
    strong = [c for c in candidates if c.strong]
    if len(strong) >= 2 or (strong and not any(not c.strong for c in candidates)):
        candidates = strong
    if not candidates:
        return []
    if len(candidates) > 1500:
        candidates = candidates[:1500]
    for position, candidate in enumerate(candidates):
        next_index = (
            candidates[position + 1].index if position + 1 < len(candidates) else len(lines)
        )
        candidate.weight = _weigh(candidate, lines, next_index) + (5.0 if candidate.strong else 0.0)
    # Longest-path over candidates with rising numbers, a small cost for skipped numbers.
    best: list[float] = []
    back: list[int] = []
    for j, cj in enumerate(candidates):
        score, link = cj.weight, -1
        for i in range(j):
            ci = candidates[i]
            if ci.number < cj.number and ci.end < cj.index:
                gap = min(cj.number - ci.number - 1, 10)
                value = best[i] + cj.weight - 0.3 * gap
                if value > score:
                    score, link = value, i
        best.append(score)
        back.append(link)
    end = max(range(len(candidates)), key=lambda k: (best[k], -k))
    chain: list[_Candidate] = []
    while end >= 0:
        chain.append(candidates[end])
        end = back[end]
    chain.reverse()
    # A lone weak candidate with nothing to support it is a numbered line, not an item.
    if len(chain) == 1 and not chain[0].strong and chain[0].weight < 2:
        return []
    return chain


def _title_case_number(raw_title: str) -> tuple[str, str | None]:
    """A case number printed in the heading: `Titel (17/1234)`, `Titel - Sagsnr. 57`."""
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


# --- TOC -----------------------------------------------------------------------------------


def drop_toc(lines: list[Line]) -> list[Line]:
    """Blank out tables of contents: dotted-leader lines, and the block under a TOC heading up to
    where the entries end (after leader lines) or the item numbering starts again."""
    leaders = {index for index, line in enumerate(lines) if _toc_leader_line(line)}
    result = [
        Line(line.no, line.page, "") if i in leaders else line for i, line in enumerate(lines)
    ]
    for start, line in enumerate(result):
        if not TOC_HEADING.match(line.stripped):
            continue
        seen_numbers: set[int] = set()
        stop = None
        leader_seen = False
        for index in range(start + 1, len(result)):
            text = result[index].stripped
            if index in leaders:
                leader_seen = True
                continue
            if not text or text == "\f":
                continue
            if leader_seen and not is_toc_entry(text) and not CLOSED_PART.match(text):
                # Entries with dotted leaders are over: the first other line is the body.
                stop = index
                break
            if ITEM_HEADING.match(text):
                # TOCs list titles (seed style) or "N. Titel"; a "Punkt N" heading is the body.
                stop = index
                break
            weak = WEAK_HEADING.match(text)
            bare = BARE_NUMBER.match(text)
            if bare and _title_after(result, index + 1) is None:
                bare = None
            number = int((weak or bare)["number"]) if (weak or bare) else None
            if number is not None and number in seen_numbers:
                stop = index
                break
            if number is not None:
                seen_numbers.add(number)
            if index - start > 400:
                break
        if stop is None:
            # Nothing restarts: a list of items, not a table of contents. Only the heading goes.
            result[start] = Line(line.no, line.page, "")
            continue
        for index in range(start, stop):
            if result[index].text != "\f":
                result[index] = Line(result[index].no, result[index].page, "")
        break
    return result


def _toc_leader_line(line: Line) -> bool:
    text = line.stripped
    # The cheap test first: TOC_LEADER needs dot leaders, an ellipsis or underscores.
    if len(text) >= 250 or not ("." in text or "…" in text or "_" in text):
        return False
    return bool(TOC_LEADER.search(text))


# --- Glued headings ------------------------------------------------------------------------

_GLUED = re.compile(
    r"^(?P<head>Beslutning|Beslutninger|Indstilling|Sagsfremstilling|Baggrund|Resume|Resumé"
    r"|Sammendrag|Bilag|Økonomi|Vurdering|Høring|Afgørelse|BESLUTNING|INDSTILLING"
    r"|SAGSFREMSTILLING|BAGGRUND|BILAG)(?P<rest>[A-ZÆØÅ][a-zæøå].*)$"
)


def _unglue(lines: list[Line]) -> list[Line]:
    """`BeslutningGodkendt.` (a heading glued to its text by an export) becomes two lines."""
    result: list[Line] = []
    for line in lines:
        match = _GLUED.match(line.stripped)
        if match:
            result.append(Line(line.no, line.page, match["head"]))
            result.append(Line(line.no, line.page, match["rest"]))
        else:
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
    text: str, *, municipality: str | None = None, from_pdf: bool = False
) -> ParsedDocument:
    lines = split_lines(text)
    if not any(line.stripped and line.text != "\f" for line in lines):
        raise ParseError("Filen er tom")
    lines = drop_noise(lines, running=not from_pdf)
    lines = _unglue(lines)
    lines = drop_toc(lines)
    lines = _mend_page_breaks(lines)
    chain = choose_items(lines)
    header_end = chain[0].index if chain else min(len(lines), 120)
    header = parse_header(lines[:header_end])

    evidence = sum(1 for c in chain if c.weight >= 6)
    if header.kind is None and (not chain or evidence < 2):
        return _parse_document(lines, municipality=municipality, text=text)

    if header.kind in {"dagsorden", "tillægsdagsorden", "mødeindkaldelse"}:
        kind = "agenda"
    else:
        kind = "minutes"
    doc = ParsedDocument(
        kind=kind,  # type: ignore[arg-type]
        municipality=municipality or recognise_municipality(lines),
        committee=header.committee,
        term=header.term,
        date=header.date,
        start_time=header.start_time,
        location=header.location,
        attendance=_dedupe(header.attendance),
    )
    if header.kind is None:
        doc.warnings.append("ingen overskrift med 'Referat' eller 'Dagsorden' fundet")
    if doc.committee is None:
        doc.warnings.append("udvalget kunne ikke findes i overskriften")
    if doc.date is None:
        doc.warnings.append("mødedatoen kunne ikke findes i overskriften")
    if not chain:
        doc.warnings.append("ingen dagsordenspunkter fundet")

    closed_part = _closed_parts(lines)
    bodies = [
        lines[c.end + 1 : chain[k + 1].index if k + 1 < len(chain) else len(lines)]
        for k, c in enumerate(chain)
    ]
    # Case numbers printed just before a heading belong to that item, not to the one above;
    # claim them first so the item above does not keep them as text.
    claimed: set[int] = set()
    before: dict[int, str] = {}
    for candidate, body in zip(chain, bodies, strict=True):
        if _title_case_number(candidate.raw_title)[1] is None and _metadata_case(body) is None:
            found = _case_number_before(candidate, lines, claimed)
            if found:
                before[candidate.index] = found
    for candidate, body in zip(chain, bodies, strict=True):
        item = _parse_item(
            candidate, body, before.get(candidate.index), claimed, doc, closed_part[candidate.index]
        )
        doc.items.append(item)
    _settle_this_meeting(doc)
    if doc.kind == "agenda" and any(d.this_meeting for i in doc.items for d in i.decisions):
        # "Dagsorden" over minutes with this meeting's decisions: the decisions are real.
        doc.kind = "minutes"
        doc.warnings.append("overskriften siger dagsorden, men punkterne har mødets beslutninger")
        _settle_this_meeting(doc)
    _apply_attendance_notes(doc, header.text)
    return doc


def _closed_parts(lines: list[Line]) -> list[bool]:
    closed = False
    marks: list[bool] = []
    for line in lines:
        if CLOSED_PART.match(line.stripped):
            closed = True
        elif OPEN_PART.match(line.stripped):
            closed = False
        marks.append(closed)
    return marks


AUTHORITY_MENTION = re.compile(
    r"\b(?:Region (?:Hovedstaden|Sjælland|Syddanmark|Midtjylland|Nordjylland)"
    r"|Bornholms Regionskommune|[A-ZÆØÅ][\w\-]+(?:[ -][A-ZÆØÅ][\w\-]+)? Kommune)\b"
)


@cache
def _authority_names() -> frozenset[str]:
    from minutes.data.municipalities import MUNICIPALITIES

    return frozenset(a.name for a in MUNICIPALITIES)


def recognise_municipality(lines: list[Line]) -> str | None:
    """The municipality or region the text names most, preferring its first lines."""
    names = _authority_names()
    counts: dict[str, int] = {}
    for position, line in enumerate(lines):
        if "Kommune" not in line.text and "Region" not in line.text:
            continue
        for match in AUTHORITY_MENTION.finditer(line.text):
            name = match.group(0)
            if name in names:
                if position < 40:
                    return name
                counts[name] = counts.get(name, 0) + 1
    if counts:
        name, count = max(counts.items(), key=lambda kv: kv[1])
        if count >= 2:
            return name
    return None


def _dedupe(people: list[Attendee]) -> list[Attendee]:
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


# --- One item ------------------------------------------------------------------------------


def _metadata_case(body: list[Line]) -> str | None:
    seen = 0
    for line in body:
        text = line.stripped
        if not text or text == "\f":
            continue
        seen += 1
        if seen > 6:
            return None
        found = _case_line(text)
        if found and not OTHER_NUMBER_LABEL.match(text):
            return found
        if not (_is_meta(text) or OTHER_NUMBER_LABEL.match(text)):
            return None
    return None


def _parse_item(
    candidate: _Candidate,
    body: list[Line],
    case_before: str | None,
    claimed: set[int],
    doc: ParsedDocument,
    in_closed_part: bool,
) -> Item:
    raw_title = re.sub(r"\s+", " ", candidate.raw_title).strip()
    title_text, title_case = _title_case_number(raw_title)
    closed = in_closed_part
    closed_match = CLOSED_TITLE.match(title_text)
    if closed_match or re.search(r"\(lukket(?: punkt| sag)?\)\s*$", title_text, re.I):
        closed = True
        title_text = re.sub(r"\s*\(lukket(?: punkt| sag)?\)\s*$", "", title_text, flags=re.I)
        title_text = CLOSED_TITLE.sub("", title_text).strip() if closed_match else title_text
    title = clean_title(title_text) if title_text else ""
    if not title:
        title = "Lukket punkt" if closed else raw_title or f"Punkt {candidate.number}"
    if closed and raw_title.strip().lower() == "lukket":
        title = "Lukket"
    item = Item(number=candidate.number, title=title, raw_title=raw_title, closed=closed)

    content = list(body)
    # Metadata just after the heading: case and document numbers, responsible officer.
    case_number = title_case
    metadata_end = 0
    seen = 0
    for position, line in enumerate(content):
        text = line.stripped
        if not text or text == "\f":
            continue
        seen += 1
        if seen > 6:
            break
        found = _case_line(text)
        if found and not OTHER_NUMBER_LABEL.match(text):
            if case_number is None or (
                CASE_LABEL_ANYWHERE.match(text)
                and not title_case
                and not _labelled_seen(content, position)
            ):
                case_number = case_number or found
            metadata_end = position + 1
            continue
        if _is_meta(text) or OTHER_NUMBER_LABEL.match(text):
            metadata_end = position + 1
            continue
        break
    content = content[metadata_end:]
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
    content = [
        line
        for line in content
        if not CLOSED_PART.match(line.stripped) and not OPEN_PART.match(line.stripped)
    ]
    _read_body(item, content, doc)
    return item


def _labelled_seen(content: list[Line], position: int) -> bool:
    return any(CASE_LABEL_ANYWHERE.match(line.stripped) for line in content[:position])


def _case_number_before(candidate: _Candidate, lines: list[Line], claimed: set[int]) -> str | None:
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
        found = _case_line(text)
        if found and CASE_LABEL_ANYWHERE.match(text):
            claimed.add(id(line))
            return found
        if not _is_meta(text):
            break
    return None


def _read_body(item: Item, content: list[Line], doc: ParsedDocument) -> None:
    mode = "text"  # text | decisions | attachments
    section: Section | None = None
    decision: Decision | None = None
    buffer: list[str] = []
    attachment_lines: list[tuple[bool, str]] = []  # (after a blank line, text)
    sub_item = False

    def flush() -> None:
        nonlocal section, decision, buffer, sub_item
        text = _join(buffer)
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
        blank = not stripped
        head = decision_heading(stripped) if stripped else None
        attach, attach_rest = attachment_heading(stripped) if stripped else (False, "")
        heading = section_heading(stripped) if stripped and not head else None
        sub = SUB_ITEM.match(stripped) if stripped and mode != "decisions" else None
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
                if following is not None and not _structural(content[following].stripped):
                    heading_text = f"{stripped} {content[following].stripped}"
                    index = following + 1
            # The sub-item title may wrap onto the next line(s).
            while index < len(content):
                nxt = content[index].stripped
                if not nxt or _structural(nxt) or SUB_ITEM.match(nxt) or len(nxt) > 140:
                    if not nxt and index + 1 < len(content):
                        after = content[index + 1].stripped
                        if (
                            after
                            and re.match(r"^[a-zæøå]", after)
                            and not _structural(after)
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
    # A decision heading with nothing under it decides nothing (an agenda's empty field).
    item.decisions = [d for d in item.decisions if d.text.strip()]


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
    when = find_date(date_text) if date_text else doc.date
    if date_text and when is None:
        where = f"side {line.page}" if line.page else f"linje {line.no}"
        doc.warnings.append(f"{where}: beslutningsdato '{date_text}' kan ikke læses")
    name = _body_name(body, doc) if body else doc.committee or ""
    return Decision(body=name, date=when, outcome="other", this_meeting=False, text="")


def _body_name(body: str, doc: ParsedDocument) -> str:
    body = re.sub(r"\s+", " ", body).strip(" ,:")
    if re.fullmatch(r"udvalget|udvalgets|mødet", body, re.I) and doc.committee:
        return doc.committee
    if doc.committee and _same_body(body, doc.committee):
        return doc.committee
    if body.isupper() and len(body) > 3:
        return body[0] + body[1:].lower()
    return body


def _body_key(name: str) -> str:
    name = TERM.sub("", name.strip())
    key = re.sub(r"[\W_]+", "", name.lower())
    return re.sub(r"(?:ets|ens|et|en|s)$", "", key)


def _same_body(a: str, b: str) -> bool:
    return bool(a) and bool(b) and _body_key(a) == _body_key(b)


def _settle_this_meeting(doc: ParsedDocument) -> None:
    """Per item, at most one decision is this meeting's: this body's, dated the meeting day (or
    undated under a bare heading). Agendas have none."""
    for item in doc.items:
        for decision in item.decisions:
            decision.this_meeting = False
        if doc.kind != "minutes":
            continue
        mine = [
            d
            for d in item.decisions
            if _same_body(d.body, doc.committee or "") and (doc.date is None or d.date == doc.date)
        ]
        if mine:
            mine[-1 if doc.date is None else 0].this_meeting = True


def _join(lines: list[str]) -> str:
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


def _apply_attendance_notes(doc: ParsedDocument, header_text: str) -> None:
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
    return None


# --- Documents that are not minutes (budget remarks and the like) -------------------------

NUMBERED_HEADING = re.compile(
    r"^(?P<number>\d{1,2}(?:\.\d{1,2})*)\.?\s+(?P<title>[A-ZÆØÅ].{2,120})$"
)


def _parse_document(lines: list[Line], *, municipality: str | None, text: str) -> ParsedDocument:
    raw = [line.text for line in lines if line.text != "\f"]
    sections: list[DocumentSection] = []
    current: DocumentSection | None = None
    buffer: list[str] = []
    numbered = 0

    def flush() -> None:
        nonlocal buffer
        body = _join(buffer)
        if current is not None:
            current.text = body
            sections.append(current)
        elif body:
            sections.append(DocumentSection(heading="", level=1, text=body))
        buffer = []

    for index, line in enumerate(raw):
        stripped = line.strip()
        prev_blank = index == 0 or not raw[index - 1].strip()
        next_blank = index + 1 >= len(raw) or not raw[index + 1].strip()
        heading = NUMBERED_HEADING.match(stripped)
        if heading and "\t" not in line and prev_blank and next_blank:
            flush()
            numbered += 1
            current = DocumentSection(
                heading=stripped, level=heading["number"].count(".") + 1, text=""
            )
            continue
        if (
            stripped
            and prev_blank
            and next_blank
            and "\t" not in line
            and len(stripped) <= 70
            and not stripped.endswith((".", ":", ",", ";"))
            and not stripped.startswith(("-", "*", "<"))
            and stripped[0].isupper()
            and current is not None
        ):
            flush()
            current = DocumentSection(
                heading=stripped,
                level=current.level + 1
                if current.heading and NUMBERED_HEADING.match(current.heading)
                else max(current.level, 2),
                text="",
            )
            continue
        buffer.append(line)
    flush()
    if numbered < 1 or len(sections) < 2:
        first = next((line for line in lines if line.stripped and line.text != "\f"), None)
        opening = f" Teksten begynder: '{first.stripped[:60]}'." if first else ""
        raise ParseError(
            "Teksten ligner hverken et referat, en dagsorden eller et kommunalt dokument: "
            "der er ingen overskrift med 'Referat' eller 'Dagsorden', ingen dagsordenspunkter "
            f"og ingen nummererede afsnit.{opening}",
            line=first.no if first and not first.page else None,
            page=first.page if first and first.page else None,
        )
    title = next(s.heading for s in sections if s.heading)
    title_match = NUMBERED_HEADING.match(title)
    title = title_match["title"] if title_match else title
    term_match = re.search(r"((?:19|20)\d{2})\s*-\s*((?:19|20)\d{2})", title)
    return ParsedDocument(
        kind="document",
        municipality=municipality,
        committee=None,
        term=f"{term_match[1]}-{term_match[2]}" if term_match else None,
        date=None,
        title=title.strip(),
        document_sections=sections,
    )
