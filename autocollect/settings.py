"""Settings. No environment: SQLite in var/, Celery eager, files on local disk, mail to the console.
DATABASE_URL and CELERY_BROKER_URL set: PostgreSQL and real Celery workers, same code."""

import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("AUTOCOLLECT_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "dev-only-insecure-key-change-me")
DEBUG = os.environ.get("DJANGO_DEBUG", "1") == "1"
ALLOWED_HOSTS = os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "creditors",
    "cases",
    "integrations",
    "letters",
    "settlements",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"  # stored in UTC; business dates are computed in each creditor's zone
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
# Private files (letters): never served as static; views check the tenant before streaming.
MEDIA_ROOT = Path(os.environ.get("AUTOCOLLECT_MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "portal-home"
LOGOUT_REDIRECT_URL = "login"

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.BasicAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 50,
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

# --- celery ---------------------------------------------------------------------------------
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", "") or None
# Without a broker every task runs in-process, at once, as a plain function call.
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BROKER_URL = CELERY_BROKER_URL or "memory://localhost/"
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_QUEUE", "autocollect")
CELERY_TASK_ACKS_LATE = True
# A task whose worker process dies (killed, OOM) is requeued, not acknowledged and lost; a
# worker that dies whole leaves its unacknowledged messages to the broker, which redelivers them
# after the visibility timeout (longer than any retry countdown, or those run twice; tests
# shorten it through the environment to see the redelivery).
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", "3600")),
}
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE = {
    # Runs every 15 minutes; each creditor is synced once per local day after 23:00 in its own
    # time zone (SE/NO and FI differ by an hour), and missed nights catch up on the next tick.
    "sync-due-creditors": {
        "task": "integrations.sync_due_creditors",
        "schedule": crontab(minute="*/15"),
    },
    "advance-due-cases": {
        "task": "cases.advance_due_cases",
        "schedule": crontab(minute="*/10"),
    },
    # Every letter row gets its PDF: renders what a lost or failed task left pending.
    "render-pending-letters": {
        "task": "letters.render_pending_letters",
        "schedule": crontab(minute="*/15"),
    },
}

# --- product --------------------------------------------------------------------------------
AUTOCOLLECT_PORTAL_URL = os.environ.get("AUTOCOLLECT_PORTAL_URL", "http://127.0.0.1:8000")
AUTOCOLLECT_NIGHTLY_SYNC_HOUR = 23
# Failed renders of one letter before its case is flagged for support (rendering goes on).
AUTOCOLLECT_LETTER_RENDER_ATTEMPTS = 5
# Who the debtor pays: the collector's own account per country, printed on every letter.
AUTOCOLLECT_COLLECTOR = {
    "SE": {
        "name": "AutoCollect Sverige AB",
        "org_number": "556000-0001",
        "address": ("Box 1234", "111 22 Stockholm"),
        "account_label": "Bankgiro",
        "account": "5050-1055",
    },
    "NO": {
        "name": "AutoCollect Norge AS",
        "org_number": "999 999 999",
        "address": ("Postboks 12 Sentrum", "0101 Oslo"),
        "account_label": "Kontonummer",
        "account": "8601 11 17947",
    },
    "FI": {
        "name": "AutoCollect Suomi Oy",
        "org_number": "1234567-8",
        "address": ("PL 12", "00100 Helsinki"),
        "account_label": "IBAN",
        "account": "FI21 1234 5600 0007 85",
    },
}
