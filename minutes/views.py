"""Thin function views: validate input, call a selector, render."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass

from django.core.cache import cache
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from . import people, selectors
from .archive_cache import ARCHIVE_CACHE_SECONDS, archive_stamp
from .forms import SearchForm
from .highlight import highlighter_for, item_texts
from .models import Case
from .text import danish_date


@dataclass
class PageMeta:
    """What a page says about itself to browsers, search engines and link previews."""

    title: str
    description: str
    url: str
    og_type: str = "website"


def _meta(request: HttpRequest, title: str, description: str, path: str, **kwargs) -> PageMeta:
    return PageMeta(title, description, request.build_absolute_uri(path), **kwargs)


def home(request):
    # Counts and lists of the whole archive: rendered once per state of it (archive_cache).
    version = ("home", archive_stamp())
    return _once_per_version(
        request, version, lambda: _render_home(request), timeout=ARCHIVE_CACHE_SECONDS
    )


def _render_home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "minutes/home.html",
        {
            "form": SearchForm(),
            "municipalities": selectors.municipalities_with_content(),
            "latest": selectors.latest_meetings(limit=8),
            "counts": selectors.archive_counts(),
            "meta": _meta(
                request,
                "Søg i kommunernes referater",
                "Søg i danske kommuners referater fra byråd og udvalg, og følg en sag gennem "
                "alle de udvalg, der har behandlet den.",
                "/",
            ),
        },
    )


def municipality(request, municipality):
    obj = selectors.get_municipality(municipality)
    return render(
        request,
        "minutes/municipality.html",
        {
            "municipality": obj,
            "committees": selectors.committees_of(obj),
            "latest": selectors.latest_meetings(municipality=obj, limit=10),
            "documents": obj.documents.all(),
            "meta": _meta(
                request,
                obj.name,
                f"Referater og beslutninger fra {obj.name}s byråd og udvalg.",
                obj.get_absolute_url(),
            ),
        },
    )


def committee(request, municipality, committee):
    obj = selectors.get_committee(municipality, committee)
    years = selectors.meetings_by_year(obj)
    return render(
        request,
        "minutes/committee.html",
        {
            "committee": obj,
            "municipality": obj.municipality,
            "years": years,
            "meeting_count": sum(len(y.meetings) for y in years),
            "members": selectors.committee_members(obj),
            "feed_url": reverse("minutes:committee_feed", args=[obj.municipality.slug, obj.slug]),
            "meta": _meta(
                request,
                f"{obj.name} – {obj.municipality.name}",
                f"Referater fra {obj.name} i {obj.municipality.name}: møder, dagsordener, "
                "beslutninger og deltagere.",
                obj.get_absolute_url(),
            ),
        },
    )


def people_index(request, municipality):
    obj = selectors.get_municipality(municipality)
    return render(
        request,
        "minutes/people.html",
        {
            "municipality": obj,
            "people": people.people_of(obj),
            "meta": _meta(
                request,
                f"Personer – {obj.name}",
                f"Politikere og andre, som {obj.name}s referater nævner som mødedeltagere.",
                reverse("minutes:people", args=[obj.slug]),
            ),
        },
    )


def person(request, municipality, slug):
    obj = selectors.get_municipality(municipality)
    found = people.get_person(obj, slug)
    return render(
        request,
        "minutes/person.html",
        {
            "municipality": obj,
            "person": found,
            "meta": _meta(
                request,
                f"{found.name} – {obj.name}",
                f"{found.name} i {obj.name}s referater: møder, udvalg, afbud, stedfortræder "
                "og afstemninger, som referaterne gengiver dem.",
                people.person_url(obj, found.name),
            ),
        },
    )


CACHE_SECONDS = 24 * 60 * 60


def _once_per_version(
    request: HttpRequest,
    version: tuple,
    render_page: Callable[[], HttpResponse],
    *,
    timeout: int = CACHE_SECONDS,
) -> HttpResponse:
    """The page rendered once per `version` of what it shows, then served from the cache.

    Never cached for a URL with a query string: the header's search box echoes it, and a page
    reached from a search result marks the search terms.
    """
    if request.GET:
        return render_page()
    key = ":".join(str(part) for part in (*version, request.build_absolute_uri()))
    cached = cache.get(key)
    if cached is not None:
        return HttpResponse(cached)
    response = render_page()
    cache.set(key, response.content, timeout)
    return response


def meeting(request, municipality, committee, date):
    # The version in one statement (the meeting, its update, the previous/next links, which
    # belong to the version: a new neighbour changes the page); the objects only to render.
    meeting_id, updated_at, previous_id, following_id = selectors.meeting_version(
        municipality, committee, date
    )
    version = ("meeting-page", meeting_id, updated_at.isoformat(), previous_id, following_id)

    def render_page() -> HttpResponse:
        obj = selectors.get_meeting(municipality, committee, date)
        previous, following = selectors.neighbours(obj)
        return _render_meeting(request, obj, previous, following)

    return _once_per_version(request, version, render_page)


def _render_meeting(request: HttpRequest, obj, previous, following) -> HttpResponse:
    committee_obj = obj.committee
    items = selectors.meeting_items(obj)
    when = danish_date(obj.date)
    # Reached from a search result: mark the search terms (two queries, only then).
    query = request.GET.get("fremhaev")
    highlighter = highlighter_for(query, item_texts(items)) if query else None
    permalink = request.build_absolute_uri(obj.get_absolute_url())
    # The agenda is a Jinja2 template (see minutes.templating), autoescaped: the HTML it returns
    # has every piece of document text escaped, so it goes into the page as it is.
    agenda = render_to_string(
        "minutes/agenda.html",
        {
            "items": items,
            "highlighter": highlighter,
            "permalink": permalink,
            # The first part of every item's citation, once per page.
            "cite_source": f"{committee_obj.name}, {committee_obj.municipality.name}: "
            f"{obj.get_kind_display().lower()} af mødet {when}",
        },
        using="jinja2",
    )
    return render(
        request,
        "minutes/meeting.html",
        {
            "meeting": obj,
            "committee": committee_obj,
            "municipality": committee_obj.municipality,
            "items": items,
            "agenda": mark_safe(agenda),  # autoescaped by Jinja2, see above
            "attendance": selectors.attendance_groups(obj),
            "sources": selectors.source_versions(meeting=obj),
            "previous": previous,
            "following": following,
            "permalink": permalink,
            "feed_url": reverse(
                "minutes:committee_feed", args=[committee_obj.municipality.slug, committee_obj.slug]
            ),
            "meta": _meta(
                request,
                f"{committee_obj.name} {when} – {committee_obj.municipality.name}",
                f"{obj.get_kind_display()} fra {committee_obj.name}s møde {when} i "
                f"{committee_obj.municipality.name}: "
                + "; ".join(f"{i.number}. {i.title}" for i in items[:6])
                + (" …" if len(items) > 6 else ""),
                obj.get_absolute_url(),
                og_type="article",
            ),
        },
    )


def case(request, municipality, number):
    case_id, printed, item_count, latest_update = selectors.case_version(municipality, number)
    if Case(number=printed).url_number != number:  # not the case's own address
        return redirect(selectors.get_case(municipality, number), permanent=True)
    # The trail changes only when a meeting on the case is ingested again or a new one names it.
    stamp = latest_update.isoformat() if latest_update else ""
    version = ("case-page", case_id, item_count, stamp)
    return _once_per_version(
        request, version, lambda: _render_case(request, selectors.get_case(municipality, number))
    )


def _render_case(request: HttpRequest, obj) -> HttpResponse:
    trail = selectors.decision_trail(obj)
    items = selectors.case_items(obj)
    status = selectors.case_status(trail)
    title = selectors.case_title(items)
    description = f"Beslutningsforløbet for sag {obj.number} i {obj.municipality.name}"
    if title:
        description += f", {title}"
    if status:
        description += (
            f": {len(trail)} beslutning{'er' if len(trail) != 1 else ''}, senest "
            f"{status.latest.decision.body} {danish_date(status.latest.decision.date)} "
            f"({status.latest.decision.get_outcome_display().lower()})."
        )
    return render(
        request,
        "minutes/case.html",
        {
            "case": obj,
            "municipality": obj.municipality,
            "title": title,
            "trail": trail,
            "status": status,
            "items": items,
            "permalink": request.build_absolute_uri(obj.get_absolute_url()),
            "feed_url": reverse("minutes:case_feed", args=[obj.municipality.slug, obj.url_number]),
            "meta": _meta(
                request,
                f"Sag {obj.number}{': ' + title if title else ''} – {obj.municipality.name}",
                description,
                obj.get_absolute_url(),
                og_type="article",
            ),
        },
    )


@require_GET
def attachment_file(request, pk: int) -> FileResponse:
    """An attachment that came in its meeting's package: downloaded, never shown inline."""
    data, file_name = selectors.attachment_file(pk)
    return FileResponse(io.BytesIO(data), as_attachment=True, filename=file_name)


@require_GET
def source_file(request, pk: int) -> FileResponse:
    """A stored original as published, always downloaded under its own name: an HTML original is
    the municipality's page, never rendered as one of ours (sandboxed, not sniffed)."""
    obj = selectors.source_file(pk)
    media_type = selectors.SOURCE_MEDIA_TYPES.get(obj.content_type, "application/octet-stream")
    data = bytes(obj.content)
    if media_type.startswith("text/"):
        try:
            data.decode("utf-8")
            media_type += "; charset=utf-8"
        except UnicodeDecodeError:
            pass  # the file says its own encoding, or the reader's program guesses it
    response = FileResponse(
        io.BytesIO(data), as_attachment=True, filename=obj.file_name, content_type=media_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response


def document(request, municipality, slug):
    obj = selectors.get_document(municipality, slug)
    sections = list(obj.sections.all())
    return render(
        request,
        "minutes/document.html",
        {
            "document": obj,
            "municipality": obj.municipality,
            "sections": sections,
            "toc": [s for s in sections if s.heading and s.level <= 2],
            "sources": selectors.source_versions(document=obj),
            "permalink": request.build_absolute_uri(obj.get_absolute_url()),
            "meta": _meta(
                request,
                f"{obj.title} – {obj.municipality.name}",
                f"{obj.title}, {obj.municipality.name}"
                + (f", {obj.term}" if obj.term else "")
                + ".",
                obj.get_absolute_url(),
                og_type="article",
            ),
        },
    )


@require_GET
def robots_txt(request):
    # Search result pages are an endless space of URLs; the sitemap lists every real page.
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /soeg/",
        f"Sitemap: {request.build_absolute_uri(reverse('minutes:sitemap'))}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
