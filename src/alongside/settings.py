"""Django settings, read from the environment.

Two shapes:

* development (the default, and the demo): SQLite under ``var/``, a generated secret key kept in
  ``var/``, console email, DEBUG on unless ``ALONGSIDE_DEBUG=0``;
* production (``ALONGSIDE_ENV=production``): DEBUG off, ``ALONGSIDE_SECRET_KEY`` and
  ``ALONGSIDE_ALLOWED_HOSTS`` required, secure cookies, HSTS, hashed static files.

``DATABASE_URL`` selects the database in either shape (``postgres://user:pass@host:5432/name``).
Sessions live in the database, so several app servers can share one PostgreSQL.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent
BASE_DIR = PACKAGE_DIR.parent.parent


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


ENVIRONMENT = os.environ.get("ALONGSIDE_ENV", "development")
if ENVIRONMENT not in {"development", "production"}:
    raise ImproperlyConfigured("ALONGSIDE_ENV must be 'development' or 'production'.")
PRODUCTION = ENVIRONMENT == "production"

DATA_DIR = Path(os.environ.get("ALONGSIDE_DATA_DIR", str(BASE_DIR / "var")))

DEBUG = False if PRODUCTION else _env_bool("ALONGSIDE_DEBUG", True)


def _secret_key() -> str:
    configured = os.environ.get("ALONGSIDE_SECRET_KEY")
    if configured:
        return configured
    if PRODUCTION:
        raise ImproperlyConfigured("Set ALONGSIDE_SECRET_KEY in production.")
    # Development: one random key per checkout, kept beside the SQLite database.
    key_file = DATA_DIR / "dev-secret-key"
    if not key_file.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()

ALLOWED_HOSTS = _env_list(
    "ALONGSIDE_ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]"]
)
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("Set ALONGSIDE_ALLOWED_HOSTS in production (comma separated).")
CSRF_TRUSTED_ORIGINS = _env_list("ALONGSIDE_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.humanize",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "alongside.core",
    "alongside.accounts",
    "alongside.audit",
    "alongside.frameworks",
    "alongside.organisations",
    "alongside.people",
    "alongside.network",
    "alongside.relationship",
    "alongside.plans",
    "alongside.safety",
    "alongside.notifications",
    "alongside.reviews",
    "alongside.meetings",
    "alongside.reminders",
    "alongside.discharge",
    "alongside.measures",
    "alongside.alerts",
    "alongside.narratives",
    "alongside.insight",
    "alongside.workspace",
    "alongside.portal",
    "alongside.administration",
    "alongside.demo",
    # After our apps, so our templates for allauth's pages come first.
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
]

MIDDLEWARE = [
    "alongside.core.observability.RequestIdMiddleware",
    "alongside.accounts.middleware.ClientAddressMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "alongside.core.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After WhiteNoise, so static files keep their caching; every other answer is no-store.
    "alongside.core.observability.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "alongside.accounts.middleware.SessionTimeoutMiddleware",
    "alongside.accounts.middleware.RequiredStepsMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "alongside.urls"
WSGI_APPLICATION = "alongside.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "alongside.core.context_processors.navigation",
            ],
        },
    },
]

_default_sqlite = f"sqlite:///{DATA_DIR / 'alongside.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", _default_sqlite),
        conn_max_age=int(os.environ.get("ALONGSIDE_DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if (
    PRODUCTION
    and DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
    and not _env_bool("ALONGSIDE_ALLOW_SQLITE", False)
):
    # SQLite cannot keep the audit log from its own app (no roles, no privileges), and one file
    # on one server is not a service. Set DATABASE_URL, or ALONGSIDE_ALLOW_SQLITE=1 knowingly.
    raise ImproperlyConfigured(
        "Production needs PostgreSQL: set DATABASE_URL (or ALONGSIDE_ALLOW_SQLITE=1 to run on "
        "SQLite anyway)."
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    # Several threads of the dev server share the file; wait rather than fail on a lock.
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    DATABASES["default"]["CONN_MAX_AGE"] = 0

# Database-backed sessions: the app servers keep no state of their own.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_COOKIES = _env_bool("ALONGSIDE_SECURE_COOKIES", PRODUCTION)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
LANGUAGE_COOKIE_SECURE = SECURE_COOKIES
LANGUAGE_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SECURE_HSTS_SECONDS = int(os.environ.get("ALONGSIDE_HSTS_SECONDS", "31536000"))
    SECURE_SSL_REDIRECT = _env_bool("ALONGSIDE_SSL_REDIRECT", True)
    if _env_bool("ALONGSIDE_BEHIND_TLS_PROXY", True):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Login throttling: failed attempts per account and per address within a window.
LOGIN_THROTTLE_WINDOW_SECONDS = int(os.environ.get("ALONGSIDE_LOGIN_THROTTLE_WINDOW", "900"))
LOGIN_THROTTLE_MAX_PER_ACCOUNT = int(os.environ.get("ALONGSIDE_LOGIN_THROTTLE_ACCOUNT", "5"))
LOGIN_THROTTLE_MAX_PER_ADDRESS = int(os.environ.get("ALONGSIDE_LOGIN_THROTTLE_ADDRESS", "30"))
# Wrong activation codes (the person's own login) allowed per address and per code, within the
# same window.
ACTIVATION_THROTTLE_PER_ADDRESS = int(os.environ.get("ALONGSIDE_ACTIVATION_THROTTLE_ADDRESS", "10"))
ACTIVATION_THROTTLE_PER_CODE = int(os.environ.get("ALONGSIDE_ACTIVATION_THROTTLE_CODE", "5"))

# The client's address: behind N trusted reverse proxies (nginx, a load balancer), the client is
# the N-th address from the right of X-Forwarded-For; with 0 (the default) it is REMOTE_ADDR.
TRUSTED_PROXIES = int(os.environ.get("ALONGSIDE_TRUSTED_PROXIES", "0"))

# A shared cache in the database (the app servers keep no state of their own); allauth keeps its
# rate limits (password reset per email and per address) here. The table is made by a migration.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "alongside_cache",
    }
}

# Sessions end after a time without activity (idle) and a time after logging in (absolute), set
# per kind of user: staff, and persons and supporters. Seconds.
SESSION_TIMEOUTS = {
    "staff": {
        "idle": int(os.environ.get("ALONGSIDE_SESSION_IDLE_STAFF", str(30 * 60))),
        "absolute": int(os.environ.get("ALONGSIDE_SESSION_ABSOLUTE_STAFF", str(10 * 60 * 60))),
    },
    "person": {
        "idle": int(os.environ.get("ALONGSIDE_SESSION_IDLE_PERSON", str(60 * 60))),
        "absolute": int(os.environ.get("ALONGSIDE_SESSION_ABSOLUTE_PERSON", str(24 * 60 * 60))),
    },
}
SESSION_COOKIE_AGE = max(kind["absolute"] for kind in SESSION_TIMEOUTS.values())

# django-allauth: login, password change and reset, MFA, single sign-on. No public sign-up:
# accounts are made by the service (see the README).
AUTHENTICATION_BACKENDS = ["allauth.account.auth_backends.AuthenticationBackend"]
ACCOUNT_ADAPTER = "alongside.accounts.adapters.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "alongside.accounts.adapters.SingleSignOnAdapter"
MFA_ADAPTER = "alongside.accounts.adapters.MFAAdapter"
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "password1*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "Alongside: "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if PRODUCTION else "http"
ACCOUNT_RATE_LIMITS = {
    # Login and password change are throttled by our own counters (accounts/throttle.py), per
    # account and address, in the database.
    "login": None,
    "login_failed": None,
    "change_password": None,
    "reset_password": os.environ.get("ALONGSIDE_RESET_RATE", "20/m/ip,5/h/key"),
    "reset_password_from_key": "20/m/ip",
}
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXIES
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_TOTP_ISSUER = os.environ.get("ALONGSIDE_MFA_ISSUER", "Alongside")
MFA_PASSKEY_LOGIN_ENABLED = False
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = not PRODUCTION
# TOTP secrets are encrypted in the database with this key (Fernet); by default a key derived
# from the secret key. Set it on its own to keep the secrets readable across secret key changes.
MFA_ENCRYPTION_KEY = os.environ.get("ALONGSIDE_MFA_KEY", "")

# Single sign-on with OpenID Connect, for staff: configured from the environment.
SSO_ISSUER = os.environ.get("ALONGSIDE_SSO_ISSUER", "")
SSO_PROVIDER_ID = os.environ.get("ALONGSIDE_SSO_ID", "organisation")
SSO_NAME = os.environ.get("ALONGSIDE_SSO_NAME", "")
# Which claim names the account, and which user field it is matched against.
SSO_CLAIM = os.environ.get("ALONGSIDE_SSO_CLAIM", "email")
SSO_USER_FIELD = os.environ.get("ALONGSIDE_SSO_USER_FIELD", "email")
# Whether a login through the organisation's identity provider counts as multi-factor (the
# provider enforces its own second factor).
SSO_SATISFIES_MFA = _env_bool("ALONGSIDE_SSO_SATISFIES_MFA", True)
SOCIALACCOUNT_ONLY = False
SOCIALACCOUNT_AUTO_SIGNUP = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_LOGIN_ON_GET = False
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_PROVIDERS: dict[str, object] = {
    "openid_connect": {
        "OAUTH_PKCE_ENABLED": True,
        "APPS": (
            [
                {
                    "provider_id": SSO_PROVIDER_ID,
                    "name": SSO_NAME or "Single sign-on",
                    "client_id": os.environ.get("ALONGSIDE_SSO_CLIENT_ID", ""),
                    "secret": os.environ.get("ALONGSIDE_SSO_CLIENT_SECRET", ""),
                    "settings": {"server_url": SSO_ISSUER},
                }
            ]
            if SSO_ISSUER
            else []
        ),
    }
}

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("da", _("Danish")),
    ("ja", _("Japanese")),
]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = os.environ.get("ALONGSIDE_TIME_ZONE", "Europe/Copenhagen")

# After discharge, the care staff of the discharging unit keep read access for this many days, to
# write the discharge letter and follow up (see access.py); the person's network page says so.
FOLLOW_UP_DAYS = int(os.environ.get("ALONGSIDE_FOLLOW_UP_DAYS", "30"))

# Alerts (alerts/): hours the care team has to acknowledge an alert before the reminder worker
# escalates it to the unit's team leaders. A risk answer is more urgent than a worse score.
ALERT_HOURS_RISK = int(os.environ.get("ALONGSIDE_ALERT_HOURS_RISK", "4"))
ALERT_HOURS_NOT_ON_TRACK = int(os.environ.get("ALONGSIDE_ALERT_HOURS_NOT_ON_TRACK", "72"))

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("ALONGSIDE_STATIC_ROOT", str(DATA_DIR / "static")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Outside production the files are served straight from the apps, no collectstatic needed.
WHITENOISE_USE_FINDERS = not PRODUCTION
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)

EMAIL_BACKEND = os.environ.get(
    "ALONGSIDE_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = os.environ.get("ALONGSIDE_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("ALONGSIDE_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("ALONGSIDE_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("ALONGSIDE_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = _env_bool("ALONGSIDE_EMAIL_TLS", False)
# Seconds before an unanswering mail server gives up. The reminder worker sends mail while it holds
# a reminder's row lock, so a hung SMTP connection must never hold it for long.
EMAIL_TIMEOUT = float(os.environ.get("ALONGSIDE_EMAIL_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = os.environ.get("ALONGSIDE_EMAIL_FROM", "alongside@localhost")

# Logs go to stderr (the process manager keeps them): JSON lines in production, with the request
# id and, for errors, the traceback; no person data in the message (see core/observability.py).
# Django's own error emails stay off: ADMINS is empty, and the log is the one place to look.
LOG_FORMAT = os.environ.get("ALONGSIDE_LOG_FORMAT", "json" if PRODUCTION else "plain")
if LOG_FORMAT not in {"json", "plain"}:
    raise ImproperlyConfigured("ALONGSIDE_LOG_FORMAT must be 'json' or 'plain'.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "alongside.core.observability.JsonFormatter"},
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "stderr": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stderr",
            "formatter": LOG_FORMAT,
        }
    },
    "root": {"handlers": ["stderr"], "level": os.environ.get("ALONGSIDE_LOG_LEVEL", "WARNING")},
    "loggers": {
        # Django's default handlers (console when DEBUG, mail_admins) are replaced by the root's.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "alongside": {"handlers": [], "level": "INFO", "propagate": True},
    },
}

# --- FHIR R4 API and SMART on FHIR (issue 14) -------------------------------------------------
# OAuth 2.0 by django-oauth-toolkit: SMART App Launch (authorization code with PKCE, no implicit)
# and SMART Backend Services (client credentials with a signed JWT assertion, see alongside.fhir).


def _oidc_rsa_private_key() -> str:
    """The RSA private key (PEM) that signs OpenID Connect id_tokens.

    ``ALONGSIDE_OIDC_RSA_PRIVATE_KEY`` (the PEM itself), else the file
    ``ALONGSIDE_OIDC_KEY_FILE`` (default ``<data directory>/oidc-rsa-key.pem``). Outside
    production a missing file is made here, one key per data directory, never committed (like
    the development secret key); in production a missing key leaves OpenID Connect off."""
    configured = os.environ.get("ALONGSIDE_OIDC_RSA_PRIVATE_KEY", "").strip()
    if configured:
        return configured
    key_file = Path(os.environ.get("ALONGSIDE_OIDC_KEY_FILE") or DATA_DIR / "oidc-rsa-key.pem")
    if key_file.exists():
        return key_file.read_text().strip()
    if PRODUCTION:
        return ""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    pem = rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    key_file.parent.mkdir(parents=True, exist_ok=True)
    # Written aside, then linked into place: processes starting together (test workers) all
    # end up reading the one key that won.
    aside = key_file.with_name(f".{key_file.name}.{os.getpid()}.{secrets.token_hex(4)}")
    descriptor = os.open(aside, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as out:
        out.write(pem)
    try:
        os.link(aside, key_file)
    except FileExistsError:
        pass
    finally:
        aside.unlink()
    return key_file.read_text().strip()


OIDC_RSA_PRIVATE_KEY = _oidc_rsa_private_key()
INSTALLED_APPS += ["alongside.fhir", "oauth2_provider"]  # ours first: its consent template wins
OAUTH2_PROVIDER_APPLICATION_MODEL = "oauth2_provider.Application"
# Named (as the defaults) so our own models can point at them in migrations.
OAUTH2_PROVIDER_ACCESS_TOKEN_MODEL = "oauth2_provider.AccessToken"  # noqa: S105 (a model name)
OAUTH2_PROVIDER_GRANT_MODEL = "oauth2_provider.Grant"
OAUTH2_PROVIDER = {
    "PKCE_REQUIRED": True,
    "ACCESS_TOKEN_EXPIRE_SECONDS": 60 * 60,
    "AUTHORIZATION_CODE_EXPIRE_SECONDS": 60,
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https", "http"] if not PRODUCTION else ["https"],
    "SCOPES": {
        "openid": "OpenID Connect",
        "fhirUser": "Who you are, as a FHIR resource",
        "launch/patient": "Choose which person the app works with",
        "offline_access": "Stay connected",
        "patient/*.read": "Read the chosen person's records you may see",
        "user/*.read": "Read every person's records you may see",
        "system/*.read": "Read for a connected system",
        "patient/QuestionnaireResponse.write": "Send questionnaire answers",
        "patient/Goal.write": "Add goals",
    },
    "DEFAULT_SCOPES": ["patient/*.read"],
    "OAUTH2_VALIDATOR_CLASS": "alongside.fhir.oauth.SmartValidator",
    # OpenID Connect (SMART's ``openid fhirUser``): id_tokens signed RS256 with the key below,
    # published at /oauth/.well-known/jwks.json. Off only in production without a key.
    "OIDC_ENABLED": bool(OIDC_RSA_PRIVATE_KEY),
    "OIDC_RSA_PRIVATE_KEY": OIDC_RSA_PRIVATE_KEY,
}
