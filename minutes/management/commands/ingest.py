"""`python manage.py ingest PATH... [--municipality NAME]`: files and folders into the archive."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from minutes.services.ingestion import IngestError, ingest_file

MANIFEST = "manifest.json"


def manifest_municipality(file: Path) -> str | None:
    """The municipality that the nearest manifest.json above the file names for it."""
    file = file.resolve()
    for folder in file.parents:
        manifest = folder / MANIFEST
        if manifest.exists():
            names = json.loads(manifest.read_text("utf-8"))["files"]
            return names.get(file.relative_to(folder).as_posix())
    return None


def collect(paths: list[Path]) -> list[tuple[Path, str | None]]:
    """Every file under the given paths, with the municipality a manifest names for it."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(
                p
                for p in path.rglob("*")
                if p.is_file()
                and p.name != MANIFEST
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
        elif path.is_file():
            files.append(path)
        else:
            raise CommandError(f"{path}: findes ikke")
    return [(file, manifest_municipality(file)) for file in files]


class Command(BaseCommand):
    help = "Indlæs referater (filer eller mapper) i arkivet."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path)
        parser.add_argument(
            "--municipality", help="Kommune for alle filerne, fx 'Høje-Taastrup Kommune'"
        )
        parser.add_argument("--no-progress", action="store_true", help="Ingen statuslinje")

    def handle(
        self, *args, paths: list[Path], municipality: str | None, no_progress: bool, **options
    ):
        files = collect(paths)
        counts: Counter[str] = Counter()
        failures: list[tuple[str, str]] = []
        bar = tqdm(files, unit="fil", disable=no_progress or len(files) < 2, file=self.stderr._out)
        for path, manifest_municipality in bar:
            try:
                result = ingest_file(
                    data=path.read_bytes(),
                    file_name=path.name,
                    municipality=municipality or manifest_municipality,
                )
            except IngestError as exc:
                counts["failed"] += 1
                failures.append((str(path), exc.reason))
                continue
            counts[result.status] += 1
            if options["verbosity"] > 1:
                bar.write(f"{result.status:9} {path}")
        self.stdout.write(self._summary(counts, failures))
        if failures:
            raise CommandError(f"{len(failures)} fil(er) kunne ikke indlæses")

    @staticmethod
    def _summary(counts: Counter[str], failures: list[tuple[str, str]]) -> str:
        labels = [
            ("created", "oprettet"),
            ("updated", "opdateret"),
            ("unchanged", "uændret"),
            ("failed", "fejlet"),
        ]
        rows = [f"{danish:<10} {counts[key]:>6}" for key, danish in labels]
        lines = ["Resultat", "-" * 17, *rows]
        if failures:
            lines += ["", "Fejl:"] + [f"  {path}: {reason}" for path, reason in failures]
        return "\n".join(lines)
