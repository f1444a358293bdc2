"""SBSYS publication packages end to end: the zip (XML plus its bilag) goes in whole through the
ingest command and the admin upload, its meeting shows every item, the bilag downloads from the
stored original, and the bilag's text is found by search."""

from __future__ import annotations

import io
import zipfile
from io import StringIO

import pytest
from django.core.management import call_command

from minutes.models import Attachment, Meeting, SourceFile
from minutes.services.upload import expand

from .conftest import FIXTURES
from .parsing.pdfbuild import build_pdf, text_stream
from .test_upload import confirm, text_of, upload

pytestmark = pytest.mark.django_db

XML = FIXTURES / "formats" / "ballerup_kmb-it-udvalget_2013-05-15_DAGSORDEN.xml"
MEETING_URL = "/ballerup/kmb-it-udvalget/2013-05-15/"
LETTER = "Brev fra KL til Kommunalbestyrelsen vedr Monopolbrud"


def package() -> bytes:
    """The publication as SBSYS publishes it: the XML with its Enclosures folder, zipped."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("Publication32/Publication32.xml", XML.read_bytes())
        archive.writestr(
            "Publication32/Enclosures/1.pdf",
            build_pdf(
                text_stream(["Brev fra KL", "Monopolbrud i KMD og udbud af kvantecomputere"])
            ),
        )
    return buffer.getvalue()


def test_the_upload_keeps_a_package_whole():
    [incoming] = expand("Publication32.zip", package())
    assert (incoming.ok, incoming.file_name) == (True, "Publication32.zip")


def test_a_package_goes_in_with_its_bilag(tmp_path, client):
    path = tmp_path / "Publication32.zip"
    path.write_bytes(package())
    out = StringIO()
    call_command("ingest", str(path), "--no-progress", stdout=out)
    assert "oprettet          1" in out.getvalue()

    meeting = Meeting.objects.get(committee__name="KMB IT-udvalget")
    assert meeting.committee.municipality.name == "Ballerup Kommune"
    assert (meeting.kind, meeting.source.content_type, meeting.source.reader) == (
        "agenda",
        "zip",
        "package:sbsys-xml",
    )
    assert [i.title for i in meeting.items.order_by("position")] == [
        "Meddelelser",
        "Oplæg til standard it-arbejdsplads for Kommunalbestyrelsens medlemmer i 2014-2018",
        "Indførelse af systemet SAPA (Sagsoverblik/Partskontakt)",
        "Regler for indkøb af it-udstyr",
        "Status på eDagsorden",
    ]
    letter = Attachment.objects.get(item__meeting=meeting)
    assert (letter.title, letter.file_name) == (LETTER, "Publication32/Enclosures/1.pdf")
    assert "Monopolbrud i KMD" in letter.text

    page = client.get(MEETING_URL)
    assert page.status_code == 200
    assert f'<a href="/bilag/{letter.pk}/" download>{LETTER}</a>' in page.content.decode()

    download = client.get(f"/bilag/{letter.pk}/")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == 'attachment; filename="1.pdf"'
    assert b"".join(download.streaming_content).startswith(b"%PDF")

    # The bilag's text is searchable with its item.
    found = client.get("/soeg/", {"q": "kvantecomputere"})
    assert "Indførelse af systemet SAPA" in text_of(found)


def test_an_attachment_without_a_file_has_no_download(client):
    call_command("ingest", str(XML), "--no-progress", stdout=StringIO())
    attachment = Attachment.objects.get(item__meeting__committee__name="KMB IT-udvalget")
    assert attachment.file_name == ""
    assert client.get(f"/bilag/{attachment.pk}/").status_code == 404
    assert client.get("/bilag/999999999/").status_code == 404


def test_the_admin_previews_and_stores_a_package(staff_client):
    preview = upload(staff_client, [("Publication32.zip", package())])
    page = text_of(preview)
    assert "1 fil, heraf 1 klar til at blive indlæst" in page
    assert "Læst af package:sbsys-xml" in page
    assert "Status på eDagsorden" in page
    result = confirm(staff_client, preview)
    assert "Publication32.zip oprettet" in text_of(result)
    assert SourceFile.objects.get(file_name="Publication32.zip").reader == "package:sbsys-xml"
