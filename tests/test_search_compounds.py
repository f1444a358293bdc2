"""Compound words by their last part ("plan" finds "lokalplan"), the word list they are split
with, and the word families of strong verbs (udsætte/udsat) — issue 13."""

from __future__ import annotations

import gzip
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from minutes.compounds import WORDS_FILE, compound_parts, known_words, last_part
from minutes.models import AgendaItem
from minutes.search import run_search
from minutes.search_query import vowel_family_forms

pytestmark = pytest.mark.django_db


# --- Splitting ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "part"),
    [
        ("lokalplan", "plan"),
        ("lokalplanen", "planen"),  # an inflected last part, stemmed to 'plan' by PostgreSQL
        ("rygestop", "stop"),  # linking -e-
        ("husholdningsaffald", "affald"),  # linking -s-, the longest known last part
        ("sagsfremstilling", "fremstilling"),
        ("beskæftigelsesindsatsen", "indsatsen"),
        # No compounds: a particle before a word, a derivation, a short word inflected, a name.
        ("forslag", ""),
        ("udvalget", ""),
        ("mulighed", ""),
        ("fællesskab", ""),
        ("godkendelse", ""),
        ("parkering", ""),
        ("fristen", ""),
        ("borgere", ""),
        ("plan", ""),
        ("lokalplan2", ""),
    ],
)
def test_a_compound_splits_before_its_last_part(word, part):
    assert last_part(word) == part


def test_the_parts_of_a_text_come_once_each_sorted():
    texts = ["Lokalplan for boligområde", "Lokalplanen og kommuneplan, lokalplan igen"]
    assert compound_parts(texts) == ["område", "plan", "planen"]


def test_the_word_list_ships_with_the_project_and_knows_both_kinds_of_part():
    heads, firsts = known_words()
    assert WORDS_FILE.exists() and len(heads) > 50_000 and len(firsts) > 30_000
    assert {"plan", "affald", "stop"} <= heads
    assert {"husholdnings", "lokal", "ryg"} <= firsts


def test_the_word_list_command_regenerates_the_list_from_a_dictionary_and_the_archive(tmp_path):
    # A hunspell dictionary with Stavekontrolden's flags: 39 last part, 29 first part with -s-,
    # 31 without a linking letter.
    dic = tmp_path / "da_DK.dic"
    dic.write_text("3\naffald/45,10,39,29\nlokal/10,31\nstop/10,47,39,31\n", "utf-8")
    output = tmp_path / "words.txt.gz"
    call_command("compound_words", dic=dic, output=output, stdout=StringIO())
    lines = gzip.decompress(output.read_bytes()).decode().splitlines()
    assert {"h affald", "h stop", "f affalds", "f lokal", "f stop"} <= set(lines)
    # The archive's own title words that the dictionary lacks (in two items or more).
    assert "h dagsorden" in lines and "f dagsorden" in lines
    assert lines == sorted(lines)
    first = output.read_bytes()
    call_command("compound_words", dic=dic, output=output, stdout=StringIO())
    assert output.read_bytes() == first  # the same input, the same bytes


# --- Search ------------------------------------------------------------------------------------

PLAN_WORD = re.compile(r"\bplan(?:en|er|erne|ens|ernes)?\b", re.IGNORECASE)


def _text(item: AgendaItem) -> str:
    """The item's own text, without the parts ingestion appended (those of title, Indstilling,
    decisions, Resume and Sagsfremstilling: services.contents.search_text)."""
    parts = " ".join(compound_parts([item.title, item.text_b, item.text_c]))
    return " ".join([item.text_a, item.text_b, item.text_c, item.text_d.removesuffix(parts)])


def test_ingestion_appends_the_last_parts_at_the_lowest_weight(development_documents):
    item = AgendaItem.objects.filter(title__icontains="lokalplan").first()
    assert item is not None
    assert "plan" in item.text_d.split("\n\n")[-1].split()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ts_filter(vector, '{d}') @@ to_tsquery('simple', 'plan'), "
            "ts_filter(vector, '{a}') @@ to_tsquery('simple', 'plan') "
            "FROM minutes_itemsearch WHERE item_id = %s",
            [item.pk],
        )
        assert cursor.fetchone() == (True, False)


def test_a_last_part_finds_the_compounds_below_the_items_with_the_word_of_its_own(
    development_documents,
):
    items = list(run_search({"q": "plan"}).items)
    own_title = [bool(PLAN_WORD.search(i.title)) for i in items]
    only_part = [not PLAN_WORD.search(_text(i)) for i in items]
    assert any(own_title)
    # Items that have "plan" only inside compounds (lokalplan, handleplan) are found …
    assert any(only_part)
    # … and every item with "plan" in its title as a word of its own ranks above them.
    assert max(n for n, own in enumerate(own_title) if own) < min(
        n for n, part in enumerate(only_part) if part
    )
    # Other last parts: items with only compounds of the word ("krisecenter", "jordfond").
    for query in ("center", "behandling", "område", "fond", "tilskud"):
        word = re.compile(rf"\b{query}", re.IGNORECASE)
        found = list(run_search({"q": query}).items)
        assert any(not word.search(_text(i)) for i in found), query


# --- Word families of strong verbs --------------------------------------------------------------


def _lexeme_items(lexeme: str) -> set[int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT item_id FROM minutes_itemsearch WHERE vector @@ to_tsquery('simple', %s)",
            [lexeme],
        )
        return {row[0] for row in cursor.fetchall()}


def test_the_vowel_change_of_a_strong_verb_joins_its_family():
    assert vowel_family_forms("udsættes") == ["udsat"]
    assert vowel_family_forms("udsættelse") == ["udsat"]
    assert vowel_family_forms("udsat") == ["udsætte"]
    assert vowel_family_forms("fastlagt") == ["fastlægge"]
    assert vowel_family_forms("budget") == []


def test_udsætte_udsættes_udsat_udsættelse_find_each_other(development_documents):
    # The stemmer cuts the family in two: udsætte/udsættes/udsættelse → 'udsæt', udsat → 'udsat'.
    udsat, udsaet = _lexeme_items("udsat"), _lexeme_items("udsæt")
    assert udsat and udsaet and udsat != udsaet
    for query in ("udsætte", "udsættes", "udsat", "udsættelse", "udsatte"):
        assert {item.pk for item in run_search({"q": query}).items} >= udsat | udsaet, query
