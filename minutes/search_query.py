"""The query language of search: web-search syntax, case numbers in any spelling, æ/ø/å typed as
ae/oe/aa (and back), and the parts of compound words.

`parse_query` turns the visitor's text into a tsquery built by PostgreSQL from fixed SQL pieces
and parameters (user text is never formatted into SQL).

Spelling variants are added at query time, always: a word with æ, ø or å also matches its
ae/oe/aa spelling and the other way round, at every place on its own ("Hoeje-Taastrup" finds
"Høje-Taastrup", whose "aa" stays). The archive's text keeps its own spelling, so nothing in the
index changes; a variant the archive does not use costs one more lexeme in a GIN lookup.

Compound parts (`expand=True`, which search asks for only when the words alone find few items):
a word of at least COMPOUND_MIN letters after stemming also matches the words it begins
("affald" finds "affaldsmængden", "rygestop" finds "rygestopkurser"). The whole word then ranks
above the compounds, because it alone is in the rank query.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection

from .models import Case
from .parsing.conventions import (
    KLE_NUMBER,
    KLE_UNDOTTED,
    LETTERED_CASE_NUMBER,
    normalise_case_number,
)
from .querysets import SEARCH_CONFIG

CONFIG = SEARCH_CONFIG
# Up to this many matches a count is exact; above it, estimated from the 1/32 sample (the
# search's counts and facets, and the words' frequencies "Mente du …?" weighs).
EXACT_LIMIT = 5000
# A spelling variant for each combination of the places a word can be spelt two ways, up to
# this many; past it, only the word with every place swapped.
MAX_VARIANTS = 8
# The shortest stem whose compounds are searched: shorter ones begin too many unrelated words
# ("bil" begins "bilag").
COMPOUND_MIN = 5

# --- Procedural items ------------------------------------------------------------------------

# The titles of the items every meeting has. A word they share with the query only by its stem
# ("godkendt" and "Godkendelse af dagsorden") must not put them above the items about something:
# search ranks them below every other match, unless the query asks for them in their own words.
PROCEDURAL_TITLES = (
    "godkendelse af dagsorden",
    "godkendelse af dagsordenen",
    "meddelelser",
    "eventuelt",
    "kommende sager",
    "underskriftsblad",
    "underskrift af protokol",
    "lukket punkt",
)
# A title is procedural when it has one of those phrases (fixed SQL: no visitor text in it).
PROCEDURAL_TSQUERY = (
    "("
    + " || ".join(f"phraseto_tsquery('{SEARCH_CONFIG}', '{title}')" for title in PROCEDURAL_TITLES)
    + ")"
)
_PROCEDURAL_WORDS = frozenset(" ".join(PROCEDURAL_TITLES).split())


def asks_for_procedural_items(text: str) -> bool:
    """Whether every word of the query is a word of the procedural titles, as they write it."""
    words = [w.lower() for w in re.findall(r"\w+", text)]
    return bool(words) and all(w in _PROCEDURAL_WORDS for w in words)


# --- Tokens ----------------------------------------------------------------------------------

# A case number as users type it: 17/10000, 17-10000, 2017 / 10000, EMN-2024-001234,
# EMN 2025 009242, a KLE journal number with or without spaces around the dashes or without its
# dots; optionally after "sag" or "sagsnr.". The grammar itself is in parsing.conventions.
_YEAR_SERIAL = r"(?:\d{2}|\d{4})\s*[/–-]\s*\d{1,7}"
_LABEL = r"(?:sags?\s*-?\s*(?:nr|nummer)\.?|sag\s+nr\.?|sagnr\.?|j\.?\s*nr\.?|sag)\s*[:.]?\s*"
CASE_IN_TEXT = re.compile(
    rf"(?<![\w./-])(?:{_LABEL})?"
    rf"(?P<number>{KLE_NUMBER}|{KLE_UNDOTTED}|{LETTERED_CASE_NUMBER}|{_YEAR_SERIAL})"
    r"(?![\w/]|[.-]\d)",
    re.IGNORECASE,
)
_TOKEN = re.compile(r'(?P<neg>-)?(?:"(?P<phrase>[^"]*)"?|(?P<word>[^\s"]+))')
_PREFIX_WORD = re.compile(r"^[\wæøåÆØÅ.\-/]+$")


@dataclass(frozen=True)
class Token:
    kind: str  # word | phrase | prefix | case
    text: str
    negated: bool = False
    variants: tuple[str, ...] = ()


def case_spellings(normalised: str, printed: Sequence[str] = ()) -> list[str]:
    """The ways a case number is printed in minutes, for matching it in the text."""
    spellings = list(printed)
    year_serial = re.fullmatch(r"(\d{2})/(\d+)", normalised)
    if year_serial:
        year, serial = year_serial.groups()
        for y in (year, f"20{year}", f"19{year}"):
            spellings += [f"{y}/{serial}", f"{y}-{serial}"]
    elif re.fullmatch(KLE_NUMBER, normalised, re.IGNORECASE):
        parts = [p.strip() for p in normalised.split("-")]
        spellings += ["-".join(parts), " - ".join(parts)]
    else:
        spellings.append(normalised)
    return list(dict.fromkeys(spellings))


def whole_query_case_number(text: str) -> str | None:
    """The normalised case number when the whole query is one, in any common spelling."""
    match = CASE_IN_TEXT.fullmatch(text.strip())
    return normalise_case_number(match["number"]) if match else None


def tokenize(text: str) -> list[Token | str]:
    """Web-search syntax ("phrase", OR, -word) plus `word*` prefixes and case numbers.

    Returns tokens and the string "OR" between the groups it separates.
    """
    out: list[Token | str] = []
    position = 0
    for case in CASE_IN_TEXT.finditer(text):
        out += _plain_tokens(text[position : case.start()])
        number = case["number"]
        out.append(
            Token("case", number, variants=tuple(case_spellings(normalise_case_number(number))))
        )
        position = case.end()
    out += _plain_tokens(text[position:])
    return out


def _plain_tokens(text: str) -> list[Token | str]:
    out: list[Token | str] = []
    for match in _TOKEN.finditer(text):
        negated = bool(match["neg"])
        if match["phrase"] is not None:
            if match["phrase"].strip():
                out.append(Token("phrase", match["phrase"], negated))
            continue
        word = match["word"]
        if word.lower() == "or" and not negated:
            out.append("OR")
        elif word.endswith("*") and len(word.rstrip("*")) >= 2:
            stem = word.rstrip("*")
            kind = "prefix" if _PREFIX_WORD.match(stem) else "word"
            out.append(Token(kind, stem, negated))
        elif word.strip("-*"):
            out.append(Token("word", word.strip("*"), negated))
    return out


def plain_words(text: str) -> list[str]:
    """The query's positive single words (no phrase, prefix, case number or OR), in order."""
    return [
        t.text
        for t in tokenize(text)
        if isinstance(t, Token) and t.kind == "word" and not t.negated
    ]


# --- æ/ø/å and aa/ae/oe ------------------------------------------------------------------------

_FOLDABLE = re.compile(r"aa|ae|oe|å|æ|ø", re.IGNORECASE)
_SWAP = {"å": "aa", "æ": "ae", "ø": "oe", "aa": "å", "ae": "æ", "oe": "ø"}


def spelling_variants(text: str) -> list[str]:
    """`text` first, then its spellings with æ/ø/å and aa/ae/oe swapped (lower case).

    Every combination of places when there are few ("hoeje-taastrup" gives "høje-taastrup",
    "hoeje-tåstrup" and "høje-tåstrup"), else only all of them swapped at once.
    """
    lowered = text.lower()
    sites = list(_FOLDABLE.finditer(lowered))
    if not sites:
        return [text]
    if 2 ** len(sites) > MAX_VARIANTS:
        return list(dict.fromkeys([text, _FOLDABLE.sub(lambda m: _SWAP[m[0]], lowered)]))
    out = [text]
    for mask in range(1, 2 ** len(sites)):
        pieces, position = [], 0
        for bit, site in enumerate(sites):
            if mask & (1 << bit):
                pieces += [lowered[position : site.start()], _SWAP[site[0]]]
                position = site.end()
        out.append("".join(pieces) + lowered[position:])
    return list(dict.fromkeys(out))


# --- Word families the stemmer splits -----------------------------------------------------------

# The Danish snowball stemmer cuts some verb forms further than others: godkende and godkendes
# become 'godk', godkendt and godkendelse 'godkend'; besluttede 'beslutted', besluttet 'beslut'.
# A word in such a form also searches the stem of its sibling (the ending swapped below), when
# one stem begins the other: they are then one word family cut in two, not two words.
_FAMILY_ENDINGS = (("endes", "endt"), ("ende", "endt"), ("dt", "de"), ("ede", "e"), ("et", "e"))


# Strong verbs change their vowel: udsætte, udsættes, udsættelse stem to 'udsæt', udsat and
# udsatte to 'udsat'; neither stem begins the other. A word ending in one form of these verbs
# (with whatever before it: ud-, fast-, ned-, fore-) also searches its other form, at once
# (the table is the check): "udsat" finds "udsættes", "udsættelse" finds "udsat".
_VOWEL_FAMILIES = (
    (("sættelsen", "sættelse", "sættes", "sætter", "sætte"), "sat", ("satte", "sat")),
    (("læggelse", "lægges", "lægger", "lægge"), "lagt", ("lagde", "lagt")),
    (("vælges", "vælger", "vælge"), "valgt", ("valgte", "valgt")),
    (("skydelse", "skydes", "skyder", "skyde"), "skudt", ("skudt",)),
)


def vowel_family_forms(word: str) -> list[str]:
    """The other form of a strong verb's family ("udsættes" → "udsat", "udsat" → "udsætte")."""
    lowered = word.lower()
    if not lowered.isalpha():
        return []
    for present, past, past_forms in _VOWEL_FAMILIES:
        for ending in present:
            if lowered.endswith(ending):
                return [lowered[: -len(ending)] + past]
        for ending in past_forms:
            if lowered.endswith(ending):
                return [lowered[: -len(ending)] + present[-1]]
    return []


def family_forms(word: str) -> list[str]:
    """The sibling forms of a verb form whose stem the stemmer may cut differently."""
    lowered = word.lower()
    if len(lowered) < 5 or not lowered.isalpha():
        return []
    return [
        lowered[: -len(ending)] + sibling
        for ending, sibling in _FAMILY_ENDINGS
        if lowered.endswith(ending)
    ][:1]


# A sibling's stem joins the word's query only when one stem begins the other (fixed SQL; the
# two words are parameters). The word's own query stands in when it does not.
_FAMILY_PIECE = (
    "coalesce((SELECT to_tsquery('simple', quote_literal(f)) FROM (SELECT "
    f"(tsvector_to_array(to_tsvector('{CONFIG}', %s)))[1] AS f, "
    f"(tsvector_to_array(to_tsvector('{CONFIG}', %s)))[1] AS w) AS stems "
    "WHERE f <> w AND least(length(f), length(w)) >= 4 "
    "AND (starts_with(f, w) OR starts_with(w, f))), "
    f"websearch_to_tsquery('{CONFIG}', %s))"
)


# --- Parsing into a tsquery --------------------------------------------------------------------


@dataclass
class ParsedQuery:
    text: str
    tsquery: str = ""  # canonical tsquery text, passed back as a parameter (never formatted)
    rank_query: str = ""  # the positive lexemes OR-ed: ts_rank then averages per-term scores
    nodes: int = 0
    lexemes: list[tuple[str, bool]] = field(default_factory=list)  # (lexeme, is_prefix)
    negated: bool = False
    phrase: bool = False
    case_numbers: list[str] = field(default_factory=list)
    # How the query was read, for the quiet line above the results: (the word as typed, the
    # other spellings searched too, the stem whose compounds were searched or "").
    readings: list[tuple[str, tuple[str, ...], str]] = field(default_factory=list)
    # What an item's text must hold to match, as far as the words go: one lexeme at least of
    # each group (a group per positive token when the query has no OR, else one group of them
    # all). Empty when no such rule holds: a negation (`a OR -b` matches text without a) or a
    # prefix (no list of whole words says what it needs).
    required: list[list[str]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return self.nodes == 0

    @property
    def widened(self) -> bool:
        """Whether the query searched more than its words as typed (spellings, compounds)."""
        return any(others or stem for _word, others, stem in self.readings)


def _quote_lexeme(lexeme: str) -> str:
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def _single_stems(words: Sequence[str]) -> dict[str, str]:
    """word → its stem, for the words that stem to exactly one lexeme of COMPOUND_MIN letters."""
    if not words:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT w, tsvector_to_array(to_tsvector('{CONFIG}', w)) FROM unnest(%s::text[]) AS w",
            [list(words)],
        )
        rows = cursor.fetchall()
    return {
        word: lexemes[0]
        for word, lexemes in rows
        if lexemes and len(lexemes) == 1 and len(lexemes[0]) >= COMPOUND_MIN
    }


def parse_query(text: str, cases: Sequence[Case] = (), *, expand: bool = False) -> ParsedQuery:
    """Build the tsquery in PostgreSQL from fixed SQL pieces and parameters: user text is only
    ever a parameter of websearch_to_tsquery/phraseto_tsquery/to_tsquery(quote_literal(...)).

    `expand` also matches the compounds that begin with a word (see the module's docstring).
    """
    return parse_queries([text], cases, expand=expand)[0]


def parse_queries(
    texts: Sequence[str], cases: Sequence[Case] = (), *, expand: bool = False
) -> list[ParsedQuery]:
    """`parse_query` of each text, in two round trips at most however many there are (a
    relaxed question parses each of its words)."""
    tokenized = [tokenize(text) for text in texts]
    stems: dict[str, str] = {}
    if expand:
        stems = _single_stems(
            [
                v
                for tokens in tokenized
                for t in tokens
                if isinstance(t, Token) and t.kind == "word" and not t.negated
                for v in spelling_variants(t.text)
            ]
        )
    printed: dict[str, list[str]] = {}
    for case in cases:
        printed.setdefault(case.normalised, []).append(case.number)
    built = [
        _built(text, tokens, printed, stems) for text, tokens in zip(texts, tokenized, strict=True)
    ]
    selects = [(sql, params) for _parsed, sql, params, _flags in built if sql]
    row: tuple = ()
    if selects:
        # One row: each query's columns side by side.
        sql = "SELECT * FROM " + ", ".join(f"({q}) AS p{n}" for n, (q, _p) in enumerate(selects))
        with connection.cursor() as cursor:
            cursor.execute(sql, [value for _q, params in selects for value in params])
            row = cursor.fetchone()
    out = []
    position = 0
    for parsed, sql, _params, prefix_flags in built:
        if sql:
            width = 2 + len(prefix_flags)
            _finish(parsed, row[position : position + width], prefix_flags)
            position += width
        out.append(parsed)
    return out


def _built(
    text: str, tokens: list[Token | str], printed: dict[str, list[str]], stems: dict[str, str]
) -> tuple[ParsedQuery, str, list[Any], list[bool]]:
    """(the query as far as Python reads it, the SQL that builds its tsquery and lexemes or ""
    when it has no token, its parameters, which of its lexeme columns are prefixes)."""
    parsed = ParsedQuery(text=text)
    groups: list[list[str]] = [[]]
    params: list[Any] = []
    lexeme_sql: list[str] = []
    lexeme_params: list[Any] = []
    prefix_flags: list[bool] = []
    for token in tokens:
        if token == "OR":
            groups.append([])
            continue
        assert isinstance(token, Token)
        typed: list[str] = []
        normalised = ""
        compound_stems: list[str] = []
        if token.kind in ("word", "phrase", "prefix"):
            values = spelling_variants(token.text)
            typed = list(values)
            function = {
                "word": f"websearch_to_tsquery('{CONFIG}', %s)",
                "phrase": f"phraseto_tsquery('{CONFIG}', %s)",
                "prefix": f"to_tsquery('{CONFIG}', quote_literal(%s) || ':*')",
            }[token.kind]
            pieces = [function] * len(values)
            if token.kind == "word":
                for sibling in family_forms(token.text):
                    pieces.append(_FAMILY_PIECE)
                    values = [*values, sibling, token.text, token.text]
                    typed.append(sibling)
                for sibling in vowel_family_forms(token.text):
                    pieces.append(f"websearch_to_tsquery('{CONFIG}', %s)")
                    values = [*values, sibling]
                    typed.append(sibling)
            if token.kind == "word" and not token.negated:
                compound_stems = list(dict.fromkeys(stems[v] for v in values if v in stems))
                # The stem itself, not stemmed again: 'simple' only lower-cases.
                pieces += ["to_tsquery('simple', quote_literal(%s) || ':*')"] * len(compound_stems)
                values = [*values, *compound_stems]
            expr = pieces[0] if len(pieces) == 1 else "(" + " || ".join(pieces) + ")"
            parsed.phrase = parsed.phrase or token.kind == "phrase"
            if not token.negated:
                others = tuple(v for v in spelling_variants(token.text)[1:])
                parsed.readings.append((token.text, others, "/".join(compound_stems)))
        else:
            normalised = normalise_case_number(token.text)
            spellings = case_spellings(normalised, printed.get(normalised, []))
            spellings = list(dict.fromkeys([token.text, *spellings]))
            expr = "(" + " || ".join(f"phraseto_tsquery('{CONFIG}', %s)" for _ in spellings) + ")"
            values = spellings
            parsed.phrase = True
            parsed.case_numbers.append(normalised)
        if token.negated:
            expr = f"(!!{expr})"
            parsed.negated = True
        else:
            # The rank query holds the words as typed and their spellings, never the compounds:
            # an item with the whole word ranks above one where it is only part of a word.
            ranked = typed if token.kind != "case" else values
            lexeme_sql.append(f"tsvector_to_array(to_tsvector('{CONFIG}', %s))")
            # A case number ranks by its one canonical spelling, not by every variant's pieces.
            lexeme_params.append(normalised if token.kind == "case" else " ".join(ranked))
            prefix_flags.append(token.kind == "prefix")
        groups[-1].append(expr)
        params += values
    parts = ["(" + " && ".join(g) + ")" for g in groups if g]
    if not parts:
        return parsed, "", [], []
    # `_finish` fills in the groups' lexemes; one group when the query has an OR.
    parsed.required = [[]] if len(parts) > 1 else []
    sql = "SELECT q::text, numnode(q)"
    sql += "".join(f", {s}" for s in lexeme_sql)
    sql += " FROM (SELECT " + " || ".join(parts) + " AS q) AS built"
    return parsed, sql, lexeme_params + params, prefix_flags


def _finish(parsed: ParsedQuery, row: tuple, prefix_flags: list[bool]) -> None:
    """Fill in `parsed` from its row of `_built`'s SQL: the tsquery, its size and lexemes."""
    parsed.tsquery, parsed.nodes = row[0], row[1]
    if parsed.negated or any(prefix_flags) or any(stem for _w, _o, stem in parsed.readings):
        parsed.required = []
    elif parsed.required:  # an OR: any of them
        parsed.required = [sorted({lexeme for found in row[2:] for lexeme in found or []})]
    else:  # a stop word's token has no lexeme, and asks nothing
        parsed.required = [sorted(found) for found in row[2:] if found]
    lexemes: dict[str, bool] = {}
    for found, is_prefix in zip(row[2:], prefix_flags, strict=True):
        for lexeme in found or []:
            lexemes[lexeme] = lexemes.get(lexeme, False) or is_prefix
    parsed.rank_query = " | ".join(
        _quote_lexeme(lex) + (":*" if prefix else "") for lex, prefix in lexemes.items()
    )
    # The highlighter marks the compounds too.
    for _word, _others, stem in parsed.readings:
        for part in filter(None, stem.split("/")):
            lexemes[part] = True
    parsed.lexemes = list(lexemes.items())
    if parsed.negated and not parsed.rank_query:
        parsed.rank_query = parsed.tsquery
