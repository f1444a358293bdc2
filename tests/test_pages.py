"""Every page type renders on the seed data; unknown addresses give 404."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

MEETING = "/hoeje-taastrup/arbejdsmarkedsudvalget/2021-06-02/"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/", "Høje-Taastrup Kommune"),
        ("/hoeje-taastrup/", "Arbejdsmarkedsudvalget"),
        ("/hoeje-taastrup/arbejdsmarkedsudvalget/", "2. juni 2021"),
        (MEETING, "Punkt 3: Evaluering af frivillighedspolitikken"),
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
