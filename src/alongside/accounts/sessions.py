"""Session timeouts per kind of user, and ending every session of a user.

At login the session remembers when it began and which kind of user it belongs to (staff, or a
person or supporter); each request then checks the idle and absolute limits in
``settings.SESSION_TIMEOUTS``. Ending every session raises the user's ``session_epoch``, which is
part of each session's authentication hash, so every session of that user, on any app server,
fails its next check.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase

from alongside.accounts.models import User
from alongside.core.roles import current_staff_role

KIND = "alongside_kind"
STARTED = "alongside_started"
SEEN = "alongside_seen"
# Write the last-seen time at most this often (seconds): a session is not saved on every request.
TOUCH_EVERY = 60


def kind_of(user: User) -> str:
    return "staff" if current_staff_role(user) is not None else "person"


def start(session: SessionBase, user: User, now: float) -> None:
    session[KIND] = kind_of(user)
    session[STARTED] = now
    session[SEEN] = now


def limits(kind: str) -> dict[str, int]:
    timeouts: dict[str, dict[str, int]] = settings.SESSION_TIMEOUTS
    return timeouts.get(kind, timeouts["staff"])


def expired(session: SessionBase, now: float) -> bool:
    started: Any = session.get(STARTED)
    seen: Any = session.get(SEEN)
    if not isinstance(started, int | float) or not isinstance(seen, int | float):
        # A session from before these rules: count it from now.
        return False
    limit = limits(str(session.get(KIND, "staff")))
    return now - seen > limit["idle"] or now - started > limit["absolute"]


def touch(session: SessionBase, now: float) -> None:
    if STARTED not in session:
        session[STARTED] = now
    seen: Any = session.get(SEEN)
    if not isinstance(seen, int | float) or now - seen >= TOUCH_EVERY:
        session[SEEN] = now
