"""RFC 6238 codes computed by the tests themselves, not by the library under test."""

from __future__ import annotations

import base64
import hashlib
import hmac
import struct
import time


def totp(secret: str, at: float | None = None) -> str:
    """The six-digit code of a base32 secret for the 30-second step holding ``at``."""
    counter = int((time.time() if at is None else at) // 30)
    key = base64.b32decode(secret.replace(" ", ""), casefold=True)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def fresh_totp(secret: str, margin: float = 4.0) -> str:
    """A code with at least ``margin`` seconds left in its step, so it is still valid when the
    server checks it (allauth accepts only the current step)."""
    left = 30 - time.time() % 30
    if left < margin:
        time.sleep(left + 0.1)
    return totp(secret)
