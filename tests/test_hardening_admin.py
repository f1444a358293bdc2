"""Hardening: who may upload, login throttling, response headers, no inline script or style,
the anonymous body limit, the 503 page, the cached sitemap, and the settings that refuse to
start on the development key."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import date

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from minutes.middleware import CONTENT_SECURITY_POLICY
from minutes.models import Meeting, StagedUpload, UploadAudit

from .conftest import ROOT
from .test_ingestion import archive_state, seed_000_in_2031
from .test_upload import UPLOAD, confirm, text_of, upload

MEETING = "/hoeje-taastrup/arbejdsmarkedsudvalget/2021-06-02/"
CHANGELIST = "/admin/minutes/sourcefile/"
UNKNOWN = "00000000-0000-0000-0000-000000000000"


def preview_url(batch: str) -> str:
    return f"{UPLOAD}{batch}/"


def result_url(batch: str) -> str:
    return f"{UPLOAD}{batch}/resultat/"


def staff(django_user_model, username: str, *, may_upload: bool):
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user(username=username, is_staff=True)
    if may_upload:
        user.user_permissions.add(Permission.objects.get(codename="upload_minutes"))
    return user


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    client.user = user
    return client


def staged_batch(client) -> str:
    """Step 1 as `client`: the preview's batch id (the bytes are staged, nothing stored)."""
    preview = upload(client, [("amu-2031.txt", seed_000_in_2031())])
    return preview.request["PATH_INFO"].rstrip("/").rsplit("/", 1)[-1]


# --- Upload permission -------------------------------------------------------------------


def attempts(batch: str):
    """Every way into upload, preview, confirm and result."""
    file = SimpleUploadedFile("amu-2031.txt", seed_000_in_2031())
    return [
        ("get", UPLOAD, {}),
        ("post", UPLOAD, {"files": [file]}),
        ("get", preview_url(batch), {}),
        ("post", preview_url(batch), {}),  # the confirmation
        ("get", result_url(batch), {}),
    ]


@pytest.mark.django_db
def test_the_permission_is_declared_in_danish():
    from django.contrib.auth.models import Permission

    permission = Permission.objects.get(codename="upload_minutes")
    assert (permission.content_type.model, permission.name) == (
        "sourcefile",
        "Kan uploade referater",
    )


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["anonymous", "not staff"])
def test_anonymous_and_non_staff_are_sent_to_the_login_and_nothing_is_staged(
    who, django_user_model
):
    uploader = client_for(staff(django_user_model, "uploader", may_upload=True))
    batch = staged_batch(uploader)
    client = Client()
    if who == "not staff":
        client.force_login(django_user_model.objects.create_user(username="borger"))
    staged_before = StagedUpload.objects.count()
    before = archive_state()
    for method, url, data in attempts(batch):
        response = getattr(client, method)(url, data)
        assert response.status_code == 302, (method, url)
        assert response["Location"].startswith("/admin/login/?next="), (method, url)
    assert StagedUpload.objects.count() == staged_before
    assert archive_state() == before


@pytest.mark.django_db
def test_staff_without_the_permission_get_403_everywhere_and_nothing_is_staged_or_stored(
    django_user_model,
):
    uploader = client_for(staff(django_user_model, "uploader", may_upload=True))
    batch = staged_batch(uploader)
    client = client_for(staff(django_user_model, "kollega", may_upload=False))
    staged_before = StagedUpload.objects.count()
    before = archive_state()
    for method, url, data in attempts(batch):
        assert getattr(client, method)(url, data).status_code == 403, (method, url)
    assert StagedUpload.objects.count() == staged_before
    assert archive_state() == before
    assert not UploadAudit.objects.exists()
    # The list of source files does not offer the upload either: it is not theirs to see.
    assert client.get(CHANGELIST).status_code == 403


@pytest.mark.django_db
def test_staff_with_the_permission_upload_preview_confirm_and_see_their_result(
    django_user_model,
):
    client = client_for(staff(django_user_model, "uploader", may_upload=True))
    assert not client.user.is_superuser
    listing = client.get(CHANGELIST)
    assert listing.status_code == 200
    assert f'href="{UPLOAD}"' in listing.content.decode()
    preview = upload(client, [("amu-2031.txt", seed_000_in_2031())])
    assert "Status bliver oprettet" in text_of(preview)
    result = confirm(client, preview)
    assert "amu-2031.txt oprettet" in text_of(result)
    assert Meeting.objects.filter(date=date(2031, 6, 2)).exists()
    assert UploadAudit.objects.get(file_name="amu-2031.txt").user == client.user


@pytest.mark.django_db
def test_a_batch_and_its_result_belong_to_the_one_who_made_it(django_user_model):
    owner = client_for(staff(django_user_model, "ejer", may_upload=True))
    other = client_for(staff(django_user_model, "anden", may_upload=True))
    batch = staged_batch(owner)

    # Someone else's staged batch: answered as one that does not exist; nothing shown, nothing
    # confirmed (tests/test_upload.py pins this answer, a redirect to the upload form).
    for response in (other.get(preview_url(batch)), other.post(preview_url(batch), {})):
        assert response.status_code == 302
        assert response["Location"] == UPLOAD
    assert not Meeting.objects.filter(date=date(2031, 6, 2)).exists()
    assert "amu-2031.txt" not in other.get(UPLOAD, follow=True).content.decode()

    # The owner confirms; the result page is theirs alone.
    confirm(owner, owner.get(preview_url(batch)))
    assert owner.get(result_url(batch)).status_code == 200
    assert other.get(result_url(batch)).status_code == 404
    # After the confirmation the preview address leads the owner to the result, not the other.
    assert other.get(preview_url(batch))["Location"] == UPLOAD
    assert owner.get(preview_url(batch))["Location"] == result_url(batch)
    assert other.get(result_url(UNKNOWN)).status_code == 404


# --- Login throttling (django-axes) -------------------------------------------------------


@pytest.fixture
def fast_passwords(settings):
    # A login hashes the password; the default hasher costs most of a second per attempt.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def admin_login(client: Client, username: str, password: str, address: str = "10.0.0.1"):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=address,
    )


@pytest.mark.django_db
def test_the_admin_login_is_locked_after_ten_failures_even_with_the_right_password(
    django_user_model, fast_passwords
):
    django_user_model.objects.create_user(
        username="redaktør", password="rigtig-kode-42", is_staff=True, is_superuser=True
    )
    client = Client()
    for _ in range(10):
        assert admin_login(client, "redaktør", "forkert").status_code in {200, 429}
    eleventh = admin_login(client, "redaktør", "rigtig-kode-42")
    assert eleventh.status_code == 429
    page = text_of(eleventh)
    assert "For mange forsøg på at logge ind" in page
    assert "spærret i 60 minutter, også med den rigtige adgangskode" in page
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302  # still not logged in

    # Per user name and address: the same user from another address still gets in.
    elsewhere = admin_login(Client(), "redaktør", "rigtig-kode-42", address="10.0.0.2")
    assert (elsewhere.status_code, elsewhere["Location"]) == (302, "/admin/")


@pytest.mark.django_db
def test_a_few_failures_do_not_lock_and_a_success_starts_the_count_again(
    django_user_model, fast_passwords
):
    django_user_model.objects.create_user(
        username="redaktør", password="rigtig-kode-42", is_staff=True
    )
    for _ in range(9):
        admin_login(Client(), "redaktør", "forkert")
    assert admin_login(Client(), "redaktør", "rigtig-kode-42").status_code == 302
    for _ in range(9):
        admin_login(Client(), "redaktør", "forkert")
    assert admin_login(Client(), "redaktør", "rigtig-kode-42").status_code == 302


def test_the_client_address_behind_trusted_proxies(settings, rf):
    from minutes.middleware import client_ip

    request = rf.get("/", REMOTE_ADDR="10.1.1.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9")
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request) == "10.1.1.1"  # no proxy trusted: the header is ignored
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request) == "203.0.113.9"  # what our proxy saw; the visitor wrote 6.6.6.6


# --- Response headers, no inline script or style ------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", MEETING, "/soeg/?q=budget", "/sitemap.xml", "/ingen/"])
def test_every_response_carries_the_security_headers(client, url):
    response = client.get(url)
    assert response.status_code in {200, 404}
    csp = response["Content-Security-Policy"]
    assert csp == CONTENT_SECURITY_POLICY
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    policy = response["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in policy
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_the_admin_pages_carry_the_policy_too(staff_client):
    for url in ("/admin/", UPLOAD, CHANGELIST):
        response = staff_client.get(url)
        assert response.status_code == 200
        assert response["Content-Security-Policy"] == CONTENT_SECURITY_POLICY


INLINE = [
    (r"<style\b", "a <style> block"),
    (r"<[a-z][^>]*\sstyle\s*=", "a style attribute"),
    (r"<script\b(?![^>]*\bsrc=)", "an inline <script>"),
    (r"<[a-z][^>]*\son[a-z]+\s*=", "an event handler attribute"),
    (r"<[a-z][^>]*=\s*[\"']?javascript:", "a javascript: URL"),
]


def inline_code(html: str) -> list[str]:
    return [what for pattern, what in INLINE if re.search(pattern, html, re.I)]


def test_no_template_has_inline_script_or_style():
    found = {
        str(path.relative_to(ROOT)): inline_code(path.read_text("utf-8"))
        for path in sorted((ROOT / "templates").rglob("*.html"))
    }
    assert {path: what for path, what in found.items() if what} == {}


@pytest.mark.django_db
def test_pages_as_served_have_no_inline_script_or_style(client, staff_client):
    for url in ("/", MEETING, "/soeg/?q=budget", "/hoeje-taastrup/sager/17-10000/"):
        assert inline_code(client.get(url).content.decode()) == [], url
    preview = upload(staff_client, [("amu-2031.txt", seed_000_in_2031())])
    for page in (preview, confirm(staff_client, preview)):
        html = page.content.decode()
        # Django's own admin templates are CSP-clean; ours link their styles.
        assert inline_code(html) == [], page.request["PATH_INFO"]
        assert "/static/css/admin-upload.css" in html


def test_the_upload_preview_styles_are_a_static_file():
    css = (ROOT / "static" / "css" / "admin-upload.css").read_text("utf-8")
    assert ".upload-problems" in css and "#upload-result" in css


# --- The anonymous body limit --------------------------------------------------------------


class UnreadableBody:
    """A request body that fails the test if anything reads it."""

    def read(self, *args, **kwargs):
        raise AssertionError("the body was read")

    readline = read


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/admin/login/", "/soeg/", "/"])
def test_an_anonymous_body_over_the_limit_is_refused_before_it_is_read(url):
    response = Client().generic(
        "POST",
        url,
        b"x",
        content_type="application/x-www-form-urlencoded",
        CONTENT_LENGTH=str(100 * 1024 * 1024),
        **{"wsgi.input": UnreadableBody()},
    )
    assert response.status_code == 413
    assert "Forespørgslen er for stor (104.857.600 bytes" in response.content.decode()


@pytest.mark.django_db
def test_the_limit_is_for_anonymous_requests_only(staff_client, settings):
    settings.ANONYMOUS_MAX_BODY_BYTES = 1000
    assert len(seed_000_in_2031()) > 1000

    def body():
        return {"files": [SimpleUploadedFile("amu-2031.txt", seed_000_in_2031())]}

    anonymous = Client()
    assert anonymous.post(UPLOAD, body()).status_code == 413
    staged = staff_client.post(UPLOAD, body())
    assert staged.status_code == 302 and staged["Location"].startswith(UPLOAD)
    assert StagedUpload.objects.filter(user=staff_client.user).exists()
    # A small anonymous form (the login) is untouched.
    assert anonymous.post("/admin/login/", {"username": "x", "password": "y"}).status_code == 200


# --- The database unreachable: 503 --------------------------------------------------------


@pytest.fixture
def database_down(django_db_blocker):
    """The default connection pointed at a closed port, as when PostgreSQL is stopped."""
    settings_dict = connection.settings_dict
    saved = {key: settings_dict[key] for key in ("HOST", "PORT")}
    with django_db_blocker.unblock():
        connection.close()
        settings_dict.update(HOST="127.0.0.1", PORT="1")
        try:
            yield
        finally:
            connection.close()
            settings_dict.update(saved)


def test_a_database_that_is_down_gives_the_503_page(database_down):
    # A view's error is answered by the middleware itself: no exception reaches Django's
    # handler (which would log a 500 and make this client raise it).
    client = Client()
    for url in ("/", MEETING, "/sitemap-kommuner.xml"):
        cache.clear()
        response = client.get(url)
        assert response.status_code == 503, url
        assert response["Retry-After"] == "30"
        html = response.content.decode()
        assert "<h1>Arkivet er midlertidigt utilgængeligt</h1>" in html
        assert '<html lang="da">' in html
        assert response["Content-Security-Policy"] == CONTENT_SECURITY_POLICY


def test_a_database_that_is_down_gives_503_from_a_middleware_too(database_down, settings):
    """The body limit looks up the session of a large request: that fails before any view."""
    settings.ANONYMOUS_MAX_BODY_BYTES = 10
    client = Client(raise_request_exception=False)
    client.cookies["sessionid"] = "x" * 32
    response = client.post("/admin/login/", {"username": "x" * 50, "password": "y"})
    assert response.status_code == 503
    assert "Arkivet er midlertidigt utilgængeligt" in response.content.decode()


@pytest.mark.django_db
def test_a_statement_timeout_in_the_sitemap_gives_503_not_500(client, monkeypatch):
    from minutes import selectors

    def slow():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL statement_timeout = 50")
            cursor.execute("SELECT pg_sleep(2)")
        return []

    monkeypatch.setattr(selectors, "sitemap_municipalities", slow)
    cache.clear()
    response = client.get("/sitemap-kommuner.xml")
    assert response.status_code == 503
    assert "<h1>Siden tog for lang tid</h1>" in response.content.decode()


# --- The sitemap is cached ----------------------------------------------------------------


@pytest.mark.django_db
def test_the_sitemap_is_computed_once_and_then_served_from_the_cache(client):
    cache.clear()
    for url in ("/sitemap.xml", "/sitemap-sager.xml", "/sitemap-moeder.xml"):
        first = client.get(url)
        with CaptureQueriesContext(connection) as again:
            second = client.get(url)
        assert second.status_code == 200
        assert second.content == first.content
        assert len(again) == 0, url
        assert "max-age=3600" in second["Cache-Control"]


# --- Settings: DEBUG off by default, no start on the development key -----------------------


def manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "DJANGO_SETTINGS_MODULE", "ALLOWED_HOSTS"}
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": "archive.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    "env",
    [{}, {"DEBUG": "false"}, {"DEBUG": "false", "SECRET_KEY": "local-development-only-not-secret"}],
    ids=["nothing set", "DEBUG off without a key", "DEBUG off with the development key"],
)
def test_without_debug_the_development_key_refuses_to_start(env):
    result = manage("check", **env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "Referatarkivet starter ikke: DEBUG er slået fra" in result.stderr
    assert "Referatarkivet will not start: DEBUG is off" in result.stderr


def test_debug_is_off_unless_asked_for_and_a_local_run_asks():
    probe = "from django.conf import settings; print(settings.DEBUG)"
    off = manage("shell", "-c", probe, SECRET_KEY="x" * 60)
    assert off.stdout.strip().splitlines()[-1] == "False", off.stderr
    on = manage("shell", "-c", probe, DEBUG="true")  # as `make dev` asks, on the development key
    assert on.stdout.strip().splitlines()[-1] == "True", on.stderr
    makefile = (ROOT / "Makefile").read_text("utf-8")
    dev_target = makefile.split("\ndev:", 1)[1].split("\n\n", 1)[0]
    assert "DEBUG=true" in dev_target


def test_the_deploy_check_is_clean_with_production_settings():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="false",
        SECRET_KEY="a-long-random-production-secret-0123456789-abcdefghijklmnopqrstuvwxyz",
        ALLOWED_HOSTS="referatarkivet.dk",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
