"""Issue 15: "a database that is down gives 'Søgningen tog for lang tid'". The search's own
message is for a search stopped by its statement timeout (tests/test_search.py); a database that
cannot be reached gets the archive's 503 page, which says so."""

from __future__ import annotations

import pytest
from django.test import Client

from minutes.search_views import TIMEOUT_MESSAGE

from .test_hardening_admin import database_down  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/soeg/?q=borgere",
        "/api/search?q=borgere",
        "/api/search.csv?q=borgere",
        "/soeg/feed/?q=borgere",
    ],
)
def test_a_search_with_the_database_down_says_the_archive_is_unavailable(database_down, url):  # noqa: F811
    response = Client().get(url)
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    html = response.content.decode()
    assert "Arkivet er midlertidigt utilgængeligt" in html
    assert TIMEOUT_MESSAGE.split(" og ")[0] not in html
