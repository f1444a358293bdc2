"""sitemap.xml: every municipality, committee, meeting, case, document and person, and the pages
about the archive, as a sitemap index (cached, see minutes.urls)."""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from . import people, selectors


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


class PeopleSitemap(_ArchiveSitemap):
    """Each municipality's list of people and every person's page (minutes.people)."""

    changefreq = "monthly"
    priority = 0.4

    def items(self):
        persons = people.everyone()
        lists: dict[str, dict] = {}
        for person in persons:
            slug = person["municipality"]
            entry = lists.setdefault(
                slug, {"url": reverse("minutes:people", args=[slug]), "lastmod": person["lastmod"]}
            )
            entry["lastmod"] = max(entry["lastmod"], person["lastmod"])
        return [*lists.values(), *persons]

    def location(self, item):
        return item["url"]

    def lastmod(self, item):
        return item["lastmod"]


class InfoSitemap(_ArchiveSitemap):
    """The front page and the pages about the archive: what it holds, accessibility, privacy,
    the overview for people, and the exports."""

    changefreq = "monthly"
    priority = 0.3

    def items(self):
        return ["home", "about", "accessibility", "privacy", "overview", "api_docs"]

    def location(self, item):
        return reverse(f"minutes:{item}")

    def lastmod(self, item):
        return None


SITEMAPS = {
    "kommuner": MunicipalitySitemap,
    "udvalg": CommitteeSitemap,
    "moeder": MeetingSitemap,
    "sager": CaseSitemap,
    "dokumenter": DocumentSitemap,
    "personer": PeopleSitemap,
    "sider": InfoSitemap,
}
