"""Notification messages of the network room (codes are stable; see notifications/messages.py)."""

from django.utils.translation import gettext_lazy as _

from alongside.notifications.messages import message

PROPOSED = message(
    "network.proposed",
    _(
        "%(name)s proposes that %(member)s sees more of your record. Nothing changes unless "
        "you agree."
    ),
)
WIDENED = message(
    "network.widened",
    _("%(member)s can now see more of your record, because you agreed."),
)
NARROWED = message(
    "network.narrowed",
    _("%(name)s changed your network with you: %(member)s now sees less of your record."),
)
ENDED = message(
    "network.ended",
    _("%(name)s ended %(member)s's place in your network with you."),
)
DECLINED = message(
    "network.declined",
    _("%(person)s did not agree that %(member)s sees more. Nothing changed."),
)
CARD_PRINTED = message(
    "network.card_printed",
    _("%(name)s printed a new card of codes with you. Any older card of yours no longer works."),
)
CARD_YOURS = message(
    "network.card_yours",
    _("You printed a new card of codes. Any older card of yours no longer works."),
)
