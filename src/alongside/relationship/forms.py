"""Forms for time together, notes and the person's comments. Rules live in ``services``."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from alongside.relationship.models import CommentKind

_AREA = {"rows": 3, "maxlength": 4000}


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
        label=_("When (leave empty for now)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M"],
    )


class NoteForm(forms.Form):
    talked_about = forms.CharField(
        label=_("What we talked about"), required=False, widget=forms.Textarea(attrs=_AREA)
    )
    person_words = forms.CharField(
        label=_("What the person said, in their own words"),
        required=False,
        widget=forms.Textarea(attrs=_AREA),
    )
    agreed = forms.CharField(
        label=_("What we agreed"), required=False, widget=forms.Textarea(attrs=_AREA)
    )
    restricted_reason = forms.CharField(
        label=_("Only if the person must not read this note: why"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": 1000}),
        help_text=_("Leave empty and the person can read the note, as they normally can."),
    )


class CommentForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Is this a comment or a correction?"), choices=CommentKind.choices
    )
    text = forms.CharField(
        label=_("Your words"), required=False, widget=forms.Textarea(attrs=_AREA)
    )
