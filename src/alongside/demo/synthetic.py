"""Large synthetic worlds for benchmarks and query-count tests: ``alongside demo --persons 100000``.

Deterministic for a given seed. Rows are made in batches with ``bulk_create`` so memory stays flat
however many persons are asked for; each batch is one audit event (the system actor, with the id
range it created), not one event per row.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.contrib.auth.hashers import make_password
from django.db import models, reset_queries, transaction
from django.utils import timezone

from alongside.accounts.models import User
from alongside.audit.log import Actor, record
from alongside.audit.models import AuditAction
from alongside.network.models import CareNetworkMembership
from alongside.organisations.models import Organisation, OrganisationKind, Role, StaffRole, Unit
from alongside.people.models import Person, Stay, StayKind, StayStatus
from alongside.relationship.models import Contact, ContactKind

PERSONS_PER_UNIT = 25
PERSONS_PER_CASEWORKER = 200
BATCH = 2_000

GIVEN = [
    "Alma", "Bo", "Cecilie", "Dan", "Eva", "Frederik", "Gry", "Hans", "Ida", "Jens", "Kira",
    "Lars", "Mads", "Nora", "Oscar", "Pia", "Rasmus", "Signe", "Thor", "Ulla", "Vera", "Aiko",
    "Haruto", "Mei", "Sota", "Yui", "Omar", "Layla", "Noah", "Zainab",
]  # fmt: skip
FAMILY = [
    "Andersen", "Bak", "Christensen", "Dam", "Eriksen", "Falk", "Gram", "Hansen", "Iversen",
    "Jensen", "Kjær", "Larsen", "Mikkelsen", "Nygaard", "Olsen", "Pedersen", "Quist", "Riis",
    "Skov", "Thomsen", "Ito", "Kato", "Suzuki", "Watanabe", "Yamamoto", "Ali", "Hassan",
]  # fmt: skip


@dataclass(frozen=True)
class SyntheticSummary:
    persons: int
    units: int
    staff: int


def _batches(total: int, size: int) -> Iterator[range]:
    for start in range(0, total, size):
        yield range(start, min(total, start + size))


def _audit_batch(
    model: type[models.Model], first_pk: int | None, last_pk: int | None, count: int
) -> None:
    record(
        Actor.system(),
        AuditAction.CREATE,
        object_type=model._meta.label,
        object_id=f"{first_pk}..{last_pk}",
        why=f"synthetic world: {count} rows",
    )


def build_synthetic_world(
    persons: int,
    *,
    seed: int = 1,
    today: date | None = None,
    progress: Callable[[int], None] | None = None,
) -> SyntheticSummary:
    """Add ``persons`` synthetic persons, with units, staff, stays, networks and contacts."""
    rng = random.Random(seed)
    today = today or timezone.localdate()
    tag = f"syn{seed}-{Organisation.objects.filter(code__startswith=f'syn{seed}-').count()}"
    password = make_password("synthetic-not-for-login", salt=f"synthetic{seed}")
    unit_count = max(1, -(-persons // PERSONS_PER_UNIT))
    caseworker_count = max(1, -(-persons // PERSONS_PER_CASEWORKER))

    with transaction.atomic():
        hospital = Organisation.objects.create(
            code=f"{tag}-hospital", name=f"Synthetic hospital {tag}", kind=OrganisationKind.HOSPITAL
        )
        municipality = Organisation.objects.create(
            code=f"{tag}-municipality",
            name=f"Synthetic municipality {tag}",
            kind=OrganisationKind.MUNICIPALITY,
        )
        casework_unit = Unit.objects.create(
            organisation=municipality, code=f"{tag}-casework", name="Casework", kind="service"
        )
        units = Unit.objects.bulk_create(
            Unit(organisation=hospital, code=f"{tag}-ward-{i}", name=f"Ward {i}", kind="ward")
            for i in range(unit_count)
        )
        unit_ids = [unit.pk for unit in units]
        _audit_batch(Unit, unit_ids[0], unit_ids[-1], len(unit_ids))

    # Three staff per ward (key worker, nurse, team leader) and one caseworker per 200 persons.
    key_workers: list[int] = []
    for chunk in _batches(unit_count, BATCH):
        with transaction.atomic():
            staff = User.objects.bulk_create(
                User(username=f"{tag}-{role}-{i}", password=password, display_name=f"{role} {i}")
                for i in chunk
                for role in ("kw", "nurse", "lead")
            )
            roles = []
            for index, user in enumerate(staff):
                unit_id = unit_ids[chunk[0] + index // 3]
                role = (Role.KEY_WORKER, Role.NURSE, Role.TEAM_LEADER)[index % 3]
                roles.append(StaffRole(user=user, unit_id=unit_id, role=role, started_on=today))
                if role == Role.KEY_WORKER:
                    key_workers.append(user.pk)
            StaffRole.objects.bulk_create(roles)
            _audit_batch(User, staff[0].pk, staff[-1].pk, len(staff))
    with transaction.atomic():
        caseworkers = User.objects.bulk_create(
            User(username=f"{tag}-cw-{i}", password=password, display_name=f"caseworker {i}")
            for i in range(caseworker_count)
        )
        StaffRole.objects.bulk_create(
            StaffRole(user=u, unit=casework_unit, role=Role.CASEWORKER, started_on=today)
            for u in caseworkers
        )
        caseworker_ids = [u.pk for u in caseworkers]

    started_at = timezone.make_aware(datetime.combine(today - timedelta(days=400), time(9)))
    for chunk in _batches(persons, BATCH):
        with transaction.atomic():
            created = Person.objects.bulk_create(
                Person(
                    name=f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}",
                    preferred_name=rng.choice(GIVEN) if rng.random() < 0.3 else "",
                    languages=["da"],
                    date_of_birth=date(1950, 1, 1) + timedelta(days=rng.randrange(20_000)),
                )
                for _ in chunk
            )
            stays, memberships, contacts = [], [], []
            for offset, person in zip(chunk, created, strict=True):
                ward = offset // PERSONS_PER_UNIT
                stays.append(
                    Stay(
                        person=person,
                        unit_id=unit_ids[ward],
                        kind=StayKind.INPATIENT,
                        status=StayStatus.ACTIVE,
                        started_on=today - timedelta(days=rng.randrange(30, 1500)),
                        next_review_on=today + timedelta(days=rng.randrange(-20, 90)),
                    )
                )
                memberships.append(
                    CareNetworkMembership(
                        person=person,
                        member_id=key_workers[ward],
                        organisation=hospital,
                        role=Role.KEY_WORKER,
                        started_at=started_at,
                        sees_plan=True,
                        sees_crisis_plan=True,
                        sees_meetings=True,
                        sees_measures=True,
                        sees_notes=True,
                    )
                )
                if offset % 3 == 0:
                    memberships.append(
                        CareNetworkMembership(
                            person=person,
                            member_id=caseworker_ids[offset // PERSONS_PER_CASEWORKER],
                            organisation=municipality,
                            role=Role.CASEWORKER,
                            started_at=started_at,
                            sees_plan=True,
                            sees_meetings=True,
                        )
                    )
                for _ in range(2):
                    contacts.append(
                        Contact(
                            person=person,
                            staff_id=key_workers[ward],
                            kind=ContactKind.CONVERSATION,
                            occurred_at=started_at + timedelta(days=rng.randrange(400)),
                            duration_minutes=rng.choice([15, 30, 45, 60]),
                        )
                    )
            Stay.objects.bulk_create(stays)
            CareNetworkMembership.objects.bulk_create(memberships)
            Contact.objects.bulk_create(contacts)
            _audit_batch(Person, created[0].pk, created[-1].pk, len(created))
        # With DEBUG on, Django logs every statement; the bulk inserts would pile up there.
        reset_queries()
        if progress is not None:
            progress(len(chunk))
    return SyntheticSummary(
        persons=persons, units=unit_count, staff=unit_count * 3 + caseworker_count
    )
