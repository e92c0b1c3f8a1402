"""Start the test identity provider in its own process, on a free localhost port."""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

ROOT = Path(__file__).resolve().parents[2]
PROVIDER_ID = "organisation"


@dataclass(frozen=True)
class Provider:
    url: str  # the issuer, e.g. http://127.0.0.1:PORT/o
    client_id: str
    client_secret: str

    def app_settings(self, name: str = "Test identity provider") -> dict[str, object]:
        """The value of ``SOCIALACCOUNT_PROVIDERS`` that points the app at this provider."""
        return {
            "openid_connect": {
                "OAUTH_PKCE_ENABLED": True,
                "APPS": [
                    {
                        "provider_id": PROVIDER_ID,
                        "name": name,
                        "client_id": self.client_id,
                        "secret": self.client_secret,
                        "settings": {"server_url": self.url},
                    }
                ],
            }
        }


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _private_key() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


@contextmanager
def run_provider(
    directory: Path, *, redirect_uris: list[str], users: list[dict[str, str]]
) -> Iterator[Provider]:
    client_id = secrets.token_urlsafe(12)
    client_secret = secrets.token_urlsafe(24)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ALONGSIDE_", "DATABASE_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="tests.oidc_provider.settings",
        PYTHONPATH=str(ROOT),
        OIDC_PROVIDER_KEY=_private_key(),
        OIDC_PROVIDER_DB=str(directory / "provider.sqlite3"),
        OIDC_SETUP=json.dumps(
            {
                "client_id": client_id,
                "client_secret": client_secret,
                "redirect_uris": redirect_uris,
                "users": users,
            }
        ),
    )
    subprocess.run(
        [sys.executable, "-m", "tests.oidc_provider.setup_provider"],
        env=env,
        cwd=ROOT,
        check=True,
    )
    port = _free_port()
    log = (directory / "provider.log").open("w")
    process = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "django", "runserver", f"127.0.0.1:{port}", "--noreload"],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    issuer = f"http://127.0.0.1:{port}/o"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if requests.get(f"{issuer}/.well-known/openid-configuration", timeout=2).ok:
                    break
            except requests.ConnectionError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError((directory / "provider.log").read_text())
            time.sleep(0.2)
        yield Provider(url=issuer, client_id=client_id, client_secret=client_secret)
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()
