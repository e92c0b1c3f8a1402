"""The demo world: deterministic, idempotent, resettable; and the synthetic world generator."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from alongside.accounts.models import User
from alongside.demo import content
from alongside.frameworks.models import Concept
from alongside.network.models import CareNetworkMembership
from alongside.organisations.models import StaffRole
from alongside.people.models import Person, Stay, StayStatus

pytestmark = pytest.mark.django_db


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("demo", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def _staff_count() -> int:
    return User.objects.filter(staff_roles__isnull=False).distinct().count()


def _snapshot() -> tuple[int, int, int, int]:
    return (
        Person.objects.count(),
        User.objects.count(),
        Stay.objects.count(),
        CareNetworkMembership.objects.count(),
    )


def test_demo_world_has_the_promised_people_and_prints_logins() -> None:
    # Other worlds may share the test database (the personas world): count what the demo adds.
    persons, staff = Person.objects.count(), _staff_count()
    output = _run()
    assert Person.objects.count() - persons == len(content.PERSONS) == 12
    assert _staff_count() - staff == len(content.STAFF) == 10
    for username, _who in content.DEMO_LOGINS:
        assert username in output
        assert User.objects.get(username=username).check_password(content.DEMO_PASSWORD)
    roles = set(StaffRole.objects.values_list("role", flat=True))
    assert {"key_worker", "team_leader", "caseworker", "peer_worker"} <= roles


def test_running_again_adds_nothing() -> None:
    _run()
    before = _snapshot()
    output = _run()
    assert "already present" in output
    assert _snapshot() == before


# --reset flushes the database, which PostgreSQL refuses inside the test's wrapping transaction;
# the command itself never runs inside one, so these tests run without it.
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("frameworks_loaded")
def test_reset_starts_fresh_and_keeps_the_frameworks() -> None:
    _run()
    maja = Person.objects.get(user__username="maja")
    maja.about_me = "changed in the demo"
    maja.save()
    concepts = Concept.objects.count()
    _run("--reset")
    assert Person.objects.get(user__username="maja").about_me != "changed in the demo"
    assert Person.objects.count() == 12
    assert Concept.objects.count() == concepts > 0


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("frameworks_loaded")
def test_demo_is_deterministic() -> None:
    _run()
    first = list(Person.objects.order_by("name").values_list("name", "preferred_name", "about_me"))
    _run("--reset")
    assert (
        list(Person.objects.order_by("name").values_list("name", "preferred_name", "about_me"))
        == first
    )


def test_an_ended_stay_and_an_ended_membership_exist_in_the_demo() -> None:
    _run()
    assert Stay.objects.filter(status=StayStatus.ENDED).exists()
    assert CareNetworkMembership.objects.filter(ended_at__isnull=False).exists()


def test_synthetic_world_builds_the_requested_size_with_progress() -> None:
    errors = io.StringIO()
    before = Person.objects.count()
    call_command("demo", "--persons", "2500", "--quiet-logins", stdout=io.StringIO(),
                 stderr=errors)  # fmt: skip
    assert Person.objects.count() - before == 12 + 2500
    assert Stay.objects.filter(status=StayStatus.ACTIVE).count() >= 2500
    assert "100.0%" in errors.getvalue()


def test_synthetic_world_is_deterministic_for_a_seed() -> None:
    from alongside.demo.synthetic import build_synthetic_world

    def built_since(last: int) -> list[tuple[object, ...]]:
        return list(
            Person.objects.filter(pk__gt=last).order_by("pk").values_list("name", "date_of_birth")
        )

    start = Person.objects.order_by("pk").values_list("pk", flat=True).last() or 0
    build_synthetic_world(50, seed=3)
    build_synthetic_world(50, seed=3)
    rows = built_since(start)
    assert len(rows) == 100
    assert rows[:50] == rows[50:]
    build_synthetic_world(50, seed=4)
    assert built_since(start)[100:] != rows[:50]


def test_negative_persons_is_refused() -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("demo", "--persons", "-1", stdout=io.StringIO())
