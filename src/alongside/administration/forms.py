"""Forms of the administration pages. They carry values; the rules live in the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alongside.administration.identifiers import KIND_CPR, KIND_LOCAL
from alongside.discharge.models import OverrideReason
from alongside.organisations.models import Role, StaffRole, Unit, UnitKind
from alongside.people.models import StayKind


def _date(**kwargs: Any) -> forms.DateField:
    return forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
        **kwargs,
    )


class UnitForm(forms.Form):
    code = forms.SlugField(
        label=_("Code"),
        max_length=64,
        help_text=_("A short stable name, for example ward-b. It cannot change later."),
    )
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=UnitKind.choices)


class UnitEditForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=UnitKind.choices)


class InviteForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    email = forms.EmailField(label=_("Email"))
    days = forms.IntegerField(
        label=_("The link works for (days)"), min_value=1, max_value=30, initial=7
    )


class RoleForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    started_on = _date(label=_("Starts on"))
    ended_on = _date(label=_("Ends on (optional)"), required=False)

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit_field = self.fields["unit"]
        assert isinstance(unit_field, forms.ModelChoiceField)
        unit_field.queryset = units
        self.fields["started_on"].initial = timezone.localdate()


class RoleChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: StaffRole) -> str:
        return f"{obj.get_role_display()}, {obj.unit.name}"


class PersonRoleChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: StaffRole) -> str:
        return f"{obj.user.shown_name} ({obj.get_role_display()}, {obj.unit.name})"


class ChangeRoleForm(forms.Form):
    role_id = RoleChoiceField(label=_("Role now"), queryset=StaffRole.objects.none())
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    role = forms.ChoiceField(label=_("New role"), choices=Role.choices)

    def __init__(
        self, *args: Any, units: QuerySet[Unit], roles: QuerySet[StaffRole], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        unit_field = self.fields["unit"]
        assert isinstance(unit_field, forms.ModelChoiceField)
        unit_field.queryset = units
        role_field = self.fields["role_id"]
        assert isinstance(role_field, forms.ModelChoiceField)
        role_field.queryset = roles


LANGUAGE_CHOICES = [(code, name) for code, name in settings.LANGUAGES]


class PersonForm(forms.Form):
    name = forms.CharField(label=_("Full name"), max_length=200)
    preferred_name = forms.CharField(label=_("Preferred name"), max_length=100, required=False)
    pronouns = forms.CharField(label=_("Pronouns"), max_length=50, required=False)
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        choices=LANGUAGE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    date_of_birth = _date(label=_("Date of birth"), required=False)
    cpr = forms.CharField(
        label=_("CPR number"),
        max_length=20,
        required=False,
        help_text=_("10 digits, DDMMYY-XXXX. The date of birth follows from it."),
    )
    local_number = forms.CharField(
        label=_("Hospital or local record number"), max_length=40, required=False
    )
    confirm_similar = forms.BooleanField(
        label=_("I have checked: this is a different person"), required=False
    )

    def identifiers(self) -> list[tuple[str, str]]:
        return [
            (KIND_CPR, self.cleaned_data.get("cpr") or ""),
            (KIND_LOCAL, self.cleaned_data.get("local_number") or ""),
        ]


class PersonEditForm(forms.Form):
    name = forms.CharField(label=_("Full name"), max_length=200)
    preferred_name = forms.CharField(label=_("Preferred name"), max_length=100, required=False)
    pronouns = forms.CharField(label=_("Pronouns"), max_length=50, required=False)
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        choices=LANGUAGE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class AdmitForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    kind = forms.ChoiceField(label=_("Kind of stay"), choices=StayKind.choices)
    started_on = _date(label=_("Starts on"))

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit_field = self.fields["unit"]
        assert isinstance(unit_field, forms.ModelChoiceField)
        unit_field.queryset = units
        self.fields["started_on"].initial = timezone.localdate()


class TransferForm(forms.Form):
    to_unit = forms.ModelChoiceField(label=_("Move to unit"), queryset=Unit.objects.none())
    on = _date(label=_("On"))

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit_field = self.fields["to_unit"]
        assert isinstance(unit_field, forms.ModelChoiceField)
        unit_field.queryset = units
        self.fields["on"].initial = timezone.localdate()


class KeyWorkerForm(forms.Form):
    staff_role = PersonRoleChoiceField(label=_("Key worker"), queryset=StaffRole.objects.none())

    def __init__(self, *args: Any, candidates: list[StaffRole], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["staff_role"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = StaffRole.objects.filter(pk__in=[c.pk for c in candidates]).select_related(
            "user", "unit"
        )


class EndStayForm(forms.Form):
    ended_on = _date(label=_("Ended on"))
    # Nothing is chosen beforehand: a reason is a staff member's own answer, never a default.
    override_code = forms.ChoiceField(
        label=_("Reason for ending with checklist items still open (if any)"),
        choices=OverrideReason.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    override_reason = forms.CharField(
        label=_("In your own words (needed with another reason)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ended_on"].initial = timezone.localdate()


class ActivationForm(forms.Form):
    email = forms.EmailField(
        label=_("Send a link to this email instead (optional)"),
        required=False,
        help_text=_("Leave empty to show a code and QR code to give or print."),
    )


class PasswordForm(forms.Form):
    password = forms.CharField(
        label=_("Choose a password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        strip=False,
    )
    password_again = forms.CharField(
        label=_("The same password again"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        strip=False,
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Your activation code"),
        max_length=40,
        help_text=_("The code on the paper the staff gave you, for example ABCD-EFGH-JKMN."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "characters"}
        ),
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        required=False,
        help_text=_("Units, staff or persons with stays; see the documented columns."),
    )
    content = forms.CharField(widget=forms.HiddenInput, required=False)
    name = forms.CharField(widget=forms.HiddenInput, required=False)
