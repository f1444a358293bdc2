"""A minimal PDF writer for tests: one page, Helvetica text, optional compression/encryption."""

from __future__ import annotations

import functools
import zlib


def text_stream(lines: list[str], *, x: int = 72, top: int = 760, step: int = 16) -> bytes:
    """A content stream that prints `lines` top-down (Latin-1 text, parentheses escaped)."""
    parts = [b"BT /F1 11 Tf %d %d Td" % (x, top)]
    for index, line in enumerate(lines):
        escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        move = b"" if index == 0 else b"0 -%d Td " % step
        parts.append(move + b"(" + escaped.encode("latin-1") + b") Tj")
    parts.append(b"ET")
    return b"\n".join(parts)


def build_pdf(
    content: bytes, *, compress: bool = False, encrypt: bool = False, raw_flate: bytes | None = None
) -> bytes:
    stream = (
        raw_flate if raw_flate is not None else (zlib.compress(content) if compress else content)
    )
    flate = b" /Filter /FlateDecode" if compress or raw_flate is not None else b""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d%s >>\nstream\n" % (len(stream), flate) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    if encrypt:
        # Standard security handler with a user password: the empty password does not open it.
        objects.append(
            b"<< /Filter /Standard /V 1 /R 2 /O <"
            + b"11" * 32
            + b"> /U <"
            + b"22" * 32
            + b"> /P -4 >>"
        )
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    trailer = b"<< /Size %d /Root 1 0 R" % (len(objects) + 1)
    if encrypt:
        trailer += b" /Encrypt %d 0 R /ID [<%s> <%s>]" % (len(objects), b"ab" * 16, b"ab" * 16)
    out += b"trailer\n" + trailer + b" >>\nstartxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def zero_bomb(megabytes: int) -> bytes:
    """A Flate stream of `megabytes` MB of zeros, compressed to a few hundred kB."""
    compressor = zlib.compressobj(9)
    chunk = b"\0" * (1 << 20)
    parts = [compressor.compress(chunk) for _ in range(megabytes)]
    parts.append(compressor.flush())
    return b"".join(parts)


def raw_pdf(objects: list[bytes], *, root: int = 1) -> bytes:
    """A PDF of the given object bodies (numbered from 1) with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        root,
        xref,
    )
    return bytes(out)


_CATALOG = b"<< /Type /Catalog /Pages 2 0 R >>"
_PAGES = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
_PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>"


def _stream(data: bytes, filters: bytes = b"") -> bytes:
    return b"<< /Length %d%s >>\nstream\n" % (len(data), filters) + data + b"\nendstream"


def reference_loop(kind: str) -> bytes:
    """A PDF whose object graph loops back on itself, in one of several places (issue 15: a
    249-byte PDF with a reference loop held the parser for the full 120 s)."""
    bodies = {
        # Two objects that are each a reference to the other, where the page tree should be.
        "references": [_CATALOG, b"3 0 R", b"2 0 R"],
        "kids": [_CATALOG, b"<< /Type /Pages /Kids [2 0 R] /Count 1 >>"],
        "tree": [
            _CATALOG,
            _PAGES,
            b"<< /Type /Pages /Parent 2 0 R /Kids [2 0 R] /Count 1 >>",
        ],
        "length": [_CATALOG, _PAGES, _PAGE, b"<< /Length 4 0 R >>\nstream\nBT ET\nendstream"],
        "contents": [_CATALOG, _PAGES, _PAGE, b"[4 0 R]"],
        "parent": [
            _CATALOG,
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 /Parent 3 0 R >>",
            b"<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>",
            _stream(b"BT ET"),
        ],
        "form": [
            _CATALOG,
            _PAGES,
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
            b" /Resources << /XObject << /X 5 0 R >> >> >>",
            _stream(b"/X Do BT ET"),
            b"<< /Type /XObject /Subtype /Form /BBox [0 0 10 10] /Length 5"
            b" /Resources << /XObject << /X 5 0 R >> >> >>\nstream\n/X Do\nendstream",
        ],
    }
    return raw_pdf(bodies[kind])


REFERENCE_LOOPS = ("references", "kids", "tree", "length", "contents", "parent", "form")


@functools.cache
def chained_compression(layers: int = 3, megabytes: int = 400) -> bytes:
    """A page whose content is `megabytes` MB of zeros deflated `layers` times over, each layer
    a filter of its own (issue 15: 688 bytes with three layers held the parser for 120 s)."""
    data = zero_bomb(megabytes)
    for _ in range(layers - 1):
        data = zlib.compress(data, 9)
    filters = b" /Filter [" + b" ".join([b"/FlateDecode"] * layers) + b"]"
    return raw_pdf([_CATALOG, _PAGES, _PAGE, _stream(data, filters)])
