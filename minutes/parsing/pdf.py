"""PDF text extraction with pdfminer.six, in a child process with memory and time limits.

The child (`_pdf_worker.py`) returns positioned text lines per page. Here, in pure Python, the
lines become text: repeated page headers and footers are dropped by position and repetition, and
text boxes are put in reading order so that columns stay apart (a name in a second column of a
member list stays in that list). Pages are separated by form feeds for the text parser.
"""

from __future__ import annotations

import json
import math
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from .budget import remaining
from .model import ParseError

WORKER = Path(__file__).with_name("_pdf_worker.py")


def _env_int(name: str, default: int) -> int:
    try:
        return int(os.environ.get(name, default))
    except ValueError:
        return default


# Generous for real minutes (hundreds of pages), small enough to protect a shared server.
MEMORY_MB = _env_int("PARSER_PDF_MEMORY_MB", 1024)
TIMEOUT_SECONDS = _env_int("PARSER_PDF_TIMEOUT", 120)
MAX_PAGES = _env_int("PARSER_PDF_MAX_PAGES", 2000)


@dataclass
class Line:
    x0: float
    y0: float
    x1: float
    y1: float
    text: str


@dataclass
class Page:
    number: int
    width: float
    height: float
    boxes: list[list[Line]]


def pdf_to_text(
    data: bytes,
    *,
    memory_mb: int | None = None,
    timeout: float | None = None,
    max_pages: int | None = None,
) -> str:
    """The PDF's text, pages separated by form feeds, running headers and footers removed."""
    pages = extract_pages(data, memory_mb=memory_mb, timeout=timeout, max_pages=max_pages)
    if not any(line.text.strip() for page in pages for box in page.boxes for line in box):
        raise ParseError(
            f"PDF-filen indeholder ingen tekst på sine {len(pages)} sider; "
            "den er måske scannet som billeder"
        )
    return pages_to_text(pages)


def extract_pages(
    data: bytes,
    *,
    memory_mb: int | None = None,
    timeout: float | None = None,
    max_pages: int | None = None,
) -> list[Page]:
    seconds = timeout or TIMEOUT_SECONDS
    left = remaining()  # of the whole reading's budget (parsing.budget)
    if left is not None and left < seconds:
        seconds = max(left, 0.1)
    command = [
        sys.executable,
        "-I",  # isolated: the worker needs nothing from the environment or the working dir
        str(WORKER),
        str(memory_mb or MEMORY_MB),
        str(max(1, math.ceil(seconds))),
        str(max_pages or MAX_PAGES),
    ]
    try:
        completed = subprocess.run(
            command,
            input=data,
            capture_output=True,
            timeout=seconds,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        shown = f"{seconds:g}".replace(".", ",")
        raise ParseError(
            f"PDF-filen tog mere end {shown} sekunder at læse og blev "
            "opgivet; den er for stor, beskadiget eller bygget til at belaste læseren"
        ) from exc
    except OSError as exc:
        raise ParseError(f"PDF-læseren kunne ikke startes: {exc.strerror}") from exc

    pages: list[Page] = []
    finished = False
    for raw in completed.stdout.decode("utf-8", errors="replace").splitlines():
        try:
            message = json.loads(raw)
        except json.JSONDecodeError:
            continue
        if "error" in message:
            _raise_worker_error(message, memory_mb or MEMORY_MB)
        if "done" in message:
            finished = True
            continue
        pages.append(
            Page(
                number=message["page"],
                width=message["width"],
                height=message["height"],
                boxes=[[Line(*line) for line in box] for box in message["boxes"]],
            )
        )
    if not finished:
        where = len(pages) + 1
        if completed.returncode < 0:
            # Killed by a signal: CPU limit (SIGXCPU/SIGKILL) or the memory limit.
            raise ParseError(
                "PDF-filen krævede for meget tid eller hukommelse og blev opgivet", page=where
            )
        raise ParseError("PDF-filen kunne ikke læses; den er beskadiget eller afkortet", page=where)
    if not pages:
        raise ParseError("PDF-filen har ingen sider")
    return pages


def _raise_worker_error(message: dict, memory_mb: int) -> None:
    page = message.get("page")
    code = message.get("error")
    if code == "encrypted":
        raise ParseError("PDF-filen er krypteret eller beskyttet med adgangskode og kan ikke læses")
    if code == "syntax":
        raise ParseError(
            "PDF-filen er beskadiget eller afkortet og kan ikke læses", page=page or None
        )
    if code == "memory":
        raise ParseError(
            f"PDF-filen kræver mere end {memory_mb} MB hukommelse at læse og blev opgivet",
            page=page or None,
        )
    if code == "too_many_pages":
        raise ParseError(f"PDF-filen har flere end {message.get('detail')} sider")
    if code == "recursion":
        raise ParseError("PDF-filen er for dybt indlejret til at kunne læses", page=page or None)
    raise ParseError(f"PDF-filen kunne ikke læses ({message.get('detail', '')})", page=page or None)


# --- From positioned lines to text --------------------------------------------------------

_DIGITS = re.compile(r"\d+")
MARGIN_TOP = 0.22  # running headers sit in the top fifth of a page …
MARGIN_BOTTOM = 0.12  # … footers in the bottom eighth


def _line_key(line: Line) -> str:
    return _DIGITS.sub("#", re.sub(r"\s+", " ", line.text.strip().lower()))


def running_lines(pages: list[Page]) -> set[tuple[int, int]]:
    """(page index, line id) of lines repeated in the same margin position on many pages.

    A line counts as a running header or footer when the same text (digits ignored, so `Side 3`
    and `Side 4` are one) sits at about the same height near the top or bottom edge of at least
    half of the pages, and of at least two.
    """
    if len(pages) < 2:
        return set()
    seen: dict[tuple[str, int], set[int]] = {}
    for index, page in enumerate(pages):
        for box in page.boxes:
            for line in box:
                if not _in_margin(line, page):
                    continue
                key = (_line_key(line), round(line.y0 / 6))
                seen.setdefault(key, set()).add(index)
    threshold = max(2, (len(pages) + 1) // 2)
    repeated = {key for key, where in seen.items() if len(where) >= threshold and key[0]}
    # Neighbouring height buckets: a header that shifts a point between pages is still one.
    counts: dict[str, set[int]] = {}
    for (text, _bucket), where in seen.items():
        counts.setdefault(text, set()).update(where)
    drop: set[tuple[int, int]] = set()
    for index, page in enumerate(pages):
        for box in page.boxes:
            for line in box:
                if not _in_margin(line, page):
                    continue
                key = (_line_key(line), round(line.y0 / 6))
                near = any(
                    (key[0], key[1] + delta) in repeated for delta in (-1, 0, 1)
                ) or _PAGE_NUMBER.match(line.text.strip())
                if near:
                    drop.add((index, id(line)))
    return drop


_PAGE_NUMBER = re.compile(r"^(?:side\s+)?\d{1,4}(?:\s*(?:af|/|of)\s*\d{1,4})?$", re.IGNORECASE)


def _in_margin(line: Line, page: Page) -> bool:
    height = page.height or 842.0
    return line.y0 >= height * (1 - MARGIN_TOP) or line.y1 <= height * MARGIN_BOTTOM


def pages_to_text(pages: list[Page]) -> str:
    drop = running_lines(pages)
    out: list[str] = []
    for index, page in enumerate(pages):
        boxes = [
            [line for line in box if (index, id(line)) not in drop and line.text.strip()]
            for box in page.boxes
        ]
        out.append("\n\n".join(_box_text(group) for group in _reading_order(boxes) if group))
    return "\n\f\n".join(out) + "\n"


def _box_text(group: list[list[Line]]) -> str:
    """One band of boxes as text: side-by-side one-line boxes become one tab-separated line."""
    if len(group) > 1 and all(len(box) == 1 for box in group):
        return "\t".join(box[0].text.strip() for box in sorted(group, key=lambda b: b[0].x0))
    return "\n\n".join("\n".join(line.text.rstrip() for line in box) for box in group)


def _reading_order(boxes: list[list[Line]]) -> list[list[list[Line]]]:
    """Bands of vertically overlapping boxes, top to bottom; within a band, column by column.

    A two-column member list is one band with two columns, so the second column is read right
    after the first and both stay under their label; two-column prose reads left column first.
    """
    boxes = [box for box in boxes if box]
    boxes.sort(key=lambda box: -max(line.y1 for line in box))
    bands: list[list[list[Line]]] = []
    band_bottom = 0.0
    for box in boxes:
        top = max(line.y1 for line in box)
        bottom = min(line.y0 for line in box)
        # Overlap must be real (more than a couple of points) to join the band.
        if bands and top - 2 > band_bottom:
            bands[-1].append(box)
            band_bottom = min(band_bottom, bottom)
        else:
            bands.append([box])
            band_bottom = bottom
    ordered: list[list[list[Line]]] = []
    for band in bands:
        if len(band) == 1 or all(len(box) == 1 for box in band):
            ordered.append(band)
            continue
        columns: list[list[list[Line]]] = []
        for box in sorted(band, key=lambda b: min(line.x0 for line in b)):
            x0 = min(line.x0 for line in box)
            for column in columns:
                if x0 < max(line.x1 for b in column for line in b) - 2:
                    column.append(box)
                    break
            else:
                columns.append([box])
        for column in columns:
            column.sort(key=lambda b: -max(line.y1 for line in b))
            ordered.extend([box] for box in column)
    return ordered
