"""Search pages and machine formats: HTML results, JSON API, CSV download, Atom feed.

All four take the same parameters (SearchForm) and run the same search (run_search). A query
stopped by the statement timeout gives a friendly message with status 503, never a 500; a
database that cannot be reached is left to DatabaseUnavailableMiddleware's 503 page ("Arkivet
er midlertidigt utilgængeligt"), not called a slow search.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import datetime, time
from typing import Any
from urllib.parse import urlencode

from django.contrib.syndication.views import Feed
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import OperationalError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.html import escape

from . import exports, selectors
from .exports import (
    ITEM_COLUMNS,
    csv_response,
    flat_item_row,
    item_records,
    started,
)
from .feeds import XmlSafeAtom1Feed
from .forms import SearchForm
from .highlight import highlighter_for
from .item_decisions import item_outcomes
from .middleware import timed_out
from .models import AgendaItem
from .search import PAGE_SIZE, SearchResults, item_url, result_rows, run_search
from .search_suggest import completions, notice_links
from .text import danish_date

TIMEOUT_MESSAGE = (
    "Søgningen tog for lang tid og blev stoppet. Prøv med flere eller mere præcise ord, "
    "eller afgræns med kommune, udvalg eller periode."
)
INVALID_MESSAGE = "Søgningen kunne ikke forstås. Se fejlene i formularen."
CSV_LIMIT = 1000
FEED_ENTRIES = 50
FILTER_NAMES = ("kommune", "udvalg", "aar", "fra", "til", "udfald", "lukket")
# The empty search page shows these as links: one of each kind of search.
EXAMPLES = [
    ("botilbud", "et ord"),
    ('"plan for det specialiserede socialområde"', "en frase"),
    ("frivillig*", "alle ord, der begynder sådan"),
    ("budget -anlæg", "uden et ord"),
    ("17/10000", "et sagsnummer"),
]


def _params(form: SearchForm) -> dict[str, Any]:
    return form.cleaned_data


def _query_string(form: SearchForm, **changes: Any) -> str:
    """The current search's parameters with some changed (None removes one), without page."""
    data = {k: v for k, v in form.data.items() if k in form.fields and v not in ("", None)}
    data.pop("side", None)
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = str(value)
    return urlencode(data)


def _timeout_response(request: HttpRequest, form: SearchForm, *, json: bool = False):
    if json:
        return JsonResponse({"error": TIMEOUT_MESSAGE}, status=503)
    return render(
        request,
        "minutes/search.html",
        {"form": form, "results": None, "page": None, "error": TIMEOUT_MESSAGE},
        status=503,
    )


def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    context: dict[str, Any] = {"form": form, "results": None, "page": None}
    valid = form.is_bound and form.is_valid()
    canonical = form.normalised_query() if valid else None
    if canonical is not None:
        # The URL named a municipality or committee by name: the slug's URL shows it chosen.
        return redirect(reverse("minutes:search") + "?" + urlencode(canonical))
    context["active_filters"] = _active_filters(form) if valid else []
    if not valid or not form.cleaned_data["q"]:
        form.offer_choices()
        context.update(
            examples=[(text, kind, urlencode({"q": text})) for text, kind in EXAMPLES],
            municipalities=selectors.municipalities_with_content(),
        )
        return render(request, "minutes/search.html", context, status=400 if form.errors else 200)
    try:
        # A savepoint: a cancelled statement must not poison the surrounding transaction.
        with transaction.atomic():
            results = run_search(_params(form))
            if results.redirect_to:
                return redirect(results.redirect_to)
            page = Paginator(results.items, PAGE_SIZE).get_page(request.GET.get("side"))
            results.attach_snippets(page.object_list)
            _attach_outcomes(page.object_list, results.query)
            form.offer_choices(*_option_counts(form, results))
    except OperationalError as exc:
        if not timed_out(exc):
            raise  # unreachable, not slow: the middleware's 503 page
        form.offer_choices()
        return _timeout_response(request, form)
    feed_query = _query_string(form, sortering=None)
    context.update(
        results=results,
        page=page,
        documents=_documents(results.documents, form.municipality),
        page_query=_query_string(form),
        feed_query=feed_query,
        # "Følg søgningen" near the top of the results (includes/follow.html).
        feed_url=reverse("minutes:search_feed") + "?" + feed_query,
        notice_links=notice_links(results, lambda q: _query_string(form, q=q)),
    )
    return render(request, "minutes/search.html", context)


def _attach_outcomes(items: list[AgendaItem], query: str) -> None:
    """Each result's decision (or Indstilling) beside it, its first line with the search words
    marked, and the title marked: two queries for the outcomes, two for the marking."""
    outcomes = item_outcomes(items)
    texts = []
    for item in items:
        outcome = outcomes[item.pk]
        item.outcome = outcome
        texts += [item.title, outcome.decision_first_line, outcome.recommendation_first_line]
    highlighter = highlighter_for(query, texts)
    for item in items:
        mark = highlighter.mark if highlighter else escape
        item.marked_title = mark(item.title)
        item.decision_line = mark(item.outcome.decision_first_line)
        item.recommendation_line = mark(item.outcome.recommendation_first_line)


def _option_counts(
    form: SearchForm, results: SearchResults
) -> tuple[dict[str, dict[str, str]], set[str]]:
    """The number of matches each choice of the filter lists gives, as "(12)" for its label.

    A list already chosen shows no numbers: its facet counts only within the choice. Returns
    the numbers and the lists whose facet is complete, where a choice without a number has 0.
    """
    if not results.count:
        return {}, set()
    about = "ca. " if results.count_is_estimate else ""
    counts: dict[str, dict[str, str]] = {}
    for name, rows in results.facets.items():
        if form.cleaned_data.get(name) not in (None, ""):
            continue
        totals: dict[str, int] = {}
        for row in rows:
            totals[str(row.slug)] = totals.get(str(row.slug), 0) + row.n
        counts[name] = {value: f"({about}{n})" for value, n in totals.items()}
    # The committee facet holds only the largest committees; estimates may miss small groups.
    complete = set() if results.count_is_estimate else set(counts) - {"udvalg"}
    return counts, complete


def _documents(sections, municipality) -> list[dict[str, Any]]:
    """The matching document sections, one entry per document with its sections' headings;
    only the chosen municipality's documents when one is chosen."""
    documents: dict[int, dict[str, Any]] = {}
    for section in sections:
        if municipality is not None and section.document.municipality_id != municipality.pk:
            continue
        entry = documents.setdefault(
            section.document_id, {"document": section.document, "headings": []}
        )
        if section.heading and section.heading not in entry["headings"]:
            entry["headings"].append(section.heading)
    return list(documents.values())


def _active_filters(form: SearchForm) -> list[dict[str, str]]:
    """The filters in use by name, each with the link that removes it."""
    named = {"kommune": form.municipality, "udvalg": form.committee}
    active = []
    for name in FILTER_NAMES:
        value = form.cleaned_data.get(name)
        if value in (None, ""):
            continue
        field = form.fields[name]
        if named.get(name) is not None:
            shown = named[name].name
        elif hasattr(value, "strftime"):
            shown = danish_date(value)
        else:
            shown = dict(getattr(field, "choices", [])).get(value, value)
        changes: dict[str, Any] = {name: None}
        if name == "kommune":
            changes["udvalg"] = None  # the committee list belongs to the municipality
        active.append(
            {"label": field.label, "value": str(shown), "query": _query_string(form, **changes)}
        )
    return active


# --- Machine formats -------------------------------------------------------------------------


def search_api(request: HttpRequest) -> JsonResponse:
    form = SearchForm(request.GET or None)
    if not form.is_bound or not form.is_valid() or not form.cleaned_data["q"]:
        errors = form.errors.get_json_data() if form.is_bound else {}
        if not errors:
            errors = {"q": [{"message": "Angiv en søgning med q=…", "code": "required"}]}
        return JsonResponse({"error": INVALID_MESSAGE, "fields": errors}, status=400)
    try:
        with transaction.atomic():
            results = run_search(_params(form))
            payload = _api_payload(request, form, results)
    except OperationalError as exc:
        if not timed_out(exc):
            raise  # unreachable, not slow: the middleware's 503 page
        return _timeout_response(request, form, json=True)
    return JsonResponse(payload, json_dumps_params={"ensure_ascii": False})


def _api_payload(request: HttpRequest, form: SearchForm, results: SearchResults) -> dict:
    payload: dict[str, Any] = {
        "query": results.query,
        "sort": results.sort,
        "total": results.count,
        "total_is_estimate": results.count_is_estimate,
        "explanation": results.empty_reason,
        "cases": [
            {
                "number": c.number,
                "municipality": c.municipality.name,
                "url": request.build_absolute_uri(c.get_absolute_url()),
            }
            for c in results.cases
        ],
        "redirect": request.build_absolute_uri(results.redirect_to.get_absolute_url())
        if results.redirect_to
        else None,
        "notices": _api_notices(request, form, results),
        "page": 1,
        "pages": 0,
        "results": [],
        "facets": {},
    }
    if results.redirect_to:
        return payload
    paginator = Paginator(results.items, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("side"))
    results.attach_snippets(page.object_list)
    rows = result_rows(results, page.object_list)
    records = item_records(page.object_list, item_url_of(request, results))
    for row, record in zip(rows, records, strict=True):
        row["url"] = record["url"]
        row["recommendation"] = record["recommendation"]
        row["decision"] = record["decision"]
    payload.update(
        page=page.number,
        pages=paginator.num_pages,
        results=rows,
        facets={
            name: [
                {
                    "value": f.slug,
                    "label": f.label,
                    "count": f.n,
                    **({"municipality": f.extra["kommune"]} if "kommune" in f.extra else {}),
                    "url": request.build_absolute_uri(
                        reverse("minutes:search_api")
                        + "?"
                        + _query_string(form, **{name: f.slug, **f.extra})
                    ),
                }
                for f in facet_rows
            ]
            for name, facet_rows in results.facets.items()
        },
    )
    return payload


def _api_notices(request: HttpRequest, form: SearchForm, results: SearchResults) -> dict:
    """What the search did besides the query as typed, as the page says it above the results
    (includes/search_notices.html), each link the same search in JSON with another query."""

    def api_url(query: str) -> str:
        return request.build_absolute_uri(
            reverse("minutes:search_api") + "?" + _query_string(form, q=query)
        )

    case_text = None
    if results.unknown_case:
        digits = notice_links(results, lambda q: q).get("case_text")
        if digits:
            case_text = {"text": digits["text"], "url": api_url(digits["query"])}
    return {
        "understood": results.understood or None,
        "searched": results.searched or None,
        "correction": results.correction or None,
        "suggestions": [{"text": s, "url": api_url(s)} for s in results.suggestions],
        "relaxed_words": results.relaxed_words,
        "dropped_words": results.dropped_words,
        "unknown_case": results.unknown_case or None,
        "case_text": case_text,
    }


# Suggestions as one types change only as the vocabulary grows: kept this long, here and in the
# browser.
SUGGEST_SECONDS = 600


def search_suggest(request: HttpRequest) -> JsonResponse:
    """The query with its last word completed from the archive's title words, for the search
    field's suggestions (static/js/suggest.js): `{"query": q, "suggestions": [...]}`. Any q
    answers 200; one past 300 characters or whose last word is no word gets no suggestions."""
    query = request.GET.get("q", "")
    key = "suggest:" + hashlib.sha256(query[:301].encode("utf-8", "replace")).hexdigest()
    suggestions = cache.get(key)
    if suggestions is None:
        suggestions = completions(query)
        cache.set(key, suggestions, SUGGEST_SECONDS)
    response = JsonResponse(
        {"query": query[:300], "suggestions": suggestions},
        json_dumps_params={"ensure_ascii": False},
    )
    patch_cache_control(response, public=True, max_age=SUGGEST_SECONDS)
    return response


CSV_COLUMNS = [*ITEM_COLUMNS, ("snippet_section", "Træf i afsnit"), ("snippet", "Uddrag")]


def item_url_of(request: HttpRequest, results: SearchResults):
    """The absolute address of a result on its meeting page, with the search words marked."""
    return lambda item: request.build_absolute_uri(item_url(item, results.query))


def search_csv(request: HttpRequest) -> HttpResponse:
    """The first CSV_LIMIT results in the chosen order, one row each with its decision, for a
    spreadsheet (see minutes.exports), streamed a chunk of rows at a time. A case number
    alone gives the case's agenda items."""
    form = SearchForm(request.GET or None)
    if not form.is_bound or not form.is_valid() or not form.cleaned_data["q"]:
        message = INVALID_MESSAGE
        if form.errors:
            message += "\n" + "\n".join(
                f"{form.fields[name].label if name in form.fields else name}: {' '.join(errors)}"
                for name, errors in form.errors.items()
            )
        return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
    try:
        with transaction.atomic():
            results = run_search(_params(form))
            chunks = started(_search_csv_chunks(request, results))
    except OperationalError as exc:
        if not timed_out(exc):
            raise  # unreachable, not slow: the middleware's 503 page
        return HttpResponse(TIMEOUT_MESSAGE, status=503, content_type="text/plain; charset=utf-8")
    return csv_response("soegning.csv", CSV_COLUMNS, chunks)


def _search_csv_chunks(request: HttpRequest, results: SearchResults) -> Iterator[list[dict]]:
    url_of = item_url_of(request, results)
    if results.redirect_to:
        items = selectors.case_items(results.redirect_to)
        for item in items:
            item.case = results.redirect_to
        yield [flat_item_row(r) for r in item_records(items, url_of)]
    for start in range(0, min(results.count, CSV_LIMIT), exports.EXPORT_CHUNK):
        chunk = list(results.items[start : min(start + exports.EXPORT_CHUNK, CSV_LIMIT)])
        results.attach_snippets(chunk)
        records = item_records(chunk, url_of)
        yield [
            {
                **flat_item_row(record),
                "snippet_section": row["snippet_section"],
                "snippet": row["snippet"],
            }
            for record, row in zip(records, result_rows(results, chunk), strict=True)
        ]


class SearchFeed(Feed):
    """A search as an Atom feed, newest first, so a feed reader announces new matches."""

    feed_type = XmlSafeAtom1Feed

    def __call__(self, request, *args, **kwargs):
        try:
            with transaction.atomic():
                return super().__call__(request, *args, **kwargs)
        except OperationalError as exc:
            if not timed_out(exc):
                raise  # unreachable, not slow: the middleware's 503 page
            return HttpResponse(
                TIMEOUT_MESSAGE, status=503, content_type="text/plain; charset=utf-8"
            )

    def get_object(self, request: HttpRequest) -> dict[str, Any]:
        form = SearchForm(request.GET or None)
        params: dict[str, Any] = dict(form.cleaned_data) if form.is_valid() else {"q": ""}
        params["sortering"] = "nyeste"
        results = run_search(params) if params.get("q") else None
        rows: list[dict[str, Any]] = []
        if results is not None and not results.redirect_to:
            items = list(results.items[:FEED_ENTRIES])
            results.attach_snippets(items)
            rows = result_rows(results, items)
            for row in rows:
                row["url"] = request.build_absolute_uri(row["url"])
        return {"form": form, "params": params, "rows": rows}

    def title(self, obj: dict[str, Any]) -> str:
        return f"Referatarkivet: søgning efter “{obj['params'].get('q', '')}”"

    def subtitle(self, obj: dict[str, Any]) -> str:
        return "Nyeste dagsordenspunkter, der matcher søgningen."

    def link(self, obj: dict[str, Any]) -> str:
        return reverse("minutes:search") + "?" + _query_string(obj["form"], sortering="nyeste")

    def feed_url(self, obj: dict[str, Any]) -> str:
        return reverse("minutes:search_feed") + "?" + _query_string(obj["form"], sortering=None)

    def items(self, obj: dict[str, Any]) -> list[dict[str, Any]]:
        return obj["rows"]

    def item_title(self, item: dict[str, Any]) -> str:
        return f"{item['title']} – {item['committee']}, {item['municipality']}"

    def item_description(self, item: dict[str, Any]) -> str:
        # The snippet HTML: source text escaped, only our own <mark> elements.
        return item["snippet_html"]

    def item_link(self, item: dict[str, Any]) -> str:
        return item["url"]

    def item_guid(self, item: dict[str, Any]) -> str:
        return item["url"].split("?")[0].split("#")[0] + f"#punkt-{item['item_number']}"

    def item_pubdate(self, item: dict[str, Any]) -> datetime:
        day = datetime.fromisoformat(item["meeting_date"]).date()
        return timezone.make_aware(datetime.combine(day, time(12)))

    def item_updateddate(self, item: dict[str, Any]) -> datetime:
        return self.item_pubdate(item)

    def item_categories(self, item: dict[str, Any]) -> list[str]:
        return [item["municipality"], item["committee"]]


search_feed = SearchFeed()
