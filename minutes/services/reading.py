"""Reading a file for ingestion: its parse, the municipality it belongs to, and what a person
corrected (committee, date, kind, an accepted problem), stored with the file so a rebuild applies
it again. `IngestError` is the one refusal every ingestion path raises.
"""

from __future__ import annotations

import logging
from datetime import date
from typing import Literal

from minutes.data.municipalities import Authority, by_name, suggest
from minutes.models import Municipality, SourceFile
from minutes.parsing import ParsedDocument, ParseError, parse
from minutes.parsing.model import Kind
from minutes.parsing.municipality import find_authority
from minutes.parsing.readers import Source
from minutes.parsing.sniff import sniff

logger = logging.getLogger(__name__)

Missing = Literal["committee", "date", "municipality"]


# Stand-ins used only to ask "would this file be minutes if it had a header?"
PROBE_COMMITTEE = "Ukendt udvalg"
PROBE_DATE = date(2000, 1, 1)


class IngestError(Exception):
    """A file that cannot go into the archive; the message names the reason in Danish.

    `missing` lists what the admin could supply to get past it (committee, date, municipality).
    """

    def __init__(
        self,
        file_name: str,
        reason: str,
        *,
        missing: tuple[Missing, ...] = (),
        problems: tuple[str, ...] = (),
        parsed: ParsedDocument | None = None,
    ):
        self.file_name = file_name
        self.reason = reason
        self.missing = missing
        # The signs of a failed read (`minutes.parsing.quality`): the file is held for a person,
        # who may correct committee, date or kind, or accept the parse as it is.
        self.problems = problems
        # What was read, for a held file: the admin sees it before correcting or accepting.
        self.parsed = parsed
        super().__init__(f"{file_name}: {reason}")

    def __reduce__(self):
        # Whole across processes (a loading process of the bench, a reading ahead): Exception
        # pickles only the message, which this __init__ cannot be called with.
        return (self.__class__, (self.file_name, self.reason), self.__dict__)

    @property
    def held(self) -> bool:
        return bool(self.problems) and not self.missing


def archive_municipality(name: str) -> Municipality | None:
    """The archive's municipality for a name in any common spelling, or None."""
    authority = by_name(name)
    return Municipality.objects.filter(code=authority.code).first() if authority else None


def resolve_municipality(name: str) -> Municipality:
    """The archive's municipality for a name in any common spelling, or an error with a suggestion."""
    found = archive_municipality(name)
    if found is not None:
        return found
    hint = suggest(name)
    reason = f"Kommunen '{name}' findes ikke"
    raise IngestError("", f"{reason}; mente du '{hint}'?" if hint else f"{reason}.")


def detect_municipality(text: str, file_name: str = "") -> tuple[Authority | None, str | None]:
    """The authority the text belongs to, else the file name's ("ballerup_referat.pdf").

    Returns (authority, None) when found, else (None, the nearest official name to a
    "… Kommune" in the text that matched nothing, if any). One definition for the parser and
    ingestion: `minutes.parsing.municipality.find_authority`.
    """
    return find_authority(text, file_name=file_name)


def rename_committee(parsed: ParsedDocument, committee: str) -> None:
    """The committee a person gave; this meeting's decisions, read under the old name (or
    none, when the file did not name it), are the given committee's."""
    old = parsed.committee or ""
    for item in parsed.items:
        for decision in item.decisions:
            if decision.body == old or not decision.body:
                decision.body = committee
    parsed.committee = committee


def with_kind(
    parsed: ParsedDocument,
    kind: Kind,
    data: bytes,
    file_name: str,
    municipality: Municipality | None,
    committee: str | None,
    meeting_date: date | None,
) -> ParsedDocument:
    """The parse as the kind a person says the file is (referat, dagsorden or dokument)."""
    if kind == "document":
        return parsed.as_document(file_name)
    if parsed.kind != "document":
        parsed.kind = kind
        return parsed
    # A document that is really minutes: read it again as minutes under the given header.
    if not (committee and meeting_date):
        raise IngestError(
            file_name,
            "Angiv udvalg og mødedato for at indlæse dokumentet som referat eller dagsorden.",
            missing=tuple(
                m for m, value in (("committee", committee), ("date", meeting_date)) if not value
            ),
        )
    try:
        return parse_with_header(
            data,
            file_name,
            municipality.name if municipality else None,
            committee,
            meeting_date,
            kind,
        )
    except ParseError as exc:
        raise IngestError(file_name, str(exc)) from exc


def given_municipality(
    file_name: str, given: Municipality | str | None, parsed: ParsedDocument | None
) -> Municipality | None:
    if isinstance(given, Municipality):
        return given
    name = given or (parsed.municipality if parsed else None)
    if not name:
        return None
    try:
        return resolve_municipality(name)
    except IngestError as exc:
        raise IngestError(file_name, exc.reason, missing=("municipality",)) from exc


def detected_municipality(file_name: str, parsed: ParsedDocument) -> Municipality:
    authority, hint = detect_municipality(_document_text(parsed), file_name)
    if authority is not None:
        found = Municipality.objects.filter(code=authority.code).first()
        if found is not None:
            return found
    reason = "Kommunen er ikke angivet, og teksten nævner ingen kendt kommune"
    raise IngestError(
        file_name,
        f"{reason} ({hint}); vælg kommunen." if hint else f"{reason}; vælg kommunen.",
        missing=("municipality",),
    )


def _document_text(parsed: ParsedDocument) -> str:
    """The parsed text, to look for the municipality's name in."""
    parts = [parsed.committee, parsed.location, parsed.title]
    for item in parsed.items:
        parts.append(item.title)
        parts += [section.text for section in item.sections]
        parts += [decision.text for decision in item.decisions]
        parts += item.attachments
    for section in parsed.document_sections:
        parts += [section.heading, section.text]
    return "\n".join(part for part in parts if part)


def parse_file(
    data: bytes,
    file_name: str,
    municipality: Municipality | None,
    committee: str | None,
    meeting_date: date | None,
) -> ParsedDocument:
    name = municipality.name if municipality else None
    try:
        return parse(data, filename=file_name, municipality=name)
    except ParseError as exc:
        return _parse_refused(exc, data, file_name, name, committee, meeting_date)
    except Exception as exc:  # noqa: BLE001 - a reader's bug must not cost the other files
        logger.exception("Læseren fejlede på %s", file_name)
        raise IngestError(
            file_name,
            f"Filen kunne ikke læses på grund af en fejl i Referatarkivets læser "
            f"({type(exc).__name__}); filen er ikke indlæst, og fejlen er logget.",
        ) from exc


def _parse_refused(
    exc: ParseError,
    data: bytes,
    file_name: str,
    name: str | None,
    committee: str | None,
    meeting_date: date | None,
) -> ParsedDocument:
    """A file the readers refused: readable after all with the header the admin supplied?"""
    if committee and meeting_date:
        try:
            return parse_with_header(data, file_name, name, committee, meeting_date)
        except ParseError:
            pass
    if _has_items_without_header(data, file_name):
        raise IngestError(
            file_name,
            f"{exc}. Udvalg og mødedato kunne ikke findes; angiv dem, så kan filen indlæses.",
            missing=tuple(
                m for m, value in (("committee", committee), ("date", meeting_date)) if not value
            )
            or ("committee", "date"),
        ) from exc
    raise IngestError(file_name, str(exc)) from exc


def _plain_text(data: bytes) -> str:
    """The text of a file as the parser sees it; only needed when the header is unreadable."""
    return Source(data).text


def parse_with_header(
    data: bytes,
    file_name: str,
    municipality: str | None,
    committee: str,
    meeting_date: date,
    kind: str = "minutes",
) -> ParsedDocument:
    """Parse the file as if it began with a header naming the committee and date.

    The original bytes are stored unchanged; the header only exists for this parse.
    """
    word = "DAGSORDEN" if kind == "agenda" else "REFERAT"
    header = f"{word} {' '.join(committee.split())} d. {meeting_date:%d-%m-%Y}\n\n"
    parsed = parse(
        (header + _plain_text(data)).encode("utf-8"), filename=file_name, municipality=municipality
    )
    parsed.committee, parsed.date = " ".join(committee.split()), meeting_date
    return parsed


def _has_items_without_header(data: bytes, file_name: str) -> bool:
    """Whether the file would read as minutes with agenda items if it only had a header.

    Not asked of PDFs: a PDF the parser refused is nearly always one whose text cannot be
    extracted, and extracting it again (in a child process, up to its time limit) would only
    double the wait for the same refusal.
    """
    try:
        if sniff(data) == "pdf":
            return False
        probe = parse_with_header(data, file_name, None, PROBE_COMMITTEE, PROBE_DATE)
    except ParseError:
        return False
    return probe.kind != "document" and bool(probe.items)


def corrections_record(
    *,
    committee: str | None = None,
    meeting_date: date | None = None,
    kind: Kind | None = None,
    accept_problems: bool = False,
) -> dict:
    """What a person gave for a file, as stored with it (`stored_corrections` reads it back)."""
    given = {
        "committee": committee,
        "meeting_date": meeting_date.isoformat() if meeting_date else None,
        "kind": kind,
        "accept_problems": accept_problems or None,
    }
    return {name: value for name, value in given.items() if value}


def stored_corrections(source: SourceFile) -> dict:
    """The corrections stored with a source file, as `prepare` takes them."""
    found = dict(source.corrections or {})
    if found.get("meeting_date"):
        found["meeting_date"] = date.fromisoformat(found["meeting_date"])
    return found
