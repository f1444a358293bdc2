"""Reading the next batch of files in other processes while this one writes the current batch.

A bulk import spends about as much CPU in the parser (Python) as in PostgreSQL, one after the
other: with the parsing of batch n + 1 done by worker processes while batch n is written, the
parser and the database work at the same time, and a one-process `manage.py ingest` keeps a
second core busy (the benchmark's loaders too).

Only the pure reading moves (`minutes.parsing.parse`, no database): the writer still resolves
everything against the archive (`ingest_batch` passes each parse to `prepare`), so the archive
ends up exactly as without (tests/test_batch.py). A file whose municipality is not given is
read by the writer as before: there the reading and the municipality it names are resolved
together. A reading that fails in a worker is read again by the writer, which reports it as
it always has, except one that ran out of time: that is refused at once, so that no file
holds the import for twice its time limit.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import replace

from minutes.models import Municipality
from minutes.parsing import budget
from minutes.parsing.worker import read_or_none
from minutes.services.batch import BatchFile
from minutes.services.reading import IngestError, given_municipality


def parsed_ahead(
    batches: Iterable[list[BatchFile]], *, processes: int = 1
) -> Iterator[list[BatchFile]]:
    """The batches in order, each file with its parse (`BatchFile.parsed`) done by `processes`
    worker processes; the next batch is read while the caller handles the one yielded."""
    if processes < 1:
        yield from batches
        return
    limit = budget.current_limit()
    # forkserver: the workers start from a clean process, not a copy of one holding a
    # database connection; they import the parser only (minutes.parsing.worker).
    context = multiprocessing.get_context("forkserver")
    # The fork server (one per process, started by the first pool) imports the parser, and
    # not the caller's main module (its default): each worker starts as a fork with it loaded.
    context.set_forkserver_preload(["minutes.parsing.worker"])
    with ProcessPoolExecutor(processes, mp_context=context) as pool:
        names: dict[object, str | None] = {}
        ahead: list[tuple[list[BatchFile], list[Future | None]]] = []
        for batch in batches:
            ahead.append((batch, [_submit(pool, file, limit, names) for file in batch]))
            if len(ahead) > 1:
                yield _collect(*ahead.pop(0))
        while ahead:
            yield _collect(*ahead.pop(0))


def _submit(
    pool: ProcessPoolExecutor, file: BatchFile, limit: float, names: dict[object, str | None]
) -> Future | None:
    """The file's reading, started; None when the writer is to read it (see the module)."""
    if file.municipality is None or not file.data:
        return None
    # The archive's name for the given municipality, looked up once per import.
    key = file.municipality.pk if isinstance(file.municipality, Municipality) else file.municipality
    if key not in names:
        try:
            municipality = given_municipality(file.file_name, file.municipality, None)
        except IngestError:  # an unknown municipality: the writer reports it
            municipality = None
        names[key] = municipality.name if municipality else None
    if names[key] is None:
        return None
    return pool.submit(read_or_none, file.data, file.file_name, names[key], limit)


def _collect(batch: list[BatchFile], futures: list[Future | None]) -> list[BatchFile]:
    files = []
    for file, future in zip(batch, futures, strict=True):
        result = future.result() if future is not None else None
        if isinstance(result, budget.OverTime):
            files.append(replace(file, over_time=str(result)))
        else:
            files.append(replace(file, parsed=result))
    return files
