"""Forms for agreements, test results and support requests."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from alongside.safety.agreements import Aim, SupportKind

_AREA = {"rows": 2, "maxlength": 4000}


class AgreementForm(forms.Form):
    topic = forms.CharField(label=_("What the agreement is about"), required=False, max_length=200)
    person_aim = forms.ChoiceField(label=_("The person's own aim"), choices=Aim.choices)
    person_words = forms.CharField(
        label=_("In the person's own words"), required=False, widget=forms.Textarea(attrs=_AREA)
    )
    service_requirement = forms.CharField(
        label=_("The service's requirement"), required=False, widget=forms.Textarea(attrs=_AREA)
    )
    person_will = forms.CharField(
        label=_("What the person will do"), required=False, widget=forms.Textarea(attrs=_AREA)
    )
    service_will = forms.CharField(
        label=_("What the service will do"), required=False, widget=forms.Textarea(attrs=_AREA)
    )
    if_not_kept = forms.CharField(
        label=_("What happens if it is not kept"),
        required=False,
        widget=forms.Textarea(attrs=_AREA),
    )
    review_on = forms.DateField(
        label=_("Review date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class TestResultForm(forms.Form):
    kind = forms.CharField(label=_("Test"), required=False, max_length=100)
    result = forms.CharField(label=_("Result"), required=False, max_length=300)
    taken_at = forms.DateTimeField(
        label=_("Taken"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M"],
    )
    talked_about = forms.CharField(
        label=_("The conversation about it: what we talked about"),
        required=False,
        widget=forms.Textarea(attrs=_AREA),
    )
    person_words = forms.CharField(
        label=_("What the person said, in their own words"),
        required=False,
        widget=forms.Textarea(attrs=_AREA),
    )
    agreed = forms.CharField(
        label=_("What we agreed"), required=False, widget=forms.Textarea(attrs=_AREA)
    )


class SupportRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Who would you like?"), choices=SupportKind.choices)
    message = forms.CharField(
        label=_("Anything to add? (optional)"), required=False, widget=forms.Textarea(attrs=_AREA)
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Answer to the person"), required=False, widget=forms.Textarea(attrs=_AREA)
    )
