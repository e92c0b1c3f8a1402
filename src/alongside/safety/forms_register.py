"""Forms for the restrictive practice register."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from alongside.safety.restrictive import MeasureType

_WHEN = {"type": "datetime-local"}
_FORMATS = ["%Y-%m-%dT%H:%M"]
_AREA = {"rows": 3, "maxlength": 4000}


class EpisodeForm(forms.Form):
    measure = forms.ChoiceField(label=_("Measure"))
    started_at = forms.DateTimeField(
        label=_("Started"), widget=forms.DateTimeInput(attrs=_WHEN), input_formats=_FORMATS
    )
    ended_at = forms.DateTimeField(
        label=_("Ended"), widget=forms.DateTimeInput(attrs=_WHEN), input_formats=_FORMATS
    )
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs=_AREA))
    alternatives_tried = forms.CharField(
        label=_("Less restrictive alternatives tried"),
        required=False,
        widget=forms.Textarea(attrs=_AREA),
    )
    staff_involved = forms.CharField(label=_("Staff involved"), required=False, max_length=1000)

    def __init__(self, *args: Any, organisation_id: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        types = MeasureType.objects.filter(active=True).filter(
            Q(organisation__isnull=True) | Q(organisation_id=organisation_id)
        )
        self.fields["measure"].choices = [(str(t.pk), t.label) for t in types]  # type: ignore[attr-defined]


class DebriefForm(forms.Form):
    held_at = forms.DateTimeField(
        label=_("When was the debrief held?"),
        widget=forms.DateTimeInput(attrs=_WHEN),
        input_formats=_FORMATS,
    )
    person_account = forms.CharField(
        label=_("The person's own account, in their words"),
        required=False,
        widget=forms.Textarea(attrs=_AREA),
    )
    prevention = forms.CharField(
        label=_("What could prevent it next time"),
        required=False,
        widget=forms.Textarea(attrs=_AREA),
    )
    crisis_plan_change = forms.CharField(
        label=_("Should the crisis plan change? How?"),
        required=False,
        widget=forms.Textarea(attrs=_AREA),
    )
