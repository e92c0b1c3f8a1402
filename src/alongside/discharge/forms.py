"""Forms for the checklist, the discharge and the handover summary. The rules live in
``services`` and ``handover``: the forms carry the values, and show the services' errors beside
the fields they name."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alongside.discharge.models import MAX_DETAILS, MAX_TEXT, EntryStatus, OverrideReason
from alongside.discharge.queries import ChecklistRow
from alongside.discharge.services import EntryInput, field_name

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ChecklistForm(forms.Form):
    """One status, details and date field per checklist item, plus the version it started from."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, rows: list[ChecklistRow], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            code = row.item.code
            entry = row.entry
            self.fields[field_name(code, "status")] = forms.ChoiceField(
                label=_("Where this stands"),
                choices=EntryStatus.choices,
                initial=row.status,
            )
            self.fields[field_name(code, "details")] = forms.CharField(
                label=_("Details"),
                required=False,
                max_length=MAX_DETAILS,
                initial=entry.details if entry else "",
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.fields[field_name(code, "date")] = forms.DateField(
                label=_("Date"),
                required=False,
                initial=entry.date if entry else None,
                widget=_DATE,
                input_formats=["%Y-%m-%d"],
            )

    def groups(self) -> list[tuple[ChecklistRow, list[forms.BoundField]]]:
        """Each item with its three fields, for the template."""
        return [
            (row, [self[field_name(row.item.code, part)] for part in ("status", "details", "date")])
            for row in self.rows
        ]

    def entries(self) -> dict[str, EntryInput]:
        data = self.cleaned_data
        return {
            row.item.code: EntryInput(
                status=data[field_name(row.item.code, "status")],
                details=data[field_name(row.item.code, "details")] or "",
                date=data[field_name(row.item.code, "date")],
            )
            for row in self.rows
        }


class DischargeForm(forms.Form):
    ended_on = forms.DateField(
        label=_("Last day of the stay"),
        required=False,
        initial=timezone.localdate,
        widget=_DATE,
        input_formats=["%Y-%m-%d"],
    )
    # Nothing is chosen beforehand: a reason is a staff member's own answer, never a default.
    override_code = forms.ChoiceField(
        label=_("Only if required items are still open: why the stay ends anyway"),
        help_text=_("The reason and the open items are kept, so the service can learn from it."),
        choices=OverrideReason.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    override_reason = forms.CharField(
        label=_("In your own words (needed with another reason)"),
        required=False,
        max_length=MAX_DETAILS,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class StaffTextForm(forms.Form):
    staff_text = forms.CharField(
        label=_("What staff add to the summary"),
        help_text=_("The person reads this before they approve. Any change needs their approval."),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=_("Your comment"),
        help_text=_("Kept exactly as you write it, beside the summary."),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class InPersonForm(forms.Form):
    """Staff record an approval given in person by someone without a login. Nothing ticked."""

    person_present = forms.BooleanField(
        label=_(
            "The person is here with me, has heard or read this version of the summary, "
            "and approves it"
        ),
        required=False,
    )
    said = forms.CharField(
        label=_("What the person says about it, in their words"),
        help_text=_("Write it down as they say it. It is kept as their comment, with your name."),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
