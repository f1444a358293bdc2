"""Property-based tests: whatever comes in, only a ParsedDocument or a ParseError comes out.

Inputs: random text and bytes, and real documents truncated, shuffled, re-wrapped and with
random lines dropped. Example counts are modest so the suite stays fast on two cores.
"""

from __future__ import annotations

import io
import json
import random
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from minutes.parsing import ParsedDocument, ParseError, parse, text

from .conftest import FIXTURES

SEEDS = sorted((FIXTURES / "seeds").glob("*.txt"))
SEED_TEXTS = [path.read_text("utf-8") for path in SEEDS]
PROFILE = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
# Lines real minutes are made of, recombined at random.
FRAGMENTS = [
    "REFERAT Socialudvalget d. 05-02-2020",
    "Dagsorden",
    "Referat",
    "til",
    "mødet i Økonomiudvalget",
    "den 5. maj 2020 kl. 18:00",
    "Mødedato",
    "Tirsdag d. 4. marts 2025 kl. 15:30",
    "Dato: 12.03.2014",
    "Sted: Rådhuset",
    "Tilstede",
    "Anna Hansen (A) - formand",
    "Afbud/Fraværende",
    "Sekretær",
    "Punkt 1: Godkendelse af dagsorden",
    "2. Budgetopfølgning",
    "412. Salg af grund",
    "4.",
    "Lukket: Personalesag",
    "a. Møder og konferencer",
    "17/10000",
    "Sagsnr.: 2013-12345",
    "Dok.nr.: 2013-99999",
    "00.32.10-S55-55-23",
    "Indstilling",
    "Beslutning",
    "BeslutningGodkendt.",
    "Beslutning Socialudvalget den 05-02-2020",
    "Teknikudvalget, den 29. oktober 2024",
    "Sundheds- og Forebyggelsesudvalgets beslutning den 04.12.2012 Punkt 1",
    "Godkendt.",
    "A (1) undlader at stemme, Ø (1) er fraværende, B (1) og C (4) stemmer for.",
    "For stemte: A, B, F og Ø.",
    "vedtaget med 21 stemmer mod 8",
    "Gitte Hansen (B) var fraværende. I stedet deltog Cecilie Lind (B).",
    "Bilag",
    "2012-208960 - Program",
    "Indholdsfortegnelse",
    "Godkendelse af dagsorden.....\t3",
    "Side 3 af 12",
    "\f",
    "",
    "Til toppen",
]


def _outcome(data: bytes) -> ParsedDocument | None:
    try:
        doc = parse(data)
    except ParseError as exc:
        assert str(exc).strip(), "a ParseError must say what is wrong"
        return None
    assert isinstance(doc, ParsedDocument)
    json.dumps(doc.to_json(), ensure_ascii=False)  # the CLI contract serialises
    return doc


@PROFILE
@given(st.binary(max_size=4000))
def test_random_bytes(data: bytes):
    _outcome(data)


@settings(PROFILE, max_examples=12)
@given(st.binary(max_size=3000))
def test_random_bytes_behind_a_pdf_signature(data: bytes):
    # Each PDF is read in a child process, so fewer examples keep this quick.
    _outcome(b"%PDF-1.4\n" + data)


@PROFILE
@given(st.binary(max_size=3000))
def test_random_bytes_inside_html(data: bytes):
    _outcome(b"<html><body>" + data + b"</body></html>")


@PROFILE
@given(st.text(max_size=3000))
def test_random_text(text: str):
    _outcome(text.encode("utf-8", errors="surrogatepass"))


@PROFILE
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=80), st.text(max_size=200))
def test_random_minutes_like_lines(lines: list[str], noise: str):
    _outcome(("\n".join(lines) + noise).encode("utf-8", errors="surrogatepass"))


@PROFILE
@given(st.sampled_from(range(len(SEED_TEXTS))), st.floats(min_value=0, max_value=1))
def test_truncated_real_documents(index: int, fraction: float):
    text = SEED_TEXTS[index]
    _outcome(text[: int(len(text) * fraction)].encode("utf-8"))


@PROFILE
@given(st.sampled_from(range(len(SEED_TEXTS))), st.integers(min_value=0, max_value=2**32))
def test_shuffled_real_documents(index: int, seed: int):
    rng = random.Random(seed)
    lines = SEED_TEXTS[index].splitlines()
    rng.shuffle(lines)
    _outcome("\n".join(lines).encode("utf-8"))


@PROFILE
@given(
    st.sampled_from(range(len(SEED_TEXTS))),
    st.integers(min_value=20, max_value=120),
    st.integers(min_value=0, max_value=2**32),
)
def test_rewrapped_real_documents_keep_their_items(index: int, width: int, seed: int):
    """Re-wrapping long lines (as a PDF export does) keeps every seed minutes' items."""
    rng = random.Random(seed)
    original = parse(SEED_TEXTS[index].encode("utf-8"))
    wrapped: list[str] = []
    for line in SEED_TEXTS[index].splitlines():
        # Headings stay whole; prose lines are cut at random word boundaries.
        if len(line) <= width or line.startswith(("Punkt ", "REFERAT")):
            wrapped.append(line)
            continue
        words, current = line.split(" "), ""
        for word in words:
            if current and len(current) + len(word) > width and rng.random() < 0.8:
                wrapped.append(current)
                current = word
            else:
                current = f"{current} {word}" if current else word
        wrapped.append(current)
    doc = _outcome("\n".join(wrapped).encode("utf-8"))
    if original.kind == "minutes":
        assert doc is not None
        assert [(i.number, i.case_number) for i in doc.items] == [
            (i.number, i.case_number) for i in original.items
        ]


@PROFILE
@given(st.sampled_from(range(len(SEED_TEXTS))), st.integers(min_value=0, max_value=2**32))
def test_real_documents_with_lines_dropped_and_form_feeds_added(index: int, seed: int):
    rng = random.Random(seed)
    lines = [line for line in SEED_TEXTS[index].splitlines() if rng.random() > 0.15]
    for _ in range(rng.randint(0, 5)):
        lines.insert(rng.randint(0, len(lines)), "\f")
    _outcome("\n".join(lines).encode("utf-8"))


@PROFILE
@given(st.binary(max_size=3000))
def test_random_bytes_behind_an_xml_declaration(data: bytes):
    _outcome(b'<?xml version="1.0" encoding="utf-8"?>\n<Publication>' + data)


@settings(PROFILE, max_examples=30)
@given(
    st.dictionaries(
        st.text(alphabet="abcæø/._-XMLxml", min_size=1, max_size=30),
        st.one_of(st.binary(max_size=500), st.just(b"<?xml version='1.0'?><Publication/>")),
        max_size=5,
    )
)
def test_random_zips(members: dict[str, bytes]):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    _outcome(buffer.getvalue())


def test_a_bug_in_a_reader_fails_these_tests_instead_of_passing_as_a_refusal(monkeypatch):
    """Only a reader's deliberate ParseError passes the checks above: an IndexError injected
    into the item chooser comes out as itself, so every property test above would fail."""

    def broken(lines, *rest):
        raise IndexError("injected")

    monkeypatch.setattr(text, "choose_items", broken)
    with pytest.raises(IndexError, match="injected"):
        _outcome(SEED_TEXTS[0].encode("utf-8"))
