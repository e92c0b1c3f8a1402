"""The demo runs with DEBUG off: a missing page shows our own translated page, never Django's debug
page (which lists every URL pattern of the application)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

ROOT = Path(__file__).resolve().parents[1]

PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.test.utils import setup_test_environment
setup_test_environment()
from django.test import Client
seen = {"debug": settings.DEBUG}
for language in ("en", "da", "ja"):
    response = Client(HTTP_ACCEPT_LANGUAGE=language).get("/no-such-page/")
    seen[language] = [response.status_code, response.content.decode()]
print(json.dumps(seen))
"""


def _demo_debug_default() -> str:
    script = (ROOT / "scripts" / "demo").read_text()
    found = re.search(r'ALONGSIDE_DEBUG="\$\{ALONGSIDE_DEBUG:-(\w+)\}"', script)
    assert found is not None, "scripts/demo sets ALONGSIDE_DEBUG"
    return found.group(1)


def test_the_demo_turns_debug_off() -> None:
    assert _demo_debug_default() == "0"


def test_a_missing_page_in_the_demo_settings_is_our_translated_page(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ALONGSIDE_", "DATABASE_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="alongside.settings",
        ALONGSIDE_DEBUG=_demo_debug_default(),
        ALONGSIDE_DATA_DIR=str(tmp_path),
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout)
    assert seen["debug"] is False
    expected = {
        "en": "We could not find that page",
        "da": "Vi kunne ikke finde siden",
        "ja": "ページが見つかりませんでした",
    }
    for language, heading in expected.items():
        status, body = seen[language]
        assert status == 404
        assert heading in body
        assert "URLconf" not in body
        assert "accounts/login/" not in body  # no URL patterns listed
        assert f'<html lang="{language}">' in body


@pytest.mark.django_db
def test_the_error_page_is_translated(settings: object) -> None:
    settings.DEBUG = False  # type: ignore[attr-defined]
    from django.template.loader import render_to_string
    from django.utils import translation

    with translation.override("da"):
        page = render_to_string("500.html")
    assert '<html lang="da">' in page
    assert "Something went wrong on our side" not in page
    assert Client().get("/healthz").status_code == 200
