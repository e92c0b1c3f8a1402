"""Who is told: the person themself, and the staff who work with them most closely.

Recipients are computed afresh when something happens, from the same relationships the access
layer uses (network membership, staff roles on the unit of an active stay), so a key worker who
has moved on is not told.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime

from django.utils import timezone

from alongside.accounts.models import User
from alongside.network.models import CareNetworkMembership
from alongside.organisations.models import OrganisationKind, Role, StaffRole
from alongside.people.models import Person, Stay, StayStatus


def key_worker_ids(person_ids: Iterable[int], moment: datetime) -> dict[int, set[int]]:
    """User ids of each person's key workers: in their network, or in the unit they stay in."""
    ids = set(person_ids)
    found: dict[int, set[int]] = defaultdict(set)
    for person_id, user_id in (
        CareNetworkMembership.objects.active_at(moment)
        .filter(person_id__in=ids, role=Role.KEY_WORKER)
        .values_list("person_id", "member_id")
    ):
        found[person_id].add(user_id)
    units: dict[int, set[int]] = defaultdict(set)
    for person_id, unit_id in Stay.objects.filter(
        person_id__in=ids, status=StayStatus.ACTIVE
    ).values_list("person_id", "unit_id"):
        units[unit_id].add(person_id)
    for unit_id, user_id in (
        StaffRole.objects.current()
        .filter(unit_id__in=units, role=Role.KEY_WORKER)
        .values_list("unit_id", "user_id")
    ):
        for person_id in units[unit_id]:
            found[person_id].add(user_id)
    return found


def municipality_member_ids(person_ids: Iterable[int], moment: datetime) -> dict[int, set[int]]:
    """User ids of each person's active network members from a municipality who see the plan:
    the municipality's part in a coordinated review."""
    found: dict[int, set[int]] = defaultdict(set)
    for person_id, user_id in (
        CareNetworkMembership.objects.active_at(moment)
        .filter(
            person_id__in=set(person_ids),
            organisation__kind=OrganisationKind.MUNICIPALITY,
            sees_plan=True,
            member__is_active=True,
        )
        .values_list("person_id", "member_id")
    ):
        found[person_id].add(user_id)
    return found


def key_workers(person: Person, *, besides: Iterable[User] = ()) -> list[User]:
    """The person's key workers now, and ``besides`` (e.g. the author of what was commented on),
    without the person themself."""
    ids = key_worker_ids([person.pk], timezone.now()).get(person.pk, set())
    ids |= {user.pk for user in besides}
    ids.discard(person.user_id or 0)
    return list(User.objects.filter(pk__in=ids, is_active=True).order_by("pk"))


def the_person(person: Person, *, unless: User | None = None) -> list[User]:
    """The person's own login, if they have an active one and did not do the thing themself."""
    user = person.user
    if user is None or not user.is_active or (unless is not None and unless.pk == user.pk):
        return []
    return [user]
