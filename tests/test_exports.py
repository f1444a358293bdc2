"""Exports: search, a case's decision trail and a committee's items as CSV that Danish Excel
opens (UTF-8 with BOM, semicolons) and as JSON; the /api/ page that documents them."""

from __future__ import annotations

import csv
import io
import json

import pytest

from minutes.forms import SearchForm
from minutes.models import AgendaItem, Decision
from minutes.selectors import decision_trail, get_case

pytestmark = pytest.mark.django_db

CASE = "/hoeje-taastrup/sager/17-10000/"


def _csv(response) -> list[dict[str, str]]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    body = response.getvalue()  # a download streamed or not
    assert body.startswith("\ufeff".encode()), "Excel needs the BOM to read UTF-8"
    text = body.decode("utf-8-sig")
    # Semicolons: Danish Excel splits on them (a comma is the decimal sign there).
    assert text.splitlines()[0].count(";") >= 10 and "," not in text.splitlines()[0]
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


def test_search_csv_has_the_indstilling_and_the_decision_of_each_result(client):
    rows = _csv(client.get("/api/search.csv", {"q": "frivillighedspolitikken"}))
    assert len(rows) == 1
    row = rows[0]
    assert {k: row[k] for k in list(row)[:6]} == {
        "Kommune": "Høje-Taastrup Kommune",
        "Udvalg": "Arbejdsmarkedsudvalget",
        "Mødedato": "2021-06-02",
        "Punkt": "3",
        "Sagsnummer": "21/8910",
        "Titel": "Evaluering af frivillighedspolitikken",
    }
    assert row["Indstilling"].startswith("At Arbejdsmarkedsudvalget tager evalueringen")
    assert row["Besluttet af"] == "Arbejdsmarkedsudvalget"
    assert row["Beslutningsdato"] == "2021-06-02"
    assert row["Udfald"] == "Taget til efterretning"
    assert row["Beslutning"] == "Taget til efterretning."
    assert row["Lukket punkt"] == "nej"
    assert row["URL"] == (
        "http://testserver/hoeje-taastrup/arbejdsmarkedsudvalget/2021-06-02/"
        "?fremhaev=frivillighedspolitikken#punkt-3"
    )


def test_a_case_number_alone_exports_the_cases_items(client):
    rows = _csv(client.get("/api/search.csv", {"q": "17/10000"}))
    assert [(r["Mødedato"], r["Punkt"], r["Sagsnummer"]) for r in rows] == [
        ("2020-04-01", "3", "17/10000"),
        ("2021-06-02", "5", "17/10000"),
    ]
    # Each with the decision of its own meeting.
    assert [(r["Besluttet af"], r["Udfald"]) for r in rows] == [
        ("Arbejdsmarkedsudvalget", "Godkendt"),
        ("Arbejdsmarkedsudvalget", "Anbefalet"),
    ]


def test_case_trail_csv_has_one_row_per_decision_as_the_case_page_shows_them(client):
    rows = _csv(client.get(CASE + "beslutninger.csv"))
    trail = decision_trail(get_case("hoeje-taastrup", "17-10000"))
    assert [
        (r["Beslutningsdato"], r["Besluttet af"], r["Udfald"], r["Beslutning"]) for r in rows
    ] == [
        (
            s.decision.date.isoformat(),
            s.decision.body,
            s.decision.get_outcome_display(),
            s.decision.text,
        )
        for s in trail
    ]
    assert [r["Besluttet af"] for r in rows] == [
        "Arbejdsmarkedsudvalget",
        "Institutions- og Skoleudvalget",
        "Fritids- og Kulturudvalget",
        "Arbejdsmarkedsudvalget",
        "Ældre- og Sundhedsudvalget",
        "Socialudvalget",
    ]
    assert rows[0]["URL"] == (
        "http://testserver/hoeje-taastrup/arbejdsmarkedsudvalget/2020-04-01/#punkt-3-beslutning-1"
    )
    assert all(r["Sagsnummer"] == "17/10000" for r in rows)


def test_case_trail_json_holds_the_decisions_and_the_items(client):
    response = client.get(CASE + "beslutninger.json")
    assert response.status_code == 200
    data = json.loads(response.content)
    assert data["case_number"] == "17/10000"
    assert data["url"] == "http://testserver" + CASE
    assert len(data["decisions"]) == 6
    assert data["decisions"][-1]["decision"] == {
        "body": "Socialudvalget",
        "date": "2021-06-02",
        "outcome": "recommended",
        "outcome_label": "Anbefalet",
        "text": "Anbefales.",
    }
    assert [i["meeting_date"] for i in data["items"]] == ["2020-04-01", "2021-06-02"]


def test_case_exports_follow_the_case_page_address(client):
    assert client.get("/hoeje-taastrup/sager/99-1/beslutninger.csv").status_code == 404
    assert client.get("/lyngby-taarbaek/sager/17-10000/beslutninger.json").status_code == 404


def test_committee_items_csv_and_json(client):
    base = "/hoeje-taastrup/arbejdsmarkedsudvalget/"
    rows = _csv(client.get(base + "punkter.csv"))
    items = AgendaItem.objects.filter(meeting__committee__slug="arbejdsmarkedsudvalget")
    assert len(rows) == items.count()
    assert [r["Mødedato"] for r in rows] == sorted(r["Mødedato"] for r in rows)
    assert {r["Udvalg"] for r in rows} == {"Arbejdsmarkedsudvalget"}
    frivillig = next(r for r in rows if r["Titel"] == "Evaluering af frivillighedspolitikken")
    assert (frivillig["Udfald"], frivillig["Beslutning"]) == (
        "Taget til efterretning",
        "Taget til efterretning.",
    )
    data = json.loads(client.get(base + "punkter.json").getvalue())
    assert len(data["items"]) == len(rows)
    assert data["committee"] == "Arbejdsmarkedsudvalget"
    assert client.get("/hoeje-taastrup/findes-ikke/punkter.csv").status_code == 404


def test_export_cells_that_look_like_formulas_are_neutralised(client):
    item = AgendaItem.objects.get(
        meeting__date="2021-06-02", meeting__committee__slug="arbejdsmarkedsudvalget", number=3
    )
    Decision.objects.filter(item=item).update(text='=HYPERLINK("http://x.invalid")')
    for response in (
        client.get("/api/search.csv", {"q": "frivillighedspolitikken"}),
        client.get("/hoeje-taastrup/arbejdsmarkedsudvalget/punkter.csv"),
    ):
        texts = [r["Beslutning"] for r in _csv(response)]
        assert '\'=HYPERLINK("http://x.invalid")' in texts
        assert not any(t.startswith("=") for t in texts)


def test_search_json_has_the_decision_of_each_result(client):
    data = client.get("/api/search", {"q": "frivillighedspolitikken"}).json()
    [result] = data["results"]
    assert result["decision"]["body"] == "Arbejdsmarkedsudvalget"
    assert result["decision"]["outcome"] == "noted"
    assert result["recommendation"].startswith("At Arbejdsmarkedsudvalget")


def test_the_api_page_documents_the_endpoints(client):
    response = client.get("/api/")
    assert response.status_code == 200
    html = response.content.decode()
    for endpoint in (
        "/api/search?q=",
        "/api/search.csv?q=",
        "/beslutninger.csv",
        "/beslutninger.json",
        "/punkter.csv",
        "/punkter.json",
    ):
        assert endpoint in html, endpoint
    assert "<code>approved</code> (godkendt)" in html


def test_case_and_committee_pages_link_their_exports(client):
    html = client.get(CASE).content.decode()
    assert 'href="/hoeje-taastrup/sager/17-10000/beslutninger.csv"' in html
    html = client.get("/hoeje-taastrup/arbejdsmarkedsudvalget/").content.decode()
    assert 'href="/hoeje-taastrup/arbejdsmarkedsudvalget/punkter.csv"' in html


# --- The OpenAPI description ------------------------------------------------------------------

EXAMPLE_PATH_VALUES = {
    "kommune": "hoeje-taastrup",
    "sagsnummer": "17-10000",
    "udvalg": "arbejdsmarkedsudvalget",
}


def _resolve(schema: dict, document: dict) -> dict:
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[1]
        return document["components"]["schemas"][name]
    return schema


def test_openapi_describes_every_endpoint_as_it_answers(client):
    document = client.get("/api/openapi.json").json()
    assert document["openapi"] == "3.1.0"
    search_parameters = [p["name"] for p in document["paths"]["/api/search"]["get"]["parameters"]]
    # Every parameter the form takes is described, and nothing else.
    assert search_parameters == [*SearchForm.base_fields, "side"]
    schemas = document["components"]["schemas"]
    for path, methods in document["paths"].items():
        url = path
        for name, value in EXAMPLE_PATH_VALUES.items():
            url = url.replace("{" + name + "}", value)
        response = client.get(url, {"q": "botilbud"} if path.startswith("/api/") else {})
        assert response.status_code == 200, url
        described = methods["get"]["responses"]["200"]["content"]
        if "text/csv" in described:
            assert response["Content-Type"].startswith("text/csv")
            header = response.getvalue().decode("utf-8-sig").splitlines()[0].split(";")
            assert ", ".join(header) in methods["get"]["responses"]["200"]["description"]
            continue
        schema = _resolve(described["application/json"]["schema"], document)
        data = json.loads(response.getvalue())
        assert set(data) == set(schema["properties"]), url
        for key, value in data.items():
            inner = schema["properties"][key]
            if inner.get("type") == "array" and value and "$ref" in inner.get("items", {}):
                item_schema = _resolve(inner["items"], document)
                assert set(value[0]) == set(item_schema["properties"]), (url, key)
                decision = value[0].get("decision")
                if decision:
                    assert set(decision) == set(schemas["Decision"]["properties"])


def test_the_api_page_links_the_openapi_description(client):
    assert 'href="/api/openapi.json"' in client.get("/api/").content.decode()
