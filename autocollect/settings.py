"""Settings. AUTOCOLLECT_DEV_MODE=1 (`make run`, the tests): DEBUG, a development key, and with no
other environment SQLite in var/, Celery eager, files on local disk, mail to the console.
DATABASE_URL and CELERY_BROKER_URL set: PostgreSQL and real Celery workers, same code.
Without dev mode it is production: a real DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS are required,
DEBUG is refused, and cookies, HSTS and the SSL redirect are on (behind a TLS proxy)."""

import datetime as dt
import json
import os
from pathlib import Path

import dj_database_url
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

from autocollect.settings_sender import DEMO_SENDER as _DEMO_SENDER

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("AUTOCOLLECT_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)

# --- dev mode or production -------------------------------------------------------------------
# Production unless dev mode is asked for by name: a forgotten variable must not start a public
# server with DEBUG and a key everyone knows.
DEV_MODE = os.environ.get("AUTOCOLLECT_DEV_MODE", "") == "1"
_DEV_SECRET_KEY = "dev-only-insecure-key-change-me"


def _production_setting(name: str, what: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(
            f"{name} is not set: {what}. For development set AUTOCOLLECT_DEV_MODE=1 "
            "(`make run` and the tests do)."
        )
    return value


if DEV_MODE:
    SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or _DEV_SECRET_KEY
    DEBUG = os.environ.get("DJANGO_DEBUG", "1") == "1"
    _hosts = os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
    ALLOWED_HOSTS = _hosts.split(",")
else:
    SECRET_KEY = _production_setting("DJANGO_SECRET_KEY", "production needs a secret key")
    # The same bar as `check --deploy` (security.W009), so a weak key never reaches production.
    if (
        SECRET_KEY == _DEV_SECRET_KEY
        or SECRET_KEY.startswith("django-insecure-")
        or len(SECRET_KEY) < 50
        or len(set(SECRET_KEY)) < 5
    ):
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is too weak for production: use 50 or more random characters, "
            "e.g. python3 -c 'import secrets; print(secrets.token_urlsafe(50))'."
        )
    if os.environ.get("DJANGO_DEBUG", "0") not in ("", "0"):
        raise ImproperlyConfigured(
            "DJANGO_DEBUG is on outside dev mode: DEBUG shows settings and stack traces to "
            "anyone. Unset it, or set AUTOCOLLECT_DEV_MODE=1 on a development machine."
        )
    DEBUG = False
    ALLOWED_HOSTS = _production_setting(
        "DJANGO_ALLOWED_HOSTS", "production needs the host names it serves, comma-separated"
    ).split(",")

# ERP credentials are encrypted at rest (creditors.encryption.EncryptedJSONField) with these
# Fernet keys: the first encrypts, all decrypt, so a key is rotated by putting a new one first
# and running `manage.py reencrypt_erp_secrets`, then dropping the old one.
_DEV_FERNET_KEY = "ZGV2LW9ubHktYXV0b2NvbGxlY3QtZXJwLXNlY3JldHM="  # base64 of a known phrase
AUTOCOLLECT_FERNET_KEYS = [
    k.strip() for k in os.environ.get("AUTOCOLLECT_FERNET_KEYS", "").split(",") if k.strip()
]
if not AUTOCOLLECT_FERNET_KEYS and DEV_MODE:
    AUTOCOLLECT_FERNET_KEYS = [_DEV_FERNET_KEY]
elif not DEV_MODE and (not AUTOCOLLECT_FERNET_KEYS or _DEV_FERNET_KEY in AUTOCOLLECT_FERNET_KEYS):
    raise ImproperlyConfigured(
        "AUTOCOLLECT_FERNET_KEYS is not set (or holds the development key): production needs "
        "its own keys for the ERP credentials, comma-separated, the newest first; make one with "
        "python3 -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'"
    )
for _key in AUTOCOLLECT_FERNET_KEYS:
    try:
        Fernet(_key)
    except ValueError:
        raise ImproperlyConfigured(
            "AUTOCOLLECT_FERNET_KEYS: a key is not a Fernet key (32 url-safe base64 bytes)"
        ) from None
# Partner-level ERP secrets, the same for every creditor, never stored on a creditor. In dev mode
# the Tripletex emulator's consumer token.
TRIPLETEX_CONSUMER_TOKEN = os.environ.get("TRIPLETEX_CONSUMER_TOKEN", "") or (
    "test-consumer-autocollect" if DEV_MODE else ""
)
# Ours as Visma's Netvisor software partner (the Netvisor emulator's in dev mode), the sender
# name every request carries, and the voucher class our settlement vouchers are posted in.
NETVISOR_PARTNER_ID = os.environ.get("NETVISOR_PARTNER_ID", "") or (
    "autocollect-partner" if DEV_MODE else ""
)
NETVISOR_PARTNER_KEY = os.environ.get("NETVISOR_PARTNER_KEY", "") or (
    "emulator-partner-key" if DEV_MODE else ""
)
NETVISOR_SENDER = os.environ.get("NETVISOR_SENDER", "AutoCollect")
NETVISOR_VOUCHER_CLASS = os.environ.get("NETVISOR_VOUCHER_CLASS", "AutoCollect settlement")
# The Store activation (our design, collection.netvisor_activation): the secret the Store signs
# its hand-off with, and our integration user the activation grants rights to the company.
NETVISOR_BASE_URL = os.environ.get("NETVISOR_BASE_URL", "https://integration.netvisor.fi")
NETVISOR_HANDOFF_SECRET = os.environ.get("NETVISOR_HANDOFF_SECRET", "") or (
    "test-netvisor-handoff" if DEV_MODE else ""
)
NETVISOR_STORE_CUSTOMER_ID = os.environ.get("NETVISOR_STORE_CUSTOMER_ID", "") or (
    "autocollect-store" if DEV_MODE else ""
)
NETVISOR_STORE_CUSTOMER_KEY = os.environ.get("NETVISOR_STORE_CUSTOMER_KEY", "") or (
    "emulator-store-key" if DEV_MODE else ""
)
# Where onboarding connects a pasted Tripletex API key (the tests point it at the emulator).
TRIPLETEX_BASE_URL = os.environ.get("TRIPLETEX_BASE_URL", "https://tripletex.no/v2")
# Inexchange: our partner API key (company registration, client tokens per company ErpId) and
# the API's base; in dev mode the emulator's key.
INEXCHANGE_PARTNER_API_KEY = os.environ.get("INEXCHANGE_PARTNER_API_KEY", "") or (
    "test-partner-autocollect" if DEV_MODE else ""
)
INEXCHANGE_BASE_URL = os.environ.get("INEXCHANGE_BASE_URL", "https://api.inexchange.com/v1/api")
# The secret Inexchange's Store signs its hand-off to our activation with (our design:
# integrations.inexchange.handoff); in dev mode the emulator's.
INEXCHANGE_HANDOFF_SECRET = os.environ.get("INEXCHANGE_HANDOFF_SECRET", "") or (
    "test-handoff-autocollect" if DEV_MODE else ""
)
# Our Visma Connect client (the same for every creditor; each company grants it its tenant). In
# dev mode the emulator's.
VISMA_CLIENT_ID = os.environ.get("VISMA_CLIENT_ID", "") or ("autocollect-dev" if DEV_MODE else "")
VISMA_CLIENT_SECRET = os.environ.get("VISMA_CLIENT_SECRET", "") or (
    "autocollect-dev-secret" if DEV_MODE else ""
)
VISMA_API_URL = os.environ.get("VISMA_API_URL", "https://api.finance.visma.net")
VISMA_CONNECT_URL = os.environ.get("VISMA_CONNECT_URL", "https://connect.visma.com")
# How the collection agreement is signed: a key of creditors.signing.SIGNERS ("development" is
# the typed name and tick box; production plugs in a BankID provider, see README).
AUTOCOLLECT_SIGNER = os.environ.get("AUTOCOLLECT_SIGNER", "development")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "creditors",
    "cases",
    "integrations",
    "letters",
    "settlements",
    "collection",
    "support",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After authentication: the user's own language choice comes first (autocollect.locale).
    "autocollect.locale.LocaleMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Lets creditors.access log support staff's views with the request's path (creditors.audit).
    "creditors.audit.RequestContextMiddleware",
    # Last, as axes asks: turns a lockout into a 429 page for the portal and admin logins.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "autocollect.urls"
WSGI_APPLICATION = "autocollect.wsgi.application"

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
]

# --- database -------------------------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'autocollect.sqlite3'}", conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL and a busy timeout let the portal, the pipeline thread and the emulator share the file.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
    # The case list's covering ledger index (INCLUDE) is for PostgreSQL; SQLite builds it
    # without the extra columns, which is all the embedded default needs.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- login throttling and sessions ------------------------------------------------------------
# Axes first: it refuses a locked-out username before any password is checked. It needs the
# request, which the portal and admin login forms and DRF's BasicAuthentication all pass (tests
# use force_login, or client.login(request=HttpRequest(), ...)).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # A username or an e-mail address, with ModelBackend's password check and permissions.
    "autocollect.auth.EmailOrUsernameBackend",
]
# Failures count against the account (its username), whichever of username and e-mail is typed.
AXES_USERNAME_CALLABLE = "autocollect.auth.axes_username"
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = dt.timedelta(minutes=15)
# A username is locked whatever the address (guessing spread over many IPs still stops), and an
# address is locked whatever the usernames (one password tried on many accounts stops too).
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_CLIENT_IP_CALLABLE = "autocollect.security.client_ip"
AXES_RESET_ON_SUCCESS = True
# A lockout answers in the API's error format under /api/, elsewhere with a page of our own.
AXES_LOCKOUT_CALLABLE = "autocollect.security.lockout_response"
# Idle timeout: every request renews the session, 30 minutes without one logs the user out.
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True

# Production serves over HTTPS behind a TLS-terminating proxy that sets X-Forwarded-Proto.
# AUTOCOLLECT_PLAIN_HTTP=1 is for a stack reached only on this machine (docker-compose's port is
# bound to 127.0.0.1): no redirect to https and cookies a browser sends back over http.
_HTTPS = not DEV_MODE and os.environ.get("AUTOCOLLECT_PLAIN_HTTP", "") != "1"
if _HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # the container healthcheck calls it over http
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 365 * 24 * 3600
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# The portal's languages: the user's choice, else the browser's, else the creditor's country
# (autocollect.locale). Catalogues are compiled into the repository (locale/*/LC_MESSAGES/*.mo).
LANGUAGE_CODE = "en"
LANGUAGES = [("sv", "Svenska"), ("nb", "Norsk bokmål"), ("fi", "Suomi"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates and numbers as nordic.formatting writes them on the letters (tests/test_languages.py).
FORMAT_MODULE_PATH = ["autocollect.formats"]
TIME_ZONE = "UTC"  # stored in UTC; business dates are computed in each creditor's zone
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# The image collects static files at build time into AUTOCOLLECT_STATIC_ROOT, outside the data
# volume; whitenoise serves them from there (with DEBUG, from the apps' folders).
STATIC_ROOT = Path(os.environ.get("AUTOCOLLECT_STATIC_ROOT", VAR_DIR / "static"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Private files (letters): never served as static; views check the tenant before streaming.
MEDIA_ROOT = Path(os.environ.get("AUTOCOLLECT_MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Without DEBUG: hashed, compressed names cached for ever (collectstatic writes them).
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "portal-home"
LOGOUT_REDIRECT_URL = "login"

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
# The sender of password-reset mails and the like.
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "AutoCollect <noreply@autocollect.example>"
)
PASSWORD_RESET_TIMEOUT = 24 * 3600  # a reset link works for a day

REST_FRAMEWORK = {
    # Machine clients use a creditor's API key, people a token (POST /api/auth/token/, which
    # authenticates through axes like the login page), the portal's session or basic auth.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "creditors.apikeys.ApiKeyAuthentication",
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
        "autocollect.security.LockoutAwareBasicAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "autocollect.api_schema.Schema",
    # One error format for every error: {"error": {"code", "message", "fields"}}.
    "EXCEPTION_HANDLER": "autocollect.api.exception_handler",
    # Per user (an API key authenticates as its own user, so per key too); anonymous per address.
    "DEFAULT_THROTTLE_CLASSES": [
        "autocollect.throttles.UserThrottle",
        "autocollect.throttles.AnonThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "user": os.environ.get("AUTOCOLLECT_API_RATE_USER", "1200/minute"),
        "anon": os.environ.get("AUTOCOLLECT_API_RATE_ANON", "60/minute"),
    },
}

SPECTACULAR_SETTINGS = {
    "TITLE": "AutoCollect API",
    "DESCRIPTION": "Cases, letters, payments, settlements and the assignments API for "
    "accounting programs. Authenticate with `Authorization: Api-Key <key>` (a creditor's key) "
    "or `Authorization: Token <token>` (a user's token from POST /api/auth/token/).",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/",
    # The docs page's scripts are served from here, not a CDN (drf-spectacular-sidecar).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # Several models have a "status" with their own choices: each enum named after its model.
    "ENUM_NAME_OVERRIDES": {
        "CaseStatusEnum": "cases.models.Case.Status",
        "LetterStatusEnum": "letters.models.Letter.Status",
        "SettlementStatusEnum": "settlements.models.Settlement.Status",
        "SettlementKindEnum": "settlements.models.Settlement.Kind",
        "PayoutStatusEnum": "settlements.models.Payout.Status",
        "PayoutVoucherStatusEnum": "settlements.models.Payout.VoucherStatus",
        "SyncRunStatusEnum": "collection.models.SyncRun.Status",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {
        "autocollect": {"level": os.environ.get("LOG_LEVEL", "INFO")},
        "integrations": {"level": os.environ.get("LOG_LEVEL", "INFO")},
    },
}

# --- cache: shared by the web processes where CACHE_URL names a Redis (the ERP's customer lists
# behind the settings page are read once for all of them); else each process's own memory.
if os.environ.get("CACHE_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["CACHE_URL"],
        }
    }

# --- celery: autocollect.settings_celery (broker, redelivery, the beat schedule) -------------
from autocollect.settings_celery import *  # noqa: E402, F403

# --- product --------------------------------------------------------------------------------
AUTOCOLLECT_PORTAL_URL = os.environ.get("AUTOCOLLECT_PORTAL_URL", "http://127.0.0.1:8000")
AUTOCOLLECT_NIGHTLY_SYNC_HOUR = 23
# Failed renders of one letter before its case is flagged for support (rendering goes on).
AUTOCOLLECT_LETTER_RENDER_ATTEMPTS = 5
# Attempts per delivery (backoff 5 min doubling, at most a day): an e-mail then goes by post, a
# post delivery puts its case in support's queue (letters.delivery).
AUTOCOLLECT_DELIVERY_ATTEMPTS = 5
# The creditor's local hour from which its day's print batch is made (letters.printing).
AUTOCOLLECT_PRINT_BATCH_HOUR = 14
# Our sender identity per country, printed on every letter (issue 10; its shape and the development
# values: autocollect.settings_sender). Production reads it from AUTOCOLLECT_SENDER_JSON (the same
# shape, as JSON); without it a letter is not rendered (it stays pending and its case goes to
# support: letters.services).
if os.environ.get("AUTOCOLLECT_SENDER_JSON"):
    AUTOCOLLECT_SENDER = json.loads(os.environ["AUTOCOLLECT_SENDER_JSON"])
else:
    AUTOCOLLECT_SENDER = _DEMO_SENDER if DEV_MODE else {}
# The agreement (creditors.signing) names the same entity.
AUTOCOLLECT_COLLECTOR = AUTOCOLLECT_SENDER
