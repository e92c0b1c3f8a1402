"""Forms for time together, notes and the person's comments. The rules live in ``services``: the
forms only carry the words, and show the services' errors beside the fields they name."""

from __future__ import annotations

from datetime import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alongside.relationship.models import CommentKind

TEXT_LIMIT = 4000
_AREA = {"rows": 3}


def _now_to_the_minute() -> datetime:
    return timezone.localtime().replace(second=0, microsecond=0)


class TogetherForm(forms.Form):
    activity = forms.CharField(
        label=_("What did you do together?"),
        required=False,
        max_length=150,
        help_text=_("For example: a walk, the gym, cooking, the workshop, a phone call."),
    )
    duration_minutes = forms.IntegerField(
        label=_("For how long (minutes)"),
        required=False,
        widget=forms.NumberInput(attrs={"min": 1, "max": 1440, "inputmode": "numeric"}),
    )
    occurred_at = forms.DateTimeField(
        label=_("When"),
        required=False,
        initial=_now_to_the_minute,
        help_text=_("Filled in with the time now. Change it if it was earlier."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"],
    )


class NoteForm(forms.Form):
    talked_about = forms.CharField(
        label=_("What we talked about"),
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs=_AREA),
    )
    person_words = forms.CharField(
        label=_("What the person said, in their own words"),
        required=False,
        max_length=TEXT_LIMIT,
        help_text=_("Their words as they said them. They are shown to the person as their own."),
        widget=forms.Textarea(attrs=_AREA),
    )
    agreed = forms.CharField(
        label=_("What we agreed"),
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs=_AREA),
    )
    restricted_reason = forms.CharField(
        label=_("Only if the person must not read this note: why"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Leave empty and the person can read the note, as they normally can."),
    )


class CommentForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Is this a comment or a correction?"), choices=CommentKind.choices
    )
    text = forms.CharField(
        label=_("Your words"),
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs=_AREA),
    )
