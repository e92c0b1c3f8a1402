"""Approval with the person present: for a person without a login, a staff member records that
the person approved the handover summary together with them, in person, with the person's comment
as they said it. A person with a login approves on their own login only."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from alongside.audit.log import Actor
from alongside.audit.models import AuditEvent
from alongside.discharge import handover
from alongside.discharge.defaults import sync_default_items
from alongside.discharge.models import HandoverComment, HandoverSummary
from alongside.discharge.queries import focus_stay
from alongside.organisations.models import Role
from alongside.people import services as people
from alongside.people.models import Person, StayKind
from tests.personas import Persona, World

ClientAs = Callable[[Persona], Client]
SAID = "It is right, but say I like mornings best"


@pytest.fixture(autouse=True)
def _default_items(db: None) -> None:
    sync_default_items()


def key_worker(world: World) -> Actor:
    return Actor(world.users[Persona.KEY_WORKER], Role.KEY_WORKER)


def without_login(world: World) -> Person:
    system = Actor.system()
    person = people.register_person(system, name="Ole Lund")
    people.start_stay(
        system,
        person,
        world.ward,
        kind=StayKind.INPATIENT,
        started_on=world.p1.stays.get().started_on,
    )
    return person


def drafted_for(world: World, person: Person) -> HandoverSummary:
    stay = focus_stay(person)
    assert stay is not None
    return handover.draft_summary(key_worker(world), stay)


def page_url(person: Person, name: str = "discharge:handover") -> str:
    return reverse(name, kwargs={"person_id": person.pk})


def test_staff_record_an_approval_given_in_person_and_the_exports_follow(
    world: World, client_as: ClientAs
) -> None:
    person = without_login(world)
    summary = drafted_for(world, person)
    client = client_as(Persona.KEY_WORKER)
    page = client.get(page_url(person)).content.decode()
    assert "Approved together, in person" in page
    assert not re.search(r'name="person_present"[^>]*checked', page)  # never pre-ticked
    # Not ticked: nothing is approved, and the page says why.
    refused = client.post(
        page_url(person), {"action": "in_person", "version": summary.version, "said": SAID}
    )
    assert "has heard the summary and approves it" in refused.content.decode()
    summary.refresh_from_db()
    assert not summary.is_approved
    assert not HandoverComment.objects.filter(summary=summary).exists()
    done = client.post(
        page_url(person),
        {"action": "in_person", "version": summary.version, "person_present": "on", "said": SAID},
    )
    assert done.status_code == 302
    summary.refresh_from_db()
    assert summary.is_approved
    assert summary.approved_in_person_with == world.users[Persona.KEY_WORKER]
    (said,) = HandoverComment.objects.filter(summary=summary)
    assert (said.text, said.said_in_person, said.author) == (
        SAID,
        True,
        world.users[Persona.KEY_WORKER],
    )
    event = AuditEvent.objects.filter(person_id=person.pk, why__startswith="approved").get()
    assert event.why == f"approved together with the person, in person, version {summary.version}"
    shown = client.get(page_url(person)).content.decode()
    assert "Approved together with the person, in person" in shown
    assert "said in person, written down by Key_Worker" in shown
    assert "Record the approval given in person" not in shown  # approved: no form
    pdf = client.get(page_url(person, "discharge:handover_pdf"))
    assert (pdf.status_code, pdf["Content-Type"]) == (200, "application/pdf")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "in person" in text
    assert "mornings best" in text
    fhir = client.get(page_url(person, "discharge:handover_fhir"))
    assert fhir.status_code == 200
    assert SAID in json.dumps(json.loads(fhir.content), ensure_ascii=False)


def test_a_change_after_an_in_person_approval_needs_approving_again(
    world: World, client_as: ClientAs
) -> None:
    person = without_login(world)
    summary = drafted_for(world, person)
    handover.approve_in_person(
        key_worker(world), summary, version=summary.version, person_present=True
    )
    changed = handover.edit_staff_text(
        key_worker(world), summary, text="Moves to a flat", version=summary.version
    )
    assert not changed.is_approved
    client = client_as(Persona.KEY_WORKER)
    assert client.get(page_url(person, "discharge:handover_pdf")).status_code == 404
    # The form is back, for the new version; an old version is refused as stale.
    assert "Record the approval given in person" in client.get(page_url(person)).content.decode()
    stale = client.post(
        page_url(person),
        {"action": "in_person", "version": summary.version, "person_present": "on"},
    )
    assert stale.status_code == 409
    handover.approve_in_person(
        key_worker(world), changed, version=changed.version, person_present=True
    )
    changed.refresh_from_db()
    assert changed.is_approved  # the second time


def test_a_person_with_a_login_approves_on_it_and_staff_cannot_for_them(
    world: World, client_as: ClientAs
) -> None:
    summary = drafted_for(world, world.p1)
    with pytest.raises(PermissionDenied):
        handover.approve_in_person(
            key_worker(world), summary, version=summary.version, person_present=True
        )
    client = client_as(Persona.KEY_WORKER)
    assert "Approved together, in person" not in client.get(page_url(world.p1)).content.decode()
    response = client.post(
        page_url(world.p1),
        {"action": "in_person", "version": summary.version, "person_present": "on"},
    )
    assert response.status_code == 404
    summary.refresh_from_db()
    assert not summary.is_approved
    # She approves herself: recorded as hers, not as in person.
    handover.approve(Actor(world.users[Persona.P1], "person"), summary, version=summary.version)
    summary.refresh_from_db()
    assert summary.is_approved
    assert summary.approved_in_person_with is None


def test_without_the_person_present_nothing_is_approved(world: World) -> None:
    person = without_login(world)
    summary = drafted_for(world, person)
    with pytest.raises(ValidationError):
        handover.approve_in_person(
            key_worker(world), summary, version=summary.version, person_present=False
        )
    summary.refresh_from_db()
    assert not summary.is_approved
