"""Readers: one per publishing system, chosen by the document's own fingerprints.

Each reader says whether a document is of its family (`accepts`) and reads it (`read`). The
first reader, in `READERS` order, that accepts a document reads it; the general readers at the
end (structural HTML, PDF text, plain text) take everything else. The name of the reader used
is part of the parse (`ParsedDocument.reader`), stored with the source file and shown to the
admin, so a bad parse can be traced to the reader that made it.

Adding a publishing system means adding a module here with one `Reader` and putting it in
`READERS` before the general reader of its file kind; the words and labels it needs go in
`minutes.parsing.vocabulary` when other readers share them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache, cached_property
from typing import Any

from ..model import ParsedDocument, ParseError
from ..sniff import FileKind, decode_text, sniff

# About ten pages of text: enough for every family's header and its first items.
FINGERPRINT_CHARS = 30_000


@dataclass
class Source:
    """One published file as the readers see it; its text forms are computed once, on demand."""

    data: bytes
    filename: str | None = None
    kind: FileKind = field(init=False)

    def __post_init__(self) -> None:
        self.kind = sniff(self.data)

    @cached_property
    def text(self) -> str:
        """The file as plain text, the form the text parser reads."""
        if self.kind == "pdf":
            from ..pdf import pdf_to_text

            return pdf_to_text(self.data)
        if self.kind == "html":
            from ..html import html_to_text

            return html_to_text(self.data)
        if self.kind in {"xml", "zip"}:
            raise ParseError("Filen er struktureret data uden en læser, der kender formatet")
        return decode_text(self.data)

    def opening(self) -> str | None:
        """The first pages of a PDF or text file, where a system's fingerprints stand (header,
        labels, the first items): the readers look there only, so choosing a reader costs the
        same for a long file as for a short one."""
        text = self.readable_text()
        return text[:FINGERPRINT_CHARS] if text is not None else None

    def readable_text(self) -> str | None:
        """The text of a PDF or text file, for a family reader's fingerprints; None for other
        kinds or a PDF without readable text (the general reader then says what is wrong)."""
        if self.kind not in {"pdf", "text"}:
            return None
        try:
            return self.text
        except ParseError:
            return None


@dataclass(frozen=True)
class Reader:
    """A publishing system's reader: `accepts(source)` by fingerprint, `read(source, municipality=)`."""

    name: str
    accepts: Callable[[Source], bool]
    read: Callable[..., ParsedDocument]


@cache
def _registry() -> tuple[Reader, ...]:
    # Imported here so a reader module may import from this package without a cycle; built
    # once per process (it was built again for every file).
    from . import general

    readers: list[Reader] = []
    for module_name in MODULES:
        module: Any = __import__(f"{__name__}.{module_name}", fromlist=["READER"])
        readers.append(module.READER)
    readers += general.READERS
    return tuple(readers)


# Family readers, most specific first; the general readers (`general.READERS`) come last.
MODULES: tuple[str, ...] = (
    "package",
    "sbsys_xml",
    "acadre_xml",
    "firstagenda_html",
    "item_page_html",
    "sbsys_pdf",
    "acadre_pdf",
    "firstagenda_pdf",
)


def read(
    data: bytes, *, filename: str | None = None, municipality: str | None = None
) -> ParsedDocument:
    """The parse of the first reader that accepts the file, with its name recorded."""
    source = Source(data, filename)
    for reader in _registry():
        if reader.accepts(source):
            doc = reader.read(source, municipality=municipality)
            doc.reader = doc.reader or reader.name
            return doc
    raise ParseError(f"Ingen læser kender denne type fil ({source.kind})")
