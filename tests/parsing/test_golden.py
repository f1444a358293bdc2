"""Golden JSON: the exact parse of every seed and of the real eDoc PDF.

The golden files in fixtures/golden/ were checked by hand against the source documents (every
item, case number, decision with body, date and outcome, attachment and attendance entry); they
are the specification. After an intended parser change, regenerate them with
`UPDATE_GOLDEN=1 pytest tests/parsing/test_golden.py` and review the diff line by line.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from minutes.parsing import parse

from .conftest import FIXTURES, GOLDEN

MANIFEST = json.loads((FIXTURES / "manifest.json").read_text("utf-8"))["files"]
SOURCES = sorted(MANIFEST)


def golden_path(relative: str) -> Path:
    return GOLDEN / (Path(relative).name.rsplit(".", 1)[0] + ".json")


@pytest.mark.parametrize("relative", SOURCES)
def test_parse_matches_golden_json(relative: str):
    source = FIXTURES / relative
    doc = parse(source.read_bytes(), filename=source.name, municipality=MANIFEST[relative])
    actual = doc.to_json()
    path = golden_path(relative)
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(actual, ensure_ascii=False, indent=2) + "\n", "utf-8")
    expected = json.loads(path.read_text("utf-8"))
    assert actual == expected


def test_every_source_has_a_golden_file():
    assert sorted(p.name for p in GOLDEN.glob("*.json")) == sorted(
        golden_path(relative).name for relative in SOURCES
    )


def test_golden_pdf_says_what_the_ballerup_minutes_say():
    """The hand-checked essentials of the PDF, readable without opening the golden file."""
    data = json.loads(
        golden_path("formats/ballerup_sundheds-og-forebyggelsesudvalget_2012-12-04.pdf").read_text(
            "utf-8"
        )
    )
    assert (data["kind"], data["committee"], data["date"], data["start_time"]) == (
        "minutes",
        "Sundheds- og Forebyggelsesudvalget",
        "2012-12-04",
        "13:00",
    )
    assert data["location"] == "Mødecenter C, Lokale 32 på Ballerup Rådhus"
    assert [(a["name"], a["party"], a["status"]) for a in data["attendance"]] == [
        ("Lolan Ottesen", "A", "present"),
        ("Grethe Larsen", "A", "present"),
        ("Birte Kramhøft", "F", "present"),
        ("Doris Børger", "A", "present"),
        ("Karl Vilhelm Nielsen", "V", "present"),
        ("Maria Lundahl Assov", "A", "present"),
        ("Per Mortensen", "A", "present"),
        ("Mie Helene Andresen", None, "present"),
    ]
    assert data["attendance"][-1]["note"] == "Sekretær"
    items = data["items"]
    assert [(i["number"], i["case_number"]) for i in items] == [
        (1, "2011-29298"),
        (2, "2012-28504"),
        (3, "2012-31114"),
        (4, "2012-31673"),
        (5, "2011-29939"),
        (6, "2012-21786"),
        (7, "2012-28505"),
        (8, "2010-3082"),
    ]
    outcomes = [
        (d["body"], d["date"], d["outcome"], d["this_meeting"])
        for i in items
        for d in i["decisions"]
    ]
    body = "Sundheds- og Forebyggelsesudvalget"
    assert outcomes == [
        (body, "2012-12-04", outcome, True)
        for outcome in (
            "noted",
            "approved",
            "recommended",
            "approved",
            "approved",
            "approved",
            "approved",
            "noted",
        )
    ]
    assert (
        items[0]["attachments"][0]
        == "2012-208960 - Hvordan udvikler vi det nære sundhedsvæsen sammen?"
    )
    assert items[7]["attachments"] == []  # "Bilag: Ingen"
    all_text = json.dumps(items, ensure_ascii=False)
    for noise in ("Åbent referat", "Side 3", "Dato: 04.12.2012", "Dok.nr", "INDHOLDSFORTEGNELSE"):
        assert noise not in all_text
