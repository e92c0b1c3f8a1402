"""The access layer: the only way to fetch person-scoped data.

Access is derived from relationships, freshly on every request:

1. **self**: the person's own login sees everything about them;
2. **network**: an active care-network membership sees the sections its scope names;
3. **unit**: a care role (see ``CARE_ROLES``) in a unit where the person has an active stay sees
   every section, for as long as both the role and the stay last;
4. **break-glass**: a clinician of a hospital where the person has an active stay who stated a
   reason (``safety.services.break_glass``) sees the crisis plan only, for a few hours; it is
   audited and the person and their key worker are notified;
5. **follow-up**: after a stay ends, the care staff of that unit keep *read* access to every
   section for ``settings.FOLLOW_UP_DAYS`` days (default 30), to write the discharge letter and
   follow up. ``open_person`` and ``open_record`` refuse anything but reading on this basis.

Nothing else grants access. A request without access is answered with 404, exactly like a request
for a person who does not exist, so existence never leaks. Every granted read is written to the
audit log with the relationship it rests on.

Views call ``open_person`` (one person), ``open_record`` (one object that belongs to a person) or
``visible_persons`` (lists); they never query person-scoped models directly.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone

from alongside.accounts.models import User
from alongside.audit.log import Actor, record, record_list
from alongside.audit.models import AuditAction
from alongside.narratives.models import AnalystRole, NarrativeProject, ProjectMember
from alongside.network.models import CareNetworkMembership, SupporterRelation
from alongside.network.scopes import ALL_SECTIONS, SECTION_FIELD, Section
from alongside.organisations.models import CARE_ROLES, OrganisationKind, Role, StaffRole
from alongside.people.models import Person, Stay, StayStatus
from alongside.safety.models import BreakGlassAccess

security_log = logging.getLogger("alongside.security")

PERSON_ROLE = "person"

# When one user has several unit roles for the same person, the one named first here is recorded.
_ROLE_ORDER = {code: index for index, code in enumerate(Role.values)}


class Basis(StrEnum):
    SELF = "self"
    NETWORK = "network"
    UNIT = "unit"
    BREAK_GLASS = "break_glass"
    FOLLOW_UP = "follow_up"


@dataclass(frozen=True)
class PersonAccess:
    """What one user may see of one person, and on which relationship that rests."""

    user: User
    person: Person
    basis: Basis
    role: str
    sections: frozenset[Section]

    def allows(self, section: Section) -> bool:
        return section in self.sections

    @property
    def actor(self) -> Actor:
        return Actor(user=self.user, role=self.role)

    @property
    def is_self(self) -> bool:
        return self.basis is Basis.SELF

    @property
    def acts_as_staff(self) -> bool:
        """Staff of the unit, or a professional in the network (not family or friends)."""
        return self.basis is Basis.UNIT or self.role in Role.values


SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def follow_up_since(moment: datetime) -> date:
    """Stays that ended on or after this day still give their unit read access."""
    days = int(getattr(settings, "FOLLOW_UP_DAYS", 30))
    return timezone.localdate(moment) - timedelta(days=days)


def _authenticated(user: User | AnonymousUser) -> User | None:
    return user if isinstance(user, User) and user.is_active else None


def resolve_access(
    user: User | AnonymousUser, person_id: int, *, now: datetime | None = None
) -> PersonAccess | None:
    """Work out what ``user`` may see of the person, or ``None``. Writes nothing."""
    viewer = _authenticated(user)
    if viewer is None:
        return None
    person = Person.objects.filter(pk=person_id).first()
    if person is None:
        return None
    if person.user_id is not None and person.user_id == viewer.pk:
        return PersonAccess(viewer, person, Basis.SELF, PERSON_ROLE, ALL_SECTIONS)

    moment = now or timezone.now()
    memberships = list(
        CareNetworkMembership.objects.active_at(moment).filter(person=person, member=viewer)
    )
    unit_roles = sorted(
        set(
            StaffRole.objects.current(timezone.localdate(moment))
            .filter(
                user=viewer,
                role__in=CARE_ROLES,
                unit__stays__person=person,
                unit__stays__status=StayStatus.ACTIVE,
            )
            .values_list("role", flat=True)
        ),
        key=lambda code: _ROLE_ORDER.get(code, len(_ROLE_ORDER)),
    )
    emergency = (
        None
        if unit_roles
        else BreakGlassAccess.objects.filter(person=person, user=viewer, expires_at__gt=moment)
        .values_list("role", flat=True)
        .first()
    )
    follow_up = (
        []
        if unit_roles
        else sorted(
            set(
                StaffRole.objects.current()
                .filter(
                    user=viewer,
                    role__in=CARE_ROLES,
                    unit__stays__person=person,
                    unit__stays__status=StayStatus.ENDED,
                    unit__stays__ended_on__gte=follow_up_since(moment),
                )
                .values_list("role", flat=True)
            ),
            key=lambda code: _ROLE_ORDER.get(code, len(_ROLE_ORDER)),
        )
    )
    if follow_up:
        network_sections: frozenset[Section] = frozenset().union(*(m.sections for m in memberships))
        if network_sections != ALL_SECTIONS:
            # Reading only, on every section; their network role, if any, is the one recorded.
            role = memberships[0].role if memberships else follow_up[0]
            return PersonAccess(viewer, person, Basis.FOLLOW_UP, role, ALL_SECTIONS)
    if not memberships and not unit_roles:
        if emergency is None:
            return None
        return PersonAccess(
            viewer, person, Basis.BREAK_GLASS, emergency, frozenset({Section.CRISIS_PLAN})
        )

    sections: frozenset[Section] = frozenset().union(*(m.sections for m in memberships))
    if unit_roles:
        sections = ALL_SECTIONS
    elif emergency is not None:
        # A network member who broke the glass sees the crisis plan too, as ``visible_persons``
        # says; the membership stays the basis recorded.
        sections |= {Section.CRISIS_PLAN}
    # The role recorded is the one that describes the relationship to this person best: a
    # network role (their key worker, their caseworker) before a role held in the unit.
    role = memberships[0].role if memberships else unit_roles[0]
    basis = Basis.UNIT if unit_roles else Basis.NETWORK
    if not sections:
        return None
    return PersonAccess(viewer, person, basis, role, sections)


class Ground(StrEnum):
    """Why someone can see a person, as shown to her (see ``who_can_see``)."""

    NETWORK = "network"  # she (or staff with her) put them in her network
    KEY_WORKER = "key_worker"  # in her network as her key worker
    WARD = "ward"  # a care role in the unit of an active stay
    FOLLOW_UP = "follow_up"  # a care role in the unit of a stay that ended recently (reads only)
    EMERGENCY = "emergency"  # broke the glass, with a reason, for a few hours


@dataclass(frozen=True)
class Reason:
    """One relationship that lets a user see the person. ``membership_id`` is set for the
    grounds she can change herself (a network membership); the others she cannot."""

    ground: Ground
    role: str
    place: str
    sections: frozenset[Section]
    detail: str = ""
    until: datetime | None = None
    membership_id: int | None = None
    unit_kind: str = ""

    @property
    def she_can_change(self) -> bool:
        return self.membership_id is not None


@dataclass(frozen=True)
class Viewer:
    """Someone who can see something of the person now: what ``resolve_access`` gives them,
    and every relationship it rests on."""

    access: PersonAccess
    reasons: tuple[Reason, ...]

    @property
    def user(self) -> User:
        return self.access.user

    @property
    def sections(self) -> frozenset[Section]:
        return self.access.sections

    @property
    def fixed_by_others(self) -> bool:
        """True when something she cannot change already gives them every section she could
        take away: then changing their network sections changes nothing today."""
        fixed: frozenset[Section] = frozenset().union(
            *(r.sections for r in self.reasons if not r.she_can_change)
        )
        return bool(fixed) and fixed >= self.sections


def who_can_see(person: Person, *, now: datetime | None = None) -> list[Viewer]:
    """Everyone who can see anything of ``person`` now, other than she herself, with what each
    can see and why. The sections come from ``resolve_access`` itself, so what the person is
    told is what the access layer does. Writes nothing."""
    moment = now or timezone.now()
    reasons: dict[int, list[Reason]] = {}
    users: dict[int, User] = {}
    memberships = (
        CareNetworkMembership.objects.active_at(moment)
        .filter(person=person)
        .select_related("member", "organisation")
        .order_by("started_at", "pk")
    )
    for membership in memberships:
        users[membership.member_id] = membership.member
        reasons.setdefault(membership.member_id, []).append(
            Reason(
                Ground.KEY_WORKER if membership.role == Role.KEY_WORKER else Ground.NETWORK,
                membership.role,
                membership.organisation.name if membership.organisation else "",
                frozenset(membership.sections),
                until=membership.ended_at,
                membership_id=membership.pk,
            )
        )
    staying = Stay.objects.filter(person=person, status=StayStatus.ACTIVE).values("unit_id")
    unit_roles = (
        StaffRole.objects.current()
        .filter(role__in=CARE_ROLES, unit_id__in=staying)
        .select_related("user", "unit")
        .order_by("unit__name", "pk")
    )
    for staff_role in unit_roles:
        users[staff_role.user_id] = staff_role.user
        reasons.setdefault(staff_role.user_id, []).append(
            Reason(
                Ground.WARD,
                staff_role.role,
                staff_role.unit.name,
                ALL_SECTIONS,
                unit_kind=staff_role.unit.kind,
            )
        )
    ended = dict(
        Stay.objects.filter(
            person=person, status=StayStatus.ENDED, ended_on__gte=follow_up_since(moment)
        )
        .order_by("ended_on")
        .values_list("unit_id", "ended_on")
    )
    days = int(getattr(settings, "FOLLOW_UP_DAYS", 30))
    for staff_role in (
        StaffRole.objects.current()
        .filter(role__in=CARE_ROLES, unit_id__in=list(ended))
        .select_related("user", "unit")
        .order_by("unit__name", "pk")
    ):
        users[staff_role.user_id] = staff_role.user
        ended_on = ended[staff_role.unit_id]
        assert ended_on is not None
        reasons.setdefault(staff_role.user_id, []).append(
            Reason(
                Ground.FOLLOW_UP,
                staff_role.role,
                staff_role.unit.name,
                ALL_SECTIONS,
                detail=(ended_on + timedelta(days=days)).isoformat(),
                unit_kind=staff_role.unit.kind,
            )
        )
    emergencies = (
        BreakGlassAccess.objects.filter(person=person, expires_at__gt=moment)
        .select_related("user")
        .order_by("-opened_at", "-pk")
    )
    for grant in emergencies:
        users[grant.user_id] = grant.user
        reasons.setdefault(grant.user_id, []).append(
            Reason(
                Ground.EMERGENCY,
                grant.role,
                "",
                frozenset({Section.CRISIS_PLAN}),
                detail=grant.reason,
                until=grant.expires_at,
            )
        )
    viewers = []
    for user_id, user in users.items():
        found = resolve_access(user, person.pk, now=moment)
        if found is None or found.is_self:
            continue
        viewers.append(Viewer(found, tuple(reasons[user_id])))
    return viewers


def _deny(request: HttpRequest, what: str) -> Http404:
    user = request.user
    security_log.warning(
        "access denied: user=%s path=%s what=%s",
        user.pk if user.is_authenticated else "anonymous",
        request.path,
        what,
    )
    return Http404()


def _read_only_refused(access: PersonAccess, request: HttpRequest) -> bool:
    """Follow-up after discharge reads; it never writes."""
    return access.basis is Basis.FOLLOW_UP and request.method not in SAFE_METHODS


def open_person(
    request: HttpRequest, person_id: int, section: Section, *, why: str
) -> PersonAccess:
    """Open one person's section for this request, or raise 404. Audits the read."""
    access = resolve_access(request.user, person_id)
    if access is None or not access.allows(section) or _read_only_refused(access, request):
        raise _deny(request, f"person {person_id} section {section}")
    record(
        access.actor,
        AuditAction.READ,
        obj=access.person,
        person_id=access.person.pk,
        why=f"{section.value}: {why} [{access.basis.value}]",
        request=request,
    )
    return access


def open_own_person(request: HttpRequest, *, why: str) -> PersonAccess:
    """The logged-in person's own record, or 404 for anyone who is not a person."""
    viewer = _authenticated(request.user)
    person_id = (
        Person.objects.filter(user=viewer).values_list("pk", flat=True).first() if viewer else None
    )
    if person_id is None:
        raise _deny(request, "own person record")
    return open_person(request, person_id, Section.PLAN, why=why)


ModelT = TypeVar("ModelT", bound=models.Model)


def open_record(
    request: HttpRequest,
    queryset: QuerySet[ModelT],
    pk: int,
    section: Section,
    *,
    why: str,
) -> tuple[ModelT, PersonAccess]:
    """Fetch one object that belongs to a person (it has ``person_id``), checking access to that
    person's section first. A missing object and a forbidden one both give 404."""
    obj = queryset.filter(pk=pk).first()
    person_id = getattr(obj, "person_id", None) if obj is not None else None
    if obj is None or person_id is None:
        raise _deny(request, f"{queryset.model._meta.label} {pk}")
    access = resolve_access(request.user, int(person_id))
    if access is None or not access.allows(section) or _read_only_refused(access, request):
        raise _deny(request, f"{queryset.model._meta.label} {pk}")
    record(
        access.actor,
        AuditAction.READ,
        obj=obj,
        person_id=access.person.pk,
        why=f"{section.value}: {why} [{access.basis.value}]",
        request=request,
    )
    return obj, access


def visible_persons(
    user: User | AnonymousUser,
    section: Section,
    *,
    include_self: bool = False,
    now: datetime | None = None,
) -> QuerySet[Person]:
    """Every person whose ``section`` the user may see, as one un-evaluated query.

    The same three relationships as ``resolve_access``, expressed as subqueries so a list page
    costs a fixed number of queries whatever the size of the database. The branches are joined
    with UNION inside one ``IN``: ``id IN (a) OR id IN (b)`` makes PostgreSQL scan every person
    row, while ``id IN (a UNION b)`` lets it look each id up by its index.
    """
    viewer = _authenticated(user)
    if viewer is None:
        return Person.objects.none()
    moment = now or timezone.now()
    # Each branch without its model's default ordering: a UNION needs none.
    via_network = (
        CareNetworkMembership.objects.active_at(moment)
        .filter(member=viewer, **{SECTION_FIELD[section]: True})
        .order_by()
        .values("person_id")
    )
    # Units where the viewer holds a care role today (roles may start and end on set dates).
    care_units = (
        StaffRole.objects.current(timezone.localdate(moment))
        .filter(user=viewer, role__in=CARE_ROLES)
        .order_by()
        .values("unit_id")
    )
    via_unit = (
        Stay.objects.filter(status=StayStatus.ACTIVE, unit_id__in=care_units)
        .order_by()
        .values("person_id")
    )
    via_follow_up = (
        Stay.objects.filter(
            status=StayStatus.ENDED,
            ended_on__gte=follow_up_since(moment),
            unit_id__in=care_units,
        )
        .order_by()
        .values("person_id")
    )
    branches: list[QuerySet[Any]] = [via_unit, via_follow_up]
    if section == Section.CRISIS_PLAN:
        via_emergency = BreakGlassAccess.objects.filter(user=viewer, expires_at__gt=moment)
        branches.append(via_emergency.order_by().values("person_id"))
    if include_self:
        branches.append(Person.objects.filter(user=viewer).order_by().values("pk"))
    persons = Person.objects.filter(pk__in=via_network.union(*branches))
    return persons if include_self else persons.exclude(user=viewer)


def audit_list(request: HttpRequest, role: str, persons: list[Person], *, why: str) -> None:
    """Record that a list page showed these persons to the requesting user."""
    viewer = _authenticated(request.user)
    if viewer is None or not persons:
        return
    record_list(
        Actor(user=viewer, role=role),
        Person._meta.label,
        [person.pk for person in persons],
        why=why,
        request=request,
    )


def supporter_memberships(user: User | AnonymousUser) -> list[CareNetworkMembership]:
    """The active memberships of an informal supporter, with the persons who invited them.

    Each names a person, so this lives here with the other person-scoped reads.
    """
    viewer = _authenticated(user)
    if viewer is None:
        return []
    return list(
        CareNetworkMembership.objects.active_at(timezone.now())
        .filter(member=viewer, role__in=SupporterRelation.values)
        .select_related("person")
        .order_by("person__preferred_name", "person__name", "pk")
    )


def break_glass_role(user: User | AnonymousUser, person_id: int) -> str | None:
    """The care role under which ``user`` may open this person's crisis plan in an emergency:
    any current care role in a hospital where the person has an active stay. ``None`` otherwise
    (a municipal caseworker, say, never qualifies)."""
    viewer = _authenticated(user)
    if viewer is None:
        return None
    hospitals = Stay.objects.filter(
        person_id=person_id,
        status=StayStatus.ACTIVE,
        unit__organisation__kind=OrganisationKind.HOSPITAL,
    ).values("unit__organisation_id")
    role: str | None = (
        StaffRole.objects.current()
        .filter(user=viewer, role__in=CARE_ROLES, unit__organisation_id__in=hospitals)
        .order_by("id")
        .values_list("role", flat=True)
        .first()
    )
    return role


def emergency_search(user: User | AnonymousUser, query: str) -> QuerySet[Person] | None:
    """Persons whose crisis plan ``user`` could open by breaking the glass, matching ``query``:
    active stays in the hospitals where the user holds a care role. ``None`` when the user holds
    no such role (the page then answers 404)."""
    viewer = _authenticated(user)
    if viewer is None:
        return None
    hospitals = (
        StaffRole.objects.current()
        .filter(
            user=viewer,
            role__in=CARE_ROLES,
            unit__organisation__kind=OrganisationKind.HOSPITAL,
        )
        .values("unit__organisation_id")
    )
    if not hospitals.exists():
        return None
    staying = Stay.objects.filter(
        status=StayStatus.ACTIVE, unit__organisation_id__in=hospitals
    ).values("person_id")
    persons = Person.objects.filter(pk__in=staying)
    if len(query.strip()) < 2:
        return persons.none()
    term = query.strip()
    return persons.filter(Q(name__icontains=term) | Q(preferred_name__icontains=term)).order_by(
        "name", "pk"
    )


@dataclass(frozen=True)
class ProjectAccess:
    """A member's way into a narratives project: the project and their analyst role in it."""

    user: User
    project: NarrativeProject
    role: str

    @property
    def actor(self) -> Actor:
        return Actor(user=self.user, role=f"analyst:{self.role}")

    @property
    def is_lead(self) -> bool:
        return self.role == AnalystRole.LEAD

    @property
    def codes(self) -> bool:
        """Leads and coders code; viewers only read."""
        return self.role in (AnalystRole.LEAD, AnalystRole.CODER)


def open_project(
    request: HttpRequest, project_id: int, *, why: str, roles: tuple[str, ...] = ()
) -> ProjectAccess:
    """Open a narratives project for one of its members, or raise 404. Audits the read.

    Narratives are person data: only project members (lead, coder, viewer) reach a project, and
    ``roles`` narrows that further for pages that change things. Everyone else gets 404.
    """
    viewer = _authenticated(request.user)
    member = (
        ProjectMember.objects.filter(project_id=project_id, user=viewer)
        .select_related("project")
        .first()
        if viewer is not None
        else None
    )
    if viewer is None or member is None or (roles and member.role not in roles):
        raise _deny(request, f"narratives project {project_id}")
    grant = ProjectAccess(viewer, member.project, member.role)
    record(
        grant.actor, AuditAction.READ, obj=member.project, why=f"narratives: {why}", request=request
    )
    return grant


def member_projects(user: User | AnonymousUser) -> list[tuple[NarrativeProject, str]]:
    """The narratives projects this user is a member of, with their role in each."""
    viewer = _authenticated(user)
    if viewer is None:
        return []
    return [
        (member.project, member.role)
        for member in ProjectMember.objects.filter(user=viewer)
        .select_related("project")
        .order_by("project__name", "project__pk")
    ]
