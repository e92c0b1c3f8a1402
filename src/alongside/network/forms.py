"""Forms of the network page: who may see which sections, inviting staff and supporters.

The rules live in ``services``; the forms carry the choices and show the services' errors beside
the fields they name. Staff acting for the person tick ``with_person`` to say the person is with
them and agrees; the audit records it.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from alongside.network.models import SupporterRelation
from alongside.network.scopes import Section
from alongside.organisations.models import StaffRole


class _WithPersonForm(forms.Form):
    """Adds the "together with the person" tick for staff; the person themself never sees it."""

    with_person = forms.BooleanField(required=False)

    def __init__(self, *args: Any, person_name: str = "", staff: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.staff = staff
        if staff:
            self.fields["with_person"].label = _("%(name)s is with me and agrees to this") % {
                "name": person_name
            }
            self.fields["with_person"].help_text = _(
                "Changes to the network are the person's choice. Make them together."
            )
        else:
            del self.fields["with_person"]

    def clean_with_person(self) -> bool:
        together = bool(self.cleaned_data.get("with_person"))
        if self.staff and not together:
            raise ValidationError(
                _("Make this change together with the person, and tick the box to say so.")
            )
        return together


class SectionsForm(_WithPersonForm):
    sections = forms.MultipleChoiceField(
        choices=Section.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    field_order = ["sections", "with_person"]

    def chosen(self) -> list[Section]:
        return [Section(value) for value in self.cleaned_data.get("sections", [])]


class EndForm(_WithPersonForm):
    pass


class InviteStaffForm(SectionsForm):
    member = forms.ModelChoiceField(
        label=_("Staff member"),
        queryset=StaffRole.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": _("Choose the staff member to invite.")},
    )
    q = forms.CharField(required=False, widget=forms.HiddenInput)

    field_order = ["member", "sections", "with_person"]

    def __init__(self, *args: Any, choices: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["member"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = StaffRole.objects.current().select_related("user", "unit__organisation")
        if choices is not None:
            field.choices = [(role.pk, label) for role, label in choices]
        self.fields["sections"].label = _("What they may see")


class InviteSupporterForm(SectionsForm):
    name = forms.CharField(
        label=_("Their name"),
        required=False,
        max_length=150,
        help_text=_("As they want it shown, for example: Anders Holm."),
    )
    relation = forms.ChoiceField(
        label=_("Who they are to you"),
        choices=SupporterRelation.choices,
        widget=forms.RadioSelect,
        required=False,
    )

    field_order = ["name", "relation", "sections", "with_person"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sections"].label = _("What they may see")


class ActivateForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        help_text=_("The code the person who invited you gave you."),
    )
    password = forms.CharField(
        label=_("Choose a password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password_again = forms.CharField(
        label=_("The same password again"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("password") != cleaned.get("password_again"):
            self.add_error("password_again", _("The two passwords are not the same."))
        return cleaned


class CardForm(_WithPersonForm):
    """Printing a new card of codes. Staff print one only with the person, who takes it."""

    def __init__(self, *args: Any, person_name: str = "", staff: bool = False, **kwargs: Any):
        super().__init__(*args, person_name=person_name, staff=staff, **kwargs)
        if staff:
            self.fields["with_person"].label = _("%(name)s is here with me and takes the card") % {
                "name": person_name
            }
            self.fields["with_person"].help_text = _(
                "You see the codes once, when the card is printed. A card you print never "
                "confirms your own proposals."
            )
