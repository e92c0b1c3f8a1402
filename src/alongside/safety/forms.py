"""Forms for the crisis plan and break-the-glass."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from alongside.safety.models import SECTION_LIMIT, SECTIONS


class CrisisPlanForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, label in SECTIONS:
            self.fields[name] = forms.CharField(
                label=label,
                required=False,
                widget=forms.Textarea(attrs={"rows": 3, "maxlength": SECTION_LIMIT}),
            )
        # The version the writer started from, so a save made meanwhile is caught, not buried.
        self.fields["based_on"] = forms.IntegerField(
            required=False, min_value=0, max_value=2**31 - 1, widget=forms.HiddenInput
        )


class BreakGlassForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you need to open this crisis plan now?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 1000}),
        help_text=_("Your reason is recorded, and the person and their key worker are told."),
    )
