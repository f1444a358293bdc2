"""A body's name: how the parser writes the bodies that decide, and tells them apart.

The one definition, for the text parser and every reader. Minutes name a body in many
spellings: in the genitive ("Økonomiudvalgets beslutning"), in capitals (SBSYS
"FORRETNINGSUDVALGETS BESLUTNING"), with a code ("Udvalget for Klima og Miljø (KMU)") or a
term ("Byrådet 2022-2025"), with or without the municipality's name ("Aarhus Byråd",
"Byrådet"). The archive writes a body in its base form (`nominative`), with capitals made
readable, and in the committee's own spelling when it is the meeting's body; `same_body` tells
whether two spellings name one body; `settle_this_meeting` marks each item's decision of this
meeting: the meeting's own body's, on the meeting date (fixtures/formats/expected/CONVENTIONS.md).
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from minutes.data.municipalities import Authority, by_name

from .header import TERM
from .model import Decision, Item, ParsedDocument

# The genitive "s" after a body's name: "Økonomiudvalgets", "Byrådets", "Ældrerådets".
_GENITIVE = re.compile(r"(?:(?<=et)|(?<=en)|(?<=udvalg)|(?<=råd)|(?<=nævn))s$", re.IGNORECASE)
# A body left unnamed ("Udvalgets beslutning", "Beslutning på mødet"): the meeting's own.
_UNNAMED = re.compile(r"udvalg(?:et|ets)?|mødet", re.IGNORECASE)
# "Udvalget for Klima og Miljø (KMU)": the code is a label, not part of the name.
_CODE = re.compile(r"\s*\([A-ZÆØÅ0-9]{2,8}\)")
# What the definite and genitive endings add to a name's key: "Byrådet(s)" is "Byråd".
_ENDING = re.compile(r"(?:ets|ens|et|en|s)$")
_SMALL_WORDS = {"og", "i", "for", "af", "på", "til", "med", "om", "de", "den", "det"}


def readable_capitals(name: str) -> str:
    """A name printed in capitals as it is written: "BØRNE- OG UNGEUDVALGET" → "Børne- og
    Ungeudvalget", "KMB IT-UDVALGET" → "KMB IT-udvalget" (a short first word, or the short
    head of a compound, is an acronym and stays in capitals; "BY- OG BOLIGUDVALGET" is "By-")."""
    words = name.lower().split(" ")
    for index, word in enumerate(words):
        head, dash, tail = word.partition("-")
        elided = bool(dash) and not tail
        acronym = len(head) <= 3 and head.isalpha() and head not in _SMALL_WORDS
        if acronym and not elided and (index == 0 or dash):
            words[index] = head.upper() + dash + tail
        elif index == 0 or (index >= 2 and words[index - 2].endswith("-")):
            # The word after an elided compound starts a name too: "Børne- og Ungeudvalget".
            words[index] = word[:1].upper() + word[1:]
    return " ".join(words)


def unnamed(body: str) -> bool:
    """True for a body left unnamed ("Udvalget", "Udvalgets", "mødet"): the meeting's own."""
    return bool(_UNNAMED.fullmatch(body.strip(" ,:;.")))


def nominative(body: str, committee: str | None = None) -> str:
    """A body's name as the archive writes it: the committee's own spelling when it is the
    committee (or left unnamed: "Udvalgets"), otherwise in its base form with capitals made
    readable ("Økonomiudvalgets" → "Økonomiudvalget", "FORRETNINGSUDVALGETS" →
    "Forretningsudvalget")."""
    body = " ".join(body.split()).strip(" ,:;").rstrip(".")
    if committee and (unnamed(body) or same_body(body, committee)):
        return committee
    body = _GENITIVE.sub("", body)
    if body.isupper() and len(body) > 3:
        return readable_capitals(body)
    return body


def _words(name: str) -> list[str]:
    name = _CODE.sub("", TERM.sub("", name))
    return _GENITIVE.sub("", " ".join(name.split()).strip(" ,:;.")).casefold().split()


def _key(words: list[str]) -> str:
    return _ENDING.sub("", re.sub(r"[\W_]+", "", "".join(words)))


def _authority_prefix(words: list[str]) -> tuple[Authority | None, list[str]]:
    for size in (2, 1):
        found = by_name(" ".join(words[:size])) if len(words) > size else None
        if found is not None:
            return found, words[size:]
    return None, words


def authority_in_name(name: str) -> Authority | None:
    """The municipality a body's name starts with ("Aarhus Byråd", "Københavns
    Borgerrepræsentation"), or None."""
    return _authority_prefix(name.split())[0]


@lru_cache(maxsize=4096)  # asked for every decision of every item, of a few names per file
def same_body(a: str | None, b: str | None) -> bool:
    """Whether two spellings name one body: whatever the case, the genitive, a code ("(KMU)")
    or a term ("2022-2025"), and with or without the municipality's name ("Aarhus Byråd" is
    "Byrådet"; "Odense Byråd" is not)."""
    if not a or not b:
        return False
    first, second = _words(a), _words(b)
    if _key(first) == _key(second):
        return True
    (town_first, rest_first), (town_second, rest_second) = map(_authority_prefix, (first, second))
    return (town_first is None) != (town_second is None) and _key(rest_first) == _key(rest_second)


def has_own_decisions(doc: ParsedDocument) -> bool:
    """Whether any item holds a decision of the meeting's own body dated the meeting day:
    whatever the header says, such a document records the meeting's decisions (minutes)."""
    return doc.date is not None and any(
        same_body(decision.body, doc.committee) and decision.date == doc.date
        for item in doc.items
        for decision in item.decisions
    )


NO_COMMITTEE = "udvalget kunne ikke findes i overskriften"
NO_DATE = "mødedatoen kunne ikke findes i overskriften"


def meeting_from_decisions(doc: ParsedDocument) -> None:
    """A meeting whose header names no body or date (an OS2dagsorden page's `Dato: Onsdag,
    April 3, 2019 - 18:00`, a page without its title) is the meeting whose body and date most of
    its items' decisions name (`Kultur- og Idrætsudvalget, 03-04-2019, pkt. 42`): at least two
    items, and half of them."""
    if doc.committee is not None and doc.date is not None:
        return
    pairs = Counter(
        (decision.body, decision.date)
        for item in doc.items
        for decision in {(d.body, d.date): d for d in item.decisions}.values()
        if decision.body
        and decision.date
        and (doc.date is None or decision.date == doc.date)
        and (doc.committee is None or same_body(decision.body, doc.committee))
    )
    if not pairs:
        return
    (body, day), count = pairs.most_common(1)[0]
    if count < max(2, (len(doc.items) + 1) // 2):
        return
    if doc.committee is None:
        doc.committee = body
        doc.warnings = [w for w in doc.warnings if w != NO_COMMITTEE]
    if doc.date is None:
        doc.date = day
        doc.warnings = [w for w in doc.warnings if w != NO_DATE]


def settle_this_meeting(doc: ParsedDocument) -> None:
    """Per item, at most one decision is this meeting's: the first of the meeting's own body
    dated the meeting day (without a known meeting date, that body's last). A different body on
    the same day, or the same body on another day, is not; agendas have none."""
    for item in doc.items:
        for decision in item.decisions:
            decision.this_meeting = False
        if doc.kind != "minutes":
            continue
        own = [
            decision
            for decision in item.decisions
            if same_body(decision.body, doc.committee)
            and (doc.date is None or decision.date == doc.date)
        ]
        if own:
            own[-1 if doc.date is None else 0].this_meeting = True


def this_meetings_decision(item: Item) -> Decision | None:
    """The item's decision of this meeting, once settled."""
    return next((decision for decision in item.decisions if decision.this_meeting), None)
