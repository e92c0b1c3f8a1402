"""The improvement action form, and the approval an extract rests on."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from alongside.accounts.models import User
from alongside.frameworks.models import Concept
from alongside.insight.indicators import INDICATORS
from alongside.organisations.models import StaffRole, Unit


class ActionForm(forms.Form):
    theme = forms.ChoiceField(label=_("Practice theme"))
    indicator = forms.ChoiceField(label=_("Indicator that should move"), required=False)
    what = forms.CharField(
        label=_("What will change"), max_length=2000, widget=forms.Textarea({"rows": 3})
    )
    owner = forms.ModelChoiceField(label=_("Who owns it"), queryset=User.objects.none())
    review_on = forms.DateField(
        label=_("Review on"), widget=forms.DateInput({"type": "date"}, format="%Y-%m-%d")
    )
    barrier = forms.ChoiceField(
        label=_("Barrier it should remove (from narratives)"), required=False
    )

    def __init__(self, unit_id: int, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        themes = Concept.objects.filter(code__startswith="practice.", kind="theme").order_by(
            "parent__position", "position"
        )
        theme_field = self.fields["theme"]
        assert isinstance(theme_field, forms.ChoiceField)
        theme_field.choices = [(c.code, c.name) for c in themes]
        indicator_field = self.fields["indicator"]
        assert isinstance(indicator_field, forms.ChoiceField)
        indicator_field.choices = [("", "—"), *((i.code, str(i.name)) for i in INDICATORS)]
        barrier_field = self.fields["barrier"]
        assert isinstance(barrier_field, forms.ChoiceField)
        barrier_field.choices = [
            ("", "—"),
            *((c.code, c.name) for c in Concept.objects.filter(kind="barrier").order_by("code")),
        ]
        unit = Unit.objects.get(pk=unit_id)
        owner_field = self.fields["owner"]
        assert isinstance(owner_field, forms.ModelChoiceField)
        owner_field.queryset = User.objects.filter(
            pk__in=StaffRole.objects.current()
            .filter(unit__organisation_id=unit.organisation_id)
            .values("user_id")
        ).order_by("display_name")
        owner_field.label_from_instance = lambda user: user.display_name or user.username  # type: ignore[method-assign,assignment]


class ApprovalForm(forms.Form):
    reference = forms.CharField(label=_("Approval reference"), max_length=100)
    approved_by = forms.CharField(label=_("Approved by"), max_length=200)
    purpose = forms.CharField(
        label=_("Purpose"), max_length=2000, widget=forms.Textarea({"rows": 2})
    )
    approved_on = forms.DateField(
        label=_("Approved on"), widget=forms.DateInput({"type": "date"}, format="%Y-%m-%d")
    )
