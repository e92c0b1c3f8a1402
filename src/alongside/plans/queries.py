"""Reading the plan. Callers hold a ``PersonAccess`` for the plan section (access layer).

Everything is fetched in a fixed number of queries whatever the number of entries, so the plan
page costs the same for a new plan and for one with hundreds of goals, steps and check-ins.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet

from alongside.access import PersonAccess
from alongside.plans.models import (
    CardPlacement,
    CardSort,
    DeckCard,
    Goal,
    GoalStance,
    GoalStatus,
    GoalStep,
    Origin,
    Pile,
    ProgressCheckIn,
    StoryEntry,
    Strength,
)


@dataclass
class GoalView:
    goal: Goal
    steps: list[GoalStep]
    latest_check_in: ProgressCheckIn | None
    stance: GoalStance | None
    serves: list[Goal]
    served_by: list[Goal]

    @property
    def needs_stance(self) -> bool:
        return self.goal.origin != Origin.PERSON and self.stance is None

    @property
    def not_endorsed(self) -> bool:
        """A goal set by others that the person has not said yes to."""
        return self.goal.origin != Origin.PERSON and (
            self.stance is None or self.stance.stance != "agree"
        )

    @property
    def nobody_helping(self) -> bool:
        """The person's own goal with no step anyone is helping with and no goal serving it."""
        return (
            self.goal.origin == Origin.PERSON
            and self.goal.status == GoalStatus.ACTIVE
            and not self.served_by
            and not any(step.who_helps.strip() and step.done_at is None for step in self.steps)
        )


@dataclass
class Plan:
    access: PersonAccess
    latest_sort: CardSort | None
    piles: dict[str, list[CardPlacement]]
    story: list[StoryEntry]
    strengths: list[Strength]
    goals: list[GoalView] = field(default_factory=list)

    def goals_of(self, *origins: str) -> list[GoalView]:
        return [view for view in self.goals if view.goal.origin in origins]

    @property
    def own_goals(self) -> list[GoalView]:
        return self.goals_of(Origin.PERSON)

    @property
    def others_goals(self) -> list[GoalView]:
        return self.goals_of(Origin.CLINICAL, Origin.SERVICE)


def goals_queryset(person_id: int) -> QuerySet[Goal]:
    return (
        Goal.objects.filter(person_id=person_id)
        .select_related("author")
        .prefetch_related(
            "chime_tags",
            Prefetch("steps", queryset=GoalStep.objects.order_by("done_at", "due_on", "pk")),
            Prefetch("check_ins", queryset=ProgressCheckIn.objects.order_by("-recorded_at", "-pk")),
            Prefetch("stances", queryset=GoalStance.objects.order_by("-recorded_at", "-pk")),
            Prefetch("serves", queryset=Goal.objects.only("pk", "text", "origin", "person_id")),
            Prefetch("served_by", queryset=Goal.objects.only("pk", "text", "origin", "person_id")),
        )
        .order_by("created_at", "pk")
    )


def goal_view(goal: Goal) -> GoalView:
    check_ins = list(goal.check_ins.all())
    stances = list(goal.stances.all())
    return GoalView(
        goal=goal,
        steps=list(goal.steps.all()),
        latest_check_in=check_ins[0] if check_ins else None,
        stance=stances[0] if stances else None,
        serves=list(goal.serves.all()),
        served_by=list(goal.served_by.all()),
    )


def latest_card_sort(person_id: int) -> tuple[CardSort | None, dict[str, list[CardPlacement]]]:
    sort = CardSort.objects.filter(person_id=person_id).order_by("-created_at", "-pk").first()
    piles: dict[str, list[CardPlacement]] = {pile.value: [] for pile in Pile}
    if sort is not None:
        for placement in sort.placements.select_related("card").order_by("card__position", "pk"):
            piles[placement.pile].append(placement)
    return sort, piles


def plan_for(access: PersonAccess) -> Plan:
    person_id = access.person.pk
    sort, piles = latest_card_sort(person_id)
    story = StoryEntry.objects.filter(person_id=person_id).select_related("author")
    if not access.is_self:
        story = story.filter(shared=True)  # private entries are the person's alone
    return Plan(
        access=access,
        latest_sort=sort,
        piles=piles,
        story=list(story.order_by("sort_year", "created_at", "pk")),
        strengths=list(
            Strength.objects.filter(person_id=person_id).order_by("kind", "created_at", "pk")
        ),
        goals=[goal_view(goal) for goal in goals_queryset(person_id)],
    )


def deck_for(access: PersonAccess) -> list[DeckCard]:
    """The default deck plus the cards of the organisations involved in the person's stays."""
    organisation_ids = access.person.stays.values("unit__organisation_id")
    return list(
        DeckCard.objects.filter(active=True)
        .filter(organisation__isnull=True)
        .union(DeckCard.objects.filter(active=True, organisation_id__in=organisation_ids))
        .order_by("position", "code")
    )
