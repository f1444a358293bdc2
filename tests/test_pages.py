"""Every page type renders on the seed data; unknown addresses give 404."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db

MEETING = "/hoeje-taastrup/arbejdsmarkedsudvalget/2021-06-02/"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/", "Høje-Taastrup Kommune"),
        ("/hoeje-taastrup/", "Arbejdsmarkedsudvalget"),
        ("/hoeje-taastrup/arbejdsmarkedsudvalget/", "2. juni 2021"),
        (MEETING, "Punkt 3:</span> Evaluering af frivillighedspolitikken"),
        ("/hoeje-taastrup/sager/17-10000/", "Ældre- og Sundhedsudvalget"),
        (
            "/hoeje-taastrup/dokumenter/budgetbemaerkninger-socialudvalget-2022-2025/",
            '<th scope="col">Politikområder (netto mio. kr.)</th>',
        ),
        ("/soeg/?q=botilbud", "resultat"),
    ],
)
def test_page_renders(client, url, expected):
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="da">' in html
    assert expected in html


@pytest.mark.parametrize(
    "url",
    [
        "/ingen-kommune/",
        "/hoeje-taastrup/ingen-udvalg/",
        "/hoeje-taastrup/arbejdsmarkedsudvalget/2021-06-03/",
        "/hoeje-taastrup/arbejdsmarkedsudvalget/2021-02-30/",
        "/hoeje-taastrup/sager/99-99999/",
        "/lyngby-taarbaek/sager/17-10000/",
    ],
)
def test_unknown_addresses_are_404(client, url):
    assert client.get(url).status_code == 404


def test_case_number_query_goes_to_the_case_page(client):
    response = client.get("/soeg/", {"q": "sag 17/10000"})
    assert response.status_code == 302
    assert response["Location"] == "/hoeje-taastrup/sager/17-10000/"


def test_stop_word_query_says_why_there_are_no_results(client):
    response = client.get("/soeg/", {"q": "og i at"})
    assert response.status_code == 200
    assert "fyldord" in response.content.decode()


def test_meeting_page_shows_attendance_decisions_and_attachments(client):
    html = client.get(MEETING).content.decode()
    assert "Kurt Scheelsbeck" in html
    assert "Anbefalet" in html
    assert "Høringssvar SU-møde 02-06-21" in html
    assert 'id="punkt-5"' in html


# --- Page contents -------------------------------------------------------------------------

CASE = "/hoeje-taastrup/sager/17-10000/"
COMMITTEE = "/hoeje-taastrup/arbejdsmarkedsudvalget/"
DOCUMENT = "/hoeje-taastrup/dokumenter/budgetbemaerkninger-socialudvalget-2022-2025/"
PAGES = ["/", "/hoeje-taastrup/", COMMITTEE, MEETING, CASE, DOCUMENT]


def _html(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_home_shows_search_first_then_counts_municipalities_and_newest_meetings(client):
    html = _html(client, "/")
    main = html[html.index("<main") :]
    assert (
        main.index('role="search"')
        < main.index(">Kommuner</h2>")
        < main.index(">Nyeste møder</h2>")
    )
    assert "<strong>4</strong> møder" in html
    assert "<strong>2</strong> kommuner" in html
    # Newest first: Lyngby-Taarbæk's 2024 meeting before Høje-Taastrup's 2021 one.
    assert html.index("31. oktober 2024") < html.index("2. juni 2021") < html.index("1. april 2020")


def test_municipality_lists_committees_with_meeting_count_and_latest_date(client):
    html = _html(client, "/hoeje-taastrup/")
    row = re.search(
        r"<tr><th scope=\"row\"><a [^>]*>Arbejdsmarkedsudvalget</a></th>(.*?)</tr>", html
    )
    assert row is not None
    assert '<td class="num">2</td>' in row.group(1)
    assert "2. juni 2021" in row.group(1)
    assert "Budgetbemærkninger" in html


def test_committee_groups_meetings_by_year_and_lists_people_from_attendance(client):
    html = _html(client, COMMITTEE)
    assert (
        html.index('id="aar-2021"')
        < html.index("Onsdag 2. juni 2021")
        < html.index('id="aar-2020"')
    )
    assert "Onsdag 1. april 2020" in html
    # Turan Akbulut sent apologies on 1 April 2020 and attended on 2 June 2021.
    row = re.search(r"Turan Akbulut</a></th>(.*?)</tr>", html, re.S)
    assert row is not None
    assert re.findall(r'<td class="num">(\d+)</td>', row.group(1)) == ["1", "0", "1"]


def test_meeting_page_has_date_time_place_attendance_toc_and_anchors(client):
    html = _html(client, MEETING)
    assert "Onsdag 2. juni 2021" in html and "Kl. 16.00" in html and "Mødelokale B203" in html
    toc = html[
        html.index('id="toc-heading"') : html.index("</nav>", html.index('id="toc-heading"'))
    ]
    assert toc.count("<li>") == 7 and 'href="#punkt-5"' in toc
    for number in range(1, 8):
        assert f'id="punkt-{number}"' in html
    # One anchor per decision, each linking to itself.
    anchors = re.findall(r'class="decision[^"]*" id="(punkt-\d+-beslutning-\d+)"', html)
    assert len(anchors) == len(set(anchors)) >= 7
    assert all(f'href="#{a}"' in html for a in anchors)


def test_meeting_page_shows_absences_and_closed_items(client):
    html = _html(client, "/hoeje-taastrup/arbejdsmarkedsudvalget/2020-04-01/")
    absent = html[html.index("<h3>Afbud") :]
    assert "Turan Akbulut" in absent[: absent.index("</ul>")]
    closed = html[html.index('id="punkt-5"') :]
    assert "Lukket punkt" in closed[: closed.index("</article>")]
    assert "lukkede døre" in closed[: closed.index("</article>")]


def test_meeting_page_puts_the_indstilling_before_the_decisions_it_led_to(client):
    html = _html(client, MEETING)
    item = html[html.index('id="punkt-3"') : html.index('id="punkt-4"')]
    assert item.index("<h3>Indstilling</h3>") < item.index("<h3>Beslutning</h3>")
    assert item.index("<h3>Beslutning</h3>") < item.index("<h3>Sagsfremstilling</h3>")
    assert 'badge-noted">Taget til efterretning<' in item


def test_meeting_page_links_previous_and_next_meeting_of_the_committee(client):
    html = _html(client, "/hoeje-taastrup/arbejdsmarkedsudvalget/2020-04-01/")
    assert 'href="/hoeje-taastrup/arbejdsmarkedsudvalget/2021-06-02/"' in html
    assert "Næste møde" in html and "Forrige møde" not in html
    html = _html(client, MEETING)
    assert "Forrige møde" in html and "Næste møde" not in html


def test_citation_lines_name_what_body_date_and_permanent_url(client):
    html = _html(client, MEETING)
    assert (
        "Arbejdsmarkedsudvalget, Høje-Taastrup Kommune: referat af mødet 2. juni 2021, punkt 3 "
        "»Evaluering af frivillighedspolitikken« (sag 21/8910). Referatarkivet, "
        '<a href="http://testserver/hoeje-taastrup/arbejdsmarkedsudvalget/2021-06-02/#punkt-3">'
    ) in html
    html = _html(client, CASE)
    assert "Høje-Taastrup Kommune, sag 17/10000 »" in html
    assert "til og med Socialudvalget 2. juni 2021" in html
    assert '<a href="http://testserver/hoeje-taastrup/sager/17-10000/">' in html


@pytest.mark.parametrize("url", PAGES)
def test_every_page_has_opengraph_canonical_and_no_script(client, url):
    html = _html(client, url)
    canonical = re.search(r'<link rel="canonical" href="([^"]+)">', html)
    assert canonical is not None and canonical.group(1) == f"http://testserver{url}"
    assert f'<meta property="og:url" content="http://testserver{url}">' in html
    og_title = re.search(r'<meta property="og:title" content="([^"]*)">', html)
    og_description = re.search(r'<meta property="og:description" content="([^"]*)">', html)
    assert og_title and og_title.group(1).strip()
    assert og_description and len(og_description.group(1)) > 20
    assert "<title>" + og_title.group(1) + " – Referatarkivet</title>" in html
    assert "<script" not in html


def test_meeting_opengraph_describes_the_meeting(client):
    html = _html(client, MEETING)
    assert (
        '<meta property="og:title" content="Arbejdsmarkedsudvalget 2. juni 2021 – '
        'Høje-Taastrup Kommune">'
    ) in html
    assert "3. Evaluering af frivillighedspolitikken" in html[: html.index("</head>")]


def test_document_renders_tables_and_a_table_of_contents(client):
    html = _html(client, DOCUMENT)
    assert html.count("<table") >= 2
    toc = re.findall(r'<a href="#(afsnit-\d+)">', html)
    assert toc and all(f'id="{anchor}"' in html for anchor in toc)


# --- The decision trail --------------------------------------------------------------------


def test_trail_of_case_17_10000_is_every_decision_once_in_date_order(db):
    from minutes import selectors

    case = selectors.get_case("hoeje-taastrup", "17-10000")
    trail = selectors.decision_trail(case)
    assert [(s.decision.body, s.decision.date.isoformat(), s.decision.outcome) for s in trail] == [
        ("Arbejdsmarkedsudvalget", "2020-04-01", "approved"),
        ("Institutions- og Skoleudvalget", "2021-06-01", "recommended"),
        ("Fritids- og Kulturudvalget", "2021-06-01", "recommended"),
        ("Arbejdsmarkedsudvalget", "2021-06-02", "recommended"),
        ("Ældre- og Sundhedsudvalget", "2021-06-02", "recommended"),
        ("Socialudvalget", "2021-06-02", "recommended"),
    ]
    assert trail[0].url.startswith("/hoeje-taastrup/arbejdsmarkedsudvalget/2020-04-01/#punkt-3-")
    assert all(
        s.url.startswith("/hoeje-taastrup/arbejdsmarkedsudvalget/2021-06-02/#punkt-5-beslutning-")
        for s in trail[1:]
    )
    assert "1. tager sagen til efterretning" in trail[0].recommendation
    assert "Økonomiudvalget og Byrådet tager sagen til efterretning" in trail[1].recommendation
    assert [s.repeats_previous_recommendation for s in trail] == [False, False] + [True] * 4

    status = selectors.case_status(trail)
    assert status.latest is trail[-1]
    assert status.pending == ["Økonomiudvalget", "Byrådet"]


def test_case_page_shows_the_trail_with_indstilling_beside_each_decision(client):
    html = _html(client, CASE)
    assert "Hvor står sagen nu?" in html
    assert "skal sagen videre til <strong>Økonomiudvalget og Byrådet</strong>" in html
    steps = html.split('<li class="timeline-step')[1:]
    assert len(steps) == 6
    for step in steps:
        assert step.index("<h4>Indstilling</h4>") < step.index("<h4>Beslutning</h4>")
        assert re.search(
            r'href="/hoeje-taastrup/arbejdsmarkedsudvalget/[\d-]+/#punkt-\d+-beslutning-\d+"', step
        )
    assert "Samme indstilling som ovenfor." in steps[2]
    assert "timeline-step-latest" in steps[-1] and "Socialudvalget" in steps[-1]


def test_bodies_named_in_an_indstilling():
    from minutes.selectors import bodies_named_in

    assert bodies_named_in(
        "At Teknik- og Miljøudvalget over for Økonomiudvalget og Kommunalbestyrelsen anbefaler, "
        "at Klima-, Miljø- og Teknikudvalget orienteres. Økonomiudvalget skal også høres."
    ) == [
        "Teknik- og Miljøudvalget",
        "Økonomiudvalget",
        "Kommunalbestyrelsen",
        "Klima-, Miljø- og Teknikudvalget",
    ]
    assert bodies_named_in("At sagen tages til efterretning.") == []


@pytest.mark.parametrize(
    "url",
    [
        "/ingen-kommune/arbejdsmarkedsudvalget/",
        "/lyngby-taarbaek/arbejdsmarkedsudvalget/",
        "/hoeje-taastrup/arbejdsmarkedsudvalget/2021-13-01/",
        "/hoeje-taastrup/ingen-udvalg/feed/",
        "/hoeje-taastrup/sager/99-99999/feed/",
        "/hoeje-taastrup/dokumenter/intet-dokument/",
        "/sitemap-ukendt.xml",
    ],
)
def test_more_unknown_addresses_are_404(client, url):
    assert client.get(url).status_code == 404


# --- Around the pages: sitemap, robots.txt, feeds ------------------------------------------


def test_sitemap_index_and_sections_list_every_page(client):
    index = _html(client, "/sitemap.xml")
    sections = re.findall(r"<loc>http://testserver(/sitemap-[a-z]+\.xml)</loc>", index)
    assert sorted(sections) == [
        "/sitemap-dokumenter.xml",
        "/sitemap-kommuner.xml",
        "/sitemap-moeder.xml",
        "/sitemap-personer.xml",
        "/sitemap-sager.xml",
        "/sitemap-sider.xml",
        "/sitemap-udvalg.xml",
    ]
    urls = set()
    for section in sections:
        urls |= set(re.findall(r"<loc>http://testserver([^<]+)</loc>", _html(client, section)))
    from minutes.models import Case, Committee, Document, Meeting

    assert {"/hoeje-taastrup/", "/lyngby-taarbaek/", MEETING, CASE, DOCUMENT, COMMITTEE} <= urls
    assert "/koebenhavn/" not in urls  # municipalities without content are left out
    assert len([u for u in urls if "/sager/" in u]) == Case.objects.count()
    assert (
        len([u for u in urls if re.search(r"/\d{4}-\d{2}-\d{2}/$", u)]) == Meeting.objects.count()
    )
    assert len([u for u in urls if "/dokumenter/" in u]) == Document.objects.count()
    committees = [
        u for u in urls if re.fullmatch(r"/[a-z0-9-]+/[a-z0-9-]+/", u) and "/personer/" not in u
    ]
    assert len(committees) == Committee.objects.filter(meetings__isnull=False).distinct().count()


def test_robots_txt_points_to_the_sitemap_and_keeps_crawlers_out_of_search(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    body = response.content.decode()
    assert "Disallow: /soeg/" in body and "Disallow: /admin/" in body
    assert "Sitemap: http://testserver/sitemap.xml" in body


def test_committee_feed_lists_its_meetings_newest_first(client):
    import feedparser

    html = _html(client, COMMITTEE)
    assert (
        '<link rel="alternate" type="application/atom+xml" title="Nye møder i '
        'Arbejdsmarkedsudvalget" href="/hoeje-taastrup/arbejdsmarkedsudvalget/feed/">'
    ) in html
    assert 'href="/hoeje-taastrup/arbejdsmarkedsudvalget/feed/"' in _html(client, MEETING)
    response = client.get("/hoeje-taastrup/arbejdsmarkedsudvalget/feed/")
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.feed.title == "Nye møder i Arbejdsmarkedsudvalget, Høje-Taastrup Kommune"
    assert [e.link for e in feed.entries] == [
        "http://testserver/hoeje-taastrup/arbejdsmarkedsudvalget/2021-06-02/",
        "http://testserver/hoeje-taastrup/arbejdsmarkedsudvalget/2020-04-01/",
    ]
    assert feed.entries[0].title == "Arbejdsmarkedsudvalget 2. juni 2021 (referat)"
    assert all(e.id.startswith("http://testserver/") for e in feed.entries)


def test_case_feed_has_one_entry_per_decision_linking_to_its_anchor(client):
    import feedparser

    assert 'href="/hoeje-taastrup/sager/17-10000/feed/"' in _html(client, CASE)
    feed = feedparser.parse(client.get("/hoeje-taastrup/sager/17-10000/feed/").content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert len(feed.entries) == 6
    assert feed.entries[0].title == "Socialudvalget 2. juni 2021: anbefalet"
    assert feed.entries[-1].title == "Arbejdsmarkedsudvalget 1. april 2020: godkendt"
    assert all(re.search(r"#punkt-\d+-beslutning-\d+$", e.link) for e in feed.entries)
    assert len({e.id for e in feed.entries}) == 6


# --- A constant number of queries per page, whatever the number of items --------------------


def _archive_with(items: int, *, date: str, committee_name: str = "Testudvalget"):
    """A meeting with `items` full agenda items (case, sections, decisions, votes, attachment)."""
    import datetime
    import hashlib

    from minutes.models import (
        AgendaItem,
        Attachment,
        Attendance,
        Case,
        Committee,
        Decision,
        Meeting,
        Municipality,
        Section,
        SourceFile,
        Vote,
    )
    from minutes.text import danish_slug

    date = datetime.date.fromisoformat(date)
    municipality = Municipality.objects.get(slug="hoeje-taastrup")
    committee, _ = Committee.objects.get_or_create(
        municipality=municipality, name=committee_name, slug=danish_slug(committee_name)
    )
    source = SourceFile.objects.create(
        sha256=hashlib.sha256(f"{committee_name}{date}".encode()).hexdigest(),
        file_name=f"{date}.txt",
        content=b"x",
        size=1,
        content_type="text",
        municipality=municipality,
    )
    meeting = Meeting.objects.create(committee=committee, date=date, source=source)
    for position, status in enumerate(["present", "present", "absent", "substitute"]):
        Attendance.objects.create(
            meeting=meeting, position=position, name=f"Person {position}", status=status
        )
    for n in range(items):
        case, _ = Case.objects.get_or_create(
            municipality=municipality, number=f"98/{n}", normalised=f"98/{n}"
        )
        item = AgendaItem.objects.create(
            meeting=meeting,
            position=n,
            number=n + 1,
            title=f"Punkt nummer {n + 1}",
            raw_title=f"Punkt nummer {n + 1}",
            case=case,
            closed=n % 7 == 6,
        )
        Section.objects.create(
            item=item, position=0, heading="Indstilling", text="At det godkendes."
        )
        Section.objects.create(item=item, position=1, heading="Sagsfremstilling", text="a\tb\nc\td")
        for p, outcome in enumerate(["recommended", "approved"]):
            Decision.objects.create(
                item=item,
                position=p,
                body=committee_name if p else "Økonomiudvalget",
                date=date,
                outcome=outcome,
                this_meeting=bool(p),
                text="Godkendt.",
            )
        Vote.objects.create(item=item, position=0, party="A", count=3, stance="for")
        Vote.objects.create(item=item, position=1, party="V", count=2, stance="against")
        Attachment.objects.create(item=item, position=0, title="Bilag")
    return meeting


def test_meeting_page_queries_do_not_grow_with_items(client, django_assert_max_num_queries):
    few = _archive_with(2, date="2030-01-10").get_absolute_url()
    many = _archive_with(40, date="2030-02-10").get_absolute_url()
    # The ninth: the stored originals of the "Kilde" section; the tenth the page's version.
    with django_assert_max_num_queries(10) as small:
        assert client.get(few).status_code == 200
    with django_assert_max_num_queries(len(small)) as large:
        response = client.get(many)
    assert response.content.decode().count('<article class="item') == 40
    assert len(large) == len(small)


def test_case_page_queries_do_not_grow_with_decisions(client, django_assert_max_num_queries):
    from minutes.models import Case

    _archive_with(1, date="2030-01-10", committee_name="Testudvalget")
    with django_assert_max_num_queries(8) as small:
        assert client.get(Case.objects.get(normalised="98/0").get_absolute_url()).status_code == 200
    # The same case on twelve more meetings of three committees.
    for month in range(1, 13):
        _archive_with(1, date=f"2031-{month:02d}-01", committee_name=f"Udvalg {month % 3}")
    with django_assert_max_num_queries(len(small)) as large:
        response = client.get(Case.objects.get(normalised="98/0").get_absolute_url())
    # Each meeting adds its committee's decision and Økonomiudvalget's, all on different days.
    assert response.content.decode().count('<li class="timeline-step') == 2 * 13
    assert len(large) == len(small)


@pytest.mark.parametrize(
    "url", ["/", "/hoeje-taastrup/", COMMITTEE, DOCUMENT, "/hoeje-taastrup/testudvalget/feed/"]
)
def test_other_pages_query_a_fixed_number_of_times(client, django_assert_max_num_queries, url):
    for day in range(1, 16):
        _archive_with(3, date=f"2030-03-{day:02d}")
    with django_assert_max_num_queries(8):
        assert client.get(url).status_code == 200


def test_emphasis_in_the_text_becomes_markup_and_everything_else_stays_escaped():
    from minutes.templatetags.archive import inline_markup, is_number

    assert inline_markup("for *Pension* og **SPIR** <i>Heraf</i>") == (
        "for <em>Pension</em> og <strong>SPIR</strong> <em>Heraf</em>"
    )
    assert inline_markup("<script>x</script> *<b onclick=1>y</b>*") == (
        "&lt;script&gt;x&lt;/script&gt; <em>&lt;b onclick=1&gt;y&lt;/b&gt;</em>"
    )
    assert inline_markup("3 * 4 * 5") == "3 * 4 * 5"
    assert [is_number(c) for c in ["50,9", "-1.234,5", "12 %", "2022", "I alt", "1,2,3"]] == [
        True,
        True,
        True,
        True,
        False,
        False,
    ]


def test_document_tables_align_figures_and_show_emphasis(client):
    html = _html(client, DOCUMENT)
    assert '<td class="num">50,9</td>' in html
    assert "<td><em>Heraf</em></td>" in html
    assert "&lt;i&gt;" not in html


def test_static_files_get_hashed_names_and_long_cache_lifetimes(tmp_path, settings):
    """What production does (DEBUG off): whitenoise serves hashed, compressed, immutable files."""
    from django.core.management import call_command
    from django.test import Client

    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    client = Client()  # a new handler, so whitenoise indexes the collected files
    html = client.get("/").content.decode()
    stylesheet = re.search(r'href="(/static/css/archive\.[0-9a-f]{12}\.css)"', html)
    assert stylesheet is not None
    response = client.get(stylesheet.group(1), HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert "max-age=315360000" in response["Cache-Control"]
    assert "immutable" in response["Cache-Control"]
    assert response["Content-Encoding"] == "gzip"


def test_a_reingested_meeting_keeps_its_address_and_anchors(client):
    """A published link stays valid when the municipality publishes a corrected version."""
    from minutes.models import Meeting
    from minutes.services.ingestion import ingest_file
    from tests.conftest import seed_path

    before = Meeting.objects.get(committee__slug="arbejdsmarkedsudvalget", date="2021-06-02")
    path = seed_path("000")
    corrected = path.read_text("utf-8").replace(
        "Taget til efterretning.", "Taget til efterretning med bemærkninger.", 1
    )
    ingest_file(data=corrected.encode(), file_name=path.name, municipality="Høje-Taastrup Kommune")
    html = _html(client, MEETING)
    assert "Taget til efterretning med bemærkninger." in html
    assert 'id="punkt-3"' in html and 'id="punkt-5"' in html
    assert (
        Meeting.objects.get(committee__slug="arbejdsmarkedsudvalget", date="2021-06-02").pk
        == before.pk
    )


def test_minutes_win_over_the_agenda_of_the_same_day(client):
    """Agenda and minutes of one meeting share its address; the minutes are shown and listed."""
    from minutes.models import Meeting

    minutes = Meeting.objects.get(committee__slug="arbejdsmarkedsudvalget", date="2021-06-02")
    Meeting.objects.create(
        committee=minutes.committee, date=minutes.date, kind="agenda", source=minutes.source
    )
    html = _html(client, MEETING)
    assert "Referat · Høje-Taastrup Kommune" in html
    assert "Referatet med udvalgets beslutninger er ikke i arkivet endnu" not in html
    sitemap = _html(client, "/sitemap-moeder.xml")
    assert sitemap.count(f"<loc>http://testserver{MEETING}</loc>") == 1


def test_not_found_page_is_danish_with_a_way_on(client, settings):
    settings.DEBUG = False
    response = client.get("/ingen-kommune/")
    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="da">' in html
    assert "Siden findes ikke" in html
    assert 'href="/soeg/"' in html


def test_meeting_reached_from_a_result_marks_the_search_terms(client):
    plain = client.get(MEETING).content.decode()
    assert "<mark>" not in plain
    marked = client.get(MEETING, {"fremhaev": "frivillighedspolitikken"}).content.decode()
    assert "Evaluering af <mark>frivillighedspolitikken</mark>" in marked
    # Stemming: the inflected form in the decision text is marked too.
    assert marked.count("<mark>") >= 3


def test_meeting_agenda_is_rendered_once_per_version_of_the_meeting(client):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from minutes.models import Meeting, Section

    cache.clear()
    with CaptureQueriesContext(connection) as cold:
        first = client.get(MEETING).content.decode()
    with CaptureQueriesContext(connection) as warm:
        second = client.get(MEETING).content.decode()
    assert second == first
    # Only the version is read again: the meeting's update and its neighbours (for the
    # previous/next links), in one statement.
    assert len(cold) == 10  # the version, then the page's 9 (with the "Kilde" originals)
    assert len(warm) == 1

    meeting = Meeting.objects.get(committee__slug="arbejdsmarkedsudvalget", date="2021-06-02")
    Section.objects.filter(item__meeting=meeting, heading="Baggrund", item__number=3).update(
        text="Ny tekst i en rettet version."
    )
    meeting.save()  # a new version (ingestion saves the meeting) changes the cache key
    assert "Ny tekst i en rettet version." in client.get(MEETING).content.decode()


def test_case_page_is_rendered_once_per_version_of_its_meetings(client):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from minutes.models import Decision

    url = "/hoeje-taastrup/sager/17-10000/"
    cache.clear()
    first = client.get(url).content.decode()
    with CaptureQueriesContext(connection) as warm:
        second = client.get(url).content.decode()
    assert second == first
    assert len(warm) == 1  # only the case and its version

    decision = Decision.objects.get(
        item__case__normalised="17/10000", body="Socialudvalget", item__meeting__date="2021-06-02"
    )
    Decision.objects.filter(pk=decision.pk).update(text="Anbefales med en tilføjelse.")
    decision.item.meeting.save()  # ingestion saves the meeting when a new version arrives
    assert "Anbefales med en tilføjelse." in client.get(url).content.decode()
    # A query string (echoed in the header's search box) is never served from the cache.
    assert 'value="botilbud"' in client.get(url, {"q": "botilbud"}).content.decode()


def test_cached_meeting_page_follows_a_new_neighbour(client):
    from datetime import date

    from django.core.cache import cache

    from minutes.models import Meeting

    cache.clear()
    url = "/hoeje-taastrup/arbejdsmarkedsudvalget/2020-04-01/"
    assert "2021-06-02" in client.get(url).content.decode()  # next meeting, now cached
    earlier = Meeting.objects.get(committee__slug="arbejdsmarkedsudvalget", date=date(2020, 4, 1))
    Meeting.objects.create(
        committee=earlier.committee, date=date(2020, 12, 2), kind="minutes", source=earlier.source
    )
    html = client.get(url).content.decode()
    assert 'rel="next" href="/hoeje-taastrup/arbejdsmarkedsudvalget/2020-12-02/"' in html


@pytest.mark.parametrize("query", ["", "?fremhaev=godkendes"])
def test_meeting_agenda_escapes_every_piece_of_document_text(client, query):
    """The agenda is a Jinja2 template (minutes.templating): markup in any field the parser
    stores comes out as text, with and without search-term highlighting."""
    from minutes.models import Attachment, Case, Decision, Section, Vote

    meeting = _archive_with(1, date="2030-03-10")
    item = meeting.items.get()
    evil = '<script>alert("{}")</script>'
    item.title = evil.format("title")
    item.case = Case.objects.create(
        municipality=meeting.committee.municipality, number=evil.format("case"), normalised="x1"
    )
    item.save()
    Section.objects.filter(item=item).update(heading=evil.format("heading"))
    Section.objects.create(item=item, position=5, heading="", text=evil.format("text"))
    Decision.objects.filter(item=item).update(
        body=evil.format("body"), text=evil.format("decision")
    )
    Vote.objects.filter(item=item, position=0).update(party="<i>")  # a party letter is 1–3 chars
    Attachment.objects.filter(item=item).update(title=evil.format("bilag"))

    html = client.get(meeting.get_absolute_url() + query).content.decode()
    assert "<script" not in html
    assert '<th scope="row">&lt;i&gt;</th>' in html
    assert ("<mark>godkendes</mark>" in html) == bool(query)
    for field in ("title", "case", "heading", "text", "body", "decision", "bilag"):
        escaped = f"alert(&quot;{field}&quot;)&lt;/script&gt;"
        assert escaped in html or escaped.replace("&quot;", "&#34;") in html, field
