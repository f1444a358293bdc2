"""The search page: one search box and one filter panel, municipality and committee chosen by
name, invalid filters explained, and each result showing what was decided."""

from __future__ import annotations

import re
from html import unescape

import pytest

from minutes.forms import SearchForm
from minutes.item_decisions import first_line, item_outcomes
from minutes.models import AgendaItem, Decision, Document, DocumentSection

pytestmark = pytest.mark.django_db


def _page(client, **params) -> str:
    response = client.get("/soeg/", params)
    assert response.status_code in (200, 400), response.status_code
    return response.content.decode()


def _results(html: str) -> list[str]:
    return re.findall(r'<li class="result">(.*?)</li>\s*(?=<li class="result">|</ol>)', html, re.S)


def _text(fragment: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", "", fragment))).strip()


# --- One search box, one set of filters ------------------------------------------------------


def test_the_page_has_one_search_box_and_one_set_of_filters(client):
    html = _page(client, q="botilbud")
    assert html.count('name="q"') == 1  # the header's search box is left out here
    for name in ("kommune", "udvalg", "aar", "fra", "til", "udfald", "lukket"):
        assert html.count(f'name="{name}"') == 1, name
    assert html.count("<form") == 1
    # No second set: the sort is one set of links, kept in the form as a hidden field.
    assert 'name="sortering"' not in html
    assert html.count('class="sort-links"') == 1


def test_municipality_and_committee_are_chosen_by_name_from_lists(client):
    html = _page(client)
    kommune = re.search(r'<select name="kommune"[^>]*>(.*?)</select>', html, re.S).group(1)
    assert re.findall(r'<option value="([^"]*)"(?: selected)?>([^<]*)</option>', kommune) == [
        ("", "Alle kommuner"),
        ("hoeje-taastrup", "Høje-Taastrup Kommune"),
        ("lyngby-taarbaek", "Lyngby-Taarbæk Kommune"),
    ]
    # Without a municipality each committee name is offered once, for every municipality.
    udvalg = re.search(r'<select name="udvalg"[^>]*>(.*?)</select>', html, re.S).group(1)
    assert re.findall(r'<option value="([^"]*)"', udvalg) == [
        "",
        "arbejdsmarkedsudvalget",
        "forebyggelses-og-socialudvalget",
        "socialudvalget",
    ]


def test_the_committee_list_narrows_to_the_chosen_municipality(client):
    html = _page(client, q="budget", kommune="lyngby-taarbaek")
    udvalg = re.search(r'<select name="udvalg"[^>]*>(.*?)</select>', html, re.S).group(1)
    values = re.findall(r'<option value="([^"]*)"', udvalg)
    assert values == ["", "forebyggelses-og-socialudvalget"]


def test_a_municipality_named_in_the_url_becomes_its_slug(client):
    response = client.get("/soeg/", {"q": "botilbud", "kommune": "Høje-Taastrup"})
    assert response.status_code == 302
    assert response["Location"] == "/soeg/?q=botilbud&kommune=hoeje-taastrup"
    response = client.get(
        "/soeg/",
        {
            "q": "x",
            "kommune": "Lyngby-Taarbæk Kommune",
            "udvalg": "Forebyggelses- og Socialudvalget",
        },
    )
    assert response["Location"] == (
        "/soeg/?q=x&kommune=lyngby-taarbaek&udvalg=forebyggelses-og-socialudvalget"
    )


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"kommune": "xyz"}, "kommune", "Arkivet kender ingen kommune ved navn »xyz«."),
        (
            {"kommune": "Høje Tåstrup"},
            "kommune",
            "Mente du Høje-Taastrup Kommune? Vælg en kommune på listen.",
        ),
        ({"kommune": "fanoe"}, "kommune", "Arkivet har endnu ingen referater fra Fanø Kommune."),
        ({"udvalg": "byraadet"}, "udvalg", "Arkivet kender intet udvalg ved navn »byraadet«."),
        (
            {"kommune": "lyngby-taarbaek", "udvalg": "socialudvalget"},
            "udvalg",
            "Lyngby-Taarbæk Kommune har intet udvalg ved navn »socialudvalget« i arkivet.",
        ),
        ({"aar": "tyve"}, "aar", "Indtast et heltal."),
        ({"fra": "2021-06-02", "til": "2020-01-01"}, "til", "Til-datoen ligger før fra-datoen."),
    ],
)
def test_an_invalid_filter_explains_itself_and_is_tied_to_its_field(client, params, field, message):
    response = client.get("/soeg/", {"q": "botilbud", **params})
    assert response.status_code == 400
    html = response.content.decode()
    summary = re.search(r'<div class="error-summary" role="alert".*?</div>', html, re.S).group(0)
    assert message in unescape(summary)
    assert f'href="#id_{field}"' in summary
    # The field points at its message, which exists (screen readers read it with the field).
    assert re.search(
        rf'<(select|input)[^>]*aria-describedby="id_{field}_error"[^>]*id="id_{field}"', html
    )
    error = re.search(rf'<p class="error field-error" id="id_{field}_error">(.*?)</p>', html).group(
        1
    )
    assert message in unescape(error)
    # No search ran with half the filters: no results are shown.
    assert 'id="results-heading"' not in html


def test_the_api_and_csv_explain_an_invalid_filter_too(client):
    data = client.get("/api/search", {"q": "botilbud", "kommune": "xyz"}).json()
    assert "ingen kommune ved navn »xyz«" in data["fields"]["kommune"][0]["message"]
    response = client.get("/api/search.csv", {"q": "botilbud", "kommune": "xyz"})
    assert response.status_code == 400
    assert "Kommune: Arkivet kender ingen kommune ved navn »xyz«" in response.content.decode()
    # A municipality by name works there as well.
    named = client.get("/api/search", {"q": "botilbud", "kommune": "Lyngby-Taarbæk"}).json()
    assert named["total"] == 3


def test_a_year_without_meetings_is_named_in_the_empty_result(client):
    html = _page(client, q="botilbud", aar="1999")
    assert '<option value="1999" selected>1999</option>' in html
    assert "Ingen punkter matcher søgningen med de valgte afgrænsninger." in html
    assert "År: <strong>1999</strong>" in html


def test_the_empty_page_offers_examples_and_the_municipalities(client):
    html = _page(client)
    assert '<a href="?q=botilbud">botilbud</a>' in html
    assert '<a href="?q=17%2F10000">17/10000</a>' in html
    section = re.search(r'id="municipalities-heading".*?</section>', html, re.S).group(0)
    assert '<a href="/hoeje-taastrup/">Høje-Taastrup Kommune</a>' in section
    assert '<a href="/lyngby-taarbaek/">Lyngby-Taarbæk Kommune</a>' in section
    assert "Fanø" not in section  # no minutes from there


def test_filters_without_words_ask_for_words(client):
    html = _page(client, kommune="hoeje-taastrup")
    assert "Skriv, hvad du leder efter, i søgefeltet: afgrænsningerne gælder, når du søger." in html
    assert "Kommune: <strong>Høje-Taastrup Kommune</strong>" in html


# --- Each result shows the decision -----------------------------------------------------------


def test_each_result_shows_its_decision_with_the_search_words_marked(client):
    html = _page(client, q="frivillighedspolitikken")
    [result] = _results(html)
    outcome = re.search(
        r'<div class="result-outcome result-outcome-noted">(.*?)</div>', result, re.S
    )
    assert outcome, result
    assert _text(outcome.group(1)) == (
        "Beslutning: Taget til efterretning Arbejdsmarkedsudvalget, 2. juni 2021 "
        "Taget til efterretning."
    )
    assert '<span class="badge badge-noted">Taget til efterretning</span>' in outcome.group(1)
    assert "Evaluering af <mark>frivillighedspolitikken</mark>" in result


def test_the_decision_line_marks_the_search_words(client):
    html = _page(client, q="godkendt", kommune="lyngby-taarbaek")
    lines = re.findall(r'<p class="result-outcome-text">(.*?)</p>', html, re.S)
    assert "<mark>Godkendt</mark>." in lines


def test_a_result_without_a_decision_shows_its_indstilling(client):
    item = AgendaItem.objects.get(
        meeting__date="2021-06-02", meeting__committee__slug="arbejdsmarkedsudvalget", number=3
    )
    Decision.objects.filter(item=item).delete()
    html = _page(client, q="frivillighedspolitikken")
    [result] = _results(html)
    assert "Ingen beslutning i arkivet" in result
    text = re.search(r'<p class="result-outcome-text">(.*?)</p>', result, re.S).group(1)
    assert _text(text).startswith("Indstilling: At Arbejdsmarkedsudvalget tager evalueringen")


def test_the_decision_is_the_one_of_the_items_own_meeting():
    item = AgendaItem.objects.get(
        meeting__date="2021-06-02", meeting__committee__slug="arbejdsmarkedsudvalget", number=5
    )
    decision = item_outcomes([item])[item.pk].decision
    # The minutes quote earlier committees; the item's own meeting decided last.
    assert (decision.body, decision.outcome, decision.this_meeting) == (
        "Arbejdsmarkedsudvalget",
        "recommended",
        True,
    )


def test_first_line_is_one_line_cut_at_a_word():
    assert first_line("\n\n  Godkendt.\nMed bemærkninger.") == "Godkendt."
    long = "ord " * 100
    cut = first_line(long, limit=30)
    assert cut == "ord ord ord ord ord ord ord …"
    assert first_line("") == ""


def test_document_text_in_results_is_escaped_not_trusted(client):
    item = AgendaItem.objects.get(
        meeting__date="2021-06-02", meeting__committee__slug="arbejdsmarkedsudvalget", number=3
    )
    Decision.objects.filter(item=item).update(
        text="<script>alert(1)</script> frivillighedspolitikken"
    )
    html = _page(client, q="frivillighedspolitikken")
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; <mark>frivillighedspolitikken</mark>" in html


def test_documents_are_listed_once_with_their_headings_as_text(client):
    html = _page(client, q="botilbud")
    block = re.search(r'id="documents-heading".*?</section>', html, re.S).group(0)
    document = Document.objects.get(slug="budgetbemaerkninger-socialudvalget-2022-2025")
    assert block.count(f'href="{document.get_absolute_url()}"') == 1
    assert DocumentSection.objects.filter(document=document, heading__contains="*").exists()
    # Emphasis marks become emphasis, never literal asterisks.
    assert "*" not in _text(block)
    assert "<em>Sociale Serviceydelse</em>" in block


def test_documents_of_other_municipalities_are_left_out_when_one_is_chosen(client):
    html = _page(client, q="botilbud", kommune="lyngby-taarbaek")
    assert 'id="documents-heading"' not in html
    assert 'id="documents-heading"' in _page(client, q="botilbud", kommune="hoeje-taastrup")


def test_the_form_offers_no_lists_unless_asked():
    """The API, CSV and feed validate with the same form without building the lists."""
    form = SearchForm({"q": "x", "kommune": "hoeje-taastrup"})
    assert form.is_valid()
    assert list(form.fields["kommune"].widget.choices) == []
