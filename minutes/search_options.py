"""Reads for the search filters: the municipalities, committees and years a visitor chooses from
by name, and the lookups that turn what a URL says (a slug, or a name typed by hand) into the
slugs the search filters on. The lists are cached until the archive changes (archive_cache):
grouping every meeting by year for each search page was a third of its SQL time.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef

from .archive_cache import cached_for_archive
from .models import Committee, Meeting, Municipality
from .services.reading import archive_municipality


def _has_meetings(committee_field: str = "committee"):
    return Exists(Meeting.objects.filter(**{committee_field: OuterRef("pk")}))


def choices(
    municipality_slug: str | None,
) -> tuple[list[tuple[str, str]], list[tuple[str, str]], list[int]]:
    """The municipality list and the committee list, (slug, name) by name, and the years the
    archive holds meetings from, newest first.

    Municipalities: every one with minutes in the archive. Committees: the chosen
    municipality's, otherwise each committee name once (without a municipality, a committee
    slug means that committee in every municipality — see ItemSearchFilter.filter_committee).
    """
    rows, years = cached_for_archive("search-choices", _read_choices)
    municipalities: dict[str, str] = {}
    committees: dict[str, str] = {}
    for municipality_slug_, municipality_name, slug, name in rows:
        municipalities.setdefault(municipality_slug_, municipality_name)
        if not municipality_slug or municipality_slug_ == municipality_slug:
            committees.setdefault(slug, name)
    return (
        list(municipalities.items()),
        sorted(committees.items(), key=lambda pair: pair[1].lower()),
        years,
    )


def _read_choices() -> tuple[list[tuple[str, str, str, str]], list[int]]:
    """Every committee with meetings with its municipality (one query), and the years."""
    rows = list(
        Committee.objects.filter(_has_meetings())
        .order_by("municipality__name", "name")
        .values_list("municipality__slug", "municipality__name", "slug", "name")
    )
    years = [day.year for day in Meeting.objects.dates("date", "year", order="DESC")]
    return rows, years


def find_municipality(value: str) -> Municipality | None:
    """The archive's municipality for a slug, or a name in any common spelling
    ("Høje-Taastrup", "høje-taastrup kommune")."""
    found = (
        Municipality.objects.annotate(has_meetings=_has_meetings("committee__municipality"))
        .filter(slug=value.strip().lower())
        .first()
    )
    return found or archive_municipality(value.strip())


def has_meetings(municipality: Municipality) -> bool:
    if hasattr(municipality, "has_meetings"):  # annotated by find_municipality
        return municipality.has_meetings
    return Meeting.objects.filter(committee__municipality=municipality).exists()


def find_committees(value: str, municipality: Municipality | None) -> list[Committee]:
    """The committees a slug or name means: within the municipality when one is chosen,
    otherwise every municipality's committee of that name."""
    committees = Committee.objects.select_related("municipality").filter(_has_meetings())
    if municipality is not None:
        committees = committees.filter(municipality=municipality)
    value = value.strip()
    return list(committees.filter(slug=value.lower())) or list(
        committees.filter(name__iexact=value)
    )
