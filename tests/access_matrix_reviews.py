"""Access declarations for coordinated plan reviews.

Reading a review needs P1's ``plan`` section: P1 themself, the key worker (unit and network) and
the municipal caseworker, whose scope includes the plan: the review is held jointly with the
municipality, so the caseworker reading it is intended. Family (crisis plan only), the former
member, staff of another unit, the analyst and P2 get 404.

Staff with a current staff role record reviews (the key worker and the caseworker); the person
does not record one but adds their own view to a recorded review, which only they may do.

The review rule belongs to team leaders and service managers; no persona is one, so all get 404
(tests/test_reviews.py covers a team leader). The due list is for anyone with a current staff
role, and lists only persons whose plan they may see.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from alongside.audit.log import Actor
from alongside.organisations.models import Role
from alongside.people.models import StayStatus
from alongside.reviews import services
from alongside.reviews.models import Review
from tests.access_declarations import STAFF, Declaration, P, only, p1
from tests.personas import World

READERS = [P.P1, P.KEY_WORKER, P.CASEWORKER]
RECORDERS = [P.KEY_WORKER, P.CASEWORKER]


def a_review(world: World) -> dict[str, Any]:
    """P1's review, recorded once (before the request, so a write check's snapshot includes it)."""
    review = Review.objects.filter(person=world.p1).first()
    if review is None:
        review = services.record_review(
            Actor(world.users[P.KEY_WORKER], Role.KEY_WORKER),
            world.p1,
            world.p1.stays.get(status=StayStatus.ACTIVE),
            held_on=timezone.localdate(),
            person_went_well="I cooked twice this month",
            person_matters_now="Seeing my sister",
            municipality_took_part=True,
        )
    return {"person_id": world.p1.pk, "review_id": review.pk}


def _review_data(world: World) -> dict[str, Any]:
    return {
        "stay": world.p1.stays.get(status=StayStatus.ACTIVE).pk,
        "held_on": timezone.localdate().isoformat(),
        "person_went_well": "I slept better",
        "person_matters_now": "A flat of my own",
        "municipality_took_part": "on",
        "party-TOTAL_FORMS": "1",
        "party-INITIAL_FORMS": "0",
        "party-0-party_name": "Casework",
        "party-0-view": "Housing offer is being prepared",
    }


REVIEWS: dict[str, Declaration] = {
    "reviews:reviews": Declaration("get", only(READERS), kwargs=p1),
    "reviews:record": Declaration(
        "get", only(RECORDERS), kwargs=p1, notes="staff record; the person adds their view"
    ),
    "reviews:review": Declaration("get", only(READERS), kwargs=a_review),
    "reviews_service:rule": Declaration(
        "get", only([]), notes="team leaders and service managers only; no persona is one"
    ),
    "reviews_service:due": Declaration("get", only(STAFF), notes="any current staff role"),
}

REVIEWS_ALSO: list[tuple[str, Declaration]] = [
    (
        "reviews:record",
        Declaration(
            "post",
            only(RECORDERS, ok=302),
            kwargs=p1,
            data=_review_data,
            writes=True,
            notes="recording sets the stay's next review date",
        ),
    ),
    (
        "reviews:review",
        Declaration(
            "post",
            only([P.P1], ok=302),
            kwargs=a_review,
            data=lambda w: {"view": "I felt heard this time"},
            writes=True,
            notes="only the person adds their own view",
        ),
    ),
    (
        "reviews_service:rule",
        Declaration(
            "post",
            only([]),
            data=lambda w: {"organisation": w.hospital.pk, f"o{w.hospital.pk}-interval_days": "1"},
            writes=True,
            notes="no persona leads a unit",
        ),
    ),
]
