"""What kind of user is asking: decides the home page and the navigation, never data access."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from alongside.accounts.models import User
from alongside.network.models import CareNetworkMembership
from alongside.organisations.models import CARE_ROLES, Role, StaffRole
from alongside.people.models import Person


@dataclass(frozen=True)
class UserKinds:
    is_person: bool
    is_staff_member: bool
    is_supporter: bool
    # Team leaders, service managers and analysts: the insight dashboards.
    reads_insight: bool = False
    is_administrator: bool = False
    # Asked to answer the recovery-orientation survey this quarter and not yet done so.
    answers_survey: bool = False


def kinds_of(user: User | AnonymousUser) -> UserKinds:
    from alongside.administration.models import ServiceAdministrator

    if not isinstance(user, User):
        return UserKinds(False, False, False)
    is_person = Person.objects.filter(user=user).exists()
    roles = set(StaffRole.objects.current().filter(user=user).values_list("role", flat=True))
    is_staff_member = bool(roles)
    is_supporter = (
        not is_staff_member
        and CareNetworkMembership.objects.active_at(timezone.now()).filter(member=user).exists()
    )
    reads_insight = bool(roles & {Role.TEAM_LEADER, Role.SERVICE_MANAGER, Role.ANALYST})
    from alongside.insight.services import survey_due

    is_administrator = ServiceAdministrator.objects.current().filter(user=user).exists()
    # Only persons and care staff answer the survey: nobody else pays for the question.
    answers_survey = (is_person or bool(roles & set(CARE_ROLES))) and survey_due(user)
    return UserKinds(
        is_person, is_staff_member, is_supporter, reads_insight, is_administrator, answers_survey
    )


def primary_role(user: User) -> str:
    """The role named in audit events for pages that are not about one person (lists)."""
    return current_staff_role(user) or "user"


def current_staff_role(user: User) -> str | None:
    """The user's first current staff role, or ``None`` for someone who is not staff now."""
    role = (
        StaffRole.objects.current().filter(user=user).order_by("id").values_list("role", flat=True)
    ).first()
    return None if role is None else str(role)
