"""Coordinated plan reviews: the rule, recording a review with the person's view first, the next
due date, and the lists that show what is due or overdue."""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from alongside.accounts.models import User
from alongside.accounts.services import create_user
from alongside.audit.log import Actor
from alongside.audit.models import AuditAction, AuditEvent
from alongside.network import services as network
from alongside.network.scopes import Section
from alongside.organisations import services as organisations
from alongside.organisations.models import Role
from alongside.people import services as people
from alongside.people.models import Person, Stay, StayKind, StayStatus
from alongside.reviews import services
from alongside.reviews.models import Review, ReviewRule
from tests.personas import PASSWORD, Persona, World

ClientAs = Callable[[Persona], Client]


def text(response: Any) -> str:
    return " ".join(html.unescape(response.content.decode()).split())


def stay_of(world: World) -> Stay:
    return world.p1.stays.get(status=StayStatus.ACTIVE)


def key_worker(world: World) -> Actor:
    return Actor(world.users[Persona.KEY_WORKER], Role.KEY_WORKER)


def record_url(world: World) -> str:
    return reverse("reviews:record", kwargs={"person_id": world.p1.pk})


def form_data(world: World, **changes: str) -> dict[str, str]:
    data = {
        "stay": str(stay_of(world).pk),
        "held_on": timezone.localdate().isoformat(),
        "person_went_well": "I cooked for my sister twice",
        "person_matters_now": "A flat near the harbour",
        "agreed_changes": "Visit two flats with the caseworker",
        "municipality_took_part": "on",
        "goals": str(world.own_goal.pk),
        "party-TOTAL_FORMS": "2",
        "party-INITIAL_FORMS": "0",
        "party-0-party_name": "Caseworker",
        "party-0-organisation": "Test Municipality",
        "party-0-role": "Municipal caseworker",
        "party-0-view": "A housing offer can be ready in spring",
    }
    data.update(changes)
    return data


@pytest.fixture
def team_leader(world: World) -> User:
    leader = create_user("leader", PASSWORD, display_name="Lena Leader")
    organisations.assign_role(
        Actor.system(),
        leader,
        world.ward,
        Role.TEAM_LEADER,
        started_on=timezone.localdate() - timedelta(days=30),
    )
    return leader


def as_user(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


# The rule


def test_review_rule_of_zero_days_is_refused_with_a_clear_error(
    world: World, team_leader: User
) -> None:
    client = as_user(team_leader)
    url = reverse("reviews_service:rule")
    prefix = f"o{world.hospital.pk}"
    response = client.post(url, {"organisation": world.hospital.pk, f"{prefix}-interval_days": "0"})
    assert response.status_code == 200
    assert "A review rule needs at least 1 day between reviews." in text(response)
    assert not ReviewRule.objects.exists()
    with pytest.raises(ValidationError) as refused:
        services.set_rule(
            Actor(team_leader, Role.TEAM_LEADER),
            world.hospital,
            interval_days=0,
            must_include_municipality=True,
        )
    assert "interval_days" in refused.value.error_dict


def test_team_leader_sets_the_rule_and_the_next_review_follows_it(
    world: World, team_leader: User, client_as: ClientAs
) -> None:
    prefix = f"o{world.hospital.pk}"
    response = as_user(team_leader).post(
        reverse("reviews_service:rule"),
        {"organisation": world.hospital.pk, f"{prefix}-interval_days": "30"},
    )
    assert response.status_code == 302
    rule = ReviewRule.objects.get(organisation=world.hospital)
    assert rule.interval_days == 30
    assert not rule.must_include_municipality
    held = timezone.localdate() - timedelta(days=2)
    client_as(Persona.KEY_WORKER).post(
        record_url(world), form_data(world, held_on=held.isoformat(), municipality_took_part="")
    )
    assert stay_of(world).next_review_on == held + timedelta(days=30)


def test_only_team_leaders_of_the_organisation_set_its_rule(
    world: World, team_leader: User, client_as: ClientAs
) -> None:
    with pytest.raises(PermissionDenied):
        services.set_rule(
            Actor(team_leader, Role.TEAM_LEADER),
            world.municipality,
            interval_days=10,
            must_include_municipality=False,
        )
    assert client_as(Persona.KEY_WORKER).get(reverse("reviews_service:rule")).status_code == 404


# Recording a review


def test_recording_a_review_sets_the_next_review_by_the_default_rule(
    world: World, client_as: ClientAs
) -> None:
    response = client_as(Persona.KEY_WORKER).post(record_url(world), form_data(world))
    assert response.status_code == 302
    review = Review.objects.get(person=world.p1)
    assert review.next_review_on == timezone.localdate() + timedelta(days=90)
    assert stay_of(world).next_review_on == review.next_review_on
    assert list(review.goals_reviewed.all()) == [world.own_goal]
    assert [v.party_name for v in review.views.all()] == ["Caseworker"]
    assert review.recorded_role == Role.KEY_WORKER
    assert AuditEvent.objects.filter(
        action=AuditAction.UPDATE, object_type="people.Stay", object_id=str(stay_of(world).pk)
    ).exists()


def test_recording_an_older_review_late_never_moves_the_next_review_back(world: World) -> None:
    today = timezone.localdate()
    for held in (today - timedelta(days=5), today - timedelta(days=40)):
        services.record_review(
            key_worker(world),
            world.p1,
            stay_of(world),
            held_on=held,
            person_went_well="Slept better",
            person_matters_now="",
            municipality_took_part=True,
        )
    assert stay_of(world).next_review_on == today - timedelta(days=5) + timedelta(days=90)


@pytest.mark.parametrize(
    ("held_on", "message"),
    [
        ("2999-01-01", "A review can only be recorded once it has been held."),
        ("1990-01-01", "The review cannot be before the stay started."),
        ("31/02/2025", "Enter a valid date."),
        ("", "Give the date the review was held."),
    ],
)
def test_invalid_review_dates_are_refused_beside_the_field(
    world: World, client_as: ClientAs, held_on: str, message: str
) -> None:
    before = stay_of(world).next_review_on
    response = client_as(Persona.KEY_WORKER).post(
        record_url(world), form_data(world, held_on=held_on)
    )
    assert response.status_code == 200
    shown = text(response)
    assert message in shown
    assert 'id="id_held_on_error"' in response.content.decode()
    assert not Review.objects.exists()
    assert stay_of(world).next_review_on == before


def test_the_persons_own_view_comes_first_and_is_required(
    world: World, client_as: ClientAs
) -> None:
    response = client_as(Persona.KEY_WORKER).post(
        record_url(world), form_data(world, person_went_well="", person_matters_now="")
    )
    assert "Write the person's own view first" in text(response)
    assert not Review.objects.exists()
    form = text(client_as(Persona.KEY_WORKER).get(record_url(world)))
    assert form.index("Pia's own view") < form.index("Each party's view")


def test_rule_asks_for_the_municipality_to_take_part(world: World, client_as: ClientAs) -> None:
    response = client_as(Persona.KEY_WORKER).post(
        record_url(world), form_data(world, municipality_took_part="")
    )
    assert "joint review with the municipality" in text(response)
    assert not Review.objects.exists()


def test_a_party_needs_a_name_and_a_view(world: World, client_as: ClientAs) -> None:
    response = client_as(Persona.KEY_WORKER).post(
        record_url(world), form_data(world, **{"party-1-party_name": "GP"})
    )
    assert "Each party needs a name and their view." in text(response)
    assert not Review.objects.exists()


def test_caseworker_reads_the_joint_review_and_family_does_not(
    world: World, client_as: ClientAs
) -> None:
    client_as(Persona.KEY_WORKER).post(record_url(world), form_data(world))
    review = Review.objects.get()
    url = reverse("reviews:review", kwargs={"person_id": world.p1.pk, "review_id": review.pk})
    shown = text(client_as(Persona.CASEWORKER).get(url))
    assert "A flat near the harbour" in shown
    assert shown.index("A flat near the harbour") < shown.index("A housing offer can be ready")
    assert client_as(Persona.FAMILY).get(url).status_code == 404
    assert client_as(Persona.OTHER_UNIT_STAFF).get(url).status_code == 404


def test_person_adds_their_own_view_beside_the_record(world: World, client_as: ClientAs) -> None:
    client_as(Persona.KEY_WORKER).post(record_url(world), form_data(world))
    review = Review.objects.get()
    url = reverse("reviews:review", kwargs={"person_id": world.p1.pk, "review_id": review.pk})
    person = client_as(Persona.P1)
    assert person.post(url, {"view": "   "}).status_code == 200
    assert person.post(url, {"view": "I want to see the flats alone first"}).status_code == 302
    review.refresh_from_db()
    assert review.person_matters_now == "A flat near the harbour"  # the record stays as it was
    own = review.views.get(by_person=True)
    assert own.view == "I want to see the flats alone first"
    assert own.written_by == world.users[Persona.P1]
    assert client_as(Persona.KEY_WORKER).post(url, {"view": "As her"}).status_code == 404


# What is due


def _person_on_ward(world: World, name: str, next_review_on: date | None) -> Person:
    system = Actor.system()
    person = people.register_person(system, name=name)
    people.start_stay(
        system,
        person,
        world.ward,
        kind=StayKind.INPATIENT,
        started_on=timezone.localdate() - timedelta(days=100),
        next_review_on=next_review_on,
    )
    return person


def test_due_list_shows_reviews_due_within_14_days_and_overdue_but_not_later(
    world: World, client_as: ClientAs
) -> None:
    today = timezone.localdate()
    _person_on_ward(world, "Olga Overdue", today - timedelta(days=3))
    _person_on_ward(world, "Lars Later", today + timedelta(days=30))
    _person_on_ward(world, "Nina None", None)
    _person_on_ward(world, "Edith Edge", today + timedelta(days=14))
    shown = text(client_as(Persona.KEY_WORKER).get(reverse("reviews_service:due")))
    assert "Olga Overdue" in shown
    assert "Overdue by 3 days" in shown
    assert "Pia" in shown
    assert "Due in 10 days" in shown
    assert "Edith Edge" in shown
    assert "Lars Later" not in shown
    assert "Nina None" not in shown
    assert shown.index("Olga Overdue") < shown.index("Pia") < shown.index("Edith Edge")
    # Staff of another unit see none of them.
    other = text(client_as(Persona.OTHER_UNIT_STAFF).get(reverse("reviews_service:due")))
    assert "Olga Overdue" not in other
    assert "Pia" not in other


def test_due_list_costs_the_same_queries_however_many_persons(
    world: World, client_as: ClientAs
) -> None:
    client = client_as(Persona.KEY_WORKER)
    url = reverse("reviews_service:due")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    small = count()
    for index in range(15):
        _person_on_ward(world, f"Extra {index}", timezone.localdate() - timedelta(days=index))
    assert count() == small


def test_caseload_and_the_persons_page_show_the_review_due(
    world: World, client_as: ClientAs
) -> None:
    caseload = text(client_as(Persona.KEY_WORKER).get(reverse("workspace:caseload")))
    assert "Due in 10 days" in caseload
    Stay.objects.filter(person=world.p1).update(
        next_review_on=timezone.localdate() - timedelta(days=4)
    )
    caseload = text(client_as(Persona.KEY_WORKER).get(reverse("workspace:caseload")))
    assert "Overdue by 4 days" in caseload
    home = text(client_as(Persona.P1).get(reverse("portal:me")))
    assert "Your next plan review:" in home
    assert "Overdue by 4 days: ask your key worker when it will be." in home


def test_network_member_added_later_sees_reviews_only_with_plan_consent(
    world: World, client_as: ClientAs
) -> None:
    url = reverse("reviews:reviews", kwargs={"person_id": world.p1.pk})
    assert client_as(Persona.FAMILY).get(url).status_code == 404
    network.set_sections(Actor.system(), world.family_membership, [Section.PLAN])
    assert client_as(Persona.FAMILY).get(url).status_code == 200
    assert client_as(Persona.FAMILY).get(record_url(world)).status_code == 404
