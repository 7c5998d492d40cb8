"""Django settings: everything that differs between machines comes from conf.env."""

from __future__ import annotations

from pathlib import Path

import dj_database_url

from egov.conf.env import data_dir, env_bool, env_int, env_str, secret_key

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = data_dir()

SECRET_KEY = secret_key(DATA_DIR)
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = [
    h for h in env_str("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h
]
CSRF_TRUSTED_ORIGINS = [o for o in env_str("CSRF_TRUSTED_ORIGINS").split(",") if o]
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")
PASSWORD_RESET_TIMEOUT = 2 * 3600  # a reset link works for two hours, and once

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "huey.contrib.djhuey",
    "egov.core",
    "egov.audit",
    "egov.accounts",
    "egov.organisations",
    "egov.calendar",
    "egov.workflow",
    "egov.printing",
    "egov.procedures",
    "egov.dossiers",
    "egov.documents",
    "egov.exchange",
    "egov.training",
    "egov.infrastructure",
    "egov.assignments",
    "egov.indicators",
    "egov.policy",
    "egov.jobs",
    "egov.notifications",
    "egov.signing",
    "egov.api",
    "egov.portal",
    "egov.workspace",
    "egov.operations",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "egov.core.middleware.ExplicitLanguageMiddleware",  # Vietnamese unless switched
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "egov.core.middleware.RequestContextMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "egov.conf.urls"
WSGI_APPLICATION = "egov.conf.wsgi.application"

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
                "egov.core.context_processors.platform",
            ],
        },
    }
]

# --- Database: SQLite file in the data dir by default, PostgreSQL via DATABASE_URL ---------
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'egov.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 600),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the worker read while the web process writes; IMMEDIATE takes the write lock at
    # BEGIN so two writers queue instead of failing half-way (see docs/decisions/0002).
    # Connections are kept open like PostgreSQL's: reopening SQLite on every request cost
    # most of a simple page's time (BENCHMARKS.md, foundation).
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's cursors bind on the client and are never prepared. The few hot lookups that
    # ask for it (`execute(..., prepare=True)`, public tracking) are prepared once per
    # connection; Django's default threshold (None) would silently refuse them, and planning
    # a join costs more than running it. A threshold no query reaches: nothing else prepares.
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = 2**31 - 1
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

# --- Cache: Redis when configured, else the database (shared by all processes) --------------
REDIS_URL = env_str("REDIS_URL")
CACHES = {
    "default": (
        {"BACKEND": "egov.core.cache.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "egov"}
    )
}


def _redis_pool(url: str) -> object:
    import redis

    return redis.ConnectionPool.from_url(url, socket_connect_timeout=3, socket_timeout=10)


# --- Background jobs (huey): SQLite queue file by default, Redis when REDIS_URL is set -------
JOBS_IMMEDIATE = env_bool("EGOV_JOBS_IMMEDIATE", False)
HUEY = (
    {
        "huey_class": "huey.RedisHuey",
        "name": env_str("EGOV_JOBS_QUEUE", "egov"),
        # Bounded waits: a Redis host that silently drops packets must not hang /healthz.
        "connection_pool": _redis_pool(REDIS_URL),
        "immediate": JOBS_IMMEDIATE,
        "consumer": {"workers": env_int("EGOV_WORKERS", 2), "worker_type": "thread"},
    }
    if REDIS_URL
    else {
        "huey_class": "huey.SqliteHuey",
        "name": env_str("EGOV_JOBS_QUEUE", "egov"),
        "filename": str(DATA_DIR / "jobs.sqlite3"),
        "immediate": JOBS_IMMEDIATE,
        "consumer": {"workers": env_int("EGOV_WORKERS", 2), "worker_type": "thread"},
    }
)

# --- Authentication --------------------------------------------------------------------------
PASSWORD_HASHERS = [
    "egov.accounts.hashers.OwaspArgon2PasswordHasher",  # m=19 MiB, t=2, p=1 (OWASP)
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "egov.accounts.validators.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "/app/"
AXES_FAILURE_LIMIT = env_int("EGOV_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("EGOV_LOGIN_COOLOFF_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = env_bool("EGOV_LOGIN_THROTTLE", True)
AXES_LOCKOUT_CALLABLE = "egov.accounts.views.lockout_response"
OTP_TOTP_ISSUER = env_str("EGOV_OTP_ISSUER", "egov")
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

# --- Language and time: Vietnamese first, English on request ----------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files ----------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise warns at start-up when it is missing
STORAGE_BACKEND = env_str("STORAGE", "filesystem")  # "filesystem" or "s3"
FILES_ROOT = DATA_DIR / "files"
FILES_MAX_BYTES = env_int("EGOV_UPLOAD_MAX_BYTES", 20 * 1024 * 1024)
STORAGES = {
    "default": (
        {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": env_str("S3_BUCKET"),
                "endpoint_url": env_str("S3_ENDPOINT_URL") or None,
                "access_key": env_str("S3_ACCESS_KEY_ID"),
                "secret_key": env_str("S3_SECRET_ACCESS_KEY"),
                "region_name": env_str("S3_REGION") or None,
                "file_overwrite": True,  # keys are content hashes: same key, same bytes
            },
        }
        if STORAGE_BACKEND == "s3"
        else {
            "BACKEND": "egov.core.storage.AtomicFileSystemStorage",
            "OPTIONS": {"location": str(FILES_ROOT)},
        }
    ),
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
DATA_UPLOAD_MAX_MEMORY_SIZE = FILES_MAX_BYTES
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# --- E-mail: SMTP when EMAIL_HOST is set, else files in the data dir (readable in the demo) ----
EMAIL_HOST = env_str("EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = str(DATA_DIR / "mail")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "egov <no-reply@egov.local>")

# --- The province this deployment serves --------------------------------------------------------
# Level-1 code of the province/city in agency identifier codes (LLL.KK.JJ.Xnn). Da Nang's code
# is not confirmed in any source (see shared reference §3.1), so it is configuration.
EGOV_PROVINCE_CODE = env_str("EGOV_PROVINCE_CODE", "H15")
EGOV_PROVINCE_NAME = env_str("EGOV_PROVINCE_NAME", "Đà Nẵng")

# --- Dossiers (one-stop shop) -------------------------------------------------------------------
# The dossier code (mã hồ sơ): the rule is not confirmed in the legal texts (shared reference
# §3.2), so the format is configuration. Fields: agency_code, date (Vietnam day), seq.
EGOV_DOSSIER_CODE_FORMAT = env_str(
    "EGOV_DOSSIER_CODE_FORMAT", "{agency_code}-{date:%y%m%d}-{seq:04d}"
)
# Payment providers offered for dossier fees: dotted paths of classes, comma separated.
EGOV_PAYMENT_PROVIDERS = [
    path.strip()
    for path in env_str("EGOV_PAYMENT_PROVIDERS", "egov.dossiers.payments.BankTransfer").split(",")
    if path.strip()
]

# --- Indicators ---------------------------------------------------------------------------------
# Reporting cut-off day (docs/subsystems/indicators.md): 15 = Decree 09/2019 (month M runs from
# the 15th of M-1 to the 14th of M); 1 = calendar months. After a change run
# `egov indicators_rebuild`.
EGOV_INDICATORS_CUTOFF_DAY = env_int("EGOV_INDICATORS_CUTOFF_DAY", 15)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}
