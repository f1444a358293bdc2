"""The test suite's settings (pytest-django, `make test`): the production settings — DEBUG off,
as archive.settings defaults to — with a key of the suite's own, and what plain HTTP and a
static folder that was never collected need."""

import os

# Set before the settings are read: with DEBUG off they refuse to start without a key. Kept in
# the environment, so `manage.py` in a test's subprocess starts too.
os.environ.setdefault("SECRET_KEY", "test-suite-only-key-not-secret-0123456789-abcdefghijklmnop")

from archive.settings import *  # noqa: E402, F403
from archive.settings import STORAGES  # noqa: E402

# A `manage.py` that a test starts reads the real settings (with the key above): what it checks
# or does is what production would. These settings are already read in this process.
os.environ["DJANGO_SETTINGS_MODULE"] = "archive.settings"

# The test client and the live server of the browser tests speak plain HTTP.
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
# No collectstatic before the tests: static files by their plain names (tests/test_pages.py
# collects them itself to check the hashed names production serves).
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# A job runs inside the request that enqueues it, so a test sees the preview and the result
# pages as an admin does once the worker has done its part. tests/test_jobs*.py run the real
# database backend with `manage.py worker` processes.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
