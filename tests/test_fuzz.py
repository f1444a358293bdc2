"""No visitor input gives a 5xx or a traceback: every URL pattern fuzzed, and the boundary rule.

The fuzzer takes each pattern of minutes/urls.py and requests it through Django's test client
(all middleware included) against the seeded test database. Path values start from real ones
(slugs, dates, case numbers, sitemap sections and attachment ids from the database, reversed
with `reverse`) and are replaced by fuzzed ones (reversed too when the converter takes them,
else put in the path percent-encoded); query strings mix the archive's own parameter names with
random ones, and values with NUL and other control characters, very long strings, search
operators, bad dates and numbers, unicode and broken percent-encoding. Every answer must be
below 500, with no exception and no logged error; XML answers (feeds, sitemaps) must parse and
CSV answers hold no character XML cannot and no formula cell.

`make test` runs a seeded slice: FUZZ_EXAMPLES=300 generated requests spread over the patterns
(hypothesis with `@seed`, so every run sends the same ones), after explicit examples that put a
NUL in each path value and in every query parameter of a real page. The long run, 10,000
generated requests with the parser's 20,000 inputs (tests/parsing/test_fuzz_parser.py), prints
its counts at the end:

    make fuzz                 # or: make fuzz REQUESTS=10000 SEED=0 (tests/fuzz.py)

(FUZZ_SEED=n gives another run, as repeatable as the default seed 0.)
"""

from __future__ import annotations

import csv
import io
import logging
import math
import os
import re
import xml.etree.ElementTree as ET
from collections import Counter
from urllib.parse import quote, urlencode

import pytest
from django.urls import NoReverseMatch, reverse
from hypothesis import HealthCheck, example, given, seed, settings
from hypothesis import strategies as st

from minutes import urls as minutes_urls
from minutes.boundary import INVALID_MESSAGE, TOO_LONG_MESSAGE, XML_ILLEGAL
from minutes.forms import INVALID_CHARACTERS, SearchForm
from minutes.models import Attachment, Attendance, Case, Document, Meeting
from minutes.sitemaps import SITEMAPS
from minutes.text import danish_slug

pytestmark = pytest.mark.django_db

FUZZ_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "300"))
FUZZ_SEED = int(os.environ.get("FUZZ_SEED", "0"))
PATTERNS = [p for p in minutes_urls.urlpatterns if p.name]
# One more "pattern": a path that matches none (random segments, admin, static).
NAMES = [p.name for p in PATTERNS] + ["*"]
PER_NAME = max(1, math.ceil(FUZZ_EXAMPLES / len(NAMES)))
PARAMETER = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

MEETING = "/hoeje-taastrup/arbejdsmarkedsudvalget/2021-06-02/"
CASE = "/hoeje-taastrup/sager/17-10000/"

# --- The boundary rule, request by request ---------------------------------------------------

KNOWN_500S = [
    # The three causes of every 500 the fuzzer found.
    MEETING + "?fremhaev=%00",
    "/hoeje-taastrup/sager/%00/",
    "/hoeje-taastrup/sager/%00/feed/",
    "/soeg/feed/?q=%01x",
]


@pytest.mark.parametrize(
    "url",
    [
        *KNOWN_500S,
        "/soeg/?q=bolig%00",
        "/soeg/?q=botilbud&kommune=hoeje%1F",
        "/soeg/?q%00=botilbud",
        "/soeg/?q=%C2%85",  # NEL, a C1 control
        "/soeg/?q=%EF%BF%BE",  # U+FFFE, which XML refuses
        "/hoeje-taastrup%0A/",
        "/hoeje-taastrup/%09/",
        CASE + "feed/?x=%7F",
        "/sitemap.xml?p=%00",
    ],
)
def test_control_characters_are_refused_with_a_danish_400(client, url):
    response = client.get(url)
    assert response.status_code == 400
    html = response.content.decode()
    assert INVALID_MESSAGE in html
    assert '<html lang="da">' in html
    assert "\x00" not in html and "%00" not in html  # the query is not echoed


def test_a_url_longer_than_the_request_line_limit_gets_414(client):
    # Django's admin would put this path into its login redirect: 400 and a logged traceback.
    for url in ("/admin/" + "a" * 17000, "/soeg/?q=" + "ø" * 1000):
        response = client.get(url)
        assert response.status_code == 414, url
        assert TOO_LONG_MESSAGE in response.content.decode()
    assert client.get("/soeg/?q=botilbud&x=" + "a" * 3900).status_code == 200


def test_the_api_answers_json(client):
    response = client.get("/api/search?q=a%00")
    assert response.status_code == 400
    assert response.json() == {"error": INVALID_MESSAGE}


@pytest.mark.parametrize(
    "url",
    [MEETING + "?fremhaev=frivillighedspolitikken%09evaluering", "/soeg/?q=borgere%0D%0Aledige"],
)
def test_tab_and_line_breaks_in_a_query_are_text(client, url):
    assert client.get(url).status_code == 200


def test_the_search_form_refuses_control_characters_with_a_danish_message():
    for field, value in [
        ("q", "bolig\x00"),
        ("q", "\x01x"),
        ("kommune", "a\x1b"),
        ("aar", "2021\x00"),
    ]:
        form = SearchForm({field: value})
        assert not form.is_valid()
        assert form.errors[field] == [INVALID_CHARACTERS]


def test_the_search_form_reads_tab_and_line_breaks_as_spaces():
    form = SearchForm({"q": "borgere\tog\r\nledige", "fra": "2021-01-01\n"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["q"] == "borgere og ledige"
    assert str(form.cleaned_data["fra"]) == "2021-01-01"


# --- The fuzzer ------------------------------------------------------------------------------

# Control characters: half the requests carry one, somewhere in the path or the query.
CONTROLS = [
    "\x00", "a\x00b", "\x01x", "\x08", "\x0b", "\x0c", "\x1b[31m", "\x1f", "\x7f", "\x85",
    "\x9f", "\ufffe", "\uffff", "\t", "\r\n", "\n",
]  # fmt: skip
# Everything else a visitor can type or paste; most requests reach the views with these.
VALUES = [
    "\ufeff", "\u202e", "\u200b", "\ufffd", "🏛️", "Ærø", "e\u0301", "ß", "İ", "ﬁ", "𝔘", "日本語",
    "مرحبا", "botilbud", "borgere", "ledige", "frivillighed*", "budget", "beslutning",
    '"', '"frase', '"borgere og" OR -ledige', "OR", "a OR", "OR OR", "-", "--ord", '-"x"', "*",
    "bolig*", "**", "*a", "(", ")", "(a | b) & !c", "&", "|", "!", ":*", "<->", "a:*b", "\\",
    "'", "''", "%", "%00", "%%", "+", "&#0;", "<script>alert(1)</script>", "{{ x }}", "${x}",
    "../../etc/passwd", "/", "//", "?", "#", ";", "17/10000", "sag 17-10000", "17-10000",
    "00.01.00", "00.01.00G01", "00.01.00.G01", "99/9999999", "1/1",
    "2021-02-30", "0000-00-00", "9999-12-31", "0001-01-01", "10000-01-01", "2021-13-01",
    "31-12-2021", "2021-06-02T00:00", "-1", "0", "1", "2", "1e400", "1E9999",
    "-99999999999999999999", "99999999999999999999999", "9223372036854775808", "NaN", "inf",
    "-0", "1.5", "0x10", "١٢٣", "²", "", " ", "  a  ",
    "nyeste", "aeldste", "approved", "lukkede", "aabne", "hoeje-taastrup", "socialudvalget",
    "a" * 300, "a" * 301, "ø" * 2000, "x " * 1500, "bolig* " * 200, '"' * 500, "-a " * 300,
]  # fmt: skip
QUERY_NAMES = [
    "q", "kommune", "udvalg", "fra", "til", "aar", "udfald", "lukket", "sortering", "side",
    "fremhaev", "p",
]  # fmt: skip
# The parameter a pattern lives on; most of its requests carry it.
MAIN_PARAMETER = {
    "search": "q", "search_feed": "q", "search_api": "q", "search_csv": "q", "meeting": "fremhaev",
    "sitemap": "p", "sitemap_section": "p", "search_suggest": "q",
}  # fmt: skip
BROKEN_QUERY = ["%", "%zz", "%FF", "%C0%80", "%ED%A0%80", "%E2%82", "&&", "=", "=x", "q", ";", "+"]

text = st.characters(exclude_categories=("Cs", "Cc"))  # any unicode but controls
short_text = st.text(text, max_size=40)
long_text = st.builds(
    lambda s, n: s * n, st.text(text, min_size=1, max_size=4), st.integers(50, 2500)
)
values = st.one_of(
    st.sampled_from(VALUES),
    short_text,
    long_text,
    st.integers(-(10**25), 10**25).map(str),
    st.dates().map(str),
    st.lists(st.sampled_from(VALUES[:75]), min_size=2, max_size=5).map(" ".join),
)
control_values = st.one_of(
    st.just("\x00"),  # the one PostgreSQL refuses
    st.sampled_from(CONTROLS),
    st.text(st.characters(max_codepoint=0x9F, categories=("Cc",)), min_size=1, max_size=4),
)


class _Errors(logging.Handler):
    """Every record at ERROR or above, from any logger: Django logs a 500 and its traceback."""

    def __init__(self):
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        self.records.append(record)


STATUSES: Counter = Counter()  # status code -> requests, over the module
TRACEBACKS: list[str] = []  # the requests that raised or logged an error


@pytest.fixture(scope="module", autouse=True)
def _report():
    yield
    if STATUSES:
        by_status = ", ".join(f"{code}: {n}" for code, n in sorted(STATUSES.items()))
        server_errors = sum(n for code, n in STATUSES.items() if code >= 500)
        print(
            f"\nfuzz: {STATUSES.total()} requests, {server_errors} 5xx, "
            f"{len(TRACEBACKS)} tracebacks ({by_status})"
        )


_REAL: dict[str, list[dict]] = {}


def real_arguments(name: str) -> list[dict]:
    """Real keyword arguments for a pattern, from the seeded database (read once)."""
    if not _REAL:
        meetings = list(Meeting.objects.select_related("committee__municipality")[:20])
        cases = list(Case.objects.select_related("municipality")[:20])
        documents = list(Document.objects.select_related("municipality")[:5])
        committees = [
            {"municipality": m.committee.municipality.slug, "committee": m.committee.slug}
            for m in meetings
        ]
        cases_kw = [{"municipality": c.municipality.slug, "number": c.url_number} for c in cases]
        _REAL.update(
            municipality=[{"municipality": c["municipality"]} for c in committees],
            committee=committees,
            committee_feed=committees,
            committee_items_csv=committees,
            committee_items_json=committees,
            meeting=[{**c, "date": m.date} for c, m in zip(committees, meetings, strict=True)],
            case=cases_kw,
            case_feed=cases_kw,
            case_trail_csv=cases_kw,
            case_trail_json=cases_kw,
            document=[{"municipality": d.municipality.slug, "slug": d.slug} for d in documents],
            attachment_file=[
                {"pk": pk} for pk in Attachment.objects.values_list("pk", flat=True)[:5]
            ],
            sitemap_section=[{"section": s} for s in SITEMAPS],
            people=[{"municipality": c["municipality"]} for c in committees],
            person=[
                {"municipality": a.meeting.committee.municipality.slug, "slug": danish_slug(a.name)}
                for a in Attendance.objects.select_related("meeting__committee__municipality")[:5]
            ],
            source_file=[{"pk": m.source_id} for m in meetings[:5]],
        )
    return _REAL.get(name, [])


def _path(name: str, kwargs: dict, safe: str) -> str:
    """The pattern's path: reversed when the converters take the values, else put in by hand."""
    try:
        return reverse(f"minutes:{name}", kwargs=kwargs)
    except NoReverseMatch:
        pattern = next(p for p in PATTERNS if p.name == name)
        route = str(pattern.pattern)
        return "/" + PARAMETER.sub(lambda m: quote(str(kwargs[m["name"]]), safe=safe), route)


@st.composite
def requests(draw, name: str) -> tuple[str, str]:
    """(method, URL) for the pattern `name` ("*": a path that no pattern names)."""
    if name == "*":
        extra = st.sampled_from(["admin", "static", "api", "soeg", "sager", "feed"])
        kwargs = dict(enumerate(draw(st.lists(st.one_of(values, extra), max_size=4))))
    else:
        pattern = next(p for p in PATTERNS if p.name == name)
        real = real_arguments(name)
        kwargs = dict(draw(st.sampled_from(real))) if real else {}
        fuzz_path = draw(st.booleans())  # else a real page, fuzzed in its query only
        for match in PARAMETER.finditer(str(pattern.pattern)):
            if match["name"] not in kwargs or (fuzz_path and draw(st.booleans())):
                kwargs[match["name"]] = draw(values)
    pairs = draw(
        st.lists(st.tuples(st.one_of(st.sampled_from(QUERY_NAMES), short_text), values), max_size=4)
    )
    main = name in MAIN_PARAMETER and draw(st.sampled_from([True, True, False]))
    if main:
        pairs.insert(0, (MAIN_PARAMETER[name], draw(values)))
    if draw(st.booleans()):
        # One control character somewhere: a path value, a query name or a query value.
        control = draw(control_values)
        places = [("query", i) for i in range(len(pairs))] + [("path", key) for key in kwargs]
        if main and draw(st.booleans()):
            places = [("query", 0)]
        where = draw(st.sampled_from(places)) if places else ("query", None)
        if where[0] == "path":
            kwargs[where[1]] = f"{kwargs[where[1]]}{control}"
        elif where[1] is None:
            pairs = [(control, "1")]
        else:
            key, value = pairs[where[1]]
            pairs[where[1]] = (
                (key, f"{control}{value}") if draw(st.booleans()) else (control, value)
            )
    safe = draw(st.sampled_from(["", "/"]))
    if name == "*":
        path = "/" + "/".join(quote(str(s), safe="") for s in kwargs.values())
        path += draw(st.sampled_from(["", "/"]))
    else:
        path = _path(name, kwargs, safe)
    query = urlencode(pairs)
    broken = draw(st.lists(st.sampled_from(BROKEN_QUERY), max_size=2))
    if broken:
        query = "&".join([query, *broken]) if query else "&".join(broken)
    method = draw(st.sampled_from(["get", "get", "get", "get", "head", "post"]))
    return method, path + ("?" + query if query else "")


def explicit_requests(name: str) -> list[tuple[str, str]]:
    """A real page of the pattern with a NUL in one path value, for each; with a NUL and a C0
    control in its main parameter; and with a NUL in every query parameter at once."""
    if name == "*":
        return [("get", "/%00/"), ("get", "/admin/%00/"), ("get", "/admin/" + "a" * 17000)]
    pattern = next(p for p in PATTERNS if p.name == name)
    real = (real_arguments(name) or [{}])[0]
    params = [m["name"] for m in PARAMETER.finditer(str(pattern.pattern))]
    page = _path(name, real, "") if all(p in real for p in params) else None
    out = [("get", _path(name, {**real, p: f"{real.get(p, '')}\x00"}, "")) for p in params]
    if page:
        if name in MAIN_PARAMETER:
            out += [
                ("get", f"{page}?{urlencode({MAIN_PARAMETER[name]: v})}") for v in ("\x00", "\x01x")
            ]
        every = urlencode(dict.fromkeys(QUERY_NAMES, "a\x00"))
        out.append(("get", f"{page}?{every}"))
    return out


# Downloads of the municipalities' files as published (a stored original, a bilag in it): their
# bytes are theirs, not a page or export of ours to check.
ORIGINALS = ("/kilde/", "/bilag/")


def _body(response) -> bytes:
    """The body, also of a streamed response (a download of a stored original)."""
    if getattr(response, "streaming", False):
        response._fuzz_body = getattr(response, "_fuzz_body", None) or b"".join(
            response.streaming_content
        )
        return response._fuzz_body
    return response.content


def _check(response, url: str) -> None:
    content_type = response.get("Content-Type", "")
    body = _body(response)
    if response.status_code != 200 or not body or url.startswith(ORIGINALS):
        return
    if "xml" in content_type:
        ET.fromstring(body)  # a feed or sitemap must stay well-formed
    elif "text/csv" in content_type:
        text = body.decode("utf-8-sig")
        assert not XML_ILLEGAL.search(text), url
        for row in list(csv.reader(io.StringIO(text), delimiter=";"))[1:]:
            assert not any(cell.startswith(FORMULA_START) for cell in row), (url, row)


@pytest.mark.parametrize("name", NAMES)
def test_fuzz_no_5xx_and_no_traceback(client, name):
    client.raise_request_exception = False
    errors = _Errors()
    root = logging.getLogger()
    root.addHandler(errors)

    def fuzz(request):
        method, url = request
        errors.records.clear()
        response = getattr(client, method)(url)
        STATUSES[response.status_code] += 1
        raised = getattr(response, "exc_info", None) is not None
        if raised or errors.records or b"Traceback" in _body(response):
            TRACEBACKS.append(f"{method} {url}")
        assert response.status_code < 500, (method, url, response.status_code)
        assert not raised, (method, url)
        assert not errors.records, (method, url, [r.getMessage() for r in errors.records])
        assert b"Traceback" not in _body(response), (method, url)
        _check(response, url)

    # Explicit examples first: a NUL in each path value and in every query parameter.
    for request in explicit_requests(name):
        fuzz = example(request=request)(fuzz)
    fuzz = seed(FUZZ_SEED)(
        settings(
            max_examples=PER_NAME,
            database=None,
            deadline=None,
            suppress_health_check=[
                HealthCheck.too_slow,
                HealthCheck.data_too_large,
                HealthCheck.filter_too_much,
                HealthCheck.large_base_example,
            ],
        )(given(request=requests(name))(fuzz))
    )
    try:
        fuzz()
    finally:
        root.removeHandler(errors)
