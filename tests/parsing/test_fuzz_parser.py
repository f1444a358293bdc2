"""Fuzzing the parser: every input is read or refused with a ParseError, within its budget.

Inputs come from a seeded generator (FUZZ_SEED, default 0: every run reads the same ones) in
families: hostile PDFs (reference loops in seven places, chained compression layers that unpack
to 400 MB, encrypted, truncated and mangled PDFs), generated PDFs of minutes lines,
text that grows by repetition (the patterns that once took minutes), very long lines, deep
HTML and XML nesting, hostile XML (entities, DTDs), control characters and broken UTF-8 in
real minutes, real minutes truncated and shuffled, random minutes-like lines, random markup,
random bytes and zips. Each is read by `parse` under the hard time budget (minutes.parsing.
budget) and must come out as a ParsedDocument that serialises or as a ParseError that says
something — never another exception — and no reading may run past its budget (a little grace
for starting and killing a PDF child) without being refused.

`make test` reads a slice: the hostile PDFs once each and FUZZ_PARSER_INPUTS=300 generated
inputs, under a 3-second budget so the two PDFs that use up a whole budget cost little. The long
run (`make fuzz`, tests/fuzz.py) reads 20,000 under the web's budget (20 s) and prints the
counts and the slowest input:

    FUZZ_PARSER_INPUTS=20000 FUZZ_TIME_LIMIT=20 pytest -s tests/parsing/test_fuzz_parser.py
"""

from __future__ import annotations

import io
import json
import os
import random
import time
import traceback
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from minutes.parsing import ParsedDocument, ParseError, budget, parse

from .conftest import FIXTURES, PDF
from .pdfbuild import (
    REFERENCE_LOOPS,
    build_pdf,
    chained_compression,
    reference_loop,
    text_stream,
)
from .test_linear_time import GROWING, HEADER
from .test_properties import FRAGMENTS

FUZZ_PARSER_INPUTS = int(os.environ.get("FUZZ_PARSER_INPUTS", "300"))
FUZZ_SEED = int(os.environ.get("FUZZ_SEED", "0"))
FUZZ_TIME_LIMIT = float(os.environ.get("FUZZ_TIME_LIMIT", "3"))
# Over the budget: starting the PDF child, killing it, and a loaded machine.
GRACE_SECONDS = 2.0

SEED_TEXTS = [p.read_text("utf-8") for p in sorted((FIXTURES / "seeds").glob("*.txt"))]
REAL_FILES = [p.read_bytes() for p in sorted((FIXTURES / "formats").glob("*.*")) if p.is_file()]
CONTROLS = [chr(c) for c in [*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0)]] + ["\ufffe", "\uffff"]
WORDS = ["Punkt", "Beslutning", "Indstilling", "Ø", "(", ")", "Anna", "Hansen", "17/10000", ".."]


# --- The hostile PDFs: read in every run ----------------------------------------------------


def hostile_pdfs() -> list[tuple[str, bytes]]:
    real = PDF.read_bytes()
    minutes = text_stream(["REFERAT Teknikudvalget d. 05-03-2024", "Punkt 1: Vej", "Godkendt."])
    return [
        *((f"pdf: reference loop ({kind})", reference_loop(kind)) for kind in REFERENCE_LOOPS),
        ("pdf: three chained compression layers", chained_compression(3)),
        ("pdf: two chained compression layers", chained_compression(2, 50)),
        ("pdf: encrypted", build_pdf(minutes, encrypt=True)),
        ("pdf: truncated", real[: len(real) // 2]),
        ("pdf: no cross-reference table", build_pdf(minutes).split(b"xref")[0]),
        ("pdf: header only", b"%PDF-1.7\n%%EOF\n"),
        ("pdf: broken stream", build_pdf(minutes, raw_flate=b"x\x9c" + bytes(range(256)))),
    ]


def _mangled_pdf(rng: random.Random) -> tuple[str, bytes]:
    """A hostile or generated PDF with bytes flipped, cut or repeated. Rarely one of the two
    that use up a whole budget: the long run reads each a few times, not hundreds."""
    kinds = [k for k in REFERENCE_LOOPS if k != "references"]
    if rng.random() < 0.01:
        name, data = rng.choice(
            [("reference loop (references)", reference_loop("references")),
             ("three chained compression layers", chained_compression(3))]
        )  # fmt: skip
    elif rng.random() < 0.5:
        kind = rng.choice(kinds)
        name, data = f"reference loop ({kind})", reference_loop(kind)
    else:
        lines = rng.choices([*FRAGMENTS[:35], "x" * rng.randint(1, 3000)], k=rng.randint(1, 40))
        name = "generated"
        data = build_pdf(
            text_stream([line.encode("latin-1", "replace").decode("latin-1") for line in lines]),
            compress=rng.random() < 0.5,
        )
    data = bytearray(data)
    for _ in range(rng.randint(0, 4)):
        how = rng.random()
        at = rng.randrange(len(data))
        if how < 0.4:
            data[at] = rng.randrange(256)
        elif how < 0.7:
            del data[at : at + rng.randint(1, 40)]
        else:
            data[at:at] = data[at : at + rng.randint(1, 200)] * rng.randint(1, 50)
    return f"pdf: {name}, mangled", bytes(data)


# --- Text, HTML and XML ---------------------------------------------------------------------


def _growing(rng: random.Random) -> tuple[str, bytes]:
    name, make = rng.choice(list(GROWING.items()))
    # Mostly small, sometimes far beyond any real page (log-uniform).
    n = int(10 ** rng.uniform(1, 4.2))
    return f"growing: {name} × {n}", make(n).encode("utf-8")


def _huge_line(rng: random.Random) -> tuple[str, bytes]:
    unit = rng.choice(["(", "Ø", "Punkt ", "a", ". ", "-", "x(", "17/", "\t", "Anna Hansen (A) "])
    n = rng.choice([1_000, 20_000, 200_000]) // len(unit)
    prefix = rng.choice(["", "REFERAT ", HEADER])
    return f"huge line: {unit!r} × {n}", (prefix + unit * n).encode("utf-8")


def _deep_markup(rng: random.Random) -> tuple[str, bytes]:
    n = int(10 ** rng.uniform(1, 4.3))
    if rng.random() < 0.5:
        tag = rng.choice(["div", "table", "ul", "span", "b"])
        body = f"<{tag}>" * n + HEADER + f"</{tag}>" * rng.choice([n, 0])
        return f"html: {n} nested <{tag}>", f"<html><body>{body}</body></html>".encode()
    body = "<Punkt>" * n + "<Titel>x</Titel>" + "</Punkt>" * rng.choice([n, 0])
    xml = f'<?xml version="1.0" encoding="utf-8"?>\n<Publication>{body}</Publication>'
    return f"xml: {n} nested elements", xml.encode()


def _hostile_xml(rng: random.Random) -> tuple[str, bytes]:
    kind = rng.choice(["laughs", "external", "dtd", "pi", "cdata"])
    head = '<?xml version="1.0" encoding="utf-8"?>\n'
    if kind == "laughs":
        entities = '<!ENTITY a0 "lol">' + "".join(
            f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, 10)
        )
        body = f"<!DOCTYPE Publication [{entities}]><Publication>&a9;</Publication>"
    elif kind == "external":
        body = (
            '<!DOCTYPE Publication [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            "<Publication>&x;</Publication>"
        )
    elif kind == "dtd":
        body = '<!DOCTYPE Publication SYSTEM "http://127.0.0.1:1/x.dtd"><Publication/>'
    elif kind == "pi":
        body = "<?x " + "y" * rng.randint(1, 100_000) + "?><Publication/>"
    else:
        body = "<Publication><![CDATA[" + HEADER * rng.randint(1, 2000) + "]]></Publication>"
    return f"xml: {kind}", (head + body).encode()


def _with_controls(rng: random.Random) -> tuple[str, bytes]:
    text = list(rng.choice(SEED_TEXTS)[: rng.randint(200, 8000)])
    for _ in range(rng.randint(1, 200)):
        text.insert(rng.randrange(len(text) + 1), rng.choice(CONTROLS))
    data = "".join(text).encode("utf-8", "surrogatepass")
    if rng.random() < 0.3:  # broken UTF-8 too
        at = rng.randrange(len(data))
        data = data[:at] + bytes([rng.choice([0xC3, 0xFF, 0xE2, 0x80])]) + data[at:]
    return "text: control characters", data


def _real_mutated(rng: random.Random) -> tuple[str, bytes]:
    text = rng.choice(SEED_TEXTS)
    how = rng.choice(["truncated", "shuffled", "lines dropped", "doubled"])
    lines = text.splitlines()
    if how == "truncated":
        text = text[: rng.randint(0, len(text))]
    elif how == "shuffled":
        rng.shuffle(lines)
        text = "\n".join(lines[: rng.randint(0, 300)])
    elif how == "lines dropped":
        text = "\n".join(line for line in lines if rng.random() > 0.3)
    else:
        text = "\n".join(lines[:100] * 2)
    return f"text: real minutes {how}", text.encode("utf-8")


def _real_file_cut(rng: random.Random) -> tuple[str, bytes]:
    data = rng.choice([f for f in REAL_FILES if not f.startswith(b"%PDF")])
    return "real file cut", data[: rng.randint(0, len(data))]


def _minutes_lines(rng: random.Random) -> tuple[str, bytes]:
    lines = rng.choices(FRAGMENTS, k=rng.randint(0, 120))
    return "text: minutes-like lines", "\n".join(lines).encode("utf-8")


def _markup(rng: random.Random) -> tuple[str, bytes]:
    tags = ["div", "p", "h1", "h2", "table", "tr", "td", "li", "script", "style", "main"]
    parts = []
    for _ in range(rng.randint(1, 200)):
        tag = rng.choice(tags)
        parts.append(rng.choice([f"<{tag}>", f"</{tag}>", rng.choice(FRAGMENTS), "&amp;", "<"]))
    return "html: random markup", ("<html><body>" + "".join(parts)).encode("utf-8")


def _random_bytes(rng: random.Random) -> tuple[str, bytes]:
    prefix = rng.choice([b"", b"<html>", b"<?xml version='1.0'?>", b"PK\x03\x04", b"\xef\xbb\xbf"])
    return "random bytes", prefix + rng.randbytes(rng.randint(0, 4000))


def _random_words(rng: random.Random) -> tuple[str, bytes]:
    words = rng.choices(WORDS, k=rng.randint(1, 3000))
    separators = rng.choices([" ", "\n", "", "\n\n", "\f"], k=len(words))
    text = HEADER + "".join(w + s for w, s in zip(words, separators, strict=True))
    return "text: random words", text.encode("utf-8")


def _zip(rng: random.Random) -> tuple[str, bytes]:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for index in range(rng.randint(0, 6)):
            name = rng.choice(["dagsorden.xml", "bilag.pdf", f"{index}.txt", "../x", "a/b.html"])
            member = rng.choice(
                [
                    rng.randbytes(rng.randint(0, 300)),
                    b"<?xml version='1.0'?><Publication/>",
                    rng.choice(SEED_TEXTS)[:3000].encode(),
                ]
            )
            archive.writestr(f"{index}-{name}", member)
    return "zip", buffer.getvalue()


# How often each family is drawn. Hostile and generated PDFs are about 3 % (each PDF starts a
# child process); the rest are text, HTML, XML, bytes and zips.
FAMILIES: list[tuple[Callable[[random.Random], tuple[str, bytes]], int]] = [
    (_mangled_pdf, 3),
    (_growing, 14),
    (_huge_line, 4),
    (_deep_markup, 8),
    (_hostile_xml, 4),
    (_with_controls, 8),
    (_real_mutated, 6),
    (_real_file_cut, 3),
    (_minutes_lines, 16),
    (_markup, 10),
    (_random_bytes, 10),
    (_random_words, 10),
    (_zip, 5),
]


def generated_inputs(count: int, seed: int) -> Iterator[tuple[str, bytes]]:
    rng = random.Random(seed)
    makers, weights = zip(*FAMILIES, strict=True)
    for _ in range(count):
        yield rng.choices(makers, weights)[0](rng)


# --- The run ------------------------------------------------------------------------------


@dataclass
class Tally:
    limit: float
    outcomes: Counter = field(default_factory=Counter)  # parsed / refused / refused (time)
    pdfs: int = 0
    hostile_pdfs: int = 0
    failures: list[str] = field(default_factory=list)  # exceptions and budget overruns
    slowest: tuple[float, str] = (0.0, "")

    def read(self, name: str, data: bytes, *, hostile: bool = False) -> None:
        self.pdfs += data.startswith(b"%PDF")
        self.hostile_pdfs += hostile or (data.startswith(b"%PDF") and "generated" not in name)
        start = time.perf_counter()
        try:
            doc = parse(data)
            assert isinstance(doc, ParsedDocument)
            json.dumps(doc.to_json(), ensure_ascii=False)  # the CLI's contract serialises
            outcome = "parsed"
        except ParseError as exc:
            outcome = "refused (time)" if "sekunder at læse" in str(exc) else "refused"
            if not str(exc).strip():
                self.failures.append(f"{name}: a ParseError that says nothing")
        except BaseException:  # noqa: BLE001 - every other outcome is a failure, with its traceback
            outcome = "exception"
            self.failures.append(f"{name} ({len(data)} bytes):\n{traceback.format_exc()}")
        seconds = time.perf_counter() - start
        self.outcomes[outcome] += 1
        if seconds > self.slowest[0]:
            self.slowest = (seconds, f"{name} ({len(data):,} bytes, {outcome})")
        if seconds > self.limit + GRACE_SECONDS:
            self.failures.append(f"{name}: {seconds:.1f} s, over the {self.limit:g} s budget")

    def report(self) -> str:
        total = self.outcomes.total()
        return (
            f"parser fuzz: {total} inputs ({self.pdfs} PDFs, {self.hostile_pdfs} hostile), "
            f"{self.outcomes['parsed']} parsed, {self.outcomes['refused']} refused, "
            f"{self.outcomes['refused (time)']} refused at the {self.limit:g} s budget, "
            f"{self.outcomes['exception']} tracebacks, "
            f"{sum('over the' in f for f in self.failures)} over the budget; "
            f"slowest {self.slowest[0]:.2f} s: {self.slowest[1]}"
        )


def test_fuzz_every_input_is_read_or_refused_within_the_budget():
    tally = Tally(limit=FUZZ_TIME_LIMIT)
    with budget.time_limit(FUZZ_TIME_LIMIT):
        for name, data in hostile_pdfs():
            tally.read(name, data, hostile=True)
        for number, (name, data) in enumerate(generated_inputs(FUZZ_PARSER_INPUTS, FUZZ_SEED), 1):
            tally.read(name, data)
            if number % 2000 == 0:  # progress, seen with -s (the long run)
                print(f"\n{tally.report()}", flush=True)
    print("\n" + tally.report())
    assert not tally.failures, "\n".join(tally.failures[:20])
    # The budget refused what would have held the parser (the loop and the chained layers).
    assert tally.outcomes["refused (time)"] >= 1


def test_the_tally_catches_an_exception_and_an_overrun(monkeypatch):
    """The checks above can fail: a reader's bug and a reading past its budget are failures."""
    import minutes.parsing as parsing

    def broken(read, data, **kwargs):
        raise IndexError("a reader's bug")

    tally = Tally(limit=FUZZ_TIME_LIMIT)
    monkeypatch.setattr(parsing, "within_budget", broken)
    tally.read("bug", b"x")
    monkeypatch.undo()
    assert tally.outcomes["exception"] == 1 and "IndexError" in tally.failures[0]
    # A budget so small that any reading overruns it, with the grace.
    overrun = Tally(limit=-GRACE_SECONDS - 1)
    overrun.read("slow", HEADER.encode())
    assert overrun.failures == [f"slow: {overrun.slowest[0]:.1f} s, over the -3 s budget"]
