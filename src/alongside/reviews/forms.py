"""Forms for reviews: recording one, each party's view, the person's own view, the rule.

The rules live in ``services``; forms carry the words and show the services' errors by field.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from alongside.people.models import Person, Stay, StayStatus
from alongside.plans.models import Goal
from alongside.reviews.models import TEXT_LIMIT

_AREA = {"rows": 3}


class ReviewForm(forms.Form):
    stay = forms.ModelChoiceField(label=_("Stay"), queryset=Stay.objects.none(), empty_label=None)
    held_on = forms.DateField(
        label=_("Date of the review"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
    )
    person_went_well = forms.CharField(
        label=_("What went well, in the person's own words"),
        required=False,
        max_length=TEXT_LIMIT,
        help_text=_("The person speaks first. Write what they said, as they said it."),
        widget=forms.Textarea(attrs=_AREA),
    )
    person_matters_now = forms.CharField(
        label=_("What matters to them now"),
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs=_AREA),
    )
    goals = forms.ModelMultipleChoiceField(
        label=_("Goals reviewed"),
        queryset=Goal.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    agreed_changes = forms.CharField(
        label=_("What we agreed to change"),
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs=_AREA),
    )
    municipality_took_part = forms.BooleanField(
        label=_("The municipality took part"), required=False
    )

    def __init__(self, *args: Any, person: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        stay = self.fields["stay"]
        goals = self.fields["goals"]
        assert isinstance(stay, forms.ModelChoiceField)
        assert isinstance(goals, forms.ModelMultipleChoiceField)
        stay.queryset = Stay.objects.filter(person=person, status=StayStatus.ACTIVE).select_related(
            "unit"
        )
        goals.queryset = Goal.objects.filter(person=person).order_by("created_at", "pk")


class PartyForm(forms.Form):
    party_name = forms.CharField(label=_("Name"), required=False, max_length=150)
    organisation = forms.CharField(label=_("Organisation"), required=False, max_length=200)
    role = forms.CharField(label=_("Role"), required=False, max_length=150)
    view = forms.CharField(
        label=_("Their view"),
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs=_AREA),
    )


PartyFormSet = forms.formset_factory(PartyForm, extra=3, max_num=10)


class PersonViewForm(forms.Form):
    view = forms.CharField(
        label=_("Your view"),
        required=False,
        max_length=TEXT_LIMIT,
        help_text=_("Added beside the review, in your words. What was recorded stays as it was."),
        widget=forms.Textarea(attrs=_AREA),
    )


class RuleForm(forms.Form):
    interval_days = forms.IntegerField(
        label=_("Review each plan at least every (days)"),
        required=False,
        help_text=_("From 1 to 366 days. The default is 90."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    must_include_municipality = forms.BooleanField(
        label=_("The municipality takes part in every review"), required=False
    )
