"""The home page and the search form's lists are computed once per state of the archive
(minutes/archive_cache.py) and follow every meeting that comes in."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from minutes.archive_cache import archive_stamp
from tests.test_pages import _archive_with

pytestmark = pytest.mark.django_db


def _served(client, url: str) -> tuple[str, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), [q["sql"] for q in queries.captured_queries]


def _meeting_count(html: str) -> int:
    return int(re.search(r"<strong>([\d.]+)</strong> møder", html).group(1).replace(".", ""))


def test_the_home_page_is_served_again_with_one_query_and_follows_a_new_meeting(client):
    first, cold = _served(client, "/")
    again, warm = _served(client, "/")
    assert again == first
    assert len(cold) > 3 and len(warm) == 1  # only the archive's stamp: no counting
    assert "count(" not in warm[0].lower()

    meeting = _archive_with(2, date="2031-05-04", committee_name="Nyt udvalg")
    after, queries = _served(client, "/")
    assert len(queries) == len(cold)  # rendered again
    assert _meeting_count(after) == _meeting_count(first) + 1
    assert meeting.get_absolute_url() in after  # the newest meeting, listed first
    assert meeting.get_absolute_url() not in first


def test_the_search_forms_lists_are_read_once_per_state_of_the_archive(client):
    url = "/soeg/?q=budget"
    first, cold = _served(client, url)
    _again, warm = _served(client, url)
    assert any("DATE_TRUNC" in sql for sql in cold)
    assert not any("DATE_TRUNC" in sql for sql in warm)
    assert len(warm) < len(cold)
    assert '<option value="2031"' not in first

    _archive_with(1, date="2031-05-04", committee_name="Nyt udvalg")
    after, _queries = _served(client, url)
    assert '<option value="2031">2031' in after  # with its number of matches
    assert '<option value="nyt-udvalg">Nyt udvalg' in after


def test_the_stamp_changes_with_every_table_that_gets_rows():
    before = archive_stamp()
    _archive_with(1, date="2031-05-04")
    assert archive_stamp() != before
    assert archive_stamp() == archive_stamp()


def test_a_case_number_written_another_way_is_sent_to_the_cases_own_address(client):
    response = client.get("/hoeje-taastrup/sager/17-010000/")
    assert response.status_code == 301
    assert response["Location"] == "/hoeje-taastrup/sager/17-10000/"
    assert client.get("/hoeje-taastrup/sager/17-10000/").status_code == 200
