"""Meetings assembled from item pages (Københavns Kommune, eDoc Publishing): each page adds or
replaces its own item; the meeting's other items stay; the same page twice changes nothing."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from minutes.models import Meeting, SourceVersion
from minutes.services.ingestion import ingest_file
from minutes.services.rebuild import rebuild_from_source

from .parsing.test_html_readers import KK_ITEM_PAGE
from .test_upload import text_of

pytestmark = pytest.mark.django_db

URL = "/koebenhavns/oekonomiudvalget/2024-03-12/"
ITEM_5 = KK_ITEM_PAGE.encode()
ITEM_3 = (
    KK_ITEM_PAGE.replace(
        "5.</span> Udbud af rengøring på kommunens administrationsbygninger",
        "3.</span> Salg af Kødbyens gamle lagerhal",
    )
    .replace(">5. Udbud af rengøring", ">3. Salg af Kødbyens gamle lagerhal")
    .replace("2024-0123456", "2024-0099887")
    .replace("Indstillingen blev godkendt uden afstemning.", "Sagen blev udsat.")
    .encode()
)


def ingest(data: bytes, name: str):
    return ingest_file(data=data, file_name=name, municipality="Københavns Kommune")


def items_of(meeting: Meeting) -> list[tuple[int, str, str]]:
    return [
        (item.number, item.title, item.decisions.get().text)
        for item in meeting.items.order_by("position")
    ]


def test_pages_of_one_meeting_add_up_in_number_order(client):
    first = ingest(ITEM_5, "punkt-5.html")
    assert first.status == "created"
    second = ingest(ITEM_3, "punkt-3.html")
    assert (second.status, second.meeting.pk) == ("updated", first.meeting.pk)
    assert items_of(second.meeting) == [
        (3, "Salg af Kødbyens gamle lagerhal", "Sagen blev udsat."),
        (
            5,
            "Udbud af rengøring på kommunens administrationsbygninger",
            "Indstillingen blev godkendt uden afstemning.",
        ),
    ]
    item = second.meeting.items.get(number=3)
    assert item.source.file_name == "punkt-3.html"
    assert item.source.reader == "item-page-html"

    page = text_of(client.get(URL))
    assert "Salg af Kødbyens gamle lagerhal" in page
    assert "Udbud af rengøring på kommunens administrationsbygninger" in page


def test_the_same_page_again_changes_nothing():
    ingest(ITEM_5, "punkt-5.html")
    ingest(ITEM_3, "punkt-3.html")
    again = ingest(ITEM_5, "punkt-5-igen.html")
    assert again.status == "unchanged"
    assert Meeting.objects.get(committee__name="Økonomiudvalget").items.count() == 2


def test_a_changed_page_is_a_new_version_of_its_item_only():
    ingest(ITEM_5, "punkt-5.html")
    meeting = ingest(ITEM_3, "punkt-3.html").meeting
    item_3 = meeting.items.get(number=3)
    changed = ITEM_5.replace(
        b"Indstillingen blev godkendt uden afstemning.",
        b"Indstillingen blev godkendt med 6 stemmer mod 3.",
    )
    result = ingest(changed, "punkt-5-rettet.html")
    assert result.status == "updated"
    assert items_of(result.meeting)[1][2] == "Indstillingen blev godkendt med 6 stemmer mod 3."
    # The other item is the same row, untouched; every page is a version of the meeting.
    assert result.meeting.items.get(number=3).pk == item_3.pk
    assert SourceVersion.objects.filter(meeting=result.meeting).count() == 3
    assert result.meeting.items.count() == 2
    # A rebuild of every stored page keeps the newest version of each item.
    call_command("reparse", "--all", "--no-progress", stdout=StringIO())
    assert items_of(result.meeting)[1][2] == "Indstillingen blev godkendt med 6 stemmer mod 3."


def test_a_rebuild_rewrites_an_item_page_in_place():
    ingest(ITEM_5, "punkt-5.html")
    second = ingest(ITEM_3, "punkt-3.html")
    source = second.meeting.items.get(number=3).source
    result, changed = rebuild_from_source(source=source)
    assert (result.status, changed) == ("unchanged", False)
    out = StringIO()
    call_command("reparse", "--all", "--no-progress", stdout=out)
    assert "Intet er ændret." in out.getvalue()
    assert [n for n, _, _ in items_of(second.meeting)] == [3, 5]
