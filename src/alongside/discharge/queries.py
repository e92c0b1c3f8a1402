"""Reading discharge data. Callers hold access to the person's plan section (access layer).

The checklist a stay uses is the default set as the stay's organisation has configured it: an
organisation's item with a default item's code replaces it, an inactive one hides it, other
organisation items are added (the same rule as the card deck in ``plans.queries.deck_for``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from alongside.discharge.models import (
    SETTLED,
    ChecklistEntry,
    ChecklistItemTemplate,
    DischargeChecklist,
    HandoverSummary,
)
from alongside.organisations.models import CARE_ROLES, StaffRole
from alongside.people.models import Person, Stay, StayStatus


def focus_stay(person: Person) -> Stay | None:
    """The stay discharge pages are about: the newest active stay, else the newest one."""
    stays = Stay.objects.filter(person=person).select_related("unit__organisation")
    active = stays.filter(status=StayStatus.ACTIVE).order_by("-started_on", "-pk").first()
    return active or stays.order_by("-started_on", "-pk").first()


def items_for(stay: Stay) -> list[ChecklistItemTemplate]:
    """The active checklist items for this stay, in order. One query."""
    organisation_id = stay.unit.organisation_id
    rows = list(
        ChecklistItemTemplate.objects.filter(
            Q(organisation__isnull=True) | Q(organisation_id=organisation_id)
        )
    )
    chosen: dict[str, ChecklistItemTemplate] = {}
    for item in rows:
        if item.organisation_id is None:
            chosen.setdefault(item.code, item)
    for item in rows:
        if item.organisation_id is not None:
            chosen[item.code] = item
    return sorted((i for i in chosen.values() if i.active), key=lambda i: (i.position, i.code))


@dataclass(frozen=True)
class ChecklistRow:
    item: ChecklistItemTemplate
    entry: ChecklistEntry | None

    @property
    def status(self) -> str:
        return self.entry.status if self.entry is not None else "open"

    @property
    def settled(self) -> bool:
        return self.status in SETTLED


@dataclass(frozen=True)
class ChecklistState:
    stay: Stay
    checklist: DischargeChecklist | None
    rows: list[ChecklistRow]

    @property
    def version(self) -> int:
        return self.checklist.version if self.checklist is not None else 0

    @property
    def open_required(self) -> list[ChecklistItemTemplate]:
        return [row.item for row in self.rows if row.item.required and not row.settled]


def checklist_state(stay: Stay) -> ChecklistState:
    """The stay's checklist as it stands, one row per active item. Three queries."""
    checklist = DischargeChecklist.objects.filter(stay=stay).first()
    entries: dict[str, ChecklistEntry] = {}
    if checklist is not None:
        for entry in ChecklistEntry.objects.filter(checklist=checklist).select_related(
            "item", "recorded_by"
        ):
            entries[entry.item.code] = entry
    rows = [ChecklistRow(item, entries.get(item.code)) for item in items_for(stay)]
    return ChecklistState(stay, checklist, rows)


def may_end_stay(user_id: int, stay: Stay) -> bool:
    """Only someone with a current care role in the stay's own unit ends the stay."""
    return (
        StaffRole.objects.current()
        .filter(user_id=user_id, unit_id=stay.unit_id, role__in=CARE_ROLES)
        .exists()
    )


def summary_for(stay: Stay) -> HandoverSummary | None:
    return (
        HandoverSummary.objects.filter(stay=stay)
        .select_related("stay__person", "stay__unit__organisation", "drafted_by")
        .first()
    )
