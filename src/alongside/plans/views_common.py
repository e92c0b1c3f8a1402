"""What every plan view needs: opening the plan through the access layer, and who may write.

Reading needs the ``plan`` section. Writing needs more: the person themself, or staff (a unit
role or a professional network role). Invited family and friends read only what they are shown.
Any refusal is a 404, as everywhere.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest

from alongside import access
from alongside.network.scopes import Section
from alongside.plans.models import Goal

P = ParamSpec("P")
R = TypeVar("R")


def open_plan(request: HttpRequest, person_id: int, *, why: str) -> access.PersonAccess:
    return access.open_person(request, person_id, Section.PLAN, why=why)


def open_goal(
    request: HttpRequest, person_id: int, goal_id: int, *, why: str
) -> tuple[Goal, access.PersonAccess]:
    return access.open_record(
        request, Goal.objects.filter(person_id=person_id), goal_id, Section.PLAN, why=why
    )


def is_staff(grant: access.PersonAccess) -> bool:
    return grant.acts_as_staff


def can_contribute(grant: access.PersonAccess) -> bool:
    return grant.is_self or is_staff(grant)


def require(condition: bool) -> None:
    if not condition:
        raise Http404()


def denied_as_404(view: Callable[P, R]) -> Callable[P, R]:
    """A service's PermissionDenied becomes the same 404 as any other refusal."""

    @wraps(view)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return view(*args, **kwargs)
        except PermissionDenied as denied:
            raise Http404() from denied

    return wrapper


def add_errors(form: Form, error: ValidationError) -> None:
    """Show a service's validation error on the form: by field where it names one."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
