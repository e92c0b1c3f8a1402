"""Request ids and structured logs: errors leave a trace an operator can find.

Every request gets an id (``X-Request-ID`` from a trusted proxy when it looks sane, else a fresh
one). It is sent back in the ``X-Request-ID`` header, shown on the 500 page and written on every log
line of that request, so a person reporting an error can quote it and the operator finds the
traceback in the logs.

Log lines are JSON objects on stderr. They carry the message, the logger, the level, the request's
method, path, status, user id and request id, and for errors the exception type and traceback
(file, line, function and source line of each frame). The exception's own message is left out on
purpose: it may quote what a person wrote (a failed value, a database row); the frames and the
request id are enough to find the cause.
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import traceback
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from django.http import HttpRequest, HttpResponse

_REQUEST_ID: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")
_SANE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def current_request_id() -> str:
    return _REQUEST_ID.get()


class RequestIdMiddleware:
    """Give each request an id, for the logs, the response header and the 500 page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        offered = request.headers.get("X-Request-ID", "")
        request_id = offered if _SANE_ID.match(offered) else uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        token = _REQUEST_ID.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            _REQUEST_ID.reset(token)
        response.headers.setdefault("X-Request-ID", request_id)
        return response


class NoStoreMiddleware:
    """No page or API answer of ours may be kept by a browser or proxy cache: nearly all of them
    show person data, and a shared computer's back button must not bring a plan back. Static files
    are served before this middleware and keep their own long caching."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        cache_control = response.headers.get("Cache-Control", "")
        if "no-store" not in cache_control:
            response.headers["Cache-Control"] = (
                f"{cache_control}, no-store" if cache_control else "no-store"
            )
        return response


def _frames(exc_info: Any) -> list[dict[str, Any]]:
    _type, _value, tb = exc_info
    return [
        {"file": frame.filename, "line": frame.lineno, "function": frame.name, "code": frame.line}
        for frame in traceback.extract_tb(tb)
    ]


class JsonFormatter(logging.Formatter):
    """One JSON object per line, without person data in it (see the module docstring)."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": current_request_id() or None,
        }
        request = getattr(record, "request", None)
        if isinstance(request, HttpRequest):
            entry["request_id"] = getattr(request, "request_id", entry["request_id"])
            entry["method"] = request.method
            entry["path"] = request.path
            user = getattr(request, "user", None)
            entry["user_id"] = user.pk if user is not None and user.is_authenticated else None
        status = getattr(record, "status_code", None)
        if status is not None:
            entry["status"] = status
        if record.exc_info and record.exc_info[0] is not None:
            entry["error"] = record.exc_info[0].__qualname__
            entry["traceback"] = _frames(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)
