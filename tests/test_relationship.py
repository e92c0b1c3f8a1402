"""The working relationship: time together, co-written notes, the person's view on every note."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from alongside.audit.log import Actor
from alongside.organisations.models import Role
from alongside.relationship import services
from alongside.relationship.models import CommentKind, Contact, Note, NoteComment
from tests.personas import Persona, World


def url(world: World, name: str, **kwargs: int) -> str:
    return reverse(name, kwargs={"person_id": world.p1.pk, **kwargs})


def key_worker(world: World) -> Actor:
    return Actor(world.users[Persona.KEY_WORKER], Role.KEY_WORKER)


def test_key_worker_logs_time_together_and_the_caseload_shows_it(
    world: World, client_as: Callable[[Persona], Client]
) -> None:
    client = client_as(Persona.KEY_WORKER)
    response = client.post(
        url(world, "relationship:together"), {"activity": "Cooking soup", "duration_minutes": "45"}
    )
    assert response.status_code == 302
    contact = Contact.objects.get(activity="Cooking soup")
    assert contact.duration_minutes == 45
    assert contact.staff == world.users[Persona.KEY_WORKER]
    assert "Cooking soup" in client.get(url(world, "relationship:together")).content.decode()
    row = client.get(reverse("workspace:caseload")).content.decode()
    assert "Time together" in row
    assert "Today" in row


def test_time_together_with_zero_minutes_is_refused_with_a_clear_error(
    world: World, client_as: Callable[[Persona], Client]
) -> None:
    response = client_as(Persona.KEY_WORKER).post(
        url(world, "relationship:together"), {"activity": "A walk", "duration_minutes": "0"}
    )
    assert response.status_code == 200
    assert "Give the time in minutes, from 1 to 1440." in response.content.decode()
    assert not Contact.objects.filter(activity="A walk").exists()


def test_time_together_in_the_future_is_refused(
    world: World, client_as: Callable[[Persona], Client]
) -> None:
    tomorrow = (timezone.localtime() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = client_as(Persona.KEY_WORKER).post(
        url(world, "relationship:together"),
        {"activity": "Gym", "duration_minutes": "30", "occurred_at": tomorrow},
    )
    assert response.status_code == 200
    assert "once it has happened" in response.content.decode()


def test_person_can_comment_on_a_note_and_the_original_stays(
    world: World, client_as: Callable[[Persona], Client]
) -> None:
    client = client_as(Persona.P1)
    note_url = url(world, "relationship:note", note_id=world.note.pk)
    response = client.post(
        note_url,
        {"action": "comment", "kind": "correction", "text": "I said I want to rest AND see Mia"},
    )
    assert response.status_code == 302
    world.note.refresh_from_db()
    assert world.note.person_words == "I want to rest"
    comment = NoteComment.objects.get(note=world.note)
    assert comment.kind == CommentKind.CORRECTION
    page = client_as(Persona.KEY_WORKER).get(note_url).content.decode()
    assert "I want to rest" in page
    assert "I said I want to rest AND see Mia" in page


def test_opening_a_note_marks_it_seen_and_confirming_is_recorded(
    world: World, client_as: Callable[[Persona], Client]
) -> None:
    staff_view = client_as(Persona.KEY_WORKER).get(url(world, "relationship:notes"))
    assert "Not seen by Pia yet" in staff_view.content.decode()
    client = client_as(Persona.P1)
    client.get(url(world, "relationship:note", note_id=world.note.pk))
    world.note.refresh_from_db()
    assert world.note.seen_by_person_at is not None
    assert world.note.confirmed_by_person_at is None
    client.post(url(world, "relationship:note", note_id=world.note.pk), {"action": "confirm"})
    world.note.refresh_from_db()
    assert world.note.confirmed_by_person_at is not None
    assert (
        "Confirmed by Pia"
        in client_as(Persona.KEY_WORKER).get(url(world, "relationship:notes")).content.decode()
    )


def test_staff_opening_a_note_does_not_mark_it_seen(
    world: World, client_as: Callable[[Persona], Client]
) -> None:
    client_as(Persona.KEY_WORKER).get(url(world, "relationship:note", note_id=world.note.pk))
    world.note.refresh_from_db()
    assert world.note.seen_by_person_at is None


def test_restricted_note_is_hidden_from_the_person(
    world: World, client_as: Callable[[Persona], Client]
) -> None:
    hidden = services.write_note(
        key_worker(world),
        world.p1,
        talked_about="Safeguarding concern raised by a neighbour",
        restricted_reason="Third-party information shared in confidence",
    )
    mine = client_as(Persona.P1).get(url(world, "relationship:notes")).content.decode()
    assert "Safeguarding concern" not in mine
    assert (
        client_as(Persona.P1).get(url(world, "relationship:note", note_id=hidden.pk)).status_code
        == 404
    )
    staff = client_as(Persona.KEY_WORKER).get(url(world, "relationship:notes")).content.decode()
    assert "Safeguarding concern" in staff
    assert "Third-party information shared in confidence" in staff


def test_caseworker_without_notes_scope_gets_404(
    world: World, client_as: Callable[[Persona], Client]
) -> None:
    client = client_as(Persona.CASEWORKER)
    assert client.get(url(world, "relationship:notes")).status_code == 404
    assert client.get(url(world, "relationship:note", note_id=world.note.pk)).status_code == 404


def test_staff_cannot_comment_as_the_person(
    world: World, client_as: Callable[[Persona], Client]
) -> None:
    response = client_as(Persona.KEY_WORKER).post(
        url(world, "relationship:note", note_id=world.note.pk),
        {"action": "comment", "kind": "comment", "text": "Pretending"},
    )
    assert response.status_code == 404
    assert not NoteComment.objects.exists()


def test_a_note_needs_what_we_talked_about(
    world: World, client_as: Callable[[Persona], Client]
) -> None:
    before = Note.objects.count()
    response = client_as(Persona.KEY_WORKER).post(
        url(world, "relationship:notes"), {"talked_about": "  ", "agreed": "Meet Friday"}
    )
    assert response.status_code == 200
    assert "Please write what you talked about." in response.content.decode()
    assert Note.objects.count() == before


def test_notes_page_query_count_does_not_grow_with_notes(
    world: World, client_as: Callable[[Persona], Client]
) -> None:
    client = client_as(Persona.P1)

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url(world, "relationship:notes")).status_code == 200
        return len(captured)

    person = Actor(world.users[Persona.P1], "person")
    few = count()
    for index in range(30):
        extra = services.write_note(key_worker(world), world.p1, talked_about=f"Meeting {index}")
        services.comment_on_note(person, extra, kind=CommentKind.COMMENT, text=f"Noted {index}")
    assert count() == few
