"""The search the results page, the API and the feeds run: filters, ranking, facets, snippets."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.contrib.postgres.search import SearchHeadline
from django.db.models import Count, F, QuerySet, TextField, Value
from django.db.models.functions import Concat, ExtractYear

from .highlight import START, STOP, render_marked
from .models import AgendaItem, Case, Decision, DocumentSection
from .parsing.conventions import CASE_NUMBER_PATTERNS, normalise_case_number
from .querysets import search_query

_CASE_QUERY = re.compile(r"^(?:sag(?:s?nr\.?|snummer)?\.?\s*:?\s*)?(?P<number>.+)$", re.IGNORECASE)


def case_number_in_query(text: str) -> str | None:
    """The normalised case number when the whole query is one, in any common spelling."""
    candidate = _CASE_QUERY.match(text.strip())["number"].strip()
    candidate = re.sub(r"(?<=\d)\s*([./-])\s*(?=[\dA-ZÆØÅa-zæøå])", r"\1", candidate)
    compact = candidate.replace(" ", "")
    if re.fullmatch(r"(\d{2}|\d{4})-\d{1,7}", compact):
        return normalise_case_number(compact)
    for pattern in CASE_NUMBER_PATTERNS:
        match = pattern.fullmatch(compact) or pattern.fullmatch(candidate)
        if match:
            return normalise_case_number(match.group(0))
    return None


@dataclass
class SearchResults:
    query: str
    items: QuerySet
    count: int
    facets: dict[str, list[dict[str, Any]]]
    cases: list[Case] = field(default_factory=list)
    documents: list[DocumentSection] = field(default_factory=list)
    redirect_to: Any = None
    empty_reason: str | None = None

    def attach_snippets(self, page) -> None:
        """ts_headline only on the rows shown."""
        rows = list(page)
        if not rows:
            return
        query = search_query(self.query)
        snippets = dict(
            AgendaItem.objects.filter(pk__in=[r.pk for r in rows])
            .annotate(
                snippet=SearchHeadline(
                    Concat(
                        F("text_b"),
                        Value("\n"),
                        F("text_c"),
                        Value("\n"),
                        F("text_d"),
                        output_field=TextField(),
                    ),
                    query,
                    config="danish",
                    start_sel=START,
                    stop_sel=STOP,
                    max_fragments=2,
                    max_words=30,
                    min_words=12,
                    fragment_delimiter=" … ",
                )
            )
            .values_list("pk", "snippet")
        )
        for row in rows:
            row.snippet = render_marked(snippets.get(row.pk) or "")


def run_search(params: dict[str, Any]) -> SearchResults:
    text = (params.get("q") or "").strip()
    cases: list[Case] = []
    case_number = case_number_in_query(text)
    if case_number:
        cases = list(Case.objects.filter(normalised=case_number).select_related("municipality"))
        if params.get("kommune"):
            cases = [c for c in cases if c.municipality.slug == params["kommune"]]
        if len(cases) == 1:
            return SearchResults(
                text, AgendaItem.objects.none(), 0, {}, cases, redirect_to=cases[0]
            )

    items = AgendaItem.objects.search(text)
    items = _filter(items, params)
    if params.get("sortering") == "nyeste":
        items = items.order_by("-meeting__date", "position")
    elif params.get("sortering") == "aeldste":
        items = items.order_by("meeting__date", "position")
    items = items.with_context()
    count = items.count()
    facets = _facets(items) if count else {}
    documents = list(
        DocumentSection.objects.search(text).select_related("document__municipality")[:5]
    )
    reason = None
    if count == 0 and not cases:
        probe = AgendaItem.objects.raw(
            "SELECT 1 AS id, numnode(websearch_to_tsquery('danish', %s)) AS nodes", [text]
        )
        if next(iter(probe)).nodes == 0:
            reason = "Søgningen består kun af fyldord eller tegn, som ikke søges på (fx 'og', 'i', 'at')."
    return SearchResults(text, items, count, facets, cases, documents, empty_reason=reason)


def _filter(items: QuerySet, params: dict[str, Any]) -> QuerySet:
    if params.get("kommune"):
        items = items.filter(meeting__committee__municipality__slug=params["kommune"])
    if params.get("udvalg"):
        items = items.filter(meeting__committee__slug=params["udvalg"])
    if params.get("fra"):
        items = items.filter(meeting__date__gte=params["fra"])
    if params.get("til"):
        items = items.filter(meeting__date__lte=params["til"])
    if params.get("aar"):
        items = items.filter(meeting__date__year=params["aar"])
    if params.get("udfald"):
        items = items.filter(decisions__outcome=params["udfald"], decisions__this_meeting=True)
    return items


def _facets(items: QuerySet) -> dict[str, list[dict[str, Any]]]:
    base = items.order_by()
    return {
        "kommune": list(
            base.values(
                slug=F("meeting__committee__municipality__slug"),
                label=F("meeting__committee__municipality__name"),
            )
            .annotate(n=Count("id"))
            .order_by("-n", "label")
        ),
        "udvalg": list(
            base.values(slug=F("meeting__committee__slug"), label=F("meeting__committee__name"))
            .annotate(n=Count("id"))
            .order_by("-n", "label")[:15]
        ),
        "aar": list(
            base.annotate(y=ExtractYear("meeting__date"))
            .values(slug=F("y"), label=F("y"))
            .annotate(n=Count("id"))
            .order_by("-slug")
        ),
        "udfald": [
            {
                "slug": row["decisions__outcome"],
                "label": Decision.Outcome(row["decisions__outcome"]).label,
                "n": row["n"],
            }
            for row in base.filter(decisions__this_meeting=True)
            .values("decisions__outcome")
            .annotate(n=Count("id", distinct=True))
            .order_by("-n")
        ],
    }
