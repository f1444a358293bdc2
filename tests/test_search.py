"""Search on the seed minutes: ranking, snippets, query forms, case numbers, filters, sorting,
facets, machine formats, highlighting and the search table the triggers keep."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import feedparser
import psycopg
import pytest
from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.template import Context, Template

from minutes import search as search_module
from minutes.highlight import highlighter_for, render_marked
from minutes.models import (
    AgendaItem,
    Case,
    Decision,
    ItemSearch,
    Meeting,
    Municipality,
    Section,
)
from minutes.querysets import SEARCH_ONLY_FIELDS
from minutes.search import run_search, tokenize, whole_query_case_number

pytestmark = pytest.mark.django_db


def titles(results, n: int | None = None) -> list[str]:
    rows = list(results.items[: n or results.count])
    return [r.title for r in rows]


def oracle(text: str, **filters):
    """Matching items computed independently of search.py and the search table: the ORM
    parses each item's texts itself."""
    vector = sum(
        (
            SearchVector(f"text_{weight.lower()}", config="danish", weight=weight)
            for weight in "BCD"
        ),
        SearchVector("text_a", config="danish", weight="A"),
    )
    return AgendaItem.objects.annotate(parsed=vector).filter(
        parsed=SearchQuery(text, search_type="websearch", config="danish"), **filters
    )


# --- Ranking and snippets --------------------------------------------------------------------


def test_prefix_query_ranks_title_matches_first_then_lead_then_body():
    results = run_search({"q": "budget*"})
    assert results.count == 9
    assert titles(results) == [
        # tier 0: the word in the title (same rank: newest meeting, then item id, first)
        "2. Budgetopfølgning 2024",
        "Budgetaftalen 2024-27 - 2. status for implementeringen",
        "Dialogmøder i forbindelse med budget 2022-2025",
        # tier 2: only in the body, by ts_rank, equal ranks newest first
        "Status på plan for det specialiserede socialområde for voksne 2021",
        "Ændring af kommunens aktivitets- og samværstilbud til tilbud efter Servicelovens §§ 79 og 104",
        "Status på omdannelse af Magnetens Boenheder",  # 2024-10-31
        "Status på Plan for det specialiserede socialområde for voksne 2018-2022",  # 2020-04-01
        "Taskforce-Handicaps analyse af sagsbehandlingen på det specialiserede social-område for voksne",
        "Fremtidens beskæftigelsesindsats - Ekspertgruppens anbefalinger",
    ]


def test_or_query_ranks_indstilling_above_body():
    results = run_search({"q": "borgere OR ledige"})
    assert results.count == oracle("borgere OR ledige").count() == 15
    assert titles(results, 3) == [
        "Status på Plan for det specialiserede socialområde for voksne 2018-2022",
        "Evaluering af frivillighedspolitikken",
        "Jobcenterindblik - rangliste af kommuner",
    ]


def test_snippet_is_the_matching_section_highlighted():
    results = run_search({"q": "frivillighedspolitikken"})
    assert results.count == 1
    rows = list(results.items[:20])
    results.attach_snippets(rows)
    assert rows[0].snippet_label == "Sagsfremstilling"
    assert str(rows[0].snippet) == (
        "hører under deres områder. Fritids- og Kulturudvalget vil blive forelagt den fulde "
        "opfølgning, da <mark>frivillighedspolitikken</mark> er forankret herunder. "
        "Handleplanerne for Arbejdsmarkedsudvalgets område er vedlagt som bilag.\n\n"
        "P1: Dialog med foreninger/frivillige"
    )


def test_phrase_snippet_comes_from_the_decision():
    results = run_search({"q": '"taget til efterretning"'})
    rows = list(results.items[:20])
    results.attach_snippets(rows)
    assert [r.title for r in rows] == [
        "Evaluering af frivillighedspolitikken",
        "Dialogmøder i forbindelse med budget 2022-2025",
    ]
    assert [(r.snippet_label, str(r.snippet)) for r in rows] == [
        ("Beslutning", "<mark>Taget</mark> til <mark>efterretning</mark>."),
    ] * 2


def test_html_and_script_in_the_source_text_are_escaped_in_snippets_and_page(client):
    item = AgendaItem.objects.get(meeting__date=date(2021, 6, 2), number=3)
    section = item.sections.get(heading="Sagsfremstilling")
    section.text = "Tom & Jerry <script>alert(1)</script> <b>frivillighedspolitikken</b>"
    section.save()
    item.title = "Evaluering <script>alert(2)</script>"
    item.save()
    results = run_search({"q": "frivillighedspolitikken"})
    rows = list(results.items[:20])
    results.attach_snippets(rows)
    assert str(rows[0].snippet) == (
        "Tom &amp; Jerry &lt;script&gt;alert(1)&lt;/script&gt; "
        "&lt;b&gt;<mark>frivillighedspolitikken</mark>&lt;/b&gt;"
    )
    html = client.get("/soeg/", {"q": "frivillighedspolitikken"}).content.decode()
    assert "<script>alert" not in html
    assert "Evaluering &lt;script&gt;alert(2)&lt;/script&gt;" in html
    assert "&lt;b&gt;<mark>frivillighedspolitikken</mark>&lt;/b&gt;" in html


def test_render_marked_drops_marks_from_the_source_and_escapes_the_rest():
    assert str(render_marked("<mark>x</mark> \x02y\x03 <i>")) == "x <mark>y</mark> &lt;i&gt;"


# --- Query forms -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("budget", 5),
        ("budget*", 9),
        ('"taget til efterretning"', 2),
        ('"det specialiserede socialområde"', 6),
        ("borgere OR ledige", 15),
        ("budget -2022", 3),
        # 11: one item has "tilbud" only inside compounds (dagtilbud), found by its part.
        ("borger* -kommune* OR tilbud", 11),
    ],
)
def test_query_forms_count_like_postgres_websearch(query, expected):
    results = run_search({"q": query})
    assert results.count == expected
    if "*" not in query:  # websearch_to_tsquery has no prefixes; elsewhere it is the oracle
        assert oracle(query).count() == expected


def test_exclusion_removes_items_that_mention_the_word_anywhere():
    with_2022 = set(oracle("budget 2022").values_list("pk", flat=True))
    found = {r.pk for r in run_search({"q": "budget -2022"}).items}
    assert found and not found & with_2022
    assert found | with_2022 == set(oracle("budget").values_list("pk", flat=True))


def test_prefix_matches_every_word_that_starts_so():
    found = {r.title for r in run_search({"q": "frivillig*"}).items}
    assert found == {
        "Evaluering af frivillighedspolitikken",
        "Status på plan for det specialiserede socialområde for voksne 2021",
        "Indstilling til årets handicappris 2024",
    }


@pytest.mark.parametrize("query", ["og i at", "...", "!!! ???", "-og", '""', "* *"])
def test_stop_words_or_punctuation_explain_why_there_is_nothing(client, query):
    results = run_search({"q": query})
    assert results.count == 0
    assert results.empty_reason == search_module.STOP_WORDS_REASON
    response = client.get("/soeg/", {"q": query})
    assert response.status_code == 200
    assert "fyldord" in response.content.decode()


def test_nonsense_word_gives_an_empty_result_with_advice(client):
    results = run_search({"q": "qwxyzzy"})
    assert (results.count, results.empty_reason, list(results.items)) == (0, None, [])
    html = client.get("/soeg/", {"q": "qwxyzzy"}).content.decode()
    assert "0 resultater" in html and "Ingen punkter matcher" in html


def test_empty_query_shows_only_the_form(client):
    html = client.get("/soeg/", {"q": ""}).content.decode()
    assert 'name="q"' in html and 'id="results-heading"' not in html


@pytest.mark.parametrize(
    "query",
    ["'; DROP TABLE minutes_case; --", "foo\\'*", "a:* & b", "x' | 'y", "(((", "\\\\*", "'*"],
)
def test_user_text_is_only_ever_a_parameter(query):
    run_search({"q": query})  # no SQL or tsquery syntax error
    assert Case.objects.exists()


def test_tokenizer_reads_websearch_syntax_prefixes_and_case_numbers():
    tokens = tokenize('"det specialiserede" OR -budget frivillig* sag 17/10000')
    assert [t if isinstance(t, str) else (t.kind, t.text, t.negated) for t in tokens] == [
        ("phrase", "det specialiserede", False),
        "OR",
        ("word", "budget", True),
        ("prefix", "frivillig", False),
        ("case", "17/10000", False),
    ]


# --- Case numbers ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    ["20/22278", "20-22278", "sag 20/22278", "Sagsnr. 20-22278", "2020/22278", "20 / 22278"],
)
def test_case_number_in_any_spelling_goes_to_the_case(client, query):
    response = client.get("/soeg/", {"q": query})
    assert response.status_code == 302
    assert response["Location"] == "/hoeje-taastrup/sager/20-22278/"


@pytest.mark.parametrize(
    "query", ["00.01.00-A00-107-21", "00.01.00 - A00 - 107 - 21", "sag 00.01.00-a00-107-21"]
)
def test_kle_number_with_or_without_spaces_goes_to_the_case(client, query):
    assert whole_query_case_number(query) == "00.01.00-A00-107-21"
    response = client.get("/soeg/", {"q": query})
    assert response["Location"] == "/lyngby-taarbaek/sager/00.01.00-A00-107-21/"


def test_case_number_in_several_municipalities_lists_them(client):
    Case.objects.create(
        municipality=Municipality.objects.get(slug="lyngby-taarbaek"),
        number="20/22278",
        normalised="20/22278",
    )
    response = client.get("/soeg/", {"q": "20-22278"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="/hoeje-taastrup/sager/20-22278/"' in html
    assert 'href="/lyngby-taarbaek/sager/20-22278/"' in html
    # The items printing the number are listed under the cases.
    assert "3 resultater" in html
    narrowed = client.get("/soeg/", {"q": "20-22278", "kommune": "lyngby-taarbaek"})
    assert narrowed["Location"] == "/lyngby-taarbaek/sager/20-22278/"


@pytest.mark.parametrize("query", ["meddelelser 20/22278", "meddelelser 20-22278"])
def test_case_number_inside_free_text_is_found(query):
    results = run_search({"q": query})
    assert results.redirect_to is None
    assert [(r.title, r.case.number) for r in results.items] == [
        ("Meddelelser - Arbejdsmarkedsudvalget - juni 2021", "20/22278")
    ]


def test_unknown_case_number_searches_the_text():
    results = run_search({"q": "99/99999"})
    assert (results.redirect_to, results.cases, results.count) == (None, [], 0)


# --- Filters, sorting, facets ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "orm"),
    [
        (
            {"kommune": "lyngby-taarbaek"},
            {"meeting__committee__municipality__slug": "lyngby-taarbaek"},
        ),
        ({"udvalg": "socialudvalget"}, {"meeting__committee__slug": "socialudvalget"}),
        ({"fra": date(2021, 1, 1)}, {"meeting__date__gte": date(2021, 1, 1)}),
        ({"til": date(2020, 12, 31)}, {"meeting__date__lte": date(2020, 12, 31)}),
        ({"aar": 2020}, {"meeting__date__year": 2020}),
        ({"lukket": "lukkede"}, {"closed": True}),
        ({"lukket": "aabne"}, {"closed": False}),
    ],
)
def test_every_filter_narrows_exactly(params, orm):
    for query in ("borgere OR ledige", "lukket"):
        expected = set(oracle(query, **orm).values_list("pk", flat=True))
        results = run_search({"q": query, **params})
        assert {r.pk for r in results.items} == expected
        assert results.count == len(expected)
    assert expected  # the filters are not vacuous on the fixtures


def test_outcome_filter_keeps_items_decided_so_at_this_meeting():
    expected = set(
        oracle("borgere OR ledige")
        .filter(decisions__outcome="noted", decisions__this_meeting=True)
        .values_list("pk", flat=True)
    )
    results = run_search({"q": "borgere OR ledige", "udfald": "noted"})
    assert {r.pk for r in results.items} == expected and len(expected) == 6


def test_filters_combine():
    results = run_search(
        {"q": "borgere OR ledige", "kommune": "hoeje-taastrup", "fra": date(2020, 3, 1)}
    )
    assert sorted(r.meeting.date for r in results.items) == [
        date(2020, 4, 1),
        date(2020, 4, 1),
        date(2021, 6, 2),
        date(2021, 6, 2),
    ]


@pytest.mark.parametrize(("sort", "reverse"), [("nyeste", True), ("aeldste", False)])
def test_sorting_by_date_covers_all_matches(sort, reverse):
    results = run_search({"q": "borgere OR ledige", "sortering": sort})
    rows = list(results.items)
    expected = sorted(
        oracle("borgere OR ledige").select_related("meeting"),
        key=lambda i: (i.meeting.date, i.pk),
        reverse=reverse,
    )
    assert [r.pk for r in rows] == [i.pk for i in expected]
    # Page 2 continues page 1 in the same order.
    assert [r.pk for r in results.items[10:15]] == [i.pk for i in expected[10:15]]


def test_facet_counts_are_exact_on_small_results():
    results = run_search({"q": "borgere OR ledige"})
    facets = {k: [(f.slug, f.n) for f in v] for k, v in results.facets.items()}
    assert facets == {
        "kommune": [("lyngby-taarbaek", 9), ("hoeje-taastrup", 6)],
        "udvalg": [
            ("forebyggelses-og-socialudvalget", 9),
            ("arbejdsmarkedsudvalget", 4),
            ("socialudvalget", 2),
        ],
        "aar": [("2024", 9), ("2021", 2), ("2020", 4)],
        "udfald": [("noted", 6), ("approved", 5), ("recommended", 4)],
    }
    assert not results.count_is_estimate


def test_filter_lists_count_the_matches_and_filters_are_removable(client):
    html = client.get(
        "/soeg/", {"q": "borgere OR ledige", "sortering": "nyeste", "aar": "2020", "side": "1"}
    ).content.decode()
    # The municipality list says how many matches each choice gives (the year is chosen).
    assert '<option value="hoeje-taastrup">Høje-Taastrup Kommune (4)</option>' in html
    assert '<option value="lyngby-taarbaek">Lyngby-Taarbæk Kommune (0)</option>' in html
    assert '<option value="2020" selected>2020</option>' in html
    # The sort is kept when the filters are sent again.
    assert '<input type="hidden" name="sortering" value="nyeste">' in html
    followed = client.get(
        "/soeg/",
        {
            "q": "borgere OR ledige",
            "sortering": "nyeste",
            "aar": "2020",
            "kommune": "hoeje-taastrup",
        },
    ).content.decode()
    assert "4 resultater" in followed
    # The active filter, by name, can be removed again.
    assert (
        '<li>Kommune: <strong>Høje-Taastrup Kommune</strong> <a href="?q=borgere+OR+ledige&amp;'
        'sortering=nyeste&amp;aar=2020">Fjern<span class="visually-hidden"> afgrænsningen '
        "kommune</span></a></li>" in followed
    )


def test_estimated_counts_come_from_the_sample(monkeypatch):
    """Above the limits the count and facets are the sample's, scaled; ranking still covers
    every match (every tier newest first)."""
    monkeypatch.setattr(search_module, "EXACT_LIMIT", -1)
    monkeypatch.setattr(search_module, "RANK_LIMIT", -1)
    # The seed archive is too small for a natural 1/32 sample: put every other item in it
    # (the trigger copies sampled rows to the sample table).
    ItemSearch.objects.update(sample=1000)
    every_other = list(AgendaItem.objects.order_by("pk").values_list("pk", flat=True))[::2]
    ItemSearch.objects.filter(pk__in=every_other).update(sample=0)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE minutes_itemsearch")
        cursor.execute("SELECT count(*) FROM minutes_itemsearchsample")
        assert cursor.fetchone()[0] == ItemSearch.objects.filter(sample=0).count()
    sample = ItemSearch.objects.filter(sample__lt=search_module.SAMPLE_BUCKETS)
    matches = set(oracle("borgere OR ledige").values_list("pk", flat=True))
    in_sample = sample.filter(pk__in=matches).count()
    assert in_sample  # the seed sample is not empty for this query
    scale = ItemSearch.objects.count() / sample.count()
    results = run_search({"q": "borgere OR ledige"})
    assert results.count_is_estimate
    assert results.count == round(in_sample * scale)
    rows = list(results.items[:15])
    assert {r.pk for r in rows} == matches
    tiers = [r.pk for r in rows]
    assert tiers[:1] == [
        AgendaItem.objects.get(title__startswith="Status på Plan for det specialiserede").pk
    ]


@pytest.mark.parametrize(
    "query, unordered",
    [
        ("'special' <-> 'område'", "'special' & 'område'"),
        ("'a' <2> 'b' | 'c'", "'a' & 'b' | 'c'"),
        ("( 'a' | 'b' ) <-> 'c' & 'd'", "( 'a' | 'b' ) & 'c' & 'd'"),
        ("'a' <-> 'b' & !'c'", "'a' <-> 'b' & !'c'"),  # a negation: left as it is
        ("'a' & 'b'", "'a' & 'b'"),
    ],
)
def test_phrases_lose_their_order_only_where_that_gives_a_superset(query, unordered):
    with connection.cursor() as cursor:
        cursor.execute("SELECT minutes_tsquery_unordered(%s::tsquery)::text", [query])
        assert cursor.fetchone()[0] == unordered


def test_sampled_phrase_matches_are_exactly_the_phrase_matches_in_the_sample():
    # Every item in the sample: the estimate of a phrase must count the items with the words in
    # that order, not every item that has the words somewhere.
    ItemSearch.objects.update(sample=0)
    phrase = "'tag' <2> 'efterretning'"  # taget til efterretning
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE minutes_itemsearch")
        cursor.execute(
            "SELECT item_id FROM minutes_itemsearch_sample_matches(%s::tsquery)", [phrase]
        )
        sampled = {r[0] for r in cursor.fetchall()}
        cursor.execute(
            "SELECT item_id FROM minutes_itemsearch WHERE vector @@ %s::tsquery", [phrase]
        )
        exact = {r[0] for r in cursor.fetchall()}
        cursor.execute(
            "SELECT count(*) FROM minutes_itemsearch WHERE vector @@ %s::tsquery",
            [phrase.replace("<2>", "&")],
        )
        unordered = cursor.fetchone()[0]
    assert sampled == exact and exact
    assert unordered > len(exact)  # the words apart in some items: the order matters here


# --- The search table ------------------------------------------------------------------------


def test_every_item_has_a_search_row_kept_by_triggers():
    assert ItemSearch.objects.count() == AgendaItem.objects.count()
    meeting = Meeting.objects.get(date=date(2021, 6, 2))
    meeting.date = date(2021, 6, 9)
    meeting.save()
    assert set(ItemSearch.objects.filter(item__meeting=meeting).values_list("date", flat=True)) == {
        date(2021, 6, 9)
    }
    item = meeting.items.get(number=3)
    assert ItemSearch.objects.get(item=item).outcomes == ["noted"]
    Decision.objects.filter(item=item).update(outcome="approved")
    assert ItemSearch.objects.get(item=item).outcomes == ["approved"]
    Decision.objects.filter(item=item).delete()
    assert ItemSearch.objects.get(item=item).outcomes == []
    item.text_a = "Ny titel om skøjtebaner"
    item.save()
    assert run_search({"q": "skøjtebaner"}).count == 1
    Section.objects.filter(item__meeting=meeting).delete()
    meeting.delete()
    assert not ItemSearch.objects.filter(item__meeting_id=meeting.pk).exists()
    assert ItemSearch.objects.count() == AgendaItem.objects.count()


def test_tier_vectors_equal_the_title_and_lead_text_parsed_on_their_own():
    # The tiers are cut from the item vector by weight; they must be exactly what parsing the
    # title (A) and title + Indstilling/decisions (A, B) alone gives, positions included, and
    # the vector what parsing the four texts by weight gives.
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT count(*),
                   count(*) FILTER (WHERE s.title_vector
                       = setweight(to_tsvector('danish', i.text_a), 'A')),
                   count(*) FILTER (WHERE s.lead_vector
                       = setweight(to_tsvector('danish', i.text_a), 'A')
                         || setweight(to_tsvector('danish', i.text_b), 'B')),
                   count(*) FILTER (WHERE length(s.lead_vector) > length(s.title_vector)),
                   count(*) FILTER (WHERE s.vector
                       = setweight(to_tsvector('danish', i.text_a), 'A')
                         || setweight(to_tsvector('danish', i.text_b), 'B')
                         || setweight(to_tsvector('danish', i.text_c), 'C')
                         || setweight(to_tsvector('danish', i.text_d), 'D'))
            FROM minutes_itemsearch s JOIN minutes_agendaitem i ON i.id = s.item_id
            """
        )
        total, same_title, same_lead, longer_lead, same_vector = cursor.fetchone()
    assert total == AgendaItem.objects.count() > 20
    assert same_title == same_lead == same_vector == total
    assert longer_lead > total // 2  # most items have an Indstilling or a decision


# --- Pages, formats, queries -----------------------------------------------------------------


def test_search_page_runs_a_constant_number_of_queries(client, django_assert_num_queries):
    # savepoint, tsquery, count and facets (sample and exact in one statement, issue 17),
    # documents (the best sections' ids, then those sections with their documents: each of
    # these queries finds some), the ranked items (the ranked ids, then their rows), snippets,
    # release, the results' decisions and Indstillinger (2), the marking of their first lines
    # (2), the filter lists' stamp of the archive (1; the lists themselves are read once per
    # state of the archive, tests/test_archive_cache.py): the same for one result or fifteen,
    # page 1 or 2, any sort;
    # plus two lookups per municipality or committee slug (the form's check that it names one,
    # and the ids resolved before the search SQL is planned); plus, when plain words find less
    # than a page, two to look for compounds (the stems, the wider tsquery) and one more to
    # count them when there are some; and when they find at most three items, six to look for
    # a better-known spelling (the word's own tsquery, its count from the sample and exactly,
    # whether there are trigrams, its stem, its neighbours).
    client.get("/soeg/", {"q": "budget"})  # the filter lists, once
    for params, slugs, compounds in (
        ({"q": "frivillighedspolitikken"}, 0, 3 + 6),
        ({"q": "borgere OR ledige"}, 0, 2),  # borg- is too short to search its compounds
        ({"q": "borgere OR ledige", "sortering": "nyeste", "side": "1"}, 0, 2),
        ({"q": "budget*", "kommune": "lyngby-taarbaek", "aar": "2024"}, 1, 0),
        (
            {
                "q": "budget*",
                "kommune": "lyngby-taarbaek",
                "udvalg": "forebyggelses-og-socialudvalget",
            },
            2,
            0,
        ),
    ):
        with django_assert_num_queries(14 + 2 * slugs + compounds):
            assert client.get("/soeg/", params).status_code == 200


def test_result_links_open_the_item_with_the_terms_highlighted(client):
    html = client.get("/soeg/", {"q": "frivillighedspolitikken"}).content.decode()
    assert (
        'href="/hoeje-taastrup/arbejdsmarkedsudvalget/2021-06-02/'
        '?fremhaev=frivillighedspolitikken#punkt-3"' in html
    )


def test_api_returns_results_total_and_facets_as_json(client):
    response = client.get("/api/search", {"q": "borgere OR ledige", "kommune": "hoeje-taastrup"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = json.loads(response.content)
    assert data["total"] == 6 and data["total_is_estimate"] is False
    first = data["results"][0]
    assert set(first) >= {
        "url",
        "municipality",
        "committee",
        "meeting_date",
        "item_number",
        "title",
        "case_number",
        "snippet",
    }
    assert first == {
        **first,
        "url": "http://testserver/hoeje-taastrup/arbejdsmarkedsudvalget/2020-04-01/"
        "?fremhaev=borgere+OR+ledige#punkt-3",
        "municipality": "Høje-Taastrup Kommune",
        "committee": "Arbejdsmarkedsudvalget",
        "meeting_date": "2020-04-01",
        "item_number": 3,
        "title": "Status på Plan for det specialiserede socialområde for voksne 2018-2022",
        "case_number": "17/10000",
    }
    assert "<mark>" not in first["snippet"] and "ledige" in first["snippet"]
    assert [f["value"] for f in data["facets"]["udvalg"]] == [
        "arbejdsmarkedsudvalget",
        "socialudvalget",
    ]
    assert len(data["results"]) == 6


def test_api_reports_case_redirects_and_bad_parameters(client):
    data = json.loads(client.get("/api/search", {"q": "sag 20-22278"}).content)
    assert data["redirect"] == "http://testserver/hoeje-taastrup/sager/20-22278/"
    bad = client.get("/api/search", {"q": "x", "fra": "ikke en dato"})
    assert bad.status_code == 400 and "fra" in json.loads(bad.content)["fields"]
    assert client.get("/api/search").status_code == 400


def test_csv_download_has_one_row_per_result(client):
    response = client.get("/api/search.csv", {"q": "borgere OR ledige", "sortering": "nyeste"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = response.getvalue().decode("utf-8-sig")  # streamed (minutes.exports)
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0] == [
        "Kommune",
        "Udvalg",
        "Mødedato",
        "Punkt",
        "Sagsnummer",
        "Titel",
        "Indstilling",
        "Besluttet af",
        "Beslutningsdato",
        "Udfald",
        "Beslutning",
        "Lukket punkt",
        "URL",
        "Træf i afsnit",
        "Uddrag",
    ]
    assert len(rows) == 1 + 15
    dates = [r[2] for r in rows[1:]]
    assert dates == sorted(dates, reverse=True)
    assert rows[1][0] == "Lyngby-Taarbæk Kommune"


def test_atom_feed_parses_and_lists_newest_matches(client):
    response = client.get("/soeg/feed/", {"q": "borgere OR ledige", "kommune": "hoeje-taastrup"})
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "atom10"
    assert len(feed.entries) == 6
    assert [e.published[:10] for e in feed.entries] == sorted(
        (e.published[:10] for e in feed.entries), reverse=True
    )
    assert feed.entries[0].link.startswith("http://testserver/hoeje-taastrup/")
    assert "fremhaev=" in feed.entries[0].link
    assert len({e.id for e in feed.entries}) == 6


def test_statement_timeout_gives_a_friendly_message_not_a_500(client):
    """Another connection holds a lock the search needs; the timeout stops the wait."""
    settings = connection.settings_dict
    other = psycopg.connect(
        dbname=settings["NAME"],
        user=settings["USER"],
        host=settings["HOST"],
        port=settings["PORT"] or 5432,
        password=settings["PASSWORD"] or None,
    )
    try:
        other.execute("LOCK TABLE minutes_itemsearch IN ACCESS EXCLUSIVE MODE")
        with connection.cursor() as cursor:
            cursor.execute("SET statement_timeout = 300")
        for url in ("/soeg/", "/api/search", "/api/search.csv", "/soeg/feed/"):
            response = client.get(url, {"q": "borgere"})
            assert response.status_code == 503, url
            assert "tog for lang tid" in response.content.decode()
    finally:
        other.rollback()
        other.close()
    assert client.get("/soeg/", {"q": "borgere"}).status_code == 200


# --- Highlighting on the item page ----------------------------------------------------------


def test_highlighter_marks_forms_of_the_query_words_and_escapes_the_rest():
    texts = ["Frivillige <b>og</b> frivillighedspolitikken", "En frivillig & sag 21/8910"]
    highlighter = highlighter_for("frivillige 21/8910", texts)
    assert str(highlighter.mark(texts[0])) == (
        "<mark>Frivillige</mark> &lt;b&gt;og&lt;/b&gt; frivillighedspolitikken"
    )
    assert str(highlighter.mark(texts[1])) == (
        "En <mark>frivillig</mark> &amp; sag <mark>21/8910</mark>"
    )
    prefix = highlighter_for("frivillig*", texts)
    assert str(prefix.mark(texts[0])) == (
        "<mark>Frivillige</mark> &lt;b&gt;og&lt;/b&gt; <mark>frivillighedspolitikken</mark>"
    )
    assert highlighter_for("og i at", texts) is None
    assert highlighter_for("", texts) is None


def test_fremhaev_filter_escapes_with_or_without_a_highlighter():
    template = Template("{% load search_tags %}{{ text|fremhaev:h }}")
    text = "Budget <i>2024</i>"
    assert template.render(Context({"text": text, "h": None})) == "Budget &lt;i&gt;2024&lt;/i&gt;"
    h = highlighter_for("budget", [text])
    assert template.render(Context({"text": text, "h": h})) == (
        "<mark>Budget</mark> &lt;i&gt;2024&lt;/i&gt;"
    )


def test_result_rows_leave_the_search_only_columns_in_the_database():
    # The item text is in the database twice (sections, and the columns behind the vector);
    # a result row must not fetch the second copy and the vector.
    rows = list(run_search({"q": "borgere OR ledige"}).items[:5])
    assert rows
    for row in rows:
        assert set(SEARCH_ONLY_FIELDS) <= row.get_deferred_fields()
        assert row.title and row.meeting.committee.municipality.name  # what the page shows


def test_documents_are_the_best_matching_sections_with_their_documents_read(
    django_assert_num_queries,
):
    results = run_search({"q": "budget*"})
    sections = results.documents
    assert 0 < len(sections) <= 5
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT s.id, ts_rank(s.search_vector, %s::tsquery) FROM minutes_documentsection s "
            "JOIN minutes_document d ON d.id = s.document_id "
            "WHERE s.search_vector @@ %s::tsquery",
            [results.parsed.rank_query, results.parsed.tsquery],
        )
        ranks = dict(cursor.fetchall())
    shown = [ranks[s.pk] for s in sections]
    # The best of every matching section, best first.
    assert shown == sorted(ranks.values(), reverse=True)[: len(sections)]
    with django_assert_num_queries(0):
        assert all(s.document.municipality.name for s in sections)
