"""What every plan view needs: opening the plan through the access layer, and who may write.

Reading needs the ``plan`` section. Writing needs more: the person themself, or staff (a unit
role or a professional network role). Invited family and friends read only what they are shown.
Any refusal is a 404, as everywhere (``alongside.core.pages``).
"""

from __future__ import annotations

from django.http import HttpRequest

from alongside import access
from alongside.network.scopes import Section
from alongside.plans.models import Goal


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
