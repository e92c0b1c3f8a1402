"""Reading reviews. Callers hold access to the person's plan section, or use ``visible_persons``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Prefetch, QuerySet

from alongside import access
from alongside.accounts.models import User
from alongside.network.scopes import Section
from alongside.people.models import Stay, StayStatus
from alongside.plans.models import Goal
from alongside.reviews.models import Review, ReviewView

DUE_WITHIN_DAYS = 14


def reviews_for(person_id: int) -> QuerySet[Review]:
    """The person's reviews, newest first, with who recorded them, views and goals: 3 queries."""
    return (
        Review.objects.filter(person_id=person_id)
        .select_related("recorded_by", "stay__unit")
        .prefetch_related(
            Prefetch("views", queryset=ReviewView.objects.select_related("written_by")),
            Prefetch("goals_reviewed", queryset=Goal.objects.order_by("created_at", "pk")),
        )
        .order_by("-held_on", "-pk")
    )


@dataclass(frozen=True)
class DueRow:
    stay: Stay
    due_on: date
    days: int  # days until due; negative when overdue

    @property
    def overdue(self) -> bool:
        return self.days < 0

    @property
    def overdue_by(self) -> int:
        return -self.days


def due_reviews(user: User, *, today: date, limit: int = 200) -> list[DueRow]:
    """Active stays of persons whose plan the user may see, with a review due within 14 days or
    overdue, soonest first. One query whatever the number of persons."""
    stays = (
        Stay.objects.filter(
            status=StayStatus.ACTIVE,
            next_review_on__isnull=False,
            next_review_on__lte=today + timedelta(days=DUE_WITHIN_DAYS),
            person__in=access.visible_persons(user, Section.PLAN),
        )
        .select_related("person", "unit")
        .order_by("next_review_on", "pk")[:limit]
    )
    return [
        DueRow(stay=stay, due_on=stay.next_review_on, days=(stay.next_review_on - today).days)
        for stay in stays
        if stay.next_review_on is not None
    ]
