"""The benchmark (issue 6): a deterministic corpus the real parser reads as planned, loaded
through the real ingestion path, and a query runner that yields every figure."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from django.db import connection

from bench import corpus, load, pages, queries, report
from minutes.models import AgendaItem, Attendance, Case, Decision, Meeting
from minutes.parsing import parse

SEED, ITEMS = 3, 300


@pytest.fixture(scope="module")
def files() -> list[corpus.MinutesFile]:
    return list(corpus.generate(SEED, ITEMS))


def test_same_seed_gives_the_same_bytes(files):
    again = list(corpus.generate(SEED, ITEMS))
    assert [(f.file_name, f.data) for f in again] == [(f.file_name, f.data) for f in files]
    other = list(corpus.generate(SEED + 1, ITEMS))
    assert [f.data for f in other] != [f.data for f in files]


def test_corpus_has_exactly_the_requested_items(files):
    assert sum(f.items for f in files) == ITEMS
    assert all(1 <= f.items <= corpus.MAX_ITEMS for f in files)
    assert len({f.file_name for f in files}) == len(files)
    # 200,000 items is twenty municipalities, a million the whole country.
    assert len(corpus.plan_municipalities(1, 200_000)) == 20
    assert len(corpus.plan_municipalities(1, 1_000_000)) == 98
    assert sum(p.items for p in corpus.plan_municipalities(1, 200_001)) == 200_001


def test_generated_minutes_parse_into_the_planned_structure(files):
    for minutes in files:
        parsed = parse(minutes.data, filename=minutes.file_name, municipality=minutes.municipality)
        assert (parsed.kind, parsed.committee, parsed.date) == (
            "minutes",
            minutes.committee,
            minutes.date,
        )
        assert parsed.warnings == []
        assert len(parsed.attendance) == minutes.attendees
        assert len(parsed.items) == len(minutes.expected)
        for item, expected in zip(parsed.items, minutes.expected, strict=True):
            assert item.number == expected.number
            if not expected.closed:  # a closed item's public title is the parser's choice
                assert item.title == expected.title
            assert item.case_number == expected.case_number
            assert item.closed == expected.closed
            assert tuple(s.heading for s in item.sections) == expected.headings
            assert all(s.text for s in item.sections)
            assert len(item.attachments) == expected.attachments
            assert len(item.votes) == expected.votes
            assert [(d.body, d.date, d.outcome, d.this_meeting) for d in item.decisions] == [
                (d.body, d.date, d.outcome, d.this_meeting) for d in expected.decisions
            ]


def test_no_generated_meeting_is_held_as_a_misread():
    """Every meeting of the corpus passes the checks that hold a misread file (the bench's
    load stops at a held one): here the first meetings of each municipality of the million-item
    plan, when few cases run long and one case drawn again and again gave six items of one
    title (Langeland Kommune, 9 January 2014)."""
    from minutes.parsing.quality import problems

    for plan in corpus.plan_municipalities(1, 1_000_000)[50:60]:
        for _, minutes in zip(range(40), corpus.municipality_minutes(1, plan), strict=False):
            parsed = parse(
                minutes.data, filename=minutes.file_name, municipality=minutes.municipality
            )
            assert problems(parsed) == [], minutes.file_name


def test_cases_travel_from_fagudvalg_to_the_council(files):
    council = {f.committee for f in files} & set(corpus.COUNCILS)
    trails = [
        [d.body for d in item.decisions]
        for f in files
        if f.committee in council
        for item in f.expected
        if len(item.decisions) >= 3
    ]
    assert trails, "no case went through three bodies"
    assert all(t[-2] == "Økonomiudvalget" and t[-1] in council for t in trails)
    outcomes = Counter(d.outcome for f in files for i in f.expected for d in i.decisions)
    assert {"approved", "recommended", "noted"} <= set(outcomes)


def test_decision_texts_mean_what_the_parser_reads():
    for outcome, texts in corpus.DECISION_TEXTS.items():
        for text in texts:
            assert corpus.check_outcomes()[text] == outcome, text


def test_word_frequencies_have_the_shape_of_real_text(files):
    words = Counter(
        w for f in files for w in re.findall(r"[a-zæøå]{3,}", f.data.decode("utf-8").lower())
    )
    total = sum(words.values())
    ranked = [n for _, n in words.most_common()]
    # Common words are very common, most words are rare: a long tail of words seen once.
    assert sum(ranked[:20]) / total > 0.15
    assert sum(1 for n in ranked if n == 1) / len(ranked) > 0.2
    assert ranked[0] > 100 * ranked[len(ranked) // 2]


def test_bench_refuses_a_database_that_is_not_a_bench_database(monkeypatch):
    monkeypatch.setitem(connection.settings_dict, "NAME", "referatarkivet")
    with pytest.raises(load.BenchDatabaseError):
        load.check_database()


@pytest.mark.django_db
def test_load_query_set_and_pages_give_every_figure(files, tmp_path):
    figures = load.load(SEED, ITEMS, workers=1, log=lambda _m: None)

    # The real ingestion path stored exactly the generated corpus (the seed minutes are gone).
    assert AgendaItem.objects.count() == ITEMS
    assert Meeting.objects.count() == len(files) == figures["meetings"]
    assert figures["items"] == ITEMS and figures["meetings_per_s"] > 0
    assert set(figures["ms_per_meeting_by_step"]) >= {"source", "items", "commit"}
    first = files[0]
    stored = Meeting.objects.get(committee__name=first.committee, date=first.date)
    assert list(stored.items.order_by("position").values_list("title", "case__number")) == [
        (e.title, e.case_number) for e in first.expected
    ]
    assert Decision.objects.filter(item__meeting=stored).count() == sum(
        len(e.decisions) for e in first.expected
    )
    assert Attendance.objects.filter(meeting=stored).count() == first.attendees
    assert Case.objects.filter(items__meeting__committee__name="Økonomiudvalget").exists()

    # The same corpus again is recognised and reused, not loaded twice.
    again = load.load(SEED, ITEMS, workers=1, log=lambda _m: None)
    assert again["reused"] is True
    assert AgendaItem.objects.count() == ITEMS

    query_set = queries.build_query_set(SEED)
    kinds = {q.kind for q in query_set}
    assert kinds >= {
        "common",
        "rare",
        "two words",
        "three words",
        "phrase",
        "or",
        "exclusion",
        "prefix",
        "case number",
        "filter",
        "sort",
        "folding",
        "compound part",
        "compound last part",
        "typo",
        "question",
    }
    search = queries.run_query_set(query_set, repeat=2)
    for key in ("p50_ms", "p95_ms", "max_ms", "over_1s", "runs", "slowest", "by_query"):
        assert key in search
    assert search["errors"] == 0, [e["error"] for e in search["by_query"] if "error" in e]
    assert search["runs"] == 2 * len(query_set)
    assert 0 < search["p50_ms"] <= search["p95_ms"] <= search["max_ms"]
    by_name = {e["name"]: e for e in search["by_query"]}
    for entry in search["by_query"]:
        for key in ("hits", "p50_ms", "p95_ms", "max_ms", "search_ms", "page_ms", "http_p50_ms"):
            assert entry[key] is not None and entry[key] >= 0
        assert entry["http_status"] in (200, 302)
    common = next(e for e in search["by_query"] if e["name"].startswith("mest almindelige"))
    assert common["hits"] > ITEMS // 3 and common["rows"] == 10
    assert next(e for n, e in by_name.items() if n.startswith("ord uden træf"))["hits"] == 0
    rare = [e for e in search["by_query"] if e["name"].startswith("sjældent ord")]
    assert all(1 <= e["hits"] < ITEMS // 10 for e in rare)
    case = next(e for e in search["by_query"] if e["kind"] == "case number")
    assert case["redirect"] and case["http_status"] == 302

    page_figures = pages.run_pages(SEED, repeat=1)
    for kind in ("meeting", "case"):
        assert page_figures[kind]["statuses"] == [200]
        assert page_figures[kind]["p50_ms"] > 0 and page_figures[kind]["queries_min"] > 0
        # The first render runs the page's own queries; served again it is one cache check.
        assert page_figures[kind]["cold_p50_ms"] > 0
        assert page_figures[kind]["cold_queries_min"] > page_figures[kind]["queries_max"]

    result = report.assemble(
        {
            "load": figures,
            "corpus": report.corpus_figures(SEED, ITEMS),
            "search": search,
            "pages": page_figures,
        },
        parts=["load", "search", "pages"],
    )
    assert set(result["targets"]) == {
        "search_p95_ms",
        "search_p50_ms",
        "search_max_ms",
        "ingest_meetings_per_s",
        "meeting_page_p95_ms",
        "meeting_page_constant_queries",
        "case_page_p95_ms",
        "case_page_constant_queries",
        "meeting_page_cold_p95_ms",
        "case_page_cold_p95_ms",
    }
    assert result["corpus"]["items"] == ITEMS and result["git"]["commit"]
    assert result["machine"]["postgresql"] and result["machine"]["cpus"]
    assert "| search p95 |" in report.markdown(result)
    assert "søgning p95" in report.table(result)
    assert "first render of a version" in report.markdown(result)

    # LATEST.md keeps the newest result of every corpus size.
    out = tmp_path / "results"
    report.save(result, out)
    bigger = {**result, "corpus": {**result["corpus"], "items_requested": 1_000_000}}
    report.save(bigger, out)
    newer = {**result, "date": "2999-01-01T00:00:00+0000"}
    report.save(newer, out)
    latest = (out / "LATEST.md").read_text(encoding="utf-8")
    assert latest.index(f"## {ITEMS:,} agenda items") < latest.index("## 1,000,000 agenda items")
    assert f"`2999-01-01_{ITEMS}.json`" in latest
    # A later run of the pages alone is kept beside it, and does not replace it in LATEST.md.
    pages_only = {**result, "date": "3000-01-01T00:00:00+0000", "parts": ["pages"]}
    report.save(pages_only, out)
    latest = (out / "LATEST.md").read_text(encoding="utf-8")
    assert f"`2999-01-01_{ITEMS}.json`" in latest and "_pages.json" not in latest
    assert (out / f"3000-01-01_{ITEMS}_pages.json").exists()
    assert len(list(out.glob("*.json"))) == 4


@pytest.mark.django_db
def test_an_interrupted_load_resumes_and_reports_every_municipality(monkeypatch):
    # Two small municipalities (a real plan is one per 10,000 items: too big for a test).
    first, second = (
        corpus.MunicipalityPlan(i, authority, 60)
        for i, authority in enumerate(
            a for a in corpus.MUNICIPALITIES if a.name in ("Ballerup Kommune", "Odense Kommune")
        )
    )
    monkeypatch.setattr(corpus, "plan_municipalities", lambda _seed, _items: [first, second])
    load.reset_archive()
    load._write_marker({**load.wanted(SEED, 120), "complete": False, "done": []})
    # The first municipality was loaded before the interruption.
    interrupted = load.load_municipality(SEED, first)

    figures = load.load(SEED, 120, workers=1, log=lambda _m: None)

    assert figures["resumed"] is True
    assert figures["municipalities"] == 2 and figures["municipalities_this_run"] == 1
    assert figures["items"] == AgendaItem.objects.count() == 120
    assert figures["meetings"] == Meeting.objects.count() > interrupted.meetings
    assert load.stored_corpus()["complete"] is True


@pytest.mark.django_db
def test_the_peer_finds_and_counts_the_same_items_as_the_product(files, tmp_path):
    pytest.importorskip("tantivy", reason="the benchmark's peer needs tantivy (the dev extra)")
    from bench import peer as peer_module
    from minutes.search import run_search

    load.load(SEED, ITEMS, workers=1, log=lambda _m: None)
    peer = peer_module.Peer(tmp_path / "peer", log=lambda _m: None)
    assert peer.items == ITEMS and peer.build_seconds is not None

    # Words that stand in a file name or an address (`...-alle-kommuners-status.pdf`) are left
    # out: PostgreSQL indexes such a token whole, tantivy its parts (no exact equivalent).
    text = "\n".join(f.data.decode() for f in files)

    def in_a_name(word: str) -> bool:
        stem = re.escape(word[:5])
        return bool(re.search(rf"\S*[./]\S*{stem}|{stem}\S*[./]\S+", text, re.IGNORECASE))

    top = [w for w, _n in queries.common_words(20) if not in_a_name(w)][:10]
    slugs = queries._facet_slugs()
    cases = [
        {"q": top[0]},
        {"q": f"{top[1]} {top[2]}"},
        {"q": f"{top[0]} -{top[1]}"},
        {"q": f"{top[3]} OR {top[4]}"},
        {"q": f"{top[0][:4]}*"},
        {"q": '"taget til efterretning"'},
        {"q": top[0], "kommune": slugs["kommune"]},
        {"q": top[0], "udfald": "approved"},
        {"q": top[1], "aar": "2019", "sortering": "nyeste"},
    ]
    compared = 0
    for raw in cases:
        params = queries.form_params(raw)
        results = run_search(params)
        query = peer.prepare(params, results)
        assert query is not None, raw
        product_ids = {item.pk for item in results.items}
        assert not results.count_is_estimate and len(product_ids) == results.count
        assert peer.ids(query) == product_ids, (raw, query.tsquery)
        run = peer.run(query)
        assert run["hits"] == results.count, raw
        assert len(run["rows"]) == min(10, results.count)
        assert {i for i, _title, _snippet in run["rows"]} <= product_ids
        # The facets count the same items.
        for name in ("kommune", "aar", "udfald"):
            mine = {f.slug: f.n for f in results.facets[name]}
            assert dict(run["facets"][name]) == mine, (raw, name)
        if results.count:
            compared += 1
            assert any("<b>" in snippet for _i, _t, snippet in run["rows"]), raw
    assert compared >= 8

    # No exact equivalent: PostgreSQL indexes a hyphenated word whole, so the product's phrase
    # needs the hyphen; the peer has the parts only and finds "Høje Taastrup" too.
    params = queries.form_params({"q": "Hoeje-Taastrup"})
    results = run_search(params)
    product_ids = {item.pk for item in results.items}
    assert product_ids and peer.ids(peer.prepare(params, results)) >= product_ids

    # A redirect (one case number) is not searched by the product, so not by the peer either.
    case = AgendaItem.objects.filter(case__isnull=False).values_list("case__number", flat=True)[0]
    redirected = run_search(queries.form_params({"q": case}))
    if redirected.redirect_to:
        assert peer.prepare({"q": case}, redirected) is None

    # Built once: the same corpus opens the stored index instead of indexing again.
    again = peer_module.Peer(tmp_path / "peer", log=lambda _m: None)
    assert again.build_seconds is None and again.items == ITEMS

    # Interleaved in the query set, the figures carry both engines and the ratio.
    search = queries.run_query_set(
        queries.build_query_set(SEED)[:6], repeat=1, http=False, peer=peer
    )
    figures = search["peer"]
    assert figures["queries"] >= 4 and figures["p50_ms"] > 0 and figures["ratio_p50"] > 0
    assert figures["same_hits"] >= 4 and figures["no_exact_equivalent"]
    result = report.assemble(
        {"corpus": report.corpus_figures(SEED, ITEMS), "search": search}, parts=["search"]
    )
    assert "tantivy p50 / p95 / max" in report.markdown(result)
    assert "forhold p50/p95" in report.table(result)
