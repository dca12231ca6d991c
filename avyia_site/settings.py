"""AVYIA site settings: one module, configured by the environment.

`DJANGO_ENV=local` (the default) runs on SQLite with generated development keys kept in `var/`.
`DJANGO_ENV=production` turns on HTTPS-only behaviour and refuses to start without its required
settings. The README's configuration table documents every variable read here.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
import sys
from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF

from core.client_address import parse_networks

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

DJANGO_ENV = env.str("DJANGO_ENV", default="local")
if DJANGO_ENV not in {"local", "production"}:
    sys.exit(f"DJANGO_ENV must be 'local' or 'production', not {DJANGO_ENV!r}.")
PRODUCTION = DJANGO_ENV == "production"


def _fernet_key() -> str:
    return base64.urlsafe_b64encode(os.urandom(32)).decode()


_LOCAL_SECRET_MAKERS = {
    "DJANGO_SECRET_KEY": lambda: secrets.token_urlsafe(50),
    "FIELD_ENCRYPTION_KEYS": _fernet_key,
    "BLIND_INDEX_KEY": lambda: secrets.token_urlsafe(32),
}


# Every variable production refuses to start without, in the order they are read (the README's
# production section lists the same; a test holds the two together).
REQUIRED_IN_PRODUCTION: list[str] = []


def _secret(name: str) -> str:
    """A secret from the environment; required in production, generated once into var/ locally."""
    REQUIRED_IN_PRODUCTION.append(name)
    value = env.str(name, default="")
    if value:
        return value
    if PRODUCTION:
        sys.exit(f"{name} is required when DJANGO_ENV=production.")
    VAR_DIR.mkdir(exist_ok=True)
    path = VAR_DIR / "local-secrets.json"
    stored = json.loads(path.read_text()) if path.exists() else {}
    if name not in stored:
        stored[name] = _LOCAL_SECRET_MAKERS[name]()
        path.write_text(json.dumps(stored, indent=2))
        path.chmod(0o600)
    return stored[name]


def _required_in_production(name: str, local_default: str) -> str:
    REQUIRED_IN_PRODUCTION.append(name)
    value = env.str(name, default="")
    if value:
        return value
    if PRODUCTION:
        sys.exit(f"{name} is required when DJANGO_ENV=production.")
    return local_default


# --- Core ---------------------------------------------------------------------------------------

SECRET_KEY = _secret("DJANGO_SECRET_KEY")
DEBUG = env.bool("DJANGO_DEBUG", default=False) and not PRODUCTION
ALLOWED_HOSTS = [
    h.strip()
    for h in _required_in_production("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
    if h.strip()
]
# Locally the address `make run` serves (PORT), so links in staff e-mails and alerts open.
SITE_URL = _required_in_production(
    "SITE_URL", f"http://127.0.0.1:{env.str('PORT', default='8000')}"
).rstrip("/")
if PRODUCTION and not SITE_URL.startswith("https://"):
    # Staff e-mail links and the CSRF trusted origin are built from it.
    sys.exit("SITE_URL must be an https:// address when DJANGO_ENV=production.")
ADMIN_URL = env.str("DJANGO_ADMIN_URL", default="staff/").strip("/") + "/"

INSTALLED_APPS = [
    "core.apps.StaffAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "core.apps.StaticFilesConfig",
    "django.contrib.sitemaps",
    "crispy_forms",
    "crispy_bootstrap5",
    "bootstrap",
    "core.apps.CoreConfig",
    "pages",
    "intake",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "operations",
]

MIDDLEWARE = [
    # First: forwarding headers count only when our own proxy sent the request.
    "core.client_address.ForwardedHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # The security headers wrap everything below, so static files, the favicon, the health check
    # and cached pages carry them as well as rendered pages.
    "core.middleware.SecurityHeadersMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "core.middleware.HealthCheckMiddleware",
    # Content pages from memory: after WhiteNoise and the health check, before anything per-user.
    "pages.middleware.SharedPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Bodies the site cannot use are refused before anything reads them (the CSRF check, a view,
    # the staff session's end keeping a review page's typing), once it is known whether a signed-in
    # staff member is uploading a photo.
    "core.middleware.RequestBodyGuardMiddleware",
    "core.staff_sessions.StaffSessionMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "avyia_site.urls"
WSGI_APPLICATION = "avyia_site.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "pages.context_processors.clinic",
                "pages.context_processors.languages",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------------

# Production needs one database every app server and the backups share: PostgreSQL, never a
# SQLite file that each machine would keep for itself.
DATABASES = {
    "default": env.db_url(
        "DATABASE_URL",
        default=_required_in_production("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
    ),
}
if PRODUCTION and DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    sys.exit("DATABASE_URL must be a postgres:// address when DJANGO_ENV=production.")
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run beside a writer; IMMEDIATE takes the write lock when a transaction
    # starts, so concurrent writers from several gunicorn workers queue instead of failing.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;"
            ),
        }
    )
    if DATABASES["default"]["NAME"] != ":memory:":
        Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
# Each worker keeps its connection between requests: opening one (and, for SQLite, running the
# pragmas above) cost about as much as the rest of a form step. PostgreSQL connections are checked
# before reuse, so one the server dropped is replaced instead of failing a patient's request.
DATABASES["default"].setdefault("CONN_MAX_AGE", 60)
DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache --------------------------------------------------------------------------------------

# The default cache holds the content version, so it must be shared by every worker: a file cache
# on one machine, Redis (CACHE_URL=redis://...) across several app servers.
CACHES = {
    "default": env.cache_url("CACHE_URL", default=f"filecache://{VAR_DIR / 'cache'}"),
    # Parts of pages that are the same for every visitor (header, footer, the crisis messages),
    # rendered once per process, language and content version ({% cache ... using="fragments" %}
    # with `content_version` among its keys): a screening step renders only what is its own.
    # In this process's memory, so a hit costs no round trip; never anything about a patient.
    "fragments": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "fragments",
        "OPTIONS": {"MAX_ENTRIES": 1000},
    },
}
# `?key_prefix=` keeps several sites (or test runs) apart in one Redis database; django-environ
# spells it in lower case for Django's Redis backend, which reads only KEY_PREFIX.
if "key_prefix" in CACHES["default"]:
    CACHES["default"]["KEY_PREFIX"] = CACHES["default"].pop("key_prefix")

# --- Background tasks ---------------------------------------------------------------------------

# Django's tasks API (the django-tasks backport until Django 6) with the database backend: queued in
# the same transaction as the data it is about, run by `manage.py db_worker`.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# A failed staff notice is tried again after 10 s, 20 s, 40 s... (at most 10 minutes apart).
NOTICE_RETRY_BASE_SECONDS = env.int("NOTICE_RETRY_BASE_SECONDS", default=10)
NOTICE_RETRY_MAX_SECONDS = env.int("NOTICE_RETRY_MAX_SECONDS", default=600)
NOTICE_RETRY_ATTEMPTS = env.int("NOTICE_RETRY_ATTEMPTS", default=20)

# --- Auth ---------------------------------------------------------------------------------------

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# django-axes checks every sign-in before the password is even compared.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Five failures for one username from one address lock that pair for 30 minutes. Locking the
# username alone would let anyone keep staff out of their work; the TOTP code already stops a
# password guessed from many addresses. A clinic manager lifts one person's pause under "Staff
# accounts" (`manage.py axes_reset` lifts every pause at once).
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "core.client_address.client_ip"
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"
# The same page, saying until when the pause lasts.
AXES_LOCKOUT_CALLABLE = "intake.staff.accounts_admin.sign_in_paused_response"

# Staff sign in with a TOTP code as well (django-otp); the issuer names the entry in their app.
OTP_TOTP_ISSUER = "AVYIA staff"
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# Automatic sign-out for staff (core.staff_sessions); patients never sign in.
STAFF_SESSION_IDLE_TIMEOUT = timedelta(minutes=15)
STAFF_SESSION_MAX_AGE = timedelta(hours=12)
# How long after the idle time an ended session is still recognised (to keep unsaved work).
STAFF_SESSION_ENDED_GRACE = timedelta(hours=1)
# The staff pages warn this long before the idle sign-out, with a "Stay signed in" button.
STAFF_SESSION_WARNING = timedelta(minutes=3)

# --- Internationalisation -----------------------------------------------------------------------

# English at today's URLs; Spanish under /es/ (i18n_patterns). The URL prefix is the only memory of
# the choice: no language cookie is read for patient pages and Accept-Language never redirects.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "America/Los_Angeles"
FORMAT_MODULE_PATH = ["avyia_site.formats"]
USE_I18N = True
USE_TZ = True

# --- Static files -------------------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("DJANGO_STATIC_ROOT", default=str(VAR_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Photos staff upload (clinicians). Re-encoded as WebP on upload and served only through
# pages.views.clinician_photo, never as arbitrary files: see pages/photos.py.
MEDIA_ROOT = Path(env.str("DJANGO_MEDIA_ROOT", default=str(VAR_DIR / "media")))
MEDIA_URL = "/media/"
# Files served at the site root (favicon.ico) without a hashed name.
WHITENOISE_ROOT = BASE_DIR / "static" / "root"
WHITENOISE_KEEP_ONLY_HASHED_FILES = True

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Security -----------------------------------------------------------------------------------

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
# Like the session's on the screening form: gone when the browser closes, so a shared computer
# keeps no sign that someone asked for a screening.
CSRF_COOKIE_AGE = None
CSRF_FAILURE_VIEW = "pages.views.csrf_failure"
CSRF_TRUSTED_ORIGINS = [SITE_URL] if SITE_URL.startswith("https://") else []
# The health check answers a plain-HTTP probe by address (see HealthCheckMiddleware).
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

if env.bool("DJANGO_SECURE_PROXY_SSL_HEADER", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
if "DJANGO_TRUSTED_PROXY_COUNT" in os.environ:
    # A count trusted X-Forwarded-For from anyone who reached the app server directly.
    sys.exit("DJANGO_TRUSTED_PROXY_COUNT is replaced by DJANGO_TRUSTED_PROXIES (proxy addresses).")
# Addresses or networks of our own reverse proxies; only their forwarding headers are believed.
TRUSTED_PROXIES = env.list("DJANGO_TRUSTED_PROXIES", default=[])
try:
    parse_networks(TRUSTED_PROXIES)
except ValueError as exc:
    sys.exit(f"DJANGO_TRUSTED_PROXIES: {exc}.")
if PRODUCTION and env.bool("DJANGO_SECURE_PROXY_SSL_HEADER", default=False) and not TRUSTED_PROXIES:
    # Behind a proxy every request would seem to come from it: one rate limit for all patients.
    sys.exit("DJANGO_TRUSTED_PROXIES is required when DJANGO_SECURE_PROXY_SSL_HEADER is on.")

# Request bodies: patients send no files and the largest form is a few kilobytes. nginx refuses
# anything over client_max_body_size first (deploy/nginx.conf); these hold behind any proxy.
REQUEST_BODY_MAX_BYTES = env.int("REQUEST_BODY_MAX_BYTES", default=256 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = REQUEST_BODY_MAX_BYTES
DATA_UPLOAD_MAX_NUMBER_FIELDS = 400
# Only the staff admin takes a file (a clinician's photo, at most 10 MB, one at a time); anywhere
# else the first file part in a body is refused before its content is read.
STAFF_UPLOAD_MAX_BYTES = 11 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FILES = 1
FILE_UPLOAD_MAX_MEMORY_SIZE = 64 * 1024

if PRODUCTION:
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 63072000  # two years
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Secure-sessionid"
    CSRF_COOKIE_NAME = "__Secure-csrftoken"
    LANGUAGE_COOKIE_SECURE = True

# The staff admin (Django's, with our sign-in and review pages) needs nothing relaxed: checked in a
# real browser, where a blocked script or style is a console error (tests/browser/test_admin.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "manifest-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    },
}

PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "publickey-credentials-get",
        "screen-wake-lock",
        "usb",
        "xr-spatial-tracking",
    )
}

# --- Patient-data keys --------------------------------------------------------------------------

FIELD_ENCRYPTION_KEYS = [
    k.strip() for k in _secret("FIELD_ENCRYPTION_KEYS").split(",") if k.strip()
]
BLIND_INDEX_KEY = _secret("BLIND_INDEX_KEY")
# Encrypts `manage.py backup` archives. Kept apart from the data keys (and from the app servers,
# which never need it): only the backup and restore jobs read it.
BACKUP_KEY = env.str("BACKUP_KEY", default="")
# The public half (age1...): a host that only writes backups needs nothing more.
BACKUP_RECIPIENT = env.str("BACKUP_RECIPIENT", default="")

# --- E-mail -------------------------------------------------------------------------------------

if "EMAIL_URL" in os.environ:
    globals().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = env.str(
        "EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend"
    )
    EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
    EMAIL_PORT = env.int("EMAIL_PORT", default=25)
    EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
    EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
    EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
# A slow mail server must never hold up a patient's request.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=5)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="AVYIA <no-reply@example.org>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Who gets an e-mail for every server error (its path, exception class and code lines, never the
# request's data: core.error_mail), comma-separated addresses.
ADMINS = [(address, address) for address in env.list("DJANGO_ADMINS", default=[])]

# --- The clinic ---------------------------------------------------------------------------------

CLINIC_NAME = "AVYIA"
# The clinic's own facts (contact, hours, prices, session facts, the at-home emergency plan, the
# medical director) are not settings: managers keep them in the clinic profile (pages.clinic).
INTAKE_NOTIFY_EMAIL = env.str("INTAKE_NOTIFY_EMAIL", default="intake@example.org")
# Who `manage.py alert_overdue` wakes (an e-mail-to-SMS gateway works): acute requests not reached,
# urgent ones overdue, staff notices not sent within ON_CALL_NOTICE_GRACE_MINUTES; repeated every
# ON_CALL_REPEAT_MINUTES until someone reaches the patient.
ON_CALL_EMAIL = env.str("ON_CALL_EMAIL", default="on-call@example.org")
ON_CALL_REPEAT_MINUTES = env.int("ON_CALL_REPEAT_MINUTES", default=30)
ON_CALL_NOTICE_GRACE_MINUTES = env.int("ON_CALL_NOTICE_GRACE_MINUTES", default=15)
# The patient's appointment reminder goes this many hours before the appointment (by e-mail,
# from the task worker); a booking made later than that gets its confirmation only.
APPOINTMENT_REMINDER_HOURS = env.int("APPOINTMENT_REMINDER_HOURS", default=24)
# The nurse a request is assigned to gets an e-mail this many minutes before a call-back they set
# ("try again by") comes due.
STAFF_REMINDER_MINUTES = env.int("STAFF_REMINDER_MINUTES", default=15)
# The state the counties are in: its two-letter code (as in the ZIP code data) and its name.
SERVICE_AREA_STATE = env.str("SERVICE_AREA_STATE", default="WA")
SERVICE_AREA_STATE_NAME = env.str("SERVICE_AREA_STATE_NAME", default="Washington")
SCREENING_RESPONSE_TIME = env.str("SCREENING_RESPONSE_TIME", default="one business day")
# How long each process may keep the content version it read before asking the shared cache
# again: an edit shows on every app server within this many seconds (0: on the next request).
CONTENT_VERSION_MAX_AGE = env.float("CONTENT_VERSION_MAX_AGE", default=1.0)
# The promise above is also what the queue's due times come from (intake.business_hours).
SCREENING_URGENT_BUSINESS_HOURS = env.int("SCREENING_URGENT_BUSINESS_HOURS", default=2)
CLINIC_TIME_ZONE = env.str("CLINIC_TIME_ZONE", default=TIME_ZONE)
CLINIC_BUSINESS_HOURS = env.str("CLINIC_BUSINESS_HOURS", default="08:00-17:00")
CLINIC_BUSINESS_DAYS = env.list("CLINIC_BUSINESS_DAYS", default=["mon", "tue", "wed", "thu", "fri"])
# Country and subdivision codes of the `holidays` package; "off" for none.
CLINIC_HOLIDAYS = env.str("CLINIC_HOLIDAYS", default="US-WA")
# After this many attempts without reaching the patient, the review page offers the
# "we could not reach you" message.
SCREENING_FAILED_ATTEMPTS_BEFORE_MESSAGE = env.int(
    "SCREENING_FAILED_ATTEMPTS_BEFORE_MESSAGE", default=3
)
# A screening request filled in step by step is kept as a draft this long after its last step.
SCREENING_DRAFT_HOURS = env.int("SCREENING_DRAFT_HOURS", default=24)
SCREENING_RETENTION_MONTHS = env.int("SCREENING_RETENTION_MONTHS", default=24)
# The audit trail of staff access is kept six years (HIPAA's documentation rule), then purged.
AUDIT_RETENTION_YEARS = 6
SCREENING_RATE_LIMIT = env.str("SCREENING_RATE_LIMIT", default="5/hour")
# New drafts (each a session and a row) started per client address: a sliding count like the above.
SCREENING_DRAFT_RATE_LIMIT = env.str("SCREENING_DRAFT_RATE_LIMIT", default="30/hour")
SCREENING_MIN_FILL_SECONDS = env.int("SCREENING_MIN_FILL_SECONDS", default=3)
# At most one e-mail receipt to an address in this many hours (0: no limit): the form must not be
# a way to send mail to anyone, again and again.
SCREENING_RECEIPT_HOURS = env.int("SCREENING_RECEIPT_HOURS", default=24)
# A clinician's name is shown beside review dates only when the clinic sets one; without it the
# pages say "Last updated", never "reviewed".
MEDICAL_REVIEWER = env.str("MEDICAL_REVIEWER", default="")
MEDICAL_REVIEWER_CREDENTIALS = env.str("MEDICAL_REVIEWER_CREDENTIALS", default="")

# --- Logging ------------------------------------------------------------------------------------

# Logs go to stdout; nothing personal is logged (request bodies never are).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
        "mail_admins": {"class": "core.error_mail.ErrorMailHandler", "level": "ERROR"},
    },
    "root": {"handlers": ["console", "mail_admins"], "level": "INFO"},
    "loggers": {
        "django": {"handlers": ["console", "mail_admins"], "level": "INFO", "propagate": False},
        # django-axes announces its configuration on every start, even of manage.py commands.
        "axes.apps": {"level": "WARNING"},
    },
}
