"""A hard time budget for reading one file, whatever its format.

Reading must end before the web worker that asked for it is killed (gunicorn's timeout is
30 s), and a hostile file must not hold an importer forever. `parse()` reads every file within
`time_limit()` seconds: PDF text is extracted in a child process that is killed at the deadline
(`pdf.extract_pages` asks `remaining()`), and the text, HTML and XML readers run under a timer
signal that interrupts them wherever they are — inside a regular expression too, since the
regex engine checks for signals. Signals reach only the main thread, so a reading that starts in
another thread (the threaded development server) runs in a child process forked from a clean
server process and is killed at the deadline the same way.

The memory of a reading is bounded by the size of what is read: files are at most
MAX_UPLOAD_BYTES, PDF extraction has its own memory limit, and the text readers use memory
linear in their input (tests/parsing/test_limits.py): about 8 times the text for ordinary
minutes, up to about 40 times for a text of nothing but one-line items.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from typing import TypeVar

from .model import ParseError

T = TypeVar("T")


def _env_seconds(name: str, default: float) -> float:
    try:
        return float(os.environ.get(name, default))
    except ValueError:
        return default


# Below gunicorn's default 30 s worker timeout, with room for the rest of the request. A bulk
# import (`manage.py ingest --time-limit`) may allow more.
DEFAULT_SECONDS = _env_seconds("PARSER_TIME_LIMIT", 20)

_limit: ContextVar[float] = ContextVar("parse_time_limit", default=DEFAULT_SECONDS)
_deadline: ContextVar[float | None] = ContextVar("parse_deadline", default=None)
# Seconds between the timer's repeats once the deadline has passed; set while a reading runs,
# so that a signal still on its way after it ended raises nothing.
RETRY_SECONDS = 0.05
_armed = threading.Event()


class _Expired(BaseException):
    """Raised by the timer inside whatever the reader was doing. A BaseException, so that no
    reader's `except Exception` can swallow it; `within_budget` turns it into a ParseError."""


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Readings started inside this block may take `seconds` each (the import command's
    `--time-limit`); outside it, DEFAULT_SECONDS."""
    token = _limit.set(seconds)
    try:
        yield
    finally:
        _limit.reset(token)


def current_limit() -> float:
    return _limit.get()


def remaining() -> float | None:
    """Seconds left of the reading in progress, or None outside one."""
    deadline = _deadline.get()
    return None if deadline is None else max(0.0, deadline - time.monotonic())


class OverTime(ParseError):
    """A reading refused because it ran out of its time budget (reading it again would too)."""

    def __reduce__(self):
        # Pickled as itself (ParseError's own pickling gives a ParseError): a reading ahead in
        # a worker process (minutes.services.parse_ahead) sends it back.
        return (OverTime, (self.message,))


def refusal(seconds: float) -> OverTime:
    shown = f"{seconds:g}".replace(".", ",")
    return OverTime(
        f"Filen tog mere end {shown} sekunder at læse og blev opgivet; "
        "den er for stor, beskadiget eller bygget til at belaste læseren"
    )


def within_budget(read: Callable[..., T], *args, **kwargs) -> T:
    """`read(*args, **kwargs)` within the current time limit, or a ParseError that says it took
    too long. `read` is a module-level function (a child process is given it by name)."""
    if _deadline.get() is not None:  # already inside a reading (a package's members)
        return read(*args, **kwargs)
    seconds = current_limit()
    if threading.current_thread() is not threading.main_thread():
        return _in_child(seconds, read, args, kwargs)
    deadline = time.monotonic() + seconds
    token = _deadline.set(deadline)
    previous = signal.signal(signal.SIGALRM, _expire)
    _armed.set()
    try:
        try:
            # The timer fires again every RETRY_SECONDS after the deadline: an _Expired raised
            # while Python runs a __del__ or a garbage-collector callback is printed and dropped
            # there, and the reading would go on; the next one stops it.
            signal.setitimer(signal.ITIMER_REAL, seconds, RETRY_SECONDS)
            result = read(*args, **kwargs)
        finally:
            _armed.clear()  # a signal still on its way no longer raises
            signal.setitimer(signal.ITIMER_REAL, 0)
    except _Expired:
        raise refusal(seconds) from None
    finally:
        signal.signal(signal.SIGALRM, previous)
        _deadline.reset(token)
    if time.monotonic() > deadline:
        # Over the budget although no timer interrupted it (a signal arrives only between
        # two steps of the interpreter): refused all the same.
        raise refusal(seconds)
    return result


def _expire(signum, frame) -> None:
    if _armed.is_set() and not _in_unraisable_hook(frame):
        raise _Expired


def _in_unraisable_hook(frame) -> bool:
    """Whether the signal came while sys.unraisablehook reports an _Expired dropped in a
    __del__: raised there too, it would break the report (a test runner's hook fails the test
    with "Failed to process unraisable exception"); the next signal stops the reading instead."""
    hook = sys.unraisablehook
    code = getattr(getattr(hook, "func", hook), "__code__", None)
    while code is not None and frame is not None:
        if frame.f_code is code:
            return True
        frame = frame.f_back
    return False


# --- Outside the main thread: a child process ------------------------------------------------

_CONTEXT: multiprocessing.context.BaseContext | None = None


def _context() -> multiprocessing.context.BaseContext:
    """Children forked from a single-threaded server process that has the parser imported:
    fast to start, and never a copy of a threaded web process with its locks held."""
    global _CONTEXT
    if _CONTEXT is None:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["minutes.parsing"])
        _CONTEXT = context
    return _CONTEXT


def _child(connection, seconds: float, read: Callable[..., T], args, kwargs) -> None:
    _deadline.set(time.monotonic() + seconds)
    try:
        result: tuple[str, object] = ("ok", read(*args, **kwargs))
    except BaseException as exc:  # noqa: BLE001 - every outcome goes back to the parent
        result = ("error", exc)
    try:
        connection.send(result)
    except Exception as exc:  # noqa: BLE001 - e.g. an exception that cannot be pickled
        connection.send(("error", RuntimeError(f"{type(result[1]).__name__}: {exc}")))


def _in_child(seconds: float, read: Callable[..., T], args, kwargs) -> T:
    context = _context()
    receiving, sending = context.Pipe(duplex=False)
    process = context.Process(
        target=_child, args=(sending, seconds, read, args, kwargs), daemon=True
    )
    process.start()
    sending.close()
    try:
        if not receiving.poll(seconds):
            raise refusal(seconds)
        status, value = receiving.recv()
    except EOFError:
        raise ParseError("Læseren stoppede uventet under læsningen af filen") from None
    finally:
        if process.is_alive():
            process.kill()
        process.join()
        receiving.close()
    if status == "error":
        raise value  # type: ignore[misc]
    return value  # type: ignore[return-value]
