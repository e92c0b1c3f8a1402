"""Forms for the plan pages: they parse input; the rules themselves live in ``services``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from alongside.frameworks.models import Concept
from alongside.plans.models import (
    MAX_SHORT_TEXT,
    MAX_TEXT,
    GoalStatus,
    Origin,
    Stance,
    StoryKind,
    StrengthKind,
)

# Browsers stop typing at maxlength; services give the translated error for anything longer.
_TEXTAREA = {"rows": 3}


def chime_choices() -> list[tuple[str, str]]:
    """The five CHIME processes, named in the active language. Read per form, never at import."""
    return [
        (concept.code, concept.name)
        for concept in Concept.objects.filter(kind="process").order_by("position")
    ]


class GoalForm(forms.Form):
    text = forms.CharField(
        label=_("The goal, in your own words"),
        required=False,
        widget=forms.Textarea(attrs={**_TEXTAREA, "maxlength": MAX_SHORT_TEXT}),
    )
    origin = forms.ChoiceField(
        label=_("Whose goal is this?"),
        required=False,
        choices=[
            (Origin.CLINICAL.value, Origin.CLINICAL.label),
            (Origin.SERVICE.value, Origin.SERVICE.label),
        ],
    )
    chime_tags = forms.MultipleChoiceField(
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Which parts of recovery does this touch? (optional)"),
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["chime_tags"].choices = chime_choices()  # type: ignore[attr-defined]


class StepForm(forms.Form):
    text = forms.CharField(label=_("Next small step"), required=False, max_length=MAX_SHORT_TEXT)
    who_helps = forms.CharField(label=_("Who helps"), required=False, max_length=150)
    due_on = forms.DateField(
        label=_("By when (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class CheckInForm(forms.Form):
    score = forms.IntegerField(
        label=_("How far along are you? 0 is not started, 10 is there"),
        required=False,
        widget=forms.NumberInput(attrs={"min": 0, "max": 10, "inputmode": "numeric"}),
    )
    comment = forms.CharField(
        label=_("Anything to add? (optional)"),
        required=False,
        widget=forms.Textarea(attrs={**_TEXTAREA, "maxlength": MAX_TEXT}),
    )


class StanceForm(forms.Form):
    # No answer is chosen in advance: one tap must never record agreement she did not give.
    stance = forms.ChoiceField(
        label=_("My view of this goal"),
        choices=[("", _("Choose your view")), *Stance.choices],
        error_messages={"required": _("Choose your view: agree, not now or disagree.")},
    )
    words = forms.CharField(
        label=_("In your own words (optional)"),
        required=False,
        widget=forms.Textarea(attrs={**_TEXTAREA, "maxlength": MAX_TEXT}),
    )


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=GoalStatus.choices)


class StoryForm(forms.Form):
    kind = forms.ChoiceField(label=_("What is it?"), choices=StoryKind.choices)
    title = forms.CharField(
        label=_("A few words for it"), required=False, max_length=MAX_SHORT_TEXT
    )
    when = forms.CharField(
        label=_("When (a year, an age or a period)"), required=False, max_length=100
    )
    sort_year = forms.IntegerField(
        label=_("Year, for the timeline (optional)"), required=False, min_value=1900, max_value=2100
    )
    text = forms.CharField(
        label=_("Tell it your way (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": MAX_TEXT}),
    )
    shared = forms.BooleanField(label=_("Share with my network"), required=False)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class StrengthForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of strength"), choices=StrengthKind.choices)
    text = forms.CharField(label=_("Strength"), required=False, max_length=MAX_SHORT_TEXT)
