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

    # Slugs are resolved to ids here, not as subqueries: with the ids as constants the planner
    # sees how many items they hold and reaches them through the (municipality|committee, date)
    # indexes, instead of testing every item of a municipality against the text query.
    def filter_municipality(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        ids = Municipality.objects.filter(slug=value).values_list("id", flat=True)
        return queryset.filter(municipality_id__in=list(ids))

    def filter_committee(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        # A committee slug is unique only within its municipality; without a municipality
        # filter, "økonomiudvalget" means every municipality's.
        committees = Committee.objects.filter(slug=value)
        if self.data.get("kommune"):
            committees = committees.filter(municipality__slug=self.data["kommune"])
        return queryset.filter(committee_id__in=list(committees.values_list("id", flat=True)))

    def filter_outcome(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(outcomes__contains=[value])

    def filter_closed(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(closed=value == "lukkede")
