"""Production settings come from the environment and refuse to start half-configured."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from typing import Any

import pytest

PROBE = (
    "import json, django; from django.conf import settings; django.setup(); "
    "print(json.dumps({'debug': settings.DEBUG, 'engine': settings.DATABASES['default']['ENGINE'],"
    " 'name': settings.DATABASES['default']['NAME'], 'hosts': settings.ALLOWED_HOSTS,"
    " 'secure': settings.SESSION_COOKIE_SECURE, 'hsts': settings.SECURE_HSTS_SECONDS,"
    " 'email': settings.EMAIL_BACKEND, 'static': settings.STORAGES['staticfiles']['BACKEND'],"
    " 'sessions': settings.SESSION_ENGINE}))"
)


def _settings_with(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("ALONGSIDE_", "DATABASE_"))}
    clean.update(env, DJANGO_SETTINGS_MODULE="alongside.settings")
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", PROBE], env=clean, capture_output=True, text=True, check=False
    )


def test_production_refuses_to_start_without_a_secret_key() -> None:
    result = _settings_with({"ALONGSIDE_ENV": "production", "ALONGSIDE_ALLOWED_HOSTS": "a.example"})
    assert result.returncode != 0
    assert "ALONGSIDE_SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts() -> None:
    result = _settings_with({"ALONGSIDE_ENV": "production", "ALONGSIDE_SECRET_KEY": "k" * 50})
    assert result.returncode != 0
    assert "ALONGSIDE_ALLOWED_HOSTS" in result.stderr


def test_production_settings_from_the_environment() -> None:
    result = _settings_with(
        {
            "ALONGSIDE_ENV": "production",
            "ALONGSIDE_SECRET_KEY": "k" * 50,
            "ALONGSIDE_ALLOWED_HOSTS": "care.example.org,backup.example.org",
            "DATABASE_URL": "postgres://app:secret@db.internal:5432/alongside",
        }
    )
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout)
    assert seen["debug"] is False
    assert seen["engine"] == "django.db.backends.postgresql"
    assert seen["name"] == "alongside"
    assert seen["hosts"] == ["care.example.org", "backup.example.org"]
    assert seen["secure"] is True
    assert seen["hsts"] > 0
    assert seen["email"] == "django.core.mail.backends.smtp.EmailBackend"
    assert seen["static"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    assert seen["sessions"] == "django.contrib.sessions.backends.db"


def test_development_needs_no_configuration(tmp_path: object) -> None:
    result = _settings_with({"ALONGSIDE_DATA_DIR": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout)
    assert seen["engine"] == "django.db.backends.sqlite3"
    assert seen["email"] == "django.core.mail.backends.console.EmailBackend"


def test_an_unanswering_mail_server_times_out_instead_of_hanging(settings: Any) -> None:
    """The reminder worker sends mail while it holds a row lock: a mail server that accepts the
    connection and then says nothing must make the send fail, not hang."""
    from django.core.mail import EmailMessage
    from django.core.mail.backends.smtp import EmailBackend

    settings.EMAIL_TIMEOUT = 0.5
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        backend = EmailBackend(host="127.0.0.1", port=silent.getsockname()[1])
        assert backend.timeout == 0.5
        message = EmailMessage("s", "b", "from@example.org", ["to@example.org"])
        with pytest.raises(OSError, match="timed out"):
            backend.send_messages([message])


def test_the_mail_timeout_is_set_by_default() -> None:
    from django.conf import settings

    assert 0 < settings.EMAIL_TIMEOUT <= 30


def test_production_refuses_to_start_on_sqlite_unless_allowed(tmp_path: object) -> None:
    production = {
        "ALONGSIDE_ENV": "production",
        "ALONGSIDE_SECRET_KEY": "k" * 50,
        "ALONGSIDE_ALLOWED_HOSTS": "care.example.org",
        "ALONGSIDE_DATA_DIR": str(tmp_path),
    }
    refused = _settings_with(production)
    assert refused.returncode != 0
    assert "DATABASE_URL" in refused.stderr
    allowed = _settings_with({**production, "ALONGSIDE_ALLOW_SQLITE": "1"})
    assert allowed.returncode == 0, allowed.stderr
    assert json.loads(allowed.stdout)["engine"] == "django.db.backends.sqlite3"


def test_production_logs_json_lines_to_stderr() -> None:
    probe = (
        "import django, logging; django.setup(); "
        "logging.getLogger('alongside.probe').error('probe %s', 'line')"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("ALONGSIDE_", "DATABASE_"))}
    clean.update(
        ALONGSIDE_ENV="production",
        ALONGSIDE_SECRET_KEY="k" * 50,
        ALONGSIDE_ALLOWED_HOSTS="care.example.org",
        DATABASE_URL="postgres://app:secret@db.internal:5432/alongside",
        DJANGO_SETTINGS_MODULE="alongside.settings",
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", probe], env=clean, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    line = json.loads(result.stderr.strip().splitlines()[-1])
    assert line["message"] == "probe line"
    assert line["level"] == "ERROR"
    assert line["logger"] == "alongside.probe"
