"""Writing to the audit log. Every read and write of person data passes through here.

``Actor`` names who acts and in which role; the service functions and the access layer take one and
record it with each event.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import models
from django.http import HttpRequest

from alongside.accounts.addresses import client_address
from alongside.accounts.models import User
from alongside.audit.models import AuditAction, AuditEvent

SYSTEM_ROLE = "system"


@dataclass(frozen=True)
class Actor:
    """Who acts, and in which role (a staff role code, ``person``, a supporter relation, ...)."""

    user: User | None
    role: str

    @classmethod
    def system(cls) -> Actor:
        """The platform itself: generators, migrations, scheduled work."""
        return cls(user=None, role=SYSTEM_ROLE)

    @property
    def name(self) -> str:
        return self.user.shown_name if self.user is not None else SYSTEM_ROLE


def _client_address(request: HttpRequest | None) -> str | None:
    return client_address(request)


def _event(
    actor: Actor,
    action: AuditAction,
    *,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    person_id: int | None = None,
    why: str = "",
    request: HttpRequest | None = None,
) -> AuditEvent:
    if obj is not None:
        object_type = obj._meta.label
        object_id = str(obj.pk)
    return AuditEvent(
        actor_id=actor.user.pk if actor.user is not None else None,
        actor_name=actor.name[:150],
        role=actor.role,
        action=action,
        object_type=object_type,
        object_id=object_id,
        person_id=person_id,
        why=why,
        path=request.path[:300] if request is not None else "",
        address=_client_address(request),
    )


def record(
    actor: Actor,
    action: AuditAction,
    *,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    person_id: int | None = None,
    why: str = "",
    request: HttpRequest | None = None,
) -> AuditEvent:
    """Append one event."""
    event = _event(
        actor,
        action,
        obj=obj,
        object_type=object_type,
        object_id=object_id,
        person_id=person_id,
        why=why,
        request=request,
    )
    event.save()
    return event


def record_list(
    actor: Actor,
    object_type: str,
    person_ids: Iterable[int],
    *,
    why: str,
    request: HttpRequest | None = None,
) -> None:
    """Append one ``list`` event per person shown on a list page, in a single query."""
    AuditEvent.objects.bulk_create(
        _event(
            actor,
            AuditAction.LIST,
            object_type=object_type,
            object_id=str(person_id),
            person_id=person_id,
            why=why,
            request=request,
        )
        for person_id in person_ids
    )


def record_many(
    actor: Actor,
    action: AuditAction,
    objects: Iterable[tuple[models.Model, int | None]],
    *,
    why: str = "",
) -> None:
    """Append one event per (object, person id) in batched queries (bulk imports)."""
    AuditEvent.objects.bulk_create(
        (
            _event(actor, action, obj=obj, person_id=person_id, why=why)
            for obj, person_id in objects
        ),
        batch_size=1000,
    )
