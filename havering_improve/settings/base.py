"""Settings for Havering Improve. Every deployment-specific value comes from the environment.

DATABASE_URL       default sqlite:///db.sqlite3 (zero-setup demo); PostgreSQL in production
SQLITE_TIMEOUT     seconds a request waits for SQLite's write lock (default 20)
CELERY_BROKER_URL  unset: tasks run in-process; filesystem:// (make run); redis://… (production)
SECRET_KEY         required when DEBUG is off
DEBUG              default true (a developer's machine); `make run` runs with it off
DEMO               default DEBUG's value: the local demo's conveniences (demo users and their
                   shared password, mail to files, plain HTTP on this machine); settings/demo.py
                   turns it on with DEBUG off for `make run`; never on in production
ALLOWED_HOSTS      comma-separated
SITE_URL           the address people open the service at, for links in e-mail
NOTIFY_API_KEY     set: e-mail goes through GOV.UK Notify (with NOTIFY_TEMPLATE_ID, and
                   NOTIFY_FILE_TEMPLATE_ID for messages with a file; README, E-mail)
SITE_DOMAIN        the service's one name in calendars (meeting UIDs); default SITE_URL's host
MEDIA_S3_BUCKET    unset: uploads in MEDIA_ROOT; set: uploads in that S3-compatible bucket
"""

import datetime as dt
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from .env import env_bool, env_choice, env_int, env_json, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent

DEBUG = env_bool("DEBUG", True)
# What the local demo needs, apart from DEBUG's technical pages: `load_programme --demo` (demo
# users with a password everyone knows), e-mail written to files, static files served by the app
# and plain HTTP. On with DEBUG by default; `make run` has it on and DEBUG off (settings/demo.py).
DEMO = env_bool("DEMO", DEBUG)

_DEV_SECRET = "django-insecure-local-demo-only-not-for-production"
SECRET_KEY = env_str("SECRET_KEY") or ""
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = _DEV_SECRET

LOCAL_HOSTS = ["127.0.0.1", "localhost"]
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", LOCAL_HOSTS if DEBUG or DEMO else [])
if DEMO and not DEBUG and not set(ALLOWED_HOSTS) <= {*LOCAL_HOSTS, "[::1]"}:
    raise ImproperlyConfigured(
        "DEMO is on: the demo's users share a published password, so it serves only this "
        f"machine (ALLOWED_HOSTS {', '.join(LOCAL_HOSTS)}), not {', '.join(ALLOWED_HOSTS)}. "
        "A deployment runs with DEMO off."
    )
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_forms_gds",
    "django_tables2",
    "simple_history",
    "axes",
    "csp",
    "havering_improve",
    "programme",
    "themes",
    "budget",
    "evaluation",
    "board",
    "reporting",
    "selfevaluation",
    "portfolio",
]

MIDDLEWARE = [
    # Pages are read with GET and changed with POST: PUT, DELETE, PATCH… answer 405, everywhere.
    "havering_improve.middleware.HtmlMethodsMiddleware",
    # Then: a load balancer's probe is answered over plain HTTP, by any host name.
    "havering_improve.middleware.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "havering_improve.middleware.NoStoreWhenSignedInMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "havering_improve.middleware.SessionIdleTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "havering_improve.summaries.RequestVersionMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # django-axes first, so a locked-out client is refused before its password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "havering_improve.urls"
WSGI_APPLICATION = "havering_improve.wsgi.application"

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
                "havering_improve.context_processors.service",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # SQLite has one write lock for the whole database. Each transaction takes it as it begins
    # (IMMEDIATE), waiting up to SQLITE_TIMEOUT seconds for another to finish, so two requests
    # at the same moment take turns: the second then finds the work done, instead of both
    # reading, both trying to write and one failing with "database is locked". WAL lets pages
    # be read while a write goes on; synchronous=NORMAL is the safe setting with WAL.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": env_int("SQLITE_TIMEOUT", 20),
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        }
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Computed summaries (dashboard, budget report, charts) are cached per data version — see
# havering_improve/summaries.py. Memory in each process unless SUMMARY_CACHE_URL names a Redis
# database that all web processes share.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "summaries": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _summary_cache}
        if (_summary_cache := env_str("SUMMARY_CACHE_URL"))
        else {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "summaries",
            "OPTIONS": {"MAX_ENTRIES": 2000},
        }
    ),
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
# Dates show as 26 November 2026 (havering_improve/formats/en_GB/formats.py).
FORMAT_MODULE_PATH = ["havering_improve.formats"]
DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "d/m/Y"
DATETIME_FORMAT = "j F Y, H:i"
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
USE_THOUSAND_SEPARATOR = False

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT") or BASE_DIR / "media")
# Uploads and generated files (evidence, ledger imports, packs, reports) live in MEDIA_ROOT, a
# folder every web and worker machine shares, unless MEDIA_S3_BUCKET names an S3-compatible
# bucket. Objects there stay private (no ACL is set, so the bucket's own policy applies): people
# get files only through the app's permission-checked download views, never a bucket address.
# Credentials come from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY or the machine's role.
MEDIA_S3_BUCKET = (env_str("MEDIA_S3_BUCKET") or "").strip()
_MEDIA_S3_OPTIONS = {
    "endpoint_url": (env_str("MEDIA_S3_ENDPOINT_URL") or "").strip() or None,
    "region_name": (env_str("MEDIA_S3_REGION") or "").strip() or None,
    "location": (env_str("MEDIA_S3_PREFIX") or "").strip().strip("/"),
    "addressing_style": env_choice("MEDIA_S3_ADDRESSING_STYLE", ("path", "virtual"), None),
}
if not MEDIA_S3_BUCKET:
    _stray = [
        name
        for name in ("MEDIA_S3_ENDPOINT_URL", "MEDIA_S3_REGION", "MEDIA_S3_PREFIX")
        if (env_str(name) or "").strip()
    ]
    if _stray:
        raise ImproperlyConfigured(
            f"{', '.join(_stray)} set but MEDIA_S3_BUCKET is not: set the bucket to keep uploads "
            "in S3-compatible storage, or unset them to keep uploads in MEDIA_ROOT"
        )
    _DEFAULT_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
else:
    _endpoint = _MEDIA_S3_OPTIONS["endpoint_url"]
    if _endpoint and not _endpoint.startswith(("https://", "http://")):
        raise ImproperlyConfigured(
            f"MEDIA_S3_ENDPOINT_URL must start with https:// (or http://), not {_endpoint!r}"
        )
    _DEFAULT_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": MEDIA_S3_BUCKET,
            **_MEDIA_S3_OPTIONS,
            "default_acl": None,  # private: the bucket's policy, never public-read
            "file_overwrite": False,  # a second file of the same name gets its own name
            "querystring_auth": True,  # any address made would be signed...
            "querystring_expire": 60,  # ...and short-lived; the app makes none
            "signature_version": "s3v4",
            # A file read from the bucket is held in memory up to this size, then on disk.
            "max_memory_size": 4 * 1024 * 1024,
        },
    }
STORAGES = {
    "default": _DEFAULT_STORAGE,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or DEMO
            else "havering_improve.staticfiles.HashedStaticFilesStorage"
        )
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"
# crispy-forms-gds styles text, e-mail and password boxes; these are the other inputs our forms
# use (numbers, times, web addresses), styled the same, a time's box sized to its five characters.
CRISPY_CLASS_CONVERTERS = {
    "numberinput": "govuk-input govuk-input--width-10",
    "timeinput": "govuk-input govuk-input--width-5",
    "urlinput": "govuk-input",
}
DJANGO_TABLES2_TEMPLATE = "tables/govuk_table.html"

# Security. With DEBUG off and a real SECRET_KEY, `manage.py check --deploy` is clean.
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# Sessions end after this many seconds without a request; pages warn two minutes before.
# (havering_improve.middleware.SessionIdleTimeoutMiddleware); no session outlives a working day.
SESSION_IDLE_TIMEOUT = env_int("SESSION_IDLE_TIMEOUT", 30 * 60)
SESSION_COOKIE_AGE = env_int("SESSION_MAX_AGE", 10 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_HTTPONLY = True

# Content Security Policy: no inline script or style anywhere, nothing from other origins.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Local sign-in lockout (django-axes): this many failures for one username from one address
# locks that pair out for AXES_COOLOFF_MINUTES. Behind a load balancer set TRUSTED_PROXY_COUNT
# to the number of proxies that append to X-Forwarded-For, so the real client is counted.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "havering_improve.security.client_ip"

# Single sign-on with Microsoft Entra ID (OpenID Connect), on when OIDC_RP_CLIENT_ID is set.
# OIDC_ENTRA_TENANT_ID (the council's tenant ID) fills in Entra's endpoints and the issuer that
# ID tokens must come from; any OIDC_OP_* variable overrides one (e.g. to name a stand-in
# provider). See havering_improve/sso.py and README, "Sign-in".
OIDC_RP_CLIENT_ID = env_str("OIDC_RP_CLIENT_ID") or ""
OIDC_ENABLED = bool(OIDC_RP_CLIENT_ID)
OIDC_RP_CLIENT_SECRET = env_str("OIDC_RP_CLIENT_SECRET") or ""
OIDC_ENTRA_TENANT_ID = (env_str("OIDC_ENTRA_TENANT_ID") or "").strip().lower()
if OIDC_ENABLED and not DEBUG and not OIDC_ENTRA_TENANT_ID:
    raise ImproperlyConfigured(
        "OIDC_ENTRA_TENANT_ID must be set to the council's tenant ID when council sign-in is on"
    )
# With no tenant set (only possible with DEBUG on) every council sign-in is refused.
_entra = f"https://login.microsoftonline.com/{OIDC_ENTRA_TENANT_ID or 'organizations'}"
OIDC_OP_AUTHORIZATION_ENDPOINT = (
    env_str("OIDC_OP_AUTHORIZATION_ENDPOINT") or f"{_entra}/oauth2/v2.0/authorize"
)
OIDC_OP_TOKEN_ENDPOINT = env_str("OIDC_OP_TOKEN_ENDPOINT") or f"{_entra}/oauth2/v2.0/token"
OIDC_OP_USER_ENDPOINT = (
    env_str("OIDC_OP_USER_ENDPOINT") or "https://graph.microsoft.com/oidc/userinfo"
)
OIDC_OP_JWKS_ENDPOINT = env_str("OIDC_OP_JWKS_ENDPOINT") or f"{_entra}/discovery/v2.0/keys"
OIDC_OP_ISSUER = env_str("OIDC_OP_ISSUER") or f"{_entra}/v2.0"
# The provider's end_session_endpoint; set it empty for a provider that has none.
_end_session = env_str("OIDC_OP_LOGOUT_ENDPOINT")
OIDC_OP_LOGOUT_ENDPOINT = f"{_entra}/oauth2/v2.0/logout" if _end_session is None else _end_session
OIDC_RP_SIGN_ALGO = "RS256"
OIDC_RP_SCOPES = "openid email profile"
OIDC_USE_PKCE = True
OIDC_PKCE_CODE_CHALLENGE_METHOD = "S256"
OIDC_STORE_ID_TOKEN = True  # kept in the session to name the person at the end-session endpoint
OIDC_TIMEOUT = 10
OIDC_AUTHENTICATION_CALLBACK_URL = "oidc_authentication_callback"
OIDC_ROLE_GROUPS = env_json("OIDC_ROLE_GROUPS", {})
if OIDC_ENABLED:
    AUTHENTICATION_BACKENDS.append("havering_improve.sso.CouncilOIDCBackend")
    if OIDC_OP_LOGOUT_ENDPOINT:
        # "Sign out of your council account too" posts a form that goes on to the provider.
        _end = urlsplit(OIDC_OP_LOGOUT_ENDPOINT)
        CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"].append(
            f"{_end.scheme}://{_end.netloc}"
        )

UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", 10 * 1024 * 1024)
FILE_UPLOAD_PERMISSIONS = 0o640
if not (DEBUG or DEMO):  # the demo is plain HTTP on this machine
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# Celery. No broker configured means every task runs in-process, so the demo needs nothing else.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL") or None
CELERY_TASK_ALWAYS_EAGER = CELERY_BROKER_URL is None
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND") or CELERY_BROKER_URL
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 600)
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 540)
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_RESULT_EXPIRES = 24 * 60 * 60
# Above the longest task's hard time limit, so a slow task is not redelivered while it runs.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", CELERY_TASK_TIME_LIMIT * 2)
}
# The embedded broker of `make run`: kombu's filesystem transport (CELERY_BROKER_URL=filesystem://)
# keeps each message as a file in CELERY_BROKER_FOLDER, so the demo runs a real worker and beat
# with nothing else installed or running, and without sharing SQLite's single write lock with the
# web app. Production uses Redis. Results are not kept with it (no task's result is read).
CELERY_BROKER_FOLDER = Path(env_str("CELERY_BROKER_FOLDER") or BASE_DIR / "var" / "broker")
if CELERY_BROKER_URL and CELERY_BROKER_URL.startswith("filesystem://"):
    for _folder in ("queue", "processed", "control"):
        (CELERY_BROKER_FOLDER / _folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS |= {
        "data_folder_in": str(CELERY_BROKER_FOLDER / "queue"),
        "data_folder_out": str(CELERY_BROKER_FOLDER / "queue"),
        "processed_folder": str(CELERY_BROKER_FOLDER / "processed"),
        "control_folder": str(CELERY_BROKER_FOLDER / "control"),
        "store_processed": False,
    }
    CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND") or None
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A page that queues work must not hang on a dead broker: fail fast and use the outbox.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_QUEUE") or "havering-improve"

# GOV.UK Notify (havering_improve/notify.py): with an API key, e-mail goes through Notify's
# generic template (subject and body); a message with a file through the file template.
NOTIFY_API_KEY = env_str("NOTIFY_API_KEY") or ""
NOTIFY_TEMPLATE_ID = env_str("NOTIFY_TEMPLATE_ID") or ""
NOTIFY_FILE_TEMPLATE_ID = env_str("NOTIFY_FILE_TEMPLATE_ID") or ""
NOTIFY_REPLY_TO_ID = env_str("NOTIFY_REPLY_TO_ID") or ""
NOTIFY_BASE_URL = env_str("NOTIFY_BASE_URL") or "https://api.notifications.service.gov.uk"
if NOTIFY_API_KEY and not NOTIFY_TEMPLATE_ID:
    raise ImproperlyConfigured("NOTIFY_API_KEY is set: set NOTIFY_TEMPLATE_ID too (README).")
# With DEBUG or DEMO on (the demo) and no Notify key, every e-mail is written to EMAIL_FILE_PATH,
# one .eml file a message, which any mail program opens and a text editor reads.
EMAIL_BACKEND = env_str("EMAIL_BACKEND") or (
    "havering_improve.notify.NotifyEmailBackend"
    if NOTIFY_API_KEY
    else "havering_improve.mail.EmlFileBackend"
    if DEBUG or DEMO
    else "django.core.mail.backends.smtp.EmailBackend"
)
# Messages built elsewhere than havering_improve.mail are dated in UK time too.
EMAIL_USE_LOCALTIME = True
EMAIL_FILE_PATH = Path(env_str("EMAIL_FILE_PATH") or BASE_DIR / "var" / "mail")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL") or "improvement@havering.example"
# The service's own address, for the links in the e-mail it sends (no trailing slash needed).
SITE_URL = env_str("SITE_URL") or "http://127.0.0.1:8000"
# The service's one identity in calendars: a meeting's UID is board-meeting-<id>@SITE_DOMAIN,
# whatever name the calendar was subscribed through, so two names never duplicate a meeting.
SITE_DOMAIN = env_str("SITE_DOMAIN") or urlsplit(SITE_URL).hostname or "havering-improve"

SERVICE_NAME = env_str("SERVICE_NAME") or "Havering Improve"
DEMO_PASSWORD = env_str("DEMO_PASSWORD") or "improve-demo-2026"

SECURITY_LOG_FILE = env_str("SECURITY_LOG_FILE") or ""
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"jsonlines": {"()": "havering_improve.security.JsonLinesFormatter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "security": (
            {
                "class": "logging.FileHandler",
                "filename": SECURITY_LOG_FILE,
                "formatter": "jsonlines",
            }
            if SECURITY_LOG_FILE
            else {"class": "logging.StreamHandler", "formatter": "jsonlines"}
        ),
    },
    "loggers": {
        "havering_improve.security": {
            "handlers": ["security"],
            "level": "INFO",
            "propagate": False,
        },
        # The PDF renderer reports each step of every page at INFO: only its warnings matter.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL") or "INFO"},
}
