"""Settings for the GTWS fan site, read from the environment.

Development needs nothing set: DEBUG is on, the database is a SQLite file in the
project and the cache is local memory. Production sets DEBUG=0, SECRET_KEY,
ALLOWED_HOSTS, DATABASE_URL and, with several processes or machines, REDIS_URL.
"""

import hashlib
import os
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be one of 1/0, true/false, yes/no, on/off; got {value!r}.")


def env_list(name, default):
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. With DEBUG off the site refuses to start without a secret key: "
            "set the SECRET_KEY environment variable to a long random string "
            '(python -c "import secrets; print(secrets.token_urlsafe(50))").'
        )
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "ALLOWED_HOSTS is not set. With DEBUG off, list the site's host names, comma-separated, "
        "in the ALLOWED_HOSTS environment variable."
    )
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# The public address of the site: canonical links and share cards name it, and pages rendered in
# the background (results.cache.rendering) are asked for at it, so a cached page is the same
# whichever host name a reader used.
SITE_URL = os.environ.get("SITE_URL", "").rstrip("/") or (
    "http://127.0.0.1:8000" if DEBUG else f"https://{ALLOWED_HOSTS[0].lstrip('.')}"
)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django_countries",
    "crispy_forms",
    "crispy_bootstrap5",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "simple_history",
    "results",
    "community",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "gtws_site.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "gtws_site.middleware.NullCharacterMiddleware",
    # Cached pages for anonymous readers are answered here: the headers above still apply,
    # the work below (sessions, CSRF, users, messages) is not needed for them.
    "results.cache.middleware.CachedPageMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "community.middleware.PrivatePagesMiddleware",
    "community.middleware.StaffSecondFactorMiddleware",
    "gtws_site.middleware.ServiceUnavailableMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

ROOT_URLCONF = "gtws_site.urls"
WSGI_APPLICATION = "gtws_site.wsgi.application"

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
                "results.site.context_processors.site",
            ],
        },
    },
]

# The embedded default is a SQLite file beside the code; production gives
# DATABASE_URL=postgres://user:password@host:5432/name. Connections are kept
# open between requests (opening one per request is slow on PostgreSQL).
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "600")),
        conn_health_checks=True,
    )
}
# One test database per checkout, so two checkouts' suites on one machine do not share it.
checkout = hashlib.sha256(str(BASE_DIR).encode()).hexdigest()[:8]
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["TEST"] = {"NAME": f"test_gtws_{checkout}"}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Tests use a file, not memory: the browser tests' live server reads it from other threads.
    test_file = Path(tempfile.gettempdir()) / f"gtws-test-{checkout}.sqlite3"
    DATABASES["default"]["TEST"] = {"NAME": str(test_file)}
    # The site, the task worker and the page cache table write to one file: transactions take the
    # write lock when they begin (no "database is locked" when a reader turns writer), readers do
    # not wait for writers (WAL), and a writer waits up to 20 s for another.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        transaction_mode="IMMEDIATE",
        timeout=20,
        init_command="PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    )
    # The cache tables (pages, rate limits) in a file of their own: see gtws_site/routers.py.
    name = Path(DATABASES["default"]["NAME"])
    DATABASES["cache"] = {
        **DATABASES["default"],
        "NAME": str(name.with_name(f"{name.stem}-cache{name.suffix}")),
        "OPTIONS": dict(DATABASES["default"]["OPTIONS"]),
        "TEST": {"NAME": str(test_file.with_name(f"{test_file.stem}-cache{test_file.suffix}"))},
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool(
    "DATABASE_PREPARED_STATEMENTS", True
):
    # Pages ask the same few queries again and again: bound on the server and prepared
    # after their second use on a connection, PostgreSQL plans each once per connection
    # (planning the race page's six-table join cost more than running it). Set
    # DATABASE_PREPARED_STATEMENTS=0 behind a pooler that cannot keep prepared statements.
    DATABASES["default"].setdefault("OPTIONS", {}).update(server_side_binding=True, prepare_threshold=2)
if "cache" not in DATABASES:  # the same database, over a connection of its own
    DATABASES["cache"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}
DATABASE_ROUTERS = ["gtws_site.routers.CacheRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Two caches (results/cache, docs/deploy.md):
# - "default": rate limits and other small counters, shared by every process and machine;
# - "pages": cached pages and the versions of what they show (results.cache.scopes).
# With REDIS_URL, both live in Redis (PAGE_CACHE_URL may put the pages on a Redis of their own,
# with maxmemory and an LRU policy, so page churn never evicts a counter). If Redis cannot be
# reached, "default" counts in the database cache table and "pages" stores nothing: pages are
# rendered from the database (results.cache.backends.FallbackCache). Without REDIS_URL both are
# tables in the "cache" database (`manage.py createcachetable --database cache`, run by `make migrate`).
REDIS_URL = os.environ.get("REDIS_URL", "")
PAGE_CACHE_URL = os.environ.get("PAGE_CACHE_URL", "") or REDIS_URL
DATABASE_CACHE = {
    "BACKEND": "django.core.cache.backends.db.DatabaseCache",
    "LOCATION": "gtws_cache",
    "OPTIONS": {"MAX_ENTRIES": 20000},
}
REDIS_OPTIONS = {
    # Give up quickly on an unreachable Redis: the fallback answers instead.
    "SOCKET_CONNECT_TIMEOUT": float(os.environ.get("REDIS_CONNECT_TIMEOUT", "0.5")),
    "SOCKET_TIMEOUT": float(os.environ.get("REDIS_TIMEOUT", "1")),
}
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "results.cache.backends.FallbackCache",
            "OPTIONS": {"PRIMARY": "redis", "FALLBACK": "database"},
        },
        "pages": {
            "BACKEND": "results.cache.backends.FallbackCache",
            "OPTIONS": {"PRIMARY": "redis-pages", "FALLBACK": "nowhere"},
        },
        "redis": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "gtws",
            "OPTIONS": REDIS_OPTIONS,
        },
        "redis-pages": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": PAGE_CACHE_URL,
            "KEY_PREFIX": "gtws-pages",
            "OPTIONS": REDIS_OPTIONS,
        },
        "database": DATABASE_CACHE,
        "nowhere": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
    }
else:
    CACHES = {
        "default": DATABASE_CACHE,
        "pages": {**DATABASE_CACHE, "LOCATION": "gtws_page_cache"},
    }

# Background tasks (django-tasks with its database backend): the pages a change touched are
# rendered again by `manage.py db_worker`, a process of its own (started by `make run`).
TASKS = {"default": {"BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# static/vendor/bootstrap/ holds Bootstrap's compiled CSS as its authors publish it (MIT, LICENSE beside it).
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed file names and gzip/Brotli copies, served by whitenoise with
    # far-future cache headers. Development serves the plain files.
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Public pages and API answers are cached per scope version (results.cache). PAGE_CACHE=0
# turns that off, for measuring cold renders.
PAGE_CACHE = env_bool("PAGE_CACHE", True)
# An editor's change renders the most read pages it touched before it commits, so readers after the
# commit find them cached (results.write.changes). Off in most tests, to keep them quick.
PAGE_RENDER_BEFORE_COMMIT = env_bool("PAGE_RENDER_BEFORE_COMMIT", True)

# --- Accounts (django-allauth: e-mail and password, no social login) ---------------------------
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "community.forms.SignupDetailsForm"
# E-mails through the task queue; sign-up does the same work for new and known addresses, and
# answers alike (ACCOUNT_PREVENT_ENUMERATION, allauth's default, said here so it stays); limits
# count per client address as gtws_site.clientip finds it behind TRUSTED_PROXY_COUNT proxies.
ACCOUNT_ADAPTER = "community.accounts.AccountAdapter"
ACCOUNT_FORMS = {"signup": "community.accounts.EvenSignupForm"}
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_GET = False  # log out is a POST
ACCOUNT_USER_DISPLAY = "community.profiles.display_name"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[GTWS fan site] "
# Counted in the shared cache, so a limit reached through one process holds on all.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "10/h/ip",
    "confirm_email": "3/10m/key",
    "reset_password": "10/h/ip,3/h/key",
    "reset_password_from_key": "20/h/ip",
    "change_password": "5/m/user",
}

# Two factors for staff (community/twofactor.py): editors, moderators and administrators open the
# admin after a code from an authenticator app (or a recovery code); fans are never asked.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "GTWS fan site"
MFA_TOTP_TOLERANCE = 1  # the code of the 30 s step before or after is accepted too (clock drift)
# Development only: staff addresses let into the admin without a second factor (the demo editor).
# Honoured only while DEBUG is on; with DEBUG off the site refuses to start with any.
STAFF_MFA_EXEMPT = env_list("STAFF_MFA_EXEMPT", ["editor@example.com"] if DEBUG else [])
if STAFF_MFA_EXEMPT and not DEBUG:
    raise ImproperlyConfigured(
        "STAFF_MFA_EXEMPT lets staff into the admin without a second factor: it is for development "
        "only. Unset it when DEBUG is off."
    )

EMAIL_SUBJECT_PREFIX = "[GTWS fan site] "
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "GTWS fan site <no-reply@localhost>")
if os.environ.get("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["EMAIL_HOST"]
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
else:
    # Development: e-mails (such as the sign-up confirmation link) are printed on the console.
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# --- Comments ------------------------------------------------------------------------------------
COMMENT_MAX_LENGTH = 2000
COMMENT_EDIT_MINUTES = 15
COMMENTS_PER_PAGE = 50
COMMENT_RATE_LIMITS = [(3, 60), (20, 3600)]  # at most 3 a minute and 20 an hour per user
FLAG_RATE_LIMITS = [(5, 60), (30, 3600)]  # flags sent (or changed): 5 a minute and 30 an hour per user
PICK_RATE_LIMITS = [(10, 60), (100, 3600)]  # picks saved (or changed): 10 a minute, 100 an hour per fan

# --- Content Security Policy (django-csp): no inline or third-party scripts ---------------------
CSP_REPORT_URL = "/csp-report/"
# A violation report is a few hundred bytes; a browser batches a few. Larger bodies are refused (413)
# and each client address may send this many a minute (429 beyond).
CSP_REPORT_MAX_BYTES = 16 * 1024
CSP_REPORT_RATE_LIMITS = [(30, 60)]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        # Django's admin writes a few style="" attributes; no <style> elements are allowed.
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
        # Violations are reported to the site itself (gtws_site.views.csp_report): report-uri for the
        # browsers that know only it, report-to naming the Reporting-Endpoints entry for the others.
        "report-uri": [CSP_REPORT_URL],
        "report-to": "csp-endpoint",
    }
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Behind a proxy or load balancer that terminates TLS and sets X-Forwarded-Proto.
# TRUSTED_PROXY_COUNT: how many proxies in front append the address they were reached from to
# X-Forwarded-For (1 behind deploy/nginx.conf). Rate limits and logs count the address the outermost
# of them was reached from (gtws_site.clientip); with 0 the header is ignored, since a client can write
# anything in it.
TRUSTED_PROXY_COUNT = os.environ.get("TRUSTED_PROXY_COUNT") or "0"
if not TRUSTED_PROXY_COUNT.isdigit():
    raise ImproperlyConfigured(f"TRUSTED_PROXY_COUNT must be 0 or more; got {TRUSTED_PROXY_COUNT!r}.")
TRUSTED_PROXY_COUNT = int(TRUSTED_PROXY_COUNT)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Headers SecurityMiddleware does not send (gtws_site.middleware.SecurityHeadersMiddleware): no page
# may use these browser features, and no other site may load the site's files as its own resources.
PERMISSIONS_POLICY = [
    "accelerometer",
    "autoplay",
    "camera",
    "display-capture",
    "geolocation",
    "gyroscope",
    "hid",
    "magnetometer",
    "microphone",
    "midi",
    "payment",
    "publickey-credentials-get",
    "screen-wake-lock",
    "serial",
    "usb",
    "xr-spatial-tracking",
]
CROSS_ORIGIN_RESOURCE_POLICY = "same-origin"
# /.well-known/security.txt (RFC 9116): where to report a vulnerability; Expires is a year ahead.
SECURITY_CONTACTS = env_list("SECURITY_CONTACT", [f"mailto:security@{urlsplit(SITE_URL).hostname}"])
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    # SECURE_COOKIES=0 only for tests of several instances over plain HTTP on loopback.
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
