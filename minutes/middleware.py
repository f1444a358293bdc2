"""What holds for every request and response (the order is archive/settings.py's MIDDLEWARE).

- `SecurityHeadersMiddleware`: a Content-Security-Policy without inline script or style (the
  pages ship no script; every style is a static file) and a Permissions-Policy that turns off
  what an archive of minutes never uses.
- `DatabaseUnavailableMiddleware`: a Danish 503 page ("Arkivet er midlertidigt
  utilgængeligt") instead of a 500 when the database cannot be reached or a statement is
  cancelled by its timeout.
- `AnonymousBodyLimitMiddleware`: 413 for an anonymous request whose declared body is over
  `ANONYMOUS_MAX_BODY_BYTES`, decided on the Content-Length before anything reads the body.
- `client_ip` and `lockout_response`: the visitor's address and the Danish lockout page (429)
  for the login throttling (django-axes, archive/settings.py).
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable

from django.conf import settings
from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import loader

log = logging.getLogger(__name__)

# Everything from this site itself; nothing inline (no 'unsafe-inline' for script or style),
# no plugins, no framing, forms post only here.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
        "xr-spatial-tracking",
    )
)
# Seconds a client is asked to wait before trying again after a 503.
RETRY_AFTER_SECONDS = 30

Handler = Callable[[HttpRequest], HttpResponse]


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Handler):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # With DEBUG (`make dev`) the policy is reported, not enforced: Django's debug pages
        # are styled inline.
        header = (
            "Content-Security-Policy-Report-Only" if settings.DEBUG else "Content-Security-Policy"
        )
        response.headers.setdefault(header, CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


def _unavailable(exc: BaseException | None) -> bool:
    return isinstance(exc, OperationalError | InterfaceError)


def timed_out(exc: BaseException) -> bool:
    """A statement cancelled by its statement_timeout (PostgreSQL's query_canceled, 57014)."""
    cause = exc.__cause__
    return getattr(cause, "sqlstate", None) == "57014"


def _note_database_error(sender, request: HttpRequest | None = None, **kwargs) -> None:
    """An unreachable database outside a view (a middleware loading the session): the 500
    Django answers is turned into the 503 page by `DatabaseUnavailableMiddleware`."""
    exc = sys.exc_info()[1]
    if request is not None and _unavailable(exc):
        request.database_error = exc  # type: ignore[attr-defined]


got_request_exception.connect(_note_database_error, dispatch_uid="minutes.middleware.database")


def unavailable_response(exc: BaseException) -> HttpResponse:
    """The 503 page. Rendered without the request: its context processors could need the
    database that is just not there."""
    stopped = timed_out(exc)
    log.error("503: %s", "statement timeout" if stopped else "database unavailable", exc_info=exc)
    response = HttpResponse(loader.render_to_string("503.html", {"timed_out": stopped}), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response: Handler):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        exc = getattr(request, "database_error", None)
        if exc is not None and response.status_code == 500 and not settings.DEBUG:
            return unavailable_response(exc)
        return response

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        if _unavailable(exc) and not settings.DEBUG:
            return unavailable_response(exc)
        return None  # DEBUG shows the traceback; anything else is Django's 500


class AnonymousBodyLimitMiddleware:
    """413 for an anonymous request that declares a body over the limit. Only the header is
    read; the visitor's session is looked up only for a body that large."""

    def __init__(self, get_response: Handler):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0  # Django reads no body for a length it cannot parse
        limit = settings.ANONYMOUS_MAX_BODY_BYTES
        if declared > limit and not request.user.is_authenticated:
            return HttpResponse(
                f"Forespørgslen er for stor ({_number(declared)} bytes; grænsen er "
                f"{_number(limit)} bytes uden login).",
                status=413,
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)


def _number(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def client_ip(request: HttpRequest) -> str | None:
    """The visitor's address: REMOTE_ADDR, or behind `TRUSTED_PROXY_COUNT` proxies the address
    the outermost trusted proxy saw (counted from the right of X-Forwarded-For, which a visitor
    can only prepend to)."""
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies > 0:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials=None
) -> HttpResponse:
    """After AXES_FAILURE_LIMIT failed logins: the Danish lockout page, status 429."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    context = {"failure_limit": settings.AXES_FAILURE_LIMIT, "minutes": minutes}
    return render(request, "lockout.html", context, status=429)
