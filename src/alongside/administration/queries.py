"""Reads for the administration pages. Everything is scoped to one organisation: an
administrator reaches only their own organisation's units, staff and registrations (404 for the
rest), and never a person's plan, notes or other care data."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from alongside.accounts.models import User
from alongside.administration.models import Invitation, ServiceAdministrator
from alongside.organisations.models import Organisation, StaffRole, Unit
from alongside.people.models import Person

ADMIN_ROLE = "service_admin"


def administered_organisation(user: User) -> Organisation | None:
    """The organisation this user administers today (the first by name if several)."""
    held = (
        ServiceAdministrator.objects.current()
        .filter(user=user, user__is_active=True)
        .select_related("organisation")
        .order_by("organisation__name", "pk")
        .first()
    )
    return held.organisation if held is not None else None


def administers(user_id: int, organisation_id: int) -> bool:
    return (
        ServiceAdministrator.objects.current()
        .filter(user_id=user_id, organisation_id=organisation_id, user__is_active=True)
        .exists()
    )


def units_of(organisation: Organisation) -> QuerySet[Unit]:
    return Unit.objects.filter(organisation=organisation).order_by("name", "pk")


def staff_of(organisation: Organisation) -> QuerySet[User]:
    """Everyone who holds or held a staff role in one of the organisation's units."""
    return (
        User.objects.filter(staff_roles__unit__organisation=organisation)
        .distinct()
        .order_by("display_name", "username", "pk")
    )


def roles_of(organisation: Organisation, user: User) -> QuerySet[StaffRole]:
    return (
        StaffRole.objects.filter(user=user, unit__organisation=organisation)
        .select_related("unit")
        .order_by("ended_on", "unit__name", "pk")
    )


def pending_invitations(organisation: Organisation) -> QuerySet[Invitation]:
    return (
        Invitation.objects.filter(organisation=organisation, accepted_at__isnull=True)
        .filter(revoked_at__isnull=True)
        .prefetch_related("roles__unit")
        .order_by("-created_at")
    )


def persons_of(organisation: Organisation) -> QuerySet[Person]:
    """Persons the organisation registered, or who stay or stayed in one of its units."""
    condition = Q(registrations__organisation=organisation) | Q(
        stays__unit__organisation=organisation
    )
    return Person.objects.filter(pk__in=Person.objects.filter(condition).values("pk")).order_by(
        "name", "pk"
    )


@dataclass(frozen=True)
class StaffRow:
    user: User
    roles: list[StaffRole]

    @property
    def current_roles(self) -> list[StaffRole]:
        from django.utils import timezone

        today = timezone.localdate()
        return [
            r
            for r in self.roles
            if r.started_on <= today and (r.ended_on is None or r.ended_on > today)
        ]


def staff_rows(organisation: Organisation) -> list[StaffRow]:
    """Each staff member with their roles here, in two queries."""
    users = list(staff_of(organisation))
    by_user: dict[int, list[StaffRole]] = {user.pk: [] for user in users}
    for role in (
        StaffRole.objects.filter(user_id__in=by_user, unit__organisation=organisation)
        .select_related("unit")
        .order_by("unit__name", "pk")
    ):
        by_user[role.user_id].append(role)
    return [StaffRow(user, by_user[user.pk]) for user in users]
