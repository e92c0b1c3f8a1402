"""Notification messages of the administration room (codes are stable)."""

from django.utils.translation import gettext_lazy as _

from alongside.notifications.messages import message

ACCESS_REISSUED = message(
    "administration.access_reissued",
    _(
        "%(name)s made a new activation code for your login. Older codes no longer work. "
        "If you did not ask for this, please tell the staff."
    ),
)
ACCOUNT_ACTIVATED = message(
    "administration.account_activated",
    _("Your login is ready. Welcome to Alongside."),
)
