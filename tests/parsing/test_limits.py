"""What the parser does at its limits: it says so, it never drops content silently."""

from __future__ import annotations

import re
import signal
import threading

import pytest

from minutes.parsing import ParseError, budget, parse
from minutes.parsing.items import MAX_CANDIDATES


def test_items_above_the_limit_are_a_warning_not_a_silent_loss():
    text = "REFERAT Byrådet 1. januar 2020\n\n" + "".join(
        f"{n}. Punkt om sag {n}\nSagsnr. 17/{n}\nBeslutning: Godkendt\n\n"
        for n in range(1, MAX_CANDIDATES + 101)
    )
    doc = parse(text.encode("utf-8"), filename="byraad.txt", municipality="Aarhus")
    assert len(doc.items) == MAX_CANDIDATES
    (warning,) = [w for w in doc.warnings if "mulige punktoverskrifter" in w]
    assert re.search(
        r"har 1\.600 mulige punktoverskrifter; kun de første 1\.500 \(til punkt 1500\)", warning
    )
    # The items after the limit stay as text of the last one: nothing is lost.
    last = doc.items[-1]
    kept = "\n".join([s.text for s in last.sections] + [d.text for d in last.decisions])
    assert "Punkt om sag 1600" in kept


def test_a_document_within_the_limit_has_no_such_warning():
    text = "REFERAT Byrådet 1. januar 2020\n\n" + "".join(
        f"{n}. Punkt om sag {n}\nSagsnr. 17/{n}\nBeslutning: Godkendt\n\n" for n in range(1, 40)
    )
    doc = parse(text.encode("utf-8"), filename="byraad.txt", municipality="Aarhus")
    assert len(doc.items) == 39
    assert not [w for w in doc.warnings if "punktoverskrifter" in w]


# --- The time budget: every format, the main thread and others --------------------------------

LONG_TEXT = (
    "REFERAT Byrådet 1. januar 2020\n\n"
    + "".join(
        f"{n}. Punkt om sag {n}\nSagsnr. 17/{n}\nBeslutning: Godkendt\n\n" for n in range(1, 1400)
    )
).encode("utf-8")


def test_text_over_the_time_budget_is_refused_saying_so():
    """The timer interrupts the text reader wherever it is (here after 0.05 of its ~0.5 s)."""
    with budget.time_limit(0.05), pytest.raises(ParseError, match=r"mere end 0,05 sekunder"):
        parse(LONG_TEXT, filename="langt.txt", municipality="Aarhus")
    # The timer is gone afterwards: the same file within a budget it fits is read.
    with budget.time_limit(30):
        assert len(parse(LONG_TEXT, filename="langt.txt", municipality="Aarhus").items) == 1399
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_html_over_the_time_budget_is_refused():
    page = "<html><body><h1>Referat Byrådet 1. januar 2020</h1>" + "".join(
        f"<h2>{n}. Punkt {n}</h2><p>Sagsnr. 17/{n}</p><p>Beslutning: Godkendt</p>"
        for n in range(1, 1500)
    )
    with budget.time_limit(0.05), pytest.raises(ParseError, match="sekunder at læse"):
        parse(page.encode("utf-8"), filename="side.html", municipality="Aarhus")


def test_a_pdf_gets_what_is_left_of_the_budget(ballerup_pdf):
    with budget.time_limit(0.2), pytest.raises(ParseError, match="sekunder at læse"):
        parse(ballerup_pdf, filename="ballerup.pdf")


def _parse_in_thread(data: bytes, seconds: float):
    outcome: list = []

    def run() -> None:
        with budget.time_limit(seconds):
            try:
                outcome.append(parse(data, filename="langt.txt", municipality="Aarhus"))
            except ParseError as exc:
                outcome.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(60)
    return outcome[0]


def test_outside_the_main_thread_the_reading_runs_in_a_child_killed_at_the_deadline():
    """A threaded server cannot use the timer signal: the child process keeps the budget."""
    refused = _parse_in_thread(LONG_TEXT, 0.05)
    assert isinstance(refused, ParseError) and "sekunder at læse" in str(refused)
    read = _parse_in_thread(LONG_TEXT, 30)
    assert read == parse(LONG_TEXT, filename="langt.txt", municipality="Aarhus")


def test_a_refusal_in_a_child_comes_back_whole():
    refused = _parse_in_thread(b"\x00\x01binary", 30)
    assert isinstance(refused, ParseError) and "binær" in refused.message


def test_memory_of_a_reading_grows_linearly_with_the_file():
    """The memory budget by construction: a reading holds a small multiple of its input (the
    upload limit then bounds it), the same multiple for a file four times as large."""
    import tracemalloc

    def peak_per_byte(data: bytes) -> float:
        tracemalloc.start()
        try:
            parse(data, filename="langt.txt", municipality="Aarhus")
            return tracemalloc.get_traced_memory()[1] / len(data)
        finally:
            tracemalloc.stop()

    with budget.time_limit(120):
        small, large = peak_per_byte(LONG_TEXT), peak_per_byte(LONG_TEXT * 4)
    assert large <= 1.5 * small, (small, large)


def test_the_timer_never_raises_inside_the_unraisable_hook(monkeypatch):
    """An _Expired dropped in a __del__ goes to sys.unraisablehook; the timer's next signal
    must not raise inside that report (a test runner's hook, a functools.partial like pytest's,
    then fails the test), only outside it."""
    import functools
    import sys

    seen: list[str] = []

    def report(unraisable, *, to: list[str]) -> None:
        try:
            budget._expire(signal.SIGALRM, sys._getframe())
            to.append("reported")
        except budget._Expired:
            to.append("raised")

    monkeypatch.setattr(sys, "unraisablehook", functools.partial(report, to=seen))
    budget._armed.set()
    try:
        sys.unraisablehook(None)
        with pytest.raises(budget._Expired):
            budget._expire(signal.SIGALRM, sys._getframe())
    finally:
        budget._armed.clear()
    assert seen == ["reported"]
