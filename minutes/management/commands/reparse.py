"""`python manage.py reparse --all | --municipality NAME`: rebuild from the stored originals.

Parsers improve; the originals are kept byte for byte, so every meeting and document can be
rebuilt from them with the current parser. One transaction per document; a document whose
rebuild changes nothing is left exactly as it was.
"""

from __future__ import annotations

from collections import Counter

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from tqdm import tqdm

from minutes.models import SourceFile
from minutes.services.reading import IngestError, resolve_municipality
from minutes.services.rebuild import rebuild_from_source


class Command(BaseCommand):
    help = "Genopbyg møder og dokumenter fra de gemte originalfiler med den nuværende parser."

    def add_arguments(self, parser):
        scope = parser.add_mutually_exclusive_group(required=True)
        scope.add_argument("--all", action="store_true", help="Alle kommuner")
        scope.add_argument("--municipality", help="Kun denne kommune, fx 'Ballerup Kommune'")
        parser.add_argument("--no-progress", action="store_true", help="Ingen statuslinje")

    def handle(self, *args, all: bool, municipality: str | None, no_progress: bool, **options):
        # Only current sources: an earlier version must never overwrite its successor.
        sources = (
            SourceFile.objects.filter(
                Q(meetings__isnull=False) | Q(documents__isnull=False) | Q(items__isnull=False)
            )
            .select_related("municipality")
            .distinct()
            .order_by("municipality__name", "file_name", "pk")
        )
        if municipality:
            try:
                sources = sources.filter(municipality=resolve_municipality(municipality))
            except IngestError as exc:
                raise CommandError(exc.reason) from exc
        # Ids first, then one source at a time: the originals can be large.
        ids = list(sources.values_list("pk", flat=True))
        counts: Counter[str] = Counter()
        changed: list[str] = []
        failures: list[tuple[str, str]] = []
        bar = tqdm(ids, unit="fil", disable=no_progress or len(ids) < 2, file=self.stderr._out)
        for pk in bar:
            source = SourceFile.objects.select_related("municipality").get(pk=pk)
            try:
                result, did_change = rebuild_from_source(source=source)
            except IngestError as exc:
                counts["failed"] += 1
                failures.append((source.file_name, exc.reason))
                continue
            if did_change:
                counts["changed"] += 1
                target = result.target
                where = f" → {target.get_absolute_url()}" if target is not None else ""
                changed.append(f"{source.file_name} ({source.municipality}){where}")
            else:
                counts["unchanged"] += 1
        self.stdout.write(self._summary(counts, changed, failures))
        if failures:
            raise CommandError(f"{len(failures)} fil(er) kunne ikke genopbygges")

    @staticmethod
    def _summary(counts: Counter[str], changed: list[str], failures: list[tuple[str, str]]) -> str:
        labels = [("changed", "ændret"), ("unchanged", "uændret"), ("failed", "fejlet")]
        lines = ["Genopbygning", "-" * 17]
        lines += [f"{danish:<10} {counts[key]:>6}" for key, danish in labels]
        if changed:
            lines += ["", "Ændret:"] + [f"  {line}" for line in changed]
        if failures:
            lines += ["", "Fejl:"] + [f"  {name}: {reason}" for name, reason in failures]
        if not changed and not failures:
            lines += ["", "Intet er ændret."]
        return "\n".join(lines)
