"""Forms the person fills in on her side of a record. Nothing is pre-selected."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from alongside.safety.agreements import Answer

_AREA = {"rows": 4, "maxlength": 4000}


class AgreementAnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Your answer"),
        choices=Answer.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose your answer.")},
    )
    words = forms.CharField(
        label=_("In your own words"),
        required=False,
        widget=forms.Textarea(attrs=_AREA),
        help_text=_("Needed when you comment; welcome when you agree or say no."),
    )


class EpisodeAccountForm(forms.Form):
    debrief_is_right = forms.ChoiceField(
        label=_("Is the account written at the debrief right?"),
        choices=[("yes", _("Yes, it is right")), ("no", _("No, it is not right"))],
        widget=forms.RadioSelect,
        required=False,
    )
    words = forms.CharField(
        label=_("What happened, in your own words"),
        required=False,
        widget=forms.Textarea(attrs=_AREA),
    )

    def __init__(self, *args: object, has_debrief: bool, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if not has_debrief:
            del self.fields["debrief_is_right"]

    def verdict(self) -> bool | None:
        value = self.cleaned_data.get("debrief_is_right") or ""
        return {"yes": True, "no": False}.get(value)


class OptionForm(forms.Form):
    name = forms.CharField(label=_("Your option"), max_length=200, required=False)
    pros = forms.CharField(
        label=_("What is good about it, for you"),
        required=False,
        widget=forms.Textarea(attrs=_AREA),
    )
    cons = forms.CharField(
        label=_("What is bad about it, for you"), required=False, widget=forms.Textarea(attrs=_AREA)
    )
