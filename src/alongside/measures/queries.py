"""Read-only questions the pages ask: trends with bands and reliable change, what is due.

Callers have already passed the access layer (``open_person`` with ``Section.MEASURES`` or
``visible_persons``); nothing here checks access.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from alongside.measures.definitions import current_version
from alongside.measures.models import (
    Instrument,
    QuestionnaireVersion,
    Response,
    Schedule,
    ScheduleKind,
)
from alongside.measures.scoring import Change, reliable_change
from alongside.people.models import Person, Stay, StayStatus

REVIEW_WINDOW = timedelta(days=14)


@dataclass(frozen=True)
class Band:
    code: str
    min: float
    max: float
    label: Mapping[str, str]


@dataclass(frozen=True)
class ScaleInfo:
    code: str
    labels: Mapping[str, str]
    min: float
    max: float
    higher_is_better: bool
    reliable_change: float | None
    bands: list[Band] = field(default_factory=list)

    def label(self, language: str) -> str:
        return self.labels.get(language[:2]) or self.labels.get("en") or self.code


@dataclass(frozen=True)
class ScorePoint:
    date: date
    authored_at: datetime
    scale_code: str
    value: float | None
    band: str | None
    band_label: str
    reliable_change: Change | None
    response_id: int


def _range(scale: Mapping[str, Any]) -> tuple[float, float]:
    if scale.get("rescale"):
        return 0.0, 100.0
    n = len(scale["items"])
    if scale["method"] == "count_true":
        return 0.0, float(n)
    low, high = float(scale["item_min"]), float(scale["item_max"])
    return (low * n, high * n) if scale["method"] == "sum" else (low, high)


# Framework terms a shipped definition uses as a scale's name, in the plain words the person
# reads on her charts (the same as the frameworks catalogue). Stored definitions keep their
# version and content; only the name shown changes.
PLAIN_SCALE_NAMES: dict[str, dict[str, str]] = {
    "empowerment": {"en": "Having a say", "da": "Indflydelse", "ja": "自分で決められること"},
}


def scale_labels(scale: Mapping[str, Any]) -> dict[str, str]:
    """A scale's name in each language, in plain words."""
    return {**dict(scale.get("label", {})), **PLAIN_SCALE_NAMES.get(str(scale.get("code")), {})}


def scale_infos(rules: Mapping[str, Any]) -> list[ScaleInfo]:
    infos = []
    for scale in rules.get("scales", []):
        low, high = _range(scale)
        infos.append(
            ScaleInfo(
                code=str(scale["code"]),
                labels=scale_labels(scale),
                min=low,
                max=high,
                higher_is_better=bool(scale.get("higher_is_better", True)),
                reliable_change=scale.get("reliable_change"),
                bands=[
                    Band(str(b["code"]), float(b["min"]), float(b["max"]), dict(b.get("label", {})))
                    for b in scale.get("bands", [])
                ],
            )
        )
    return infos


def scales(instrument_code: str) -> list[ScaleInfo]:
    """The scales of the instrument's current version (for chart axes and band shading)."""
    instrument = Instrument.objects.get(code=instrument_code)
    version = current_version(instrument) or instrument.versions.order_by("-loaded_at").first()
    return scale_infos(version.scoring) if version is not None else []


def responses(person: Person, instrument_code: str | None = None) -> QuerySet[Response]:
    found = Response.objects.filter(person=person).select_related("version", "instrument")
    if instrument_code is not None:
        found = found.filter(instrument__code=instrument_code)
    return found


def trend(
    person: Person,
    instrument_code: str,
    language: str = "en",
    thresholds: Mapping[str, float | None] | None = None,
) -> list[ScorePoint]:
    """Every scored scale of every response, oldest first, with band and reliable change against
    the previous score of the same scale. One query (plus one per distinct version, usually one).
    ``thresholds`` (scale code -> threshold, see ``reliable.rules_for``) replaces the thresholds
    written in the scoring data."""
    points: list[ScorePoint] = []
    previous: dict[str, float] = {}
    infos: dict[int, dict[str, ScaleInfo]] = {}
    rows = responses(person, instrument_code).order_by("authored_at", "id")
    for response in rows:
        if response.version_id not in infos:
            infos[response.version_id] = {i.code: i for i in scale_infos(response.version.scoring)}
        for code, score in response.scores.items():
            info = infos[response.version_id].get(code)
            value = score.get("value")
            change = None
            if info is not None and value is not None and code in previous:
                threshold = info.reliable_change
                if thresholds is not None and code in thresholds:
                    threshold = thresholds[code]
                change = reliable_change(
                    previous[code],
                    float(value),
                    threshold,
                    higher_is_better=info.higher_is_better,
                )
            band_label = ""
            if info is not None and score.get("band"):
                band = next((b for b in info.bands if b.code == score["band"]), None)
                if band is not None:
                    band_label = band.label.get(language[:2]) or band.label.get("en", band.code)
            points.append(
                ScorePoint(
                    date=timezone.localdate(response.authored_at),
                    authored_at=response.authored_at,
                    scale_code=code,
                    value=None if value is None else float(value),
                    band=score.get("band"),
                    band_label=band_label,
                    reliable_change=change,
                    response_id=response.pk,
                )
            )
            if value is not None:
                previous[code] = float(value)
    return points


@dataclass(frozen=True)
class DueItem:
    schedule: Schedule
    person: Person
    instrument: Instrument
    version: QuestionnaireVersion | None
    due_on: date
    overdue: bool
    blocked_reason: str | None


def _review_due(
    schedule: Schedule, reviews: Mapping[int, date], done: Mapping[tuple[int, int], datetime]
) -> date | None:
    review = reviews.get(schedule.person_id)
    if review is None:
        return None
    opens = review - REVIEW_WINDOW
    last = done.get((schedule.person_id, schedule.instrument_id))
    if last is not None and timezone.localdate(last) >= opens:
        return None
    return opens


def _due(schedules: QuerySet[Schedule], today: date) -> list[DueItem]:
    from alongside.measures.services import sendable_reason

    rows = list(schedules.filter(active=True).select_related("person", "instrument"))
    person_ids = {s.person_id for s in rows}
    reviews: dict[int, date] = {}
    done: dict[tuple[int, int], datetime] = {}
    if any(s.kind == ScheduleKind.EACH_REVIEW for s in rows):
        for stay in Stay.objects.filter(
            person_id__in=person_ids, status=StayStatus.ACTIVE, next_review_on__isnull=False
        ).order_by("next_review_on"):
            assert stay.next_review_on is not None
            reviews.setdefault(stay.person_id, stay.next_review_on)
        for person_id, instrument_id, authored_at in Response.objects.filter(
            person_id__in=person_ids
        ).values_list("person_id", "instrument_id", "authored_at"):
            key = (person_id, instrument_id)
            if key not in done or authored_at > done[key]:
                done[key] = authored_at
    versions: dict[int, QuestionnaireVersion | None] = {}
    items = []
    for schedule in rows:
        if schedule.kind == ScheduleKind.EACH_REVIEW:
            due_on = _review_due(schedule, reviews, done)
        else:
            due_on = schedule.next_due_on
        if due_on is None or due_on > today:
            continue
        if schedule.instrument_id not in versions:
            versions[schedule.instrument_id] = current_version(schedule.instrument)
        version = versions[schedule.instrument_id]
        reason = None if version is None else sendable_reason(version)
        if version is None:
            reason = "no active version"
        items.append(
            DueItem(
                schedule=schedule,
                person=schedule.person,
                instrument=schedule.instrument,
                version=version,
                due_on=due_on,
                overdue=due_on < today,
                blocked_reason=reason,
            )
        )
    items.sort(key=lambda item: (item.due_on, item.person.pk, item.instrument.code))
    return items


def due_for_person(person: Person, today: date | None = None) -> list[DueItem]:
    """What is waiting for this person today (due or overdue)."""
    return _due(Schedule.objects.filter(person=person), today or timezone.localdate())


def due_for_staff(
    persons: Iterable[Person] | QuerySet[Person], today: date | None = None
) -> list[DueItem]:
    """Due and overdue measures for the persons a member of staff may see (pass
    ``visible_persons(user, Section.MEASURES)``)."""
    if isinstance(persons, QuerySet):
        chosen = Schedule.objects.filter(person__in=persons.values("pk"))
    else:
        chosen = Schedule.objects.filter(person__in=[p.pk for p in persons])
    return _due(chosen, today or timezone.localdate())
