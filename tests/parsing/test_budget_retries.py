"""The time budget holds when its first signal lands where Python drops exceptions.

An exception raised by the budget's timer while Python runs a `__del__` (or a garbage-collector
callback, such as the one hypothesis installs) is printed as "Exception ignored" and dropped,
and the reading went on past its deadline (a flaky tests/parsing/test_limits.py showed it). The
timer now fires again every RETRY_SECONDS after the deadline until the reading stops.
"""

from __future__ import annotations

import signal
import time

import pytest

from minutes.parsing import ParseError, budget


class _SlowToDie:
    def __del__(self) -> None:
        _busy(0.007)  # most of the reading's time is spent here, where exceptions are dropped


def _busy(seconds: float) -> None:
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        pass


def _reading_that_spends_its_time_in_del() -> str:
    end = time.perf_counter() + 3
    while time.perf_counter() < end:
        _SlowToDie()  # made and dropped at once: its __del__ runs here
        _busy(0.003)
    return "read to the end"


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_a_deadline_that_falls_in_a_del_still_stops_the_reading():
    # With one signal, a reading whose deadline fell in the __del__ ran its full 3 s (and is
    # then refused for having ended late): about 7 runs in 10. With the repeating timer, the
    # readings stop within a fraction of a second; one slow run of five is allowed for a
    # machine so busy that the timer's repeats themselves come late.
    stopped = 0
    for _ in range(5):
        start = time.perf_counter()
        with budget.time_limit(0.1), pytest.raises(ParseError, match="sekunder at læse"):
            budget.within_budget(_reading_that_spends_its_time_in_del)
        stopped += time.perf_counter() - start < 1.5
    assert stopped >= 4
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_a_reading_within_its_budget_is_not_stopped_afterwards():
    with budget.time_limit(0.2):
        assert budget.within_budget(str, "x") == "x"
    _busy(0.3)  # no late signal arrives
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
