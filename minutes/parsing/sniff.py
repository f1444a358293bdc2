"""Judge a file by its content, not its name."""

from __future__ import annotations

import re
from typing import Literal

from .model import ParseError

FileKind = Literal["pdf", "html", "xml", "zip", "text"]


def sniff(data: bytes) -> FileKind:
    if not data or not data.strip():
        raise ParseError("Filen er tom")
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    lowered = head[:512].lower()
    if lowered.startswith(b"<?xml") and not re.search(rb"<(?:!doctype html|html|body)\b", lowered):
        # A structured export (SBSYS eDagsorden, Acadre); XHTML stays HTML.
        return "xml"
    if lowered.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<body" in lowered:
        return "html"
    # A fragment saved from a page ("<div class=…>", "<h1>Referat</h1>") is HTML too.
    if lowered.startswith(b"<") and re.match(
        rb"<(?:div|p|h[1-6]|table|section|article|main|span|ul|ol|meta|head|title)\b", lowered
    ):
        return "html"
    decode_text(data)  # raises for binary content
    return "text"


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252; binary content is refused."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        # UTF-16 with a byte order mark, as some Windows tools save text.
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise ParseError("Filen ligner UTF-16-tekst, men kan ikke afkodes") from exc
    if b"\x00" in data[:8192]:
        raise ParseError("Filen er binær og hverken tekst, PDF eller HTML")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    sample = text[:8192]
    control = len(_CONTROL.findall(sample))
    if sample and control / len(sample) > 0.01:
        raise ParseError("Filen er binær og hverken tekst, PDF eller HTML")
    return text


def file_size(size: int) -> str:
    """A file's size as Danish text: "512 bytes", "48.213 bytes", "50,3 MB", "60 MB"."""
    if size < 1024 * 1024:
        return f"{size:,} bytes".replace(",", ".")
    megabytes = f"{size / (1024 * 1024):.1f}".replace(".", ",").removesuffix(",0")
    return f"{megabytes} MB"


def over_limit(size: int, limit: int) -> tuple[str, str]:
    """A size and the limit it is over, as texts that differ: a file a few bytes over 50 MB is
    not "50 MB … over the limit of 50 MB" but its bytes against the limit's."""
    shown, allowed = file_size(size), file_size(limit)
    if shown == allowed:
        shown = f"{size:,} bytes".replace(",", ".")
        allowed = f"{limit:,} bytes".replace(",", ".")
    return shown, allowed
