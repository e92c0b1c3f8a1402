"""The working relationship: time together, co-written notes, the person's view on every note."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from typing import Protocol

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from alongside.accounts.services import create_user
from alongside.audit.log import Actor
from alongside.audit.models import AuditAction, AuditEvent
from alongside.network import services as network
from alongside.network.scopes import Section
from alongside.organisations.models import Role
from alongside.relationship import services
from alongside.relationship.models import CommentKind, Contact, ContactKind, Note, NoteComment
from tests.personas import PASSWORD, Persona, World

ClientAs = Callable[[Persona], Client]


def url(world: World, name: str, **kwargs: int) -> str:
    return reverse(name, kwargs={"person_id": world.p1.pk, **kwargs})


def note_url(world: World, note: Note | None = None) -> str:
    return url(world, "relationship:note", note_id=(note or world.note).pk)


def key_worker(world: World) -> Actor:
    return Actor(world.users[Persona.KEY_WORKER], Role.KEY_WORKER)


def the_person(world: World) -> Actor:
    return Actor(world.users[Persona.P1], "person")


class _Answer(Protocol):
    @property
    def content(self) -> bytes: ...


def text_of(response: _Answer) -> str:
    return response.content.decode()


# Time together


def test_key_worker_logs_time_together_and_the_caseload_shows_it(
    world: World, client_as: ClientAs
) -> None:
    client = client_as(Persona.KEY_WORKER)
    caseload = client.get(reverse("workspace:caseload"))
    before = {row.person.pk: row for row in caseload.context["rows"]}
    assert before[world.p1.pk].days_since_together is None

    response = client.post(
        url(world, "relationship:together"), {"activity": "Cooking soup", "duration_minutes": "45"}
    )
    assert response.status_code == 302
    contact = Contact.objects.get(activity="Cooking soup")
    assert contact.kind == ContactKind.ACTIVITY
    assert contact.duration_minutes == 45
    assert contact.staff == world.users[Persona.KEY_WORKER]
    assert abs(timezone.now() - contact.occurred_at) < timedelta(minutes=2)

    page = text_of(client.get(url(world, "relationship:together")))
    assert "Cooking soup" in page
    assert "45 minutes" in page
    caseload = client.get(reverse("workspace:caseload"))
    after = {row.person.pk: row for row in caseload.context["rows"]}
    assert after[world.p1.pk].days_since_together == 0
    assert "Time together" in text_of(caseload)


def test_time_together_form_starts_at_now_and_invites_a_first_entry(
    world: World, client_as: ClientAs
) -> None:
    page = text_of(client_as(Persona.KEY_WORKER).get(url(world, "relationship:together")))
    now = timezone.localtime().strftime("%Y-%m-%dT")
    assert re.search(rf'type="datetime-local" name="occurred_at" value="{now}\d\d:\d\d"', page)
    assert "Nothing logged yet. Time with Pia counts" in page
    assert '<label for="id_activity">What did you do together?</label>' in page


def test_time_together_earlier_today_keeps_its_time(world: World, client_as: ClientAs) -> None:
    earlier = (timezone.localtime() - timedelta(hours=3)).replace(second=0, microsecond=0)
    response = client_as(Persona.KEY_WORKER).post(
        url(world, "relationship:together"),
        {
            "activity": "The gym",
            "duration_minutes": "60",
            "occurred_at": earlier.strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert response.status_code == 302
    assert Contact.objects.get(activity="The gym").occurred_at == earlier


def test_time_together_with_zero_minutes_is_refused_with_a_clear_error(
    world: World, client_as: ClientAs
) -> None:
    response = client_as(Persona.KEY_WORKER).post(
        url(world, "relationship:together"), {"activity": "A walk", "duration_minutes": "0"}
    )
    assert response.status_code == 200
    page = text_of(response)
    assert "Give the time in minutes, from 1 to 1440." in page
    # The error sits beside the field and the field points to it.
    assert '<div class="field-errors" id="id_duration_minutes_error">' in page
    assert re.search(r'<input[^>]*aria-invalid="true"[^>]*id="id_duration_minutes"', page)
    assert re.search(r'<input[^>]*aria-describedby="id_duration_minutes_error"', page)
    assert 'value="A walk"' in page  # what was typed is kept
    assert not Contact.objects.filter(activity="A walk").exists()


def test_time_together_without_saying_what_is_refused(world: World, client_as: ClientAs) -> None:
    response = client_as(Persona.KEY_WORKER).post(
        url(world, "relationship:together"), {"activity": "  ", "duration_minutes": "20"}
    )
    assert response.status_code == 200
    assert "Say what you did together." in text_of(response)
    assert not Contact.objects.filter(kind=ContactKind.ACTIVITY).exists()


def test_time_together_in_the_future_is_refused(world: World, client_as: ClientAs) -> None:
    tomorrow = (timezone.localtime() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = client_as(Persona.KEY_WORKER).post(
        url(world, "relationship:together"),
        {"activity": "Gym", "duration_minutes": "30", "occurred_at": tomorrow},
    )
    assert response.status_code == 200
    assert "Time together can only be logged once it has happened." in text_of(response)
    assert not Contact.objects.filter(activity="Gym").exists()


def test_time_together_that_is_not_a_number_is_refused_not_a_crash(
    world: World, client_as: ClientAs
) -> None:
    response = client_as(Persona.KEY_WORKER).post(
        url(world, "relationship:together"),
        {"activity": "Cooking", "duration_minutes": "an hour", "occurred_at": "yesterday"},
    )
    assert response.status_code == 200
    page = text_of(response)
    assert "Enter a whole number." in page
    assert "Enter a valid date/time." in page


def test_time_together_errors_are_shown_in_the_users_language(
    world: World, client_as: ClientAs
) -> None:
    response = client_as(Persona.KEY_WORKER).post(
        url(world, "relationship:together"),
        {"activity": "En gåtur", "duration_minutes": "0"},
        headers={"Accept-Language": "da"},
    )
    assert response.status_code == 200
    assert "Angiv tiden i minutter, fra 1 til 1440." in text_of(response)


def test_the_person_cannot_log_time_together(world: World, client_as: ClientAs) -> None:
    client = client_as(Persona.P1)
    # She reads her log (see test_her_side.py), but has no form to log time together.
    assert 'name="activity"' not in client.get(url(world, "relationship:together")).content.decode()
    response = client.post(
        url(world, "relationship:together"), {"activity": "A walk", "duration_minutes": "30"}
    )
    assert response.status_code == 404
    assert not Contact.objects.exists()


# Writing and reading notes


def test_key_worker_writes_a_note_and_the_person_reads_it_as_their_own_words(
    world: World, client_as: ClientAs
) -> None:
    response = client_as(Persona.KEY_WORKER).post(
        url(world, "relationship:notes"),
        {
            "talked_about": "Going back to the allotment",
            "person_words": "The tomatoes need me",
            "agreed": "We go there together on Tuesday",
        },
    )
    assert response.status_code == 302
    written = Note.objects.get(talked_about="Going back to the allotment")
    assert written.author == world.users[Persona.KEY_WORKER]
    assert written.author_role == Role.KEY_WORKER
    assert not written.is_restricted

    page = text_of(client_as(Persona.P1).get(url(world, "relationship:notes")))
    assert "Notes about me" in page
    assert "written by Key_Worker (Key worker / contact person)" in page
    assert "What you said, in your words" in page
    assert '<blockquote class="own-words">\n      <p>The tomatoes need me</p>' in page
    assert "We go there together on Tuesday" in page
    assert "Write a note together" not in page  # the person comments; staff write


def test_notes_are_listed_newest_first(world: World, client_as: ClientAs) -> None:
    services.write_note(key_worker(world), world.p1, talked_about="The newest meeting")
    page = text_of(client_as(Persona.KEY_WORKER).get(url(world, "relationship:notes")))
    assert page.index("The newest meeting") < page.index("Plans for the weekend")


def test_a_note_needs_what_we_talked_about(world: World, client_as: ClientAs) -> None:
    before = Note.objects.count()
    response = client_as(Persona.KEY_WORKER).post(
        url(world, "relationship:notes"), {"talked_about": "  ", "agreed": "Meet Friday"}
    )
    assert response.status_code == 200
    page = text_of(response)
    assert "Please write what you talked about." in page
    assert 'id="id_talked_about_error"' in page
    assert "Meet Friday" in page  # nothing typed is lost
    assert Note.objects.count() == before


def test_the_person_cannot_write_a_note_about_themself_here(
    world: World, client_as: ClientAs
) -> None:
    before = Note.objects.count()
    response = client_as(Persona.P1).post(
        url(world, "relationship:notes"), {"talked_about": "Written by me"}
    )
    assert response.status_code == 404
    assert Note.objects.count() == before


def test_a_professional_without_a_current_staff_role_reads_but_does_not_write(
    world: World,
) -> None:
    former = create_user("former-psychologist", PASSWORD, display_name="Former")
    network.add_member(
        Actor.system(),
        world.p1,
        former,
        role=Role.PSYCHOLOGIST,
        sections=[Section.NOTES],
        started_at=timezone.now() - timedelta(days=3),
    )
    client = Client()
    client.force_login(former)
    page = client.get(url(world, "relationship:notes"))
    assert page.status_code == 200
    assert "Plans for the weekend" in text_of(page)
    assert "Write a note together" not in text_of(page)
    assert client.post(url(world, "relationship:notes"), {"talked_about": "x"}).status_code == 404
    assert client.get(url(world, "relationship:together")).status_code == 404
    assert Note.objects.count() == 1


def test_caseworker_without_notes_scope_gets_404(world: World, client_as: ClientAs) -> None:
    client = client_as(Persona.CASEWORKER)
    assert client.get(url(world, "relationship:notes")).status_code == 404
    assert client.get(note_url(world)).status_code == 404
    assert client.get(url(world, "relationship:together")).status_code == 404
    assert client.post(url(world, "relationship:notes"), {"talked_about": "x"}).status_code == 404
    assert Note.objects.count() == 1


def test_a_note_asked_for_under_another_person_is_404(world: World, client_as: ClientAs) -> None:
    wrong = reverse(
        "relationship:note", kwargs={"person_id": world.p2.pk, "note_id": world.note.pk}
    )
    assert client_as(Persona.KEY_WORKER).get(wrong).status_code == 404
    assert client_as(Persona.P2).get(wrong).status_code == 404


def test_reading_notes_is_audited_with_the_basis(world: World, client_as: ClientAs) -> None:
    client_as(Persona.KEY_WORKER).get(url(world, "relationship:notes"))
    event = AuditEvent.objects.filter(action=AuditAction.READ, person_id=world.p1.pk).first()
    assert event is not None
    assert event.actor_id == world.users[Persona.KEY_WORKER].pk
    assert event.why == "notes: notes [unit]"


def test_the_person_with_no_notes_is_invited_not_told_no_data(
    world: World, client_as: ClientAs
) -> None:
    page = text_of(
        client_as(Persona.P2).get(reverse("relationship:notes", kwargs={"person_id": world.p2.pk}))
    )
    assert "There are no notes about you yet." in page
    assert "you can add your own view to it" in page


# Restricted notes


def test_restricted_note_is_hidden_from_the_person(world: World, client_as: ClientAs) -> None:
    hidden = services.write_note(
        key_worker(world),
        world.p1,
        talked_about="Safeguarding concern raised by a neighbour",
        restricted_reason="Third-party information shared in confidence",
    )
    person = client_as(Persona.P1)
    mine = text_of(person.get(url(world, "relationship:notes")))
    assert "Plans for the weekend" in mine
    assert "Safeguarding concern" not in mine
    assert "Hidden from" not in mine
    assert person.get(note_url(world, hidden)).status_code == 404
    response = person.post(
        note_url(world, hidden), {"action": "comment", "kind": "comment", "text": "What is this?"}
    )
    assert response.status_code == 404
    assert person.post(note_url(world, hidden), {"action": "confirm"}).status_code == 404
    hidden.refresh_from_db()
    assert hidden.seen_by_person_at is None
    assert not hidden.comments.exists()

    staff = text_of(client_as(Persona.KEY_WORKER).get(url(world, "relationship:notes")))
    assert "Safeguarding concern" in staff
    assert "Hidden from Pia" in staff
    assert "Third-party information shared in confidence" in staff


# The person's view on a note


def test_opening_a_note_marks_it_seen(world: World, client_as: ClientAs) -> None:
    staff = client_as(Persona.KEY_WORKER)
    assert "Not seen by Pia yet" in text_of(staff.get(url(world, "relationship:notes")))
    page = text_of(client_as(Persona.P1).get(note_url(world)))
    assert "A note about you" in page
    assert "This is right" in page
    world.note.refresh_from_db()
    assert world.note.seen_by_person_at is not None
    assert world.note.confirmed_by_person_at is None
    assert "Seen by Pia on" in text_of(staff.get(url(world, "relationship:notes")))


def test_the_person_confirms_a_note_is_right(world: World, client_as: ClientAs) -> None:
    client = client_as(Persona.P1)
    response = client.post(note_url(world), {"action": "confirm"})
    assert response.status_code == 302
    world.note.refresh_from_db()
    assert world.note.confirmed_by_person_at is not None
    assert world.note.seen_by_person_at is not None
    assert "This is right" not in text_of(client.get(note_url(world)))
    staff = text_of(client_as(Persona.KEY_WORKER).get(url(world, "relationship:notes")))
    assert "Confirmed by Pia on" in staff


def test_staff_opening_a_note_does_not_mark_it_seen(world: World, client_as: ClientAs) -> None:
    page = text_of(client_as(Persona.KEY_WORKER).get(note_url(world)))
    assert "A note about Pia" in page
    assert "Pia has not added a comment." in page
    assert "Add my comment" not in page
    world.note.refresh_from_db()
    assert world.note.seen_by_person_at is None


def test_person_can_comment_on_a_note_and_the_original_stays(
    world: World, client_as: ClientAs
) -> None:
    client = client_as(Persona.P1)
    response = client.post(
        note_url(world),
        {"action": "comment", "kind": "correction", "text": "I said I want to rest AND see Mia"},
    )
    assert response.status_code == 302
    world.note.refresh_from_db()
    assert world.note.person_words == "I want to rest"
    assert world.note.talked_about == "Plans for the weekend"
    assert world.note.seen_by_person_at is not None
    comment = NoteComment.objects.get(note=world.note)
    assert comment.kind == CommentKind.CORRECTION
    assert comment.author == world.users[Persona.P1]

    page = text_of(client_as(Persona.KEY_WORKER).get(note_url(world)))
    assert "<p>I want to rest</p>" in page
    assert "Pia's comments and corrections" in page
    assert "Correction by P1" in page
    assert "I said I want to rest AND see Mia" in page
    assert page.index("I want to rest</p>") < page.index("I said I want to rest AND see Mia")


def test_an_empty_comment_is_refused_beside_the_field(world: World, client_as: ClientAs) -> None:
    response = client_as(Persona.P1).post(
        note_url(world), {"action": "comment", "kind": "comment", "text": "   "}
    )
    assert response.status_code == 200
    page = text_of(response)
    assert "Please write your comment." in page
    assert '<div class="field-errors" id="id_text_error">' in page
    assert re.search(r'<textarea[^>]*aria-describedby="id_text_error"', page)
    assert not NoteComment.objects.exists()


def test_staff_cannot_comment_on_a_note_as_the_person(world: World, client_as: ClientAs) -> None:
    client = client_as(Persona.KEY_WORKER)
    response = client.post(
        note_url(world), {"action": "comment", "kind": "comment", "text": "Pretending"}
    )
    assert response.status_code == 404
    assert client.post(note_url(world), {"action": "confirm"}).status_code == 404
    assert not NoteComment.objects.exists()
    world.note.refresh_from_db()
    assert world.note.confirmed_by_person_at is None


def test_notes_page_query_count_does_not_grow_with_notes(world: World, client_as: ClientAs) -> None:
    def add_notes(how_many: int) -> None:
        for index in range(how_many):
            extra = services.write_note(
                key_worker(world), world.p1, talked_about=f"Meeting {index}"
            )
            services.comment_on_note(
                the_person(world), extra, kind=CommentKind.COMMENT, text=f"Noted {index}"
            )
            services.comment_on_note(
                the_person(world), extra, kind=CommentKind.CORRECTION, text=f"Fixed {index}"
            )

    def count(persona: Persona) -> int:
        client = client_as(persona)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url(world, "relationship:notes"))
        assert response.status_code == 200
        return len(captured)

    Note.objects.all().delete()
    add_notes(3)
    few = {persona: count(persona) for persona in (Persona.P1, Persona.KEY_WORKER)}
    add_notes(27)
    assert Note.objects.count() == 30
    assert NoteComment.objects.count() == 60
    many = {persona: count(persona) for persona in (Persona.P1, Persona.KEY_WORKER)}
    assert many == few
    page = text_of(client_as(Persona.P1).get(url(world, "relationship:notes")))
    assert page.count('class="card note') == 30
    assert "Fixed 26" in page
