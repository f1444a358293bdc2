"""What search does when the words as typed find nothing or very little: "Mente du …?" from the
archive's own vocabulary, and relaxed queries (the words the archive knows, any of them).

Everything here runs only for a query that found nothing or at most FEW_RESULTS items, so its
cost never touches the common case: a few index lookups per word of the query, and one trigram
lookup in the vocabulary (the title words of every item, migration 0014) per word the archive
does not know or hardly knows.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from django.db import connection

from .highlight import START, STOP
from .search_query import CONFIG, EXACT_LIMIT, parse_queries, spelling_variants

# The vocabulary's nearest words by trigram similarity that are weighed by edit distance.
CANDIDATES = 12
# A query that finds at most FEW_RESULTS items is offered a word of the archive that is spelt
# almost the same and is in at least BETTER_KNOWN times as many items, and at least
# BETTER_KNOWN_MIN ("frivilighedspolitikken" in one item, "frivillighedspolitikken" in six):
# the typo the archive has once, not a rare word that looks like a common one.
FEW_RESULTS = 3
BETTER_KNOWN = 5
BETTER_KNOWN_MIN = 5
# The words that make a question of a query and say nothing of its subject. PostgreSQL's Danish
# stop words have "hvad", "hvem" and "hvor", not these.
QUESTION_WORDS = frozenset(
    {"hvornår", "hvordan", "hvorfor", "hvorledes", "hvilken", "hvilket", "hvilke", "hvormange"}
)


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance with a swap of two neighbouring letters as one edit ("lokalpaln")."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            cost = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cost = min(cost, previous2[j - 2] + 1)
            current.append(cost)
        previous2, previous = previous, current
    return previous[-1]


def allowed_edits(word: str) -> int:
    """How many typing errors a word of this length may hold and still be corrected."""
    return 1 if len(word) <= 6 else 2 if len(word) <= 12 else 3


def item_frequencies(tsqueries: Sequence[str], *, limit: int) -> list[int]:
    """How many items match each tsquery, up to `limit` (then `limit`): estimated from the
    search sample above EXACT_LIMIT, as the search's counts are (a word in a third of the
    archive costs a sample lookup, not a count of 60,000 rows: 600 ms at 200,000 items), and
    counted exactly below it, where it decides something (a word in no item, or in a few)."""
    if not tsqueries:
        return []
    with connection.cursor() as cursor:
        # Every estimate in one statement: the sample's plan is kept (PL/pgSQL), the round
        # trips are not free.
        cursor.execute(
            "SELECT (SELECT coalesce(sum(scale), 0) FROM minutes_itemsearch_sample_matches(t.q)) "
            "FROM unnest(%s::tsquery[]) WITH ORDINALITY AS t (q, n) ORDER BY t.n",
            [list(tsqueries)],
        )
        estimates = [row[0] for row in cursor.fetchall()]
        out = []
        for tsquery, estimate in zip(tsqueries, estimates, strict=True):
            # Below EXACT_LIMIT the sample is too small to trust (on a small archive one
            # sampled item stands for 32), so the count is exact there, whatever `limit` is.
            # (One statement each: with the query a parameter the planner sees its words
            # and goes through the index; as a column of a batch it might not.)
            if estimate > EXACT_LIMIT:
                out.append(min(round(estimate), limit))
                continue
            cursor.execute(
                "SELECT count(*) FROM (SELECT 1 FROM minutes_itemsearch "
                "WHERE vector @@ %s::tsquery LIMIT %s) AS m",
                [tsquery, limit],
            )
            out.append(cursor.fetchone()[0])
    return out


def archive_items() -> int:
    """The number of items, exact on a small archive and from the planner's statistics on a
    large one (counting 200,000 rows is not worth it for a rough threshold)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE oid = 'minutes_itemsearch'::regclass")
        estimate = cursor.fetchone()[0]
        if estimate >= 10_000:
            return int(estimate)
        cursor.execute("SELECT count(*) FROM minutes_itemsearch")
        return cursor.fetchone()[0]


def closest_words(words: Sequence[str]) -> dict[str, str]:
    """typed word → the archive's word it most likely was meant as, for each word that has one.

    Compared as stems (the vocabulary holds lexemes); the word shown is the form the lexeme has
    in an item's title, so the suggestion reads as Danish and finds the same items.
    """
    out: dict[str, str] = {}
    if not words:
        return out
    trigrams = has_trigrams()
    with connection.cursor() as cursor:
        for word in words:
            cursor.execute(
                f"SELECT (tsvector_to_array(to_tsvector('{CONFIG}', %s)))[1]", [word.lower()]
            )
            stem = cursor.fetchone()[0]
            if not stem or len(stem) < 4:
                continue
            # By trigrams or by length (minutes/sql/item_search.sql).
            cursor.execute(
                "SELECT minutes_searchword_candidates(%s, %s, %s, %s)",
                [stem, allowed_edits(stem), CANDIDATES, trigrams],
            )
            scored = [
                (edit_distance(stem, candidate), candidate)
                for (candidate,) in cursor.fetchall()
                if candidate != stem
            ]
            scored = [s for s in scored if s[0] <= allowed_edits(stem)]
            if not scored:
                continue
            lexeme = min(scored)[1]  # fewest edits, then alphabetical
            out[word] = surface_forms(cursor, [lexeme])[0] or lexeme
    return out


def better_known_spelling(text: str, words: Sequence[str], tsqueries: Sequence[str]) -> str:
    """For a query that found a few items: the query with each word that is in at most
    FEW_RESULTS items replaced by a clearly better-known word of the archive spelt almost the
    same ("Mente du …?"), or "" when no word has one. `tsqueries` are the words' own queries."""
    limit = BETTER_KNOWN * FEW_RESULTS + BETTER_KNOWN_MIN
    counts = dict(zip(words, item_frequencies(tsqueries, limit=limit), strict=True))
    rare = [w for w in words if 0 < counts[w] <= FEW_RESULTS]
    fixes = closest_words(rare)
    if not fixes:
        return ""
    known = item_frequencies([p.tsquery for p in parse_queries(list(fixes.values()))], limit=limit)
    better = {
        word: fix
        for (word, fix), n in zip(fixes.items(), known, strict=True)
        if n >= max(BETTER_KNOWN * counts[word], BETTER_KNOWN_MIN)
    }
    if not better:
        return ""
    return " ".join(better.get(w, w) for w in text.split())


def has_trigrams() -> bool:
    """Whether the vocabulary has its trigram index (pg_trgm on the server, migration 0014)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('searchword_trgm_idx') IS NOT NULL")
        return cursor.fetchone()[0]


def surface_forms(cursor, lexemes: Sequence[str]) -> list[str | None]:
    """Each lexeme as a title prints it (in the first item whose title line has it), or None;
    one statement for all of them."""
    if not lexemes:
        return []
    cursor.execute(
        "SELECT (SELECT ts_headline(%s, i.title, to_tsquery('simple', quote_literal(l.word)), %s) "
        "FROM minutes_itemsearch s JOIN minutes_agendaitem i ON i.id = s.item_id "
        "WHERE s.title_vector @@ to_tsquery('simple', quote_literal(l.word)) LIMIT 1) "
        "FROM unnest(%s::text[]) WITH ORDINALITY AS l (word, n) ORDER BY l.n",
        [CONFIG, f"StartSel={START}, StopSel={STOP}, HighlightAll=true", list(lexemes)],
    )
    out: list[str | None] = []
    for (marked_title,) in cursor.fetchall():
        marked = re.search(f"{START}([^{STOP}]+){STOP}", marked_title) if marked_title else None
        out.append(marked[1].lower() if marked else None)
    return out


# --- Suggestions as one types -------------------------------------------------------------------

# The word being typed (the query's last) is completed from the vocabulary when it has at least
# COMPLETE_MIN letters (shorter ones begin too many words to say anything), up to COMPLETE_MAX.
COMPLETE_MIN = 3
COMPLETE_MAX = 40
COMPLETIONS = 8
# The words that begin so, in the prefix index's order, of which the shortest are offered.
COMPLETE_SCAN = 400
_LAST_WORD = re.compile(r"(?:^|\s)([^\W\d_][^\W\d_-]*(?:-[^\W\d_]+)*)$")


def completions(text: str) -> list[str]:
    """The query with its last word completed by the archive's title words that begin so (or
    whose stem the word has: "lokalplanen" → lokalplan), shortest first, as titles print them;
    [] when the last word is no word of COMPLETE_MIN to COMPLETE_MAX letters."""
    # A space after the last word: it is finished, nothing to complete.
    typed = _LAST_WORD.search(text) if len(text) <= 300 else None
    if typed is None or not COMPLETE_MIN <= len(typed[1]) <= COMPLETE_MAX:
        return []
    word = typed[1].lower()
    prefixes = list(dict.fromkeys(spelling_variants(word)))[:4]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT (tsvector_to_array(to_tsvector('{CONFIG}', %s)))[1]", [word])
        stem = cursor.fetchone()[0]
        branches = " UNION ALL ".join(
            ["(SELECT word FROM minutes_searchword WHERE word LIKE %s LIMIT %s)"] * len(prefixes)
        )
        params: list[Any] = []
        for prefix in prefixes:
            params += [_like_prefix(prefix), COMPLETE_SCAN]
        cursor.execute(
            f"SELECT DISTINCT word, length(word) FROM ({branches}) AS found "
            "ORDER BY length(word), word LIMIT %s",
            [*params, COMPLETIONS],
        )
        lexemes = [w for w, _length in cursor.fetchall()]
        if stem and stem not in lexemes and len(stem) >= COMPLETE_MIN:
            cursor.execute("SELECT 1 FROM minutes_searchword WHERE word = %s", [stem])
            if cursor.fetchone():
                lexemes = [stem, *lexemes][:COMPLETIONS]
        shown = surface_forms(cursor, lexemes)
    head = text[: typed.start(1)]
    words = list(dict.fromkeys(form or lexeme for form, lexeme in zip(shown, lexemes, strict=True)))
    return [head + w for w in words if w != word]


def _like_prefix(prefix: str) -> str:
    return prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def notice_links(results, query_string) -> dict[str, Any]:
    """The links of the search notices (templates/minutes/includes/search_notices.html), each
    the current search with another query: `query_string(q)` gives its parameters."""
    links: dict[str, Any] = {
        "suggestions": [{"text": s, "query": query_string(s)} for s in results.suggestions],
    }
    if results.correction:
        links["correction"] = query_string(results.correction)
    if results.unknown_case:
        # The number's longest run of digits as a plain word: found in text that prints the
        # number another way (or only its serial), and no case number the search would follow.
        digits = max(re.findall(r"\d+", results.unknown_case), key=len, default="")
        if digits:
            links["case_text"] = {"text": digits, "query": query_string(digits)}
    return links
