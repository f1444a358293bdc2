"""Incoming files before ingestion: size and type checks, and safe expansion of zip files.

Used by the admin upload and the `ingest` command so both refuse the same things with the same
Danish messages. Nothing here touches the database. Every check that can be made without
reading the body (the size) is made before reading it.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Protocol

from django.conf import settings

from minutes.parsing import ParseError
from minutes.parsing.readers.package import is_package
from minutes.parsing.sniff import file_size, over_limit, sniff

ZIP_MAGIC = b"PK\x03\x04"
EMPTY_ZIP_MAGIC = b"PK\x05\x06"
# Zip members that archivers add and that are never minutes.
JUNK_MEMBERS = re.compile(r"(^|/)(__MACOSX/|\.DS_Store$|Thumbs\.db$|desktop\.ini$)", re.I)
DRIVE_LETTER = re.compile(r"^[A-Za-z]:")


@dataclass(frozen=True)
class Incoming:
    """One file ready for ingestion, or the reason it cannot be.

    `label` names it for the admin (with the zip it came from); `file_name` is what the archive
    stores as the original's name.
    """

    label: str
    file_name: str
    data: bytes | None = None
    size: int | None = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None and self.data is not None

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest() if self.data is not None else ""


class SizedUpload(Protocol):
    """What Django's UploadedFile offers and this module uses."""

    name: str | None
    size: int | None

    def read(self, size: int = -1) -> bytes: ...


def max_bytes() -> int:
    return int(settings.MAX_UPLOAD_BYTES)


def max_zip_files() -> int:
    return int(getattr(settings, "MAX_ZIP_FILES", 500))


def max_zip_total_bytes() -> int:
    """All members of one zip together, unpacked: a guard against zip bombs."""
    return int(getattr(settings, "MAX_ZIP_TOTAL_BYTES", 4 * max_bytes()))


def size_error(size: int) -> str | None:
    if size > max_bytes():
        shown, allowed = over_limit(size, max_bytes())
        return f"Filen fylder {shown} og er større end grænsen på {allowed}."
    return None


def content_error(data: bytes) -> str | None:
    """Why these bytes cannot be minutes, judged by content (never by the file's extension)."""
    if not data or not data.strip():
        return "Filen er tom."
    if is_zip(data):
        if is_package(data):
            return None  # a publication package (XML and its bilag): read whole
        return "Filen er en zip-fil; den skal pakkes ud, før filerne i den kan indlæses."
    try:
        sniff(data)
    except ParseError:
        return (
            "Filtypen kan ikke læses: indholdet er binært og hverken tekst, PDF, HTML eller zip "
            "(typen bedømmes ud fra indholdet, ikke filnavnet)."
        )
    return None


def is_zip(data: bytes) -> bool:
    return data.startswith((ZIP_MAGIC, EMPTY_ZIP_MAGIC))


def from_uploaded_file(upload: SizedUpload) -> list[Incoming]:
    """An admin upload: the size Django already knows is checked before the body is read."""
    name = _base_name(upload.name or "uden-navn")
    size = upload.size or 0
    too_big = size_error(size)
    if too_big:
        return [Incoming(label=name, file_name=name, size=size, error=too_big)]
    # Read at most one byte more than the limit, in case the announced size was wrong.
    data = upload.read(max_bytes() + 1)
    return expand(name, data)


def from_path(path: Path) -> list[Incoming]:
    """A file on disk (the `ingest` command): stat before reading."""
    name = path.name
    size = path.stat().st_size
    too_big = size_error(size)
    if too_big:
        return [Incoming(label=str(path), file_name=name, size=size, error=too_big)]
    with path.open("rb") as handle:
        data = handle.read(max_bytes() + 1)
    return expand(name, data, label=str(path))


def expand(name: str, data: bytes, *, label: str | None = None) -> list[Incoming]:
    """One file, or each file inside a zip; every one checked for size and content."""
    label = label or name
    too_big = size_error(len(data))
    if too_big:
        return [Incoming(label=label, file_name=name, size=len(data), error=too_big)]
    if is_zip(data) and not is_package(data):
        return _unzip(label, data)
    # A publication package (SBSYS/Acadre: the XML with its bilag) is one meeting: kept whole.
    return [_checked(label, name, data)]


def _checked(label: str, name: str, data: bytes) -> Incoming:
    return Incoming(
        label=label, file_name=name, data=data, size=len(data), error=content_error(data)
    )


def _base_name(name: str) -> str:
    # Browsers may send a full client-side path ("C:\\Users\\…\\referat.pdf").
    return PurePosixPath(name.replace("\\", "/")).name[:255] or "uden-navn"


def _unsafe_path(member: str) -> bool:
    normalised = member.replace("\\", "/")
    path = PurePosixPath(normalised)
    return (
        normalised.startswith("/")
        or bool(DRIVE_LETTER.match(normalised))
        or any(part == ".." for part in path.parts)
    )


def _unzip(label: str, data: bytes) -> list[Incoming]:
    """The files in a zip, or one refusal for the whole zip if anything about it is hostile.

    A zip that tries one trick is not trusted for its other members either.
    """

    def refuse(reason: str) -> list[Incoming]:
        return [Incoming(label=label, file_name=_base_name(label), size=len(data), error=reason)]

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError):
        return refuse("Zip-filen er beskadiget eller ufuldstændig og kan ikke pakkes ud.")

    for info in infos:
        if _unsafe_path(info.filename):
            return refuse(
                f"Zip-filen indeholder stien '{info.filename}', der peger uden for mappen; "
                "zip-filen afvises."
            )
    members = [
        info for info in infos if not info.is_dir() and not JUNK_MEMBERS.search(info.filename)
    ]
    if not members:
        return refuse("Zip-filen er tom.")
    if len(members) > max_zip_files():
        return refuse(
            f"Zip-filen indeholder {len(members)} filer; grænsen er {max_zip_files()} filer."
        )
    if any(info.flag_bits & 0x1 for info in members):
        return refuse("Zip-filen er krypteret og kan ikke pakkes ud.")
    for info in members:
        if info.filename.lower().endswith(".zip"):
            return refuse(
                f"Zip-filen indeholder en anden zip-fil ('{info.filename}'); "
                "zip-filer i zip-filer læses ikke."
            )
    declared = sum(info.file_size for info in members)
    if declared > max_zip_total_bytes():
        shown, allowed = over_limit(declared, max_zip_total_bytes())
        return refuse(f"Zip-filen fylder {shown} udpakket; grænsen er {allowed}.")

    result: list[Incoming] = []
    unpacked = 0
    for info in members:
        member_label = f"{label}/{info.filename}"
        name = _base_name(info.filename)
        too_big = size_error(info.file_size)
        if too_big:
            result.append(
                Incoming(label=member_label, file_name=name, size=info.file_size, error=too_big)
            )
            continue
        try:
            with archive.open(info) as handle:
                # The header's sizes can lie: never read more than the limit allows.
                content = handle.read(max_bytes() + 1)
        except (zipfile.BadZipFile, EOFError, OSError, NotImplementedError, RuntimeError):
            return refuse(
                f"Zip-filen er beskadiget: '{info.filename}' kan ikke pakkes ud; zip-filen afvises."
            )
        unpacked += len(content)
        if unpacked > max_zip_total_bytes():
            return refuse(
                f"Zip-filen fylder mere end {file_size(max_zip_total_bytes())} udpakket; "
                "zip-filen afvises."
            )
        if is_zip(content):
            return refuse(
                f"Zip-filen indeholder en anden zip-fil ('{info.filename}'); "
                "zip-filer i zip-filer læses ikke."
            )
        too_big = size_error(len(content))
        if too_big:
            result.append(
                Incoming(label=member_label, file_name=name, size=len(content), error=too_big)
            )
            continue
        result.append(_checked(member_label, name, content))
    return result
