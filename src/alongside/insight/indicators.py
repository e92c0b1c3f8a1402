"""Indicators of recovery-oriented practice, as data, and how each is counted for one month.

Every indicator has a stable code, a name and a plain explanation (translated), the practice
themes and the domain it informs (codes from ``frameworks/catalogue.py``), what its numerator and
denominator count, and whether higher is better. ``count`` functions read the person tables of
one calendar month and return, per unit, a numerator and a denominator. They run only when rollups
are refreshed (``services.refresh``), never when a page is shown.

Which unit a fact belongs to: facts tied to a stay or a unit (reviews, discharges, restrictive
episodes) count in that unit; facts about a person (goals, notes, decisions, time together) count
in every unit where the person had a stay during the month. A person who moved between two units
that month counts in both, which is what each unit's team lived through.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from django.db.models import Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from alongside.discharge.models import DischargeOverride
from alongside.network.models import CareNetworkMembership, SupporterRelation
from alongside.organisations.models import Role
from alongside.people.models import Stay, StayKind, StayStatus
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
from alongside.reviews.models import Review
from alongside.safety.decisions import SharedDecision
from alongside.safety.models import CrisisPlanVersion
from alongside.safety.restrictive import DEFAULT_DEBRIEF_HOURS, DebriefRule, RestrictiveEpisode

Counts = dict[int, tuple[float, float]]


class Domain(StrEnum):
    CITIZENSHIP = "practice.citizenship"
    ORGANISATION = "practice.organisation"
    PERSONAL = "practice.personal"
    RELATIONSHIP = "practice.relationship"


class Kind(StrEnum):
    SHARE = "share"  # numerator / denominator, shown as a percentage
    RATE = "rate"  # numerator / denominator x scale


@dataclass(frozen=True)
class Month:
    """One calendar month, and who had a stay in which unit during it."""

    start: date
    end: date  # first day of the next month
    population: dict[int, set[int]]  # unit id -> person ids
    units_of: dict[int, set[int]]  # person id -> unit ids

    @property
    def start_at(self) -> datetime:
        return datetime.combine(self.start, time.min, tzinfo=timezone.get_current_timezone())

    @property
    def end_at(self) -> datetime:
        return datetime.combine(self.end, time.min, tzinfo=timezone.get_current_timezone())

    @property
    def persons(self) -> set[int]:
        return set(self.units_of)


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def load_month(start: date) -> Month:
    end = next_month(start)
    population: dict[int, set[int]] = defaultdict(set)
    units_of: dict[int, set[int]] = defaultdict(set)
    stays = (
        Stay.objects.exclude(status=StayStatus.PLANNED)
        .filter(started_on__lt=end)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=start))
        .values_list("unit_id", "person_id")
    )
    for unit_id, person_id in stays:
        population[unit_id].add(person_id)
        units_of[person_id].add(unit_id)
    return Month(start, end, dict(population), dict(units_of))


@dataclass(frozen=True)
class Indicator:
    code: str
    name: Promise
    explanation: Promise
    numerator: Promise
    denominator: Promise
    domain: Domain
    themes: tuple[str, ...]
    higher_is_better: bool
    count: Callable[[Month], Counts]
    kind: Kind = Kind.SHARE
    scale: int = 100
    # Whether the numerator counts persons or events (and so may be small enough to point at
    # someone). Minutes of time together do not; the persons they are divided by do.
    numerator_is_count: bool = True

    def value(self, numerator: float, denominator: float) -> float | None:
        if not denominator:
            return None
        return round(numerator / denominator * self.scale, 1)


# Counting helpers -------------------------------------------------------------------------------


def _persons_share(month: Month, having: Iterable[int]) -> Counts:
    """Per unit: persons of the month's population in ``having``, out of the whole population."""
    have = set(having)
    return {
        unit_id: (float(len(persons & have)), float(len(persons)))
        for unit_id, persons in month.population.items()
    }


def _spread(month: Month, per_person: dict[int, tuple[float, float]]) -> Counts:
    """Add each person's numerator and denominator to every unit they had a stay in."""
    counts: dict[int, list[float]] = {unit_id: [0.0, 0.0] for unit_id in month.population}
    for person_id, (numerator, denominator) in per_person.items():
        for unit_id in month.units_of.get(person_id, ()):
            counts[unit_id][0] += numerator
            counts[unit_id][1] += denominator
    return {unit_id: (n, d) for unit_id, (n, d) in counts.items()}


def _tally(month: Month, rows: Iterable[tuple[int, bool]]) -> Counts:
    """Rows of (person id, counts in numerator): one denominator each, spread to units."""
    per_person: dict[int, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for person_id, hit in rows:
        per_person[person_id][0] += 1 if hit else 0
        per_person[person_id][1] += 1
    return _spread(month, {p: (n, d) for p, (n, d) in per_person.items()})


def _unit_tally(month: Month, rows: Iterable[tuple[int, bool]]) -> Counts:
    """Rows of (unit id, counts in numerator), for facts that belong to a unit."""
    counts: dict[int, list[float]] = {unit_id: [0.0, 0.0] for unit_id in month.population}
    for unit_id, hit in rows:
        entry = counts.setdefault(unit_id, [0.0, 0.0])
        entry[0] += 1 if hit else 0
        entry[1] += 1
    return {unit_id: (n, d) for unit_id, (n, d) in counts.items()}


def _active_members(month: Month, roles: Iterable[str]) -> set[int]:
    """Persons with a network member in one of ``roles`` at the end of the month."""
    moment = month.end_at - timedelta(microseconds=1)
    return set(
        CareNetworkMembership.objects.active_at(moment)
        .filter(role__in=list(roles), person_id__in=month.persons)
        .values_list("person_id", flat=True)
    )


# The indicators' counts --------------------------------------------------------------------------


def count_strengths(month: Month) -> Counts:
    having = Strength.objects.filter(
        person_id__in=month.persons, created_at__lt=month.end_at
    ).values_list("person_id", flat=True)
    return _persons_share(month, having)


def count_network_beyond(month: Month) -> Counts:
    return _persons_share(month, _active_members(month, SupporterRelation.values))


def count_advocate_offered(month: Month) -> Counts:
    rows = SharedDecision.objects.filter(
        person_id__in=month.persons,
        recorded_at__gte=month.start_at,
        recorded_at__lt=month.end_at,
    ).values_list("person_id", "advocate_offered")
    return _tally(month, rows)


def count_without_agreement(month: Month) -> Counts:
    rows = SharedDecision.objects.filter(
        person_id__in=month.persons,
        recorded_at__gte=month.start_at,
        recorded_at__lt=month.end_at,
    ).values_list("person_id", "without_agreement_at")
    return _tally(month, ((person_id, at is not None) for person_id, at in rows))


def count_reviews_municipality(month: Month) -> Counts:
    rows = Review.objects.filter(held_on__gte=month.start, held_on__lt=month.end).values_list(
        "stay__unit_id", "municipality_took_part"
    )
    return _unit_tally(month, rows)


def count_discharge_offer(month: Month) -> Counts:
    overridden = set(DischargeOverride.objects.values_list("stay_id", flat=True))
    rows = Stay.objects.filter(
        status=StayStatus.ENDED, ended_on__gte=month.start, ended_on__lt=month.end
    ).values_list("unit_id", "pk")
    return _unit_tally(month, ((unit_id, pk not in overridden) for unit_id, pk in rows))


def bed_days(month: Month) -> dict[int, int]:
    """Inpatient bed-days per unit in the month: each day a stay covered counts once."""
    days: dict[int, int] = defaultdict(int)
    stays = (
        Stay.objects.filter(kind=StayKind.INPATIENT, started_on__lt=month.end)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=month.start))
        .values_list("unit_id", "started_on", "ended_on")
    )
    for unit_id, started_on, ended_on in stays:
        first = max(started_on, month.start)
        last = min(ended_on or month.end, month.end)
        days[unit_id] += max(0, (last - first).days)
    return days


def count_restrictive(month: Month) -> Counts:
    episodes: dict[int, int] = defaultdict(int)
    for unit_id in RestrictiveEpisode.objects.filter(
        started_at__gte=month.start_at, started_at__lt=month.end_at
    ).values_list("unit_id", flat=True):
        episodes[unit_id] += 1
    days = bed_days(month)
    units = set(days) | set(episodes)
    return {unit_id: (float(episodes[unit_id]), float(days.get(unit_id, 0))) for unit_id in units}


def count_debrief_on_time(month: Month) -> Counts:
    hours = dict(DebriefRule.objects.values_list("organisation_id", "hours"))
    rows = []
    for unit_id, organisation_id, ended_at, held_at in RestrictiveEpisode.objects.filter(
        ended_at__gte=month.start_at, ended_at__lt=month.end_at
    ).values_list("unit_id", "unit__organisation_id", "ended_at", "debrief__held_at"):
        deadline = ended_at + timedelta(hours=hours.get(organisation_id, DEFAULT_DEBRIEF_HOURS))
        rows.append((unit_id, held_at is not None and held_at <= deadline))
    return _unit_tally(month, rows)


def count_own_goal(month: Month) -> Counts:
    having = Goal.objects.filter(
        person_id__in=month.persons, origin=Origin.PERSON, created_at__lt=month.end_at
    ).values_list("person_id", flat=True)
    return _persons_share(month, having)


def count_not_endorsed(month: Month) -> Counts:
    goals = dict(
        Goal.objects.filter(person_id__in=month.persons, created_at__lt=month.end_at)
        .exclude(origin=Origin.PERSON)
        .values_list("pk", "person_id")
    )
    latest: dict[int, str] = {}
    # Oldest first, so the newest stance before the month ended is the one left standing.
    for goal_id, stance in (
        GoalStance.objects.filter(goal_id__in=list(goals), recorded_at__lt=month.end_at)
        .order_by("recorded_at", "id")
        .values_list("goal_id", "stance")
    ):
        latest[goal_id] = stance
    return _tally(
        month,
        ((person_id, latest.get(goal_id) != Stance.AGREE) for goal_id, person_id in goals.items()),
    )


def count_peer(month: Month) -> Counts:
    return _persons_share(month, _active_members(month, [Role.PEER_WORKER]))


def count_crisis_confirmed(month: Month) -> Counts:
    latest: dict[int, bool] = {}
    for person_id, confirmed_at in (
        CrisisPlanVersion.objects.filter(person_id__in=month.persons, created_at__lt=month.end_at)
        .order_by("created_at", "id")
        .values_list("person_id", "confirmed_at")
    ):
        latest[person_id] = confirmed_at is not None and confirmed_at < month.end_at
    return _tally(month, latest.items())


def _own_goals(month: Month) -> dict[int, int]:
    return dict(
        Goal.objects.filter(
            person_id__in=month.persons, origin=Origin.PERSON, created_at__lt=month.end_at
        ).values_list("pk", "person_id")
    )


def count_own_goal_helped(month: Month) -> Counts:
    goals = _own_goals(month)
    helped = set(
        GoalStep.objects.filter(goal_id__in=list(goals), created_at__lt=month.end_at)
        .exclude(who_helps="")
        .values_list("goal_id", flat=True)
    )
    helped |= set(
        Goal.serves.through.objects.filter(
            to_goal_id__in=list(goals), from_goal__created_at__lt=month.end_at
        ).values_list("to_goal_id", flat=True)
    )
    return _tally(month, ((person_id, goal_id in helped) for goal_id, person_id in goals.items()))


def count_goal_check_ins(month: Month) -> Counts:
    goals = dict(
        Goal.objects.filter(
            person_id__in=month.persons,
            origin=Origin.PERSON,
            created_at__lt=month.end_at,
            status=GoalStatus.ACTIVE,
        ).values_list("pk", "person_id")
    )
    checked = set(
        ProgressCheckIn.objects.filter(
            goal_id__in=list(goals), recorded_at__gte=month.start_at, recorded_at__lt=month.end_at
        ).values_list("goal_id", flat=True)
    )
    return _tally(month, ((person_id, goal_id in checked) for goal_id, person_id in goals.items()))


def count_time_together(month: Month) -> Counts:
    minutes: dict[int, float] = defaultdict(float)
    for person_id, duration in Contact.objects.filter(
        person_id__in=month.persons,
        occurred_at__gte=month.start_at,
        occurred_at__lt=month.end_at,
        duration_minutes__isnull=False,
    ).values_list("person_id", "duration_minutes"):
        minutes[person_id] += duration or 0
    counts: Counts = {}
    for unit_id, persons in month.population.items():
        counts[unit_id] = (sum(minutes[p] for p in persons), float(len(persons)))
    return counts


def count_notes_confirmed(month: Month) -> Counts:
    notes = Note.objects.filter(
        person_id__in=month.persons, written_at__gte=month.start_at, written_at__lt=month.end_at
    )
    commented = set(
        NoteComment.objects.filter(note__in=notes, written_at__lt=month.end_at).values_list(
            "note_id", flat=True
        )
    )
    rows = (
        (person_id, pk in commented or (confirmed is not None and confirmed < month.end_at))
        for pk, person_id, confirmed in notes.values_list(
            "pk", "person_id", "confirmed_by_person_at"
        )
    )
    return _tally(month, rows)


# The catalogue ------------------------------------------------------------------------------------

C = Domain.CITIZENSHIP
O = Domain.ORGANISATION  # noqa: E741
P = Domain.PERSONAL
R = Domain.RELATIONSHIP

INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        "citizenship.strengths",
        _("Persons with their strengths written down"),
        _(
            "Out of everyone with a stay this month, how many have at least one strength in their"
            " plan: who they are beyond the diagnosis."
        ),
        _("persons with a strength recorded"),
        _("persons with a stay"),
        C,
        ("practice.citizenship.beyond-label", "practice.personal.strengths"),
        True,
        count_strengths,
    ),
    Indicator(
        "citizenship.network-beyond-services",
        _("Persons with family or friends in their network"),
        _(
            "Out of everyone with a stay this month, how many had family, a friend or another "
            "supporter they invited in their network at the end of the month."
        ),
        _("persons with a family member, friend or supporter"),
        _("persons with a stay"),
        C,
        ("practice.citizenship.inclusion",),
        True,
        count_network_beyond,
    ),
    Indicator(
        "citizenship.advocate-offered",
        _("Decisions where an advocate or peer was offered"),
        _(
            "Of the shared decisions recorded this month, how many offered the person an advocate"
            " or a peer supporter."
        ),
        _("decisions with an advocate or peer offered"),
        _("decisions recorded"),
        C,
        ("practice.citizenship.rights",),
        True,
        count_advocate_offered,
    ),
    Indicator(
        "citizenship.without-agreement",
        _("Decisions made without the person's agreement"),
        _(
            "Of the shared decisions recorded this month, how many were carried out although the "
            "person did not agree. Lower is better."
        ),
        _("decisions without the person's agreement"),
        _("decisions recorded"),
        C,
        ("practice.citizenship.rights",),
        False,
        count_without_agreement,
    ),
    Indicator(
        "organisation.reviews-with-municipality",
        _("Plan reviews with the municipality present"),
        _("Of the plan reviews held this month, how many had the municipality taking part."),
        _("reviews with the municipality"),
        _("reviews held"),
        O,
        ("practice.organisation.care-pathway",),
        True,
        count_reviews_municipality,
    ),
    Indicator(
        "organisation.discharge-offer-ready",
        _("Discharges with the offer in place"),
        _(
            "Of the stays that ended this month, how many ended with every required checklist "
            "item in place, without an override."
        ),
        _("discharges without an override"),
        _("stays ended"),
        O,
        ("practice.organisation.care-pathway",),
        True,
        count_discharge_offer,
    ),
    Indicator(
        "organisation.restrictive-per-1000",
        _("Restrictive measures per 1,000 bed-days"),
        _(
            "How many restrictive measures were started this month for every 1,000 days persons "
            "spent on the ward. Lower is better."
        ),
        _("restrictive measures started"),
        _("bed-days"),
        O,
        ("practice.organisation.quality-improvement", "practice.citizenship.rights"),
        False,
        count_restrictive,
        kind=Kind.RATE,
        scale=1000,
    ),
    Indicator(
        "organisation.debrief-on-time",
        _("Debriefs with the person's account in time"),
        _(
            "Of the restrictive measures that ended this month, how many had a debrief with the "
            "person's own account within the organisation's deadline."
        ),
        _("measures debriefed in time"),
        _("measures ended"),
        O,
        ("practice.organisation.quality-improvement",),
        True,
        count_debrief_on_time,
    ),
    Indicator(
        "personal.own-goal",
        _("Persons with a goal in their own words"),
        _(
            "Out of everyone with a stay this month, how many have written at least one goal of "
            "their own."
        ),
        _("persons with an own goal"),
        _("persons with a stay"),
        P,
        ("practice.personal.individuality",),
        True,
        count_own_goal,
    ),
    Indicator(
        "personal.not-endorsed",
        _("Goals set by others the person has not agreed to"),
        _(
            "Of the clinical and service goals set so far, how many the person had not said they "
            "agree with by the end of the month. Lower is better."
        ),
        _("goals without the person's agreement"),
        _("clinical and service goals"),
        P,
        ("practice.personal.informed-choice",),
        False,
        count_not_endorsed,
    ),
    Indicator(
        "personal.peer-in-network",
        _("Persons with a peer supporter in their network"),
        _(
            "Out of everyone with a stay this month, how many had a peer support worker in their "
            "network at the end of the month."
        ),
        _("persons with a peer supporter"),
        _("persons with a stay"),
        P,
        ("practice.personal.peer-support",),
        True,
        count_peer,
    ),
    Indicator(
        "personal.crisis-plan-confirmed",
        _("Crisis plans the person confirmed"),
        _(
            "Of the persons with a crisis plan, how many had confirmed its newest version by the "
            "end of the month."
        ),
        _("persons whose newest crisis plan they confirmed"),
        _("persons with a crisis plan"),
        P,
        ("practice.personal.individuality", "practice.personal.holistic"),
        True,
        count_crisis_confirmed,
    ),
    Indicator(
        "relationship.own-goal-helped",
        _("Own goals someone is helping with"),
        _(
            "Of the persons' own goals, how many have a step with someone helping, or a staff "
            "goal linked to them."
        ),
        _("own goals with help"),
        _("own goals"),
        R,
        ("practice.relationship.partnership",),
        True,
        count_own_goal_helped,
    ),
    Indicator(
        "relationship.goal-check-ins",
        _("Own goals with a check-in this month"),
        _(
            "Of the own goals being worked on, how many had a progress check-in this month: hope "
            "kept alive by looking at progress together."
        ),
        _("own goals with a check-in"),
        _("own goals being worked on"),
        R,
        ("practice.relationship.hope",),
        True,
        count_goal_check_ins,
    ),
    Indicator(
        "relationship.time-together",
        _("Time together per person"),
        _("Minutes of recorded contact and time together this month, per person with a stay."),
        _("minutes together"),
        _("persons with a stay"),
        R,
        ("practice.relationship.partnership",),
        True,
        count_time_together,
        kind=Kind.RATE,
        scale=1,
        numerator_is_count=False,
    ),
    Indicator(
        "relationship.notes-confirmed",
        _("Notes the person confirmed or commented on"),
        _(
            "Of the notes written this month, how many the person confirmed or added their own "
            "comment to."
        ),
        _("notes confirmed or commented on"),
        _("notes written"),
        R,
        ("practice.relationship.partnership",),
        True,
        count_notes_confirmed,
    ),
)

BY_CODE: dict[str, Indicator] = {indicator.code: indicator for indicator in INDICATORS}
