"""The signs of a failed read, found in a parse before anything of it is published.

A reader that meets a document it does not understand rarely fails outright: it reads the
site's "Tilbage til forsiden" link as the committee, one attachment's sub-headings as items, or
the words of a table header as attendees. `problems()` looks for those signs; ingestion holds a
file with problems for a person instead of publishing it (the admin preview shows each problem,
`manage.py ingest` names it). Each message is plain Danish and says what looks wrong and where.

The checks judge the result, not the reader, so they hold for every publishing system.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date

from .conventions import DATE_TOKEN, find_date
from .model import ParsedDocument
from .noise import BOILERPLATE, TOC_HEADING
from .vocabulary import ATTACHMENT_HEADINGS, DECISION_HEADINGS, SECTION_HEADINGS

# Words that label a document's parts; as a committee's or a person's name they mean the reader
# took a heading or a table header for content.
STRUCTURE_WORDS = frozenset(
    {
        "punkt",
        "punkter",
        "titel",
        "sagsnr",
        "sagsnummer",
        "dato",
        "mødedato",
        "mødested",
        "sted",
        "tid",
        "udvalg",
        "referat",
        "dagsorden",
        "beslutning",
        "beslutninger",
        "bilag",
        "indhold",
        "indholdsfortegnelse",
        "side",
        "navn",
        "parti",
        "deltagere",
        "mødedeltagere",
        "fraværende",
        "afbud",
        "til stede",
        "tilstede",
        "forside",
        "forsiden",
        "menu",
        "søg",
        "kontakt",
    }
)
# Site chrome that readers have taken for a committee's name ("Tilbage til forsi[den]").
CHROME_START = re.compile(
    r"^(?:tilbage|gå til|til toppen|hent|download|kopi[eé]r|del\b|print|udskriv|luk\b|vis\b|"
    r"læs mere|spring|skip|cookie|forside|log ind|søg\b|menu\b|home\b|startside)",
    re.IGNORECASE,
)
_HAS_LETTER = re.compile(r"[A-Za-zÆØÅæøåÄÖÜäöüé]")
# Items whose titles legitimately repeat within one meeting.
REPEATABLE_TITLES = frozenset(
    {"lukket punkt", "lukket", "eventuelt", "meddelelser", "orientering", "personsag"}
)
EARLIEST_DATE = date(1970, 1, 1)
# Meetings are planned a few years ahead at most; a date further out is a misread number.
LATEST_YEARS_AHEAD = 10


def _key(text: str) -> str:
    return " ".join(text.lower().replace(":", " ").split()).strip(" .-–")


def _not_a_body(name: str) -> str | None:
    """Why `name` cannot be a deciding body's name, or None when it can."""
    key = _key(name)
    if not _HAS_LETTER.search(name) or len(key) < 3:
        return "er ikke et navn"
    if key in BOILERPLATE or CHROME_START.match(key):
        return "ligner et link eller en knap fra hjemmesiden"
    if key in SECTION_HEADINGS or key in DECISION_HEADINGS or key in ATTACHMENT_HEADINGS:
        return "er en overskrift i dokumentet"
    if key in STRUCTURE_WORDS or TOC_HEADING.match(name.strip()):
        return "er en etiket i dokumentet"
    if DATE_TOKEN.search(name) and len(DATE_TOKEN.sub("", name).strip(" ,.-–")) < 4:
        return "er en dato"
    if len(name) > 150:
        return "er for langt til at være et udvalgs navn"
    return None


def _not_a_person(name: str) -> bool:
    key = _key(name)
    return (
        not _HAS_LETTER.search(name)
        or key in STRUCTURE_WORDS
        or key in SECTION_HEADINGS
        or key in BOILERPLATE
        or bool(re.search(r"\d", name))
        or len(name) > 80
    )


def problems(doc: ParsedDocument, *, today: date | None = None) -> list[str]:
    """The signs of a failed read in `doc`, as messages for the person who checks the file."""
    found: list[str] = []
    if doc.kind == "document":
        return found
    what = "Referatet" if doc.kind == "minutes" else "Dagsordenen"
    if doc.committee:
        reason = _not_a_body(doc.committee)
        if reason:
            found.append(f"Udvalget '{doc.committee}' {reason}, ikke et udvalgs navn.")
    today = today or date.today()
    if doc.date and not (
        EARLIEST_DATE <= doc.date <= date(today.year + LATEST_YEARS_AHEAD, 12, 31)
    ):
        found.append(f"Mødedatoen {doc.date:%d-%m-%Y} er ikke en troværdig mødedato.")
    if doc.location and find_date(doc.location) and len(DATE_TOKEN.sub("", doc.location)) < 12:
        found.append(f"Mødestedet '{doc.location}' er en dato, ikke et sted.")
    if not doc.items and not doc.item_page:
        found.append(f"{what} har ingen dagsordenspunkter.")
    untitled = [item.number for item in doc.items if not item.title.strip()]
    if untitled:
        found.append(f"Punkt {_numbers(untitled)} har ingen titel.")
    bad_people = [a.name for a in doc.attendance if _not_a_person(a.name)]
    if bad_people:
        names = ", ".join(f"'{name}'" for name in bad_people[:5])
        found.append(f"Mødedeltagerne {names} er ikke navne på personer.")
    titles = Counter(
        _key(item.title) for item in doc.items if _key(item.title) not in REPEATABLE_TITLES
    )
    if titles:
        title, count = titles.most_common(1)[0]
        if count >= 3 and count * 3 >= len(doc.items):
            found.append(
                f"{count} af {len(doc.items)} punkter har samme titel ('{title[:60]}'); "
                "punkterne er sandsynligvis læst forkert."
            )
    numbers = [item.number for item in doc.items]
    repeated = sorted(n for n, c in Counter(numbers).items() if c > 1)
    if repeated:
        found.append(f"Punktnummer {_numbers(repeated)} forekommer flere gange.")
    for item in doc.items:
        for decision in item.decisions:
            reason = _not_a_body(decision.body)
            if reason:
                found.append(
                    f"Punkt {item.number}: beslutningens organ '{decision.body}' {reason}."
                )
                break
    return found


def _numbers(numbers: list[int]) -> str:
    shown = ", ".join(str(n) for n in numbers[:8])
    return shown + (" …" if len(numbers) > 8 else "")
