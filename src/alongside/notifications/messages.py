"""Notification messages as data: a stable code and a translatable text with named parameters.

A notification stores the code and the parameters, never a sentence, and is rendered in the
*reader's* language when it is shown (or mailed). Each room declares its messages in its own
``messages.py`` with :func:`message`; the notifications app imports every room's ``messages``
module at start-up (``NotificationsConfig.ready``), so any stored code can be rendered.

Parameters are plain JSON values. A parameter whose name is ``date`` or ends in ``_date`` holds an
ISO date (``2026-11-28``) and is shown in the reader's date format.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils.formats import date_format
from django.utils.functional import Promise

log = logging.getLogger(__name__)

Params = dict[str, str | int | float | None]


@dataclass(frozen=True)
class MessageKind:
    """One kind of notification: ``code`` is stored; ``text`` is a lazy translation with
    ``%(name)s`` placeholders for the parameters."""

    code: str
    text: Promise

    def render(self, params: Params | None = None) -> str:
        values: dict[str, Any] = {}
        for name, value in (params or {}).items():
            values[name] = _shown(name, value)
        try:
            return str(self.text) % values
        except (KeyError, TypeError, ValueError):
            log.warning("notification %s: parameters do not fit its text", self.code)
            return str(self.text)


_REGISTRY: dict[str, MessageKind] = {}


def message(code: str, text: Promise) -> MessageKind:
    """Declare a message kind. Codes are stable: never reuse one for another meaning."""
    kind = MessageKind(code, text)
    _REGISTRY[code] = kind
    return kind


def kind_for(code: str) -> MessageKind | None:
    return _REGISTRY.get(code)


def render(code: str, params: Params | None = None) -> str:
    """The message in the active language; an unknown code shows as itself (never an error)."""
    kind = _REGISTRY.get(code)
    if kind is None:
        log.warning("notification code %s is not declared", code)
        return code
    return kind.render(params)


def _shown(name: str, value: str | int | float | None) -> str | int | float:
    if value is None:
        return ""
    if isinstance(value, str) and (name == "date" or name.endswith("_date")):
        try:
            return date_format(date.fromisoformat(value), "DATE_FORMAT")
        except ValueError:
            return value
    return value
