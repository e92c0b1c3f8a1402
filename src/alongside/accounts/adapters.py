"""How allauth fits Alongside: our throttle, our client address, no public sign-up, encrypted
TOTP secrets, and single sign-on that only ever finds existing accounts."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialLogin
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from alongside.accounts import security, throttle
from alongside.accounts.addresses import client_address
from alongside.accounts.models import User, normalise_username
from alongside.audit.log import Actor, record
from alongside.audit.models import AuditAction

INVALID_LOGIN = _(
    "That username and password do not match. Check them and try again; "
    "the password is case-sensitive."
)
THROTTLED = _(
    "Too many failed attempts. For your safety, logging in is paused for a while. "
    "Please try again in 15 minutes, or ask your administrator for help."
)


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "username_password_mismatch": INVALID_LOGIN,
        "too_many_login_attempts": THROTTLED,
        "invalid_login": INVALID_LOGIN,
    }

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def get_client_ip(self, request: HttpRequest) -> str:
        return client_address(request) or "0.0.0.0"  # noqa: S104  (an unknown client)

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        if throttle.is_locked(str(credentials.get("username", "")), client_address(request)):
            raise self.validation_error("too_many_login_attempts")

    def authenticate(self, request: HttpRequest, **credentials: Any) -> AbstractBaseUser | None:
        if "username" in credentials:
            credentials["username"] = normalise_username(str(credentials["username"]))
        user = super().authenticate(request, **credentials)
        throttle.record_attempt(
            str(credentials.get("username", "")), client_address(request), succeeded=bool(user)
        )
        return user

    def set_password(self, user: AbstractBaseUser, password: str) -> None:
        """Every password a user sets through allauth (change, reset) is their own."""
        user.set_password(password)
        if isinstance(user, User):
            user.must_change_password = False
        user.save()


class MFAAdapter(DefaultMFAAdapter):
    def encrypt(self, text: str) -> str:
        return security.encrypt(text)

    def decrypt(self, encrypted_text: str) -> str:
        return security.decrypt(encrypted_text)


def _claim_user(sociallogin: SocialLogin) -> User | None:
    data = sociallogin.account.extra_data
    claims = data.get("userinfo") or data.get("id_token") or data
    value = claims.get(settings.SSO_CLAIM) if isinstance(claims, dict) else None
    if not isinstance(value, str) or not value.strip():
        return None
    field = settings.SSO_USER_FIELD
    matches = list(User.objects.filter(**{f"{field}__iexact": value.strip()}, is_active=True)[:2])
    # Two accounts answering to one claim is a configuration problem: refuse rather than guess.
    return matches[0] if len(matches) == 1 else None


class SingleSignOnAdapter(DefaultSocialAccountAdapter):
    """Single sign-on finds an existing account by the configured claim, links it on first use,
    and never creates one: an unknown subject is refused with a clear page."""

    def is_open_for_signup(self, request: HttpRequest, sociallogin: SocialLogin) -> bool:
        return False

    def pre_social_login(self, request: HttpRequest, sociallogin: SocialLogin) -> None:
        if sociallogin.is_existing:
            return
        user = _claim_user(sociallogin)
        if user is None:
            record(
                Actor.system(),
                AuditAction.LOGIN_FAILED,
                why=f"single sign-on: no account for subject {sociallogin.account.uid}"[:500],
                request=request,
            )
            raise ImmediateHttpResponse(render(request, "accounts/sso_refused.html", status=403))
        sociallogin.connect(request, user)
