"""Writes to accounts: creating users and remembering each user's language."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from alongside.accounts.models import User

LANGUAGE_CODES = frozenset(code for code, _label in settings.LANGUAGES)


def create_user(
    username: str,
    password: str | None,
    *,
    display_name: str = "",
    email: str = "",
    preferred_language: str = "",
) -> User:
    """Create a login. ``password=None`` makes an account that cannot log in yet."""
    user = User(
        username=username,
        display_name=display_name,
        email=email,
        preferred_language=preferred_language,
    )
    if password is None:
        user.set_unusable_password()
    else:
        user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    return user


def set_preferred_language(user: User, language: str) -> None:
    if language not in LANGUAGE_CODES:
        raise ValidationError(_("That language is not available."))
    if user.preferred_language != language:
        user.preferred_language = language
        user.save(update_fields=["preferred_language"])
