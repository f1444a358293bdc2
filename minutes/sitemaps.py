"""sitemap.xml: every municipality, committee, meeting, case and document, as a sitemap index."""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap

from . import selectors


class _ArchiveSitemap(Sitemap):
    # Stay well under the protocol's 50,000 URLs and 50 MB per file.
    limit = 10_000

    def lastmod(self, obj):
        return getattr(obj, "lastmod", None) or getattr(obj, "updated_at", None)


class MunicipalitySitemap(_ArchiveSitemap):
    changefreq = "weekly"
    priority = 0.6

    def items(self):
        return selectors.sitemap_municipalities()


class CommitteeSitemap(_ArchiveSitemap):
    changefreq = "weekly"
    priority = 0.6

    def items(self):
        return selectors.sitemap_committees()


class MeetingSitemap(_ArchiveSitemap):
    changefreq = "monthly"
    priority = 0.8

    def items(self):
        return selectors.sitemap_meetings()


class CaseSitemap(_ArchiveSitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self):
        return selectors.sitemap_cases()


class DocumentSitemap(_ArchiveSitemap):
    changefreq = "yearly"
    priority = 0.5

    def items(self):
        return selectors.sitemap_documents()


SITEMAPS = {
    "kommuner": MunicipalitySitemap,
    "udvalg": CommitteeSitemap,
    "moeder": MeetingSitemap,
    "sager": CaseSitemap,
    "dokumenter": DocumentSitemap,
}
