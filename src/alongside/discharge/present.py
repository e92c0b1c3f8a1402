"""The handover summary as the page, the PDF and the FHIR Bundle show it, in the active language.

The snapshot holds codes and the person's own words; labels are looked up here when shown, so the
same approved summary reads in English, Danish or Japanese.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils.translation import get_language

from alongside.discharge.models import EntryStatus, HandoverComment, HandoverSummary
from alongside.discharge.queries import items_for
from alongside.network.models import NETWORK_ROLE_CHOICES
from alongside.plans.models import GoalStatus, StrengthKind

_ROLE_LABELS = dict(NETWORK_ROLE_CHOICES)


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _language() -> str:
    language = (get_language() or "en")[:2]
    return language if language in ("en", "da", "ja") else "en"


@dataclass(frozen=True)
class StepView:
    text: str
    who_helps: str
    due_on: date | None
    done: bool


@dataclass(frozen=True)
class GoalView:
    id: int
    text: str
    status: str
    status_label: str
    written_by_person: bool
    steps: list[StepView]


@dataclass(frozen=True)
class MemberView:
    name: str
    role: str
    role_label: str
    organisation: str


@dataclass(frozen=True)
class OfferView:
    code: str
    label: str
    status_label: str
    details: str
    date: date | None


@dataclass
class SummaryView:
    summary: HandoverSummary
    person_name: str
    birth_date: date | None
    unit: str
    organisation: str
    started_on: date | None
    ended_on: date | None
    goals: list[GoalView]
    strengths: list[tuple[str, str]]
    matters_a_lot: list[str]
    matters_somewhat: list[str]
    crisis_plan: dict[str, Any] | None
    network: list[MemberView]
    offers: list[OfferView]
    comments: list[HandoverComment] = field(default_factory=list)


def present(summary: HandoverSummary) -> SummaryView:
    snap: dict[str, Any] = summary.drafted_from
    language = _language()
    labels = {item.code: item.label for item in items_for(summary.stay)}
    person = snap.get("person", {})
    stay = snap.get("stay", {})
    matters = snap.get("what_matters", {})
    return SummaryView(
        summary=summary,
        person_name=person.get("preferred_name") or person.get("name", ""),
        birth_date=_date(person.get("birth_date")),
        unit=stay.get("unit", ""),
        organisation=stay.get("organisation", ""),
        started_on=_date(stay.get("started_on")),
        ended_on=_date(stay.get("ended_on")),
        goals=[
            GoalView(
                id=int(goal["id"]),
                text=goal["text"],
                status=goal["status"],
                status_label=str(GoalStatus(goal["status"]).label),
                written_by_person=bool(goal["written_by_person"]),
                steps=[
                    StepView(s["text"], s["who_helps"], _date(s["due_on"]), bool(s["done"]))
                    for s in goal["steps"]
                ],
            )
            for goal in snap.get("goals", [])
        ],
        strengths=[
            (str(StrengthKind(s["kind"]).label), s["text"]) for s in snap.get("strengths", [])
        ],
        matters_a_lot=[card[language] for card in matters.get("a_lot", [])],
        matters_somewhat=[card[language] for card in matters.get("somewhat", [])],
        crisis_plan=snap.get("crisis_plan"),
        network=[
            MemberView(
                m["name"], m["role"], str(_ROLE_LABELS.get(m["role"], m["role"])), m["organisation"]
            )
            for m in snap.get("network", [])
        ],
        offers=[
            OfferView(
                o["code"],
                labels.get(o["code"], o["code"]),
                str(EntryStatus(o["status"]).label),
                o["details"],
                _date(o["date"]),
            )
            for o in snap.get("offers", [])
        ],
        comments=list(summary.comments.select_related("author").order_by("written_at", "pk")),
    )
