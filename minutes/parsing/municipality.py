"""The municipality or region a text belongs to: the one definition, for every kind of file.

Used by the parser (minutes, agendas and documents alike, the text parser and every reader) and
by ingestion
(`minutes.services.ingestion.detect_municipality`). Pure Python, like the reference data in
`minutes.data.municipalities` it reads.

What counts, by the conventions of Danish public documents:

- a name: "Høje-Taastrup Kommune", "Københavns Kommunes", "Bornholms Regionskommune",
  "Region Hovedstaden", and, as places and bodies that carry the name, "Ballerup Rådhus" and
  "Aarhus Byråd". A name broken over two lines ("Ballerup Kom-" / "mune") is still a name;
- an address of its own: mail and web domains ("mdo@balk.dk", "www.aarhus.dk",
  "hoeje-taastrup.dk"); most domains spell the name, a few are abbreviations (`DOMAIN_ALIASES`);
- where it stands: the opening lines (letterhead, header, memo fields) weigh more than the body;
- a region named in the body is mostly a partner ("Sundhedsaftalen med Region Hovedstaden"), so
  it weighs a third there; in the opening it is the region's own letterhead.

The authority with the most weight wins, the first named on a tie. Without any, the file name
("ballerup_notat.pdf", "hoeje-taastrup_referat.pdf") is the fallback; a "… Kommune" that is no
authority's name is answered with the nearest official name (a hint for the admin).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import PurePosixPath

from minutes.data.municipalities import MUNICIPALITIES, Authority, by_name, suggest

from .noise import Line

# Lines of the opening: letterhead, header, memo fields.
OPENING_LINES = 40
OPENING_FACTOR = 3.0
NAME_WEIGHT = 1.0
DOMAIN_WEIGHT = 2.0
REGION_IN_BODY = 1 / 3

_REGIONS = "Hovedstaden|Sjælland|Syddanmark|Midtjylland|Nordjylland"
# "Høje-Taastrup Kommune(s)", "Bornholms Regionskommune", "Ballerup Rådhus", "Aarhus Byråd",
# "Region Hovedstaden" (also "region Hovedstaden" in running text), and, only for the hint,
# any capitalised "Region X".
# The pattern opens with one character class, the first letter of a name or of "region", and
# checks after it that it does not stand inside a word ((?<![\w-].)): then the regex engine
# skips straight to capitals and r's instead of trying the pattern at every position of a 60 KB
# text (1.7 → 0.3 ms a meeting). The groups `region_rest` and `name_rest` are the region's and
# the name's text after that first letter (see `_mention_parts`). The name's quantifiers are
# possessive: a name ends at a space or hyphen, so giving letters back can never match.
MENTION = re.compile(
    r"[A-ZÆØÅr](?<![\w-].)"
    rf"(?:(?<=[Rr])(?P<region_rest>egion\s+(?:{_REGIONS}|[A-ZÆØÅ]\w+))s?"
    r"|(?<=[A-ZÆØÅ])(?P<name_rest>\w*+(?:-[A-ZÆØÅ]\w*+)*+)\s++"
    r"(?P<suffix>Regionskommune(?:ns|s|n)?|Kommune(?:ns|s|n)?|kommune(?:ns|s|n)?"
    r"|Rådhus(?:et|s)?|Byråd(?:et|s)?))(?![\w-])"
)
# "mdo@balk.dk", "https://www.aarhus.dk/…", "dagsorden.ltk.dk", "hoeje-taastrup.dk".
DOMAIN = re.compile(r"(?<![\w.-])(?:[\w-]+\.)*(?P<label>[\w-]+)\.dk(?![\w-])", re.IGNORECASE)
_DOT_DK = re.compile(r"\.[dD][kK]")

# Mail and web domains that do not spell their authority's name (the others are matched by
# name, with æ/ø/å written ae/oe/aa, o or a).
DOMAIN_ALIASES = {
    "balk": "Ballerup",
    "htk": "Høje-Taastrup",
    "ltk": "Lyngby-Taarbæk",
    "kk": "København",
    "brk": "Bornholm",
    "rk": "Rødovre",
    "fmk": "Faaborg-Midtfyn",
    "vhk": "Vesthimmerland",
    "rksk": "Ringkøbing-Skjern",
    "egekom": "Egedal",
    "regionh": "Region Hovedstaden",
    "regionsjaelland": "Region Sjælland",
    "rsyd": "Region Syddanmark",
    "rm": "Region Midtjylland",
    "rn": "Region Nordjylland",
}
_FOLDS = (
    str.maketrans({"æ": "ae", "ø": "oe", "å": "aa"}),
    str.maketrans({"æ": "ae", "ø": "o", "å": "aa"}),
    str.maketrans({"æ": "a", "ø": "o", "å": "a"}),
)
# "Kom-" / "mune": a word hyphenated at a line break.
# Opens with the hyphen (the letter before it checked behind) so the engine jumps to hyphens.
_BROKEN_WORD = re.compile(r"-(?<=[a-zæøå]-)[ \t]*\n[ \t]*(?=[a-zæøå])")


def _ascii_keys(name: str) -> set[str]:
    lowered = unicodedata.normalize("NFC", name).lower()
    return {re.sub(r"[^a-z0-9]", "", lowered.translate(fold)) for fold in _FOLDS}


@cache
def _by_ascii_key() -> dict[str, Authority]:
    """Each authority under its name without suffix, in every ASCII spelling ("hoejetaastrup")."""
    index: dict[str, Authority] = {}
    for authority in MUNICIPALITIES:
        base = re.sub(r"^Region\s+|\s+(?:Regionskommune|Kommune)$", "", authority.name)
        names = {base, re.sub(r"s$", "", base)} if base.endswith("s") else {base}
        for name in names:
            for key in _ascii_keys(name):
                if len(key) >= 3:
                    index.setdefault(key, authority)
    return index


def authority_of_domain(domain: str) -> Authority | None:
    """The authority a mail or web domain belongs to ("balk.dk", "www.aarhus.dk"), or None."""
    labels = domain.lower().strip(".").split(".")
    if len(labels) < 2 or labels[-1] != "dk":
        return None
    label = labels[-2]
    if label in DOMAIN_ALIASES:
        return by_name(DOMAIN_ALIASES[label])
    stem = re.sub(r"-?(?:kommune|kom)$", "", label)
    for key in _ascii_keys(stem) | {re.sub(r"[^a-z0-9]", "", stem)}:
        found = _by_ascii_key().get(key)
        if found is not None:
            return found
    return None


def authority_of_file_name(file_name: str) -> Authority | None:
    """The authority a file name starts with or contains ("ballerup_referat.pdf"), or None."""
    stem = PurePosixPath(file_name.replace("\\", "/")).stem
    for token in re.split(r"[_\s.]+", stem):
        authority = by_name(token) if len(token) > 2 else None
        if authority is not None:
            return authority
        parts = [part for part in token.lower().split("-") if part]
        for size in (3, 2, 1):
            for start in range(len(parts) - size + 1):
                key = "".join(parts[start : start + size])
                found = _by_ascii_key().get(key) if len(key) >= 4 else None
                if found is not None:
                    return found
    return None


def _mention_parts(match: re.Match[str]) -> tuple[str | None, str | None, str]:
    """(the region as written, or the name as written, and the suffix) of a MENTION match."""
    first = match.group(0)[0]
    if match["region_rest"] is not None:
        return first + match["region_rest"], None, ""
    return None, first + match["name_rest"], match["suffix"]


def _mentioned(match: re.Match[str]) -> tuple[Authority | None, str | None, bool]:
    """(authority, the name as written when it is no authority's, whether it names a region)."""
    region, name, suffix = _mention_parts(match)
    if region:
        written = " ".join(region.split())
        written = "Region " + written.split(" ", 1)[1]
        written = re.sub(rf"^(Region (?:{_REGIONS}))s$", r"\1", written)
        return by_name(written), written, True
    if suffix.startswith(("Rådhus", "Byråd")):
        return by_name(name), None, False
    base = "Regionskommune" if suffix.startswith("Regionskommune") else "Kommune"
    written = f"{name} {base}"
    authority = by_name(written) or by_name(name)
    # Only a capitalised "… Kommune" is worth a hint: "Hver kommune" is a sentence.
    return authority, written if suffix[0].isupper() else None, False


def find_authority(text: str, *, file_name: str = "") -> tuple[Authority | None, str | None]:
    """The authority the text belongs to, or (None, a hint for a misspelt name, if any).

    Weighs names and domains by where they stand (see the module's docstring); without any,
    the file name decides.
    """
    text = _BROKEN_WORD.sub("", unicodedata.normalize("NFC", text or ""))
    opening_end = _opening_end(text)
    weight: dict[Authority, float] = {}
    first_seen: dict[Authority, int] = {}
    unknown: list[str] = []

    def vote(authority: Authority, at: int, base: float, region: bool) -> None:
        opening = at < opening_end
        if region and not opening:
            base *= REGION_IN_BODY
        weight[authority] = weight.get(authority, 0.0) + base * (OPENING_FACTOR if opening else 1)
        first_seen.setdefault(authority, at)

    for match in MENTION.finditer(text):
        authority, written, region = _mentioned(match)
        if authority is not None:
            vote(authority, match.start(), NAME_WEIGHT, region or authority.kind == "region")
        elif written:
            unknown.append(written)
    for match in _domains(text):
        authority = authority_of_domain(match.group(0))
        if authority is not None:
            vote(authority, match.start(), DOMAIN_WEIGHT, False)
    if weight:
        return max(weight, key=lambda a: (weight[a], -first_seen[a])), None
    from_name = authority_of_file_name(file_name) if file_name else None
    if from_name is not None:
        return from_name, None
    for written in unknown:
        hint = suggest(written)
        if hint:
            return None, f"'{written}' findes ikke; mente du '{hint}'?"
    return None, None


def _domains(text: str) -> Iterator[re.Match[str]]:
    """DOMAIN's matches, looked for only on the lines with a ".dk" (a domain has no spaces):
    the pattern opens with a class of almost every character, slow over a whole document."""
    searched_to = -1
    for dot in _DOT_DK.finditer(text):
        line_start = text.rfind("\n", 0, dot.start()) + 1
        if line_start <= searched_to:
            continue
        line_end = text.find("\n", dot.end())
        searched_to = line_end = len(text) if line_end < 0 else line_end
        yield from DOMAIN.finditer(text, line_start, line_end)


def _opening_end(text: str) -> int:
    """The offset where the opening lines end."""
    position = 0
    for _ in range(OPENING_LINES):
        found = text.find("\n", position)
        if found < 0:
            return len(text)
        position = found + 1
    return position


def recognise_municipality(lines: Iterable[Line] | str, *, file_name: str = "") -> str | None:
    """The name of the municipality or region the text belongs to, or None."""
    text = lines if isinstance(lines, str) else "\n".join(line.text for line in lines)
    authority, _hint = find_authority(text, file_name=file_name)
    return authority.name if authority else None


def authority_named(texts: Iterable[str]) -> Authority | None:
    """The first authority the texts name, in their order ("Ballerup Rådhus", "Gentofte
    Kommune"); names that are no authority's are passed over."""
    for text in texts:
        for match in MENTION.finditer(unicodedata.normalize("NFC", text)):
            authority = _mentioned(match)[0]
            if authority is not None:
                return authority
    return None


def authority_of_addresses(addresses: Iterable[str]) -> Authority | None:
    """The authority of the mail domain most of the addresses write from ("mdo@balk.dk")."""
    domains = Counter(
        address.strip().rsplit("@", 1)[1].lower() for address in addresses if "@" in address
    )
    for domain, _count in domains.most_common():
        found = authority_of_domain(domain)
        if found is not None:
            return found
    return None


def recognise_in_export(
    *, labels: Iterable[str] = (), emails: Iterable[str] = (), content: Iterable[str] = ()
) -> str | None:
    """The publishing municipality from what a structured export says about itself.

    In order of trust: an authority named in the meeting's own labels (place, committee:
    "Ballerup Rådhus", "Gentofte Kommune"), the mail domain most of its people write from,
    then the authority the item texts name, weighed as in any text (`find_authority`).
    """
    found = authority_named(labels) or authority_of_addresses(emails)
    if found is None:
        found = find_authority("\n".join(content))[0]
    return found.name if found else None
