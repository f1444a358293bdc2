"""The package a case system publishes: the meeting's XML with its attachment files, one zip.

SBSYS eDagsorden writes `Publication32.xml` and an `Enclosures/` folder (`Enclosures/1.pdf`,
named in the XML by `InstantiationFilePathRelative`); Acadre writes an agenda XML and its
enclosure files in one `Files_…` folder. The XML is read by its own reader (`sbsys_xml`,
`acadre_xml`); this reader adds each item's attachment files with their text, so that the
archive keeps the package whole and can search the attachments with their items.

A zip from outside is hostile until checked: the member count, the total unpacked size and
every member's path are checked before anything is read, and a zip inside the package is
refused (a way to hide a bomb below the checks). Nothing is written to disk.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from types import ModuleType

from ..model import AttachmentFile, ParsedDocument, ParseError
from ..sniff import decode_text, file_size, sniff
from . import Reader, Source, acadre_xml, sbsys_xml
from .structured import MAX_XML_BYTES, Enclosure

NAME = "package"

MAX_MEMBERS = 500
MAX_TOTAL_BYTES = 200 * 1024 * 1024
# How many XML files are tried as the publication; a real package has one or two.
MAX_XML_CANDIDATES = 50
# Office documents are zip files themselves: attachments, not packages inside the package.
OFFICE_EXTENSIONS = frozenset(
    {".docx", ".docm", ".dotx", ".xlsx", ".xlsm", ".pptx", ".ppsx", ".odt", ".ods", ".odp"}
)
ZIP_MAGIC = b"PK\x03\x04"

# The XML families a package may hold: modules with READER and read_with_enclosures().
FAMILIES: tuple[ModuleType, ...] = (sbsys_xml, acadre_xml)

Found = tuple[zipfile.ZipInfo, Source, ModuleType]


def is_package(data: bytes) -> bool:
    """True when `data` is a zip holding a meeting publication XML that a reader knows.

    For the upload: such a zip is kept whole (the package is the original), not unpacked into
    separate files. Never raises; a broken zip is simply not a package.
    """
    if not data.startswith(ZIP_MAGIC):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return _publication(archive) is not None
    except (zipfile.BadZipFile, ParseError, OSError, EOFError, RuntimeError, ValueError):
        return False
    except NotImplementedError:  # a compression method zipfile cannot read
        return False


def _accepts(source: Source) -> bool:
    return source.kind == "zip" and is_package(source.data)


def _read(source: Source, *, municipality: str | None = None) -> ParsedDocument:
    try:
        archive = zipfile.ZipFile(io.BytesIO(source.data))
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise ParseError("Zip-filen er beskadiget og kan ikke åbnes") from exc
    with archive:
        members = _checked_members(archive)
        found = _publication(archive)
        if found is None:
            raise ParseError("Pakken indeholder ingen mødepublikation (XML fra SBSYS eller Acadre)")
        info, xml_source, family = found
        doc, enclosures = family.read_with_enclosures(xml_source, municipality=municipality)
        doc.reader = f"{NAME}:{family.READER.name}"
        index = _MemberIndex(members, base=posixpath.dirname(_path(info)))
        used = {info.filename}
        for item, listed in zip(doc.items, enclosures, strict=True):
            for enclosure in listed:
                member = index.find(enclosure)
                if member is None:
                    if enclosure.references:
                        doc.warnings.append(
                            f"punkt {item.number}: bilaget '{enclosure.title}' "
                            f"({enclosure.references[0]}) findes ikke i pakken"
                        )
                    continue
                used.add(member.filename)
                item.attachment_files.append(
                    AttachmentFile(
                        title=enclosure.title,
                        file_name=member.filename,
                        text=_attachment_text(archive, member, doc.warnings),
                    )
                )
    return doc


READER = Reader(NAME, _accepts, _read)


def _path(info: zipfile.ZipInfo) -> str:
    """The member's path with forward slashes (Windows tools write backslashes)."""
    return info.filename.replace("\\", "/")


def _checked_members(archive: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    """The package's files, after the checks that make reading them safe."""
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise ParseError(f"Pakken har {len(infos)} filer; højst {MAX_MEMBERS} læses")
    total = 0
    files = []
    for info in infos:
        path = _path(info)
        if path.startswith("/") or re.match(r"^[A-Za-z]:", path) or ".." in path.split("/"):
            raise ParseError(f"Pakken har en fil med en ugyldig sti ({info.filename})")
        if info.is_dir():
            continue
        if path.lower().endswith(".zip"):
            raise ParseError(
                f"Pakken indeholder en anden zip-fil ({info.filename}); den læses ikke"
            )
        total += info.file_size
        if total > MAX_TOTAL_BYTES:
            raise ParseError(
                f"Pakken fylder over {file_size(MAX_TOTAL_BYTES)} udpakket; den læses ikke"
            )
        files.append(info)
    return files


def _publication(archive: zipfile.ZipFile) -> Found | None:
    """The publication XML a family reader accepts, shallowest first (a manifest is passed)."""
    candidates = [
        info
        for info in archive.infolist()
        if not info.is_dir()
        and info.filename.lower().endswith(".xml")
        and info.file_size <= MAX_XML_BYTES
        and not info.flag_bits & 0x1  # encrypted
    ]
    candidates.sort(key=lambda info: (_path(info).count("/"), _path(info)))
    for info in candidates[:MAX_XML_CANDIDATES]:
        try:
            source = Source(archive.read(info), filename=posixpath.basename(_path(info)))
        except ParseError:
            continue  # an empty file
        for family in FAMILIES:
            if family.READER.accepts(source):
                return info, source, family
    return None


class _MemberIndex:
    """Finds the member an enclosure reference names: by path (from the XML's folder or the
    package root), then by file name when only one member has it. Case-insensitive, since
    Acadre's file names and their references disagree on the case of extensions."""

    def __init__(self, members: list[zipfile.ZipInfo], *, base: str) -> None:
        self.base = base.lower()
        self.by_path = {_path(m).lower(): m for m in members}
        self.by_name: dict[str, list[zipfile.ZipInfo]] = {}
        for member in members:
            self.by_name.setdefault(posixpath.basename(_path(member)).lower(), []).append(member)

    def find(self, enclosure: Enclosure) -> zipfile.ZipInfo | None:
        for reference in enclosure.references:
            # A URL or a Windows path: the part after the last slash is a file name as well.
            path = re.sub(r"^[a-z]+://[^/]+/", "", reference.replace("\\", "/").strip().lower())
            path = path.split("?", 1)[0].lstrip("./")
            for candidate in (posixpath.join(self.base, path), path):
                if candidate in self.by_path:
                    return self.by_path[candidate]
        for reference in enclosure.references:
            name = posixpath.basename(reference.replace("\\", "/").split("?", 1)[0]).lower()
            matches = self.by_name.get(name, [])
            if len(matches) == 1:
                return matches[0]
        return None


def _attachment_text(archive: zipfile.ZipFile, member: zipfile.ZipInfo, warnings: list[str]) -> str:
    """The attachment's text for search; empty, with a warning, when it cannot be read."""
    name = member.filename
    extension = posixpath.splitext(_path(member).lower())[1]
    if member.flag_bits & 0x1:
        warnings.append(f"Bilagsfilen {name} er krypteret; dens tekst er ikke læst")
        return ""
    try:
        data = archive.read(member)
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError, ValueError):
        warnings.append(f"Bilagsfilen {name} kan ikke pakkes ud; dens tekst er ikke læst")
        return ""
    if data.startswith(ZIP_MAGIC):
        if extension in OFFICE_EXTENSIONS:
            warnings.append(f"Bilagsfilen {name} er et Office-dokument; dens tekst er ikke læst")
            return ""
        raise ParseError(f"Pakken indeholder en anden zip-fil ({name}); den læses ikke")
    try:
        kind = sniff(data)
        if kind == "pdf":
            from ..pdf import pdf_to_text

            return pdf_to_text(data)
        if kind == "html":
            from ..html import html_to_text

            return html_to_text(data)
        return decode_text(data)
    except ParseError as exc:
        warnings.append(f"Bilagsfilen {name} kan ikke læses: {exc}")
    except Exception as exc:  # noqa: BLE001 - one unreadable attachment must not lose the meeting
        warnings.append(f"Bilagsfilen {name} kan ikke læses ({type(exc).__name__})")
    return ""
