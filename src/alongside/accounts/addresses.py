"""The client's address, resolved once per request from a configured number of trusted proxies.

Behind nginx and gunicorn, ``REMOTE_ADDR`` is the proxy's address. Each trusted proxy appends the
address it saw to ``X-Forwarded-For``; with N trusted proxies the client is the N-th entry from the
right. Entries further left were written by the client itself and are never trusted.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest

ATTRIBUTE = "client_address"


def _valid(value: str) -> str | None:
    value = value.strip()
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def resolve(request: HttpRequest) -> str | None:
    remote = _valid(str(request.META.get("REMOTE_ADDR", "")))
    trusted = settings.TRUSTED_PROXIES
    if trusted <= 0:
        return remote
    forwarded = [item for item in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if item]
    if not forwarded:
        return remote
    # Fewer entries than proxies: the request skipped a proxy; take the furthest one we have.
    chosen = forwarded[-trusted] if len(forwarded) >= trusted else forwarded[0]
    return _valid(chosen) or remote


def client_address(request: HttpRequest | None) -> str | None:
    """The address resolved by the middleware (resolved here for requests that skipped it)."""
    if request is None:
        return None
    if not hasattr(request, ATTRIBUTE):
        setattr(request, ATTRIBUTE, resolve(request))
    address = getattr(request, ATTRIBUTE)
    return str(address) if address else None
