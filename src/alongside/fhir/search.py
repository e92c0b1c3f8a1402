"""Read and search for every resource type the API serves, through the access layer.

Each type names the record section it belongs to (a CarePlan for recovery is ``plan``, the crisis
plan ``crisis_plan``, scores ``measures``), and rows come only from ``access.visible_persons`` for
that section (narrowed to the token's patient for patient-level scopes). So a caseworker whose
membership shows the plan and meetings sees the recovery CarePlan and Goals but no Observation; a
family member invited for the crisis plan sees the crisis CarePlan and nothing else.

Search parameters: ``_id``, ``patient``/``subject``, ``_lastUpdated``, ``status``, ``date``,
``category`` where the type has them, and the result controls ``_count``, ``_summary=count``,
``_include=CarePlan:goal``. Anything else is refused with an OperationOutcome.

Known cost: every visible resource of the type is built and then filtered and paged in Python,
so a search costs in proportion to what the user may see, not to the page returned
(``benchmarks/bench_fhir.py``). Pushing ``_id``, ``patient``, ``_count`` and ``_offset`` into the
person query before building is the next step.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
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
from alongside.people.models import Person, Stay
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


@dataclass(frozen=True)
class Kind:
    name: str
    section: Section | None  # None: not person data (any authenticated grant may read)
    build: Callable[[Query, QuerySet[Person] | None], Found]
    params: tuple[str, ...]
    status: Callable[[JSON], str | None] = lambda r: None
    date: Callable[[JSON], str | None] = lambda r: None
    category: Callable[[JSON], list[tuple[str, str]]] = lambda r: []
    sections: tuple[Section, ...] = ()  # for person data in several sections (CarePlan)
    self_only: bool = False


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
    condition = Q()
    for section in Section:
        condition |= Q(pk__in=persons(query, section).values("pk"))
    return Person.objects.filter(condition)


# ----- builders -----------------------------------------------------------------------------


def _patients(query: Query, _: QuerySet[Person] | None) -> Found:
    rows = _any_section(query).prefetch_related("identifiers").order_by("pk")
    return [(fhir.patient(p, list(p.identifiers.all())), p) for p in rows]


def _encounters(query: Query, shown: QuerySet[Person] | None) -> Found:
    assert shown is not None
    stays = Stay.objects.filter(person__in=shown).select_related("person", "unit__organisation")
    return [(fhir.encounter(s), s.person) for s in stays.order_by("pk")]


def _memberships(
    shown: QuerySet[Person], *, active: bool
) -> dict[int, list[CareNetworkMembership]]:
    rows = CareNetworkMembership.objects.filter(person__in=shown)
    if active:
        rows = rows.active_at(timezone.now())
    grouped: dict[int, list[CareNetworkMembership]] = defaultdict(list)
    for row in rows.select_related("person", "member", "organisation").order_by("started_at", "pk"):
        grouped[row.person_id].append(row)
    return grouped


def _care_teams(query: Query, shown: QuerySet[Person] | None) -> Found:
    assert shown is not None
    grouped = _memberships(shown, active=True)
    return [(fhir.care_team(p, grouped.get(p.pk, [])), p) for p in shown.order_by("pk")]


def _consents(query: Query, shown: QuerySet[Person] | None) -> Found:
    assert shown is not None
    grouped = _memberships(shown, active=False)
    return [(fhir.consent(m), m.person) for p in grouped.values() for m in p]


def _goal_rows(shown: QuerySet[Person]) -> list[Goal]:
    return list(
        Goal.objects.filter(person__in=shown)
        .select_related("person", "author")
        .prefetch_related(
            Prefetch("stances", queryset=GoalStance.objects.order_by("-recorded_at", "-id")),
            Prefetch("steps", queryset=GoalStep.objects.order_by("created_at", "pk")),
        )
        .order_by("person_id", "created_at", "pk")
    )


def _goals(query: Query, shown: QuerySet[Person] | None) -> Found:
    assert shown is not None
    return [(fhir.goal(g, next(iter(g.stances.all()), None)), g.person) for g in _goal_rows(shown)]


def _provenance(query: Query, shown: QuerySet[Person] | None) -> Found:
    assert shown is not None
    return [(fhir.provenance(g), g.person) for g in _goal_rows(shown)]


def _care_plans(query: Query, _: QuerySet[Person] | None) -> Found:
    found: Found = []
    plan_persons = persons(query, Section.PLAN)
    goals: dict[int, list[Goal]] = defaultdict(list)
    for g in _goal_rows(plan_persons):
        goals[g.person_id].append(g)
    for person in plan_persons.order_by("pk"):
        found.append((fhir.recovery_plan(person, goals.get(person.pk, [])), person))
    crisis_persons = persons(query, Section.CRISIS_PLAN)
    latest = (
        CrisisPlanVersion.objects.filter(person__in=crisis_persons)
        .select_related("person")
        .order_by("person_id", "-number")
    )
    seen: set[int] = set()
    for version in latest:
        if version.person_id not in seen:
            seen.add(version.person_id)
            found.append((fhir.crisis_plan(version), version.person))
    return found


def _responses(shown: QuerySet[Person]) -> QuerySet[Response]:
    return (
        Response.objects.filter(person__in=shown)
        .select_related("person", "version__instrument", "instrument")
        .order_by("authored_at", "pk")
    )


def _questionnaire_responses(query: Query, shown: QuerySet[Person] | None) -> Found:
    assert shown is not None
    return [(fhir.questionnaire_response(r), r.person) for r in _responses(shown)]


def _observations(query: Query, shown: QuerySet[Person] | None) -> Found:
    assert shown is not None
    return [(o, r.person) for r in _responses(shown) for o in fhir.observations(r)]


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


def _documents(query: Query, _: QuerySet[Person] | None) -> Found:
    found: Found = []
    base = query.base.split("/fhir/R4/")[0]
    for person in persons(query, Section.PLAN).order_by("pk"):
        url = f"{base}/persons/{person.pk}/plan/pdf/"
        found.append(
            (
                _document(person, "recovery", "Recovery plan", url, person.created_at, "18776-5"),
                person,
            )
        )
    for summary in HandoverSummary.objects.filter(
        stay__person__in=persons(query, Section.PLAN), approved_by_person_at__isnull=False
    ).select_related("stay__person"):
        person = summary.stay.person
        url = f"{base}/persons/{person.pk}/discharge/handover/pdf/"
        document = _document(
            person, "handover", "Handover summary", url, summary.approved_by_person_at, "18842-5"
        )
        document["id"] = str(summary.fhir_id)
        found.append((document, person))
    seen: set[int] = set()
    for version in (
        CrisisPlanVersion.objects.filter(person__in=persons(query, Section.CRISIS_PLAN))
        .select_related("person")
        .order_by("person_id", "-number")
    ):
        person = version.person
        if person.pk in seen:
            continue
        seen.add(person.pk)
        url = f"{base}/persons/{person.pk}/crisis/card/"
        document = _document(
            person, "crisis", "Crisis plan card", url, version.created_at, "81338-6"
        )
        document["id"] = f"crisis-{person.fhir_id}"
        found.append((document, person))
    return found


def _audit_events(query: Query, _: QuerySet[Person] | None) -> Found:
    own = Person.objects.filter(user=query.grant.user).first()
    if own is None:
        return []
    if query.grant.patient_only and (
        query.grant.patient is None or query.grant.patient.pk != own.pk
    ):
        return []
    wanted = query.params.get("patient", []) + query.params.get("subject", [])
    if any(v.removeprefix("Patient/") != str(own.fhir_id) for v in wanted):
        return []
    events = AuditEvent.objects.filter(person_id=own.pk).order_by("-at", "-id")[:1000]
    return [(fhir.audit_event(e, own), own) for e in events]


def _questionnaires(query: Query, _: QuerySet[Person] | None) -> Found:
    rows = QuestionnaireVersion.objects.exclude(status=VersionStatus.RETIRED).select_related(
        "instrument"
    )
    return [(fhir.questionnaire(v), None) for v in rows.order_by("pk")]


def _organizations(query: Query, _: QuerySet[Person] | None) -> Found:
    return [(fhir.organization(o), None) for o in Organisation.objects.order_by("pk")]


def _practitioners(query: Query, _: QuerySet[Person] | None) -> Found:
    staff = User.objects.filter(staff_roles__isnull=False).distinct().order_by("pk")
    return [(fhir.practitioner(u), None) for u in staff]


def _practitioner_roles(query: Query, _: QuerySet[Person] | None) -> Found:
    rows = StaffRole.objects.select_related("user", "unit__organisation").order_by("pk")
    return [(fhir.practitioner_role(r), None) for r in rows]


# ----- the types ----------------------------------------------------------------------------

COMMON = ("_id", "_lastUpdated")
PERSON = (*COMMON, "patient", "subject")


def _codes(resource: JSON, key: str) -> list[tuple[str, str]]:
    value = resource.get(key)
    concepts = value if isinstance(value, list) else [value] if value else []
    return [
        (c.get("system", ""), c.get("code", "")) for cc in concepts for c in cc.get("coding", [])
    ]


def _period_start(resource: JSON) -> str | None:
    period = resource.get("period")
    return period.get("start") if isinstance(period, dict) else None


KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in [
        Kind("Patient", None, _patients, (*COMMON,), sections=tuple(Section)),
        Kind(
            "Encounter",
            Section.PLAN,
            _encounters,
            (*PERSON, "status", "date"),
            status=lambda r: r.get("status"),
            date=_period_start,
        ),
        Kind(
            "CareTeam",
            Section.PLAN,
            _care_teams,
            (*PERSON, "status"),
            status=lambda r: r.get("status"),
        ),
        Kind(
            "Consent",
            Section.PLAN,
            _consents,
            (*PERSON, "status", "date", "category"),
            status=lambda r: r.get("status"),
            date=lambda r: r.get("dateTime"),
            category=lambda r: _codes(r, "category"),
        ),
        Kind(
            "CarePlan",
            Section.PLAN,
            _care_plans,
            (*PERSON, "status", "date", "category"),
            status=lambda r: r.get("status"),
            date=lambda r: r.get("created") or (r.get("meta") or {}).get("lastUpdated"),
            category=lambda r: _codes(r, "category"),
            sections=(Section.PLAN, Section.CRISIS_PLAN),
        ),
        Kind(
            "Goal",
            Section.PLAN,
            _goals,
            (*PERSON, "status", "date"),
            status=lambda r: r.get("lifecycleStatus"),
            date=lambda r: r.get("startDate"),
        ),
        Kind(
            "Provenance",
            Section.PLAN,
            _provenance,
            (*PERSON, "date"),
            date=lambda r: r.get("recorded"),
        ),
        Kind(
            "Questionnaire",
            None,
            _questionnaires,
            (*COMMON, "status"),
            status=lambda r: r.get("status"),
        ),
        Kind(
            "QuestionnaireResponse",
            Section.MEASURES,
            _questionnaire_responses,
            (*PERSON, "status", "date"),
            status=lambda r: r.get("status"),
            date=lambda r: r.get("authored"),
        ),
        Kind(
            "Observation",
            Section.MEASURES,
            _observations,
            (*PERSON, "status", "date", "category"),
            status=lambda r: r.get("status"),
            date=lambda r: r.get("effectiveDateTime"),
            category=lambda r: _codes(r, "category"),
        ),
        Kind(
            "DocumentReference",
            Section.PLAN,
            _documents,
            (*PERSON, "status", "date", "category"),
            status=lambda r: r.get("status"),
            date=lambda r: r.get("date"),
            category=lambda r: _codes(r, "category"),
            sections=(Section.PLAN, Section.CRISIS_PLAN),
        ),
        Kind(
            "AuditEvent",
            None,
            _audit_events,
            (*PERSON, "date"),
            date=lambda r: r.get("recorded"),
            self_only=True,
        ),
        Kind("Organization", None, _organizations, COMMON),
        Kind("Practitioner", None, _practitioners, COMMON),
        Kind("PractitionerRole", None, _practitioner_roles, COMMON),
    ]
}


# ----- filters ------------------------------------------------------------------------------

PREFIXES = ("eq", "ne", "gt", "lt", "ge", "le")


def _date_matches(value: str | None, wanted: str) -> bool:
    prefix, text = ("eq", wanted)
    if wanted[:2] in PREFIXES and not wanted[:2].isdigit():
        prefix, text = wanted[:2], wanted[2:]
    if not text or not text[:4].isdigit():
        raise SearchError(f"Cannot read the date {wanted!r}.")
    if not value:
        return False
    head = value[: len(text)]
    return {
        "eq": head == text,
        "ne": head != text,
        "gt": head > text,
        "lt": head < text,
        "ge": head >= text,
        "le": head <= text,
    }[prefix]


def _token_matches(codes: Iterable[tuple[str, str]], wanted: str) -> bool:
    options = wanted.split(",")
    for option in options:
        system, bar, code = option.rpartition("|")
        for have_system, have_code in codes:
            if have_code == code and (not bar or have_system == system):
                return True
    return False


def _filter(kind: Kind, query: Query, found: Found) -> Found:
    out = found
    for name, values in query.params.items():
        for value in values:
            if name == "_id":
                wanted = set(value.split(","))
                out = [(r, p) for r, p in out if r["id"] in wanted]
            elif name == "_lastUpdated":
                out = [
                    (r, p)
                    for r, p in out
                    if _date_matches((r.get("meta") or {}).get("lastUpdated"), value)
                ]
            elif name == "status":
                wanted = set(value.split(","))
                out = [(r, p) for r, p in out if kind.status(r) in wanted]
            elif name == "date":
                out = [(r, p) for r, p in out if _date_matches(kind.date(r), value)]
            elif name == "category":
                out = [(r, p) for r, p in out if _token_matches(kind.category(r), value)]
    return out


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


def run(kind: Kind, query: Query) -> Found:
    """Every resource of this kind the grant may see that matches the query, in a fixed order."""
    check_params(kind, query.params)
    if not query.grant.reads(kind.name):
        return []
    shown = persons(query, kind.section) if kind.section is not None and not kind.sections else None
    return _filter(kind, query, kind.build(query, shown))


def included_goals(query: Query, plans: Found) -> Found:
    """The Goals the matched CarePlans name (``_include=CarePlan:goal``)."""
    wanted = {g["reference"].removeprefix("Goal/") for r, _ in plans for g in r.get("goal", [])}
    if not wanted or not query.grant.reads("Goal"):
        return []
    goals = Goal.objects.filter(fhir_id__in=wanted, person__in=persons(query, Section.PLAN))
    rows = (
        goals.select_related("person", "author")
        .prefetch_related(
            Prefetch("stances", queryset=GoalStance.objects.order_by("-recorded_at", "-id"))
        )
        .order_by("person_id", "created_at", "pk")
    )
    return [(fhir.goal(g, next(iter(g.stances.all()), None)), g.person) for g in rows]
