"""Who has looked at my record: the person's access log, her flags and their answers."""

from __future__ import annotations

import html
import io
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from alongside.audit import services as audit
from alongside.audit.log import Actor
from alongside.audit.models import AccessFlag, AuditAction, AuditEvent
from alongside.notifications.models import Notification
from alongside.organisations.models import Role
from alongside.safety import services as safety
from tests.personas import Persona, World

ClientAs = Callable[[Persona], Client]

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("sessions_not_touched")]

LOG = reverse("portal:record_log")


def text(response: object) -> str:
    content: bytes = response.content  # type: ignore[attr-defined]
    return " ".join(html.unescape(content.decode()).split())


def open_notes_and_an_emergency(world: World, client_as: ClientAs) -> None:
    notes = reverse("relationship:notes", kwargs={"person_id": world.p1.pk})
    assert client_as(Persona.KEY_WORKER).get(notes).status_code == 200
    safety.break_glass(world.users[Persona.OTHER_UNIT_STAFF], world.p1, "Collapsed in the lobby")
    crisis = reverse("safety:crisis_plan", kwargs={"person_id": world.p1.pk})
    assert client_as(Persona.OTHER_UNIT_STAFF).get(crisis).status_code == 200


def test_she_sees_who_opened_what_and_why(world: World, client_as: ClientAs) -> None:
    open_notes_and_an_emergency(world, client_as)
    shown = text(client_as(Persona.P1).get(LOG))
    assert (
        "Key_Worker</strong> (Key worker / contact person, Test Hospital) opened: Notes." in shown
    )
    assert "Why they could: works where you stay" in shown
    assert "Other_Unit_Staff</strong> (Nurse, Test Hospital) opened: Crisis plan." in shown
    assert "emergency, reason: Collapsed in the lobby" in shown
    # Her own reads are not in her log.
    assert "Pia (" not in shown
    # Another person's log does not show her accesses.
    assert "Collapsed in the lobby" not in text(client_as(Persona.P2).get(LOG))


def test_she_filters_by_reason_and_part(world: World, client_as: ClientAs) -> None:
    open_notes_and_an_emergency(world, client_as)
    client = client_as(Persona.P1)
    emergency = text(client.get(LOG, {"basis": "break_glass"}))
    assert "Collapsed in the lobby" in emergency
    assert "opened: Notes" not in emergency
    notes = text(client.get(LOG, {"section": "notes"}))
    assert "opened: Notes" in notes
    assert "opened: Crisis plan" not in notes
    key_worker = world.users[Persona.KEY_WORKER]
    mine = text(client.get(LOG, {"who": key_worker.pk}))
    assert "Other_Unit_Staff" not in mine.split("Download as PDF")[1]


def test_she_flags_an_entry_and_the_privacy_contact_answers(
    world: World, client_as: ClientAs
) -> None:
    open_notes_and_an_emergency(world, client_as)
    contact = world.users[Persona.ANALYST]
    audit.set_privacy_contact(Actor.system(), world.hospital, contact)
    event = AuditEvent.objects.filter(
        person_id=world.p1.pk,
        actor_id=world.users[Persona.OTHER_UNIT_STAFF].pk,
        action=AuditAction.READ,
    ).latest("pk")
    flag_url = reverse("portal:flag", kwargs={"event_id": event.pk})
    # Nobody else can flag her entries.
    assert client_as(Persona.P2).post(flag_url, {"words": "?"}).status_code == 404
    assert client_as(Persona.KEY_WORKER).post(flag_url).status_code == 404
    response = client_as(Persona.P1).post(flag_url, {"words": "I was at home that day"})
    assert response.status_code == 302
    raised = AccessFlag.objects.get(event=event)
    assert raised.organisation == world.hospital
    assert Notification.objects.filter(recipient=contact, code="audit.flagged").exists()
    assert "Waiting for an answer from the privacy contact" in text(client_as(Persona.P1).get(LOG))
    # Flagging twice keeps one open flag.
    client_as(Persona.P1).post(flag_url)
    assert AccessFlag.objects.filter(event=event).count() == 1

    privacy = client_as(Persona.ANALYST)
    page = text(privacy.get(reverse("audit:flags")))
    assert "I was at home that day" in page
    assert client_as(Persona.KEY_WORKER).get(reverse("audit:flags")).status_code == 404
    answer = reverse("audit:answer", kwargs={"flag_id": raised.pk})
    assert client_as(Persona.KEY_WORKER).post(answer, {"answer": "x"}).status_code == 404
    privacy.post(answer, {"answer": "A nurse from Ward B opened it during an alarm."})
    raised.refresh_from_db()
    assert raised.answered_at is not None
    assert raised.answered_by == contact
    assert Notification.objects.filter(
        recipient=world.users[Persona.P1], code="audit.flag_answered"
    ).exists()
    assert "A nurse from Ward B opened it during an alarm." in text(client_as(Persona.P1).get(LOG))


def test_the_log_downloads_as_a_pdf(world: World, client_as: ClientAs) -> None:
    open_notes_and_an_emergency(world, client_as)
    response = client_as(Persona.P1).get(reverse("portal:record_log_pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pdf = PdfReader(io.BytesIO(response.content))
    words = " ".join(" ".join((p.extract_text() or "").split()) for p in pdf.pages)
    assert "Who has looked at my record" in words
    assert "Collapsed in the lobby" in words


def test_the_log_is_empty_when_nothing_matches(world: World, client_as: ClientAs) -> None:
    shown = text(client_as(Persona.P2).get(LOG, {"who": 999999}))
    assert "Nobody else has opened anything of your record yet" in shown


def _fill(world: World, rows: int) -> None:
    key_worker = world.users[Persona.KEY_WORKER]
    AuditEvent.objects.bulk_create(
        (
            AuditEvent(
                actor_id=key_worker.pk,
                actor_name="Key_Worker",
                role=Role.KEY_WORKER,
                action=AuditAction.READ,
                object_type="people.Person",
                object_id=str(world.p1.pk),
                person_id=world.p1.pk,
                why=f"{'notes' if n % 2 else 'plan'}: page [unit]",
            )
            for n in range(rows)
        ),
        batch_size=5000,
    )


def _queries(client: Client, **params: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(LOG, params).status_code == 200
    return len(captured)


def test_a_page_costs_the_same_queries_at_100000_rows(world: World, client_as: ClientAs) -> None:
    client = client_as(Persona.P1)
    _fill(world, 200)
    small = _queries(client)
    small_page_two = _queries(client, page="2")
    _fill(world, 100_000)
    assert AuditEvent.objects.filter(person_id=world.p1.pk).count() > 100_000
    large = _queries(client)
    assert large == small
    assert _queries(client, page="500") == small_page_two
    assert _queries(client, section="notes", basis="unit") == small
    assert large <= 20


def test_the_privacy_contact_is_set_per_organisation_by_command(world: World) -> None:
    from django.core.management import CommandError, call_command

    from alongside.audit.models import PrivacyContact

    call_command("privacy_contact", "hospital", "analyst")
    call_command("privacy_contact", "hospital", "key_worker")  # the second time replaces it
    contact = PrivacyContact.objects.get(organisation=world.hospital)
    assert contact.user == world.users[Persona.KEY_WORKER]
    with pytest.raises(CommandError):
        call_command("privacy_contact", "nowhere", "analyst")
