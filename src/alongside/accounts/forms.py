"""The login form, with throttling."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from alongside.accounts import throttle


class ThrottledLoginForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "That username and password do not match. Check them and try again; "
            "the password is case-sensitive."
        ),
        "throttled": _(
            "Too many failed attempts. For your safety, logging in is paused for a while. "
            "Please try again in 15 minutes, or ask your administrator for help."
        ),
    }

    def _address(self) -> str | None:
        if self.request is None:
            return None
        address = self.request.META.get("REMOTE_ADDR")
        return str(address) if address else None

    def clean(self) -> dict[str, Any]:
        username = str(self.data.get("username", ""))[:150]
        address = self._address()
        if throttle.is_locked(username, address):
            raise ValidationError(self.error_messages["throttled"], code="throttled")
        try:
            cleaned = super().clean()
        except ValidationError:
            throttle.record_attempt(username, address, succeeded=False)
            raise
        throttle.record_attempt(username, address, succeeded=True)
        return cleaned
