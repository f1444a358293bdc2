"""The peer in the benchmark: tantivy (the Rust BM25 engine, PyPI `tantivy`) over the same items.

`make bench PEER=tantivy` builds a tantivy index of the items the bench loaded (read from
PostgreSQL: the title line, the Indstilling/Beslutning tier and the whole item's text, committee,
municipality, date, year, outcomes, closed) with a Danish analyzer (lower case, the Snowball Danish
stop words and stemmer: the algorithm and list PostgreSQL's `danish` configuration uses), and runs
every query of the query set interleaved with the product, doing comparable work: count every
hit, the top 10 ranked (BM25 on the whole item, the title and Indstilling/Beslutning boosted, as
the product's tiers put them first), the facets the product shows (municipality, committee, year,
outcome, counted exactly) and 10 snippets from stored text.

The query is the product's own: the tsquery `parse_query` built (spelling variants, compound
prefixes, word families, case number spellings, the same stems), translated operator by operator
(`&`, `|`, `!`, `<->`/`<N>` with the stop words' gaps, `:*`) into tantivy's query API, so both
engines search for the same thing and the test can check they find the same items. What has no
exact equivalent is in NO_EXACT_EQUIVALENT (and in the report).
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
INDEX_ROOT = ROOT / "var" / "bench-peer"
# Bump when the schema or the analyzer changes: an index of another version is rebuilt.
INDEX_VERSION = 1
ANALYZER = "da"
TITLE_BOOST = 4.0
LEAD_BOOST = 2.0
SNIPPET_CHARS = 240

NO_EXACT_EQUIVALENT = [
    "ranking: the product's order is lexicographic by tier (title, Indstilling/Beslutning, the "
    "rest), then ts_rank, then date; the peer's is one BM25 score with the title (×4) and "
    "Indstilling/Beslutning (×2) boosted, so the top 10 can differ while the hits are the same",
    "hyphenated words: PostgreSQL indexes 'høje-taastrup' whole and its parts; tantivy only "
    "the parts (the whole word is dropped from a phrase, which keeps the parts in order)",
    "numbers with signs, dots or slashes ('-10000', '00.32.10', '17/10000'): PostgreSQL keeps "
    "them as one token, tantivy splits them into digit runs, searched as a phrase",
    "procedural items (Godkendelse af dagsorden, …) ranked last: not in the peer",
    "compound parts, typo corrections and relaxed questions: the peer searches the query the "
    "product settled on (its tsquery), not the steps that led there",
    "counts and facets: the product estimates them from a 1/32 sample above 5,000 matches "
    "('ca.'); the peer counts every hit",
    "queries the product answers without searching (a case number that redirects, only stop "
    "words) are timed for the product only and left out of the ratio",
    "the product also matches document sections (5 shown); the bench corpus has none",
]


def available() -> bool:
    try:
        import tantivy  # noqa: F401
    except ImportError:
        return False
    return True


# --- The index -------------------------------------------------------------------------------


def _analyzer():
    import tantivy

    return (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
        .filter(tantivy.Filter.lowercase())
        .filter(tantivy.Filter.stopword("danish"))
        .filter(tantivy.Filter.stemmer("danish"))
        .build()
    )


def _schema():
    import tantivy

    builder = tantivy.SchemaBuilder()
    builder.add_integer_field("id", stored=True, indexed=True, fast=True)
    builder.add_text_field("title", stored=True, tokenizer_name=ANALYZER)
    builder.add_text_field("lead", tokenizer_name=ANALYZER)
    builder.add_text_field("all", stored=True, tokenizer_name=ANALYZER)
    builder.add_integer_field("date", indexed=True, fast=True)
    builder.add_integer_field("year", indexed=True, fast=True)
    builder.add_integer_field("municipality", indexed=True, fast=True)
    builder.add_integer_field("committee", indexed=True, fast=True)
    builder.add_integer_field("closed", indexed=True, fast=True)
    builder.add_text_field("outcomes", tokenizer_name="raw", fast=True)
    return builder.build()


ITEMS_SQL = """
    SELECT s.item_id, s.date, s.year, s.municipality_id, s.committee_id, s.outcomes, s.closed,
           a.title, a.text_a, a.text_b, a.text_c, a.text_d
    FROM minutes_itemsearch s JOIN minutes_agendaitem a ON a.id = s.item_id
    ORDER BY s.item_id
"""


def _corpus_key() -> dict[str, Any]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*), coalesce(max(item_id), 0) FROM minutes_itemsearch")
        items, last = cursor.fetchone()
    return {
        "version": INDEX_VERSION,
        "database": connection.settings_dict["NAME"],
        "items": items,
        "last_item": last,
    }


class Peer:
    """A tantivy index of the archive's items and the searcher the benchmark times."""

    def __init__(self, path: Path | None = None, *, log=print) -> None:
        import tantivy

        self.tantivy = tantivy
        self.path = path or INDEX_ROOT / connection.settings_dict["NAME"]
        self.log = log
        self.schema = _schema()
        self.analyzer = _analyzer()
        self.build_seconds: float | None = None
        key = _corpus_key()
        marker = self.path / "corpus.json"
        reuse = marker.exists() and json.loads(marker.read_text()) == key
        if not reuse:
            for old in self.path.glob("*") if self.path.exists() else []:
                old.unlink()
        self.path.mkdir(parents=True, exist_ok=True)
        self.index = tantivy.Index(self.schema, path=str(self.path), reuse=reuse)
        self.index.register_tokenizer(ANALYZER, self.analyzer)
        if not reuse:
            self._build()
            marker.write_text(json.dumps(key))
        self.index.reload()
        self.searcher = self.index.searcher()
        self.items = self.searcher.num_docs
        self._labels()

    def _build(self) -> None:
        started = time.perf_counter()
        writer = self.index.writer(heap_size=256_000_000, num_threads=2)
        count = 0
        with connection.chunked_cursor() as cursor:
            cursor.execute(ITEMS_SQL)
            while rows := cursor.fetchmany(2000):
                for item, day, year, muni, comm, outcomes, closed, title, a, b, c, d in rows:
                    writer.add_document(
                        self.tantivy.Document(
                            id=item,
                            title=title,
                            lead=b,
                            all="\n".join(t for t in (a, b, c, d) if t),
                            date=day.toordinal(),
                            year=year,
                            municipality=muni,
                            committee=comm,
                            closed=int(closed),
                            outcomes=list(outcomes or []),
                        )
                    )
                count += len(rows)
        writer.commit()
        writer.wait_merging_threads()
        self.build_seconds = round(time.perf_counter() - started, 1)
        self.log(f"tantivy: {count} punkter indekseret på {self.build_seconds} s ({self.path})")

    def _labels(self) -> None:
        from minutes.models import Committee, Municipality

        self.municipalities = {m.id: (m.slug, m.name) for m in Municipality.objects.all()}
        self.committees = {
            c.id: (c.slug, c.name, c.municipality_id) for c in Committee.objects.all()
        }

    # --- Queries -------------------------------------------------------------------------

    def prepare(self, params: dict[str, Any], results: Any) -> PeerQuery | None:
        """The product's search as the peer runs it, or None when the product did not search."""
        parsed = getattr(results, "parsed", None)
        if results.redirect_to or parsed is None or parsed.empty:
            return None
        return PeerQuery(
            tsquery=parsed.tsquery,
            rank_query=parsed.rank_query or parsed.tsquery,
            filters=_filter_values(params),
            sort=results.sort,
        )

    def _filters(self, values: dict[str, Any]) -> list:
        q, t, s = self.tantivy.Query, self.tantivy, self.schema
        out = []
        for name in ("municipality", "committee"):
            if name in values:
                ids = values[name]
                out.append(q.term_set_query(s, name, ids) if ids else q.empty_query())
        low, high = values.get("from"), values.get("to")
        if low is not None or high is not None:
            out.append(q.range_query(s, "date", t.FieldType.Integer, low, high))
        if "outcome" in values:
            out.append(q.term_query(s, "outcomes", values["outcome"]))
        if "closed" in values:
            out.append(q.term_query(s, "closed", values["closed"]))
        return out

    def run(self, query: PeerQuery) -> dict[str, Any]:
        """Count, top 10, facets and 10 snippets: what the product's timed run does."""
        t = self.tantivy
        started = time.perf_counter()
        match = to_tantivy(parse_tsquery(query.tsquery), self, "all")
        filters = self._filters(query.filters)
        must = [(t.Occur.Must, match), *((t.Occur.Must, f) for f in filters)]
        if query.sort == "relevance":
            rank = parse_tsquery(query.rank_query)
            should = [
                (t.Occur.Should, t.Query.boost_query(to_tantivy(rank, self, "title"), TITLE_BOOST)),
                (t.Occur.Should, t.Query.boost_query(to_tantivy(rank, self, "lead"), LEAD_BOOST)),
            ]
            found = self.searcher.search(t.Query.boolean_query(must + should), 10)
        else:
            order = t.Order.Desc if query.sort == "newest" else t.Order.Asc
            found = self.searcher.search(
                t.Query.boolean_query(must), 10, order_by_field="date", order=order
            )
        counted = t.Query.boolean_query(must)
        facets = self.facets(counted)
        # The snippet marks the words a prefix matched too: tantivy's highlighter knows terms,
        # not patterns, so the prefix becomes the terms it begins (the commonest 64).
        marked = to_tantivy(parse_tsquery(query.rank_query), self, "all", terms=True)
        generator = t.SnippetGenerator.create(self.searcher, marked, self.schema, "all")
        generator.set_max_num_chars(SNIPPET_CHARS)
        rows = []
        for _key, address in found.hits:
            doc = self.searcher.doc(address)
            rows.append((doc["id"][0], doc["title"][0], generator.snippet_from_doc(doc).to_html()))
        return {
            "ms": (time.perf_counter() - started) * 1000,
            "hits": found.count,
            "rows": rows,
            "facets": facets,
        }

    def facets(self, query) -> dict[str, list[tuple[str, int]]]:
        spec = {
            "kommune": {"terms": {"field": "municipality", "size": 1000}},
            "udvalg": {"terms": {"field": "committee", "size": 100_000}},
            "aar": {"terms": {"field": "year", "size": 1000}},
            "udfald": {"terms": {"field": "outcomes", "size": 100}},
        }
        buckets = {k: v["buckets"] for k, v in self.searcher.aggregate(query, spec).items()}
        return {
            "kommune": [
                (self.municipalities[b["key"]][0], b["doc_count"]) for b in buckets["kommune"]
            ],
            # The product's 15 committees: most items first, then by name.
            "udvalg": sorted(
                ((self.committees[b["key"]][0], b["doc_count"]) for b in buckets["udvalg"]),
                key=lambda f: (-f[1], f[0]),
            )[:15],
            "aar": sorted(((str(b["key"]), b["doc_count"]) for b in buckets["aar"]), reverse=True),
            "udfald": [(b["key"], b["doc_count"]) for b in buckets["udfald"]],
        }

    def ids(self, query: PeerQuery, limit: int = 100_000) -> set[int]:
        """Every matching item id (for the tests: the same items as the product)."""
        t = self.tantivy
        match = to_tantivy(parse_tsquery(query.tsquery), self, "all")
        must = [(t.Occur.Must, match), *((t.Occur.Must, f) for f in self._filters(query.filters))]
        found = self.searcher.search(t.Query.boolean_query(must), limit)
        addresses = [address for _score, address in found.hits]
        return set(self.searcher.fast_field_values("id", addresses)) if addresses else set()


@dataclass
class PeerQuery:
    tsquery: str
    rank_query: str
    filters: dict[str, Any] = field(default_factory=dict)
    sort: str = "relevance"


def _filter_values(params: dict[str, Any]) -> dict[str, Any]:
    """The /soeg/ filters as values on the peer's fields (slugs resolved to ids, as the product's
    FilterSet does before its SQL is built)."""
    from minutes.models import Committee, Municipality

    values: dict[str, Any] = {}
    if params.get("kommune"):
        values["municipality"] = list(
            Municipality.objects.filter(slug=params["kommune"]).values_list("id", flat=True)
        )
    if params.get("udvalg"):
        committees = Committee.objects.filter(slug=params["udvalg"])
        if params.get("kommune"):
            committees = committees.filter(municipality__slug=params["kommune"])
        values["committee"] = list(committees.values_list("id", flat=True))
    low = [d for d in (params.get("fra"),) if d]
    high = [d for d in (params.get("til"),) if d]
    if params.get("aar"):
        year = int(params["aar"])
        low.append(date(year, 1, 1))
        high.append(date(year, 12, 31))
    if low:
        values["from"] = max(low).toordinal()
    if high:
        values["to"] = min(high).toordinal()
    if params.get("udfald"):
        values["outcome"] = params["udfald"]
    if params.get("lukket"):
        values["closed"] = int(params["lukket"] == "lukkede")
    return values


# --- tsquery → tantivy -----------------------------------------------------------------------

# PostgreSQL's tsquery text: 'lexeme' (quotes doubled inside), :* for a prefix (and weights),
# ! & | <-> <N> and parentheses. Precedence from loosest: |, &, <->, !.
_TOKEN = re.compile(
    r"\s*(?:(?P<lex>'(?:[^']|'')*')(?P<flags>:[*A-D]+)?|(?P<op><(?:-|\d+)>|[!&|()]))"
)
_HYPHENATED = re.compile(r"^\w+(?:-\w+)+$")
_ALNUM = re.compile(r"^\w+$")


def parse_tsquery(text: str) -> tuple:
    """The tsquery text as a tree: ("lex", text, prefix), ("not", x), ("and"|"or", [xs]),
    ("phrase", left, right, distance)."""
    tokens: list[tuple[str, Any]] = []
    position = 0
    text = text.strip()
    while position < len(text):
        match = _TOKEN.match(text, position)
        if not match or match.end() == position:
            raise ValueError(f"Uforståelig tsquery ved {position}: {text!r}")
        position = match.end()
        if match["lex"]:
            lexeme = match["lex"][1:-1].replace("''", "'").replace("\\\\", "\\")
            tokens.append(("lex", (lexeme, "*" in (match["flags"] or ""))))
        else:
            tokens.append(("op", match["op"]))
    tree, rest = _parse_or(tokens)
    if rest:
        raise ValueError(f"Uforståelig tsquery: {text!r}")
    return tree


def _parse_or(tokens: list) -> tuple[tuple, list]:
    left, tokens = _parse_and(tokens)
    items = [left]
    while tokens and tokens[0] == ("op", "|"):
        right, tokens = _parse_and(tokens[1:])
        items.append(right)
    return (items[0] if len(items) == 1 else ("or", items)), tokens


def _parse_and(tokens: list) -> tuple[tuple, list]:
    left, tokens = _parse_phrase(tokens)
    items = [left]
    while tokens and tokens[0] == ("op", "&"):
        right, tokens = _parse_phrase(tokens[1:])
        items.append(right)
    return (items[0] if len(items) == 1 else ("and", items)), tokens


def _parse_phrase(tokens: list) -> tuple[tuple, list]:
    left, tokens = _parse_not(tokens)
    while tokens and tokens[0][0] == "op" and tokens[0][1].startswith("<"):
        operator = tokens[0][1]
        distance = 1 if operator == "<->" else int(operator[1:-1])
        right, tokens = _parse_not(tokens[1:])
        left = ("phrase", left, right, distance)
    return left, tokens


def _parse_not(tokens: list) -> tuple[tuple, list]:
    if not tokens:
        raise ValueError("tsquery slutter for tidligt")
    kind, value = tokens[0]
    if (kind, value) == ("op", "!"):
        inner, rest = _parse_not(tokens[1:])
        return ("not", inner), rest
    if (kind, value) == ("op", "("):
        inner, rest = _parse_or(tokens[1:])
        if not rest or rest[0] != ("op", ")"):
            raise ValueError("tsquery mangler ')'")
        return inner, rest[1:]
    if kind == "lex":
        return ("lex", value[0], value[1]), tokens[1:]
    raise ValueError(f"Uventet {value!r} i tsquery")


def _chains(node: tuple) -> list[list[tuple[int, str, bool]]]:
    """A phrase as alternatives of (offset, lexeme, prefix) chains (an OR inside is spread)."""
    kind = node[0]
    if kind == "lex":
        return [[(0, node[1], node[2])]]
    if kind == "or":
        return [chain for item in node[1] for chain in _chains(item)]
    if kind == "phrase":
        out = []
        for left in _chains(node[1]):
            end = left[-1][0] + node[3]
            for right in _chains(node[2]):
                out.append(left + [(end + offset, lex, pre) for offset, lex, pre in right])
        return out
    raise ValueError(f"{kind} i en frase har ingen modpart i tantivy")


def _terms(lexeme: str, analyzer) -> list[str]:
    """A lexeme as the peer's terms: itself when it is one word, else the analyzer's tokens."""
    if _ALNUM.match(lexeme):
        return [lexeme]
    return list(analyzer.analyze(lexeme))


def to_tantivy(node: tuple, peer: Peer, field_name: str, *, terms: bool = False):
    """The tree as a tantivy Query on `field_name`; with `terms`, a prefix as the terms it
    begins (for the highlighter) instead of a pattern."""
    t, s = peer.tantivy, peer.schema
    terms_only = terms
    kind = node[0]
    if kind == "lex":
        lexeme, prefix = node[1], node[2]
        terms = _terms(lexeme, peer.analyzer)
        if not terms:
            return t.Query.empty_query()
        if prefix and len(terms) == 1 and terms_only:
            begun = peer.searcher.terms_with_prefix(field_name, terms[0], limit=64)
            return t.Query.term_set_query(s, field_name, [w for w, _n in begun] or terms)
        if prefix and len(terms) == 1:
            return t.Query.regex_query(s, field_name, re.escape(terms[0]) + ".*")
        if prefix:
            return t.Query.phrase_prefix_query(s, field_name, terms)
        if len(terms) == 1:
            return t.Query.term_query(s, field_name, terms[0])
        return t.Query.phrase_query(s, field_name, terms)
    if kind == "not":
        return t.Query.boolean_query(
            [
                (t.Occur.Must, t.Query.all_query()),
                (t.Occur.MustNot, to_tantivy(node[1], peer, field_name, terms=terms_only)),
            ]
        )
    if kind in ("and", "or"):
        occur = t.Occur.Must if kind == "and" else t.Occur.Should
        parts = []
        for item in node[1]:
            if kind == "and" and item[0] == "not":
                parts.append(
                    (t.Occur.MustNot, to_tantivy(item[1], peer, field_name, terms=terms_only))
                )
            else:
                parts.append((occur, to_tantivy(item, peer, field_name, terms=terms_only)))
        if all(occur is t.Occur.MustNot for occur, _q in parts):
            parts.append((t.Occur.Must, t.Query.all_query()))
        return t.Query.boolean_query(parts)
    # A phrase: each alternative chain as a PhraseQuery with the stop words' gaps as offsets.
    alternatives = []
    for chain in _chains(node):
        words: list[tuple[int, str]] = []
        shift = 0
        for offset, lexeme, _prefix in chain:
            terms = [] if _HYPHENATED.match(lexeme) else _terms(lexeme, peer.analyzer)
            if not terms:
                # The whole hyphenated word takes a position in PostgreSQL, none in tantivy,
                # which has only its parts (they follow it in the phrase).
                shift -= 1
                continue
            for i, term in enumerate(terms):
                words.append((offset + shift + i, term))
            shift += len(terms) - 1
        if len(words) == 1:
            alternatives.append(t.Query.term_query(s, field_name, words[0][1]))
        elif words:
            base = words[0][0]
            alternatives.append(
                t.Query.phrase_query(s, field_name, [(o - base, w) for o, w in words])
            )
    if not alternatives:
        return t.Query.empty_query()
    if len(alternatives) == 1:
        return alternatives[0]
    return t.Query.boolean_query([(t.Occur.Should, a) for a in alternatives])
