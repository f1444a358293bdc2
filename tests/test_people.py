"""People pages: a person per name within a municipality (the page says so), linked from every
meeting and committee; party letters named from one table; votes as the minutes record them."""

from __future__ import annotations

import re

import pytest

from minutes.models import Attendance, Meeting
from minutes.parties import PARTY_NAMES, party_label

pytestmark = pytest.mark.django_db

MEETING = "/hoeje-taastrup/arbejdsmarkedsudvalget/2021-06-02/"
TURAN = "/hoeje-taastrup/personer/turan-akbulut/"


def _html(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode()


@pytest.mark.parametrize(
    ("letter", "label"),
    [
        ("A", "A (Socialdemokratiet)"),
        ("B", "B (Radikale Venstre)"),
        ("C", "C (Det Konservative Folkeparti)"),
        ("I", "I (Liberal Alliance)"),
        ("M", "M (Moderaterne)"),
        ("V", "V (Venstre)"),
        ("Æ", "Æ (Danmarksdemokraterne)"),
        ("Ø", "Ø (Enhedslisten)"),
        ("Å", "Å (Alternativet)"),
        ("L", "L"),  # a local list: its letter alone, no invented name
        ("", ""),
    ],
)
def test_party_letters_are_named_from_one_table(letter, label):
    assert party_label(letter) == label


def test_every_name_on_a_meeting_links_to_its_person_page(client):
    html = _html(client, MEETING)
    meeting = Meeting.objects.get(committee__slug="arbejdsmarkedsudvalget", date="2021-06-02")
    names = list(meeting.attendance.values_list("name", flat=True))
    assert len(names) == 7
    for name in names:
        link = re.search(rf'<a href="(/hoeje-taastrup/personer/[a-z0-9-]+/)">{name}</a>', html)
        assert link is not None, name
        assert name in _html(client, link.group(1))


def test_a_person_page_counts_meetings_absences_and_committees(client):
    html = _html(client, TURAN)
    assert "<h1>Turan Akbulut" in html
    # Present on 2 June 2021, absent (afbud) at the other Arbejdsmarkedsudvalget meeting.
    facts = dict(re.findall(r"<dt>([^<]+)</dt><dd>(\d+)", html))
    assert facts == {"Til stede": "1", "Som stedfortræder": "0", "Afbud": "1"}
    assert 'href="/hoeje-taastrup/arbejdsmarkedsudvalget/2021-06-02/"' in html
    assert html.count('class="badge badge-absent">Afbud</span>') == 1
    row = re.search(r"Arbejdsmarkedsudvalget</a></th>(.*?)</tr>", html, re.S).group(1)
    assert re.findall(r'<td class="num">(\d+)</td>', row) == ["1", "0", "1"]
    # The page says how people are told apart.
    assert "samme navn i Høje-Taastrup Kommune" in html and "regnes for samme person" in html


def test_a_name_is_a_person_only_within_its_municipality(client):
    _html(client, "/lyngby-taarbaek/personer/turan-akbulut/", status=404)
    _html(client, "/hoeje-taastrup/personer/ingen-saadan-person/", status=404)


def test_substitutes_and_parties_on_the_person_page(client):
    html = _html(client, "/lyngby-taarbaek/personer/cecilie-lindahl/")
    assert '<span class="h1-sub">B (Radikale Venstre)</span>' in html
    assert 'Stedfortræder</span> <span class="muted">I stedet for Gitte Kjær-Westermann' in html


def test_votes_are_the_partys_at_meetings_the_person_attended(client):
    """Seed 001 records votes per party (A undlod, B and C for, Ø fraværende)."""
    meeting = Meeting.objects.get(committee__name="Socialudvalget", date="2020-02-05")
    person = meeting.attendance.filter(status=Attendance.Status.PRESENT).first()
    person.party = "A"
    person.save()
    slug_url = re.search(
        rf'<a href="(/hoeje-taastrup/personer/[a-z0-9-]+/)">{person.name}</a>',
        _html(client, meeting.get_absolute_url()),
    ).group(1)
    html = _html(client, slug_url)
    votes = html.split('id="votes-heading"', 1)[1]
    assert "<td>A (Socialdemokratiet)</td><td>Undlod at stemme</td>" in votes
    # Only the person's party: the other parties' votes are not theirs.
    assert "Radikale Venstre" not in votes and "Enhedslisten" not in votes
    assert "ikke nødvendigvis personens egen stemme" in votes
    # The meeting's own vote table names the parties too.
    agenda = _html(client, meeting.get_absolute_url())
    assert '<th scope="row">Ø (Enhedslisten)</th><td>Fraværende</td>' in agenda


def test_the_people_index_lists_each_name_once(client):
    html = _html(client, "/hoeje-taastrup/personer/")
    assert html.count('href="/hoeje-taastrup/personer/turan-akbulut/"') == 1
    assert "regnes for samme person" in html
    assert 'href="/hoeje-taastrup/personer/"' in _html(client, "/hoeje-taastrup/")


def test_the_same_name_spelled_with_other_capitals_is_one_person(client):
    meeting = Meeting.objects.get(committee__slug="arbejdsmarkedsudvalget", date="2021-06-02")
    Attendance.objects.filter(meeting=meeting, name="Turan Akbulut").update(name="TURAN AKBULUT")
    html = _html(client, TURAN)
    assert "Navnet står i referaterne som: TURAN AKBULUT og Turan Akbulut." in html
    index = _html(client, "/hoeje-taastrup/personer/")
    assert index.count('href="/hoeje-taastrup/personer/turan-akbulut/"') == 1


def test_committee_members_link_to_their_person_pages(client):
    html = _html(client, "/lyngby-taarbaek/forebyggelses-og-socialudvalget/")
    assert '<a href="/lyngby-taarbaek/personer/cecilie-lindahl/">Cecilie Lindahl</a>' in html
    assert "(B (Radikale Venstre))" in html


def test_every_party_letter_is_one_character():
    assert all(len(letter) == 1 for letter in PARTY_NAMES)
