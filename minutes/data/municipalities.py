"""Reference data for Danish public authorities: the 98 municipalities and 5 regions.

Pure Python (no Django import), so it can be used from parsers, management
commands, migrations and tests alike.

Codes are the official Danmarks Statistik / DAGI codes (kommunekode for
municipalities, regionskode 1081-1085 for regions). Christiansø (411) is
administered directly by the state and is not a municipality, so it is not
listed. Names are the official full names as the authorities use them,
including the genitive forms "Københavns Kommune", "Nordfyns Kommune",
"Vesthimmerlands Kommune" and "Bornholms Regionskommune".
"""

from __future__ import annotations

import difflib
import unicodedata
from typing import NamedTuple

__all__ = [
    "Authority",
    "MUNICIPALITIES",
    "REGION_NORDJYLLAND",
    "REGION_MIDTJYLLAND",
    "REGION_SYDDANMARK",
    "REGION_HOVEDSTADEN",
    "REGION_SJAELLAND",
    "by_code",
    "by_name",
    "suggest",
]


class Authority(NamedTuple):
    code: int
    name: str
    kind: str  # "municipality" or "region"
    region: str | None  # region name for municipalities, None for regions


REGION_NORDJYLLAND = "Region Nordjylland"
REGION_MIDTJYLLAND = "Region Midtjylland"
REGION_SYDDANMARK = "Region Syddanmark"
REGION_HOVEDSTADEN = "Region Hovedstaden"
REGION_SJAELLAND = "Region Sjælland"

_H = REGION_HOVEDSTADEN
_S = REGION_SJAELLAND
_D = REGION_SYDDANMARK
_M = REGION_MIDTJYLLAND
_N = REGION_NORDJYLLAND


def _m(code: int, name: str, region: str) -> Authority:
    return Authority(code, name, "municipality", region)


def _r(code: int, name: str) -> Authority:
    return Authority(code, name, "region", None)


MUNICIPALITIES: tuple[Authority, ...] = (
    # Region Hovedstaden (29)
    _m(101, "Københavns Kommune", _H),
    _m(147, "Frederiksberg Kommune", _H),
    _m(151, "Ballerup Kommune", _H),
    _m(153, "Brøndby Kommune", _H),
    _m(155, "Dragør Kommune", _H),
    _m(157, "Gentofte Kommune", _H),
    _m(159, "Gladsaxe Kommune", _H),
    _m(161, "Glostrup Kommune", _H),
    _m(163, "Herlev Kommune", _H),
    _m(165, "Albertslund Kommune", _H),
    _m(167, "Hvidovre Kommune", _H),
    _m(169, "Høje-Taastrup Kommune", _H),
    _m(173, "Lyngby-Taarbæk Kommune", _H),
    _m(175, "Rødovre Kommune", _H),
    _m(183, "Ishøj Kommune", _H),
    _m(185, "Tårnby Kommune", _H),
    _m(187, "Vallensbæk Kommune", _H),
    _m(190, "Furesø Kommune", _H),
    _m(201, "Allerød Kommune", _H),
    _m(210, "Fredensborg Kommune", _H),
    _m(217, "Helsingør Kommune", _H),
    _m(219, "Hillerød Kommune", _H),
    _m(223, "Hørsholm Kommune", _H),
    _m(230, "Rudersdal Kommune", _H),
    _m(240, "Egedal Kommune", _H),
    _m(250, "Frederikssund Kommune", _H),
    _m(260, "Halsnæs Kommune", _H),
    _m(270, "Gribskov Kommune", _H),
    _m(400, "Bornholms Regionskommune", _H),
    # Region Sjælland (17)
    _m(253, "Greve Kommune", _S),
    _m(259, "Køge Kommune", _S),
    _m(265, "Roskilde Kommune", _S),
    _m(269, "Solrød Kommune", _S),
    _m(306, "Odsherred Kommune", _S),
    _m(316, "Holbæk Kommune", _S),
    _m(320, "Faxe Kommune", _S),
    _m(326, "Kalundborg Kommune", _S),
    _m(329, "Ringsted Kommune", _S),
    _m(330, "Slagelse Kommune", _S),
    _m(336, "Stevns Kommune", _S),
    _m(340, "Sorø Kommune", _S),
    _m(350, "Lejre Kommune", _S),
    _m(360, "Lolland Kommune", _S),
    _m(370, "Næstved Kommune", _S),
    _m(376, "Guldborgsund Kommune", _S),
    _m(390, "Vordingborg Kommune", _S),
    # Region Syddanmark (22)
    _m(410, "Middelfart Kommune", _D),
    _m(420, "Assens Kommune", _D),
    _m(430, "Faaborg-Midtfyn Kommune", _D),
    _m(440, "Kerteminde Kommune", _D),
    _m(450, "Nyborg Kommune", _D),
    _m(461, "Odense Kommune", _D),
    _m(479, "Svendborg Kommune", _D),
    _m(480, "Nordfyns Kommune", _D),
    _m(482, "Langeland Kommune", _D),
    _m(492, "Ærø Kommune", _D),
    _m(510, "Haderslev Kommune", _D),
    _m(530, "Billund Kommune", _D),
    _m(540, "Sønderborg Kommune", _D),
    _m(550, "Tønder Kommune", _D),
    _m(561, "Esbjerg Kommune", _D),
    _m(563, "Fanø Kommune", _D),
    _m(573, "Varde Kommune", _D),
    _m(575, "Vejen Kommune", _D),
    _m(580, "Aabenraa Kommune", _D),
    _m(607, "Fredericia Kommune", _D),
    _m(621, "Kolding Kommune", _D),
    _m(630, "Vejle Kommune", _D),
    # Region Midtjylland (19)
    _m(615, "Horsens Kommune", _M),
    _m(657, "Herning Kommune", _M),
    _m(661, "Holstebro Kommune", _M),
    _m(665, "Lemvig Kommune", _M),
    _m(671, "Struer Kommune", _M),
    _m(706, "Syddjurs Kommune", _M),
    _m(707, "Norddjurs Kommune", _M),
    _m(710, "Favrskov Kommune", _M),
    _m(727, "Odder Kommune", _M),
    _m(730, "Randers Kommune", _M),
    _m(740, "Silkeborg Kommune", _M),
    _m(741, "Samsø Kommune", _M),
    _m(746, "Skanderborg Kommune", _M),
    _m(751, "Aarhus Kommune", _M),
    _m(756, "Ikast-Brande Kommune", _M),
    _m(760, "Ringkøbing-Skjern Kommune", _M),
    _m(766, "Hedensted Kommune", _M),
    _m(779, "Skive Kommune", _M),
    _m(791, "Viborg Kommune", _M),
    # Region Nordjylland (11)
    _m(773, "Morsø Kommune", _N),
    _m(787, "Thisted Kommune", _N),
    _m(810, "Brønderslev Kommune", _N),
    _m(813, "Frederikshavn Kommune", _N),
    _m(820, "Vesthimmerlands Kommune", _N),
    _m(825, "Læsø Kommune", _N),
    _m(840, "Rebild Kommune", _N),
    _m(846, "Mariagerfjord Kommune", _N),
    _m(849, "Jammerbugt Kommune", _N),
    _m(851, "Aalborg Kommune", _N),
    _m(860, "Hjørring Kommune", _N),
    # Regions (5)
    _r(1081, REGION_NORDJYLLAND),
    _r(1082, REGION_MIDTJYLLAND),
    _r(1083, REGION_SYDDANMARK),
    _r(1084, REGION_HOVEDSTADEN),
    _r(1085, REGION_SJAELLAND),
)

# Short forms that are not simply "<official name minus suffix>": the
# nominative of the genitive names, plus the pre-2011 spelling of Aarhus.
_EXTRA_STEMS: dict[str, int] = {
    "København": 101,
    "Bornholm": 400,
    "Nordfyn": 480,
    "Vesthimmerland": 820,
    "Århus": 751,
}

_SUFFIXES: tuple[str, ...] = (" Regionskommune", " Kommune")


def _norm(text: str) -> str:
    """Case-fold, NFC-normalise and collapse whitespace."""
    text = unicodedata.normalize("NFC", text)
    return " ".join(text.split()).casefold()


def _stem(name: str) -> str:
    for suffix in _SUFFIXES:
        if name.endswith(suffix):
            return name[: -len(suffix)]
    if name.startswith("Region "):
        return name[len("Region ") :]
    return name


def _build_index() -> dict[str, Authority]:
    index: dict[str, Authority] = {}
    by_code_: dict[int, Authority] = {a.code: a for a in MUNICIPALITIES}

    def add(key: str, authority: Authority) -> None:
        k = _norm(key)
        existing = index.get(k)
        if existing is not None and existing != authority:
            raise ValueError(f"ambiguous alias {key!r}: {existing.name} / {authority.name}")
        index[k] = authority

    stems: list[tuple[str, Authority]] = []
    for a in MUNICIPALITIES:
        add(a.name, a)
        stems.append((_stem(a.name), a))
    for stem, code in _EXTRA_STEMS.items():
        stems.append((stem, by_code_[code]))
    for stem, a in stems:
        add(stem, a)
        if a.kind == "municipality":
            add(f"{stem} Kommune", a)
            if a.code == 400:
                add(f"{stem} Regionskommune", a)
    return index


_INDEX: dict[str, Authority] = _build_index()
_BY_CODE: dict[int, Authority] = {a.code: a for a in MUNICIPALITIES}


def by_code(code: int) -> Authority | None:
    """Return the authority with the given kommunekode/regionskode, or None."""
    return _BY_CODE.get(code)


def by_name(name: str) -> Authority | None:
    """Look up an authority by name, case-insensitively.

    Accepts the official name ("Københavns Kommune"), the name without the
    "Kommune"/"Regionskommune" suffix ("Københavns", "høje-taastrup"), the
    nominative form of genitive names ("København", "Bornholm"), and region
    names with or without the "Region " prefix ("Hovedstaden").
    """
    if not name:
        return None
    return _INDEX.get(_norm(name))


def suggest(name: str) -> str | None:
    """Return the official name closest to ``name`` (via difflib), or None.

    An exact alias match (see :func:`by_name`) wins; otherwise the closest
    alias with a similarity ratio of at least 0.6 decides.
    """
    if not name or not name.strip():
        return None
    exact = by_name(name)
    if exact is not None:
        return exact.name
    matches = difflib.get_close_matches(_norm(name), list(_INDEX), n=1, cutoff=0.6)
    return _INDEX[matches[0]].name if matches else None
