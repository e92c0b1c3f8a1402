"""Template context for the page shell: which navigation links this user has."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from alongside.core.roles import kinds_of


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": None}
    # Lazy: the queries run only on pages that render the navigation.
    return {"nav": SimpleLazyObject(lambda: kinds_of(user))}
