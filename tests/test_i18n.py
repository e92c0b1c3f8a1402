"""Every interface string is translated into Danish and Japanese, and the compiled catalogues
shipped in the repository match their sources."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

import alongside

LOCALE = Path(alongside.__file__).parent / "locale"
LANGUAGES = ["da", "ja"]


def _entries(po_file: Path) -> list[tuple[str, str, list[str], bool]]:
    """(msgid, msgid_plural, msgstrs, fuzzy) for each entry except the header."""
    entries = []
    blocks = po_file.read_text(encoding="utf-8").split("\n\n")
    for block in blocks:
        lines = [line for line in block.splitlines() if line.strip()]
        if not lines:
            continue
        fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in lines)
        fields: dict[str, str] = {}
        current = ""
        for line in lines:
            if line.startswith("#"):
                continue
            if line.startswith('"'):
                fields[current] += line.strip()[1:-1]
                continue
            key, _, value = line.partition(" ")
            current = key
            fields[key] = value.strip()[1:-1]
        msgid = fields.get("msgid", "")
        if msgid == "" and "msgid_plural" not in fields:
            continue  # header
        strs = [v for k, v in fields.items() if k.startswith("msgstr")]
        entries.append((msgid, fields.get("msgid_plural", ""), strs, fuzzy))
    return entries


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_string_is_translated(language: str) -> None:
    entries = _entries(LOCALE / language / "LC_MESSAGES" / "django.po")
    assert len(entries) > 100
    untranslated = [msgid for msgid, _plural, strs, fuzzy in entries if fuzzy or not all(strs)]
    assert untranslated == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_placeholders_survive_translation(language: str) -> None:
    import re

    pattern = re.compile(r"%\(\w+\)[sd]|\{\{ ?\w+ ?\}\}")
    for msgid, plural, strs, _fuzzy in _entries(LOCALE / language / "LC_MESSAGES" / "django.po"):
        wanted = set(pattern.findall(msgid)) | set(pattern.findall(plural))
        for translated in strs:
            assert set(pattern.findall(translated)) <= wanted, (msgid, translated)
            # Every placeholder of the singular must be in each form (counts may be implicit).
            assert set(pattern.findall(msgid)) - {"{{ days }}", "{{ minutes }}"} <= set(
                pattern.findall(translated)
            ) | {"{{ days }}", "{{ minutes }}"}, (msgid, translated)


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalogue_matches_its_source(language: str, tmp_path: Path) -> None:
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.skip("gettext's msgfmt is not installed (the test command installs it)")
    folder = LOCALE / language / "LC_MESSAGES"
    compiled = tmp_path / "django.mo"
    subprocess.run([msgfmt, "--check", "-o", str(compiled), str(folder / "django.po")], check=True)  # noqa: S603
    assert compiled.read_bytes() == (folder / "django.mo").read_bytes(), (
        "run: cd src/alongside && alongside compilemessages"
    )
