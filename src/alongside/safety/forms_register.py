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


class DecisionForm(forms.Form):
    question = forms.CharField(label=_("The question"), required=False, max_length=300)
    what_matters = forms.CharField(
        label=_("What matters to the person, in their words"),
        required=False,
        widget=forms.Textarea(attrs=_AREA),
    )
    present = forms.CharField(label=_("Who was present"), required=False, max_length=500)
    advocate_offered = forms.BooleanField(
        label=_("An advocate or peer supporter was offered"), required=False
    )
    advocate_took_part = forms.BooleanField(
        label=_("An advocate or peer supporter took part"), required=False
    )
    decision = forms.CharField(
        label=_("The decision"), required=False, widget=forms.Textarea(attrs=_AREA)
    )
    decided_by = forms.CharField(label=_("Who made the decision"), required=False, max_length=300)
    review_on = forms.DateField(
        label=_("Review date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    OPTION_SLOTS = 3

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for number in range(1, self.OPTION_SLOTS + 1):
            self.fields[f"option_{number}"] = forms.CharField(
                label=_("Option %(number)d") % {"number": number}, required=False, max_length=200
            )
            self.fields[f"pros_{number}"] = forms.CharField(
                label=_("What is good about option %(number)d, for the person")
                % {"number": number},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2, "maxlength": 4000}),
            )
            self.fields[f"cons_{number}"] = forms.CharField(
                label=_(
                    "What is bad about option %(number)d, side effects they care about included"
                )
                % {"number": number},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2, "maxlength": 4000}),
            )

    def options(self) -> list[tuple[str, str, str]]:
        data = self.cleaned_data
        return [
            (data[f"option_{n}"], data[f"pros_{n}"], data[f"cons_{n}"])
            for n in range(1, self.OPTION_SLOTS + 1)
        ]
