"""The walking skeleton's promises on the seed data (issue 2)."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from minutes.models import (
    AgendaItem,
    Attendance,
    Case,
    Committee,
    Decision,
    Document,
    Meeting,
    Municipality,
    Section,
    SourceFile,
)
from minutes.search import run_search
from minutes.selectors import decision_trail
from minutes.services.ingestion import IngestError, ingest_file

from .conftest import FIXTURES, seed_path

pytestmark = pytest.mark.django_db


def counts() -> dict[str, int]:
    models = [
        Municipality,
        Committee,
        Meeting,
        AgendaItem,
        Section,
        Decision,
        Attendance,
        Case,
        Document,
        SourceFile,
    ]
    return {m.__name__: m.objects.count() for m in models}


def test_seed_data_holds_two_municipalities_four_meetings_and_the_budget_document():
    with_content = Municipality.objects.filter(committees__meetings__isnull=False).distinct()
    assert sorted(with_content.values_list("name", flat=True)) == [
        "Høje-Taastrup Kommune",
        "Lyngby-Taarbæk Kommune",
    ]
    assert sorted(Meeting.objects.values_list("committee__name", "date")) == [
        ("Arbejdsmarkedsudvalget", date(2020, 4, 1)),
        ("Arbejdsmarkedsudvalget", date(2021, 6, 2)),
        ("Forebyggelses- og Socialudvalget", date(2024, 10, 31)),
        ("Socialudvalget", date(2020, 2, 5)),
    ]
    document = Document.objects.get()
    assert document.title == "Budgetbemærkninger - Socialudvalget 2022-2025"
    assert document.municipality.name == "Høje-Taastrup Kommune"
    assert document.sections.filter(text__contains="Boligstøtte\t47,8").exists()


def test_frivillighedspolitikken_finds_item_3_of_arbejdsmarkedsudvalget_2_june_2021_first():
    first = AgendaItem.objects.search("frivillighedspolitikken").with_context().first()
    assert (first.meeting.committee.name, first.meeting.date, first.number) == (
        "Arbejdsmarkedsudvalget",
        date(2021, 6, 2),
        3,
    )


def test_botilbud_finds_items_in_both_municipalities():
    found = AgendaItem.objects.search("botilbud")
    assert set(found.values_list("meeting__committee__municipality__name", flat=True)) == {
        "Høje-Taastrup Kommune",
        "Lyngby-Taarbæk Kommune",
    }


def test_case_17_10000_trail_spans_2020_and_five_committees_in_2021():
    case = Case.objects.get(municipality__name="Høje-Taastrup Kommune", normalised="17/10000")
    trail = [(step.decision.body, step.decision.date) for step in decision_trail(case)]
    assert trail == [
        ("Arbejdsmarkedsudvalget", date(2020, 4, 1)),
        # Same-day decisions keep the order the minutes print them in.
        ("Institutions- og Skoleudvalget", date(2021, 6, 1)),
        ("Fritids- og Kulturudvalget", date(2021, 6, 1)),
        ("Arbejdsmarkedsudvalget", date(2021, 6, 2)),
        ("Ældre- og Sundhedsudvalget", date(2021, 6, 2)),
        ("Socialudvalget", date(2021, 6, 2)),
    ]
    assert case.items.count() == 2


def test_ingesting_the_fixtures_again_changes_no_count():
    before = counts()
    call_command("ingest", str(FIXTURES / "seeds"), "--no-progress")
    assert counts() == before


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "Filen er tom"),
        (b"   \n\n  ", "Filen er tom"),
        (bytes(range(256)) * 4, "binær"),
    ],
)
def test_empty_and_binary_files_are_refused_and_change_nothing(data, message):
    before = counts()
    with pytest.raises(IngestError) as error:
        ingest_file(data=data, file_name="upload.txt", municipality="Høje-Taastrup Kommune")
    assert message in error.value.reason
    assert error.value.file_name == "upload.txt"
    assert counts() == before


def test_ingest_command_reports_a_bad_file_by_name_and_exits_non_zero(tmp_path, capsys):
    bad = tmp_path / "tom.txt"
    bad.write_bytes(b"")
    before = counts()
    with pytest.raises(CommandError):
        call_command("ingest", str(bad), "--municipality", "Høje-Taastrup Kommune")
    assert f"{bad}: Filen er tom" in capsys.readouterr().out
    assert counts() == before


def test_unknown_municipality_is_refused_with_the_nearest_name():
    with pytest.raises(IngestError) as error:
        ingest_file(
            data=seed_path("000").read_bytes() + b"\n",
            file_name="x.txt",
            municipality="Høje Tastrup Kommune",
        )
    assert "mente du 'Høje-Taastrup Kommune'" in error.value.reason


def test_search_results_escape_html_in_the_source_text():
    item = AgendaItem.objects.get(meeting__date=date(2021, 6, 2), number=3)
    # Snippets come from the section that matched best: make it one full of markup.
    item.sections.filter(heading="Sagsfremstilling").update(
        text="Tom & Jerry <script>alert(1)</script> <b>frivillighedspolitikken</b> "
        "frivillighedspolitikken frivillighedspolitikken"
    )
    results = run_search({"q": "frivillighedspolitikken"})
    page = list(results.items[:5])
    results.attach_snippets(page)
    snippet = next(r.snippet for r in page if r.pk == item.pk)
    # Only our own <mark> tags are markup; everything from the source is escaped text.
    assert set(re.findall(r"<[^>]*>", snippet)) == {"<mark>", "</mark>"}
    assert "Tom &amp; Jerry" in snippet
    assert "<mark>frivillighedspolitikken</mark>" in snippet
