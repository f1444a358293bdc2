"""Settings, all from the environment with safe defaults: DEBUG off unless asked for."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from archive.release import static_version

BASE_DIR = Path(__file__).resolve().parent.parent


def _env_bool(name: str, default: bool) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


# Off unless asked for: `make dev` asks (DEBUG=true); `make run` and production never do.
DEBUG = _env_bool("DEBUG", False)
# The development key only ever serves a local DEBUG run; without DEBUG the archive refuses to
# start on it, since anyone can sign sessions with a key that is public.
DEVELOPMENT_SECRET_KEY = "local-development-only-not-secret"
SECRET_KEY = os.environ.get("SECRET_KEY", "").strip() or DEVELOPMENT_SECRET_KEY
if not DEBUG and SECRET_KEY == DEVELOPMENT_SECRET_KEY:
    raise ImproperlyConfigured(
        "Referatarkivet starter ikke: DEBUG er slået fra, og SECRET_KEY er ikke sat (eller er "
        "udviklingsnøglen). Sæt SECRET_KEY til en lang, tilfældig og hemmelig værdi, eller "
        "DEBUG=true for en lokal kørsel (`make dev`). / Referatarkivet will not start: DEBUG is "
        "off and SECRET_KEY is not set (or is the development key). Set SECRET_KEY to a long, "
        "random, secret value, or DEBUG=true for a local run (`make dev`)."
    )
# Who answers for the archive: shown on the tilgængelighedserklæring and the Om-page (the law
# asks for a written and a telephone contact). Empty until the operator sets them.
CONTACT_EMAIL = os.environ.get("CONTACT_EMAIL", "").strip()
CONTACT_PHONE = os.environ.get("CONTACT_PHONE", "").strip()
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
    if h.strip()
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "django_filters",
    # Third-party apps by configurations of ours that give them Danish names (archive/apps.py).
    "archive.apps.LoginThrottlingConfig",  # django-axes
    # Background jobs (uploads, `ingest --queue`): Django's task framework, its database backend.
    "django_tasks",
    "archive.apps.JobsConfig",  # django-tasks-db
    "minutes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "minutes.boundary.InvalidCharactersMiddleware",  # 400 control characters, 414 long URL
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # minutes.middleware: the headers of every page (CSP, Permissions-Policy); a 503 page when
    # the database is unreachable; 413 for an anonymous body over the limit, before it is read.
    "minutes.middleware.SecurityHeadersMiddleware",
    "minutes.middleware.DatabaseUnavailableMiddleware",
    # A public read (GET/HEAD, no session, not the admin) reads from a replica, if any.
    "archive.db_router.ReplicaReadsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "minutes.middleware.AnonymousBodyLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "archive.urls"
WSGI_APPLICATION = "archive.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
    {
        # Only for templates whose rendering time matters (minutes.templating); asked for
        # by name with using="jinja2".
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "NAME": "jinja2",
        "DIRS": [BASE_DIR / "templates" / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {"environment": "minutes.templating.environment"},
    },
]

# Behind pgbouncer in transaction mode (DATABASE_POOLER=pgbouncer) a client holds a server
# connection only for one transaction: no server-side cursors (they live across transactions),
# and no `options` startup parameter (pgbouncer refuses it), so the timeout and jit below are
# then set on the database role instead (README, "Deployment"). Django's psycopg backend binds
# parameters client-side, and search prepares its statements only when not behind pgbouncer
# (minutes/prepared.py), so no prepared statement outlives its transaction there.
BEHIND_PGBOUNCER = os.environ.get("DATABASE_POOLER", "").strip().lower() == "pgbouncer"


def _database(url: str) -> dict:
    """One connection's settings from its URL; the primary and every replica are alike."""
    config = dj_database_url.parse(url, conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")))
    # A pgserver URL names its socket folder as ?host=...; Django wants it as HOST.
    if "host" in config.get("OPTIONS", {}):
        config["HOST"] = config["OPTIONS"].pop("host")
    config.setdefault("OPTIONS", {})
    if BEHIND_PGBOUNCER:
        config["DISABLE_SERVER_SIDE_CURSORS"] = True
    else:
        # A statement timeout turns a pathological search into a message instead of a hung
        # worker. JIT compilation costs more than it saves on short, index-driven searches.
        config["OPTIONS"]["options"] = (
            f"-c statement_timeout={int(os.environ.get('STATEMENT_TIMEOUT_MS', '15000'))}"
            " -c jit=off"
        )
        # Django turns psycopg's prepared statements off; the few search statements that ask
        # for them (minutes/prepared.py) need them on. Django's own cursors bind on the client
        # and never prepare, so nothing else changes.
        config["OPTIONS"]["prepare_threshold"] = 5
    return config


DATABASES = {
    "default": _database(
        os.environ.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/referatarkivet")
    )
}
# Parallel test runs (helpers, CI) each get their own test database.
DATABASES["default"]["TEST"] = {"NAME": os.environ.get("TEST_DB_NAME", "test_referatarkivet")}
# Read replicas (streaming standbys of the primary), any number, comma-separated: public pages,
# search, feeds and exports read from one of them; writes, the admin and a logged-in editor stay
# on the primary (archive/db_router.py). A test run mirrors them to the test database.
DATABASE_REPLICAS = []
for _number, _url in enumerate(
    (u.strip() for u in os.environ.get("DATABASE_REPLICA_URLS", "").split(",") if u.strip()),
    start=1,
):
    DATABASES[f"replica_{_number}"] = {**_database(_url), "TEST": {"MIRROR": "default"}}
    DATABASE_REPLICAS.append(f"replica_{_number}")
DATABASE_ROUTERS = ["archive.db_router.PrimaryReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Background jobs live in PostgreSQL (django-tasks' database backend); `manage.py worker` runs
# them (README, "Background jobs").
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Login throttling (django-axes): after 10 failed logins for one user name from one address,
# that pair is refused for an hour, the right password too.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "10"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "60")))
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "minutes.middleware.lockout_response"  # templates/lockout.html
# The client's address behind TRUSTED_PROXY_COUNT proxies (X-Forwarded-For), else REMOTE_ADDR.
AXES_CLIENT_IP_CALLABLE = "minutes.middleware.client_ip"
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "da"
LANGUAGES = [("da", "Dansk")]
TIME_ZONE = "Europe/Copenhagen"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Where collectstatic puts the hashed files (STATIC_ROOT): the bench serves its own copy.
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or BASE_DIR / "staticfiles")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Uploads: the limit is checked on the declared length before the body is read.
MAX_UPLOAD_BYTES = int(os.environ.get("MAX_UPLOAD_BYTES", str(50 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# An anonymous visitor has nothing larger to send than the login form: a body declared larger
# is answered 413 before any view reads it (minutes.middleware.AnonymousBodyLimitMiddleware).
ANONYMOUS_MAX_BODY_BYTES = int(os.environ.get("ANONYMOUS_MAX_BODY_BYTES", str(64 * 1024)))
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# `make run`: DEBUG off as in production, but served over plain HTTP on this machine, where
# an HTTPS redirect and cookies sent only over HTTPS would lock the admin out.
LOCAL_HTTP = _env_bool("LOCAL_HTTP", False)
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = _env_bool("SECURE_SSL_REDIRECT", not LOCAL_HTTP)
    SESSION_COOKIE_SECURE = not LOCAL_HTTP
    CSRF_COOKIE_SECURE = not LOCAL_HTTP
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Rendered meeting and case pages, keyed by their version (see minutes.views), and the
# sitemap. With CACHE_URL (redis://host:6379/0) one Redis holds them for every worker and
# machine, so a page version is rendered once for the whole site (Django's Redis backend, with
# a lost Redis taken as a miss: archive/cache.py); without it each process keeps its own, so a
# bare machine needs nothing more.
# The keys carry the static files' build (archive/release.py): pages cached by another release
# name stylesheets this one does not serve.
CACHE_VERSION = static_version(STATIC_ROOT) if not DEBUG else 1
CACHE_URL = os.environ.get("CACHE_URL", "").strip()
if CACHE_URL:
    CACHES = {
        "default": {
            "BACKEND": "archive.cache.ForgivingRedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "referatarkivet"),
            "VERSION": CACHE_VERSION,
            # A slow or lost Redis must not hold a worker for long: a miss renders the page.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "VERSION": CACHE_VERSION,
            "OPTIONS": {"MAX_ENTRIES": 500},
        }
    }
