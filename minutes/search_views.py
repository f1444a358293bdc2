"""Search pages and machine formats: HTML results, JSON API, CSV download, Atom feed.

All four take the same parameters (SearchForm) and run the same search (run_search). A query
stopped by the statement timeout gives a friendly message with status 503, never a 500.
"""

from __future__ import annotations

import csv
from datetime import datetime, time
from typing import Any
from urllib.parse import urlencode

from django.contrib.syndication.views import Feed
from django.core.paginator import Paginator
from django.db import OperationalError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from .boundary import spreadsheet_cell
from .feeds import XmlSafeAtom1Feed
from .forms import SearchForm
from .search import PAGE_SIZE, SearchResults, result_rows, run_search
from .search_suggest import notice_links

TIMEOUT_MESSAGE = (
    "Søgningen tog for lang tid og blev stoppet. Prøv med flere eller mere præcise ord, "
    "eller afgræns med kommune, udvalg eller periode."
)
INVALID_MESSAGE = "Søgningen kunne ikke forstås. Se fejlene i formularen."
CSV_LIMIT = 1000
FEED_ENTRIES = 50
FACET_TITLES = {"kommune": "Kommune", "udvalg": "Udvalg", "aar": "År", "udfald": "Beslutning"}
FILTER_NAMES = ("kommune", "udvalg", "fra", "til", "aar", "udfald", "lukket")


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
    if not form.is_bound or not form.is_valid() or not form.cleaned_data["q"]:
        return render(request, "minutes/search.html", context)
    try:
        # A savepoint: a cancelled statement must not poison the surrounding transaction.
        with transaction.atomic():
            results = run_search(_params(form))
            if results.redirect_to:
                return redirect(results.redirect_to)
            page = Paginator(results.items, PAGE_SIZE).get_page(request.GET.get("side"))
            results.attach_snippets(page.object_list)
    except OperationalError:
        return _timeout_response(request, form)
    context.update(
        results=results,
        page=page,
        facets=_facet_links(form, results),
        active_filters=_active_filters(form),
        page_query=_query_string(form),
        feed_query=_query_string(form, sortering=None),
        notice_links=notice_links(results, lambda q: _query_string(form, q=q)),
    )
    return render(request, "minutes/search.html", context)


def _facet_links(form: SearchForm, results: SearchResults) -> list[dict[str, Any]]:
    groups = []
    for name, rows in results.facets.items():
        if not rows:
            continue
        links = []
        for row in rows:
            current = form.cleaned_data.get(name)
            active = str(current) == str(row.slug) and all(
                form.cleaned_data.get(k) == v for k, v in row.extra.items()
            )
            links.append(
                {
                    "label": row.label,
                    "n": row.n,
                    "active": active,
                    "query": _query_string(form, **{name: row.slug, **row.extra}),
                }
            )
        groups.append({"name": name, "title": FACET_TITLES[name], "links": links})
    return groups


def _active_filters(form: SearchForm) -> list[dict[str, str]]:
    """The filters in use, each with the link that removes it."""
    active = []
    for name in FILTER_NAMES:
        value = form.cleaned_data.get(name)
        if value in (None, ""):
            continue
        field = form.fields[name]
        shown = dict(getattr(field, "choices", [])).get(value, value)
        active.append(
            {
                "label": field.label,
                "value": str(shown),
                "query": _query_string(form, **{name: None}),
            }
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
    except OperationalError:
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
    for row in rows:
        row["url"] = request.build_absolute_uri(row["url"])
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


CSV_COLUMNS = [
    ("url", "URL"),
    ("municipality", "Kommune"),
    ("committee", "Udvalg"),
    ("meeting_date", "Mødedato"),
    ("item_number", "Punkt"),
    ("title", "Titel"),
    ("case_number", "Sagsnummer"),
    ("closed", "Lukket"),
    ("snippet_section", "Afsnit"),
    ("snippet", "Uddrag"),
]


def search_csv(request: HttpRequest) -> HttpResponse:
    """The first CSV_LIMIT results in the chosen order, one row each, for a spreadsheet.

    Every cell goes through spreadsheet_cell: no character XML cannot hold, and a cell that
    starts like a formula (`=`, `+`, `-`, `@`, tab, CR) starts with `'`, so a spreadsheet shows
    it instead of running it.
    """
    form = SearchForm(request.GET or None)
    if not form.is_bound or not form.is_valid() or not form.cleaned_data["q"]:
        return HttpResponse(INVALID_MESSAGE, status=400, content_type="text/plain; charset=utf-8")
    try:
        with transaction.atomic():
            results = run_search(_params(form))
            rows: list[dict[str, Any]] = []
            if not results.redirect_to:
                for start in range(0, min(results.count, CSV_LIMIT), 200):
                    chunk = list(results.items[start : min(start + 200, CSV_LIMIT)])
                    results.attach_snippets(chunk)
                    rows += result_rows(results, chunk)
    except OperationalError:
        return HttpResponse(TIMEOUT_MESSAGE, status=503, content_type="text/plain; charset=utf-8")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="soegning.csv"'
    response.write("\ufeff")  # so spreadsheet programs read the Danish letters as UTF-8
    writer = csv.writer(response)
    writer.writerow([title for _key, title in CSV_COLUMNS])
    for row in rows:
        row["url"] = request.build_absolute_uri(row["url"])
        row["closed"] = "ja" if row["closed"] else "nej"
        writer.writerow(
            [spreadsheet_cell(row[key] if row[key] is not None else "") for key, _ in CSV_COLUMNS]
        )
    return response


class SearchFeed(Feed):
    """A search as an Atom feed, newest first, so a feed reader announces new matches."""

    feed_type = XmlSafeAtom1Feed

    def __call__(self, request, *args, **kwargs):
        try:
            with transaction.atomic():
                return super().__call__(request, *args, **kwargs)
        except OperationalError:
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
