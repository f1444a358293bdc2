"""The search notices (how the query was read, corrections, relaxed queries, unknown cases) in
the JSON search API, as the page shows them (issue 13)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

pytestmark = pytest.mark.django_db


def _notices(client, **params) -> dict:
    response = client.get("/api/search", params)
    assert response.status_code == 200
    return response.json()["notices"]


def _q(url: str) -> str:
    parts = urlsplit(url)
    assert parts.path == "/api/search"
    return parse_qs(parts.query)["q"][0]


def test_a_correction_used_is_in_the_json_with_the_link_to_its_search(client):
    notices = _notices(client, q="frivillihedspolitik", kommune="hoeje-taastrup")
    assert notices["correction"] == notices["searched"] == "frivillighedspolitikken"
    assert [s["text"] for s in notices["suggestions"]] == ["frivillighedspolitikken"]
    url = notices["suggestions"][0]["url"]
    assert _q(url) == "frivillighedspolitikken"
    assert parse_qs(urlsplit(url).query)["kommune"] == ["hoeje-taastrup"]  # filters kept


def test_a_suggestion_only_offered_and_a_relaxed_query_are_in_the_json(client):
    notices = _notices(client, q="frivillihedspolitik xylofonkvartet")
    assert notices["correction"] is None
    assert [s["text"] for s in notices["suggestions"]] == ["frivillighedspolitikken xylofonkvartet"]
    assert notices["relaxed_words"] == ["frivillighedspolitikken"]
    assert notices["searched"] == "frivillighedspolitikken"


def test_a_question_says_which_words_it_searched_and_which_it_left_out(client):
    notices = _notices(client, q="hvornår blev frivillighedspolitikken evalueret")
    assert notices["relaxed_words"] == ["frivillighedspolitikken", "evalueret"]
    assert notices["dropped_words"] == ["hvornår", "blev"]


def test_the_query_as_understood_is_in_the_json(client):
    notices = _notices(client, q="Hoeje-Taastrup")
    assert notices["understood"].startswith("Hoeje-Taastrup (også høje-taastrup")
    plain = _notices(client, q="budget")
    assert plain == {
        "understood": None,
        "searched": None,
        "correction": None,
        "suggestions": [],
        "relaxed_words": [],
        "dropped_words": [],
        "unknown_case": None,
        "case_text": None,
    }


def test_an_unknown_case_number_is_in_the_json_with_its_full_text_search(client):
    notices = _notices(client, q="99/123456")
    assert notices["unknown_case"] == "99/123456"
    assert notices["case_text"]["text"] == "123456"
    assert _q(notices["case_text"]["url"]) == "123456"


def test_openapi_and_the_api_page_describe_the_notices(client):
    document = client.get("/api/openapi.json").json()
    schemas = document["components"]["schemas"]
    assert schemas["SearchResponse"]["properties"]["notices"] == {
        "$ref": "#/components/schemas/SearchNotices"
    }
    answered = client.get("/api/search", {"q": "budget"}).json()["notices"]
    assert set(schemas["SearchNotices"]["properties"]) == set(answered)
    page = client.get("/api/").content.decode()
    assert "<code>notices</code>" in page and "Mente du" in page
