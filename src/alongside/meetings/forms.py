"""Forms for planning a meeting and keeping its record. They carry the words; the rules (owners,
dates, versions) live in ``services`` and their errors are shown beside the fields they name."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alongside.meetings.models import MAX_SHORT_TEXT, MAX_TEXT, MeetingStatus

_DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]
_AREA = {"rows": 3}


def _next_hour() -> datetime:
    now = timezone.localtime().replace(minute=0, second=0, microsecond=0)
    return now + timedelta(hours=1)


def _when(**kwargs: Any) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=_("When"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=_DATETIME_FORMATS,
        error_messages={"invalid": _("Enter a date and time, for example 2026-05-04 14:00.")},
        **kwargs,
    )


class PlanForm(forms.Form):
    planned_for = _when(initial=_next_hour)
    place = forms.CharField(
        label=_("Where"),
        required=False,
        max_length=200,
        help_text=_("A place the person is comfortable with, or a video link."),
    )
    goals = forms.MultipleChoiceField(
        label=_("The person's own goals, first on the agenda"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Taken from the person's plan. Untick any they do not want to talk about."),
    )
    person_points = forms.CharField(
        label=_("What else the person wants to talk about"),
        required=False,
        widget=forms.Textarea(attrs=_AREA),
        help_text=_("One point per line. These come next, before anyone else's points."),
    )
    other_points = forms.CharField(
        label=_("Points from others in the network"),
        required=False,
        widget=forms.Textarea(attrs=_AREA),
        help_text=_("One point per line."),
    )
    participants = forms.MultipleChoiceField(
        label=_("Who is invited"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "The person always takes part. Listed here: members of their network, from any "
            "organisation, whom the person lets see meetings."
        ),
    )

    def __init__(
        self,
        *args: Any,
        goals: list[tuple[str, str]],
        participants: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["goals"].choices = goals  # type: ignore[attr-defined]
        self.fields["goals"].initial = [value for value, _label in goals]
        self.fields["participants"].choices = participants  # type: ignore[attr-defined]


class RecordForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    planned_for = _when()
    place = forms.CharField(label=_("Where"), required=False, max_length=200)
    status = forms.ChoiceField(label=_("Status"), choices=MeetingStatus.choices)
    person_summary = forms.CharField(
        label=_("The person's own summary"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("In the person's words, as they said it. Ask them what they would write."),
    )

    def speak_to_person(self) -> None:
        """On the person's own page the summary is hers: "your words"."""
        summary = self.fields["person_summary"]
        summary.label = _("Your own summary")
        summary.help_text = _("In your own words, as you would say it.")


class AgendaForm(forms.Form):
    text = forms.CharField(label=_("Agenda point"), required=False, max_length=MAX_SHORT_TEXT)
    raised_by_person = forms.BooleanField(
        label=_("The person raised this"),
        required=False,
        help_text=_("The person's points are kept at the top of the agenda."),
    )


class DecisionForm(forms.Form):
    text = forms.CharField(
        label=_("What was decided"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs=_AREA),
    )


class ActionForm(forms.Form):
    text = forms.CharField(label=_("What will be done"), required=False, max_length=MAX_SHORT_TEXT)
    owner = forms.ChoiceField(label=_("Who does it"), required=False)
    due_on = forms.DateField(
        label=_("By when"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": _("Enter a date, for example 2026-05-04.")},
    )

    def __init__(self, *args: Any, owners: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [("", _("Choose someone")), *owners]  # type: ignore[attr-defined]
