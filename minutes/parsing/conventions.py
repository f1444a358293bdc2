"""Danish minutes conventions shared by every layout: dates, case numbers, outcomes, votes,
attendance notes.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

import dateparser

from .model import Attendee, Outcome, Vote

# Month names and abbreviations by month number: DATE_TOKEN finds dates with them, and plain
# dates ("2 juni 2021") are read with them; "sept" is normalised to "sep" before reading.
MONTH_NUMBERS = {
    name: number
    for number, names in enumerate(
        (
            ("januar", "jan"),
            ("februar", "feb"),
            ("marts", "mar"),
            ("april", "apr"),
            ("maj",),
            ("juni", "jun"),
            ("juli", "jul"),
            ("august", "aug"),
            ("september", "sept", "sep"),
            ("oktober", "okt"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
MONTH_NAMES = tuple(MONTH_NUMBERS)
MONTHS = "|".join(sorted(MONTH_NAMES, key=len, reverse=True))
WEEKDAYS = "mandag|tirsdag|onsdag|torsdag|fredag|lørdag|søndag"

# A date as written in minutes: 02-06-2021, 04.12.2012, 4/12-2012, 2. juni 2021, 2024-10-31.
DATE_TOKEN = re.compile(
    rf"(?P<date>(?<![\d.])\d{{1,2}}\s*[-./]\s*\d{{1,2}}\s*[-./]\s*(?:\d{{4}}|\d{{2}})(?![\d])"
    rf"|\b\d{{1,2}}\.?\s*(?:{MONTHS})\.?\s+\d{{4}}\b"
    rf"|\b(?:19|20)\d{{2}}-\d{{2}}-\d{{2}}\b)",
    re.IGNORECASE,
)
TIME_TOKEN = re.compile(r"\bkl\.?\s*(?P<h>\d{1,2})(?:[.:](?P<m>\d{2}))?(?![\d])", re.IGNORECASE)
BARE_TIME = re.compile(r"(?<![\d.:/-])(?P<h>\d{1,2})[.:](?P<m>\d{2})(?![\d.:/])")


_DATEPARSER_SETTINGS = {
    "DATE_ORDER": "DMY",
    "REQUIRE_PARTS": ["day", "month", "year"],
    "PREFER_DAY_OF_MONTH": "first",
}


@lru_cache(maxsize=8192)
def _parse_date_token(token: str) -> date | None:
    """A date token found by DATE_TOKEN, read by dateparser (Danish month names, DMY order).

    The regex only finds candidates; dateparser does the reading. Mixed separators
    ("4/12-2012") are made uniform first, and impossible dates ("30-02-2021") give None.
    """
    token = re.sub(r"\s+", " ", token.strip().lower())
    token = re.sub(r"(?<=\d)\s*[-./]\s*(?=\d)", "-", token)
    token = re.sub(r"^(\d{1,2})\.\s*", r"\1 ", token)  # "2. juni 2021" → "2 juni 2021"
    # dateparser's Danish knows "sep" but not the also common "sept", nor abbreviation dots.
    token = re.sub(r"\b(sept|[a-zæøå]{3})\.", r"\1", token).replace("sept ", "sep ")
    plain = _PLAIN_DATE.fullmatch(token)
    if plain:
        return _plain_date(plain)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", token):
        settings = {**_DATEPARSER_SETTINGS, "DATE_ORDER": "YMD"}
    else:
        settings = _DATEPARSER_SETTINGS
    parsed = dateparser.parse(token, languages=["da"], settings=settings)
    if parsed is None or not 1900 <= parsed.year <= 2100:
        return None
    return parsed.date()


# The forms nearly every date of the minutes takes once normalised: 2-6-2021, 2021-06-02 and
# 2 juni 2021 (four-digit years). Reading them needs no language model, and dateparser costs
# about a millisecond per new date — a tenth of parsing a whole meeting. Everything else (two-
# digit years, odd spellings) is dateparser's; tests/parsing/test_conventions.py proves both
# read every plain date alike.
_PLAIN_DATE = re.compile(
    r"(?P<d>\d{1,2})-(?P<m>\d{1,2})-(?P<y>\d{4})"
    r"|(?P<iy>\d{4})-(?P<im>\d{2})-(?P<id>\d{2})"
    rf"|(?P<nd>\d{{1,2}}) (?P<name>{'|'.join(MONTH_NUMBERS)}) (?P<ny>\d{{4}})"
)


def _plain_date(match: re.Match) -> date | None:
    if match["y"]:
        year, month, day = match["y"], match["m"], match["d"]
    elif match["iy"]:
        year, month, day = match["iy"], match["im"], match["id"]
    else:
        year, month, day = match["ny"], MONTH_NUMBERS[match["name"]], match["nd"]
    try:
        found = date(int(year), int(month), int(day))
    except ValueError:  # 30-02-2021: no such day
        return None
    return found if 1900 <= found.year <= 2100 else None


def find_date(text: str) -> date | None:
    """The first valid date written anywhere in `text`, or None."""
    for match in DATE_TOKEN.finditer(text):
        found = _parse_date_token(re.sub(r"\s+", " ", match.group("date")))
        if found:
            return found
    return None


def find_time(text: str, *, bare: bool = False) -> str | None:
    """The first clock time ("kl. 13.00"); with `bare`, also an unmarked "16:00"."""
    for pattern in (TIME_TOKEN, BARE_TIME) if bare else (TIME_TOKEN,):
        for match in pattern.finditer(text):
            hour, minute = int(match["h"]), int(match["m"] or 0)
            if hour <= 23 and minute <= 59:
                return f"{hour:02d}:{minute:02d}"
    return None


# --- Section headings ----------------------------------------------------------------------

# Section headings (lower case) by role: what the administration recommends, and the summary of
# the case. Search weighs them (B and C), the pages put the recommendation beside the decision.
RECOMMENDATION_HEADINGS = frozenset(
    {
        "indstilling",
        "indstillinger",
        "forslag",
        "direktionens indstilling",
        "administrationen indstiller",
    }
)
SUMMARY_HEADINGS = frozenset(
    {
        "resume",
        "resumé",
        "sammendrag",
        "sagsfremstilling",
        "sagsbeskrivelse",
        "beslutningstema",
        "sagstema",
        "sagens kerne",
    }
)


# --- Case numbers --------------------------------------------------------------------------

# KLE journal number: subject code, action code (letter incl. Æ/Ø/Å), serial, year.
KLE_NUMBER = r"\d{2}\.\d{2}\.\d{2}(?:\.\d{2})?\s*-\s*[A-ZÆØÅ]\d{2}\s*-\s*\d+\s*-\s*\d{2}(?:\d{2})?"

# The same numbers as people type them into a search box: a KLE number without its dots
# (003210-S55-55-23), a lettered number with spaces for its dashes (EMN 2025 009242; capitals
# only, so "og 2020 1234" in a sentence is no case number).
KLE_UNDOTTED = r"\d{6}(?:\d{2})?\s*-\s*[A-ZÆØÅ]\d{2}\s*-\s*\d+\s*-\s*\d{2}(?:\d{2})?"
LETTERED_CASE_NUMBER = (
    r"(?:[A-ZÆØÅ]{2,5}-(?:\d{3}-)?(?:19|20)\d{2}-\d{3,7}"
    r"|(?-i:[A-ZÆØÅ]{2,5})\s+(?:\d{3}\s+)?(?:19|20)\d{2}\s+\d{3,7})"
)

# Case numbers, in the forms Danish case systems print them.
CASE_NUMBER_PATTERNS: tuple[re.Pattern[str], ...] = (
    re.compile(rf"\b{KLE_NUMBER}\b"),
    # Year and serial: 17/10000, 2017/10000.
    re.compile(r"(?<![\d/.-])(?:\d{2}|\d{4})/\d{1,7}(?![\d/])"),
    # eDoc / SBSYS / Acadre style: 2013-12345, EMN-2024-001234, 330-2019-1234.
    re.compile(r"\b(?:[A-ZÆØÅ]{2,5}-)?(?:\d{3}-)?(?:19|20)\d{2}\s*[-–]\s*\d{3,7}\b"),
)
# The labels a case number is printed with; a document number (Dok.nr., Akt-id) is not one.
CASE_LABEL = re.compile(
    r"^\s*(?:sags?\s*-?\s*(?:nr|nummer|id)\.?|sag\s+nr\.?|sagnr\.?|j\.?\s*nr\.?|journal\s*(?:nr|nummer)\.?"
    r"|sags?\s*id|sag)\s*[:.]?\s*",
    re.IGNORECASE,
)
CASE_LABEL_ANYWHERE = re.compile(
    r"(?<![\w.])(?:sags?\s*-?\s*(?:nr|nummer)\.?|sag\s+nr\.?|sagnr\.?|sags?\s*-?\s*id|j\.\s*nr\.?"
    r"|journal\s*(?:nr|nummer)\.?)\s*[:.]?\s*",
    re.IGNORECASE,
)
OTHER_NUMBER_LABEL = re.compile(
    r"^\s*(?:dok(?:ument)?\.?\s*-?\s*(?:nr|nummer|id)\.?|akt(?:-?id|\.?\s*nr\.?)|bilagsnr\.?)"
    r"\s*[:.]?",
    re.IGNORECASE,
)


def find_labelled_case_number(text: str) -> str | None:
    """The value of a `Sagsnr.:`-style label in `text` (`Sag nr. 57` gives `57`), or None."""
    for label in CASE_LABEL_ANYWHERE.finditer(text):
        rest = text[label.end() :]
        for pattern in CASE_NUMBER_PATTERNS:
            match = pattern.match(rest)
            if match:
                return _compact(match.group(0))
        token = re.match(r"[A-ZÆØÅa-zæøå0-9][\w./\-–]*", rest)
        if token:
            value = token.group(0).rstrip(".-–/")
            if re.search(r"\d", value):
                return value
    return None


def _compact(value: str) -> str:
    return re.sub(r"\s+", "", value)


def find_case_number(text: str) -> str | None:
    """The case number printed in `text` (as printed, with stray spaces removed).

    A labelled number (`Sagsnr.: 2013-12345`) wins over a bare one, so a `Dok.nr.` on the same
    line is not taken for it.
    """
    labelled = find_labelled_case_number(text)
    if labelled:
        return labelled
    for pattern in CASE_NUMBER_PATTERNS:
        match = pattern.search(text)
        if match:
            return _compact(match.group(0))
    return None


# Cached: a meeting asks for each of its case numbers several times (heading, metadata, the
# case rows), and a forwarded case comes back in the next committees' minutes.
@lru_cache(maxsize=8192)
def normalise_case_number(text: str) -> str:
    """One spelling per case for lookups: `sag 17-10000`, `17 / 10000` and `17/10000` are one."""
    value = CASE_LABEL.sub("", text.strip())
    value = re.sub(r"^sag\s+", "", value, flags=re.IGNORECASE)
    if re.fullmatch(LETTERED_CASE_NUMBER, value):  # EMN 2025 009242 is EMN-2025-009242
        value = re.sub(r"\s*[-–]\s*|\s+", "-", value)
    value = re.sub(r"\s+", "", value).replace("–", "-").upper()
    if re.fullmatch(KLE_UNDOTTED, value):  # 003210-S55-55-23 is 00.32.10-S55-55-23
        subject, rest = value.split("-", 1)
        return ".".join(re.findall(r"\d\d", subject)) + "-" + rest
    year_serial = re.fullmatch(r"(\d{2}|\d{4})[-/](\d{1,7})", value)
    if year_serial:
        year, serial = year_serial.groups()
        return f"{year[-2:]}/{int(serial)}"
    return value


# --- Outcomes ------------------------------------------------------------------------------

OUTCOME_RULES: tuple[tuple[Outcome, re.Pattern[str]], ...] = (
    (
        "rejected",
        re.compile(
            r"\b(ikke godkendt|godkendes ikke|blev ikke godkendt|ikke vedtaget|afvist|afvises"
            r"|afviste|forkastet|forkastes|ikke anbefalet|anbefales ikke|kan ikke anbefales"
            r"|ikke tiltrådt|faldt|nedstemt|bortfaldt)\b"
        ),
    ),
    (
        "postponed",
        re.compile(r"\b(udsat|udsættes|udsatte|tages op igen|genoptages|afventer|udskudt)\b"),
    ),
    (
        "referred",
        re.compile(
            r"\b(oversendes|oversendt|oversendte|henvist|henvises|sendes videre|videresendes"
            r"|videresendt)\b"
        ),
    ),
    (
        "recommended",
        re.compile(
            r"\b(anbefales|anbefalet|anbefaler|anbefalede|indstilles|indstillet|kan anbefales)\b"
        ),
    ),
    (
        "approved",
        re.compile(
            r"\b(godkendt|godkendes|godkender|godkendte|vedtaget|vedtages|vedtog|bevilget"
            r"|bevilges|tiltrådt|tiltrædes|tiltrådte|imødekommet|imødekommes|som indstillet"
            r"|indstillingen følges|besluttet|beslutter)\b"
        ),
    ),
    (
        "noted",
        re.compile(
            r"\b(til efterretning|orientering givet|orienteringen taget|drøftet|drøftedes"
            r"|drøftede|taget til orientering|orienteringen blev|til orientering|orienteret"
            r"|drøftelse)\b"
        ),
    ),
)


# The operative verbs of decisions in other spellings, rewritten to the words OUTCOME_RULES
# know before they are applied: FirstAgenda bodies "fremsender" a case and "kunne tiltræde" a
# recommendation; a committee "besluttede at udsætte" it. Negations come first.
OPERATIVE_FORMS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\b(?:kunne|kan|vil)\s+ikke\s+(?:\w+\s+)?tiltræde\b", re.I), "ikke tiltrådt"),
    (re.compile(r"\b(?:kunne|kan|vil)\s+ikke\s+(?:\w+\s+)?godkende\b", re.I), "ikke godkendt"),
    (re.compile(r"\b(?:blev|er|bliver)\s+ikke\s+imødekommet\b", re.I), "ikke godkendt"),
    (
        re.compile(r"\b(?:kunne|kan|vil)\s+(?:\w+\s+){0,2}tiltræde\b|\btiltræder\b", re.I),
        "tiltrådt",
    ),
    (re.compile(r"\b(?:kunne|kan|vil)\s+(?:\w+\s+){0,2}godkende\b", re.I), "godkendt"),
    (
        re.compile(r"\b(?:fremsendes|fremsendt|tilbagesendes|tilbagesendt|sendes tilbage)\b", re.I),
        "oversendes",
    ),
    (re.compile(r"\b(?:besluttede|besluttet)\s+at\s+udsætte\b", re.I), "udsat"),
)


def classify_outcome(text: str) -> Outcome:
    """The outcome a decision text states.

    The first sentence decides when it says anything; within it the earliest phrase wins
    ("Godkendt, og sagen oversendes …" is approved; "Ikke godkendt" is rejected), and on a tie
    the rule order (rejections before approvals) does.
    """
    for pattern, spelling in OPERATIVE_FORMS:
        text = pattern.sub(spelling, text)
    lowered = re.sub(r"\s+", " ", text.lower()).strip()
    if not lowered:
        return "other"
    first = re.split(r"(?<=[.!:])\s", lowered, maxsplit=1)[0]
    for candidate in (first, lowered):
        best: tuple[int, int, Outcome] | None = None
        for rank, (outcome, pattern) in enumerate(OUTCOME_RULES):
            match = pattern.search(candidate)
            if match and (best is None or (match.start(), rank) < best[:2]):
                best = (match.start(), rank, outcome)
        if best:
            return best[2]
    return "other"


# --- Votes ---------------------------------------------------------------------------------

PARTY = r"[A-ZÆØÅ]{1,2}"
_PARTY_COUNT = re.compile(rf"(?<![\w-])({PARTY})\s*\((\d+)\)")
_VOTE_VERBS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "abstain",
        re.compile(
            r"undl(?:ader|od|adt) at stemme|stem(?:mer|te) hverken|hverken for eller imod"
            r"|stemmer blankt|stemte blankt",
            re.I,
        ),
    ),
    ("absent", re.compile(r"(?:er|var) fraværende|deltog ikke|ikke til stede", re.I)),
    ("against", re.compile(r"stem(?:mer|te) imod|imod stemte|\bimod\b", re.I)),
    ("for", re.compile(r"stem(?:mer|te) for|for stemte|\bfor\b", re.I)),
)
_PARTY_LIST = rf"{PARTY}(?:\s*\(\d+\))?(?:\s*(?:,|og|&|samt)\s*{PARTY}(?:\s*\(\d+\))?)*"
# "For stemte: A, B, F og Ø."  "Imod stemte (3): V og O"  "Undlod at stemme: C"
_LABELLED_VOTE = re.compile(
    rf"(?P<label>for stemte|for|imod stemte|imod|undlod at stemme|hverken for eller imod"
    rf"|fraværende)\s*(?:\((?P<total>\d+)\))?\s*:?\s*(?P<parties>{_PARTY_LIST})(?=\s*(?:[.;,\n]|$))",
    re.IGNORECASE,
)
# "Et flertal bestående af A, C og V stemte for"
_MAJORITY = re.compile(
    rf"(?:flertal|mindretal)\s+(?:bestående\s+)?af\s+(?P<parties>{_PARTY_LIST})\s+"
    r"(?:stemte|stemmer|stemmede)\s+(?P<verb>for|imod)",
    re.IGNORECASE,
)
# "vedtaget med 21 stemmer mod 8", "forkastet med 8 stemmer mod 21 (2 undlod)"
_TALLY = re.compile(
    r"med\s+(?P<for>\d{1,3})\s+stemmer?\s+(?:for\s+)?(?:mod|imod)\s+(?P<against>\d{1,3})"
    r"(?:\s*(?:\(|,|og)\s*(?P<abstain>\d{1,3})\s+(?:undlod|hverken|blank))?",
    re.IGNORECASE,
)
_COUNTS = re.compile(
    r"(?P<n>\d{1,3})\s+(?:stemme|stemmer|stemte)?\s*(?P<verb>for|imod|undlod|hverken for eller imod)",
    re.IGNORECASE,
)
_LABEL_POSITION = {
    "for stemte": "for",
    "for": "for",
    "imod stemte": "against",
    "imod": "against",
    "undlod at stemme": "abstain",
    "hverken for eller imod": "abstain",
    "fraværende": "absent",
}


def _parties(text: str) -> list[tuple[str, int | None]]:
    found = []
    for match in re.finditer(rf"(?<![\w-])({PARTY})(?![\w-])(?:\s*\((\d+)\))?", text):
        if match.group(1).lower() in {"og", "samt"}:
            continue
        found.append((match.group(1), int(match.group(2)) if match.group(2) else None))
    return found


def find_votes(text: str) -> list[Vote]:
    """Votes by party ("B (1) og C (4) stemmer for", "For stemte: A, B og Ø") or, when only a
    tally is printed ("vedtaget med 21 stemmer mod 8"), totals with an empty party."""
    votes: list[Vote] = []
    for sentence in re.split(r"(?<=[.])\s+|\n", text):
        found = _votes_in_sentence(sentence)
        votes.extend(found)
    return votes


def _votes_in_sentence(sentence: str) -> list[Vote]:
    votes: list[Vote] = []
    if _PARTY_COUNT.search(sentence):
        # Each clause names parties then says how they voted; parties without a verb share the
        # next clause's verb ("B (1) og C (4) stemmer for").
        pending: list[tuple[str, int]] = []
        for clause in re.split(r",|;|\bmens\b", sentence):
            pending.extend((p, int(n)) for p, n in _PARTY_COUNT.findall(clause))
            for position, verb in _VOTE_VERBS:
                if pending and verb.search(clause):
                    votes.extend(Vote(party=p, count=n, position=position) for p, n in pending)  # type: ignore[arg-type]
                    pending = []
                    break
        if votes:
            return votes
    for match in _MAJORITY.finditer(sentence):
        position = "for" if match["verb"].lower() == "for" else "against"
        votes.extend(
            Vote(party=p, count=n, position=position) for p, n in _parties(match["parties"])
        )  # type: ignore[arg-type]
    if votes:
        return votes
    if re.search(r"stemte|stemme|undlod|afstemning", sentence, re.IGNORECASE):
        for match in _LABELLED_VOTE.finditer(sentence):
            label = re.sub(r"\s+", " ", match["label"].lower())
            if label in {"for", "imod"} and not re.search(r"stemte|stemme", sentence, re.I):
                continue
            position = _LABEL_POSITION[label]
            votes.extend(
                Vote(party=p, count=n, position=position) for p, n in _parties(match["parties"])
            )  # type: ignore[arg-type]
    if votes:
        return votes
    tally = _TALLY.search(sentence)
    if tally:
        votes.append(Vote(party="", count=int(tally["for"]), position="for"))
        votes.append(Vote(party="", count=int(tally["against"]), position="against"))
        if tally["abstain"]:
            votes.append(Vote(party="", count=int(tally["abstain"]), position="abstain"))
        return votes
    if re.search(r"\bstem", sentence, re.IGNORECASE):
        for match in _COUNTS.finditer(sentence):
            verb = match["verb"].lower()
            position = {"for": "for", "imod": "against"}.get(verb, "abstain")
            votes.append(Vote(party="", count=int(match["n"]), position=position))  # type: ignore[arg-type]
    return votes


# --- Attendance notes ----------------------------------------------------------------------

# A word of a name starts a word (never inside one) and is at most 40 letters: both keep the
# note patterns below linear on a text of one endless word ("ØØØ…").
NAME_WORD = r"(?<!\w)(?:[A-ZÆØÅ]\.(?:[ ]?[A-ZÆØÅ]\.)*|[A-ZÆØÅ][\w\-'’]{0,40})"
# A name has at most eight words: bounded, so that a long run of capitalised words ("Punkt
# Punkt …") is tried in linear time instead of once from every word (quadratic).
_NAME = rf"{NAME_WORD}(?:[ ]+(?:{NAME_WORD}|la|von|de|van|af|du|le)){{0,7}}"
_PARTY_SUFFIX = r"(?:[ ]*\((?P<party>[A-ZÆØÅ]{1,2})\))?"
# Several names: "Martin Bech, Bettina Kjeldsen og Niels Salling var fraværende".
_NAMES = (
    rf"{_NAME}(?:[ ]*\([A-ZÆØÅ]{{1,2}}\))?(?:[ ]*(?:,|og)[ ]*{_NAME}(?:[ ]*\([A-ZÆØÅ]{{1,2}}\))?)*"
)
_ABSENT_NOTE = re.compile(
    rf"(?P<names>{_NAMES})[ ]+(?:var|er|meldte)[ ]+(?:fraværende|afbud)"
    r"(?P<rest>[^.\n]*)\.?",
)
_AFBUD_FROM = re.compile(
    # The names on the label's own line: an empty `Fraværende:` field is followed by the
    # decision, whose first word is no one's name.
    rf"(?:[Aa]fbud|[Ff]ravær(?:ende)?)[ \t]*(?:fra|:)[ \t]+(?P<names>{_NAMES})",
)
# Capitalised words that begin a sentence about absence without being anyone's name ("Der er
# afbud fra …", "Alle var til stede").
_NOT_NAMES = {"der", "det", "de", "han", "hun", "man", "alle", "ingen", "følgende", "enkelte"}
_SUBSTITUTE_NOTE = re.compile(
    rf"I\s+stedet\s+(?:for\s+(?:ham|hende)\s+)?(?:deltog|mødte|indtrådte)\s+"
    rf"(?:stedfortræder(?:en)?\s+)?(?P<name>{_NAME}){_PARTY_SUFFIX}",
)
_SUBSTITUTE_FOR = re.compile(
    rf"(?P<name>{_NAME}){_PARTY_SUFFIX}[ ]+(?:deltog|mødte|indtrådte)[ ]+(?:som[ ]+"
    rf"(?:stedfortræder|suppleant)[ ]+)?(?:i[ ]+stedet[ ]+)?for[ ]+(?P<other>{_NAME})",
)
_PARTY_ONLY = re.compile(r"\(([A-ZÆØÅ]{1,2})\)")


def _person(raw: str) -> tuple[str, str | None]:
    party = _PARTY_ONLY.search(raw)
    name = _PARTY_ONLY.sub("", raw).strip(" ,.")
    return name, party.group(1) if party else None


def attendance_notes(text: str) -> list[Attendee]:
    """Absences and substitutes for the whole meeting noted in a text.

    "var fraværende under punktet" is about one item only and does not change the meeting's
    attendance.
    """
    found: list[Attendee] = []
    absent_spans: list[tuple[int, str]] = []
    # The patterns' own words first: most texts have none, and the patterns open with a name.
    absence = any(word in text for word in ("fravær", "afbud", "Fravær", "Afbud"))
    for match in _ABSENT_NOTE.finditer(text) if absence else ():
        if re.search(r"\bunder\b|\bpunkt|\bbehandling", match["rest"]):
            continue
        people = [_person(raw) for raw in re.split(r",|\bog\b", match["names"])]
        people = [(name, party) for name, party in people if name.lower() not in _NOT_NAMES]
        for name, party in people:
            if name and name not in {a.name for a in found}:
                found.append(
                    Attendee(name=name, party=party, status="absent", note=match.group(0).strip())
                )
        if people:
            absent_spans.append((match.end(), people[0][0]))
    for match in _AFBUD_FROM.finditer(text) if absence else ():
        line_end = text.find("\n", match.end())
        rest = text[match.end() : line_end if line_end >= 0 else len(text)]
        if re.match(r"[^.]*\b(?:under|punkt)", rest):
            continue
        for raw in re.split(r",|\bog\b", match["names"]):
            name, party = _person(raw)
            if name and name not in {a.name for a in found}:
                found.append(Attendee(name=name, party=party, status="absent", note="Afbud"))
        absent_spans.append((match.end(), _person(re.split(r",|\bog\b", match["names"])[0])[0]))
    for end, absent_name in absent_spans:
        tail = text[end : end + 200].lstrip(" .\n")
        sub = _SUBSTITUTE_NOTE.match(tail)
        if sub:
            found.append(
                Attendee(
                    name=sub["name"],
                    party=sub["party"],
                    status="substitute",
                    note=f"I stedet for {absent_name}",
                )
            )
    substitutes = any(word in text for word in ("deltog", "mødte", "indtrådte"))
    for match in _SUBSTITUTE_FOR.finditer(text) if substitutes else ():
        if match["name"] in {a.name for a in found}:
            continue
        found.append(
            Attendee(
                name=match["name"],
                party=match["party"],
                status="substitute",
                note=f"I stedet for {match['other']}",
            )
        )
    return found
