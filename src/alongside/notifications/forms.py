"""The notification preferences form."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class PreferencesForm(forms.Form):
    in_app = forms.BooleanField(
        label=_("Show notifications on my page"),
        required=False,
        help_text=_("When this is off, nothing new is added to your list of notifications."),
    )
    email = forms.BooleanField(
        label=_("Send reminders to my email"),
        required=False,
        help_text=_("Reminders of reviews, actions and questionnaires, if you have an email."),
    )
