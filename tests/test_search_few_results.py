"""'Mente du …?' also when a query finds a few items and the archive clearly knows a spelling
almost the same better (issue 13): offered, never used instead of what was typed."""

from __future__ import annotations

import pytest

from minutes.search import run_search
from tests.conftest import seed_path

pytestmark = pytest.mark.django_db


def _seed_000_on(day: str, *, typo: bool = False) -> bytes:
    """Seed 000 as a meeting on another day, its word 'frivillighedspolitik' misspelt or not."""
    text = seed_path("000").read_text("utf-8").replace("02-06-2021", day)
    text = text.replace("02. juni 2021", day)
    if typo:
        text = text.replace("frivillighedspolitik", "frivilighedspolitik")
    return text.encode("utf-8")


def test_a_few_results_offer_a_clearly_better_known_spelling(client):
    from minutes.services.ingestion import ingest_file

    # The misspelling in one meeting, the right spelling in five more (and the seed).
    days = ["02-06-2031", "03-06-2031", "04-06-2031", "05-06-2031", "06-06-2031", "07-06-2031"]
    for n, day in enumerate(days):
        data = _seed_000_on(day, typo=n == 0)
        ingest_file(data=data, file_name=f"{day}.txt", municipality="Høje-Taastrup")
    found = run_search({"q": "frivilighedspolitikken"})
    assert 0 < found.count <= 3
    assert found.suggestions == ["frivillighedspolitikken"]
    assert found.correction == "" and found.searched == ""  # offered, not used
    page = client.get("/soeg/", {"q": "frivilighedspolitikken"}).content.decode()
    assert "Mente du <a href=" in page and "<em>frivillighedspolitikken</em>" in page
    # The right spelling finds many items and is offered nothing.
    assert run_search({"q": "frivillighedspolitikken"}).suggestions == []


def test_a_rare_word_with_no_better_known_neighbour_gets_no_suggestion():
    # In the seeds' one item on it; no archive word spelt almost the same is more common.
    found = run_search({"q": "frivillighedspolitikken"})
    assert 0 < found.count <= 3
    assert found.suggestions == []
