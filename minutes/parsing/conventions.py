"""Danish minutes conventions shared by every layout: dates, case numbers, outcomes, votes."""

from __future__ import annotations

import re
from datetime import date, datetime
from functools import lru_cache

import dateparser

from .model import Attendee, Outcome, Vote

MONTHS = (
    "januar|februar|marts|april|maj|juni|juli|august|september|oktober|november|december"
    "|jan|feb|mar|apr|jun|jul|aug|sep|sept|okt|nov|dec"
)
WEEKDAYS = "mandag|tirsdag|onsdag|torsdag|fredag|lørdag|søndag"

# A date as written in minutes: 02-06-2021, 04.12.2012, 2. juni 2021, 31. oktober 2024.
DATE_TOKEN = re.compile(
    rf"(?P<date>\b\d{{1,2}}[-./]\d{{1,2}}[-./]\d{{2,4}}\b"
    rf"|\b\d{{1,2}}\.?\s+(?:{MONTHS})\.?\s+\d{{4}}\b)",
    re.IGNORECASE,
)
TIME_TOKEN = re.compile(r"\bkl\.?\s*(?P<h>\d{1,2})[.:](?P<m>\d{2})\b", re.IGNORECASE)

_DATEPARSER_SETTINGS = {
    "DATE_ORDER": "DMY",
    "REQUIRE_PARTS": ["day", "month", "year"],
    "PREFER_DAY_OF_MONTH": "first",
}


@lru_cache(maxsize=4096)
def _parse_date_token(token: str) -> date | None:
    parsed: datetime | None = dateparser.parse(
        token, languages=["da"], settings=_DATEPARSER_SETTINGS
    )
    if parsed is None or not (1900 <= parsed.year <= 2100):
        return None
    return parsed.date()


def find_date(text: str) -> date | None:
    """The first date written anywhere in `text`, or None."""
    for match in DATE_TOKEN.finditer(text):
        token = re.sub(r"\s+", " ", match.group("date")).replace(". ", " ")
        found = _parse_date_token(token.lower())
        if found:
            return found
    return None


def find_time(text: str) -> str | None:
    match = TIME_TOKEN.search(text)
    if not match:
        return None
    hour, minute = int(match["h"]), int(match["m"])
    if hour > 23 or minute > 59:
        return None
    return f"{hour:02d}:{minute:02d}"


# Case numbers, in the forms Danish case systems print them.
CASE_NUMBER_PATTERNS: tuple[re.Pattern[str], ...] = (
    # KLE journal number: subject code, action code (letter incl. Æ/Ø/Å), serial, year.
    re.compile(r"\b\d{2}\.\d{2}\.\d{2}(?:\.\d{2})?\s*-\s*[A-ZÆØÅ]\d{2}\s*-\s*\d+\s*-\s*\d{2}\b"),
    # Year and serial: 17/10000, 2017/10000.
    re.compile(r"(?<![\d/.-])(?:\d{2}|\d{4})/\d{1,7}(?![\d/])"),
    # eDoc / SBSYS style: 2013-12345, EMN-2024-001234, 330-2019-1234.
    re.compile(r"\b(?:[A-ZÆØÅ]{2,5}-)?(?:\d{3}-)?(?:19|20)\d{2}-\d{3,7}\b"),
)
CASE_LABEL = re.compile(
    r"^\s*(?:sags?\s*nr\.?|sagsnummer|sag\s+nr\.?|j\.?\s*nr\.?|journalnr\.?)\s*:?\s*",
    re.IGNORECASE,
)


def find_case_number(text: str) -> str | None:
    """The case number printed in `text` (as printed, with stray spaces removed)."""
    for pattern in CASE_NUMBER_PATTERNS:
        match = pattern.search(text)
        if match:
            return re.sub(r"\s+", "", match.group(0))
    return None


def normalise_case_number(text: str) -> str:
    """One spelling per case for lookups: `sag 17-10000`, `17 / 10000` and `17/10000` are one."""
    value = CASE_LABEL.sub("", text.strip())
    value = re.sub(r"^sag\s+", "", value, flags=re.IGNORECASE)
    value = re.sub(r"\s+", "", value).upper()
    year_serial = re.fullmatch(r"(\d{2}|\d{4})[-/](\d{1,7})", value)
    if year_serial:
        year, serial = year_serial.groups()
        return f"{year[-2:]}/{int(serial)}"
    return value


OUTCOME_RULES: tuple[tuple[Outcome, re.Pattern[str]], ...] = (
    ("rejected", re.compile(r"\b(ikke godkendt|afvist|afvises|forkastet|ikke anbefalet|faldt)\b")),
    ("postponed", re.compile(r"\b(udsat|udsættes|sagen blev udsat|tages op igen)\b")),
    ("referred", re.compile(r"\b(oversendes|oversendt|henvist|henvises|sendes videre)\b")),
    ("recommended", re.compile(r"\b(anbefales|anbefalet|indstilles|indstillet)\b")),
    (
        "approved",
        re.compile(r"\b(godkendt|godkendes|vedtaget|vedtages|bevilget|tiltrådt|tiltrædes)\b"),
    ),
    (
        "noted",
        re.compile(
            r"\b(til efterretning|orientering givet|orienteringen taget|drøftet|drøftedes)\b"
        ),
    ),
)


def classify_outcome(text: str) -> Outcome:
    """The outcome a decision text states; the first sentence decides when it says several."""
    lowered = text.lower()
    first = re.split(r"(?<=[.!])\s", lowered.strip(), maxsplit=1)[0] if lowered.strip() else ""
    for candidate in (first, lowered):
        for outcome, pattern in OUTCOME_RULES:
            if pattern.search(candidate):
                return outcome
    return "other"


# Votes: "A (1) undlader at stemme, Ø (1) er fraværende, B (1) og C (4) stemmer for."
_PARTY_COUNT = re.compile(r"\b([A-ZÆØÅ])\s*\((\d+)\)")
_VOTE_VERBS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "abstain",
        re.compile(r"undl(?:ader|od) at stemme|stemmer hverken|hverken for eller imod", re.I),
    ),
    ("against", re.compile(r"stem(?:mer|te) imod|imod stemte", re.I)),
    ("for", re.compile(r"stem(?:mer|te) for|for stemte", re.I)),
    ("absent", re.compile(r"(?:er|var) fraværende|deltog ikke", re.I)),
)


def find_votes(text: str) -> list[Vote]:
    votes: list[Vote] = []
    for sentence in re.split(r"(?<=[.])\s+|\n", text):
        if not _PARTY_COUNT.search(sentence):
            continue
        # Each clause names parties then says how they voted; parties without a verb share the
        # next clause's verb ("B (1) og C (4) stemmer for").
        pending: list[tuple[str, int]] = []
        for clause in re.split(r",|\bmens\b", sentence):
            pending.extend((p, int(n)) for p, n in _PARTY_COUNT.findall(clause))
            for position, verb in _VOTE_VERBS:
                if verb.search(clause):
                    votes.extend(Vote(party=p, count=n, position=position) for p, n in pending)  # type: ignore[arg-type]
                    pending = []
                    break
    return votes


# "Gitte Kjær-Westermann (B) var fraværende. I stedet deltog Cecilie Lindahl (B)."
_NAME = r"[A-ZÆØÅ][\w\-]+(?:[ ]+(?:[A-ZÆØÅ][\w\-]+|la|von|de|van|af))*"
_ABSENT_NOTE = re.compile(
    rf"(?P<name>{_NAME})"
    r"[ ]*(?:\((?P<party>[A-ZÆØÅ])\))?[ ]+var[ ]+fraværende(?P<rest>[^.\n]*)\.",
)
_SUBSTITUTE_NOTE = re.compile(
    rf"I stedet (?:deltog|mødte)\s+(?P<name>{_NAME})"
    r"\s*(?:\((?P<party>[A-ZÆØÅ])\))?",
)


def attendance_notes(text: str) -> list[Attendee]:
    """Absences and substitutes for the whole meeting noted in a decision text.

    "var fraværende under punktet" is about one item only and does not change the meeting's
    attendance.
    """
    found: list[Attendee] = []
    for match in _ABSENT_NOTE.finditer(text):
        if "under" in match["rest"]:
            continue
        found.append(
            Attendee(
                name=match["name"],
                party=match["party"],
                status="absent",
                note=match.group(0).strip(),
            )
        )
        tail = text[match.end() : match.end() + 200]
        sub = _SUBSTITUTE_NOTE.match(tail.strip())
        if sub:
            found.append(
                Attendee(
                    name=sub["name"],
                    party=sub["party"],
                    status="substitute",
                    note=f"I stedet for {match['name']}",
                )
            )
    return found
