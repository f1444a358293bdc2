"""A minimal PDF writer for tests: one page, Helvetica text, optional compression/encryption."""

from __future__ import annotations

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
