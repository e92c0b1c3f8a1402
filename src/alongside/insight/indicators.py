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
from alongside.frameworks.models import Concept
from alongside.measures.models import Score
from alongside.measures.scoring import reliable_change
from alongside.narratives.models import Coding, Source
from alongside.network.models import CareNetworkMembership, SupporterRelation
from alongside.organisations.models import Role, Unit
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
from alongside.reviews.models import DEFAULT_INTERVAL_DAYS, Review, ReviewRule
from alongside.safety.decisions import SharedDecision
from alongside.safety.models import CrisisPlanVersion
from alongside.safety.restrictive import DEFAULT_DEBRIEF_HOURS, DebriefRule, RestrictiveEpisode

Counts = dict[int, tuple[float, float]]
# unit id -> group code -> count (a barrier's recovery step, a root, an open discharge item).
Groups = dict[int, dict[str, float]]


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
    # Some indicators also count their numerator by group (``groups``), shown beside the chart;
    # ``group_kind`` says what the group codes are: "concept" (frameworks) or "discharge_item".
    groups: Callable[[Month], Groups] | None = None
    group_kind: str = ""

    def value(self, numerator: float, denominator: float) -> float | None:
        if not denominator:
            return None
        return round(numerator / denominator * self.scale, 1)


# Counting helpers ----------


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


# The indicators' counts ----------


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


# CHIME check-ins changed by 2 points or more ----------

# Our CHIME check-in calls a change of 2 points on its 0-10 overall mean a change worth noticing.
# The figure was chosen, not derived from the check-in's reliability (see ``reliability.py``), so
# these indicators say "changed by 2 points or more" and claim nothing about chance.
CHIME_CHANGE_POINTS = 2.0


def _chime_changes(month: Month) -> list[tuple[int, str | None]]:
    """Each CHIME check-in of the month with an earlier one to compare: (person, change)."""
    changes: list[tuple[int, str | None]] = []
    previous: dict[int, float] = {}
    for person_id, value, answered_at in (
        Score.objects.filter(
            instrument__code="chime_checkin",
            scale="overall",
            person_id__in=month.persons,
            answered_at__lt=month.end_at,
            value__isnull=False,
        )
        .order_by("person_id", "answered_at", "id")
        .values_list("person_id", "value", "answered_at")
    ):
        if value is None:
            continue
        if answered_at >= month.start_at and person_id in previous:
            change = reliable_change(
                previous[person_id], value, CHIME_CHANGE_POINTS, higher_is_better=True
            )
            changes.append((person_id, change))
        previous[person_id] = value
    return changes


def count_chime_better(month: Month) -> Counts:
    return _tally(month, ((p, change == "improved") for p, change in _chime_changes(month)))


def count_chime_worse(month: Month) -> Counts:
    return _tally(month, ((p, change == "worse") for p, change in _chime_changes(month)))


# Reviews on time ----------


def count_reviews_on_time(month: Month) -> Counts:
    """Reviews that fell due this month under the organisation's rule, and those held by then.

    A stay's first review falls due ``interval_days`` after it started, each later one that long
    after the review before. A due date counts if the stay was still going on that day; it was
    kept if a review was held after the previous one and on or before the due date.
    """
    intervals = dict(ReviewRule.objects.values_list("organisation_id", "interval_days"))
    stays = list(
        Stay.objects.exclude(status=StayStatus.PLANNED)
        .filter(started_on__lt=month.end)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=month.start))
        .values_list("pk", "unit_id", "unit__organisation_id", "started_on", "ended_on")
    )
    held: dict[int, list[date]] = defaultdict(list)
    for stay_id, held_on in (
        Review.objects.filter(stay_id__in=[s[0] for s in stays], held_on__lt=month.end)
        .order_by("held_on")
        .values_list("stay_id", "held_on")
    ):
        held[stay_id].append(held_on)
    rows: list[tuple[int, bool]] = []
    for stay_id, unit_id, organisation_id, started_on, ended_on in stays:
        interval = timedelta(days=intervals.get(organisation_id, DEFAULT_INTERVAL_DAYS))
        anchor = started_on
        while True:
            due = anchor + interval
            if due >= month.end or (ended_on is not None and ended_on < due):
                break
            following = next((d for d in held[stay_id] if d > anchor), None)
            if due >= month.start:
                rows.append((unit_id, following is not None and following <= due))
            if following is None:
                break
            anchor = following
    return _unit_tally(month, rows)


# Discharges with an override, by what was not in place ----------


# A group of the discharge-overrides indicator that is a reason code, not a checklist item.
REASON_GROUP = "reason:"


def _overrides(month: Month) -> list[tuple[int, list[str], list[str]]]:
    """(unit, open item codes, reason codes) for each stay that ended this month with an
    override (reason codes as chosen; none for overrides recorded before the codes)."""
    found: dict[int, tuple[int, list[str], list[str]]] = {}
    for stay_id, unit_id, open_items, reason_code in DischargeOverride.objects.filter(
        stay__status=StayStatus.ENDED,
        stay__ended_on__gte=month.start,
        stay__ended_on__lt=month.end,
    ).values_list("stay_id", "stay__unit_id", "open_items", "reason_code"):
        _unit, codes, reasons = found.setdefault(stay_id, (unit_id, [], []))
        codes.extend(str(code) for code in open_items or [] if str(code) not in codes)
        if reason_code and reason_code not in reasons:
            reasons.append(reason_code)
    return list(found.values())


def count_discharge_overrides(month: Month) -> Counts:
    """The other side of ``count_discharge_offer``: stays that ended with an override."""
    return {unit: (d - n, d) for unit, (n, d) in count_discharge_offer(month).items()}


def group_discharge_overrides(month: Month) -> Groups:
    """Per unit, how many overridden discharges had each checklist item open, and how many gave
    each reason code (as ``reason:<code>``). The reason's own words are never counted: they are
    free text."""
    groups: Groups = defaultdict(lambda: defaultdict(float))
    for unit_id, codes, reasons in _overrides(month):
        for code in codes:
            groups[unit_id][code] += 1
        for reason in reasons:
            groups[unit_id][REASON_GROUP + reason] += 1
    return {unit_id: dict(counts) for unit_id, counts in groups.items()}


# Barriers coded in narratives ----------


def _narratives(month: Month) -> dict[int, tuple[int, set[str]]]:
    """source id -> (unit, barrier and root concept codes coded in it), for the month's narratives.

    A narrative counts in the unit whose code is its case attribute ``unit``, in the month of its
    ``date`` attribute (or of when it was added), when its consent covers service improvement and
    has not been withdrawn. Only counts leave this function: never a text, a coder or a writer.
    """
    units = dict(Unit.objects.values_list("code", "pk"))
    chosen: dict[int, tuple[int, set[str]]] = {}
    for source_id, attributes, created_at in Source.objects.filter(
        consent_improvement=True, withdrawn_at__isnull=True
    ).values_list("pk", "attributes", "created_at"):
        unit_id = units.get(str((attributes or {}).get("unit", "")))
        if unit_id is None:
            continue
        try:
            day = date.fromisoformat(str(attributes["date"]))
        except (KeyError, ValueError):
            day = timezone.localtime(created_at).date()
        if month.start <= day < month.end:
            chosen[source_id] = (unit_id, set())
    barriers = set(
        Concept.objects.filter(kind__in=["barrier", "root"]).values_list("code", flat=True)
    )
    for source_id, concept in Coding.objects.filter(
        selection__source_id__in=list(chosen), code__concept_code__in=barriers
    ).values_list("selection__source_id", "code__concept_code"):
        chosen[source_id][1].add(concept)
    return chosen


def count_narrative_barriers(month: Month) -> Counts:
    return _unit_tally(month, ((unit, bool(codes)) for unit, codes in _narratives(month).values()))


def group_narrative_barriers(month: Month) -> Groups:
    """Per unit, narratives naming a barrier of each recovery step, and naming each root."""
    groups: Groups = defaultdict(lambda: defaultdict(float))
    for unit_id, codes in _narratives(month).values():
        named = {code if code.startswith("recovery.roots.") else step(code) for code in codes}
        for code in named:
            groups[unit_id][code] += 1
    return {unit_id: dict(counts) for unit_id, counts in groups.items()}


def step(barrier: str) -> str:
    """``recovery.control.no-choice`` -> ``recovery.control``: the recovery step it belongs to."""
    return barrier.rsplit(".", 1)[0]


# The catalogue ----------

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
    Indicator(
        "relationship.chime-better",
        _("CHIME check-ins 2 points or more better"),
        _(
            "Of the CHIME check-ins this month that can be compared with the person's previous "
            "one, how many were 2 points or more higher. Two points is a threshold we chose, not "
            "a reliable change worked out from the check-in's reliability: it says the score "
            "changed by that much, not that the change is more than chance."
        ),
        _("check-ins 2 points or more better"),
        _("check-ins with an earlier one to compare"),
        R,
        ("practice.relationship.hope",),
        True,
        count_chime_better,
    ),
    Indicator(
        "relationship.chime-worse",
        _("CHIME check-ins 2 points or more worse"),
        _(
            "Of the CHIME check-ins this month that can be compared with the person's previous "
            "one, how many were 2 points or more lower. Lower is better. Two points is a threshold "
            "we chose, not a reliable change: it says the score changed by that much, not that "
            "the change is more than chance."
        ),
        _("check-ins 2 points or more worse"),
        _("check-ins with an earlier one to compare"),
        R,
        ("practice.relationship.hope",),
        False,
        count_chime_worse,
    ),
    Indicator(
        "organisation.reviews-on-time",
        _("Plan reviews on time"),
        _(
            "Of the plan reviews that fell due this month under the organisation's review rule, "
            "how many were held by their due date. Whether the municipality took part is its own "
            "indicator."
        ),
        _("reviews held by their due date"),
        _("reviews due"),
        O,
        ("practice.organisation.care-pathway",),
        True,
        count_reviews_on_time,
    ),
    Indicator(
        "organisation.discharge-overrides",
        _("Discharges with an override, by what was missing and why"),
        _(
            "Of the stays that ended this month, how many ended with an override although a "
            "required checklist item was open, which items were open, and the reason chosen. "
            "Lower is better."
        ),
        _("discharges with an override"),
        _("stays ended"),
        O,
        ("practice.organisation.care-pathway",),
        False,
        count_discharge_overrides,
        groups=group_discharge_overrides,
        group_kind="discharge_item",
    ),
    Indicator(
        "organisation.narrative-barriers",
        _("Narratives naming a barrier to recovery"),
        _(
            "Of the narratives from this unit this month that may be used for service "
            "improvement, how many were coded with a barrier or a root of barriers, counted by "
            "recovery step and by root. Counts only: no text and no writer is shown."
        ),
        _("narratives with a barrier coded"),
        _("narratives"),
        O,
        ("practice.organisation.quality-improvement",),
        False,
        count_narrative_barriers,
        groups=group_narrative_barriers,
        group_kind="concept",
    ),
)

BY_CODE: dict[str, Indicator] = {indicator.code: indicator for indicator in INDICATORS}
