"""Reads: querysets with one search entry point per searchable model."""

from __future__ import annotations

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import models
from django.db.models import F

from .prepared import prepared_cursor

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
    def matching(self, tsquery: str, rank_query: str, *, limit: int) -> list:
        """The `limit` best sections matching a tsquery built by `minutes.search.parse_query`,
        with their document and its municipality.

        The ids come from a prepared statement (minutes.prepared) and only the sections found
        are read by the ORM: compiling the ORM's query on every search cost a millisecond of
        Python, for a list that is most often empty."""
        with prepared_cursor() as cursor:
            cursor.execute(
                "SELECT s.id FROM minutes_documentsection s "
                "JOIN minutes_document d ON d.id = s.document_id "
                "WHERE s.search_vector @@ %s::tsquery "
                "ORDER BY ts_rank(s.search_vector, %s::tsquery) DESC, d.title, s.position "
                "LIMIT %s",
                [tsquery, rank_query, limit],
            )
            ids = [row[0] for row in cursor.fetchall()]
        if not ids:
            return []
        found = self.select_related("document__municipality").in_bulk(ids)
        return [found[pk] for pk in ids]
