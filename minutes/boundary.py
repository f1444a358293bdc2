"""Input and output at the boundary: characters that no part of the archive can hold.

In: `InvalidCharactersMiddleware` answers 400 ("Forespørgslen indeholder ugyldige tegn") before
any view runs when the path or the query string holds a NUL or another control character.
PostgreSQL refuses NUL in text, XML 1.0 cannot hold most C0 controls, and no address or search
of the archive needs them, so one check here covers every view (the search form refuses them too,
see minutes.forms). Tab, line feed and carriage return are allowed in query values (a pasted
search may hold them; the form turns them into spaces), never in the path. A URL longer than
gunicorn's request line (4094 bytes) gets 414 ("Adressen er for lang"), so runserver and the test
client refuse what production never passes on.

Out: `xml_safe` drops what XML 1.0 cannot hold (the feeds and the CSV use it on text that
comes from minutes files), and `spreadsheet_cell` neutralises a CSV cell a spreadsheet would
run as a formula.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import engines

INVALID_MESSAGE = "Forespørgslen indeholder ugyldige tegn"
INVALID_EXPLANATION = (
    "Adressen indeholder tegn, der ikke kan stå i en søgning eller en adresse i arkivet "
    "(fx kontroltegn). Ret adressen, eller søg igen fra forsiden."
)
TOO_LONG_MESSAGE = "Adressen er for lang"
TOO_LONG_EXPLANATION = (
    "Adressen er længere, end arkivet kan tage imod. Søg med færre ord, eller søg igen fra "
    "forsiden."
)
# gunicorn's default limit_request_line: longer request lines never reach the archive there.
MAX_URL_LENGTH = 4094

# Every control character (Unicode Cc: C0, DEL, C1) and the two noncharacters XML refuses.
_CONTROLS = "\x00-\x1f\x7f-\x9f\ufffe\uffff"
PATH_INVALID = re.compile(f"[{_CONTROLS}]")
# In a query value, the three whitespace controls are text; the form turns them into spaces.
VALUE_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
WHITESPACE_CONTROLS = re.compile("[\t\r\n]+")

# What XML 1.0 cannot hold: C0 controls but tab, LF and CR; surrogates; U+FFFE and U+FFFF.
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

# A cell starting with one of these is a formula (or becomes one) in Excel, LibreOffice and
# Google Sheets; OWASP's list for CSV injection.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def has_invalid_characters(request: HttpRequest) -> bool:
    """True when the path, or a name or value in the query string, holds a control character."""
    if PATH_INVALID.search(request.path_info):
        return True
    return any(
        VALUE_INVALID.search(key) or any(VALUE_INVALID.search(v) for v in values)
        for key, values in request.GET.lists()
    )


_PAGE = """{% extends "base.html" %}
{% block title %}{{ message }}{% endblock %}
{% block breadcrumbs %}{% endblock %}
{% block content %}
<h1>{{ message }}</h1>
<p class="lead">{{ explanation }}</p>
<ul class="link-list">
  <li><a href="{% url 'minutes:home' %}">Gå til forsiden</a></li>
  <li><a href="{% url 'minutes:search' %}">Søg i referaterne</a></li>
</ul>
{% endblock %}"""


@cache
def _page():
    return engines["django"].from_string(_PAGE)


def refusal(request: HttpRequest, status: int, message: str, explanation: str) -> HttpResponse:
    """The refusal as JSON for the API and as a page for everything else.

    The page is rendered without the request, so the header's search box does not echo the
    offending query.
    """
    if request.path_info.startswith("/api/"):
        return JsonResponse({"error": message}, status=status)
    html = _page().render({"message": message, "explanation": explanation})
    return HttpResponse(html, status=status)


class InvalidCharactersMiddleware:
    """Refuses a request whose path or query string holds control characters (400), or whose
    URL is over MAX_URL_LENGTH (414), before any view or other middleware reads it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if has_invalid_characters(request):
            return refusal(request, 400, INVALID_MESSAGE, INVALID_EXPLANATION)
        if len(request.get_full_path()) > MAX_URL_LENGTH:
            return refusal(request, 414, TOO_LONG_MESSAGE, TOO_LONG_EXPLANATION)
        return self.get_response(request)


def xml_safe(text: str) -> str:
    """`text` without the characters XML 1.0 cannot hold (a form feed from a PDF, a NUL)."""
    return XML_ILLEGAL.sub("", text)


def spreadsheet_cell(value: object) -> str:
    """A CSV cell a spreadsheet shows as text: XML-safe, and a formula start prefixed with '."""
    text = xml_safe(str(value))
    if text.startswith(FORMULA_START):
        return "'" + text
    return text
