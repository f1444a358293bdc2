"""What one line is: a section, decision or attachment heading, a case number, metadata.

The classifiers the item, table-of-contents and item-body readers share. The words they
look for live in `vocabulary`; here is how a line is matched against them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .conventions import (
    CASE_LABEL_ANYWHERE,
    CASE_NUMBER_PATTERNS,
    DATE_TOKEN,
    OTHER_NUMBER_LABEL,
    WEEKDAYS,
    find_labelled_case_number,
)
from .vocabulary import (
    ATTACHMENT_HEADINGS,
    ATTACHMENT_WORDS,
    BODY_DATE_LINE,
    BODY_DEN_LINE,
    BODY_WORD,
    CLOSED_TITLE,
    DECISION_HEADINGS,
    DECISION_PREFIX,
    DECISION_WORDS,
    GENITIVE_DECISION,
    HISTORY_FIELD,
    HISTORY_HEADINGS,
    ITEM_HEADING,
    KIND_SUFFIX,
    META_LABEL,
    SECTION_ALIASES,
    SECTION_HEADINGS,
)

_DATE = DATE_TOKEN.pattern.replace("(?P<date>", "(?:")
WEAK_HEADING = re.compile(r"^(?P<number>\d{1,4})(?:\.|\s+:|:)[\t ]+(?P<title>\S.*)$")
BARE_NUMBER = re.compile(r"^(?P<number>\d{1,4})(?P<dot>\.?)$")
SUB_ITEM = re.compile(r"^(?P<letter>[a-zæøå])\.(?:[\t ]+(?P<title>\S.*))?$")


_DATE_ONLY = re.compile(
    rf"^(?:(?:{WEEKDAYS})\s+)?(?:den\s+|d\.\s*)?(?:{_DATE})(?:\s*,?\s*kl\.?\s*\d{{1,2}}(?:[.:]\d{{2}})?)?"
    r"(?:\s*,?\s*(?:pkt\.?|punkt)\s*\d+)?\s*[:.]?$",
    re.IGNORECASE,
)
ROUTING_PREFIX = re.compile(r"^[A-ZÆØÅ]\s*-\s*(?=\S)")
CODES_SUFFIX = re.compile(r"\s*-\s*(?:[A-ZÆØÅ]{2,6})(?:\s*,\s*[A-ZÆØÅ]{2,6})*\s*$")


def closed_title(title: str) -> tuple[bool, str]:
    """Whether the title marks its item closed, and the title without the mark: "Lukket: Klage
    over …" → (True, "Klage over …"), "Lukket" → (True, "")."""
    if CLOSED_TITLE.match(title):
        return True, CLOSED_TITLE.sub("", title).strip()
    return False, title


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


# Each line is asked several times in a row (section, history, decision, attachment heading?):
# the canonical form is computed once per line.
@lru_cache(maxsize=512)
def _canon(stripped: str) -> str:
    if len(stripped) > _MAX_HEADING:
        return ""
    return _SPACES.sub(" ", stripped.strip().rstrip(":").strip()).lower()


_LABELLED = re.compile(r"^([^:]{3,60}):\s*(\S.*)$")
_LABELLED_ATTACHMENT = re.compile(r"^(bilag|bilagsliste)\s*:\s*(\S.*)$", re.IGNORECASE)
_LABELLED_DECISION = re.compile(r"^(beslutning(?:er)?|afgørelse)\s*:\s*(\S.*)$", re.IGNORECASE)


def section_heading(stripped: str) -> tuple[str, str] | None:
    """(heading as printed, text after a colon) if the line is a known section heading; a
    heading with an alias (`Beslutningspunkter`) is given under its role's name (`Indstilling`)."""
    canon = _canon(stripped)
    if canon in SECTION_HEADINGS:
        return SECTION_ALIASES.get(canon, stripped.strip().rstrip(":").strip()), ""
    match = _LABELLED.match(stripped)
    if match and _canon(match[1]) in SECTION_HEADINGS:
        return SECTION_ALIASES.get(_canon(match[1]), match[1].strip()), match[2].strip()
    return None


def history_heading(stripped: str) -> bool:
    """A `Sagsforløb` heading: the case's earlier treatment follows, entry by entry."""
    return _canon(stripped) in HISTORY_HEADINGS


def history_field(stripped: str) -> tuple[str, str] | None:
    """(label, value) of a `Udvalg: X` / `Dato: …` / `Punktnummer: 3` line of a Sagsforløb."""
    match = HISTORY_FIELD.match(stripped)
    if not match:
        return None
    label = re.sub(r"\s+", " ", match["label"].lower())
    if label in {"beslutningsorgan", "forum"}:
        label = "udvalg"
    elif label == "mødedato":
        label = "dato"
    elif label.startswith("punkt"):
        label = "punktnummer"
    return label, match["value"].strip()


def attachment_heading(stripped: str) -> tuple[bool, str]:
    lowered = stripped.lower()
    if not any(word in lowered for word in ATTACHMENT_WORDS):
        return False, ""
    if _canon(stripped) in ATTACHMENT_HEADINGS:
        return True, ""
    match = _LABELLED_ATTACHMENT.match(stripped)
    if match:
        return True, match[2].strip()
    return False, ""


_DECISION_OPENINGS = ("beslutning", "afgørelse", "protokol")


@dataclass
class DecisionHead:
    body: str | None  # None: this meeting's body (a bare "Beslutning" heading)
    date_text: str | None
    rest: str = ""


def decision_heading(stripped: str) -> DecisionHead | None:
    lowered = stripped.lower()
    if not any(word in lowered for word in DECISION_WORDS):
        return None
    canon = _canon(stripped)
    if canon in DECISION_HEADINGS:
        return DecisionHead(None, None)
    # The patterns below open with the decision word or name it: tested only where it stands
    # (most lines with a decision word are prose, read once per line of every item).
    opening = lowered.startswith(_DECISION_OPENINGS)
    match = _LABELLED_DECISION.match(stripped) if opening else None
    if match and not DATE_TOKEN.match(match[2]):
        return DecisionHead(None, None, match[2].strip())
    prefixed = DECISION_PREFIX.match(stripped) if opening else None
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
                return DecisionHead(body, date_part, after)
    genitive = (
        GENITIVE_DECISION.match(stripped)
        if "beslutning" in lowered or "afgørelse" in lowered
        else None
    )
    if genitive and len(genitive["body"]) <= 90:
        body = genitive["body"]
        if genitive["date"]:
            date_part, rest = _split_date(genitive["date"])
            if not date_part or rest:
                return None
            return DecisionHead(body, date_part)
        if re.fullmatch(r"(?:udvalget|[\w\-]+(?:udvalget|rådet|bestyrelsen|byrådet))", body, re.I):
            return DecisionHead(body, None)
        if _slot_body(stripped, body):
            return DecisionHead(body, None)
    return None


def _slot_body(stripped: str, body: str) -> bool:
    """An SBSYS decision slot in capitals naming a body of several words (`BØRNE- OG
    UNGEUDVALGETS BESLUTNING`): the whole line in capitals, the body ending in a body word."""
    words = body.split()
    return (
        stripped.isupper()
        and 1 < len(words) <= 8
        and bool(BODY_WORD.search(words[-1]))
        and not re.search(r"[.:;]", body)
    )


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


_POINT_SUFFIX = re.compile(r",\s*(?:pkt\.?|punkt)\s*\d{1,3}\s*:?$", re.IGNORECASE)


def point_decision_line(stripped: str) -> tuple[str, str] | None:
    """(body, date) of a line that opens a decision by naming its meeting and item alone:
    `Kultur- og Idrætsudvalget, 03-04-2019, pkt. 42` (OS2dagsorden and other web pages print
    the decision under it, with no `Beslutning` heading). The body must end in a body word."""
    if not _POINT_SUFFIX.search(stripped):
        return None
    found = body_date_line(stripped)
    if found is None or not BODY_WORD.search(found[0].split()[-1]):
        return None
    return found


def case_line(stripped: str) -> str | None:
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


def is_meta(stripped: str) -> bool:
    return bool(META_LABEL.match(stripped)) and len(stripped) <= 120


def structural(text: str) -> bool:
    return bool(
        section_heading(text)
        or decision_heading(text)
        or attachment_heading(text)[0]
        or ITEM_HEADING.match(text)
        or WEAK_HEADING.match(text)
        or is_meta(text)
    )
