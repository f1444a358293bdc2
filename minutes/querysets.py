"""Reads: querysets with one search entry point per searchable model."""

from __future__ import annotations

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import models
from django.db.models import BooleanField, F, FloatField
from django.db.models.expressions import RawSQL

SEARCH_CONFIG = "danish"
# AgendaItem columns that exist only to be parsed into its search vector (ItemSearch.vector).
SEARCH_ONLY_FIELDS = ("text_a", "text_b", "text_c", "text_d")


def search_query(text: str) -> SearchQuery:
    """Web-search syntax: "phrases", OR, -exclusions; Danish stemming and stop words."""
    return SearchQuery(text, search_type="websearch", config=SEARCH_CONFIG)


class AgendaItemQuerySet(models.QuerySet):
    def search(self, text: str) -> AgendaItemQuerySet:
        text = (text or "").strip()
        if not text:
            return self.none()
        query = search_query(text)
        # Matched in the item's search row (ItemSearch.vector, kept by triggers), whose GIN
        # index the full search uses too.
        return (
            self.filter(search_row__vector=query)
            .alias(rank=SearchRank(F("search_row__vector"), query, cover_density=True))
            .order_by("-rank", "-meeting__date", "position")
        )

    def displayed(self) -> AgendaItemQuerySet:
        """Without the columns that only feed the search vector: together with the vector they
        are most of an item's bytes, and no page shows them."""
        return self.defer(*SEARCH_ONLY_FIELDS)

    def with_context(self) -> AgendaItemQuerySet:
        return self.displayed().select_related("meeting__committee__municipality", "case")


class DocumentSectionQuerySet(models.QuerySet):
    def matching(self, tsquery: str, rank_query: str) -> DocumentSectionQuerySet:
        """Sections matching a tsquery built by `minutes.search.parse_query`, best first."""
        return (
            self.filter(
                RawSQL("search_vector @@ %s::tsquery", [tsquery], output_field=BooleanField())
            )
            .alias(
                rank=RawSQL(
                    "ts_rank(search_vector, %s::tsquery)", [rank_query], output_field=FloatField()
                )
            )
            .order_by("-rank", "document__title", "position")
        )
