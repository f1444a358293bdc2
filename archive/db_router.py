"""Public reads from a read replica, everything else from the primary (DATABASE_REPLICA_URLS).

A request is a *public read* when it is a GET or HEAD outside the admin and carries no session
cookie: the visitors' page views, search, feeds and exports. `ReplicaReadsMiddleware` picks one
replica for such a request and reads all of it there. Everything else reads from the primary:
the admin, every POST, a logged-in editor anywhere (so someone who has just uploaded minutes
sees them on the public pages at once — read-your-writes; a replica may be a moment behind),
management commands, workers and tests. Writes always go to the primary.

Search, snippets and suggestions run raw SQL on `django.db.connection`, which a Django router
never sees. So instead of routing each query, the middleware makes the chosen replica's
connection this thread's "default" for the duration of the request: the ORM and raw SQL alike
read there. Connections are per thread (gunicorn's gthread workers too), so other requests are
untouched. A write in such a request would fail on the read-only replica; no public page
writes. `PrimaryReplicaRouter` keeps migrations and writes on the primary otherwise.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from functools import cache

from django.conf import settings
from django.db import connections
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

PRIMARY = "default"


class PrimaryReplicaRouter:
    def db_for_read(self, model, **hints) -> str:
        # The primary's alias, which a public read request has bound to its replica.
        return PRIMARY

    def db_for_write(self, model, **hints) -> str:
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        # Replicas hold the primary's rows: an object read from one relates to any other.
        return True

    def allow_migrate(self, db: str, app_label: str, **hints) -> bool:
        # A replica follows the primary's schema through replication.
        return db == PRIMARY


@cache
def _admin_prefix() -> str:
    return reverse("admin:index")


def is_public_read(request: HttpRequest) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and not request.path.startswith(_admin_prefix())
    )


class ReplicaReadsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        replicas = settings.DATABASE_REPLICAS
        if not replicas or not is_public_read(request):
            return self.get_response(request)
        # One replica for the whole request, so its queries see one state of the archive.
        primary = connections[PRIMARY]
        connections[PRIMARY] = connections[random.choice(replicas)]
        try:
            return self.get_response(request)
        finally:
            connections[PRIMARY] = primary
