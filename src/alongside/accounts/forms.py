"""Forms on allauth's: the login form takes a normalised username, and checking the current
password (to change it) is throttled like a login."""

from __future__ import annotations

from typing import Any

from allauth.account.forms import ChangePasswordForm, LoginForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from alongside.accounts import throttle
from alongside.accounts.adapters import THROTTLED
from alongside.accounts.addresses import client_address
from alongside.accounts.models import normalise_username


class AlongsideLoginForm(LoginForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        data = kwargs.get("data")
        if data is not None and "login" not in data and "username" in data:
            # Older clients (and tests) post the field as "username".
            data = data.copy()
            data["login"] = data["username"]
            kwargs["data"] = data
        super().__init__(*args, **kwargs)
        self.fields["login"].label = _("Username")
        self.fields["login"].widget.attrs.pop("placeholder", None)
        self.fields["login"].widget.attrs["autocapitalize"] = "none"
        self.fields["password"].widget.attrs.pop("placeholder", None)
        self.fields["password"].help_text = ""

    def clean_login(self) -> str:
        return normalise_username(str(self.cleaned_data["login"]))


class ThrottledChangePasswordForm(ChangePasswordForm):
    """The current password is checked under the same counters as a login."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.request = kwargs.pop("request", None)
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.pop("placeholder", None)

    def clean_oldpassword(self) -> str:
        assert self.user is not None
        username = str(self.user.get_username())
        address = client_address(self.request)
        if throttle.is_locked(username, address):
            raise ValidationError(THROTTLED, code="throttled")
        try:
            value: str = super().clean_oldpassword()
        except ValidationError:
            throttle.record_attempt(username, address, succeeded=False)
            raise
        return value
