"""Atom feeds: new meetings of a committee, new decisions on a case.

An entry's summary is `type="html"`: a feed reader renders it as HTML after reading the XML, so
text from a minutes file is HTML-escaped here and XML-escaped again by the writer (a decision
reading `<img onerror=…>` reaches the reader as text). The writer drops the characters XML 1.0
cannot hold (a form feed from a PDF, a control character in a search), so no feed is ever
malformed.
"""

from __future__ import annotations

from datetime import datetime, time

from django.contrib.syndication.views import Feed
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape, linebreaks
from django.utils.xmlutils import SimplerXMLGenerator

from . import selectors
from .boundary import xml_safe
from .models import Case, Committee, Meeting
from .text import danish_date, danish_slug


def _midnight(day) -> datetime:
    """Feeds need a moment; a meeting or decision only has a day."""
    return timezone.make_aware(datetime.combine(day, time()))


class _XmlSafeGenerator(SimplerXMLGenerator):
    """Writes text and attribute values without the characters XML 1.0 cannot hold (Django's
    generator raises on them, which was a 500)."""

    def characters(self, content):
        super().characters(xml_safe(content) if content else content)

    def startElement(self, name, attrs):
        safe = {key: xml_safe(value) for key, value in attrs.items()} if attrs else attrs
        super().startElement(name, safe)


# RFC 4287 §4.1.1: a feed names its author unless every entry does. The archive publishes what
# the municipalities' minutes say; it is the feed's author, the minutes the entries' source.
FEED_AUTHOR = "Referatarkivet"


class XmlSafeAtom1Feed(Atom1Feed):
    """Atom1Feed.write with the XML-safe generator, and the elements RFC 4287 requires that
    Django leaves out when a feed does not give them: the feed's author, each entry's updated."""

    def add_root_elements(self, handler):
        if not self.feed.get("author_name"):
            self.feed["author_name"] = FEED_AUTHOR
        super().add_root_elements(handler)

    def add_item_elements(self, handler, item):
        if item.get("updateddate") is None and item.get("pubdate") is not None:
            item = {**item, "updateddate": item["pubdate"]}
        super().add_item_elements(handler, item)

    def write(self, outfile, encoding):
        handler = _XmlSafeGenerator(outfile, encoding, short_empty_elements=True)
        handler.startDocument()
        handler.startElement("feed", self.root_attributes())
        self.add_root_elements(handler)
        self.write_items(handler)
        handler.endElement("feed")


class _AtomFeed(Feed):
    feed_type = XmlSafeAtom1Feed
    author_name = FEED_AUTHOR

    def get_feed(self, obj, request):
        feed = super().get_feed(obj, request)
        # Atom ids must be absolute IRIs; Django only makes links absolute, not guids.
        for entry in feed.items:
            if entry.get("unique_id", "").startswith("/"):
                entry["unique_id"] = request.build_absolute_uri(entry["unique_id"])
        return feed


class CommitteeMeetingsFeed(_AtomFeed):
    def get_object(self, request, municipality: str, committee: str) -> Committee:
        return selectors.get_committee(municipality, committee)

    def title(self, obj: Committee) -> str:
        return f"Nye møder i {obj.name}, {obj.municipality.name}"

    def subtitle(self, obj: Committee) -> str:
        return f"Referater og dagsordener fra {obj.name} i {obj.municipality.name}."

    def link(self, obj: Committee) -> str:
        return obj.get_absolute_url()

    def items(self, obj: Committee):
        return selectors.committee_feed_meetings(obj)

    def item_title(self, item: Meeting) -> str:
        return f"{item.committee.name} {danish_date(item.date)} ({item.get_kind_display().lower()})"

    def item_description(self, item: Meeting) -> str:
        return escape(f"{item.get_kind_display()} med {item.item_count} punkter.")

    def item_link(self, item: Meeting) -> str:
        return item.get_absolute_url()

    def item_guid(self, item: Meeting) -> str:
        return f"{item.get_absolute_url()}#{item.kind}"

    def item_pubdate(self, item: Meeting) -> datetime:
        return _midnight(item.date)

    def item_updateddate(self, item: Meeting) -> datetime:
        # The meeting's day, not when it was read: a re-parse must not announce it again.
        return _midnight(item.date)


class CaseDecisionsFeed(_AtomFeed):
    def get_object(self, request, municipality: str, number: str) -> Case:
        return selectors.get_case(municipality, number)

    def title(self, obj: Case) -> str:
        return f"Beslutninger i sag {obj.number}, {obj.municipality.name}"

    def subtitle(self, obj: Case) -> str:
        return f"Nye beslutninger i sag {obj.number}, fra alle udvalg der behandler den."

    def link(self, obj: Case) -> str:
        return obj.get_absolute_url()

    def items(self, obj: Case) -> list[selectors.TrailStep]:
        return list(reversed(selectors.decision_trail(obj)))

    def item_title(self, item: selectors.TrailStep) -> str:
        decision = item.decision
        return (
            f"{decision.body} {danish_date(decision.date)}: "
            f"{decision.get_outcome_display().lower()}"
        )

    def item_description(self, item: selectors.TrailStep) -> str:
        # HTML: the decision's text escaped, its paragraphs as <p> (see the module docstring).
        return linebreaks(item.decision.text, autoescape=True)

    def item_link(self, item: selectors.TrailStep) -> str:
        return item.url

    def item_guid(self, item: selectors.TrailStep) -> str:
        # Body and date identify a decision across re-ingests; the anchor alone may move.
        decision = item.decision
        day = decision.date.isoformat() if decision.date else "udateret"
        return f"{item.case.get_absolute_url()}#{danish_slug(decision.body)}-{day}"

    def item_pubdate(self, item: selectors.TrailStep) -> datetime:
        day = item.decision.date or item.item.meeting.date
        return _midnight(day)

    def item_updateddate(self, item: selectors.TrailStep) -> datetime:
        # The decision's day (else its meeting's), never the ingestion time: a re-parse of the
        # minutes leaves every entry as it was.
        return self.item_pubdate(item)
