"""What kind of user is asking: decides the home page and the navigation, never data access."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists
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
    """What kind of user this is, in one query: every page's navigation asks."""
    from alongside.administration.models import ServiceAdministrator
    from alongside.insight.services import surveys_due

    if not isinstance(user, User):
        return UserKinds(False, False, False)
    roles = StaffRole.objects.current().filter(user=user)
    flags = (
        User.objects.filter(pk=user.pk)
        .annotate(
            is_person=Exists(Person.objects.filter(user=user)),
            is_staff_member=Exists(roles),
            has_care_role=Exists(roles.filter(role__in=CARE_ROLES)),
            reads_insight=Exists(
                roles.filter(role__in=[Role.TEAM_LEADER, Role.SERVICE_MANAGER, Role.ANALYST])
            ),
            in_a_network=Exists(
                CareNetworkMembership.objects.active_at(timezone.now()).filter(member=user)
            ),
            is_administrator=Exists(ServiceAdministrator.objects.current().filter(user=user)),
            survey_open=Exists(surveys_due(user)),
        )
        .values(
            "is_person",
            "is_staff_member",
            "has_care_role",
            "reads_insight",
            "in_a_network",
            "is_administrator",
            "survey_open",
        )
        .first()
    )
    if flags is None:
        return UserKinds(False, False, False)
    return UserKinds(
        is_person=flags["is_person"],
        is_staff_member=flags["is_staff_member"],
        is_supporter=not flags["is_staff_member"] and flags["in_a_network"],
        reads_insight=flags["reads_insight"],
        is_administrator=flags["is_administrator"],
        # Only persons and care staff answer the survey.
        answers_survey=(flags["is_person"] or flags["has_care_role"]) and flags["survey_open"],
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
