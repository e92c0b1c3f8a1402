"""The restrictive practice register: integrity rules, debriefs, and unit figures checked against
hand-computed values on a small fixture."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from alongside.accounts.services import create_user
from alongside.audit.log import Actor
from alongside.organisations import services as organisations
from alongside.organisations.models import Role
from alongside.people import services as people
from alongside.people.models import StayKind
from alongside.safety import register
from alongside.safety.restrictive import Debrief, MeasureType, RestrictiveEpisode
from tests.personas import Persona, World

DAY0 = date(2026, 3, 1)


def _at(day: int, hour: int = 0) -> datetime:
    return datetime(2026, 3, 1 + day, hour, tzinfo=timezone.get_current_timezone())


def _measure(code: str) -> MeasureType:
    return MeasureType.objects.get(organisation=None, code=code)


def key_worker(world: World) -> Actor:
    return Actor(world.users[Persona.KEY_WORKER], Role.KEY_WORKER)


def _episode(world: World, person: object, start: datetime, hours: int, code: str = "seclusion"):  # type: ignore[no-untyped-def]
    return register.record_episode(
        key_worker(world),
        person,
        world.ward,
        measure=_measure(code),
        started_at=start,  # type: ignore[arg-type]
        ended_at=start + timedelta(hours=hours),
        reason="r",
        alternatives_tried="a",
    )


@pytest.fixture
def small_ward(world: World) -> World:
    """The figures fixture, on a ward of its own: 15 bed-days in [1 March, 11 March).

    Stay A covers all ten days (10 bed-days); stay B starts on 6 March (5 bed-days); stay C is a
    community follow-up and counts no bed-days.
    """
    system = Actor.system()
    ward = organisations.create_unit(
        system, world.hospital, code="small", name="Small", kind="ward"
    )
    world.ward = ward
    a = people.register_person(system, name="Ada")
    b = people.register_person(system, name="Bo")
    c = people.register_person(system, name="Cy")
    people.start_stay(system, a, ward, kind=StayKind.INPATIENT, started_on=date(2026, 2, 1))
    people.start_stay(system, b, ward, kind=StayKind.INPATIENT, started_on=date(2026, 3, 6))
    people.start_stay(system, c, ward, kind=StayKind.COMMUNITY, started_on=date(2026, 2, 1))
    world.extra = (a, b)  # type: ignore[attr-defined]
    return world


def test_unit_figures_match_hand_computed_values(small_ward: World) -> None:
    a, b = small_ward.extra  # type: ignore[attr-defined]
    # Five episodes of 1, 2, 3, 4 and 5 hours: 15 hours in all; two get a debrief.
    episodes = [
        _episode(small_ward, a, _at(0, 1), 1),
        _episode(small_ward, a, _at(1, 1), 2),
        _episode(small_ward, b, _at(6, 1), 3),
        _episode(small_ward, b, _at(7, 1), 4, code="physical_holding"),
        _episode(small_ward, a, _at(8, 1), 5, code="mechanical_restraint"),
    ]
    _episode(small_ward, a, _at(12, 1), 6)  # after the period: not counted
    for episode in episodes[:2]:
        register.record_debrief(
            key_worker(small_ward),
            episode,
            held_at=episode.ended_at + timedelta(hours=5),
            person_account="words",
        )
    figures = register.unit_figures(small_ward.ward, DAY0, date(2026, 3, 11))
    assert figures.bed_days == 15  # 10 (A) + 5 (B) + 0 (community follow-up)
    assert figures.episodes.value == 5
    assert figures.hours.value == 15.0
    assert figures.episodes_per_1000.value == 333.33  # 5 / 15 * 1000
    assert figures.hours_per_1000.value == 1000.0  # 15 / 15 * 1000
    assert figures.debriefed_share.value == 0.4  # 2 of 5


def test_fewer_than_five_episodes_are_suppressed(small_ward: World) -> None:
    a, _b = small_ward.extra  # type: ignore[attr-defined]
    for day in range(4):
        _episode(small_ward, a, _at(day, 2), 1)
    figures = register.unit_figures(small_ward.ward, DAY0, date(2026, 3, 11))
    assert figures.episodes.suppressed
    assert figures.episodes.value is None
    assert figures.hours_per_1000.value is None
    assert figures.bed_days == 15


def test_end_before_start_is_refused_and_nothing_saved(world: World) -> None:
    before = RestrictiveEpisode.objects.count()
    with pytest.raises(ValidationError) as refused:
        register.record_episode(
            key_worker(world),
            world.p1,
            world.ward,
            measure=_measure("seclusion"),
            started_at=_at(2),
            ended_at=_at(1),
            reason="r",
            alternatives_tried="a",
        )
    assert "ended_at" in refused.value.message_dict
    assert RestrictiveEpisode.objects.count() == before


def test_overlapping_measures_of_the_same_type_are_refused(world: World) -> None:
    _episode(world, world.p1, _at(3, 10), 4)
    with pytest.raises(ValidationError):
        _episode(world, world.p1, _at(3, 12), 4)
    _episode(world, world.p1, _at(3, 12), 1, code="forced_medication")  # another type is fine


def test_a_debrief_dated_before_the_measure_is_refused(world: World) -> None:
    with pytest.raises(ValidationError) as refused:
        register.record_debrief(
            key_worker(world),
            world.episode,
            held_at=world.episode.started_at - timedelta(hours=1),
            person_account="words",
        )
    assert "held_at" in refused.value.message_dict
    assert not Debrief.objects.exists()


def test_overdue_debrief_shows_on_the_team_leaders_page(
    world: World, client_as: Callable[[Persona], Client]
) -> None:
    leader = create_user("leader", "a-long-password-1")
    organisations.assign_role(Actor.system(), leader, world.ward, Role.TEAM_LEADER, started_on=DAY0)
    client = Client()
    client.force_login(leader)
    url = reverse("emergency:unit_figures", args=[world.ward.pk])
    page = client.get(url).content.decode()
    assert "Pia" in page  # the personas world's episode ended four days ago, no debrief
    assert "fewer than 5 episodes" in page
    register.record_debrief(
        key_worker(world),
        world.episode,
        held_at=timezone.now() - timedelta(hours=1),
        person_account="I felt cornered",
    )
    assert "Pia" not in client.get(url).content.decode()
    assert client_as(Persona.KEY_WORKER).get(url).status_code == 404


def test_the_person_reads_the_measure_and_their_own_account(
    world: World, client_as: Callable[[Persona], Client]
) -> None:
    register.record_debrief(
        key_worker(world),
        world.episode,
        held_at=timezone.now() - timedelta(hours=1),
        person_account="I felt cornered and nobody listened",
    )
    page = (
        client_as(Persona.P1).get(reverse("safety:episodes", args=[world.p1.pk])).content.decode()
    )
    assert "Physical holding" in page
    assert "I felt cornered and nobody listened" in page
    assert "Record a measure" not in page


def test_an_organisation_sets_its_own_debrief_time(world: World) -> None:
    from io import StringIO

    from django.core.management import call_command
    from django.core.management.base import CommandError

    assert register.debrief_due(world.episode) == world.episode.ended_at + timedelta(hours=72)
    assert world.episode in register.overdue_debriefs(world.ward)  # ended four days ago
    call_command("debrief_hours", "hospital", "120", stdout=StringIO())
    world.episode.refresh_from_db()
    assert register.debrief_due(world.episode) == world.episode.ended_at + timedelta(hours=120)
    assert world.episode not in register.overdue_debriefs(world.ward)  # within five days now
    with pytest.raises(CommandError):
        call_command("debrief_hours", "hospital", "0", stdout=StringIO())


def test_the_taxonomy_of_measures_is_configurable(world: World) -> None:
    from io import StringIO

    from django.core.management import call_command

    from alongside.safety.forms_register import EpisodeForm

    def offered() -> list[str]:
        form = EpisodeForm(organisation_id=world.hospital.pk)
        return [label for _value, label in form.fields["measure"].choices]  # type: ignore[attr-defined]

    out = StringIO()
    call_command(
        "measure_types",
        "add",
        "--organisation",
        "hospital",
        "--code",
        "room_search",
        "--label-en",
        "Room search",
        "--label-da",
        "Rumvisitation",
        "--label-ja",
        "居室の検査",
        stdout=out,
    )
    call_command("measure_types", "retire", "--code", "other", stdout=out)
    assert "Room search" in offered()
    assert "Other restrictive measure" not in offered()
    assert "Seclusion" in offered()
