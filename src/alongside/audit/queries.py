"""The person's own access log: every access to her record, read from the audit log.

One page costs a fixed number of queries however long the log is: the count, the page of rows,
then the organisations, emergency reasons and flags for the rows on that page, each in one query.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet

from alongside.audit.models import AccessFlag, AuditAction, AuditEvent
from alongside.network.models import CareNetworkMembership
from alongside.network.scopes import Section
from alongside.organisations.models import StaffRole
from alongside.people.models import Person
from alongside.safety.models import BreakGlassAccess

PAGE_SIZE = 100
BASES = ("network", "unit", "break_glass", "other")
_BASIS = re.compile(r"\[(\w+)\]\s*$")
SHOWN_ACTIONS = [
    AuditAction.READ,
    AuditAction.LIST,
    AuditAction.CREATE,
    AuditAction.UPDATE,
    AuditAction.END,
    AuditAction.BREAK_GLASS,
]


@dataclass(frozen=True)
class LogFilters:
    section: str = ""
    basis: str = ""
    who: int | None = None
    since: date | None = None
    until: date | None = None


@dataclass(frozen=True)
class LogEntry:
    event_id: int
    at: datetime
    who: str
    role: str
    organisation: str
    action: str
    section: Section | None
    basis: str
    reason: str
    flag: AccessFlag | None


def basis_of(event: AuditEvent) -> str:
    if event.action == AuditAction.BREAK_GLASS:
        return "break_glass"
    found = _BASIS.search(event.why)
    return found.group(1) if found and found.group(1) in BASES else "other"


def section_of(event: AuditEvent) -> Section | None:
    head = event.why.split(":", 1)[0].strip()
    return Section(head) if head in Section.values else None


def events_for(person: Person, filters: LogFilters) -> QuerySet[AuditEvent]:
    """Everyone else's accesses to her record (not her own, not the system's)."""
    events = AuditEvent.objects.filter(
        person_id=person.pk, action__in=SHOWN_ACTIONS, actor_id__isnull=False
    )
    if person.user_id is not None:
        events = events.exclude(actor_id=person.user_id)
    if filters.section in Section.values:
        events = events.filter(why__startswith=f"{filters.section}:")
    if filters.basis == "break_glass":
        events = events.filter(why__endswith="[break_glass]") | events.filter(
            action=AuditAction.BREAK_GLASS
        )
    elif filters.basis in ("network", "unit"):
        events = events.filter(why__endswith=f"[{filters.basis}]")
    if filters.who is not None:
        events = events.filter(actor_id=filters.who)
    if filters.since is not None:
        events = events.filter(at__date__gte=filters.since)
    if filters.until is not None:
        events = events.filter(at__date__lte=filters.until)
    return events.order_by("-at", "-id")


def who_accessed(person: Person) -> list[tuple[int, str]]:
    """The people in her log, for the filter: one query."""
    rows = (
        events_for(person, LogFilters()).order_by().values_list("actor_id", "actor_name").distinct()
    )
    return sorted({(int(a), n) for a, n in rows if a is not None}, key=lambda row: row[1])


def entries(person: Person, events: list[AuditEvent]) -> list[LogEntry]:
    """The rows of one page with who, where and why: three more queries, whatever the page."""
    actor_ids = {e.actor_id for e in events if e.actor_id is not None}
    organisations: dict[tuple[int, str], str] = {}
    for role in StaffRole.objects.filter(user_id__in=actor_ids).select_related(
        "unit__organisation"
    ):
        organisations.setdefault((role.user_id, role.role), role.unit.organisation.name)
        organisations.setdefault((role.user_id, ""), role.unit.organisation.name)
    for membership in CareNetworkMembership.objects.filter(
        person=person, member_id__in=actor_ids, organisation__isnull=False
    ).select_related("organisation"):
        assert membership.organisation is not None
        organisations.setdefault(
            (membership.member_id, membership.role), membership.organisation.name
        )
    grants = list(
        BreakGlassAccess.objects.filter(person=person, user_id__in=actor_ids).order_by("opened_at")
    )
    flags = {
        flag.event_id: flag
        for flag in AccessFlag.objects.filter(person_id=person.pk, event__in=events)
    }
    out = []
    for event in events:
        basis = basis_of(event)
        reason = ""
        if basis == "break_glass":
            if event.action == AuditAction.BREAK_GLASS:
                reason = event.why
            else:
                opened = [
                    g
                    for g in grants
                    if g.user_id == event.actor_id and g.opened_at <= event.at <= g.expires_at
                ]
                reason = opened[-1].reason if opened else ""
        actor = int(event.actor_id or 0)
        out.append(
            LogEntry(
                event_id=event.pk,
                at=event.at,
                who=event.actor_name,
                role=event.role,
                organisation=organisations.get((actor, event.role))
                or organisations.get((actor, ""), ""),
                action=event.action,
                section=section_of(event),
                basis=basis,
                reason=reason,
                flag=flags.get(event.pk),
            )
        )
    return out


def log_page(
    person: Person, filters: LogFilters, number: int
) -> tuple[Page[AuditEvent], list[LogEntry]]:
    paginator = Paginator(events_for(person, filters), PAGE_SIZE)
    page = paginator.get_page(number)
    return page, entries(person, list(page.object_list))
