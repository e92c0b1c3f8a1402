"""What every page view needs, whatever its room: refusing as 404, and showing service errors.

Any refusal is a 404, as everywhere: ``require`` for a condition the view checks itself,
``denied_as_404`` for a service's ``PermissionDenied``. ``add_errors`` puts a service's
field-keyed ``ValidationError`` beside the field it names.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import Http404
from django.urls import reverse

P = ParamSpec("P")
R = TypeVar("R")


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


def urls_by_id(name: str, last: str, ids: list[int], **kwargs: int) -> dict[int, str]:
    """The URL ``name`` for each id in ``ids`` (its ``last`` argument), reversed once: a long list
    links every row, and reversing each link costs more than the rest of its row."""
    marker = 987654321987
    pattern = reverse(name, kwargs={**kwargs, last: marker})
    return {pk: pattern.replace(str(marker), str(pk)) for pk in ids}
