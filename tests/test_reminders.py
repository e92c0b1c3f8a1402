"""Reminders: producers are idempotent, claims are exclusive, and a worker that is killed and
restarted loses no reminder and sends none twice in the app.

The worker runs as a real subprocess (``alongside reminders``) against this test's database: on
PostgreSQL the test database itself (data committed by a transactional test), on SQLite a file
copy of the in-memory test database, copied back afterwards. ``ALONGSIDE_REMINDERS_TEST_CRASH``
makes the subprocess die with ``os._exit`` at a chosen point.
"""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from alongside.audit.log import Actor
from alongside.audit.models import AuditEvent
from alongside.meetings import services as meetings
from alongside.meetings.models import Action
from alongside.notifications.models import Notification
from alongside.organisations.models import Role
from alongside.reminders.models import Reminder, ReminderKind
from alongside.reminders.producers import produce_all
from alongside.reminders.worker import claim, run_round, send_one
from alongside.safety import register
from tests.personas import Persona, World, build_world

ALONGSIDE = str(Path(sys.executable).parent / "alongside")
# Far longer than any restart takes, however loaded the machine: the crash tests let leases run
# out in the database (expire_leases) instead of waiting for them.
LEASE = 3600
MESSAGE_ID = re.compile(r"^Message-ID: (<reminder-[^>]+>)", re.MULTILINE)


def give_actions(world: World, count: int) -> list[Action]:
    """A meeting with P1 where the caseworker takes on ``count`` actions, all due tomorrow."""
    key_worker = Actor(world.users[Persona.KEY_WORKER], Role.KEY_WORKER)
    meeting = meetings.plan_meeting(
        key_worker,
        world.p1,
        meetings.MeetingPlan(
            planned_for=timezone.now(),
            place="Ward A",
            participants=[world.users[Persona.CASEWORKER]],
        ),
    )
    return [
        meetings.add_action(
            key_worker,
            meeting,
            text=f"Action number {number}",
            owner=world.users[Persona.CASEWORKER],
            due_on=timezone.localdate() + timedelta(days=1),
        )
        for number in range(count)
    ]


def with_email(world: World) -> World:
    for user in world.users.values():
        user.email = f"{user.username}@example.org"
        user.save(update_fields=["email"])
    return world


def assert_each_sent_once_in_the_app() -> None:
    """Every reminder sent, and exactly one notification for each. Each reminder in these worlds
    has its own (recipient, text), so a duplicate notification shows up as a repeated pair."""
    reminders = list(Reminder.objects.all())
    assert reminders
    assert all(r.sent_at is not None for r in reminders), "a reminder was lost"
    sent = Notification.objects.filter(code__startswith="reminders.")
    pairs = Counter((n.recipient_id, n.shown_text) for n in sent)
    assert [pair for pair, n in pairs.items() if n > 1] == [], "a reminder was sent twice"
    assert sum(pairs.values()) == len(reminders)


# Producers and claims, in this process


def test_producers_are_idempotent(world: World) -> None:
    give_actions(world, 2)
    produce_all()
    first = sorted(Reminder.objects.values_list("kind", "subject", "due_on", "recipient_id"))
    produce_all()
    produce_all()
    assert (
        sorted(Reminder.objects.values_list("kind", "subject", "due_on", "recipient_id")) == first
    )
    key_worker = world.users[Persona.KEY_WORKER].pk
    caseworker = world.users[Persona.CASEWORKER].pk
    by_kind = Counter((kind, recipient) for kind, _s, _d, recipient in first)
    assert by_kind == {
        (ReminderKind.ACTION_DUE, caseworker): 2,
        # P1's review is in 10 days: every party is reminded. The key worker is in the network
        # and holds the unit role; the caseworker is the municipality; P1 has a login.
        (ReminderKind.REVIEW_DUE, key_worker): 1,
        (ReminderKind.REVIEW_DUE, caseworker): 1,
        (ReminderKind.REVIEW_DUE, world.users[Persona.P1].pk): 1,
        # The physical holding four days ago has no debrief: overdue after 72 hours.
        (ReminderKind.DEBRIEF_DUE, key_worker): 1,
    }


def test_a_moved_review_date_gives_a_new_reminder(world: World) -> None:
    produce_all()
    stay = world.p1.stays.get()
    stay.next_review_on = timezone.localdate() + timedelta(days=12)
    stay.save(update_fields=["next_review_on"])
    produce_all()
    reviews = Reminder.objects.filter(kind=ReminderKind.REVIEW_DUE)
    assert reviews.count() == 6  # three parties, two dates
    result = run_round("w")
    # The old review date is cancelled for all three; the new one and the debrief are sent.
    assert (result.sent, result.cancelled) == (4, 3)


def test_done_actions_and_held_debriefs_are_not_reminded(world: World) -> None:
    (action,) = give_actions(world, 1)
    produce_all()
    meetings.complete_action(Actor(world.users[Persona.CASEWORKER], Role.CASEWORKER), action)
    register.record_debrief(
        Actor(world.users[Persona.KEY_WORKER], Role.KEY_WORKER),
        world.episode,
        held_at=timezone.now(),
        person_account="I was scared and nobody explained",
    )
    result = run_round("w")
    assert (result.sent, result.cancelled) == (3, 2)  # the review reaches its three parties
    reminder_events = AuditEvent.objects.filter(object_type="reminders.Reminder", actor_id=None)
    assert sorted(reminder_events.values_list("why", flat=True)) == [
        "cancelled: no longer due",
        "cancelled: no longer due",
        "sent",
        "sent",
        "sent",
    ]
    caseworker = world.users[Persona.CASEWORKER]
    assert not Notification.objects.filter(recipient=caseworker, code="reminders.action_due")


def test_claims_are_exclusive_and_a_lease_can_be_taken_over(world: World) -> None:
    now = timezone.now()
    produce_all(now)
    first = claim("a", now, lease=timedelta(minutes=5))
    assert len(first) == 4
    assert claim("b", now + timedelta(minutes=1)) == []
    later = now + timedelta(minutes=6)
    taken = claim("b", later)
    assert sorted(taken) == sorted(first)
    assert send_one(first[0], "a", later, 0) == "lost"  # b holds it now
    assert send_one(first[0], "b", later, 0) == "sent"
    assert send_one(first[0], "b", later, 1) == "lost"  # already sent
    assert Notification.objects.filter(code__startswith="reminders.").count() == 1


def test_each_email_carries_a_stable_message_id(world: World) -> None:
    with_email(world)
    run_round("w")
    reminders = {r.message_id: r for r in Reminder.objects.all()}
    assert len(mail.outbox) == len(reminders) == 4
    assert {m.extra_headers["Message-ID"] for m in mail.outbox} == set(reminders)
    assert all(m.message()["Message-ID"] in reminders for m in mail.outbox)


# The worker as a subprocess


@pytest.fixture
def committed_world(frameworks_loaded: None) -> World:
    return with_email(build_world())


@contextmanager
def shared_database(tmp_path: Path) -> Iterator[dict[str, str]]:
    """Environment for worker subprocesses that reach this test's (committed) database."""
    env = {
        **os.environ,
        "ALONGSIDE_EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("ALONGSIDE_REMINDERS_TEST_CRASH", None)
    settings = connection.settings_dict
    if connection.vendor == "postgresql":
        env["DATABASE_URL"] = (
            f"postgres://{settings['USER']}:{settings['PASSWORD']}@"
            f"{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}/{settings['NAME']}"
        )
        yield env
        return
    # SQLite: the test database lives in this process's memory; hand the workers a file copy.
    path = tmp_path / "shared.sqlite3"
    connection.ensure_connection()
    memory = connection.connection
    target = sqlite3.connect(path)
    memory.backup(target)
    target.close()
    env["DATABASE_URL"] = f"sqlite:///{path}"
    yield env
    source = sqlite3.connect(path)
    source.backup(memory)
    source.close()


def expire_leases(env: dict[str, str]) -> None:
    """Let every open claim's lease run out, in the database the workers share."""
    past = timezone.now() - timedelta(seconds=1)
    url = env["DATABASE_URL"]
    if url.startswith("sqlite:///"):
        with sqlite3.connect(url.removeprefix("sqlite:///")) as shared:
            shared.execute(
                "UPDATE reminders_reminder SET claimed_until = ? WHERE claimed_until IS NOT NULL",
                (past.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f"),),
            )
        return
    Reminder.objects.filter(claimed_until__isnull=False).update(claimed_until=past)


def worker(
    env: dict[str, str], name: str, *extra: str, crash: str = ""
) -> subprocess.CompletedProcess[str]:
    run_env = {**env, "ALONGSIDE_REMINDERS_TEST_CRASH": crash} if crash else env
    return subprocess.run(  # noqa: S603 - our own command, arguments written in this file
        [ALONGSIDE, "reminders", "--once", "--worker-name", name, *extra],
        env=run_env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize("crash", ["mid-send:3", "after-claim"])
def test_a_killed_worker_restarted_loses_nothing_and_sends_nothing_twice(
    committed_world: World, tmp_path: Path, crash: str
) -> None:
    # With the review (to P1, the key worker and the caseworker) and the debrief: 10 reminders.
    give_actions(committed_world, 6)
    with shared_database(tmp_path) as env:
        killed = worker(env, "first", "--lease", str(LEASE), crash=crash)
        assert killed.returncode == 3, killed.stderr
        # Restarted at once: what the dead worker claimed is still leased to it, however long the
        # restart took on a loaded machine (the lease is long).
        early = worker(env, "second", "--lease", str(LEASE))
        assert early.returncode == 0, early.stderr
        expire_leases(env)  # the lease runs out, in the database rather than by waiting
        late = worker(env, "second", "--lease", str(LEASE))
        assert late.returncode == 0, late.stderr
    assert "claimed 0, sent 0" in early.stdout
    assert_each_sent_once_in_the_app()
    assert Reminder.objects.count() == 10
    # Email is at least once: a mail that left just before the crash goes again, with the same
    # Message-ID, so the duplicate is recognisable. Nothing else is repeated.
    ids = Counter(MESSAGE_ID.findall(killed.stdout + early.stdout + late.stdout))
    assert set(ids) == {r.message_id for r in Reminder.objects.all()}
    repeated = sorted(n for n in ids.values() if n > 1)
    assert repeated == ([2] if crash.startswith("mid-send") else [])
    if crash == "mid-send:3":
        assert Reminder.objects.filter(claimed_by="first").count() == 2
        assert Reminder.objects.filter(claimed_by="second", attempts=2).count() == 8


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_two_concurrent_workers_never_send_the_same_reminder_twice(
    committed_world: World, tmp_path: Path
) -> None:
    give_actions(committed_world, 60)  # with the review's three and the debrief: 64 reminders
    with shared_database(tmp_path) as env:
        command = [ALONGSIDE, "reminders", "--batch", "3", "--interval", "0.05"]
        workers = [
            subprocess.Popen(  # noqa: S603 - our own command, arguments written in this file
                [*command, "--worker-name", name],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for name in ("left", "right")
        ]
        try:
            deadline = time.monotonic() + 90
            while Reminder.objects.filter(sent_at__isnull=True).exists() or not (
                Reminder.objects.exists()
            ):
                assert time.monotonic() < deadline, "the workers did not finish"
                time.sleep(0.2)
        finally:
            outputs = []
            for process in workers:
                process.terminate()
                outputs.append(process.communicate(timeout=30)[0])
    assert_each_sent_once_in_the_app()
    assert Reminder.objects.count() == 64
    by_worker = Counter(Reminder.objects.values_list("claimed_by", flat=True))
    assert by_worker["left"] > 0
    assert by_worker["right"] > 0, by_worker
    ids = Counter(MESSAGE_ID.findall("".join(outputs)))
    assert len(ids) == 64
    assert max(ids.values()) == 1


def test_a_waiting_questionnaire_reminds_the_person_until_they_answer(world: World) -> None:
    from alongside.measures import services as measures
    from alongside.measures.definitions import current_version
    from alongside.measures.models import Instrument

    chime = Instrument.objects.get(code="chime_checkin")
    as_key_worker = Actor(world.users[Persona.KEY_WORKER], Role.KEY_WORKER)
    schedule = measures.schedule_measure(
        as_key_worker, world.p1, chime, kind="once", first_due_on=timezone.localdate()
    )
    produce_all()
    waiting = Reminder.objects.get(kind=ReminderKind.MEASURE_DUE)
    assert (waiting.recipient_id, waiting.subject) == (
        world.users[Persona.P1].pk,
        f"schedule:{schedule.pk}",
    )
    run_round("w")
    (note,) = Notification.objects.filter(
        recipient=world.users[Persona.P1], code="reminders.measure_due"
    )
    assert note.code == "reminders.measure_due"
    assert "CHIME" in note.shown_text

    # Answered: nothing more is produced for this schedule.
    version = current_version(chime)
    assert version is not None
    measures.submit_response(
        Actor(world.users[Persona.P1], "person"),
        world.p1,
        version,
        {"connectedness": 6, "hope": 5, "identity": 7, "meaning": 4, "empowerment": 5},
        schedule=schedule,
    )
    produce_all()
    assert Reminder.objects.filter(kind=ReminderKind.MEASURE_DUE).count() == 1
