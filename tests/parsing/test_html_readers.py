"""Web pages read by their DOM: FirstAgenda Publication, one item per page, and any CMS page.

The real FirstAgenda page (Aarhus Byråd 2025-10-08, an agenda saved from the browser) is read
exactly; a minutes variant written here from the same template carries what that page does not
(a `Beslutninger` block, participants, a closed item). The item pages are written in the
structure Københavns Kommune's site and eDoc Publishing give one agenda item: the meeting named
only in the page header and breadcrumb, one item heading, its sections, decision and bilag.
"""

from __future__ import annotations

import json
from datetime import date

import pytest

from minutes.parsing import ParsedDocument, parse
from minutes.parsing.html import html_to_text
from minutes.parsing.readers import Source, firstagenda_html

from .conftest import FIXTURES

AARHUS = FIXTURES / "formats" / "aarhus_byraad_2025-10-08_DAGSORDEN.html"
AARHUS_KEY = FIXTURES / "formats" / "expected" / "aarhus_byraad_2025-10-08_DAGSORDEN.json"
CHROME = {"Tilbage til forsiden", "Punkt", "Titel", "Hent som PDF", "Kopier link", "PDF"}


@pytest.fixture(scope="module")
def aarhus() -> ParsedDocument:
    return parse(AARHUS.read_bytes(), filename=AARHUS.name)


def _html(text: str, encoding: str = "utf-8") -> bytes:
    return text.encode(encoding)


# --- FirstAgenda Publication: the real Aarhus page ----------------------------------------------


def test_aarhus_meeting_fields_come_from_the_label_table(aarhus: ParsedDocument):
    assert (aarhus.reader, aarhus.kind, aarhus.item_page) == ("firstagenda-html", "agenda", False)
    assert (aarhus.municipality, aarhus.committee, aarhus.date) == (
        "Aarhus Kommune",
        "Aarhus Byråd",
        date(2025, 10, 8),
    )
    assert (aarhus.start_time, aarhus.location) == ("16:00", "Byrådssalen")


def test_aarhus_has_its_33_items_with_titles_and_case_numbers(aarhus: ParsedDocument):
    assert [i.number for i in aarhus.items] == list(range(1, 34))
    by_number = {i.number: i for i in aarhus.items}
    assert [(by_number[n].title, by_number[n].case_number) for n in (1, 17, 21, 33)] == [
        ("Godkendelse af dagsorden", "EMN-2023-009832"),
        ("Dispensation fra 'Grøn handleplan for kunstgræsbaner'", "EMN-2025-009516"),
        ("Lokalplan 1246 Åbyhøj Idrætscenter – Endelig", "EMN-2025-010236"),
        (
            "Forslag fra V, KF, LA og DD om afledte konsekvenser af lukning af Vesterbro Torv",
            "EMN-2025-010810",
        ),
    ]
    assert not any(i.closed for i in aarhus.items)
    assert by_number[2].case_number_normalised == "EMN-2025-008308"


def test_aarhus_sagsforloeb_entries_are_earlier_decisions(aarhus: ParsedDocument):
    item = aarhus.items[21]
    assert item.number == 22
    assert [(d.body, d.date, d.outcome, d.this_meeting) for d in item.decisions] == [
        ("Magistraten", date(2025, 9, 2), "referred", False),
        ("Aarhus Byråd", date(2025, 9, 10), "referred", False),
        ("Teknisk Udvalg", date(2025, 9, 22), "postponed", False),
        ("Teknisk Udvalg", date(2025, 10, 1), "approved", False),
    ]
    # The entry's text is its decision, without the `Udvalg:`/`Dato:`/`Punktnummer:` labels.
    assert item.decisions[1].text.startswith("Fremsendes til Teknisk Udvalg til behandling")
    assert all("Punktnummer" not in d.text for i in aarhus.items for d in i.decisions)
    # An agenda: no decision is this meeting's, though the council decided earlier.
    assert not any(d.this_meeting for i in aarhus.items for d in i.decisions)


def test_aarhus_outcomes_follow_the_operative_verb(aarhus: ParsedDocument):
    outcomes = {(d.text[:30], d.outcome) for i in aarhus.items for d in i.decisions}
    assert ("Magistraten kunne tiltræde ind", "approved") in outcomes
    assert ("Udvalget kunne enstemmigt tilt", "approved") in outcomes
    assert ("Fremsendes til Aarhus Byråd me", "referred") in outcomes
    assert ("Magistraten blev orienteret om", "noted") in outcomes


def test_aarhus_attachments_are_the_pdf_list_under_bilag(aarhus: ParsedDocument):
    counts = {i.number: len(i.attachments) for i in aarhus.items}
    assert (counts[1], counts[2], counts[7], counts[31]) == (0, 22, 159, 2)
    assert aarhus.items[1].attachments[:2] == [
        "Indstilling",
        "Bilag 1: Budgetredegørelsen 2026-2029",
    ]


def test_aarhus_sections_are_the_headed_blocks(aarhus: ParsedDocument):
    item = aarhus.items[16]
    assert [s.heading for s in item.sections] == [
        "",
        "Resume",
        "Beslutningspunkter",
        "Borgmesterens afdelings påtegning",
    ]
    assert item.sections[2].text.startswith("Det indstilles:\nAt 1) Aarhus Fremad Fodbold")


def test_aarhus_chrome_is_never_read_as_content(aarhus: ParsedDocument):
    assert aarhus.committee not in CHROME
    assert aarhus.attendance == []
    texts = [s.text for i in aarhus.items for s in i.sections]
    texts += [a for i in aarhus.items for a in i.attachments] + [i.title for i in aarhus.items]
    assert not any(chrome in text.split("\n") for text in texts for chrome in CHROME)


def test_aarhus_scores_every_point_of_its_answer_key(aarhus: ParsedDocument):
    from .score_parse import score

    got, total, misses = score(json.loads(AARHUS_KEY.read_text("utf-8")), aarhus.to_json())
    assert (got, misses) == (total, [])


# --- FirstAgenda Publication: minutes from the same template ----------------------------------

FIRSTAGENDA_MINUTES = """<!DOCTYPE html><html lang="da"><head><meta charset="utf-8">
<title>Børne- og Skoleudvalget - Mødelokale 2</title>
<link href="/dist/css/vejle.css" rel="stylesheet">
</head><body><div class="container">
<input id="apiurl" name="apiurl" type="hidden" value="http://publication.firstagenda.com">
<nav class="navbar navbar-default"><a href="/"><img src="/Content/img/logo.png" alt="Vejle Kommune"></a></nav>
<div class="tilbage-wrapper"><a class="btn back-to-frontpage-button"><span class="tilbage-text">Tilbage til forsiden</span></a></div>
<div class="title"><h1 class="green dato">Referat 3. marts 2025 kl. 15.30</h1>
<h2><span class="udvalg">Børne- og Skoleudvalget</span> - <span class="sted">Mødelokale 2</span></h2></div>
<table class="dagsordeninfo"><tbody>
<tr><td>Udvalg:</td><td><span class="udvalg">Børne- og Skoleudvalget</span></td></tr>
<tr><td>Mødedato:</td><td><span class="dato">mandag den 3. marts 2025 kl. 15.30</span></td></tr>
<tr><td>Mødested:</td><td><span class="sted">Mødelokale 2</span></td></tr>
<tr id="deltager-container"><td>Mødedeltagere:</td><td class="deltagere">
<div>Anna Holm (A)</div><div>Bo Berg (V)</div><div>Carl Dahl (F) - Afbud</div></td></tr>
</tbody></table>
<table id="dagsordenDetaljer" class="table dagsorden"><thead><tr><th>Punkt</th><th>Titel</th><th></th></tr></thead><tbody>
<tr class="punktrow"><td class="punkt-tabel"><span class="label">1</span></td><td class="punkt-tabel">
<button class="overskrift-btn"><h2 class="overskrift">Skolestruktur 2026</h2></button>
<div class="details"><span class="sagsnummer">25/1234</span><div class="punkt">
<h3>Beslutninger</h3><span class="resume"><div>Anbefales med den ændring, at høringsfristen forlænges.</div>
<div>For stemte: A og V. Imod stemte: F.</div></span>
<h3>Indstilling</h3><span class="resume"><div>Forvaltningen indstiller, at forslaget sendes i høring.</div></span>
<h3>Sagsforløb:</h3><span class="resume">
<div>Udvalg:</div><div>Børne- og Skoleudvalget</div><div>Dato:</div><div>03-02-2025</div>
<div>Punktnummer: 4</div><div>Sagen blev udsat.</div>
<div>Udvalg: Børne- og Skoleudvalget</div><div>Dato: 03-03-2025</div><div>Punktnummer: 1</div>
<div>Anbefales med den ændring, at høringsfristen forlænges.</div></span>
<h3>Bilag</h3><ul class="list-unstyled"><li><span class="pdf-label">PDF</span><a class="bilag-link" href="/vis/pdf/bilag/1/">Høringsmateriale</a></li></ul>
</div></div></td>
<td class="punkt-tabel"><ul class="dropdown-menu"><li><a class="dropdown-item" href="#">Hent som PDF</a></li><li><a class="dropdown-item" href="#">Kopier link</a></li></ul></td></tr>
<tr class="punktrow"><td class="punkt-tabel"><span class="label">2</span></td><td class="punkt-tabel">
<span class="glyphicon glyphicon-lock" aria-label="Lukket punkt"></span>
<button class="overskrift-btn"><h2 class="overskrift">Personalesag</h2></button>
<div class="details"><span class="sagsnummer">25/2222</span></div></td><td></td></tr>
</tbody></table></div></body></html>"""


def test_firstagenda_minutes_decision_is_this_meetings_and_not_doubled():
    doc = parse(_html(FIRSTAGENDA_MINUTES))
    assert (doc.reader, doc.kind, doc.municipality, doc.committee) == (
        "firstagenda-html",
        "minutes",
        "Vejle Kommune",
        "Børne- og Skoleudvalget",
    )
    item = doc.items[0]
    # `Beslutninger` is this meeting's; its line in Sagsforløb is the same decision once.
    assert [(d.body, d.date, d.outcome, d.this_meeting) for d in item.decisions] == [
        ("Børne- og Skoleudvalget", date(2025, 3, 3), "recommended", True),
        ("Børne- og Skoleudvalget", date(2025, 2, 3), "postponed", False),
    ]
    assert {(v.party, v.position) for v in item.votes} == {
        ("A", "for"),
        ("V", "for"),
        ("F", "against"),
    }
    assert (item.case_number, item.attachments, [s.heading for s in item.sections]) == (
        "25/1234",
        ["Høringsmateriale"],
        ["Indstilling"],
    )


def test_firstagenda_participants_and_a_closed_item():
    doc = parse(_html(FIRSTAGENDA_MINUTES))
    assert [(a.name, a.party, a.status) for a in doc.attendance] == [
        ("Anna Holm", "A", "present"),
        ("Bo Berg", "V", "present"),
        ("Carl Dahl", "F", "absent"),
    ]
    assert [(i.number, i.title, i.closed) for i in doc.items] == [
        (1, "Skolestruktur 2026", False),
        (2, "Personalesag", True),
    ]


def test_label_layout_alone_is_no_firstagenda_page():
    page = """<html><body><main><h1>Referat</h1><table>
<tr><td>Udvalg:</td><td>Teknikudvalget</td></tr><tr><td>Mødedato:</td><td>5. marts 2024</td></tr>
</table><h2>1. Vejnavne</h2><p>Sagsnr.: 24/1</p><h3>Beslutning</h3><p>Godkendt.</p></main></body></html>"""
    assert not firstagenda_html.accepts(Source(_html(page)))
    doc = parse(_html(page))
    assert doc.reader == "html"
    assert [(i.number, i.title) for i in doc.items] == [(1, "Vejnavne")]


# --- One item per page ------------------------------------------------------------------------

KK_ITEM_PAGE = """<!DOCTYPE html><html lang="da" dir="ltr"><head><meta charset="utf-8">
<title>5. Udbud af rengøring på kommunens administrationsbygninger | Københavns Kommune</title>
<link rel="canonical" href="https://www.kk.dk/dagsordener-og-referater/%C3%98konomiudvalget/m%C3%B8de-12032024/referat/punkt-5">
</head><body class="page-node-type-agenda-item">
<a href="#main-content" class="visually-hidden focusable skip-link">Gå til hovedindhold</a>
<div id="cookie-information-template-wrapper"><div class="coi-banner__wrapper" role="dialog">
<p>Vi bruger cookies for at forbedre din oplevelse af kk.dk.</p><button>Accepter alle</button></div></div>
<header class="site-header" role="banner"><a href="/" class="site-logo"><img src="/themes/kk/logo.svg" alt="Københavns Kommune"></a>
<nav class="main-menu" aria-label="Hovedmenu"><ul><li><a href="/borger">Borger</a></li><li><a href="/erhverv">Erhverv</a></li>
<li><a href="/politik">Politik og indflydelse</a></li></ul></nav>
<form class="search-block-form" action="/search"><input type="search" name="keys"><button>Søg</button></form></header>
<nav class="breadcrumb" aria-label="Brødkrumme"><ol><li><a href="/">Forside</a></li><li><a href="/politik">Politik</a></li>
<li><a href="/politik/byraad-og-udvalg">Byråd og udvalg</a></li><li><a href="/dagsordener-og-referater">Dagsordener og referater</a></li>
<li><a href="/dagsordener-og-referater/%C3%98konomiudvalget">Økonomiudvalget</a></li>
<li><a href="/dagsordener-og-referater/%C3%98konomiudvalget/m%C3%B8de-12032024/referat">Møde 12.03.2024</a></li><li>Punkt 5</li></ol></nav>
<main id="main-content" role="main">
<div class="agenda-meeting-header"><p class="agenda-meeting-type">Referat</p><h2>Økonomiudvalget</h2>
<p class="agenda-meeting-date">Tirsdag den 12. marts 2024 kl. 15.30</p><p>Mødested: Rådhuset, Udvalgsværelse 1</p></div>
<article class="node node--type-agenda-item">
<h1 class="agenda-item-title"><span class="agenda-item-number">5.</span> Udbud af rengøring på kommunens administrationsbygninger</h1>
<div class="field field--name-field-case-number"><div class="field__label">Sagsnummer</div><div class="field__item">2024-0123456</div></div>
<div class="node__content">
<h2>Indstilling og beslutning</h2><p>Økonomiforvaltningen indstiller over for Økonomiudvalget,</p>
<ol><li>at udbud af rengøring gennemføres som beskrevet i sagen,</li><li>at forvaltningen bemyndiges til at indgå kontrakt.</li></ol>
<h2>Problemstilling</h2><p>Kommunens kontrakter om rengøring udløber 31. december 2024.</p>
<h2>Løsning</h2><p>Forvaltningen foreslår et udbud i tre delaftaler med sociale klausuler.</p>
<h2>Økonomi</h2><p>Udbuddet holder sig inden for den nuværende ramme på 48 mio. kr. årligt.</p>
<h2>Videre proces</h2><p>Kontrakten forventes indgået i oktober 2024.</p><p>Jens Jensen</p><p>/Anne Andersen</p>
<h2>Beslutning</h2><p><strong>Økonomiudvalgets beslutning i mødet den 12. marts 2024</strong></p>
<p>Indstillingen blev godkendt uden afstemning.</p>
<div id="agenda-element-appendices"><h2>Bilag</h2>
<div class="agenda-element-appendix"><a href="/sites/default/files/agenda/5a1b/Bilag%201.pdf">Bilag 1 - Udbudsstrategi</a></div>
<div class="agenda-element-appendix"><a href="/sites/default/files/agenda/5a1b/Bilag%202.pdf">Bilag 2 - Tidsplan for udbuddet</a></div>
</div></div></article>
<div class="agenda-item-pager"><a href="punkt-4" rel="prev">Forrige punkt</a> <a href="punkt-6" rel="next">Næste punkt</a></div>
</main>
<footer class="site-footer" role="contentinfo"><p>Københavns Kommune · Rådhuspladsen 1 · 1550 København V</p>
<ul><li><a href="/kontakt">Kontakt</a></li><li><a href="/was">Tilgængelighedserklæring</a></li></ul></footer>
</body></html>"""

EDOC_ITEM_PAGE = """<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1252">
<title>Teknik- og Miljøudvalget - Referat - 04-06-2019</title></head><body>
<div id="top"><img src="images/logo.gif" alt="Frederiksberg Kommune"></div>
<table class="MeetingHeader"><tr><td>Udvalg:</td><td>Teknik- og Miljøudvalget</td></tr>
<tr><td>Mødedato:</td><td>04-06-2019 kl. 17:00</td></tr><tr><td>Mødested:</td><td>Rådhuset, lokale 201</td></tr></table>
<div class="navigation"><a href="punkt6.htm">« Forrige punkt</a> | <a href="dagsorden.htm">Dagsorden</a> | <a href="punkt8.htm">Næste punkt »</a></div>
<table class="AgendaItem"><tr><td class="ItemNumber">7.</td><td class="ItemTitle"><h2>Kommuneplantillæg for Porcelænshaven</h2></td></tr></table>
<p><b>Sagsnr.:</b> 19/01234</p>
<h3>Resumé</h3><p>Forslag til kommuneplantillæg har været i offentlig høring i otte uger.</p>
<h3>Indstilling</h3><p>By- og Miljøområdet indstiller, at udvalget anbefaler, at tillægget vedtages endeligt.</p>
<h3>Beslutning i Teknik- og Miljøudvalget den 04-06-2019</h3><p>Anbefales.</p>
<h3>Bilag</h3><ul><li><a href="bilag/7_1.pdf">Forslag til kommuneplantillæg</a></li>
<li><a href="bilag/7_2.pdf">Høringssvar</a></li><li><a href="bilag/7_3.pdf">Miljøscreening</a></li></ul>
</body></html>"""


def test_kk_item_page_is_one_item_of_the_meeting_in_its_header():
    doc = parse(_html(KK_ITEM_PAGE))
    assert (doc.reader, doc.item_page, doc.kind) == ("item-page-html", True, "minutes")
    # The body nearest the item in the breadcrumb, not the site section "Byråd og udvalg".
    assert (doc.municipality, doc.committee, doc.date, doc.start_time, doc.location) == (
        "Københavns Kommune",
        "Økonomiudvalget",
        date(2024, 3, 12),
        "15:30",
        "Rådhuset, Udvalgsværelse 1",
    )
    [item] = doc.items
    assert (item.number, item.title, item.case_number) == (
        5,
        "Udbud af rengøring på kommunens administrationsbygninger",
        "2024-0123456",
    )
    assert [s.heading for s in item.sections] == [
        "Indstilling og beslutning",
        "Problemstilling",
        "Løsning",
        "Økonomi",
        "Videre proces",
    ]
    assert [(d.body, d.date, d.outcome, d.this_meeting, d.text) for d in item.decisions] == [
        (
            "Økonomiudvalget",
            date(2024, 3, 12),
            "approved",
            True,
            "Indstillingen blev godkendt uden afstemning.",
        )
    ]
    assert item.attachments == ["Bilag 1 - Udbudsstrategi", "Bilag 2 - Tidsplan for udbuddet"]
    everything = " ".join(s.text for s in item.sections)
    assert not any(w in everything for w in ("cookies", "Borger", "Forrige punkt", "Rådhuspladsen"))


def test_edoc_item_page_with_the_number_in_its_own_cell():
    doc = parse(_html(EDOC_ITEM_PAGE, "cp1252"))
    assert (doc.reader, doc.item_page, doc.kind, doc.municipality) == (
        "item-page-html",
        True,
        "minutes",
        "Frederiksberg Kommune",
    )
    assert (doc.committee, doc.date, doc.start_time) == (
        "Teknik- og Miljøudvalget",
        date(2019, 6, 4),
        "17:00",
    )
    [item] = doc.items
    assert (item.number, item.title, item.case_number, len(item.attachments)) == (
        7,
        "Kommuneplantillæg for Porcelænshaven",
        "19/01234",
        3,
    )
    assert [(d.body, d.outcome, d.this_meeting) for d in item.decisions] == [
        ("Teknik- og Miljøudvalget", "recommended", True)
    ]


def test_an_item_page_tells_an_earlier_bodys_decision_from_this_meetings():
    page = KK_ITEM_PAGE.replace(
        "<p><strong>Økonomiudvalgets beslutning i mødet den 12. marts 2024</strong></p>",
        "<p><strong>Teknik- og Miljøudvalgets beslutning i mødet den 4. marts 2024</strong></p>"
        "<p>Anbefalet.</p>"
        "<p><strong>Økonomiudvalgets beslutning i mødet den 12. marts 2024</strong></p>",
    )
    decisions = parse(_html(page)).items[0].decisions
    assert [(d.body, d.date, d.outcome, d.this_meeting) for d in decisions] == [
        ("Teknik- og Miljøudvalget", date(2024, 3, 4), "recommended", False),
        ("Økonomiudvalget", date(2024, 3, 12), "approved", True),
    ]


def test_an_agenda_item_page_has_no_decision_in_its_empty_slot():
    page = KK_ITEM_PAGE.replace(">Referat<", ">Dagsorden<").replace(
        "<p>Indstillingen blev godkendt uden afstemning.</p>", ""
    )
    doc = parse(_html(page))
    assert (doc.kind, doc.item_page, doc.items[0].decisions) == ("agenda", True, [])


def test_a_meeting_page_with_several_items_is_no_item_page():
    page = KK_ITEM_PAGE.replace(
        '<div id="agenda-element-appendices">',
        "<h1>6. Salg af ejendom</h1><p>Sagsnummer: 2024-0999999</p>"
        '<div id="agenda-element-appendices">',
    )
    assert parse(_html(page)).item_page is False


def test_a_meeting_index_linking_its_item_pages_is_no_item_page():
    page = KK_ITEM_PAGE.replace(
        "<footer",
        '<table class="agenda"><tr><td><a href="punkt-1">1. Godkendelse af dagsorden</a></td></tr>'
        '<tr><td><a href="punkt-2">2. Budget 2025</a></td></tr></table><footer',
    )
    assert parse(_html(page)).item_page is False


# --- The general reader on a CMS page ---------------------------------------------------------

CMS_PAGE = """<!DOCTYPE html><html lang="da"><head><meta charset="utf-8">
<title>Referat Teknik- og Miljøudvalget 5. marts 2024 | Syddjurs Kommune</title></head><body>
<div id="CybotCookiebotDialog"><h2>Denne hjemmeside bruger cookies</h2>
<p>Vi bruger cookies til at tilpasse vores indhold og til at analysere vores trafik.</p>
<a href="#" id="CybotCookiebotDialogBodyButtonAccept">Tillad alle</a></div>
<div class="site-top"><a href="/"><img src="/logo.png" alt="Forside"></a>
<ul class="top-links"><li><a href="/borger">Borger</a></li><li><a href="/erhverv">Erhverv</a></li><li><a href="/politik">Politik</a></li></ul></div>
<div class="page">
<div class="left-column"><ul><li><a href="/politik/udvalg">Udvalg</a></li><li><a href="/politik/byraadet">Byrådet</a></li>
<li><a href="/politik/dagsordener">Dagsordener og referater</a></li></ul></div>
<div class="content-area">
<h1>Referat</h1><p>Teknik- og Miljøudvalget</p><p>Tirsdag den 5. marts 2024 kl. 16.00</p>
<p>Mødested: Rådhuset, mødelokale 3</p><p>Fraværende: Per Hansen (V)</p>
<button class="accordion-toggle"><h2>1. Godkendelse af dagsorden</h2></button>
<div class="accordion-panel" hidden><p>Sagsnr.: 24/1001</p><h3>Beslutning</h3><p>Godkendt.</p>
<p>Dagsordenen blev godkendt uden bemærkninger, og udvalget gik derefter over til sagerne på dagsordenen i den rækkefølge, som forvaltningen havde foreslået.</p></div>
<p><a href="#top">Til toppen</a></p>
<h2>2. Trafiksikkerhedsplan 2024-2027</h2><p>Sagsnr.: 24/1002</p>
<h3>Indstilling</h3><p>Forvaltningen indstiller, at planen sendes i høring.</p>
<h3>Beslutning</h3><p>Anbefales.</p>
<h3>Bilag</h3><ul><li><a href="/media/1234/trafikplan.pdf">Trafiksikkerhedsplan, udkast</a></li>
<li><a href="/media/1235/kort.pdf">Kort over indsatser</a></li></ul>
<div class="share-links"><a href="https://facebook.com/sharer">Del på Facebook</a> <a href="https://linkedin.com/share">Del på LinkedIn</a></div>
</div>
<div class="related"><h4>Se også</h4><ul><li><a href="/politik/udvalg/teknik">Teknik- og Miljøudvalget</a></li>
<li><a href="/politik/moedeplan">Mødeplan 2024</a></li></ul></div>
</div>
<div id="footer"><p>Syddjurs Kommune · Lundbergsvej 2 · 8400 Ebeltoft</p>
<ul><li><a href="/kontakt">Kontakt</a></li><li><a href="/was">Tilgængelighedserklæring</a></li></ul></div>
</body></html>"""


def test_general_reader_reads_only_the_content_of_a_cms_page():
    text = html_to_text(_html(CMS_PAGE))
    for chrome in ("cookies", "Borger", "Byrådet", "Se også", "Mødeplan", "Facebook", "Ebeltoft"):
        assert chrome not in text
    assert "1. Godkendelse af dagsorden" in text  # a heading inside an accordion button stays
    assert "Dagsordenen blev godkendt uden bemærkninger" in text  # so does a collapsed panel
    doc = parse(_html(CMS_PAGE))
    assert (doc.reader, doc.municipality, doc.committee, doc.date, doc.location) == (
        "html",
        "Syddjurs Kommune",
        "Teknik- og Miljøudvalget",
        date(2024, 3, 5),
        "Rådhuset, mødelokale 3",
    )
    assert [(a.name, a.status) for a in doc.attendance] == [("Per Hansen", "absent")]
    assert [(i.number, i.case_number, len(i.attachments)) for i in doc.items] == [
        (1, "24/1001", 0),
        (2, "24/1002", 2),
    ]


def test_general_reader_keeps_member_links_listed_under_their_heading():
    page = """<html><body><div class="content"><h1>Referat</h1><p>Økonomiudvalget</p>
<p>Mandag den 2. juni 2025 kl. 17.00</p><h3>Deltagere</h3>
<ul><li><a href="/politiker/anna-holm">Anna Holm</a></li><li><a href="/politiker/bo-berg">Bo Berg</a></li></ul>
<h2>1. Regnskab 2024</h2><p>Sagsnr.: 25/10</p><h3>Beslutning</h3><p>Godkendt.</p></div>
<div class="links"><ul><li><a href="/a">Om kommunen</a></li><li><a href="/b">Job</a></li></ul></div></body></html>"""
    text = html_to_text(_html(page))
    assert "Anna Holm" in text and "Bo Berg" in text
    assert "Om kommunen" not in text
