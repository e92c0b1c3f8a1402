"""Small helpers shared by the service modules."""

from __future__ import annotations

from typing import TypeVar

from django.db import models

ModelT = TypeVar("ModelT", bound=models.Model)


def validated(instance: ModelT, *, exclude: list[str] | None = None) -> ModelT:
    """Run the model's own validation (fields, choices, constraints) and return the instance.

    Raises ``django.core.exceptions.ValidationError`` with translated messages; views show them.
    """
    instance.full_clean(exclude=exclude)
    return instance
