"""Users and login attempts.

One user model serves staff, persons and invited supporters alike; what a user may do follows from
their relationships (a staff role in a unit, being a person, a care-network membership), never from
flags on the user.
"""

from __future__ import annotations

import unicodedata
import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """Anyone who logs in. The display name is what others see on entries they write."""

    fhir_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    display_name = models.CharField(_("display name"), max_length=150, blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, choices=settings.LANGUAGES, blank=True
    )
    # Set when someone else chose the password (a temporary password): the user must choose
    # their own before anything else.
    must_change_password = models.BooleanField(_("must change password"), default=False)
    # Part of every session's authentication hash: raising it ends all the user's sessions.
    session_epoch = models.PositiveIntegerField(default=0, editable=False)

    def __str__(self) -> str:
        return self.shown_name

    @property
    def shown_name(self) -> str:
        return self.display_name or self.get_full_name() or self.username

    def _get_session_auth_hash(self, secret: str | None = None) -> str:
        key_salt = "alongside.accounts.User.session_auth_hash"
        value = f"{self.password}:{self.session_epoch}"
        return salted_hmac(key_salt, value, secret=secret, algorithm="sha256").hexdigest()


def normalise_username(value: str) -> str:
    """The one form of a username used to count attempts and to find the account: Unicode NFKC
    (full-width letters become plain ones), no surrounding whitespace, case-folded."""
    return unicodedata.normalize("NFKC", value).strip().casefold()[:150]


class OrganisationSecurity(models.Model):
    """An organisation's security choices for its staff."""

    organisation = models.OneToOneField(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        related_name="security",
        verbose_name=_("organisation"),
    )
    mfa_required = models.BooleanField(_("staff must use two-step verification"), default=False)

    class Meta:
        verbose_name = _("organisation security")

    def __str__(self) -> str:
        return f"{self.organisation} security"


class LoginAttempt(models.Model):
    """One login attempt, kept for throttling; shared by every app server through the database.

    ``scope`` keeps counters apart: ``login`` (logins and password checks, keyed by the
    normalised username) and ``activation`` (activation codes, keyed by a hash of the code)."""

    username = models.CharField(max_length=150)
    scope = models.CharField(max_length=20, default="login")
    address = models.GenericIPAddressField(null=True, blank=True)
    succeeded = models.BooleanField(default=False)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(fields=["username", "at"]),
            models.Index(fields=["address", "at"]),
            models.Index(fields=["at"]),
            models.Index(fields=["scope", "address", "at"], name="accounts_attempt_scope_addr"),
        ]

    def __str__(self) -> str:
        return f"{self.username} {self.at:%Y-%m-%d %H:%M} {'ok' if self.succeeded else 'failed'}"
