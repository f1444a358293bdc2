"""Plain data classes for a parsed document: the contract between parsing and ingestion."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any, Literal

Kind = Literal["minutes", "agenda", "document"]
Outcome = Literal["approved", "recommended", "noted", "postponed", "rejected", "referred", "other"]
AttendanceStatus = Literal["present", "absent", "substitute"]
VotePosition = Literal["for", "against", "abstain", "absent"]


class ParseError(Exception):
    """The input cannot be read as minutes or a document; says what is wrong and where."""

    def __init__(self, message: str, *, line: int | None = None, page: int | None = None):
        self.message = message
        self.line = line
        self.page = page
        where = f" (linje {line})" if line else f" (side {page})" if page else ""
        super().__init__(f"{message}{where}")

    def __reduce__(self):
        # Pickled whole: a reading in a child process (parsing.budget) sends its refusal back.
        return (_parse_error, (self.message, self.line, self.page))


def _parse_error(message: str, line: int | None, page: int | None) -> ParseError:
    return ParseError(message, line=line, page=page)


@dataclass
class Section:
    heading: str
    text: str


@dataclass
class Vote:
    party: str
    count: int | None
    position: VotePosition


@dataclass
class Decision:
    body: str
    date: date | None
    outcome: Outcome
    this_meeting: bool
    text: str


@dataclass
class Attendee:
    name: str
    party: str | None = None
    status: AttendanceStatus = "present"
    note: str | None = None


@dataclass
class AttachmentFile:
    """An attachment that arrived with the document (a file in an SBSYS/Acadre package).

    `file_name` is the member's path inside the package the document came in; `text` is the
    attachment's extracted text (searchable with its item at the lowest weight), empty when
    the file holds no readable text.
    """

    title: str
    file_name: str
    text: str = ""


@dataclass
class Item:
    number: int
    title: str
    raw_title: str
    case_number: str | None = None
    closed: bool = False
    sections: list[Section] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)
    votes: list[Vote] = field(default_factory=list)
    attachments: list[str] = field(default_factory=list)
    # The case number in one spelling per case (`normalise_case_number`), for lookups.
    case_number_normalised: str | None = None
    # Attachment files that came with the document (a package); `attachments` keeps the titles.
    attachment_files: list[AttachmentFile] = field(default_factory=list)


@dataclass
class DocumentSection:
    """A section of a non-minutes document; `level` is the heading depth (1 for `1.`, 2 for `1.1`)."""

    heading: str
    level: int
    text: str


@dataclass
class ParsedDocument:
    kind: Kind
    municipality: str | None
    committee: str | None
    term: str | None
    date: date | None
    start_time: str | None = None
    location: str | None = None
    title: str | None = None
    attendance: list[Attendee] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    document_sections: list[DocumentSection] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # Which reader made this parse (`minutes.parsing.readers`), e.g. "sbsys-xml", "text".
    reader: str = ""
    # One agenda item published on a page of its own (eDoc Publishing, Københavns Kommune): it
    # adds or updates its item of the meeting; the meeting's other items stay.
    item_page: bool = False

    def as_document(self, fallback_title: str) -> ParsedDocument:
        """This parse as a document (a person said the file is not minutes): each item a section."""
        sections = [
            DocumentSection(
                heading=f"{item.number}. {item.title}",
                level=1,
                text="\n\n".join(
                    part for s in item.sections for part in (s.heading, s.text) if part
                ),
            )
            for item in self.items
        ]
        title = self.title or " ".join(
            part for part in (self.committee, self.date and f"{self.date:%d-%m-%Y}") if part
        )
        return ParsedDocument(
            kind="document",
            municipality=self.municipality,
            committee=self.committee,
            term=self.term,
            date=self.date,
            title=title or fallback_title,
            document_sections=sections,
            warnings=self.warnings,
            reader=self.reader,
        )

    def to_json(self) -> dict[str, Any]:
        """The JSON contract of `python -m minutes.parsing`."""
        data = asdict(self)
        data["date"] = self.date.isoformat() if self.date else None
        for item in data["items"]:
            for decision in item["decisions"]:
                decision["date"] = decision["date"].isoformat() if decision["date"] else None
        return data
