"""OnDijon settings, driven only by environment variables (see .env.example).

With nothing set, the product runs in the embedded mode: SQLite under var/, an
in-memory channel layer and Celery tasks run in-process. DATABASE_URL and REDIS_URL
switch to PostgreSQL, channels_redis and Celery on Redis.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from urllib.parse import urlsplit

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from kombu import Exchange, Queue

from ondijon.config import Config, url_origins

BASE_DIR = Path(__file__).resolve().parent.parent

if (BASE_DIR / ".env").is_file():
    environ.Env.read_env(BASE_DIR / ".env", overwrite=False)
VAR_DIR = Path(os.environ.get("ONDIJON_VAR_DIR") or BASE_DIR / "var")

config = Config()

DEBUG = config.boolean("DJANGO_DEBUG", default=True)
_database = config.database("DATABASE_URL")
REDIS_URL = config.redis_url("REDIS_URL")
CELERY_BROKER_URL = config.redis_url("CELERY_BROKER_URL") or REDIS_URL

# Demo users and the default demo password only ever exist in the embedded demo mode.
EMBEDDED_MODE = _database is None
DEMO_MODE = config.boolean("ONDIJON_DEMO", default=DEBUG and EMBEDDED_MODE)
DEMO_PASSWORD = config.string("ONDIJON_DEMO_PASSWORD", default="ondijon-demo")

_INSECURE_KEY = "django-insecure-ondijon-embedded-mode-only"
SECRET_KEY = config.string("DJANGO_SECRET_KEY", default=_INSECURE_KEY if DEBUG else "")
ALLOWED_HOSTS = config.items(
    "DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else []
)
if not DEBUG:
    if not SECRET_KEY or SECRET_KEY == _INSECURE_KEY or len(SECRET_KEY) < 32:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY: production mode (DJANGO_DEBUG=false) needs a random secret "
            "key of at least 32 characters."
        )
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured(
            "DJANGO_ALLOWED_HOSTS: production mode (DJANGO_DEBUG=false) needs the host names "
            "this server answers to, comma-separated."
        )
    if DEMO_MODE:
        raise ImproperlyConfigured(
            "ONDIJON_DEMO: demo users cannot be enabled in production mode (DJANGO_DEBUG=false)."
        )
CSRF_TRUSTED_ORIGINS = config.items("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "ondijon.admin_config.OnDijonAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    "channels",
    "leaflet",
    "hypervisor",
    "lighting",
    "traffic",
    "incidents",
    "citizens",
    "opendata",
    "mobility",
]

MIDDLEWARE = [
    "ondijon.logs.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "hypervisor.security.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "hypervisor.language.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "ondijon.errors.DatabaseUnavailableMiddleware",
    "ondijon.errors.HostileInputMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "hypervisor.audit_signals.AuditActorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "hypervisor.security.sessions.StaffSessionMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "ondijon.urls"
ASGI_APPLICATION = "ondijon.asgi.application"

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
                "hypervisor.context_processors.territory",
            ],
        },
    },
]

if _database is None:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    _database = {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": VAR_DIR / "ondijon.sqlite3",
        "OPTIONS": {
            # IMMEDIATE transactions and a busy timeout keep the server, the simulator and
            # in-process tasks from failing with "database is locked" on concurrent writes.
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        },
    }
else:
    _database.setdefault("CONN_MAX_AGE", config.integer("DATABASE_CONN_MAX_AGE", 0, minimum=0))
    _database["CONN_HEALTH_CHECKS"] = True
DATABASES = {"default": _database}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

if REDIS_URL:
    # A Redis outage must not turn into server errors: the cache answers from process
    # memory meanwhile (ondijon/cache.py), and a dead connection is given up within seconds.
    CACHES = {
        "default": {
            "BACKEND": "ondijon.cache.FallbackRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
        }
    }
    # The pub/sub layer has no per-group expiry, so a wall screen idle for a whole shift
    # keeps receiving; catch-up after a gap comes from the event history, not the layer.
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            # Pub/sub ignores database numbers: the prefix keeps deployments (and parallel
            # test runs) sharing one Redis server apart, as hypervisor.fanout does.
            "CONFIG": {
                "hosts": [REDIS_URL],
                "prefix": "asgi" + (urlsplit(REDIS_URL).path.strip("/") or "0"),
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# The language chosen on the site is remembered for a year (hypervisor.language).
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "hypervisor.openapi.AccessRuleSchema",
    # Deny by default: a DRF view is open only as far as its declared access rule says.
    "DEFAULT_PERMISSION_CLASSES": ["hypervisor.access.FollowsAccessRule"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "OnDijon API",
    "DESCRIPTION": "Command centre for a connected metropolis.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI from the installed sidecar package: control rooms run on closed networks.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# Celery: with no broker configured, tasks run in-process (embedded mode).
CELERY_TASK_ALWAYS_EAGER = CELERY_BROKER_URL is None
CELERY_BROKER_URL = CELERY_BROKER_URL or "memory://localhost/"
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND = None
# A task is acknowledged once done, and given back to the queue if its worker dies.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Time-critical work has its own queue, which workers always read first (the "priority"
# order below): an emergency never waits behind a backlog of routine tasks. Emergencies are
# sent there when they are handed over (incidents.services.relay); the sweeps that hand
# over lost work and watch deadlines are routed there by name.
CELERY_URGENT_QUEUE = "urgent"
CELERY_TASK_DEFAULT_QUEUE = "celery"
CELERY_TASK_QUEUES = tuple(
    Queue(name, Exchange(name), routing_key=name)
    for name in (CELERY_URGENT_QUEUE, CELERY_TASK_DEFAULT_QUEUE)
)
CELERY_TASK_ROUTES = {
    "incidents.tasks.relay_pending_work": {"queue": CELERY_URGENT_QUEUE},
    "incidents.tasks.watch_deadlines": {"queue": CELERY_URGENT_QUEUE},
    "hypervisor.tasks.escalate_alarms": {"queue": CELERY_URGENT_QUEUE},
}
# A task running longer than this is stopped (the soft limit raises inside it first).
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 280
# An unacknowledged task is redelivered after this delay when its worker dies. It must
# exceed the longest a live worker holds a task unacknowledged (the time limit plus the
# longest retry countdown, 600 s), or tasks would run twice. Routing and dispatch do not
# wait for it: the relay sweep hands them over again after ONDIJON_RELAY_AFTER_SECONDS
# (emergencies after ONDIJON_EMERGENCY_RELAY_AFTER_SECONDS, on the urgent queue).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": config.integer("CELERY_VISIBILITY_TIMEOUT", 1200, minimum=30),
    "queue_order_strategy": "priority",
    # A broker gone without closing its connections is given up within seconds, and a
    # publisher connects once, not again and again until the connection timeout.
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
    "max_retries": 0,
}
# Publishing gives up within about half a second when the broker is down: the request that
# published must not hang, and the database keeps the work for the sweeps.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
# Workers and beat wait for the broker as long as it takes, at start-up and after a loss.
CELERY_BROKER_CONNECTION_RETRY = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
# A task running when the broker connection drops finishes its work (it cannot be
# acknowledged and runs again later, as a no-op) rather than being killed half-way.
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = False
CELERY_TIMEZONE = TIME_ZONE

# Territory: the product serves any metropolis; Dijon Métropole is the default.
TERRITORY_NAME = config.string("ONDIJON_TERRITORY_NAME", default="Dijon Métropole")
TERRITORY_FILE = config.string(
    "ONDIJON_TERRITORY_FILE",
    default=str(BASE_DIR.parent / "shared" / "data" / "dijon_metropole_communes.geojson"),
)
MAP_CENTER = config.lat_lon("ONDIJON_MAP_CENTER", default=(47.322, 5.041))
MAP_ZOOM = config.integer("ONDIJON_MAP_ZOOM", default=12, minimum=1)
TILES_URL = config.string(
    "ONDIJON_TILES_URL", default="https://tile.openstreetmap.org/{z}/{x}/{y}.png"
)
TILES_ATTRIBUTION = config.string(
    "ONDIJON_TILES_ATTRIBUTION", default="© OpenStreetMap contributors"
)
LEAFLET_CONFIG = {
    "DEFAULT_CENTER": MAP_CENTER,
    "DEFAULT_ZOOM": MAP_ZOOM,
    "MIN_ZOOM": 9,
    "MAX_ZOOM": 19,
    "TILES": [(_("Map"), TILES_URL, {"attribution": TILES_ATTRIBUTION, "maxZoom": 19})],
    "ATTRIBUTION_PREFIX": "OnDijon",
    "RESET_VIEW": False,
}

# Equipment simulator (live demo data) inside the web process; `make run` enables it.
SIMULATOR_ENABLED = config.boolean("ONDIJON_SIMULATOR", default=False)
SIMULATION_SPEED = config.number("ONDIJON_SIMULATION_SPEED", default=1.0, minimum=0.1)
# Mobility demo: the feed simulator (car parks, GTFS-RT, GBFS) `make run` starts, and the
# address the demo feeds point at ({simulator} in a feed's address).
MOBILITY_SIMULATOR_PORT = config.integer("ONDIJON_MOBILITY_SIMULATOR_PORT", default=8765, minimum=1)
MOBILITY_SIMULATOR_URL = config.string(
    "ONDIJON_MOBILITY_SIMULATOR_URL", default=f"http://127.0.0.1:{MOBILITY_SIMULATOR_PORT}"
)
# The 2023 week of the DiviaPark series the demo replays (its Monday), shifted to today.
MOBILITY_REPLAY_WEEK = config.string("ONDIJON_MOBILITY_REPLAY_WEEK", default="2023-09-18")

# Notifications: with nothing configured, SMS and e-mail are written to the log and a file.
SMS_GATEWAY_URL = config.string("ONDIJON_SMS_GATEWAY_URL", default="")
SMS_GATEWAY_TOKEN = config.string("ONDIJON_SMS_GATEWAY_TOKEN", default="")
_email = config.email("EMAIL_URL")
EMAIL_DELIVERY = "smtp" if _email else "file"
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
if _email:
    globals().update(_email)  # EMAIL_BACKEND, EMAIL_HOST, EMAIL_PORT, credentials, TLS
NOTIFICATIONS_FILE = Path(
    config.string("ONDIJON_NOTIFICATIONS_FILE", default=str(VAR_DIR / "notifications.log"))
)
DEFAULT_FROM_EMAIL = config.string("DJANGO_DEFAULT_FROM_EMAIL", default="ondijon@localhost")

LOG_LEVEL = config.string("ONDIJON_LOG_LEVEL", default="INFO").upper()
# JSON lines for log collectors in production, plain lines for people in the embedded mode.
LOG_FORMAT = config.string("ONDIJON_LOG_FORMAT", default="plain" if DEBUG else "json")
if LOG_FORMAT not in ("json", "plain"):
    raise ImproperlyConfigured(f"ONDIJON_LOG_FORMAT: expected json or plain, got {LOG_FORMAT!r}.")
# Every record carries the ids of its request and task (ondijon/logs.py).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "ondijon.logs.RequestIdFilter"},
        "secret_path": {"()": "ondijon.logs.SecretPathFilter"},
    },
    "formatters": {
        "plain": {
            "()": "ondijon.logs.PlainFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s: %(message)s",
        },
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
            "json_ensure_ascii": False,
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": sys.stderr,
            "formatter": LOG_FORMAT,
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # Filters of a logger do not apply to its children's records: CSRF has its own.
        "django.request": {"filters": ["request_id", "secret_path"]},
        "django.security": {"filters": ["request_id", "secret_path"]},
        "django.security.csrf": {"filters": ["request_id", "secret_path"]},
        "django.channels.server": {"level": "WARNING"},
        # Its INFO lines carry the tasks' return values.
        "celery.app.trace": {"level": "WARNING"},
        # SQL is logged with its parameters (reporters' names, phones): never, even at DEBUG.
        "django.db.backends": {"level": "INFO"},
    },
}


# Security (docs/security.md lists each control and the test that proves it)
# HTTPS is terminated by the reverse proxy, which says so with X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = None if DEBUG else ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = config.boolean("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
# Probes call the container directly over plain HTTP (compose health check, load balancer).
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = config.integer(
    "DJANGO_SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000, minimum=0
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = config.boolean("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = config.boolean("DJANGO_SECURE_HSTS_PRELOAD", default=False)
if not SECURE_HSTS_PRELOAD:
    # Preloading commits the whole registered domain to HTTPS for browsers' built-in lists;
    # the domain's owner opts in with DJANGO_SECURE_HSTS_PRELOAD, so its absence is no warning.
    SILENCED_SYSTEM_CHECKS = ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
# The origin only, never the path: tracking links carry a citizen's token.
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
# Lax, not Strict: a link from a notification e-mail must open the page logged in.
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SAMESITE = "Lax"
# Argon2 hashes new passwords; the others still check older hashes, upgraded at next login.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
# Content Security Policy: scripts and styles from this origin only, map tiles from theirs.
SECURITY_CSP_REPORT_ONLY = config.boolean("ONDIJON_CSP_REPORT_ONLY", default=False)
_csp_directives: dict[str, object] = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:", *url_origins(TILES_URL)],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],  # the middleware adds this host's ws:// and wss://
    "worker-src": ["'self'"],
    "manifest-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
if config.is_set("ONDIJON_CSP_REPORT_URI"):
    _csp_directives["report-uri"] = [config.string("ONDIJON_CSP_REPORT_URI")]
if SECURITY_CSP_REPORT_ONLY:
    CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": _csp_directives}
else:
    CONTENT_SECURITY_POLICY = {"DIRECTIVES": _csp_directives}
# Login throttling: failed attempts per username, and per client address, within the window.
LOGIN_ATTEMPTS_PER_USERNAME = config.integer("ONDIJON_LOGIN_ATTEMPTS", 5, minimum=1)
LOGIN_ATTEMPTS_PER_ADDRESS = config.integer("ONDIJON_LOGIN_ATTEMPTS_PER_ADDRESS", 20, minimum=1)
LOGIN_LOCKOUT_SECONDS = config.integer("ONDIJON_LOGIN_LOCKOUT_SECONDS", 900, minimum=10)
# Past the per-username limit, the first delay between checked attempts (it doubles after
# each failure, up to the lockout window); an address the user logged in from is exempt.
LOGIN_DELAY_SECONDS = config.integer("ONDIJON_LOGIN_DELAY_SECONDS", 30, minimum=1)
LOGIN_USUAL_ADDRESS_DAYS = config.integer("ONDIJON_LOGIN_USUAL_ADDRESS_DAYS", 90, minimum=1)
# Staff sessions end after this long without a request, and this long after login whatever.
SESSION_IDLE_SECONDS = 60 * config.integer("ONDIJON_SESSION_IDLE_MINUTES", 30, minimum=1)
SESSION_MAX_SECONDS = 3600 * config.integer("ONDIJON_SESSION_MAX_HOURS", 12, minimum=1)
SESSION_COOKIE_AGE = SESSION_MAX_SECONDS
# How often an open staff socket checks that its session has not expired (logout,
# deactivation and role changes close it at once).
SOCKET_SESSION_CHECK_SECONDS = config.integer("ONDIJON_SOCKET_SESSION_CHECK_SECONDS", 60, minimum=1)
# Second factor (TOTP): optional for everyone, required for these roles ("superuser" too).
OTP_REQUIRED_FOR = config.items("ONDIJON_OTP_REQUIRED_FOR", default=[])
OTP_TOTP_ISSUER = f"OnDijon {TERRITORY_NAME}"

# Incidents and dispatch
# Crews farther than this from an incident are not proposed by dispatch.
INCIDENTS_DISPATCH_RADIUS_M = config.integer("ONDIJON_DISPATCH_RADIUS_M", 20_000, minimum=100)
# A crew position older than this counts against the crew when ranking.
INCIDENTS_POSITION_STALE_MINUTES = config.integer("ONDIJON_POSITION_STALE_MINUTES", 10, minimum=1)
# Tasks this close to each other are one site, worked in trade order.
INCIDENTS_SITE_RADIUS_M = config.integer("ONDIJON_SITE_RADIUS_M", 30, minimum=1)
INCIDENTS_PHOTO_MAX_BYTES = config.integer("ONDIJON_PHOTO_MAX_BYTES", 8_000_000, minimum=100_000)
INCIDENTS_PHOTO_MAX_PIXELS = 40_000_000
# Work the broker never got is handed over again after this long (emergencies sooner).
INCIDENTS_RELAY_AFTER_SECONDS = config.integer("ONDIJON_RELAY_AFTER_SECONDS", 120, minimum=5)
INCIDENTS_EMERGENCY_RELAY_AFTER_SECONDS = config.integer(
    "ONDIJON_EMERGENCY_RELAY_AFTER_SECONDS", 20, minimum=1
)

# Equipment and telemetry
# Readings (and their replay receipts) older than this are purged.
TELEMETRY_RETENTION_DAYS = config.integer("ONDIJON_TELEMETRY_RETENTION_DAYS", 90, minimum=1)
# Events (the live feed's history) older than this are purged once their alarm rules ran.
EVENT_RETENTION_DAYS = config.integer("ONDIJON_EVENT_RETENTION_DAYS", 90, minimum=1)
TELEMETRY_MAX_BATCH = config.integer("ONDIJON_TELEMETRY_MAX_BATCH", 10_000, minimum=1)
# Bytes of one telemetry body: a batch of TELEMETRY_MAX_BATCH readings of up to about 1.6 kB.
TELEMETRY_MAX_BODY_BYTES = TELEMETRY_MAX_BATCH * 1600
# Equipment silent for longer than this loses communication (an alarm).
COMMUNICATION_TIMEOUT_MINUTES = config.integer(
    "ONDIJON_COMMUNICATION_TIMEOUT_MINUTES", 15, minimum=1
)
# RSMP supervisor (traffic-light controllers): TCP port, the RSMP convention by default;
# TLS when a certificate and key are given; the security code sent with commands.
RSMP_HOST = config.string("ONDIJON_RSMP_HOST", default="127.0.0.1")
RSMP_PORT = config.integer("ONDIJON_RSMP_PORT", 12111, minimum=1)
RSMP_TLS_CERT = config.string("ONDIJON_RSMP_TLS_CERT", default="")
RSMP_TLS_KEY = config.string("ONDIJON_RSMP_TLS_KEY", default="")
RSMP_WATCHDOG_SECONDS = config.integer("ONDIJON_RSMP_WATCHDOG_SECONDS", 60, minimum=1)
RSMP_ACK_TIMEOUT_SECONDS = config.integer("ONDIJON_RSMP_ACK_TIMEOUT_SECONDS", 30, minimum=1)
RSMP_SECURITY_CODE = config.string("ONDIJON_RSMP_SECURITY_CODE", default="0000")
RSMP_COMMAND_TIMEOUT_SECONDS = config.integer("ONDIJON_RSMP_COMMAND_TIMEOUT_SECONDS", 60, minimum=5)
# TALQ gateways: requests per gateway beyond which they get 429 with Retry-After, the page
# size of device lists, and the address OnDijon gives itself as the owner of logger configs.
TALQ_GATEWAY_RATE = config.string("ONDIJON_TALQ_GATEWAY_RATE", default="1200/min")
TALQ_PAGE_SIZE = config.integer("ONDIJON_TALQ_PAGE_SIZE", 1000, minimum=1)
TALQ_CMS_ADDRESS = config.string(
    "ONDIJON_TALQ_CMS_ADDRESS", default="6f6e6469-6a6f-4e00-8000-000000000001"
)
MQTT_URL = config.string("ONDIJON_MQTT_URL", default="mqtt://127.0.0.1:1883")
MQTT_TOPIC = config.string("ONDIJON_MQTT_TOPIC", default="ondijon/telemetry")
MQTT_SHARE_GROUP = config.string("ONDIJON_MQTT_SHARE_GROUP", default="")
# Real reference data (red-light camera sites…) used by the demo when present.
REFERENCE_DATA_DIR = Path(
    config.string("ONDIJON_REFERENCE_DATA_DIR", default=str(BASE_DIR.parent / "shared" / "data"))
)

# Open data
# Incident cells (commune, month, category) with fewer incidents than this are merged or withheld.
OPENDATA_K_THRESHOLD = config.integer("ONDIJON_OPENDATA_K", 5, minimum=2)
# "grid": incidents placed at the centre of a square grid cell; "commune": at the commune's centre.
OPENDATA_INCIDENT_LOCATION = config.string("ONDIJON_OPENDATA_INCIDENT_LOCATION", default="grid")
if OPENDATA_INCIDENT_LOCATION not in ("grid", "commune"):
    raise ImproperlyConfigured("ONDIJON_OPENDATA_INCIDENT_LOCATION must be grid or commune")
OPENDATA_GRID_METRES = config.integer("ONDIJON_OPENDATA_GRID_METRES", 250, minimum=50)
# Datasets left out of the catalogue and the API (for instance "cameras").
OPENDATA_UNPUBLISHED = config.items("ONDIJON_OPENDATA_UNPUBLISHED", [])
# Sized for GIS tools' defaults: GDAL pages OGC API items by 10, so copying the ~35,000 light
# points takes ~3,500 requests, every layer ~3,560 (docs/opendata.md, "Quotas").
OPENDATA_RATE_ANONYMOUS = config.string("ONDIJON_OPENDATA_RATE_ANONYMOUS", default="6000/hour")
OPENDATA_RATE_KEY = config.string("ONDIJON_OPENDATA_RATE_KEY", default="60000/hour")
OPENDATA_KEY_REQUEST_RATE = "5/h"
OPENDATA_CACHE_SECONDS = config.integer("ONDIJON_OPENDATA_CACHE_SECONDS", 300, minimum=1)
OPENDATA_HISTORY_MONTHS = 24
# When the catalogue was first published (dct:issued of the DCAT-AP catalogue).
OPENDATA_CATALOGUE_ISSUED = config.string("ONDIJON_OPENDATA_ISSUED", default="2026-11-22")
OPENDATA_PUBLISHER = TERRITORY_NAME
OPENDATA_CONTACT_EMAIL = config.string("ONDIJON_OPENDATA_CONTACT", default="opendata@example.org")
OPENDATA_LICENCE_NAME = "Licence Ouverte 2.0"
OPENDATA_LICENCE_URL = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"

# Citizens
# Largest photo a citizen may attach (bytes), and the most pixels one may have.
CITIZENS_PHOTO_MAX_BYTES = config.integer(
    "ONDIJON_CITIZEN_PHOTO_MAX_BYTES", 8_000_000, minimum=100_000
)
CITIZENS_PHOTO_MAX_PIXELS = 40_000_000
CITIZENS_MAX_PHOTOS = 3
# Per-client limit on submissions (web form, Open311 POST), django-ratelimit syntax; short
# windows stop floods without blocking many phones behind one carrier address for long.
CITIZENS_RATE_LIMIT = config.string("ONDIJON_CITIZEN_RATE_LIMIT", default="30/10m")
# Open311 request lists per client (each reads up to 1,000 reports).
OPEN311_LIST_RATE = config.string("ONDIJON_OPEN311_LIST_RATE", default="60/m")
# Requests running at once per server process (ondijon/concurrency.py): anonymous writes
# (reports, Open311 posts) in their own small lane, everything else in another. Each runs
# with a database connection of its own: keep the sum under what the database (or
# PgBouncer's pool) gives each process. Further requests wait their turn.
HTTP_PUBLIC_WRITE_CONCURRENCY = config.integer(
    "ONDIJON_HTTP_PUBLIC_WRITE_CONCURRENCY", 4, minimum=1
)
HTTP_CONCURRENCY = config.integer("ONDIJON_HTTP_CONCURRENCY", 16, minimum=1)
HTTP_PUBLIC_WRITE_PATHS = ("/signaler/", "/open311/", "/suivi/", "/opendata/cle-api/")
# Address search on the report form, per client: enough for typing, not for harvesting.
CITIZENS_PLACE_SEARCH_RATE = "120/m"
# Behind a reverse proxy, the header it writes the client's address in (X-Forwarded-For,
# X-Real-IP); empty: the socket's address, and forwarding headers are ignored.
CLIENT_IP_HEADER = config.string("ONDIJON_CLIENT_IP_HEADER", default="")
RATELIMIT_IP_META_KEY = "hypervisor.client_address.client_ip"
# Default duplicate radius (metres) for categories without their own in the admin.
CITIZENS_DUPLICATE_RADIUS_M = config.integer("ONDIJON_DUPLICATE_RADIUS_M", 50, minimum=1)
# A report this recent, of the same category and within the radius, is linked as a duplicate.
CITIZENS_DUPLICATE_WINDOW_HOURS = config.integer("ONDIJON_DUPLICATE_WINDOW_HOURS", 72, minimum=1)
# Days after the fix during which the reporter may confirm it or reopen.
CITIZENS_REOPEN_DAYS = config.integer("ONDIJON_REOPEN_DAYS", 14, minimum=1)
# Contacts are erased this many days after the incident is finished (default two years).
CITIZENS_CONTACT_RETENTION_DAYS = config.integer("ONDIJON_CONTACT_RETENTION_DAYS", 730, minimum=1)
CITIZENS_STAGING_HOURS = 6
# Address used in the links sent to citizens.
CITIZENS_PUBLIC_URL = config.string("ONDIJON_PUBLIC_URL", default="http://127.0.0.1:8000")
# Open311 POST keys (comma-separated); empty refuses every POST.
OPEN311_API_KEYS = config.items("ONDIJON_OPEN311_API_KEYS", default=[])
OPEN311_JURISDICTION = config.string("ONDIJON_OPEN311_JURISDICTION", default="dijon-metropole.fr")
