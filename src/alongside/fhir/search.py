"""Read and search for every resource type the API serves, through the access layer.

Each type names the record section it belongs to (a CarePlan for recovery is ``plan``, the crisis
plan ``crisis_plan``, scores ``measures``), and rows come only from ``access.visible_persons`` for
that section (narrowed to the token's patient for patient-level scopes). So a caseworker whose
membership shows the plan and meetings sees the recovery CarePlan and Goals but no Observation; a
family member invited for the crisis plan sees the crisis CarePlan and nothing else.

Search parameters: ``_id``, ``patient``/``subject``, ``_lastUpdated``, ``status``, ``date``,
``category`` where the type has them, and the result controls ``_count``, ``_summary=count``,
``_include=CarePlan:goal``. Anything else is refused with an OperationOutcome.

Search runs in SQL. A type is built from one or more **sources** (a CarePlan is a recovery plan,
one per person, or a crisis plan, the person's latest version), each a query over its rows that
starts from the access layer's ``visible_persons``. Every search parameter becomes a condition on
those rows (``_id`` on the row's UUID, ``_lastUpdated`` and ``date`` as ranges on the timestamp the
resource shows, ``status`` and ``category`` on the field they come from); the server fetches
only the rows of the page asked for (``LIMIT``/``OFFSET`` across the sources in order), counting
each source in the same query (``COUNT(*) OVER ()``; a plain ``COUNT`` for a source the page
does not reach), and builds FHIR for those rows alone; a source whose category the query excludes
is not queried at all. So a search costs a fixed number of
queries, whatever the user may see (``tests/test_fhir_search_sql.py``).

Two exceptions, both small: resources whose ids are UUIDv5 (Questionnaire, the recovery plan's
DocumentReference, AuditEvent) find ``_id`` by hashing the candidate rows' keys, one query
without building; Observations, several per response, are counted from the responses' scores
(one light query) and paged by response.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet, Window
from django.utils import timezone

from alongside import access
from alongside.accounts.models import User
from alongside.audit.models import AuditEvent
from alongside.discharge.models import HandoverSummary
from alongside.fhir import ids
from alongside.fhir import resources as fhir
from alongside.fhir.auth import Grant
from alongside.measures.models import QuestionnaireVersion, Response, VersionStatus
from alongside.network.models import CareNetworkMembership
from alongside.network.scopes import Section
from alongside.organisations.models import Organisation, StaffRole
from alongside.people.models import Person, Stay, StayStatus
from alongside.plans.models import Goal, GoalStance, GoalStep
from alongside.safety.models import CrisisPlanVersion

JSON = dict[str, Any]
Found = list[tuple[JSON, Person | None]]

RESULT_PARAMS = {"_count", "_summary", "_include", "_offset", "_format"}
MAX_COUNT = 200
DEFAULT_COUNT = 50


class SearchError(ValueError):
    """A parameter the server does not support, or a value it cannot read (400)."""

    def __init__(self, message: str, code: str = "invalid") -> None:
        super().__init__(message)
        self.code = code


@dataclass
class Query:
    grant: Grant
    params: dict[str, list[str]]
    base: str
    persons_shown: dict[int, Person] = field(default_factory=dict)
    # The goals of the recovery plans built for this request, by logical id, with their person
    # (read through ``persons(query, Section.PLAN)``, as a Goal search reads them).
    plan_goals: dict[str, tuple[fhir.GoalRow, Person]] = field(default_factory=dict)


NOTHING = Q(pk__in=[])
Rows = QuerySet[Any]


@dataclass(frozen=True)
class Source:
    """One kind of row a resource type is built from, and its search parameters as SQL.

    ``rows`` gives the rows the grant may see in a fixed order; ``build`` makes FHIR for a page
    of them. ``ident`` turns a logical id into a condition on those rows. ``updated`` and
    ``date`` name the timestamp behind ``meta.lastUpdated`` and the type's date parameter
    (``None``: the resource has none, so those parameters match nothing); ``status`` maps the
    wanted FHIR codes to a condition; ``category`` is the source's one category coding.
    ``annotate`` adds what ``updated``/``date`` name when they are computed (the recovery plan's
    last goal change); ``weight`` says how many resources a row makes (Observations)."""

    rows: Callable[[Query], Rows]
    build: Callable[[Query, list[Any]], Found]
    ident: Callable[[str, Rows], Q]
    updated: str | None = None
    date: str | None = None
    status: Callable[[set[str]], Q] = lambda wanted: NOTHING
    category: tuple[str, str] | None = None
    annotate: Callable[[Rows], Rows] | None = None
    weight: Callable[[Query, Rows], list[tuple[int, int]]] | None = None


@dataclass(frozen=True)
class Kind:
    name: str
    section: Section | None  # None: not person data (any authenticated grant may read)
    sources: tuple[Source, ...]
    params: tuple[str, ...]
    sections: tuple[Section, ...] = ()  # for person data in several sections (CarePlan)
    self_only: bool = False


@dataclass
class Result:
    """How many resources match (``total``), and the page of them asked for (``found``)."""

    total: int
    found: Found


# ----- whose data ---------------------------------------------------------------------------


def persons(query: Query, section: Section) -> QuerySet[Person]:
    grant = query.grant
    found = access.visible_persons(grant.user, section, include_self=True)
    if grant.patient_only:
        found = found.filter(pk=grant.patient.pk) if grant.patient else found.none()
    wanted = query.params.get("patient", []) + query.params.get("subject", [])
    for value in wanted:
        logical = value.removeprefix("Patient/")
        if not ids.is_uuid(logical):
            return found.none()
        found = found.filter(fhir_id=logical)
    return found


def _any_section(query: Query) -> QuerySet[Person]:
    """Persons the grant sees in any section (the Patient resource)."""
    condition = Q()
    for section in Section:
        condition |= Q(pk__in=persons(query, section).values("pk"))
    return Person.objects.filter(condition)


# ----- ids ----------------------------------------------------------------------------------


def _by_uuid(field_name: str, prefix: str = "") -> Callable[[str, Rows], Q]:
    """``_id`` on a UUID column, the logical id being ``prefix`` + the UUID."""

    def ident(value: str, _rows: Rows) -> Q:
        if not value.startswith(prefix) or not ids.is_uuid(value[len(prefix) :]):
            return NOTHING
        return Q(**{field_name: value[len(prefix) :]})

    return ident


def _by_hash(kind: str, key: Callable[[Any], object], *fields: str) -> Callable[[str, Rows], Q]:
    """``_id`` for UUIDv5 ids: hash the candidate rows' keys (one query, nothing built)."""

    def ident(value: str, rows: Rows) -> Q:
        if not ids.is_uuid(value):
            return NOTHING
        space = ids.installation_namespace()
        found = [
            row[0]
            for row in rows.values_list("pk", *fields)
            if str(uuid.uuid5(space, f"alongside:{kind}:{key(row[1:])}")) == value
        ]
        return Q(pk__in=found)

    return ident


def _constant(code: str) -> Callable[[set[str]], Q]:
    return lambda wanted: Q() if code in wanted else NOTHING


def _mapped(codes: dict[str, Q]) -> Callable[[set[str]], Q]:
    def status(wanted: set[str]) -> Q:
        condition = NOTHING
        for code in wanted & set(codes):
            condition |= codes[code]
        return condition

    return status


def _latest_crisis_plans(shown: QuerySet[Person]) -> QuerySet[CrisisPlanVersion]:
    newer = CrisisPlanVersion.objects.filter(
        person=OuterRef("person"), number__gt=OuterRef("number")
    )
    return (
        CrisisPlanVersion.objects.filter(person__in=shown)
        .filter(~Exists(newer))
        .select_related("person")
        .order_by("person_id")
    )


# ----- builders (each for one page of rows) ---------------------------------------------------


def _patients(query: Query, rows: list[Any]) -> Found:
    return [(fhir.patient(p, list(p.identifiers.all())), p) for p in rows]


def _encounters(query: Query, rows: list[Any]) -> Found:
    return [(fhir.encounter(s), s.person) for s in rows]


def _memberships(shown: list[Person]) -> dict[int, list[CareNetworkMembership]]:
    rows = CareNetworkMembership.objects.filter(person__in=shown).active_at(timezone.now())
    grouped: dict[int, list[CareNetworkMembership]] = defaultdict(list)
    for row in rows.select_related("person", "member", "organisation").order_by("started_at", "pk"):
        grouped[row.person_id].append(row)
    return grouped


def _care_teams(query: Query, rows: list[Any]) -> Found:
    grouped = _memberships(rows)
    return [(fhir.care_team(p, grouped.get(p.pk, [])), p) for p in rows]


def _consents(query: Query, rows: list[Any]) -> Found:
    return [(fhir.consent(m), m.person) for m in rows]


def _goal_rows(goals: QuerySet[Goal]) -> list[fhir.GoalRow]:
    ordered = goals.order_by("person_id", "created_at", "pk").values_list(*fhir.GOAL_ROW_FIELDS)
    return [fhir.GoalRow(*row) for row in ordered]


# Stances and steps are fetched in one query each and grouped here: Django's prefetch makes a
# queryset per goal, which cost more than the rest of a 100-plan page together. Rows, not model
# instances, for the same reason.
def _latest_stances(goal_ids: list[int]) -> dict[int, fhir.StanceRow]:
    latest: dict[int, fhir.StanceRow] = {}
    rows = (
        GoalStance.objects.filter(goal_id__in=goal_ids)
        .order_by("goal_id", "-recorded_at", "-id")
        .values_list("goal_id", "stance", "words")
    )
    for goal_id, stance, words in rows:
        latest.setdefault(goal_id, fhir.StanceRow(stance, words))
    return latest


def _steps(goal_ids: list[int]) -> dict[int, list[fhir.StepRow]]:
    grouped: dict[int, list[fhir.StepRow]] = defaultdict(list)
    rows = (
        GoalStep.objects.filter(goal_id__in=goal_ids)
        .order_by("created_at", "pk")
        .values_list("goal_id", "text", "done_at")
    )
    for goal_id, text, done_at in rows:
        grouped[goal_id].append(fhir.StepRow(text, done_at))
    return grouped


def _goals(query: Query, rows: list[Any]) -> Found:
    stances = _latest_stances([g.pk for g in rows])
    return [(fhir.goal(g, stances.get(g.pk)), g.person) for g in rows]


def _provenance(query: Query, rows: list[Any]) -> Found:
    return [(fhir.provenance(g), g.person) for g in rows]


def _recovery_plans(query: Query, rows: list[Any]) -> Found:
    shown = {p.pk: p for p in rows}
    goals: dict[int, list[fhir.GoalRow]] = defaultdict(list)
    found = _goal_rows(Goal.objects.filter(person_id__in=list(shown)))
    for g in found:
        goals[g.person_id].append(g)
        query.plan_goals[str(g.fhir_id)] = (g, shown[g.person_id])
    steps = _steps([g.pk for g in found])
    return [(fhir.recovery_plan(p, goals.get(p.pk, []), steps), p) for p in rows]


def _crisis_plans(query: Query, rows: list[Any]) -> Found:
    return [(fhir.crisis_plan(v), v.person) for v in rows]


def _responses(query: Query, rows: list[Any]) -> Found:
    return [(fhir.questionnaire_response(r), r.person) for r in rows]


def _observations(query: Query, rows: list[Any]) -> Found:
    wanted = set(",".join(query.params.get("_id", [])).split(",")) - {""}
    return [
        (o, r.person) for r in rows for o in fhir.observations(r) if not wanted or o["id"] in wanted
    ]


def _observation_weights(query: Query, rows: Rows) -> list[tuple[int, int]]:
    """How many Observations each response makes (its scores with a value), from the scores
    alone; with ``_id``, only the wanted ones."""
    wanted = set(",".join(query.params.get("_id", [])).split(",")) - {""}
    out = []
    for pk, answer_id, scores in rows.values_list("pk", "uuid", "scores"):
        codes = [
            code
            for code, score in (scores or {}).items()
            if isinstance(score, dict) and score.get("value") is not None
        ]
        if wanted:
            fake = Response(uuid=answer_id)
            codes = [c for c in codes if fhir._score_id(fake, c) in wanted]
        out.append((pk, len(codes)))
    return out


def _document(person: Person, kind: str, title: str, url: str, when: Any, code: str) -> JSON:
    return {
        "resourceType": "DocumentReference",
        "id": ids.derived(f"document-{kind}", person.fhir_id),
        "meta": fhir.meta("DocumentReference", when),
        "status": "current",
        "type": {"coding": [{"system": fhir.LOINC, "code": code}], "text": title},
        "category": [{"coding": [{"system": fhir.CARE_PLAN_CATEGORY, "code": kind}]}],
        "subject": ids.ref("Patient", person.fhir_id),
        "date": fhir.instant(when),
        "content": [{"attachment": {"contentType": "application/pdf", "url": url, "title": title}}],
    }


def _site(query: Query) -> str:
    return query.base.split("/fhir/R4/")[0]


def _recovery_documents(query: Query, rows: list[Any]) -> Found:
    base = _site(query)
    return [
        (
            _document(
                p,
                "recovery",
                "Recovery plan",
                f"{base}/persons/{p.pk}/plan/pdf/",
                p.created_at,
                "18776-5",
            ),
            p,
        )
        for p in rows
    ]


def _handover_documents(query: Query, rows: list[Any]) -> Found:
    found: Found = []
    for summary in rows:
        person = summary.stay.person
        url = f"{_site(query)}/persons/{person.pk}/discharge/handover/pdf/"
        document = _document(
            person, "handover", "Handover summary", url, summary.approved_by_person_at, "18842-5"
        )
        document["id"] = str(summary.fhir_id)
        found.append((document, person))
    return found


def _crisis_documents(query: Query, rows: list[Any]) -> Found:
    found: Found = []
    for version in rows:
        person = version.person
        url = f"{_site(query)}/persons/{person.pk}/crisis/card/"
        document = _document(
            person, "crisis", "Crisis plan card", url, version.created_at, "81338-6"
        )
        document["id"] = f"crisis-{person.fhir_id}"
        found.append((document, person))
    return found


def _own_events(query: Query) -> Rows:
    own = Person.objects.filter(user=query.grant.user).first()
    if own is None:
        return AuditEvent.objects.none()
    if query.grant.patient_only and (
        query.grant.patient is None or query.grant.patient.pk != own.pk
    ):
        return AuditEvent.objects.none()
    wanted = query.params.get("patient", []) + query.params.get("subject", [])
    if any(v.removeprefix("Patient/") != str(own.fhir_id) for v in wanted):
        return AuditEvent.objects.none()
    query.persons_shown[own.pk] = own
    return AuditEvent.objects.filter(person_id=own.pk).order_by("-at", "-id")


def _audit_events(query: Query, rows: list[Any]) -> Found:
    own = next(iter(query.persons_shown.values()))
    return [(fhir.audit_event(e, own), own) for e in rows]


def _questionnaires(query: Query, rows: list[Any]) -> Found:
    return [(fhir.questionnaire(v), None) for v in rows]


def _organizations(query: Query, rows: list[Any]) -> Found:
    return [(fhir.organization(o), None) for o in rows]


def _practitioners(query: Query, rows: list[Any]) -> Found:
    return [(fhir.practitioner(u), None) for u in rows]


def _practitioner_roles(query: Query, rows: list[Any]) -> Found:
    return [(fhir.practitioner_role(r), None) for r in rows]


# ----- the types ----------------------------------------------------------------------------

COMMON = ("_id", "_lastUpdated")
PERSON = (*COMMON, "patient", "subject")
CARE_PLAN = fhir.CARE_PLAN_CATEGORY


def _plan_persons(query: Query) -> Rows:
    return persons(query, Section.PLAN).order_by("pk")


def _crisis_versions(query: Query) -> Rows:
    return _latest_crisis_plans(persons(query, Section.CRISIS_PLAN))


def _last_goal_change(rows: Rows) -> Rows:
    changed: Rows = rows.annotate(last_goal_change=Max("goals__updated_at"))
    return changed


def _all_organisations(query: Query) -> Rows:
    return Organisation.objects.order_by("pk")


def _all_staff_roles(query: Query) -> Rows:
    return StaffRole.objects.select_related("user", "unit__organisation").order_by("pk")


def _responses_of(query: Query) -> Rows:
    return (
        Response.objects.filter(person__in=persons(query, Section.MEASURES))
        .select_related("person", "version__instrument", "instrument")
        .order_by("authored_at", "pk")
    )


def _goals_of(query: Query) -> Rows:
    return (
        Goal.objects.filter(person__in=persons(query, Section.PLAN))
        .select_related("person", "author")
        .order_by("person_id", "created_at", "pk")
    )


GOAL_STATUS = _mapped({code: Q(status=status) for status, code in fhir.GOAL_LIFECYCLE.items()})
RECOVERY_PLAN = Source(
    _plan_persons,
    _recovery_plans,
    _by_uuid("fhir_id", f"{ids.RECOVERY_PLAN}-"),
    updated="last_goal_change",
    date="last_goal_change",
    status=_constant("active"),
    category=(CARE_PLAN, "recovery"),
    annotate=_last_goal_change,
)
CRISIS_PLAN = Source(
    _crisis_versions,
    _crisis_plans,
    _by_uuid("person__fhir_id", f"{ids.CRISIS_PLAN}-"),
    updated="created_at",
    date="created_at",
    status=_constant("active"),
    category=(CARE_PLAN, "crisis"),
)

KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in [
        Kind(
            "Patient",
            None,
            (
                Source(
                    lambda q: _any_section(q).prefetch_related("identifiers").order_by("pk"),
                    _patients,
                    _by_uuid("fhir_id"),
                    updated="created_at",
                ),
            ),
            COMMON,
            sections=tuple(Section),
        ),
        Kind(
            "Encounter",
            Section.PLAN,
            (
                Source(
                    lambda q: (
                        Stay.objects.filter(person__in=persons(q, Section.PLAN))
                        .select_related("person", "unit__organisation")
                        .order_by("pk")
                    ),
                    _encounters,
                    _by_uuid("fhir_id"),
                    date="started_on",
                    status=_mapped(
                        {
                            "planned": Q(status=StayStatus.PLANNED),
                            "in-progress": Q(status=StayStatus.ACTIVE),
                            "finished": Q(status=StayStatus.ENDED),
                        }
                    ),
                ),
            ),
            (*PERSON, "status", "date"),
        ),
        Kind(
            "CareTeam",
            Section.PLAN,
            (Source(_plan_persons, _care_teams, _by_uuid("fhir_id"), status=_constant("active")),),
            (*PERSON, "status"),
        ),
        Kind(
            "Consent",
            Section.PLAN,
            (
                Source(
                    lambda q: (
                        CareNetworkMembership.objects.filter(person__in=persons(q, Section.PLAN))
                        .select_related("person", "member", "organisation")
                        .order_by("person_id", "started_at", "pk")
                    ),
                    _consents,
                    _by_uuid("fhir_id"),
                    updated="created_at",
                    date="started_at",
                    status=_mapped(
                        {"active": Q(ended_at__isnull=True), "inactive": Q(ended_at__isnull=False)}
                    ),
                    category=(fhir.CONSENT_CATEGORY, "59284-0"),
                ),
            ),
            (*PERSON, "status", "date", "category"),
        ),
        Kind(
            "CarePlan",
            Section.PLAN,
            (RECOVERY_PLAN, CRISIS_PLAN),
            (*PERSON, "status", "date", "category"),
            sections=(Section.PLAN, Section.CRISIS_PLAN),
        ),
        Kind(
            "Goal",
            Section.PLAN,
            (
                Source(
                    _goals_of,
                    _goals,
                    _by_uuid("fhir_id"),
                    updated="updated_at",
                    date="created_at",
                    status=GOAL_STATUS,
                ),
            ),
            (*PERSON, "status", "date"),
        ),
        Kind(
            "Provenance",
            Section.PLAN,
            (
                Source(
                    lambda q: (
                        Goal.objects.filter(person__in=persons(q, Section.PLAN))
                        .select_related("person", "author")
                        .order_by("person_id", "created_at", "pk")
                    ),
                    _provenance,
                    _by_uuid("fhir_id", "goal-"),
                    updated="updated_at",
                    date="updated_at",
                ),
            ),
            (*PERSON, "date"),
        ),
        Kind(
            "Questionnaire",
            None,
            (
                Source(
                    lambda q: (
                        QuestionnaireVersion.objects.exclude(status=VersionStatus.RETIRED)
                        .select_related("instrument")
                        .order_by("pk")
                    ),
                    _questionnaires,
                    _by_hash("questionnaire", lambda k: f"{k[0]}|{k[1]}", "url", "version"),
                    updated="loaded_at",
                    status=lambda wanted: Q(questionnaire__status__in=sorted(wanted)),
                ),
            ),
            (*COMMON, "status"),
        ),
        Kind(
            "QuestionnaireResponse",
            Section.MEASURES,
            (
                Source(
                    _responses_of,
                    _responses,
                    _by_uuid("uuid"),
                    updated="authored_at",
                    date="authored_at",
                    status=_constant("completed"),
                ),
            ),
            (*PERSON, "status", "date"),
        ),
        Kind(
            "Observation",
            Section.MEASURES,
            (
                Source(
                    _responses_of,
                    _observations,
                    lambda value, _rows: _by_uuid("uuid")(value[:36], _rows),
                    updated="authored_at",
                    date="authored_at",
                    status=_constant("final"),
                    category=(fhir.OBS_CATEGORY, "survey"),
                    weight=_observation_weights,
                ),
            ),
            (*PERSON, "status", "date", "category"),
        ),
        Kind(
            "DocumentReference",
            Section.PLAN,
            (
                Source(
                    _plan_persons,
                    _recovery_documents,
                    _by_hash("document-recovery", lambda k: k[0], "fhir_id"),
                    updated="created_at",
                    date="created_at",
                    status=_constant("current"),
                    category=(CARE_PLAN, "recovery"),
                ),
                Source(
                    lambda q: (
                        HandoverSummary.objects.filter(
                            stay__person__in=persons(q, Section.PLAN),
                            approved_by_person_at__isnull=False,
                        )
                        .select_related("stay__person")
                        .order_by("pk")
                    ),
                    _handover_documents,
                    _by_uuid("fhir_id"),
                    updated="approved_by_person_at",
                    date="approved_by_person_at",
                    status=_constant("current"),
                    category=(CARE_PLAN, "handover"),
                ),
                Source(
                    _crisis_versions,
                    _crisis_documents,
                    _by_uuid("person__fhir_id", "crisis-"),
                    updated="created_at",
                    date="created_at",
                    status=_constant("current"),
                    category=(CARE_PLAN, "crisis"),
                ),
            ),
            (*PERSON, "status", "date", "category"),
            sections=(Section.PLAN, Section.CRISIS_PLAN),
        ),
        Kind(
            "AuditEvent",
            None,
            (
                Source(
                    _own_events,
                    _audit_events,
                    _by_hash("audit", lambda k: k[0], "pk"),
                    updated="at",
                    date="at",
                ),
            ),
            (*PERSON, "date"),
            self_only=True,
        ),
        Kind(
            "Organization",
            None,
            (
                Source(
                    lambda q: Organisation.objects.order_by("pk"),
                    _organizations,
                    _by_uuid("fhir_id"),
                ),
            ),
            COMMON,
        ),
        Kind(
            "Practitioner",
            None,
            (
                Source(
                    lambda q: User.objects.filter(
                        Exists(StaffRole.objects.filter(user=OuterRef("pk")))
                    ).order_by("pk"),
                    _practitioners,
                    _by_uuid("fhir_id"),
                    updated="date_joined",
                ),
            ),
            COMMON,
        ),
        Kind(
            "PractitionerRole",
            None,
            (
                Source(
                    lambda q: StaffRole.objects.select_related(
                        "user", "unit__organisation"
                    ).order_by("pk"),
                    _practitioner_roles,
                    _by_uuid("fhir_id"),
                ),
            ),
            COMMON,
        ),
    ]
}


# ----- parameters as SQL ----------------------------------------------------------------------

PREFIXES = ("eq", "ne", "gt", "lt", "ge", "le")


def _period(text: str, wanted: str) -> tuple[datetime, datetime]:
    """The instants a FHIR date value covers: a year, a month, a day or one second (UTC)."""
    try:
        if len(text) == 4:
            start = datetime(int(text), 1, 1, tzinfo=UTC)
            return start, start.replace(year=start.year + 1)
        if len(text) == 7:
            start = datetime(int(text[:4]), int(text[5:7]), 1, tzinfo=UTC)
            following = (start + timedelta(days=32)).replace(day=1)
            return start, following
        if len(text) == 10:
            start = datetime.combine(date.fromisoformat(text), datetime.min.time(), tzinfo=UTC)
            return start, start + timedelta(days=1)
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise SearchError(f"Cannot read the date {wanted!r}.") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    moment = moment.astimezone(UTC).replace(microsecond=0)
    return moment, moment + timedelta(seconds=1)


def _date_q(field_name: str | None, wanted: str, *, is_day: bool) -> Q:
    prefix, text = ("eq", wanted)
    if wanted[:2] in PREFIXES:
        prefix, text = wanted[:2], wanted[2:]
    if not text or not text[:4].isdigit():
        raise SearchError(f"Cannot read the date {wanted!r}.")
    start, end = _period(text, wanted)
    if field_name is None:
        return NOTHING
    low: date | datetime = start.date() if is_day else start
    high: date | datetime = (end - timedelta(microseconds=1)).date() if is_day else end
    if is_day:
        inside = Q(**{f"{field_name}__gte": low, f"{field_name}__lte": high})
        after, before = f"{field_name}__gt", f"{field_name}__lt"
        return {
            "eq": inside,
            "ne": Q(**{f"{field_name}__isnull": False}) & ~inside,
            "gt": Q(**{after: high}),
            "lt": Q(**{before: low}),
            "ge": Q(**{f"{field_name}__gte": low}),
            "le": Q(**{f"{field_name}__lte": high}),
        }[prefix]
    inside = Q(**{f"{field_name}__gte": low, f"{field_name}__lt": high})
    return {
        "eq": inside,
        "ne": Q(**{f"{field_name}__isnull": False}) & ~inside,
        "gt": Q(**{f"{field_name}__gte": high}),
        "lt": Q(**{f"{field_name}__lt": low}),
        "ge": Q(**{f"{field_name}__gte": low}),
        "le": Q(**{f"{field_name}__lt": high}),
    }[prefix]


def _token_matches(codes: Iterable[tuple[str, str]], wanted: str) -> bool:
    for option in wanted.split(","):
        system, bar, code = option.rpartition("|")
        for have_system, have_code in codes:
            if have_code == code and (not bar or have_system == system):
                return True
    return False


DAY_FIELDS = {"started_on"}


def _in_category(source: Source, query: Query) -> bool:
    """Whether the source's category matches every ``category`` the query asks for."""
    category = [source.category] if source.category else []
    return all(_token_matches(category, value) for value in query.params.get("category", []))


def _rows(source: Source, query: Query) -> Rows:
    """The source's rows the grant may see that match every search parameter."""
    rows = source.rows(query)
    names = set(query.params)
    if source.annotate is not None and names & {"_lastUpdated", "date"}:
        rows = source.annotate(rows)
    for name, values in query.params.items():
        for value in values:
            if name == "_id":
                condition = NOTHING
                for logical in value.split(","):
                    condition |= source.ident(logical, rows)
                rows = rows.filter(condition)
            elif name == "_lastUpdated":
                rows = rows.filter(_date_q(source.updated, value, is_day=False))
            elif name == "date":
                rows = rows.filter(_date_q(source.date, value, is_day=source.date in DAY_FIELDS))
            elif name == "status":
                rows = rows.filter(source.status(set(value.split(","))))
            elif name == "category":
                category = [source.category] if source.category else []
                if not _token_matches(category, value):
                    rows = rows.none()
    return rows


def check_params(kind: Kind, params: dict[str, list[str]]) -> None:
    for name, values in params.items():
        if name not in kind.params and name not in RESULT_PARAMS:
            raise SearchError(
                f"The search parameter {name!r} is not supported for {kind.name}.", "not-supported"
            )
        if name == "_include" and any(v != "CarePlan:goal" for v in values):
            raise SearchError("Only _include=CarePlan:goal is supported.", "not-supported")
        if name == "_include" and kind.name != "CarePlan":
            raise SearchError(
                "_include=CarePlan:goal applies to CarePlan searches.", "not-supported"
            )
        if name == "_summary" and values != ["count"]:
            raise SearchError("Only _summary=count is supported.", "not-supported")
        if name in ("_count", "_offset"):
            for value in values:
                if not value.isdigit():
                    raise SearchError(f"{name} must be a whole number.")


def _page_weighted(
    source: Source, query: Query, rows: Rows, low: int, high: int
) -> tuple[int, Found]:
    """Total and page for a source whose rows make several resources each."""
    assert source.weight is not None
    weights = source.weight(query, rows)
    total = sum(n for _pk, n in weights)
    if high <= low:
        return total, []
    wanted: list[int] = []
    skip = 0
    position = 0
    for pk, n in weights:
        if position + n > low and position < high and n:
            if not wanted:
                skip = low - position
            wanted.append(pk)
        position += n
    if not wanted:
        return total, []
    page = list(rows.filter(pk__in=wanted))
    built = source.build(query, page)
    return total, built[max(skip, 0) : max(skip, 0) + (high - low)]


def run(kind: Kind, query: Query, *, offset: int = 0, count: int = DEFAULT_COUNT) -> Result:
    """The resources of this kind the grant may see that match the query: how many, and the
    ``count`` of them from ``offset`` on, in a fixed order. Counted and paged in SQL."""
    check_params(kind, query.params)
    if not query.grant.reads(kind.name):
        return Result(0, [])
    total = 0
    found: Found = []
    for source in kind.sources:
        if not _in_category(source, query):
            continue  # nothing of this source matches: not even the access query is built
        rows = _rows(source, query)
        low = max(offset - total, 0)
        high = max(offset + count - total, 0)
        if source.weight is not None:
            size, page = _page_weighted(source, query, rows, low, high)
            total += size
            found += page
            continue
        size, page = _counted_page(rows, low, high)
        if page:
            found += source.build(query, page)
        total += size
    return Result(total, found)


TOTAL = "fhir_search_total"


def _counted_page(rows: Rows, low: int, high: int) -> tuple[int, list[Any]]:
    """How many rows match, and rows ``low`` to ``high`` of them. When a page is wanted, one
    query answers both (``COUNT(*) OVER ()`` beside the page): the database finds every
    matching row for the ordered page anyway, and a separate ``COUNT`` found them all a second
    time, as costly as the page itself when the user sees 100,000 persons."""
    if high <= low or rows.query.is_empty() or rows.query.distinct:
        # (A window counts the rows before DISTINCT removes any: no shortcut there.)
        size = rows.count()
        return size, (list(rows[low:high]) if high > low and low < size else [])
    page = list(rows.annotate(**{TOTAL: Window(Count("*"))})[low:high])
    if page:
        return int(getattr(page[0], TOTAL)), page
    return (rows.count() if low else 0), []


def included_goals(query: Query, plans: Found) -> Found:
    """The Goals the matched CarePlans name (``_include=CarePlan:goal``)."""
    wanted = {g["reference"].removeprefix("Goal/") for r, _ in plans for g in r.get("goal", [])}
    if not wanted or not query.grant.reads("Goal"):
        return []
    # Only recovery plans name goals, and building them read their goals already, through the
    # access layer for the plan section (``persons(query, Section.PLAN)``, as a Goal search):
    # no second query for the same rows.
    rows = [found for logical, found in query.plan_goals.items() if logical in wanted]
    stances = _latest_stances([g.pk for g, _p in rows])
    return [(fhir.goal(g, stances.get(g.pk)), person) for g, person in rows]
