"""RFC 4287's required elements, checked on the feed's XML itself (a feed reader forgives what
the RFC does not: feedparser parses a feed without author or entry updated silently)."""

from __future__ import annotations

import re
from xml.etree import ElementTree

ATOM = "{http://www.w3.org/2005/Atom}"
# RFC 3339 date-time, as §3.3 requires for atom:updated and atom:published.
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
ABSOLUTE_IRI = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:\S+$")


def atom_problems(xml: bytes) -> list[str]:
    """What the feed lacks of RFC 4287 §4.1.1 (feed) and §4.1.2 (entry); empty when valid."""
    root = ElementTree.fromstring(xml)
    problems: list[str] = []
    if root.tag != f"{ATOM}feed":
        return [f"root element is {root.tag}, not atom:feed"]

    def check(element, where: str, *, needs_author: bool) -> None:
        for name in ("id", "title", "updated"):
            found = element.findall(f"{ATOM}{name}")
            if len(found) != 1:
                problems.append(f"{where}: {len(found)} atom:{name}, must be exactly one")
        for found in element.findall(f"{ATOM}id"):
            if not ABSOLUTE_IRI.match((found.text or "").strip()):
                problems.append(f"{where}: atom:id {found.text!r} is not an absolute IRI")
        for name in ("updated", "published"):
            for found in element.findall(f"{ATOM}{name}"):
                if not RFC3339.match((found.text or "").strip()):
                    problems.append(f"{where}: atom:{name} {found.text!r} is not RFC 3339")
        if needs_author:
            authors = element.findall(f"{ATOM}author")
            if not authors or any(a.find(f"{ATOM}name") is None for a in authors):
                problems.append(f"{where}: no atom:author with atom:name")

    entries = root.findall(f"{ATOM}entry")
    every_entry_has_author = bool(entries) and all(
        e.find(f"{ATOM}author") is not None for e in entries
    )
    check(root, "feed", needs_author=not every_entry_has_author)
    for index, entry in enumerate(entries):
        where = f"entry {index + 1}"
        check(entry, where, needs_author=False)
        alternate = [
            link
            for link in entry.findall(f"{ATOM}link")
            if link.get("rel", "alternate") == "alternate"
        ]
        if entry.find(f"{ATOM}content") is None and not alternate:
            problems.append(f"{where}: neither atom:content nor a link rel=alternate")
    ids = [(e.findtext(f"{ATOM}id") or "").strip() for e in entries]
    if len(set(ids)) != len(ids):
        problems.append("two entries share an atom:id")
    return problems


def entries(xml: bytes) -> list[tuple[str, str, str]]:
    """(id, title, updated) of each entry, in order."""
    root = ElementTree.fromstring(xml)
    return [
        (
            e.findtext(f"{ATOM}id") or "",
            e.findtext(f"{ATOM}title") or "",
            e.findtext(f"{ATOM}updated") or "",
        )
        for e in root.findall(f"{ATOM}entry")
    ]
