"""Reading a person's network. Callers must already hold access to the person (access layer)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from alongside.network.models import CareNetworkMembership
from alongside.network.scopes import Section
from alongside.people.models import Person


@dataclass(frozen=True)
class MemberView:
    name: str
    role_label: str
    organisation: str
    sections: list[Section]
    since: datetime
    informal: bool


def active_members(person: Person, *, now: datetime | None = None) -> list[MemberView]:
    """Who is involved now and what each may see; one query."""
    memberships = (
        CareNetworkMembership.objects.active_at(now or timezone.now())
        .filter(person=person)
        .select_related("member", "organisation")
        .order_by("started_at", "id")
    )
    return [
        MemberView(
            name=m.member.shown_name,
            role_label=m.get_role_display(),
            organisation=m.organisation.name if m.organisation else "",
            sections=list(m.sections),
            since=m.started_at,
            informal=m.is_informal,
        )
        for m in memberships
    ]
