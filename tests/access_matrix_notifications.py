"""Access declarations for one's own notifications.

Every logged-in user has their own list and preferences. Marking read takes a notification id;
someone else's id (here one that does not exist) changes nothing and answers the same redirect,
so the answer never tells whether an id belongs to someone else.
"""

from __future__ import annotations

from tests.access_declarations import EVERY_LOGGED_IN, Declaration, only

NOTIFICATIONS: dict[str, Declaration] = {
    "notifications:list": Declaration("get", only(EVERY_LOGGED_IN)),
    "notifications:read": Declaration(
        "post",
        only(EVERY_LOGGED_IN, ok=302),
        kwargs=lambda world: {"notification_id": 987654},
        notes="only one's own notification is marked; any other id changes nothing",
    ),
    "notifications:read_all": Declaration("post", only(EVERY_LOGGED_IN, ok=302)),
}

NOTIFICATIONS_ALSO: list[tuple[str, Declaration]] = [
    (
        "notifications:list",
        Declaration(
            "post",
            only(EVERY_LOGGED_IN, ok=302),
            data=lambda world: {"in_app": "on"},
            notes="each user sets their own preferences",
        ),
    ),
]
