"""Reads for the search filters: the municipalities, committees and years a visitor chooses from
by name, and the lookups that turn what a URL says (a slug, or a name typed by hand) into the
slugs the search filters on.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef

from .models import Committee, Meeting, Municipality
from .services.reading import archive_municipality


def _with_meetings(municipalities):
    return municipalities.filter(
        Exists(Meeting.objects.filter(committee__municipality=OuterRef("pk")))
    )


def municipality_choices() -> list[tuple[str, str]]:
    """(slug, name) of every municipality with minutes in the archive, by name."""
    return list(_with_meetings(Municipality.objects.order_by("name")).values_list("slug", "name"))


def committee_choices(municipality_slug: str | None) -> list[tuple[str, str]]:
    """(slug, name) of the committees with meetings: the municipality's own when one is chosen,
    otherwise each committee name once (without a municipality, a committee slug means that
    committee in every municipality — see ItemSearchFilter.filter_committee)."""
    committees = Committee.objects.filter(Exists(Meeting.objects.filter(committee=OuterRef("pk"))))
    if municipality_slug:
        committees = committees.filter(municipality__slug=municipality_slug)
    names: dict[str, str] = {}
    for slug, name in committees.order_by("name").values_list("slug", "name"):
        names.setdefault(slug, name)
    return sorted(names.items(), key=lambda pair: pair[1].lower())


def year_choices() -> list[int]:
    """The years the archive holds meetings from, newest first."""
    return [day.year for day in Meeting.objects.dates("date", "year", order="DESC")]


def find_municipality(value: str) -> Municipality | None:
    """The archive's municipality for a slug, or a name in any common spelling
    ("Høje-Taastrup", "høje-taastrup kommune")."""
    found = Municipality.objects.filter(slug=value.strip().lower()).first()
    return found or archive_municipality(value.strip())


def has_meetings(municipality: Municipality) -> bool:
    return Meeting.objects.filter(committee__municipality=municipality).exists()


def find_committees(value: str, municipality: Municipality | None) -> list[Committee]:
    """The committees a slug or name means: within the municipality when one is chosen,
    otherwise every municipality's committee of that name."""
    committees = Committee.objects.select_related("municipality").filter(
        Exists(Meeting.objects.filter(committee=OuterRef("pk")))
    )
    if municipality is not None:
        committees = committees.filter(municipality=municipality)
    value = value.strip()
    return list(committees.filter(slug=value.lower())) or list(
        committees.filter(name__iexact=value)
    )
