"""Single-use secrets: invitation links and activation codes. Only their hashes are stored."""

from __future__ import annotations

import hashlib
import secrets

# Capital letters and digits without the ones people mix up (0/O, 1/I/L).
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12


def new_link_token() -> str:
    return secrets.token_urlsafe(32)


def new_code() -> str:
    """12 characters (about 59 bits), shown in groups of four: ``ABCD-EFGH-JKMN``."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def normalise_code(typed: str) -> str:
    """What a person typed, as stored: capitals, without spaces or dashes."""
    return "".join(ch for ch in typed.upper() if ch.isalnum())


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def code_digest(code: str) -> str:
    return digest(normalise_code(code))
