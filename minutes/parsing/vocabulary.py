"""The words and labels of Danish council minutes: what the parser recognises a line by.

A new municipality's format usually needs nothing but additions here:

- a section heading the items use (`Sagens forløb`): add it to SECTION_HEADINGS, as printed
  (the sets are compared lower-cased, with spaces collapsed and a trailing colon dropped); a
  heading that is another's role under a family's name (FirstAgenda's `Beslutningspunkter` are
  the Indstilling) also goes in SECTION_ALIASES;
- a block listing the case's earlier treatment, one entry per body (`Udvalg:` / `Dato:` /
  `Punktnummer:` then the decision text): HISTORY_HEADINGS, and the entry labels HISTORY_FIELD;
- a placeholder a system prints in an empty decision slot (`Tomt indhold`): NO_DECISION;
- a decision heading (`Udvalgets afgørelse`): DECISION_HEADINGS. A heading that names a body
  and a date (`Beslutning i X den …`, `Xs beslutning den …`) is read by DECISION_PREFIX and
  GENITIVE_DECISION, and every decision heading must contain one of DECISION_WORDS (lines without
  one skip the regexes);
- an attachment list heading (`Bilagsoversigt`): ATTACHMENT_HEADINGS; it must contain one of
  ATTACHMENT_WORDS;
- a signature page's title: SIGNATURE_TITLES (such items need no case number);
- a document kind in the header (`Dagsorden og beslutninger`): KIND_WORDS, a phrase before the
  words it contains (`dagsorden og referat` before `referat`);
- a labelled header field (`Mødelokation:`): FIELD_LABELS, longer labels before their prefixes;
  the fields in LIST_FIELDS are member lists;
- a role after a name in a member list: ROLE_WORDS; a status mark in brackets: STATUS_MARK;
- a metadata line under an item heading (`Sagsid:`): META_LABEL;
- a heading an export glues to its text (`BeslutningGodkendt.`): GLUED_HEADING.

Add to the sets and alternations; do not reorder them: in a regex alternation the first
alternative that matches wins. The golden files (`tests/parsing/test_golden.py`) show what
an addition changes.
"""

from __future__ import annotations

import re

# --- Sections, decisions, attachments, signatures -----------------------------------------

SECTION_HEADINGS = {
    h.lower()
    for h in (
        "Baggrund",
        "Sagstema",
        "Sagens kerne",
        "Redegørelse",
        "Andre konsekvenser",
        "Høring og sagsgang",
        "Beslutningstema",
        "Personale",
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
        # FirstAgenda: the recommendations (`At 1)`, `At 2)`); see SECTION_ALIASES.
        "Beslutningspunkter",
        # SBSYS: where the item was treated before (a reference, never a decision).
        "Punktet behandlet tidligere",
        "Sagen afgøres i",
    )
}
# Headings printed under a family's name for a role the archive knows by another: the section
# is stored under the role's heading, so search and the pages find the recommendation.
SECTION_ALIASES = {"beslutningspunkter": "Indstilling"}
# The recommendation's headings: listed under `Bilag` (FirstAgenda) such a line is a document.
RECOMMENDATION_TITLES = {"indstilling", "indstillinger"}
# The case's earlier treatment (FirstAgenda): entries of `Udvalg:`, `Dato:`, `Punktnummer:`
# and that body's decision text, each a decision. A `Sagsforløb: SS` with a value on the line is
# a routing code (Brønderslev), not this block.
HISTORY_HEADINGS = {"sagsforløb", "sagens forløb i udvalgene"}
HISTORY_FIELD = re.compile(
    r"^(?P<label>udvalg|beslutningsorgan|forum|mødedato|dato|punktnummer|punkt\s*nr\.?)"
    r"\s*:\s*(?P<value>.*)$",
    re.IGNORECASE,
)
# What an empty decision slot holds: nothing was decided (yet). Compared lower-cased, stripped.
NO_DECISION = {"", ".", "-", "–", "tomt indhold", "tomt", "intet indhold", "ingen beslutning"}
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


# --- Item headings and closed parts --------------------------------------------------------

# Item headings. Strong: "Punkt 5: …", "Pkt. 5 …", "Dagsordenspunkt 5", "Nr.60 - …" (with its
# dash or colon: a web CMS's item list). Weak: "5. …", "5 : …".
ITEM_HEADING = re.compile(
    r"^(?:(?:dagsordens?punkt|punkt|pkt\.?)\s*(?:nr\.?\s*)?|nr\.\s*(?=\d{1,4}\s*[-–:]\s*\S))"
    r"(?P<number>\d{1,4})\b\s*"
    r"(?P<sep>[:.)\-–]?)\s*(?P<title>.*)$",
    re.IGNORECASE,
)
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
# What either opens with, lowered (IGNORECASE also matches "Å" and the ångström sign for "å",
# both of which lower to it): the patterns run only on lines that open so.
_PART_FIRST = frozenset("lpå")


def part_marker(stripped: str) -> bool | None:
    """True for a line opening the closed part (`Lukket dagsorden`), False for one opening the
    open part (`Åbent møde`), None for any other line."""
    if stripped[:1].lower() not in _PART_FIRST:
        return None
    if CLOSED_PART.match(stripped):
        return True
    if OPEN_PART.match(stripped):
        return False
    return None


CLOSED_TITLE = re.compile(r"^\s*(?:\(?lukket(?:\s+(?:punkt|sag))?\)?\s*(?:[:\-–]\s*|$))", re.I)


# --- Decision headings and the lines under them --------------------------------------------

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
# A word that ends a body's name ("Økonomiudvalget", "Byrådet", "Regionsrådet").
BODY_WORD = re.compile(
    r"(?:udvalg(?:et)?|råd(?:et)?|bestyrelse(?:n)?|byråd(?:et)?|direktion(?:en)?|forsamling(?:en)?"
    r"|borgerrepræsentation(?:en)?|nævn(?:et)?|komit[eé](?:en)?|forum|kollegi(?:et|um)?|udvalg)$",
    re.IGNORECASE,
)
# A body named anywhere in a phrase (a page header or breadcrumb: "Referat – Økonomiudvalget").
BODY_MENTION = re.compile(
    r"udvalg|råd(?:et)?\b|bestyrelse|repræsentation|magistrat|nævn|forsamling|komit[eé]|forum"
    r"|kollegi|styrelse",
    re.IGNORECASE,
)


# --- Item titles: what is cut off them -----------------------------------------------------

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


# --- Header: the kind of document, labelled fields, roles ------------------------------------

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
LIST_FIELDS = {"present", "absent", "substitute", "staff"}
ROLE_WORDS = re.compile(
    r"^(?:formand|næstformand|borgmester|viceborgmester|udvalgsformand|medlem|sekretær"
    r"|referent|direktør|kommunaldirektør|chef|centerchef|formand for [\w\s-]+)$",
    re.IGNORECASE,
)
ALL_PRESENT = re.compile(
    r"\balle\s+(?:var\s+)?(?:mødt|til stede|fremmødt|deltog)|\bingen\s+afbud\b", re.I
)


# --- Attendance marks -----------------------------------------------------------------------

STATUS_MARK = re.compile(
    r"\((?P<mark>afbud|fraværende|fravær|syg|forfald|ikke til stede|suppleant|stedfortræder"
    r"|stedfortræder for [^)]*|deltog ikke[^)]*|deltog fra[^)]*|til og med[^)]*|fra punkt[^)]*)\)",
    re.IGNORECASE,
)


# --- Item metadata lines (case and document numbers, officers) ----------------------------

META_LABEL = re.compile(
    r"^(?:dok(?:ument)?\.?\s*-?\s*(?:nr|nummer|id)|akt[-\s]?(?:id|nr)|sagsansvarlig|sagsbehandler"
    r"|forfatter|ansvarlig|sagstype|åben sag|lukket sag|emne|kle|journalnummer|j\.\s*nr"
    r"|sags?\s*-?\s*(?:nr|nummer|id)|sag\s+nr|sagnr|dagsordenspunkt(?:ets)? id|punkt-?id"
    r"|dato for behandling|behandlet|udvalg|ref\.?|dok\.?id|sagen afgøres i|initialer"
    # A bare status line under the heading (PolWeb: `Åbent`).
    r"|åben(?:t)?(?: punkt)?$)\b\.?\s*[:.]?",
    re.IGNORECASE,
)


# --- Headings an export glued to their text ------------------------------------------------

GLUED_HEADING = re.compile(
    r"^(?P<head>Beslutning|Beslutninger|Indstilling|Sagsfremstilling|Baggrund|Resume|Resumé"
    r"|Sammendrag|Bilag|Økonomi|Vurdering|Høring|Afgørelse|BESLUTNING|INDSTILLING"
    r"|SAGSFREMSTILLING|BAGGRUND|BILAG)(?P<rest>[A-ZÆØÅ][a-zæøå].*)$"
)
