from django.contrib.sitemaps import views as sitemap_views
from django.urls import path, register_converter
from django.views.decorators.cache import cache_page

from . import api_schema, exports, feeds, info_views, search_views, views
from .sitemaps import SITEMAPS


class IsoDateConverter:
    regex = r"\d{4}-\d{2}-\d{2}"

    def to_python(self, value: str):
        from datetime import date

        try:
            return date.fromisoformat(value)
        except ValueError as exc:  # 2021-02-30 matches the pattern but is no date
            raise ValueError(value) from exc

    def to_url(self, value) -> str:
        return value.isoformat() if hasattr(value, "isoformat") else str(value)


register_converter(IsoDateConverter, "isodate")

# The sitemap is computed once an hour per process (the cases' section takes seconds and is
# megabytes on a large archive); crawlers may cache it as long.
SITEMAP_CACHE_SECONDS = 60 * 60

app_name = "minutes"
urlpatterns = [
    path("", views.home, name="home"),
    path("soeg/", search_views.search, name="search"),
    path("soeg/feed/", search_views.search_feed, name="search_feed"),
    path("api/search", search_views.search_api, name="search_api"),
    path("api/search.csv", search_views.search_csv, name="search_csv"),
    path("api/suggest", search_views.search_suggest, name="search_suggest"),
    path("api/", exports.api_docs, name="api_docs"),
    path("api/openapi.json", api_schema.openapi_json, name="openapi"),
    path("robots.txt", views.robots_txt, name="robots"),
    path(
        "sitemap.xml",
        cache_page(SITEMAP_CACHE_SECONDS)(sitemap_views.index),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "minutes:sitemap_section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        cache_page(SITEMAP_CACHE_SECONDS)(sitemap_views.sitemap),
        {"sitemaps": SITEMAPS},
        name="sitemap_section",
    ),
    path("bilag/<int:pk>/", views.attachment_file, name="attachment_file"),
    path("kilde/<int:pk>/", views.source_file, name="source_file"),
    path("om/", info_views.about, name="about"),
    path("tilgaengelighed/", info_views.accessibility, name="accessibility"),
    path("privatliv/", info_views.privacy, name="privacy"),
    path("oversigt/", info_views.site_overview, name="overview"),
    path("<slug:municipality>/", views.municipality, name="municipality"),
    path("<slug:municipality>/sager/<str:number>/", views.case, name="case"),
    path(
        "<slug:municipality>/sager/<str:number>/feed/", feeds.CaseDecisionsFeed(), name="case_feed"
    ),
    path(
        "<slug:municipality>/sager/<str:number>/beslutninger.csv",
        exports.case_trail_csv,
        name="case_trail_csv",
    ),
    path(
        "<slug:municipality>/sager/<str:number>/beslutninger.json",
        exports.case_trail_json,
        name="case_trail_json",
    ),
    path("<slug:municipality>/dokumenter/<slug:slug>/", views.document, name="document"),
    path("<slug:municipality>/personer/", views.people_index, name="people"),
    path("<slug:municipality>/personer/<slug:slug>/", views.person, name="person"),
    path("<slug:municipality>/<slug:committee>/", views.committee, name="committee"),
    path(
        "<slug:municipality>/<slug:committee>/feed/",
        feeds.CommitteeMeetingsFeed(),
        name="committee_feed",
    ),
    path(
        "<slug:municipality>/<slug:committee>/punkter.csv",
        exports.committee_items_csv,
        name="committee_items_csv",
    ),
    path(
        "<slug:municipality>/<slug:committee>/punkter.json",
        exports.committee_items_json,
        name="committee_items_json",
    ),
    path("<slug:municipality>/<slug:committee>/<isodate:date>/", views.meeting, name="meeting"),
]
