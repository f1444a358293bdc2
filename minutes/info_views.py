"""The pages about the archive itself: Om arkivet, tilgængelighedserklæring, privatliv og cookies,
and a sitemap for people (the XML sitemap is for search engines)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from . import selectors
from .views import _meta


def _info_page(
    request: HttpRequest, template: str, url_name: str, title: str, description: str, **context
) -> HttpResponse:
    return render(
        request,
        template,
        {
            "meta": _meta(request, title, description, reverse(url_name)),
            "contact_email": settings.CONTACT_EMAIL,
            "contact_phone": settings.CONTACT_PHONE,
            **context,
        },
    )


@require_GET
def about(request: HttpRequest) -> HttpResponse:
    return _info_page(
        request,
        "minutes/info/about.html",
        "minutes:about",
        "Om arkivet",
        "Hvor referaterne kommer fra, hvornår arkivet opdateres, og hvordan referaterne læses – "
        "med grænserne for, hvad en maskinel læsning kan.",
        sources=selectors.sources_overview(),
    )


@require_GET
def accessibility(request: HttpRequest) -> HttpResponse:
    return _info_page(
        request,
        "minutes/info/accessibility.html",
        "minutes:accessibility",
        "Tilgængelighedserklæring",
        "Referatarkivets tilgængelighedserklæring efter lov om tilgængelighed af offentlige "
        "organers websteder og mobilapplikationer.",
    )


@require_GET
def privacy(request: HttpRequest) -> HttpResponse:
    return _info_page(
        request,
        "minutes/info/privacy.html",
        "minutes:privacy",
        "Privatliv og cookies",
        "Referatarkivet gemmer intet om dig, der besøger det, og sætter ingen cookies.",
    )


@require_GET
def site_overview(request: HttpRequest) -> HttpResponse:
    return _info_page(
        request,
        "minutes/info/overview.html",
        "minutes:overview",
        "Oversigt over sider",
        "Alle kommuner, udvalg og dokumenter i Referatarkivet, og siderne om arkivet.",
        committees=selectors.sitemap_committees(),
        documents=selectors.sitemap_documents().order_by("municipality__name", "title"),
    )
