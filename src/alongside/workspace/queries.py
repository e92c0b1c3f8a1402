"""Read-side queries for the staff pages, shaped so each page costs a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Lower, NullIf
from django.utils import timezone

from alongside import access
from alongside.accounts.models import User
from alongside.alerts.models import Alert
from alongside.core.pages import urls_by_id
from alongside.network.models import CareNetworkMembership
from alongside.network.queries import active_members
from alongside.network.scopes import Section
from alongside.organisations.models import Role
from alongside.people.models import Person, Stay, StayStatus
from alongside.relationship.models import Contact, ContactKind

CASELOAD_SORTS = ("name", "last_contact", "review")


def caseload(user: User, *, search: str = "", sort: str = "name") -> QuerySet[Person]:
    now = timezone.now()
    persons = access.visible_persons(user, Section.PLAN, now=now)
    if search:
        persons = persons.filter(Q(preferred_name__icontains=search) | Q(name__icontains=search))
    last_contact = (
        Contact.objects.filter(person=OuterRef("pk")).order_by("-occurred_at").values("occurred_at")
    )
    last_together = (
        Contact.objects.filter(person=OuterRef("pk"), kind=ContactKind.ACTIVITY)
        .order_by("-occurred_at")
        .values("occurred_at")
    )
    active_stay = Stay.objects.filter(person=OuterRef("pk"), status=StayStatus.ACTIVE).order_by(
        "-started_on"
    )
    # Alerts are measures data: counted only for persons whose measures this user may see.
    open_alerts = (
        Alert.objects.filter(
            person=OuterRef("pk"),
            acknowledged_at__isnull=True,
            person__in=access.visible_persons(user, Section.MEASURES, now=now).values("pk"),
        )
        .order_by()
        .values("person")
        .annotate(count=Count("pk"))
        .values("count")
    )
    persons = persons.annotate(
        shown=Coalesce(NullIf("preferred_name", Value("")), "name"),
        last_contact_at=Subquery(last_contact[:1]),
        last_together_at=Subquery(last_together[:1]),
        stay_started_on=Subquery(active_stay.values("started_on")[:1]),
        stay_unit_name=Subquery(active_stay.values("unit__name")[:1]),
        next_review_on=Subquery(active_stay.values("next_review_on")[:1]),
        open_alerts=Coalesce(Subquery(open_alerts[:1]), Value(0)),
        is_my_key_person=Exists(
            CareNetworkMembership.objects.active_at(now).filter(
                person=OuterRef("pk"), member=user, role=Role.KEY_WORKER
            )
        ),
    )
    order: list[Any]
    if sort == "last_contact":
        order = [F("last_contact_at").asc(nulls_first=True), Lower("shown"), "pk"]
    elif sort == "review":
        order = [F("next_review_on").asc(nulls_last=True), Lower("shown"), "pk"]
    else:
        order = [Lower("shown"), "pk"]
    return persons.order_by(*order)


@dataclass(frozen=True)
class CaseloadRow:
    person: Person
    unit_name: str
    stay_days: int | None
    last_contact_at: datetime | None
    days_since_contact: int | None
    days_since_together: int | None
    next_review_on: date | None
    review_overdue: bool
    is_my_key_person: bool
    # Days until the next review (negative when overdue); None when none is planned.
    review_in_days: int | None = None
    # Alerts nobody has acknowledged yet (0 for persons whose measures the user does not see).
    open_alerts: int = 0
    # The person's overview and "what to do now" pages.
    url: str = ""
    alerts_url: str = ""

    @property
    def review_overdue_by(self) -> int:
        return -self.review_in_days if self.review_in_days is not None else 0

    @property
    def review_due_soon(self) -> bool:
        """Due within the next 14 days (the same window as the reviews-due list)."""
        return self.review_in_days is not None and 0 <= self.review_in_days <= 14


def caseload_rows(persons: list[Person], *, today: date | None = None) -> list[CaseloadRow]:
    """Turn the annotated persons of one page into rows; no further queries."""
    today = today or timezone.localdate()
    ids = [person.pk for person in persons]
    urls = urls_by_id("workspace:person", "person_id", ids)
    alerts_urls = urls_by_id("alerts:now", "person_id", ids)
    rows = []
    for person in persons:
        started: date | None = getattr(person, "stay_started_on", None)
        last: datetime | None = getattr(person, "last_contact_at", None)
        together: datetime | None = getattr(person, "last_together_at", None)
        review: date | None = getattr(person, "next_review_on", None)
        rows.append(
            CaseloadRow(
                person=person,
                unit_name=getattr(person, "stay_unit_name", None) or "",
                stay_days=(today - started).days if started else None,
                last_contact_at=last,
                days_since_contact=(today - timezone.localdate(last)).days if last else None,
                days_since_together=(
                    (today - timezone.localdate(together)).days if together else None
                ),
                next_review_on=review,
                review_overdue=bool(review and review < today),
                is_my_key_person=bool(getattr(person, "is_my_key_person", False)),
                review_in_days=(review - today).days if review else None,
                open_alerts=int(getattr(person, "open_alerts", 0) or 0),
                url=urls[person.pk],
                alerts_url=alerts_urls[person.pk],
            )
        )
    return rows


def overview(grant: access.PersonAccess) -> dict[str, Any]:
    """Everything the overview page shows about one person; a fixed number of queries."""
    person = grant.person
    stays = list(
        Stay.objects.filter(person=person, status=StayStatus.ACTIVE).select_related(
            "unit", "unit__organisation"
        )
    )
    contacts = list(
        Contact.objects.filter(person=person).select_related("staff").order_by("-occurred_at")[:5]
    )
    today = timezone.localdate()
    return {
        "person": person,
        "grant": grant,
        "stays": [(stay, stay.length_in_days(today)) for stay in stays],
        "members": active_members(person),
        "contacts": contacts,
    }


def open_alert_count(person: Person) -> int:
    """Alerts about this person nobody has acknowledged yet (caller checked measures access)."""
    return Alert.objects.filter(person=person, acknowledged_at__isnull=True).count()
