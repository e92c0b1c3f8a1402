"""Builds the demo world through the service layer, so it is audited like any other write.

Idempotent: if the demo organisation exists, nothing is created again.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from alongside.accounts.models import User
from alongside.accounts.services import create_user
from alongside.audit.log import Actor
from alongside.audit.services import set_privacy_contact
from alongside.demo import content
from alongside.demo.coordination_content import add_demo_coordination
from alongside.demo.narratives_content import add_demo_narratives
from alongside.demo.plans_content import add_demo_plans
from alongside.demo.rights_content import add_demo_rights
from alongside.network import services as network_services
from alongside.network.scopes import Section
from alongside.organisations import services as organisation_services
from alongside.organisations.models import Organisation, Role, Unit
from alongside.people import services as people_services
from alongside.people.models import StayKind
from alongside.relationship.models import ContactKind
from alongside.relationship.services import record_contact


def demo_world_exists() -> bool:
    return Organisation.objects.filter(code=content.DEMO_MARKER_ORGANISATION).exists()


def _moment(today: date, days_ago: int, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(today - timedelta(days=days_ago), time(hour, 0)))


@transaction.atomic
def build_demo_world(today: date | None = None) -> bool:
    """Create the demo world. Returns False (and changes nothing) if it is already there."""
    if demo_world_exists():
        return False
    today = today or timezone.localdate()
    system = Actor.system()

    organisations: dict[str, Organisation] = {}
    units: dict[str, Unit] = {}
    for org_spec in content.ORGANISATIONS:
        organisation = organisation_services.create_organisation(
            system, code=org_spec["code"], name=org_spec["name"], kind=org_spec["kind"]
        )
        organisations[organisation.code] = organisation
        for code, name, kind in org_spec["units"]:
            units[code] = organisation_services.create_unit(
                system, organisation, code=code, name=name, kind=kind
            )

    users: dict[str, User] = {}
    for staff in content.STAFF:
        user = create_user(
            staff["username"],
            content.DEMO_PASSWORD,
            display_name=staff["name"],
            preferred_language=staff["language"],
        )
        users[user.username] = user
        for unit_code, role in staff["roles"]:
            organisation_services.assign_role(
                system, user, units[unit_code], Role(role), started_on=today - timedelta(days=2000)
            )
    for username, name, language in content.SUPPORTERS:
        users[username] = create_user(
            username, content.DEMO_PASSWORD, display_name=name, preferred_language=language
        )

    for spec in content.PERSONS:
        login = None
        if spec["username"]:
            login = create_user(
                spec["username"],
                content.DEMO_PASSWORD,
                display_name=spec["preferred_name"] or spec["name"],
                preferred_language=spec["languages"][0],
            )
        person = people_services.register_person(
            system,
            name=spec["name"],
            user=login,
            preferred_name=spec["preferred_name"],
            pronouns=spec["pronouns"],
            languages=spec["languages"],
            date_of_birth=date.fromisoformat(spec["born"]),
            about_me=spec["about_me"],
        )
        if spec["stay"] is not None:
            unit_code, kind, started_ago, ended_ago = spec["stay"]
            review = spec["review_in_days"]
            stay = people_services.start_stay(
                system,
                person,
                units[unit_code],
                kind=StayKind(kind),
                started_on=today - timedelta(days=started_ago),
                next_review_on=today + timedelta(days=review) if review is not None else None,
            )
            if ended_ago is not None:
                people_services.end_stay(system, stay, ended_on=today - timedelta(days=ended_ago))
        for member in spec["network"]:
            org_code = member["organisation"]
            member_organisation = organisations[org_code] if org_code else None
            membership = network_services.add_member(
                system,
                person,
                users[member["username"]],
                role=member["role"],
                organisation=member_organisation,
                sections=[Section(code) for code in member["sections"]],
                started_at=_moment(today, member["days_ago"]),
            )
            if member["ended_days_ago"] is not None:
                network_services.end_membership(
                    system, membership, at=_moment(today, member["ended_days_ago"])
                )
        for staff_username, kind, days_ago, minutes in spec["contacts"]:
            record_contact(
                system,
                person,
                users[staff_username],
                kind=ContactKind(kind),
                occurred_at=_moment(today, days_ago, hour=9 + days_ago % 7),
                duration_minutes=minutes,
            )
    add_demo_plans()
    add_demo_rights()
    add_demo_narratives()
    add_demo_coordination()
    # Line, the team leader, answers the hospital's questions about access to records.
    set_privacy_contact(system, organisations["fjordby-mhc"], users["line"])
    return True
