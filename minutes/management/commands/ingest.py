"""`python manage.py ingest PATH... [--municipality NAME]`: files, folders and zips into the archive.

A file whose parse shows the signs of a failed read (`minutes.parsing.quality`) is held, not
published: it is reported by name with its problems. `--accept-warnings` publishes such files as
read; `--committee`, `--date` and `--kind` correct what was read (for every file given).
`--queue` stages the files as one batch for the background jobs instead (`manage.py worker`
ingests them and writes the upload log).

A database error (a statement timeout, a lost connection, a refused row) costs only the file it
happened in: the command carries on with the next, reports the file by name with the error, and
exits non-zero. Every file is recorded in the upload log (`minutes.services.audit`), those that
went in above all; a log row that cannot be written either is reported by name.
"""

from __future__ import annotations

import argparse
import getpass
import json
from collections import Counter, deque
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from tqdm import tqdm

from minutes.models import UploadAudit, UploadBatch
from minutes.parsing import budget
from minutes.parsing.conventions import find_date
from minutes.parsing.model import Kind
from minutes.services import audit, jobs, staging
from minutes.services.batch import (
    BATCH_FILES,
    BatchFile,
    database_error,
    database_reason,
    ingest_batch,
    recover_connection,
)
from minutes.services.parse_ahead import parsed_ahead
from minutes.services.reading import IngestError, resolve_municipality
from minutes.services.upload import from_path

MANIFEST = "manifest.json"
# --kind in Danish, as the admin says it.
KINDS: dict[str, Kind] = {"referat": "minutes", "dagsorden": "agenda", "dokument": "document"}


def _date(value: str) -> date:
    found = find_date(value)
    if found is None:
        raise argparse.ArgumentTypeError(f"'{value}' er ikke en dato (fx 2025-10-08)")
    return found


def find_manifest(file: Path) -> tuple[Path, dict[str, str]] | None:
    """The nearest manifest.json above a file: its folder and the files it names."""
    for folder in file.resolve().parents:
        manifest = folder / MANIFEST
        if manifest.exists():
            return folder, json.loads(manifest.read_text("utf-8"))["files"]
    return None


def manifest_municipality(file: Path) -> str | None:
    """The municipality that the nearest manifest.json above the file names for it."""
    found = find_manifest(file)
    if found is None:
        return None
    folder, names = found
    return names.get(file.resolve().relative_to(folder).as_posix())


def collect(paths: list[Path]) -> tuple[list[tuple[Path, str | None]], list[Path]]:
    """Every file under the given paths, with the municipality a manifest names for it, and
    the files left out.

    In a folder under a manifest.json only the files the manifest names are taken, so that
    other material kept beside them (expected parser output, notes) is not read as minutes.
    A file given by name is always taken.
    """
    files: list[tuple[Path, str | None]] = []
    skipped: list[Path] = []
    for path in paths:
        if path.is_dir():
            for file in sorted(
                p
                for p in path.rglob("*")
                if p.is_file()
                and p.name != MANIFEST
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            ):
                found = find_manifest(file)
                if found is None:
                    files.append((file, None))
                    continue
                folder, names = found
                relative = file.resolve().relative_to(folder).as_posix()
                if relative in names:
                    files.append((file, names[relative]))
                else:
                    skipped.append(file)
        elif path.is_file():
            files.append((path, manifest_municipality(path)))
        else:
            raise CommandError(f"{path}: findes ikke")
    return files, skipped


def _operator() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name in some containers
        return ""


# Seconds a file may take to read in an import (the web's budget is parsing.budget's default).
IMPORT_TIME_LIMIT = 120.0


class Command(BaseCommand):
    help = "Indlæs referater (filer, mapper eller zip-filer) i arkivet."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path)
        parser.add_argument(
            "--municipality", help="Kommune for alle filerne, fx 'Høje-Taastrup Kommune'"
        )
        parser.add_argument("--no-progress", action="store_true", help="Ingen statuslinje")
        parser.add_argument(
            "--parse-processes",
            type=int,
            default=1,
            help="Processer, der læser næste bunke filer, mens denne skrives (0: læs i denne "
            "proces; standard 1). Gælder filer med kommune angivet (--municipality eller manifest).",
        )
        parser.add_argument(
            "--accept-warnings",
            action="store_true",
            help="Indlæs også filer, der ser forkert læst ud (ellers holdes de tilbage)",
        )
        parser.add_argument("--committee", help="Udvalg for alle filerne (retter det læste)")
        parser.add_argument(
            "--date", type=_date, help="Mødedato for alle filerne, fx 2025-10-08 eller 08-10-2025"
        )
        parser.add_argument(
            "--kind",
            choices=sorted(KINDS),
            help="Hvad filerne er: referat, dagsorden eller dokument (retter det læste)",
        )
        parser.add_argument(
            "--queue",
            action="store_true",
            help="Læg filerne i kø til baggrundsjobbene (`manage.py worker` indlæser dem) i "
            "stedet for at indlæse dem her",
        )
        parser.add_argument(
            "--time-limit",
            type=float,
            default=IMPORT_TIME_LIMIT,
            metavar="SEKUNDER",
            help=f"Længste tid, en fil må tage at læse (standard {IMPORT_TIME_LIMIT:g} s; "
            "en webforespørgsel har PARSER_TIME_LIMIT)",
        )

    def handle(self, *args, time_limit: float, **options):
        # An import has no web worker waiting on it: a long real PDF may take longer than the
        # web's budget, but no file may hold the import forever.
        with budget.time_limit(time_limit):
            self._ingest(*args, **options)

    def _ingest(
        self,
        *args,
        paths: list[Path],
        municipality: str | None,
        no_progress: bool,
        queue: bool,
        **options,
    ):
        corrections = {
            "committee": options["committee"],
            "meeting_date": options["date"],
            "kind": KINDS[options["kind"]] if options["kind"] else None,
            "accept_problems": options["accept_warnings"],
        }
        if municipality:
            # A misspelt name would fail every file; say so once, before anything is read.
            try:
                municipality = resolve_municipality(municipality).name
            except IngestError as exc:
                raise CommandError(exc.reason) from exc
        files, skipped = collect(paths)
        if skipped:
            self.stdout.write(
                f"Sprunget over: {len(skipped)} fil(er), som manifest.json ikke nævner "
                f"(fx {skipped[0]})"
            )
        if queue:
            self._queue(files, municipality, corrections)
            return
        batch = audit.new_batch()
        operator = _operator()
        counts: Counter[str] = Counter()
        failures: list[tuple[str, str]] = []
        held: list[tuple[str, str]] = []
        unlogged: list[tuple[str, str]] = []  # stored or refused, but no upload-log row

        def log(common: dict, **outcome) -> None:
            try:
                audit.record(**common, **outcome)
            except DatabaseError as exc:  # audit.record has tried a new connection already
                recover_connection()
                unlogged.append((common["label"], database_reason(exc)))

        def write(files: list[BatchFile], commons: list[dict]) -> None:
            # The new meetings of a batch go in together (ingest_batch); each file still gets
            # its own result, audit row and line in the summary.
            try:
                results = ingest_batch(files=files)
            except DatabaseError as exc:
                # Raised before anything of this batch was stored: each file failed with it.
                results = [database_error(file.file_name, exc) for file in files]
            for common, result in zip(commons, results, strict=True):
                if isinstance(result, IngestError):
                    counts["held" if result.held else "failed"] += 1
                    (held if result.held else failures).append((common["label"], result.reason))
                    log(common, reason=result.reason, held=result.held)
                    continue
                log(common, result=result)
                counts[result.status] += 1
                if options["verbosity"] > 1:
                    bar.write(f"{result.status:9} {common['label']}")

        # The audit fields of each batch's files, in the order the batches are written.
        commons: deque[list[dict]] = deque()

        def batches() -> Iterator[list[BatchFile]]:
            pending: list[tuple[BatchFile, dict]] = []
            for path, named_in_manifest in bar:
                # A zip becomes its members; a refused file or zip becomes one failure.
                for incoming in from_path(path):
                    common = {
                        "batch": batch,
                        "channel": UploadAudit.Channel.COMMAND,
                        "label": incoming.label,
                        "username": operator,
                        "size": incoming.size,
                        "sha256": incoming.sha256,
                    }
                    if not incoming.ok:
                        reason = incoming.error or "Filen kan ikke læses."
                        counts["failed"] += 1
                        failures.append((incoming.label, reason))
                        log(common, reason=reason)
                        continue
                    file = BatchFile(
                        incoming.data or b"",
                        incoming.file_name,
                        municipality or named_in_manifest,
                        **corrections,
                    )
                    pending.append((file, common))
                    if len(pending) >= BATCH_FILES:
                        commons.append([c for _, c in pending])
                        yield [f for f, _ in pending]
                        pending = []
            if pending:
                commons.append([c for _, c in pending])
                yield [f for f, _ in pending]

        bar = tqdm(files, unit="fil", disable=no_progress or len(files) < 2, file=self.stderr._out)
        # The next batch is read by other processes while this one is written.
        for files_read in parsed_ahead(batches(), processes=options["parse_processes"]):
            write(files_read, commons.popleft())
        self.stdout.write(self._summary(counts, failures, held, unlogged))
        if failures or held or unlogged:
            raise CommandError(
                ", ".join(
                    part
                    for part in (
                        f"{len(failures)} fil(er) kunne ikke indlæses" if failures else "",
                        f"{len(held)} fil(er) holdt tilbage (se ovenfor; --accept-warnings "
                        "indlæser dem som læst)"
                        if held
                        else "",
                        f"{len(unlogged)} fil(er) mangler i uploadloggen" if unlogged else "",
                    )
                    if part
                )
            )

    def _queue(
        self, files: list[tuple[Path, str | None]], municipality: str | None, corrections: dict
    ) -> None:
        """Stage the files as one batch for the ingest job; the worker ingests and logs them."""
        upload = staging.stage(
            files=[
                (
                    incoming,
                    staging.encode_choices(
                        municipality=municipality or named_in_manifest, **corrections
                    ),
                )
                for path, named_in_manifest in files
                for incoming in from_path(path)
            ],
            channel=UploadAudit.Channel.COMMAND,
            username=_operator(),
            state=UploadBatch.State.INGESTING,
        )
        jobs.enqueue_ingest(upload)
        self.stdout.write(
            f"Lagt i kø: {upload.total} fil(er) som upload {upload.pk}. `manage.py worker` "
            "indlæser dem; uploadloggen viser resultatet for hver fil."
        )

    @staticmethod
    def _summary(
        counts: Counter[str],
        failures: list[tuple[str, str]],
        held: list[tuple[str, str]],
        unlogged: list[tuple[str, str]],
    ) -> str:
        labels = [
            ("created", "oprettet"),
            ("updated", "opdateret"),
            ("unchanged", "uændret"),
            ("held", "tilbageholdt"),
            ("failed", "fejlet"),
        ]
        rows = [f"{danish:<12} {counts[key]:>6}" for key, danish in labels]
        lines = ["Resultat", "-" * 19, *rows]
        if held:
            lines += ["", "Holdt tilbage til kontrol:"] + [
                f"  {path}: {reason}" for path, reason in held
            ]
        if failures:
            lines += ["", "Fejl:"] + [f"  {path}: {reason}" for path, reason in failures]
        if unlogged:
            lines += ["", "Ikke skrevet i uploadloggen (se filerne efter i arkivet):"] + [
                f"  {path}: {reason}" for path, reason in unlogged
            ]
        return "\n".join(lines)
