"""The development set scored with the project's yardstick: every field of every answer key.

`fixtures/formats/expected/` holds the hand-made answer keys (with `CONVENTIONS.md`) of the seeds
and of the real documents from other publishing systems in `fixtures/formats/`;
`score_parse.py` beside this file is a verbatim copy of the yardstick the archive is measured
with (`../shared/tools/score_parse.py`). Each document is parsed from the file as published
(PDF, HTML, XML, zip) and must score every point; the misses are printed when it does not.
Seeds are parsed with the municipality the manifest names (their headers do not name it);
every other file must name its municipality itself.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from minutes.parsing import ParseError, parse

from .conftest import FIXTURES
from .score_parse import score

KEYS = sorted((FIXTURES / "formats" / "expected").glob("*.json"))
MANIFEST = json.loads((FIXTURES / "manifest.json").read_text("utf-8"))["files"]


def source_of(key: Path) -> Path:
    found = [
        path
        for folder in (FIXTURES / "seeds", FIXTURES / "formats")
        for path in folder.glob(f"{key.stem}.*")
    ]
    assert len(found) == 1, f"one source file for {key.name}: {found}"
    return found[0]


def parsed_json(source: Path) -> dict:
    relative = source.relative_to(FIXTURES).as_posix()
    municipality = MANIFEST.get(relative) if relative.startswith("seeds/") else None
    try:
        return parse(source.read_bytes(), filename=source.name, municipality=municipality).to_json()
    except ParseError:
        return {}  # no parse at all scores zero, as in the yardstick


@pytest.mark.parametrize("key", KEYS, ids=lambda key: key.stem)
def test_every_field_of_the_answer_key(key: Path):
    expected = json.loads(key.read_text("utf-8"))
    got, total, misses = score(expected, parsed_json(source_of(key)))
    print(f"{key.stem}: {got}/{total}")
    assert (got, misses) == (total, [])


def test_the_whole_development_set_is_here():
    """Every document with a key is scored: the seeds, the eDoc PDF, the other systems' files."""
    names = {key.stem for key in KEYS}
    assert {path.stem for path in (FIXTURES / "seeds").glob("*.txt")} <= names
    assert len(names) >= 10
