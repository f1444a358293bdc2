"""The search filters, one FilterSet for the results page, the API, CSV and the feed.

Every filter is a condition on minutes_itemsearch columns alone (slugs become subqueries), so
search.py can put the FilterSet's WHERE clause into its hand-written ranking SQL.
"""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet

from .models import Committee, Decision, ItemSearch, Municipality

CLOSED_CHOICES = [("aabne", "Kun åbne punkter"), ("lukkede", "Kun lukkede punkter")]


class ItemSearchFilter(django_filters.FilterSet):
    kommune = django_filters.CharFilter(method="filter_municipality", label="Kommune")
    udvalg = django_filters.CharFilter(method="filter_committee", label="Udvalg")
    fra = django_filters.DateFilter(field_name="date", lookup_expr="gte", label="Fra dato")
    til = django_filters.DateFilter(field_name="date", lookup_expr="lte", label="Til dato")
    # A date range (Django turns __year into BETWEEN), so the date indexes serve it.
    aar = django_filters.NumberFilter(field_name="date", lookup_expr="year", label="År")
    udfald = django_filters.ChoiceFilter(
        choices=Decision.Outcome.choices, method="filter_outcome", label="Beslutning"
    )
    lukket = django_filters.ChoiceFilter(
        choices=CLOSED_CHOICES, method="filter_closed", label="Åbne/lukkede"
    )

    class Meta:
        model = ItemSearch
        fields: list[str] = []

    def filter_municipality(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(
            municipality__in=Municipality.objects.filter(slug=value).values("id")
        )

    def filter_committee(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        # A committee slug is unique only within its municipality; without a municipality
        # filter, "økonomiudvalget" means every municipality's.
        return queryset.filter(committee__in=Committee.objects.filter(slug=value).values("id"))

    def filter_outcome(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(outcomes__contains=[value])

    def filter_closed(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(closed=value == "lukkede")
