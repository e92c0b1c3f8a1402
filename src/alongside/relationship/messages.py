"""Notification messages of the working relationship (stable codes; see notifications/)."""

from django.utils.translation import gettext_lazy as _

from alongside.notifications.messages import message

NOTE_WRITTEN = message(
    "relationship.note_written",
    _("%(name)s wrote a note about your time together. Read it, and comment if you like."),
)
NOTE_COMMENTED = message(
    "relationship.note_commented", _("%(name)s commented on a note from %(note_date)s.")
)
NOTE_CORRECTED = message(
    "relationship.note_corrected", _("%(name)s corrected a note from %(note_date)s.")
)
