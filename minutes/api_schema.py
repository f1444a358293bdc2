"""The OpenAPI 3.1 description of the JSON and CSV endpoints, served at /api/openapi.json.

The search parameters are read from SearchForm and the CSV columns from minutes.exports, so the
description cannot drift from what the endpoints accept and return (tests/test_exports.py
checks the JSON fields against real answers).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from .exports import ITEM_COLUMNS, TRAIL_COLUMNS
from .forms import SearchForm
from .models import Decision

PARAMETER_HELP = {
    "q": 'Søgningen: ord, "fraser", OR, -ord, ord* eller et sagsnummer.',
    "kommune": "Kommunen, som slug (hoeje-taastrup) eller navn (Høje-Taastrup).",
    "udvalg": "Udvalget, som slug eller navn; uden kommune gælder det udvalget i alle kommuner.",
    "aar": "Mødeår.",
    "fra": "Mødedato fra og med (ÅÅÅÅ-MM-DD).",
    "til": "Mødedato til og med (ÅÅÅÅ-MM-DD).",
    "udfald": "Beslutningens udfald.",
    "lukket": "Kun åbne eller kun lukkede punkter.",
    "sortering": "Tom for relevans, ellers nyeste eller aeldste.",
}


def _schema_of(field: forms.Field) -> dict[str, Any]:
    if isinstance(field, forms.IntegerField):
        return {"type": "integer", "minimum": field.min_value, "maximum": field.max_value}
    if isinstance(field, forms.DateField):
        return {"type": "string", "format": "date"}
    if isinstance(field, forms.ChoiceField):
        return {"type": "string", "enum": [value for value, _label in field.choices]}
    return {"type": "string", "maxLength": field.max_length}


def search_parameters() -> list[dict[str, Any]]:
    parameters = [
        {
            "name": name,
            "in": "query",
            "required": name == "q",
            "description": PARAMETER_HELP[name],
            "schema": _schema_of(field),
        }
        for name, field in SearchForm.base_fields.items()
    ]
    parameters.append(
        {
            "name": "side",
            "in": "query",
            "required": False,
            "description": "Sidenummer (20 resultater pr. side).",
            "schema": {"type": "integer", "minimum": 1},
        }
    )
    return parameters


NULLABLE_STRING = {"type": ["string", "null"]}

DECISION = {
    "type": "object",
    "properties": {
        "body": {"type": "string", "description": "Det besluttende organ."},
        "date": {"type": ["string", "null"], "format": "date"},
        "outcome": {"type": "string", "enum": [v for v, _ in Decision.Outcome.choices]},
        "outcome_label": {"type": "string"},
        "text": {"type": "string"},
    },
    "required": ["body", "date", "outcome", "outcome_label", "text"],
}

ITEM = {
    "type": "object",
    "properties": {
        "municipality": {"type": "string"},
        "committee": {"type": "string"},
        "meeting_date": {"type": "string", "format": "date"},
        "meeting_kind": {"type": "string", "enum": ["Referat", "Dagsorden"]},
        "item_number": {"type": "integer"},
        "case_number": NULLABLE_STRING,
        "title": {"type": "string"},
        "recommendation": {"type": "string", "description": "Indstillingen."},
        "decision": {
            "oneOf": [{"$ref": "#/components/schemas/Decision"}, {"type": "null"}],
            "description": "Beslutningen på punktets eget møde, ellers den seneste gengivne.",
        },
        "closed": {"type": "boolean"},
        "url": {"type": "string", "format": "uri"},
    },
}

SEARCH_RESULT = {
    "type": "object",
    "properties": {
        "id": {"type": "integer"},
        "url": {"type": "string", "format": "uri"},
        "municipality": {"type": "string"},
        "committee": {"type": "string"},
        "meeting_date": {"type": "string", "format": "date"},
        "item_number": {"type": "integer"},
        "title": {"type": "string"},
        "case_number": NULLABLE_STRING,
        "closed": {"type": "boolean"},
        "snippet_section": {"type": "string"},
        "snippet_html": {"type": "string", "description": "Uddrag med <mark> om søgeordene."},
        "snippet": {"type": "string"},
        "recommendation": {"type": "string"},
        "decision": ITEM["properties"]["decision"],
    },
}

_LINKED_WORD = {
    "type": "object",
    "properties": {"text": {"type": "string"}, "url": {"type": "string", "format": "uri"}},
}
SEARCH_NOTICES = {
    "type": "object",
    "description": "Hvad søgningen gjorde ud over ordene, som de blev skrevet (det samme, som "
    "søgesiden siger over resultaterne). Et felt uden indhold er null eller en tom liste.",
    "properties": {
        "understood": {
            **NULLABLE_STRING,
            "description": "Søgningen, som den blev forstået: andre stavemåder (ae/oe/aa), ord "
            "der begynder med søgeordet, rettelser.",
        },
        "searched": {
            **NULLABLE_STRING,
            "description": "Søgningen, der blev kørt i stedet for q (en rettelse eller en "
            "lempet søgning med OR), når q alene intet fandt.",
        },
        "correction": {
            **NULLABLE_STRING,
            "description": "Rettelsen, der blev brugt ('Viser resultater for …').",
        },
        "suggestions": {
            "type": "array",
            "items": _LINKED_WORD,
            "description": "Forslag ('Mente du …?') med adressen på den samme søgning i JSON.",
        },
        "relaxed_words": {
            "type": "array",
            "items": {"type": "string"},
            "description": "Ordene i en lempet søgning: punkter med mindst ét af dem.",
        },
        "dropped_words": {
            "type": "array",
            "items": {"type": "string"},
            "description": "Ord, den lempede søgning udelod (ukendte eller i de fleste punkter).",
        },
        "unknown_case": {
            **NULLABLE_STRING,
            "description": "Et sagsnummer, arkivet ikke har.",
        },
        "case_text": {
            "oneOf": [_LINKED_WORD, {"type": "null"}],
            "description": "Søgningen efter det ukendte sagsnummers cifre i al tekst.",
        },
    },
}

SEARCH_RESPONSE = {
    "type": "object",
    "properties": {
        "query": {"type": "string"},
        "sort": {"type": "string", "enum": ["relevance", "newest", "oldest"]},
        "total": {"type": "integer"},
        "total_is_estimate": {"type": "boolean"},
        "explanation": NULLABLE_STRING,
        "cases": {"type": "array", "items": {"type": "object"}},
        "redirect": {"type": ["string", "null"], "format": "uri"},
        "notices": {"$ref": "#/components/schemas/SearchNotices"},
        "page": {"type": "integer"},
        "pages": {"type": "integer"},
        "results": {"type": "array", "items": {"$ref": "#/components/schemas/SearchResult"}},
        "facets": {"type": "object"},
    },
}

TRAIL_STEP = {
    "type": "object",
    "properties": {
        "municipality": {"type": "string"},
        "case_number": {"type": "string"},
        "decision": {"$ref": "#/components/schemas/Decision"},
        "recommendation": {"type": "string"},
        "committee": {"type": "string", "description": "Udvalget, hvis referat gengiver den."},
        "meeting_date": {"type": "string", "format": "date"},
        "item_number": {"type": "integer"},
        "title": {"type": "string"},
        "url": {"type": "string", "format": "uri"},
    },
}

CASE_TRAIL = {
    "type": "object",
    "properties": {
        "municipality": {"type": "string"},
        "case_number": {"type": "string"},
        "title": {"type": "string"},
        "url": {"type": "string", "format": "uri"},
        "decisions": {"type": "array", "items": {"$ref": "#/components/schemas/TrailStep"}},
        "items": {"type": "array", "items": {"$ref": "#/components/schemas/Item"}},
    },
}

COMMITTEE_ITEMS = {
    "type": "object",
    "properties": {
        "municipality": {"type": "string"},
        "committee": {"type": "string"},
        "url": {"type": "string", "format": "uri"},
        "items": {"type": "array", "items": {"$ref": "#/components/schemas/Item"}},
    },
}

ERROR = {
    "type": "object",
    "properties": {"error": {"type": "string"}, "fields": {"type": "object"}},
}


def _json(schema: str, description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}},
    }


def _csv(columns: list[tuple[str, str]], description: str) -> dict[str, Any]:
    return {
        "description": f"{description} Kolonner: {', '.join(t for _k, t in columns)}.",
        "content": {"text/csv": {"schema": {"type": "string"}}},
    }


def _path_parameter(name: str, description: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": "path",
        "required": True,
        "description": description,
        "schema": {"type": "string"},
    }


KOMMUNE = _path_parameter("kommune", "Kommunens slug, fx hoeje-taastrup.")
SAG = _path_parameter("sagsnummer", "Sagsnummeret med - for /, fx 17-10000.")
UDVALG = _path_parameter("udvalg", "Udvalgets slug, fx socialudvalget.")
NOT_FOUND = {"404": {"description": "Findes ikke."}}
INVALID = {
    "400": _json("Error", "En parameter er ugyldig; fields forklarer hver."),
    "503": {"description": "Søgningen tog for lang tid."},
}


def openapi() -> dict[str, Any]:
    search = search_parameters()
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Referatarkivet",
            "version": "1",
            "description": "Danske kommuners referater: søgning, beslutningsforløb og udvalgenes "
            "dagsordenspunkter som JSON og CSV (UTF-8 med BOM, semikolon).",
        },
        "paths": {
            "/api/search": {
                "get": {
                    "summary": "Søg i referaterne",
                    "parameters": search,
                    "responses": {"200": _json("SearchResponse", "Resultaterne."), **INVALID},
                }
            },
            "/api/suggest": {
                "get": {
                    "summary": "Forslag, mens man skriver",
                    "description": "Søgningen med det sidste ord fuldført af ord fra "
                    "punkternes titler (højst 8, korteste først). Et sidste ord på under tre "
                    "bogstaver eller en søgning over 300 tegn giver ingen forslag.",
                    "parameters": [
                        {
                            "name": "q",
                            "in": "query",
                            "required": False,
                            "description": "Det, der er skrevet indtil nu.",
                            "schema": {"type": "string"},
                        }
                    ],
                    "responses": {
                        "200": {
                            "description": "Forslagene.",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "properties": {
                                            "query": {"type": "string"},
                                            "suggestions": {
                                                "type": "array",
                                                "items": {"type": "string"},
                                            },
                                        },
                                    }
                                }
                            },
                        }
                    },
                }
            },
            "/api/search.csv": {
                "get": {
                    "summary": "De første 1.000 resultater som CSV",
                    "parameters": search,
                    "responses": {
                        "200": _csv(
                            [*ITEM_COLUMNS, ("", "Træf i afsnit"), ("", "Uddrag")],
                            "Ét punkt pr. række.",
                        ),
                        "400": {"description": "En parameter er ugyldig."},
                        "503": INVALID["503"],
                    },
                }
            },
            "/{kommune}/sager/{sagsnummer}/beslutninger.json": {
                "get": {
                    "summary": "En sags beslutningsforløb",
                    "parameters": [KOMMUNE, SAG],
                    "responses": {"200": _json("CaseTrail", "Forløbet."), **NOT_FOUND},
                }
            },
            "/{kommune}/sager/{sagsnummer}/beslutninger.csv": {
                "get": {
                    "summary": "En sags beslutningsforløb som CSV",
                    "parameters": [KOMMUNE, SAG],
                    "responses": {
                        "200": _csv(TRAIL_COLUMNS, "Én beslutning pr. række."),
                        **NOT_FOUND,
                    },
                }
            },
            "/{kommune}/{udvalg}/punkter.json": {
                "get": {
                    "summary": "Et udvalgs dagsordenspunkter",
                    "parameters": [KOMMUNE, UDVALG],
                    "responses": {"200": _json("CommitteeItems", "Punkterne."), **NOT_FOUND},
                }
            },
            "/{kommune}/{udvalg}/punkter.csv": {
                "get": {
                    "summary": "Et udvalgs dagsordenspunkter som CSV",
                    "parameters": [KOMMUNE, UDVALG],
                    "responses": {"200": _csv(ITEM_COLUMNS, "Ét punkt pr. række."), **NOT_FOUND},
                }
            },
        },
        "components": {
            "schemas": {
                "Decision": DECISION,
                "Item": ITEM,
                "SearchResult": SEARCH_RESULT,
                "SearchResponse": SEARCH_RESPONSE,
                "SearchNotices": SEARCH_NOTICES,
                "TrailStep": TRAIL_STEP,
                "CaseTrail": CASE_TRAIL,
                "CommitteeItems": COMMITTEE_ITEMS,
                "Error": ERROR,
            }
        },
    }


@require_GET
def openapi_json(request: HttpRequest) -> JsonResponse:
    return JsonResponse(openapi(), json_dumps_params={"ensure_ascii": False, "indent": 1})
