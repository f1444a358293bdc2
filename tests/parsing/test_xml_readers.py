"""The structured readers: SBSYS and Acadre XML, and the zip package with the attachments.

The real SBSYS eDagsorden publication (Ballerup, KMB IT-udvalget 2013-05-15, a final agenda) is
read exactly; variants of it, written here, carry what that file does not: filled decision
slots, "Tomt indhold", earlier decisions, apologies. Acadre has no public sample: its agenda XML
is written here from the structure OS2web's Acadre import reads. Hostile XML (entities, external
references) and hostile zips (too many members, paths out of the package, bombs, zips in zips)
are refused with a Danish ParseError.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from datetime import date
from xml.etree import ElementTree as ET

import pytest

from minutes.parsing import ParseError, parse
from minutes.parsing.model import AttachmentFile
from minutes.parsing.municipality import authority_of_domain
from minutes.parsing.readers import package
from minutes.parsing.readers.package import is_package

from .conftest import FIXTURES
from .pdfbuild import build_pdf, text_stream

XML = FIXTURES / "formats" / "ballerup_kmb-it-udvalget_2013-05-15_DAGSORDEN.xml"
KEY = FIXTURES / "formats" / "expected" / "ballerup_kmb-it-udvalget_2013-05-15_DAGSORDEN.json"
ENCLOSURE_TITLE = "Brev fra KL til Kommunalbestyrelsen vedr Monopolbrud"


@pytest.fixture(scope="module")
def publication() -> bytes:
    return XML.read_bytes()


def edited(data: bytes, edit) -> bytes:
    """The publication after `edit(root)`, written back as UTF-8 XML."""
    root = ET.fromstring(data)
    edit(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def item_element(root: ET.Element, number: int) -> ET.Element:
    return next(i for i in root.iter("Item") if i.findtext("Number") == str(number))


def fill(field: ET.Element, caption: str, html: str, *, feedback: bool = True) -> None:
    field.find("Caption").text = caption
    field.find("HasContent").text = "True"
    field.find("IsFeedback").text = str(feedback)
    field.find("Content").text = html


def add_field(item: ET.Element, caption: str, html: str, *, feedback: bool = True) -> None:
    field = ET.SubElement(item.find("Fields"), "ItemField", ID="9999")
    for tag in ("Caption", "HasContent", "IsFeedback", "Content"):
        ET.SubElement(field, tag)
    fill(field, caption, html, feedback=feedback)


def decision_slot(item: ET.Element) -> ET.Element:
    return next(f for f in item.iter("ItemField") if f.findtext("Caption") == "Beslutning")


# --- The real SBSYS publication ------------------------------------------------------------


def test_the_real_publication_is_read_exactly(publication: bytes):
    doc = parse(publication, filename=XML.name)
    assert doc.reader == "sbsys-xml"
    assert (doc.kind, doc.municipality, doc.committee) == (
        "agenda",
        "Ballerup Kommune",
        "KMB IT-udvalget",
    )
    assert (doc.date, doc.start_time) == (date(2013, 5, 15), "16:30")
    assert doc.location == "Mødecenter A, Lokale 3 på Ballerup Rådhus"
    assert doc.term == "2010-2013"
    assert [(i.number, i.title) for i in doc.items] == [
        (1, "Meddelelser"),
        (2, "Oplæg til standard it-arbejdsplads for Kommunalbestyrelsens medlemmer i 2014-2018"),
        (3, "Indførelse af systemet SAPA (Sagsoverblik/Partskontakt)"),
        (4, "Regler for indkøb af it-udstyr"),
        (5, "Status på eDagsorden"),
    ]
    assert [i.attachments for i in doc.items] == [[], [], [ENCLOSURE_TITLE], [], []]
    assert all(not i.decisions and not i.closed and i.case_number is None for i in doc.items)
    # A standalone XML brought no files: the titles are listed, no attachment files.
    assert all(not i.attachment_files for i in doc.items)
    assert len(doc.attendance) == 11
    assert doc.attendance[0].name == "Doris Børger" and doc.attendance[0].party == "A"
    assert {a.status for a in doc.attendance} == {"present"}
    assert doc.warnings == []


def test_the_real_publication_scores_every_point_of_its_key(publication: bytes):
    key = json.loads(KEY.read_text("utf-8"))
    doc = parse(publication, filename=XML.name).to_json()
    for field in ("kind", "municipality", "committee", "date", "start_time", "location"):
        assert doc[field] == key[field], field
    assert [a["name"] for a in doc["attendance"] if a["status"] == "absent"] == key["absent"]
    got = [
        (
            i["number"],
            i["title"],
            i["case_number"],
            i["closed"],
            len(i["attachments"]),
            i["decisions"],
        )
        for i in doc["items"]
    ]
    expected = [
        (i["number"], i["title"], i["case_number"], i["closed"], i["attachments"], i["decisions"])
        for i in key["items"]
    ]
    assert got == expected


def test_fields_become_sections_of_plain_text(publication: bytes):
    item = parse(publication).items[1]
    headings = [s.heading for s in item.sections]
    assert headings[:3] == ["Tidligere behandling", "Sammendrag", "Baggrund"]
    assert "Indstilling" in headings and "Beslutningen træffes af" in headings
    recommendation = next(s.text for s in item.sections if s.heading == "Indstilling")
    # The ordered list (upper-alpha) keeps its letters; HTML and entities are gone.
    assert recommendation.startswith(
        "Center for IT og Digitalisering indstiller, at\n\nA. Gennemførelse"
    )
    assert "\nB. Pilottesten gennemføres fra september til november 2013." in recommendation
    assert not re.search(r"<\w|&\w+;|\xa0", "".join(s.text for s in item.sections))


def test_a_publication_without_xml_declaration_is_still_sbsys(publication: bytes):
    bare = re.sub(rb"^\xef\xbb\xbf<\?xml[^>]*\?>\s*", b"", publication)
    assert not bare.startswith(b"<?xml")
    assert parse(bare).reader == "sbsys-xml"


def test_the_municipality_comes_from_the_mail_domain_when_the_place_does_not_say(
    publication: bytes,
):
    def anonymous_place(root):
        root.find("Agendas/Agenda/Meeting/Where").text = "Mødecenter A"
        root.find("Agendas/Agenda/Committee/DefaultMeetingPlace").text = "Mødecenter A"
        for content in root.iter("Content"):
            content.text = (content.text or "").replace("Ballerup Kommune", "kommunen")

    doc = parse(edited(publication, anonymous_place))
    assert doc.municipality == "Ballerup Kommune"  # every address is @balk.dk
    found = [authority_of_domain(d) for d in ("koege.dk", "mail.ballerup.dk", "gmail.com")]
    assert [a.name if a else None for a in found] == ["Køge Kommune", "Ballerup Kommune", None]


def test_the_municipality_named_most_in_the_items_when_nothing_else_says(publication: bytes):
    def anonymous(root):
        root.find("Agendas/Agenda/Meeting/Where").text = "Mødecenter A"
        root.find("Agendas/Agenda/Committee/DefaultMeetingPlace").text = "Mødecenter A"
        for address in root.iter("EmailAddress"):
            address.text = "sekretariat@example.org"

    assert parse(edited(publication, anonymous)).municipality == "Ballerup Kommune"
    assert parse(publication, municipality="Gentofte Kommune").municipality == "Gentofte Kommune"


# --- Decisions: minutes, placeholders, earlier treatment -----------------------------------


def test_filled_decision_slots_make_minutes(publication: bytes):
    def minutes(root):
        item2 = item_element(root, 2)
        fill(decision_slot(item2), "KMB IT-UDVALGETS BESLUTNING", "<p>Godkendt.</p>")
        add_field(item2, "KOMMUNALBESTYRELSENS BESLUTNING", "<p>Godkendt som indstillet.</p>")
        fill(decision_slot(item_element(root, 3)), "Beslutning", "<p>Drøftet.</p>")
        add_field(
            item_element(root, 4),
            "ØKONOMIUDVALGETS BESLUTNING",
            "<p>Oversendes til Kommunalbestyrelsen.</p>",
        )
        fill(decision_slot(item_element(root, 4)), "Beslutning", "<p>Taget til efterretning.</p>")
        # Earlier treatment is not a decision, even as a filled feedback field.
        add_field(item_element(root, 5), "PUNKTET BEHANDLET TIDLIGERE", "<p>KB 30.01.2012</p>")

    doc = parse(edited(publication, minutes))
    assert doc.kind == "minutes"
    decisions = {
        i.number: [(d.body, d.date, d.outcome, d.this_meeting, d.text) for d in i.decisions]
        for i in doc.items
    }
    meeting_day = date(2013, 5, 15)
    assert decisions == {
        1: [],
        2: [
            ("KMB IT-udvalget", meeting_day, "approved", True, "Godkendt."),
            ("Kommunalbestyrelsen", None, "approved", False, "Godkendt som indstillet."),
        ],
        3: [("KMB IT-udvalget", meeting_day, "noted", True, "Drøftet.")],
        4: [
            ("KMB IT-udvalget", meeting_day, "noted", True, "Taget til efterretning."),
            ("Økonomiudvalget", None, "referred", False, "Oversendes til Kommunalbestyrelsen."),
        ],
        5: [],
    }
    assert doc.items[4].sections[-1].heading == "PUNKTET BEHANDLET TIDLIGERE"


def test_an_empty_or_placeholder_slot_is_no_decision(publication: bytes):
    def placeholders(root):
        fill(decision_slot(item_element(root, 2)), "Beslutning", "<p>Tomt indhold</p>")
        fill(decision_slot(item_element(root, 3)), "Beslutning", "<p>&nbsp;</p>")

    doc = parse(edited(publication, placeholders))
    assert doc.kind == "agenda"
    assert all(not item.decisions for item in doc.items)


def test_another_bodys_filled_slot_leaves_an_agenda_an_agenda(publication: bytes):
    def earlier_committee(root):
        add_field(item_element(root, 2), "ØKONOMIUDVALGETS BESLUTNING", "<p>Anbefales.</p>")

    doc = parse(edited(publication, earlier_committee))
    assert doc.kind == "agenda"
    [decision] = doc.items[1].decisions
    assert (decision.body, decision.outcome, decision.this_meeting) == (
        "Økonomiudvalget",
        "recommended",
        False,
    )


def test_the_publication_type_minutes_is_minutes(publication: bytes):
    def minutes_type(root):
        root.find("PublicationTypeAsValue").text = "2"
        root.find("PublicationTypeAsEnum").text = "Minutes"

    assert parse(edited(publication, minutes_type)).kind == "minutes"


def test_item_history_gives_earlier_decisions_with_their_body_and_date(publication: bytes):
    def history(root):
        item = item_element(root, 2)
        field = ET.SubElement(ET.SubElement(item, "ItemHistory"), "ItemField", ID="1")
        ET.SubElement(field, "Caption").text = "Beslutning"
        ET.SubElement(field, "HasContent").text = "True"
        ET.SubElement(field, "Content").text = "<p>Udsat.</p>"
        details = ET.SubElement(field, "MeetingDetails")
        ET.SubElement(details, "CommitteeName").text = "KMB IT-udvalget"
        ET.SubElement(details, "MeetingDueDate").text = "05-12-2012 16:30:00"

    doc = parse(edited(publication, history))
    assert doc.kind == "agenda"  # an earlier meeting's decision is no decision of this one
    [decision] = doc.items[1].decisions
    assert (decision.body, decision.date, decision.outcome, decision.this_meeting) == (
        "KMB IT-udvalget",
        date(2012, 12, 5),
        "postponed",
        False,
    )


def test_participation_status_gives_absences_and_closed_items(publication: bytes):
    def apologies(root):
        member = root.find("Agendas/Agenda/Meeting/Members/MeetingMember")
        member.find("ParticipationStatusAsValue").text = "2"
        member.find("ParticipationStatusAsText").text = "Absent"
        member.find("ParticipationNote").text = "Afbud"
        item_element(root, 4).find("IsPublic").text = "False"
        item_element(root, 4).find("Case/Number").text = "00.01.00-A00-12-13"

    doc = parse(edited(publication, apologies))
    absent = [(a.name, a.party, a.note) for a in doc.attendance if a.status == "absent"]
    assert absent == [("Doris Børger", "A", "Afbud")]
    assert [i.closed for i in doc.items] == [False, False, False, True, False]
    assert doc.items[3].case_number == "00.01.00-A00-12-13"


def test_items_follow_their_numbers_not_the_file_order(publication: bytes):
    def reversed_items(root):
        items = root.find("Agendas/Agenda/Items")
        elements = list(items)
        for element in elements:
            items.remove(element)
        items.extend(reversed(elements))

    doc = parse(edited(publication, reversed_items))
    assert [i.number for i in doc.items] == [1, 2, 3, 4, 5]
    assert doc.items[2].attachments == [ENCLOSURE_TITLE]


# --- The Danish SBSYS agenda export --------------------------------------------------------

DANISH_EXPORT = """<?xml version="1.0" encoding="utf-8"?>
<Dagsorden DagsordenID="812" Åben="true" Dagsordentype="Referat">
  <Møde MødeID="77" Udvalg="Teknik- og Miljøudvalget" UdvalgID="5"
        Mødedato="27. august 2018" Mødetid="16:00" Mødested="Mødelokale 2, Rudersdal Rådhus"/>
  <Dagsordenpunkter>
    <Dagsordenpunkt DagsordenpunktID="1" Nummer="1" Åbent="true" Sagsnummer="18/1234">
      <Overskrift>Godkendelse af dagsorden</Overskrift>
      <Indhold>
        <Felt Navn="Sagsfremstilling"><![CDATA[<p>Dagsordenen forelægges.</p>]]></Felt>
        <Felt Navn="TEKNIK- OG MILJØUDVALGETS BESLUTNING"><![CDATA[<p>Godkendt.</p>]]></Felt>
      </Indhold>
      <Bilagsliste><Bilag BilagID="9" Navn="Kortbilag" BilagUrl="Bilag/9.pdf" MaaPubliceres="true"/></Bilagsliste>
    </Dagsordenpunkt>
    <Dagsordenpunkt DagsordenpunktID="2" Nummer="2" Åbent="false">
      <Overskrift>Salg af grund</Overskrift>
    </Dagsordenpunkt>
  </Dagsordenpunkter>
</Dagsorden>
"""


def test_the_danish_sbsys_export_is_read():
    doc = parse(DANISH_EXPORT.encode("utf-8"))
    assert doc.reader == "sbsys-xml"
    assert (doc.kind, doc.committee, doc.date, doc.start_time) == (
        "minutes",
        "Teknik- og Miljøudvalget",
        date(2018, 8, 27),
        "16:00",
    )
    assert doc.municipality == "Rudersdal Kommune"
    first, second = doc.items
    assert (first.title, first.case_number, first.attachments) == (
        "Godkendelse af dagsorden",
        "18/1234",
        ["Kortbilag"],
    )
    assert [s.heading for s in first.sections] == ["Sagsfremstilling"]
    [decision] = first.decisions
    assert (decision.body, decision.outcome, decision.this_meeting) == (
        "Teknik- og Miljøudvalget",
        "approved",
        True,
    )
    assert second.closed and not second.decisions


# --- Acadre --------------------------------------------------------------------------------


def acadre_field(name: str, value: str) -> str:
    return f'<field name="{name}"><![CDATA[{value}]]></field>'


def acadre_table(name: str, fields: dict[str, str], *children: str) -> str:
    inner = "".join(acadre_field(k, v) for k, v in fields.items())
    return f'<table name="{name}"><fields>{inner}</fields>{"".join(children)}</table>'


def acadre_item(sort: int, name: str, caseno: str, access: str, bullets, enclosures=()) -> str:
    parts = [
        acadre_table("bullet", {"sysid": str(sort * 10 + i), "bulletname": t, "bulletcontent": c})
        for i, (t, c) in enumerate(bullets)
    ]
    parts += [
        acadre_table("enclosure", {"sysid": str(900 + i), "name": t, "filename": f, "access": "1"})
        for i, (t, f) in enumerate(enclosures)
    ]
    entry = acadre_table(
        "agendaitem",
        {
            "sysid": str(5000 + sort),
            "name": name,
            "caseno": caseno,
            "access": access,
            "accessname": "Åben" if access == "1" else "Fortroligt",
            "comname": "Økonomiudvalget",
        },
        *parts,
    )
    return acadre_table("agendaitemparents", {"sort": str(sort)}, entry)


ACADRE = (
    '<?xml version="1.0" encoding="utf-8"?>\n<acadre>'
    + acadre_table(
        "agenda",
        {"sysid": "4711", "name": "Referat", "producedate": "2013-04-11T09:12:00"},
        acadre_table(
            "meeting",
            {
                "sysid": "321",
                "name": "Økonomiudvalget - 10-04-2013",
                "date": "2013-04-10T15:00:00",
                "finish": "2013-04-10T17:00:00",
                "location": "Mødelokale 1, Syddjurs Rådhus",
            },
        ),
        acadre_table(
            "committee",
            {"sysid": "12", "name": "Økonomiudvalget"},
            acadre_table(
                "commember",
                {},
                acadre_table("member", {"name": "Claus Wistoft (V)"}),
                acadre_table("member", {"name": "Kirstine Bille (F)"}),
            ),
        ),
        # Out of order on purpose: the `sort` field numbers the items.
        acadre_item(
            2,
            "Salg af Hovedgaden 3",
            "13/2034",
            "3",
            # Written in lower case: the committee's own spelling wins.
            [("Beslutning i økonomiudvalget den 10-04-2013", "<p>Godkendt.</p>")],
        ),
        acadre_item(
            1,
            "Budgetopfølgning pr. 31. marts 2013",
            "13/1187",
            "1",
            [
                ("Sagsfremstilling", "<p>Forvaltningen fremlægger budgetopfølgningen.</p>"),
                (
                    "Indstilling",
                    "<p>Direktionen indstiller, at opfølgningen tages til efterretning.</p>",
                ),
                ("Beslutning i Økonomiudvalget den 06-03-2013", "<p>Udsat.</p>"),
                ("Beslutning i Økonomiudvalget den 10-04-2013", "<p>Taget til efterretning.</p>"),
                ("Beslutning i Byrådet den 24-04-2013", ""),
            ],
            [("Budgetopfølgning 1. kvartal", "123456.PDF"), ("Notat om anlæg", "123457.htm")],
        ),
    )
    + "</acadre>"
)


def test_the_acadre_agenda_xml_is_read():
    doc = parse(ACADRE.encode("utf-8"))
    assert doc.reader == "acadre-xml"
    assert (doc.kind, doc.committee, doc.date, doc.start_time) == (
        "minutes",
        "Økonomiudvalget",
        date(2013, 4, 10),
        "15:00",
    )
    assert (doc.location, doc.municipality) == ("Mødelokale 1, Syddjurs Rådhus", "Syddjurs Kommune")
    assert [(a.name, a.party) for a in doc.attendance] == [
        ("Claus Wistoft", "V"),
        ("Kirstine Bille", "F"),
    ]
    first, second = doc.items
    assert (first.number, first.title, first.case_number, first.closed) == (
        1,
        "Budgetopfølgning pr. 31. marts 2013",
        "13/1187",
        False,
    )
    assert [s.heading for s in first.sections] == ["Sagsfremstilling", "Indstilling"]
    assert [(d.body, d.date, d.outcome, d.this_meeting) for d in first.decisions] == [
        ("Økonomiudvalget", date(2013, 3, 6), "postponed", False),
        ("Økonomiudvalget", date(2013, 4, 10), "noted", True),
    ]
    assert first.attachments == ["Budgetopfølgning 1. kvartal", "Notat om anlæg"]
    [decision] = second.decisions
    assert (second.number, second.closed) == (2, True)
    assert (decision.body, decision.outcome, decision.this_meeting) == (
        "Økonomiudvalget",
        "approved",
        True,
    )


def test_the_acadre_manifest_alone_is_no_meeting():
    manifest = (
        '<?xml version="1.0"?><root><table name="producedAgenda"><fields>'
        '<field sysid="4711" publish="1" type="2" filesfolder="Files_1_4711" '
        'xmlfilename="4711.xml" docfilename="4711.docx"/></fields></table></root>'
    )
    with pytest.raises(ParseError):
        parse(manifest.encode("utf-8"))


# --- Hostile XML ---------------------------------------------------------------------------

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE Publication [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<Publication><PublicationTypeAsValue>1</PublicationTypeAsValue>
<Agendas><Agenda><Name>&lol9;</Name></Agenda></Agendas></Publication>
"""
EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE Publication [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<Publication><Agendas><Agenda><Name>&secret;</Name></Agenda></Agendas></Publication>
"""
EXTERNAL_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE Publication SYSTEM "http://example.invalid/publication.dtd">
<Publication><Agendas><Agenda><Name>KB</Name></Agenda></Agendas></Publication>
"""


@pytest.mark.parametrize("data", [BILLION_LAUGHS, EXTERNAL_ENTITY, EXTERNAL_DTD])
def test_entities_and_external_references_are_refused(data: bytes):
    with pytest.raises(ParseError, match="dokumenttypeerklæring") as refused:
        parse(data)
    assert "root:" not in str(refused.value)


def test_broken_xml_says_where():
    with pytest.raises(ParseError, match="ikke gyldig XML") as refused:
        parse(b'<?xml version="1.0"?>\n<Publication>\n<Agendas><Agenda></Agendas>\n</Publication>')
    assert refused.value.line == 3


# --- The package -----------------------------------------------------------------------------


def zipped(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def with_text_enclosure(root: ET.Element) -> None:
    """Item 5 gets a second enclosure, a text file, named by file name only."""
    enclosures = item_element(root, 5).find("Enclosures")
    enclosure = ET.SubElement(enclosures, "Enclosure", ID="8", ItemID="115")
    ET.SubElement(enclosure, "Name").text = "Status på eDagsorden, notat"
    ET.SubElement(enclosure, "InstantiationFileName").text = "2.txt"


PDF_ENCLOSURE = build_pdf(text_stream(["Brev fra KL", "Monopolbrud i KMD"]))


def test_a_package_fills_each_items_attachment_files(publication: bytes):
    xml = edited(publication, with_text_enclosure)
    data = zipped(
        {
            "Publication32/Publication32.xml": xml,
            "Publication32/Enclosures/1.pdf": PDF_ENCLOSURE,
            "Publication32/Enclosures/2.txt": "Notat om eDagsorden: status og opfølgning.".encode(),
        }
    )
    assert is_package(data)
    doc = parse(data, filename="Publication32.zip")
    assert doc.reader == "package:sbsys-xml"
    assert doc.committee == "KMB IT-udvalget" and len(doc.items) == 5
    [letter] = doc.items[2].attachment_files
    assert (letter.title, letter.file_name) == (ENCLOSURE_TITLE, "Publication32/Enclosures/1.pdf")
    assert "Monopolbrud i KMD" in letter.text
    assert doc.items[4].attachment_files == [
        AttachmentFile(
            "Status på eDagsorden, notat",
            "Publication32/Enclosures/2.txt",
            "Notat om eDagsorden: status og opfølgning.",
        )
    ]
    assert doc.items[4].attachments == ["Status på eDagsorden, notat"]
    assert doc.warnings == []


def test_unreadable_or_missing_attachments_are_warnings(publication: bytes):
    xml = edited(publication, with_text_enclosure)
    data = zipped(
        {"Publication32.xml": xml, "Enclosures/1.pdf": b"%PDF-1.4 nothing but a broken header"}
    )
    doc = parse(data)
    [broken] = doc.items[2].attachment_files
    assert (broken.file_name, broken.text) == ("Enclosures/1.pdf", "")
    assert any("Enclosures/1.pdf kan ikke læses" in w for w in doc.warnings)
    assert any("'Status på eDagsorden, notat'" in w and "findes ikke" in w for w in doc.warnings)
    assert doc.items[4].attachment_files == []


def test_an_office_attachment_is_kept_without_text(publication: bytes):
    docx = zipped({"word/document.xml": b"<w:document/>"})

    def docx_enclosure(root):
        for enclosure in root.iter("Enclosure"):
            enclosure.find("InstantiationFilePathRelative").text = "Enclosures\\1.docx"

    data = zipped(
        {"Publication32.xml": edited(publication, docx_enclosure), "Enclosures/1.docx": docx}
    )
    doc = parse(data)
    [attached] = doc.items[2].attachment_files
    assert (attached.file_name, attached.text) == ("Enclosures/1.docx", "")
    assert any("Office-dokument" in w for w in doc.warnings)


def test_an_acadre_package_matches_file_names_whatever_their_case():
    data = zipped(
        {
            "XML_4711.xml": b'<?xml version="1.0"?><root><table name="producedAgenda"/></root>',
            "Files_1_4711/4711.xml": ACADRE.encode("utf-8"),
            "Files_1_4711/123456.pdf": PDF_ENCLOSURE,
            "Files_1_4711/123457.HTM": "<html><body><p>Notat om anlæg i 2013</p></body></html>".encode(),
        }
    )
    doc = parse(data)
    assert doc.reader == "package:acadre-xml"
    files = doc.items[0].attachment_files
    assert [(f.title, f.file_name) for f in files] == [
        ("Budgetopfølgning 1. kvartal", "Files_1_4711/123456.pdf"),
        ("Notat om anlæg", "Files_1_4711/123457.HTM"),
    ]
    assert "Monopolbrud i KMD" in files[0].text and "Notat om anlæg i 2013" in files[1].text


def test_is_package_knows_a_publication_zip_from_other_zips(publication: bytes):
    assert is_package(zipped({"Publication32.xml": publication}))
    assert not is_package(zipped({"referat.pdf": PDF_ENCLOSURE, "noter.xml": b"<noter/>"}))
    assert not is_package(publication)
    assert not is_package(b"PK\x03\x04 not really a zip")
    assert not is_package(b"")


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"../../etc/cron.d/evil": b"x"}, "ugyldig sti"),
        ({"/etc/passwd": b"x"}, "ugyldig sti"),
        ({"C:/Windows/evil.txt": b"x"}, "ugyldig sti"),
        ({"Enclosures/inner.zip": b"PK\x03\x04"}, "anden zip-fil"),
        ({f"Enclosures/{n}.txt": b"x" for n in range(500)}, "501 filer"),
    ],
    ids=["dotdot", "absolute", "drive", "nested-by-name", "too-many"],
)
def test_hostile_packages_are_refused(publication: bytes, extra: dict[str, bytes], message: str):
    data = zipped({"Publication32.xml": publication, **extra})
    assert is_package(data)  # kept whole by the upload, and refused by the reader
    with pytest.raises(ParseError, match=message):
        parse(data)


def test_a_zip_hidden_as_an_attachment_is_refused(publication: bytes):
    inner = zipped({"bomb.txt": b"\0" * 1000})
    data = zipped({"Publication32.xml": publication, "Enclosures/1.pdf": inner})
    with pytest.raises(ParseError, match="anden zip-fil"):
        parse(data)


def test_a_package_too_large_unpacked_is_refused(publication: bytes, monkeypatch):
    # The limit is 200 MB; a small limit shows the check without writing 200 MB in a test.
    monkeypatch.setattr(package, "MAX_TOTAL_BYTES", len(publication) + 1000)
    data = zipped({"Publication32.xml": publication, "Enclosures/1.pdf": b"\0" * 2000})
    with pytest.raises(ParseError, match=r"Pakken fylder over [\d.,]+ (MB|bytes) udpakket"):
        parse(data)


def test_a_zip_without_a_publication_is_no_package():
    # No reader claims it: the upload unpacks such a zip, a parse of it is refused.
    with pytest.raises(ParseError, match="Ingen læser kender"):
        parse(zipped({"referat.pdf": PDF_ENCLOSURE}))
