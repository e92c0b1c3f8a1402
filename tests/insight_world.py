"""A small world for the insight indicators, with every count worked out by hand.

March 2026 is the month counted. Ward North has six persons with a stay all month (A to F) and one
(X) whose stay ended in February; ward South has G (stay ended 20 March with an override) and H
(stay 10 to 25 March, ended without one). Rows dated before or after March are there to be left
out. Timestamps that the models set themselves are moved with ``update`` after creating the row.

The expected numbers are written in tests/test_insight_indicators.py, with the reasoning beside
each.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone

from alongside.accounts.models import User
from alongside.accounts.services import create_user
from alongside.audit.log import Actor
from alongside.discharge.models import DischargeOverride
from alongside.measures.definitions import current_version
from alongside.measures.models import Instrument
from alongside.measures.services import submit_response
from alongside.narratives.models import (
    Code,
    Codebook,
    CodebookOrigin,
    CodeLevel,
    Coding,
    NarrativeProject,
    Purpose,
    Selection,
    Source,
    SourceKind,
)
from alongside.network.models import CareNetworkMembership
from alongside.organisations import services as organisations
from alongside.organisations.models import Organisation, Role, Unit
from alongside.people import services as people
from alongside.people.models import Person, Stay, StayKind, StayStatus
from alongside.plans.models import (
    Goal,
    GoalStance,
    GoalStatus,
    GoalStep,
    Origin,
    ProgressCheckIn,
    Stance,
    Strength,
)
from alongside.relationship.models import Contact, Note, NoteComment
from alongside.reviews.models import Review, ReviewRule
from alongside.safety.decisions import SharedDecision
from alongside.safety.models import CrisisPlanVersion
from alongside.safety.restrictive import Debrief, MeasureType, RestrictiveEpisode

MARCH = date(2026, 3, 1)


def at(month: int, day: int, hour: int = 12, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime(2026, month, day, hour, minute))  # noqa: DTZ001


@dataclass
class InsightWorld:
    organisation: Organisation
    north: Unit
    south: Unit
    staff: User
    persons: dict[str, Person]


def _stamp(model: type, pk: int, **fields: object) -> None:
    model._default_manager.filter(pk=pk).update(**fields)  # type: ignore[attr-defined]


def build_insight_world(prefix: str = "fj") -> InsightWorld:
    system = Actor.system()
    organisation = organisations.create_organisation(
        system, code=f"{prefix}-hospital", name=f"Fjordside {prefix}", kind="hospital"
    )
    north = organisations.create_unit(
        system, organisation, code=f"{prefix}-north", name="North", kind="ward"
    )
    south = organisations.create_unit(
        system, organisation, code=f"{prefix}-south", name="South", kind="ward"
    )
    staff = create_user(f"{prefix}-staff", "correct-horse-battery", display_name="Staff")
    organisations.assign_role(system, staff, north, Role.KEY_WORKER, started_on=date(2025, 1, 1))
    persons: dict[str, Person] = {}
    for name in "ABCDEFXGH":
        persons[name] = people.register_person(system, name=f"Person {name} {prefix}")
    for name in "ABCDEF":
        people.start_stay(
            system, persons[name], north, kind=StayKind.INPATIENT, started_on=date(2026, 1, 5)
        )
    x_stay = people.start_stay(
        system, persons["X"], north, kind=StayKind.INPATIENT, started_on=date(2026, 1, 5)
    )
    people.end_stay(system, x_stay, ended_on=date(2026, 2, 20))
    g_stay = people.start_stay(
        system, persons["G"], south, kind=StayKind.INPATIENT, started_on=date(2026, 2, 1)
    )
    people.end_stay(system, g_stay, ended_on=date(2026, 3, 20))
    DischargeOverride.objects.create(
        stay=g_stay,
        reason_code="not-in-time",
        reason="Housing offer not ready",
        open_items=["housing"],
        by=staff,
        by_role="x",
    )
    h_stay = people.start_stay(
        system, persons["H"], south, kind=StayKind.INPATIENT, started_on=date(2026, 3, 10)
    )
    people.end_stay(system, h_stay, ended_on=date(2026, 3, 25))
    p = persons
    who = {"author": staff, "author_role": Role.KEY_WORKER}
    rec = {"recorded_by": staff, "recorded_role": Role.KEY_WORKER}

    # Strengths: A, B, C before April, D in April, G in South.
    for name, when in [("A", at(2, 1)), ("B", at(3, 1)), ("C", at(3, 31, 20)), ("D", at(4, 5))]:
        s = Strength.objects.create(person=p[name], kind="personal", text="Cooks well", **who)
        _stamp(Strength, s.pk, created_at=when)
    s = Strength.objects.create(person=p["G"], kind="personal", text="Fixes bikes", **who)
    _stamp(Strength, s.pk, created_at=at(3, 2))

    # Network: A family (active); B friend ended mid-March; C friend from April; A peer worker
    # (active); B peer worker ended 31 March at noon.
    def member(name: str, role: str, start: datetime, end: datetime | None = None) -> None:
        supporter = create_user(f"{prefix}-{name}-{role}", "correct-horse-battery")
        CareNetworkMembership.objects.create(
            person=p[name], member=supporter, role=role, started_at=start, ended_at=end
        )

    member("A", "family", at(1, 10))
    member("B", "friend", at(1, 10), at(3, 15))
    member("C", "friend", at(4, 2))
    member("A", Role.PEER_WORKER, at(2, 1))
    member("B", Role.PEER_WORKER, at(3, 5), at(3, 31, 12))

    # Decisions in March: A twice (offered; not offered and without agreement), B once (offered);
    # C in February.
    def decision(name: str, when: datetime, offered: bool, without: bool = False) -> None:
        d = SharedDecision.objects.create(
            person=p[name],
            question="Which ward activity?",
            advocate_offered=offered,
            advocate_took_part=False,
            without_agreement_at=when if without else None,
            **rec,
        )
        _stamp(SharedDecision, d.pk, recorded_at=when)

    decision("A", at(3, 4), True)
    decision("A", at(3, 18), False, without=True)
    decision("B", at(3, 9), True)
    decision("C", at(2, 14), True)

    # Reviews held in March: A with the municipality, B without, C with; D on 28 February.
    for name, held, municipality in [
        ("A", date(2026, 3, 3), True),
        ("B", date(2026, 3, 12), False),
        ("C", date(2026, 3, 30), True),
        ("D", date(2026, 2, 28), True),
    ]:
        Review.objects.create(
            person=p[name],
            stay=Stay.objects.get(person=p[name], status=StayStatus.ACTIVE),
            held_on=held,
            person_went_well="Slept better",
            municipality_took_part=municipality,
            next_review_on=date(2026, 6, 1),
            **rec,
        )

    # Restrictive measures in North: A 3 March (debriefed the next day), B 30-31 March (debriefed
    # 5 April: late), C 12 March (no debrief), D 27 February (left out).
    holding = MeasureType.objects.get(organisation=None, code="physical_holding")

    def episode(name: str, start: datetime, end: datetime, debrief: datetime | None) -> None:
        e = RestrictiveEpisode.objects.create(
            person=p[name],
            unit=north,
            measure=holding,
            started_at=start,
            ended_at=end,
            reason="Hit out",
            alternatives_tried="Quiet room",
            **rec,
        )
        if debrief is not None:
            Debrief.objects.create(episode=e, held_at=debrief, person_account="I was scared", **rec)

    episode("A", at(3, 3, 10), at(3, 3, 11), at(3, 4, 10))
    episode("B", at(3, 30, 23), at(3, 31, 1), at(4, 5, 10))
    episode("C", at(3, 12, 9), at(3, 12, 10), None)
    episode("D", at(2, 27, 9), at(2, 27, 10), at(2, 28, 9))

    # Goals. Own: A (helped by a step), A2 (its helping step is from April), B (a step nobody
    # helps with), C (served by a clinical goal), D (let go), E (April).
    def goal(name: str, origin: str, when: datetime, status: str = GoalStatus.ACTIVE) -> Goal:
        g = Goal.objects.create(person=p[name], text="A goal", origin=origin, status=status, **who)
        _stamp(Goal, g.pk, created_at=when)
        return g

    def step(g: Goal, who_helps: str, when: datetime) -> None:
        s = GoalStep.objects.create(goal=g, text="A step", who_helps=who_helps, **who)
        _stamp(GoalStep, s.pk, created_at=when)

    def stance(g: Goal, value: str, when: datetime) -> None:
        s = GoalStance.objects.create(goal=g, stance=value, **rec)
        _stamp(GoalStance, s.pk, recorded_at=when)

    def check_in(g: Goal, when: datetime) -> None:
        c = ProgressCheckIn.objects.create(goal=g, score=5, **rec)
        _stamp(ProgressCheckIn, c.pk, recorded_at=when)

    ga = goal("A", Origin.PERSON, at(1, 20))
    ga2 = goal("A", Origin.PERSON, at(3, 2))
    gb = goal("B", Origin.PERSON, at(2, 2))
    gc = goal("C", Origin.PERSON, at(3, 15))
    goal("D", Origin.PERSON, at(2, 10), status=GoalStatus.LET_GO)
    goal("E", Origin.PERSON, at(4, 3))
    step(ga, "Kasper", at(2, 1))
    step(ga2, "My sister", at(4, 3))
    step(gb, "", at(3, 3))
    check_in(ga, at(3, 10))
    check_in(gb, at(2, 20))
    check_in(gc, at(3, 31, 23, 30))
    check_in(ga2, at(4, 1, 0, 30))

    # Goals set by others: A agreed; B agreed then disagreed; C none (and it serves C's own
    # goal); D said "not now", then agreed in April.
    g1 = goal("A", Origin.CLINICAL, at(2, 1))
    g2 = goal("B", Origin.SERVICE, at(2, 1))
    g3 = goal("C", Origin.CLINICAL, at(3, 16))
    g4 = goal("D", Origin.CLINICAL, at(2, 1))
    g3.serves.add(gc)
    stance(g1, Stance.AGREE, at(3, 5))
    stance(g2, Stance.AGREE, at(3, 1))
    stance(g2, Stance.DISAGREE, at(3, 20))
    stance(g4, Stance.NOT_NOW, at(3, 2))
    stance(g4, Stance.AGREE, at(4, 2))

    # Crisis plans: A's newest (10 March) is unconfirmed; B's confirmed; C's confirmed in April;
    # D's first version is from April.
    def crisis(name: str, number: int, when: datetime, confirmed: datetime | None) -> None:
        v = CrisisPlanVersion.objects.create(
            person=p[name], number=number, what_helps="Quiet", **who
        )
        _stamp(CrisisPlanVersion, v.pk, created_at=when, confirmed_at=confirmed)

    crisis("A", 1, at(2, 1), at(2, 2))
    crisis("A", 2, at(3, 10), None)
    crisis("B", 1, at(2, 1), at(3, 2))
    crisis("C", 1, at(3, 3), at(4, 2))
    crisis("D", 1, at(4, 1), at(4, 1))

    # Time together in March: A 60 + 30, B 45, D 15, C a contact without minutes; E in February.
    for name, when, minutes in [
        ("A", at(3, 2), 60),
        ("A", at(3, 20), 30),
        ("B", at(3, 8), 45),
        ("D", at(3, 31, 22), 15),
        ("C", at(3, 5), None),
        ("E", at(2, 28), 90),
    ]:
        Contact.objects.create(
            person=p[name], staff=staff, kind="activity", occurred_at=when, duration_minutes=minutes
        )

    # Notes in March: A's first confirmed, A's second commented on, B's untouched, C's confirmed
    # in April; D's from February (confirmed, left out).
    def note(name: str, when: datetime, confirmed: datetime | None) -> Note:
        n = Note.objects.create(person=p[name], talked_about="The week", **who)
        _stamp(Note, n.pk, written_at=when, confirmed_by_person_at=confirmed)
        return n

    note("A", at(3, 4), at(3, 5))
    commented = note("A", at(3, 11), None)
    NoteComment.objects.create(note=commented, kind="comment", text="I said it differently", **who)
    _stamp(NoteComment, NoteComment.objects.get(note=commented).pk, written_at=at(3, 12))
    note("B", at(3, 14), None)
    note("C", at(3, 20), at(4, 2))
    note("D", at(2, 27), at(2, 28))

    # Reviews under the organisation's rule of 60 days: A-F's first review fell due 6 March
    # (5 January + 60). A (3 March) and D (28 February) kept it; B and C were late; E and F had
    # none. X's stay ended before its due date; G's and H's first reviews fall due in April and May.
    ReviewRule.objects.create(organisation=organisation, interval_days=60)

    # CHIME check-ins (overall = the mean of five items, all given the same value here). A: 4 in
    # February, 6 on 5 March (2 better), 5 on 20 March (1 worse: no change worth noting). B: 7 on
    # 3 March (nothing earlier to compare), 4 on 25 March (3 worse). C: 5 in February, 9 in April
    # (left out). G in South: 5 in February, 3 on 10 March (2 worse).
    chime = current_version(Instrument.objects.get(code="chime_checkin"))
    assert chime is not None
    items = ("connectedness", "hope", "identity", "meaning", "empowerment")
    for name, when, value in [
        ("A", at(2, 10), 4),
        ("A", at(3, 5), 6),
        ("A", at(3, 20), 5),
        ("B", at(3, 3), 7),
        ("B", at(3, 25), 4),
        ("C", at(2, 1), 5),
        ("C", at(4, 2), 9),
        ("G", at(2, 15), 5),
        ("G", at(3, 10), 3),
    ]:
        submit_response(
            Actor(staff, Role.KEY_WORKER),
            p[name],
            chime,
            dict.fromkeys(items, value),
            authored_at=when,
        )
    # Narratives with the unit's code as case attribute. North in March: N1 names no-choice
    # (control) and the hospital-confined root; N2 names authority-slope (control) and
    # no-compassion (safety); N3 only an element (no barrier). Left out: N4 (February), N5
    # (consent withdrawn), N6 (consent for research only).
    project = NarrativeProject.objects.create(
        name=f"Stories {prefix}", purpose=Purpose.IMPROVEMENT, created_by=staff
    )
    book = Codebook.objects.create(project=project, name="Steps", origin=CodebookOrigin.RECOVERY)
    codes = {
        concept: Code.objects.create(
            codebook=book, level=CodeLevel.CODE, name=concept, concept_code=concept
        )
        for concept in [
            "recovery.control.no-choice",
            "recovery.control.authority-slope",
            "recovery.safety.no-compassion",
            "recovery.roots.system.hospital-confined",
            "recovery.control.choice-available",
        ]
    }

    def narrative(
        unit: Unit, day: str, coded: list[str], *, withdrawn: bool = False, improve: bool = True
    ) -> None:
        source = Source.objects.create(
            project=project,
            name="A story",
            kind=SourceKind.NARRATIVE,
            text="It was a long winter on the ward.",
            char_count=33,
            attributes={"unit": unit.code, "date": day},
            consent_improvement=improve,
            consent_research=True,
            withdrawn_at=at(3, 28) if withdrawn else None,
            submitted_by=staff,
            submitted_role=Role.KEY_WORKER,
        )
        for index, concept in enumerate(coded):
            selection = Selection.objects.create(
                source=source, start=index, end=index + 5, coder=staff, coder_guid=uuid.uuid4()
            )
            Coding.objects.create(selection=selection, code=codes[concept])

    narrative(
        north,
        "2026-03-04",
        ["recovery.control.no-choice", "recovery.roots.system.hospital-confined"],
    )
    narrative(
        north, "2026-03-10", ["recovery.control.authority-slope", "recovery.safety.no-compassion"]
    )
    narrative(north, "2026-03-15", ["recovery.control.choice-available"])
    narrative(north, "2026-02-20", ["recovery.control.no-choice"])
    narrative(north, "2026-03-20", ["recovery.control.no-choice"], withdrawn=True)
    narrative(north, "2026-03-21", ["recovery.control.no-choice"], improve=False)
    return InsightWorld(organisation, north, south, staff, persons)
