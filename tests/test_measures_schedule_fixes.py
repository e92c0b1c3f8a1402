"""Two measure bugs: the schedule form pre-filled "first due" with today, so "at each plan review"
always failed; and a licensed measure without its wording could be scheduled, after which the
person's page said "Due today" and showed an administrator's command."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from alongside.audit.log import Actor
from alongside.measures import services
from alongside.measures.forms import ScheduleForm
from alongside.measures.models import Instrument, Schedule
from tests.access_matrix_measures import CHIME, blocked_schedule
from tests.personas import Persona, World

ClientAs = Callable[[Persona], Client]


def test_the_schedule_form_leaves_first_due_empty() -> None:
    form = ScheduleForm()
    assert form["first_due_on"].value() in (None, "")
    assert 'value="' not in str(form["first_due_on"])


def test_each_review_can_be_scheduled_from_the_page(world: World, client_as: ClientAs) -> None:
    client = client_as(Persona.KEY_WORKER)
    url = reverse("measures:schedule", kwargs={"person_id": world.p1.pk})
    page = client.get(url).content.decode()
    assert 'name="first_due_on" value=' not in page
    chime = Instrument.objects.get(code=CHIME)
    response = client.post(
        url, {"instrument": chime.pk, "kind": "each_review", "every_weeks": "", "first_due_on": ""}
    )
    assert response.status_code == 302
    schedule = Schedule.objects.get(person=world.p1, instrument=chime)
    assert schedule.kind == "each_review"
    assert schedule.next_due_on is None


def test_a_licensed_measure_without_wording_cannot_be_scheduled(world: World) -> None:
    actor = Actor(world.users[Persona.KEY_WORKER], "key_worker")
    with pytest.raises(ValidationError) as caught:
        services.schedule_measure(actor, world.p1, Instrument.objects.get(code="phq9"), kind="once")
    assert "instrument" in caught.value.message_dict
    assert "load-wording" not in " ".join(caught.value.messages)
    assert not Schedule.objects.filter(person=world.p1).exists()
    # The same person, a measure that can be answered: fine.
    services.schedule_measure(actor, world.p1, Instrument.objects.get(code=CHIME), kind="once")


def test_the_page_refuses_it_beside_the_questionnaire(world: World, client_as: ClientAs) -> None:
    url = reverse("measures:schedule", kwargs={"person_id": world.p1.pk})
    response = client_as(Persona.KEY_WORKER).post(
        url, {"instrument": Instrument.objects.get(code="phq9").pk, "kind": "once"}
    )
    assert response.status_code == 200
    assert "cannot be answered yet" in response.content.decode()
    assert not Schedule.objects.filter(person=world.p1).exists()


def test_the_person_never_sees_an_operator_instruction(world: World, client_as: ClientAs) -> None:
    blocked_schedule(world, world.p1, "phq9")
    url = reverse("measures:home", kwargs={"person_id": world.p1.pk})
    own = client_as(Persona.P1).get(url).content.decode()
    assert "load-wording" not in own
    assert "Due today" not in own
    assert "PHQ" not in own
    # Staff still see why it is stuck.
    staff = client_as(Persona.KEY_WORKER).get(url).content.decode()
    assert "has not been loaded" in staff
