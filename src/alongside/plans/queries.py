"""Reading the plan. Callers hold a ``PersonAccess`` for the plan section (access layer).

Everything is fetched in a fixed number of queries whatever the number of entries, so the plan
page costs the same for a new plan and for one with hundreds of goals, steps and check-ins.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q, QuerySet, TextChoices
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from alongside.access import PersonAccess
from alongside.accounts.models import User
from alongside.core.pages import urls_by_id
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
    Stance,
    StoryEntry,
    StoryKind,
    Strength,
    StrengthKind,
)


@dataclass
class GoalView:
    goal: Goal
    steps: list[GoalStep]
    latest_check_in: ProgressCheckIn | None
    stance: GoalStance | None
    serves: list[Goal]
    served_by: list[Goal]
    tags: list[Any] = field(default_factory=list)
    url: str = ""
    # The plan page's labels, in the language the plan was read in (``plan_for``). The PDF renders
    # its own, in the language it is printed in.
    origin_label: str = ""
    status_label: str = ""
    stance_label: str = ""
    # "set by {name}" and the next step's "with {who}", as the template's blocktranslate would
    # give them (the name escaped), built once per author rather than once per card.
    set_by: str = ""
    next_step_with: str = ""

    @property
    def next_step(self) -> GoalStep | None:
        """The step shown on the goal's card: the first one, while it is not done."""
        first = self.steps[0] if self.steps else None
        return first if first is not None and first.done_at is None else None

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


@dataclass(frozen=True)
class CardChange:
    """A card that moved between the two latest sorts (``None``: not on any pile that time)."""

    label: str
    before: str | None
    now: str | None


@dataclass
class Plan:
    access: PersonAccess
    latest_sort: CardSort | None
    piles: dict[str, list[CardPlacement]]
    previous_sort: CardSort | None
    changes: list[CardChange]
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
            Prefetch(
                "steps",
                queryset=GoalStep.objects.select_related("author").order_by(
                    "done_at", "due_on", "pk"
                ),
            ),
            Prefetch(
                "check_ins",
                queryset=ProgressCheckIn.objects.select_related("recorded_by").order_by(
                    "-recorded_at", "-pk"
                ),
            ),
            Prefetch("stances", queryset=GoalStance.objects.order_by("-recorded_at", "-pk")),
            Prefetch("serves", queryset=Goal.objects.only("pk", "text", "origin", "person_id")),
            Prefetch("served_by", queryset=Goal.objects.only("pk", "text", "origin", "person_id")),
        )
        .order_by("created_at", "pk")
    )


def goal_view(goal: Goal) -> GoalView:
    """One goal's view, from a goal of ``goals_queryset`` (its relations prefetched)."""
    check_ins = list(goal.check_ins.all())
    stances = list(goal.stances.all())
    return GoalView(
        goal=goal,
        steps=list(goal.steps.all()),
        latest_check_in=check_ins[0] if check_ins else None,
        stance=stances[0] if stances else None,
        serves=list(goal.serves.all()),
        served_by=list(goal.served_by.all()),
        tags=list(goal.chime_tags.all()),
    )


def _plan_goals(person_id: int) -> list[GoalView]:
    """The person's goals as ``goals_queryset`` gives them, in seven queries whatever their number.

    Each relation is read with one query filtered by the person (a join), not by a list of
    hundreds of goal ids, and grouped into plain lists here: no prefetch machinery, related
    managers or queryset clones per goal, which cost more CPU than the SQL on a long plan.
    """
    goals = list(Goal.objects.filter(person_id=person_id).order_by("created_at", "pk"))
    # A plan's goals have a handful of authors: read each once, not one user row per goal.
    # (A subquery, not a list of ids: one query even for a plan without goals.)
    written = Goal.objects.filter(person_id=person_id).values("author_id")
    authors = {user.pk: user for user in User.objects.filter(pk__in=written)}
    for goal in goals:
        if goal.author_id in authors:
            goal.author = authors[goal.author_id]
    # Each query sees the database as it is when it runs: a goal added meanwhile by someone else
    # is left out of its relations' lists here, as it is left out of ``goals``.
    by_id = {goal.pk: goal for goal in goals}
    steps: dict[int, list[GoalStep]] = {pk: [] for pk in by_id}
    for step in GoalStep.objects.filter(goal__person_id=person_id).order_by(
        "done_at", "due_on", "pk"
    ):
        if step.goal_id in steps:
            steps[step.goal_id].append(step)
    latest: dict[int, ProgressCheckIn] = {}
    for check_in in ProgressCheckIn.objects.filter(goal__person_id=person_id).order_by(
        "-recorded_at", "-pk"
    ):
        latest.setdefault(check_in.goal_id, check_in)
    stances: dict[int, GoalStance] = {}
    for stance in GoalStance.objects.filter(goal__person_id=person_id).order_by(
        "-recorded_at", "-pk"
    ):
        stances.setdefault(stance.goal_id, stance)
    tags: dict[int, list[Any]] = {pk: [] for pk in by_id}
    tagged = Goal.chime_tags.through.objects.filter(goal__person_id=person_id)
    for link in tagged.select_related("concept").order_by(
        "concept__framework", "concept__position", "pk"
    ):
        if link.goal_id in tags:
            tags[link.goal_id].append(link.concept)
    # Links join a person's goals to her own goals only (``services.link_goal``): both ends are
    # among the goals read above.
    serves: dict[int, list[Goal]] = {pk: [] for pk in by_id}
    served_by: dict[int, list[Goal]] = {pk: [] for pk in by_id}
    links = Goal.serves.through.objects.filter(from_goal__person_id=person_id)
    for from_id, to_id in links.values_list("from_goal_id", "to_goal_id"):
        if from_id in by_id and to_id in by_id:
            serves[from_id].append(by_id[to_id])
            served_by[to_id].append(by_id[from_id])
    return [
        GoalView(
            goal=goal,
            steps=steps[goal.pk],
            latest_check_in=latest.get(goal.pk),
            stance=stances.get(goal.pk),
            serves=sorted(serves[goal.pk], key=_linked_order),
            served_by=sorted(served_by[goal.pk], key=_linked_order),
            tags=tags[goal.pk],
        )
        for goal in goals
    ]


def _linked_order(goal: Goal) -> tuple[str, Any, int]:
    """``Goal.Meta.ordering`` (status, then creation), as linked goals were listed."""
    return (goal.status, goal.created_at, goal.pk)


def _labels(choices: type[TextChoices]) -> dict[str, str]:
    """Each choice's label in the active language, translated once per page: ``get_FOO_display``
    translates every label of the field on each call, hundreds of times on a long plan."""
    return {str(value): str(label) for value, label in choices.choices}


def latest_card_sort(person_id: int) -> tuple[CardSort | None, dict[str, list[CardPlacement]]]:
    sort = CardSort.objects.filter(person_id=person_id).order_by("-created_at", "-pk").first()
    piles: dict[str, list[CardPlacement]] = {pile.value: [] for pile in Pile}
    if sort is not None:
        for placement in sort.placements.select_related("card").order_by("card__position", "pk"):
            piles[placement.pile].append(placement)
    return sort, piles


def what_matters(person_id: int) -> dict[str, object]:
    """The short version for overview pages: the latest card sort and the person's own goals."""
    sort, piles = latest_card_sort(person_id)
    own_goals = list(
        Goal.objects.filter(
            person_id=person_id, origin=Origin.PERSON, status=GoalStatus.ACTIVE
        ).order_by("created_at", "pk")[:5]
    )
    return {"latest_sort": sort, "piles": piles, "own_goals": own_goals}


def card_changes(person_id: int) -> tuple[CardSort | None, list[CardChange]]:
    """What moved between the last two card sorts, so change over time is visible. Two queries."""
    sorts = list(CardSort.objects.filter(person_id=person_id).order_by("-created_at", "-pk")[:2])
    if len(sorts) < 2:
        return None, []
    latest, previous = sorts
    where: dict[tuple[str, int | str], dict[int, str]] = {}
    labels: dict[tuple[str, int | str], str] = {}
    for placement in CardPlacement.objects.filter(sort__in=sorts).select_related("card"):
        key: tuple[str, int | str] = (
            ("card", placement.card_id) if placement.card_id else ("own", placement.own_label)
        )
        labels[key] = placement.card.label if placement.card else placement.own_label
        where.setdefault(key, {})[placement.sort_id] = placement.pile
    changes = [
        CardChange(labels[key], piles.get(previous.pk), piles.get(latest.pk))
        for key, piles in where.items()
        if piles.get(previous.pk) != piles.get(latest.pk)
    ]
    return previous, sorted(changes, key=lambda change: change.label)


def plan_for(access: PersonAccess) -> Plan:
    person_id = access.person.pk
    sort, piles = latest_card_sort(person_id)
    previous_sort, changes = card_changes(person_id)
    story = StoryEntry.objects.filter(person_id=person_id)
    if not access.is_self:
        story = story.filter(shared=True)  # private entries are the person's alone
    entries = list(story.order_by("sort_year", "created_at", "pk"))
    edit_urls = urls_by_id(
        "plans:story_edit", "entry_id", [entry.pk for entry in entries], person_id=person_id
    )
    story_kinds = _labels(StoryKind)
    for entry in entries:
        entry.edit_url = edit_urls[entry.pk]  # type: ignore[attr-defined]
        entry.kind_label = story_kinds.get(entry.kind, entry.kind)  # type: ignore[attr-defined]
    strengths = list(
        Strength.objects.filter(person_id=person_id).order_by("kind", "created_at", "pk")
    )
    strength_kinds = _labels(StrengthKind)
    for strength in strengths:
        strength.kind_label = strength_kinds.get(strength.kind, strength.kind)  # type: ignore[attr-defined]
    goals = _plan_goals(person_id)
    goal_urls = urls_by_id("plans:goal", "goal_id", [v.goal.pk for v in goals], person_id=person_id)
    origins, statuses, stances = _labels(Origin), _labels(GoalStatus), _labels(Stance)
    set_by, with_who = gettext("set by %(name)s"), gettext("with %(who)s")
    set_by_author: dict[int, str] = {}
    for view in goals:
        goal = view.goal
        view.url = goal_urls[goal.pk]
        view.origin_label = origins.get(goal.origin, goal.origin)
        view.status_label = statuses.get(goal.status, goal.status)
        if view.stance is not None:
            view.stance_label = stances.get(view.stance.stance, view.stance.stance)
        if goal.origin != Origin.PERSON:
            if goal.author_id not in set_by_author:
                name = conditional_escape(goal.author.shown_name)
                set_by_author[goal.author_id] = mark_safe(set_by % {"name": name})
            view.set_by = set_by_author[goal.author_id]
        step = view.next_step
        if step is not None and step.who_helps:
            view.next_step_with = mark_safe(with_who % {"who": conditional_escape(step.who_helps)})
    return Plan(
        access=access,
        latest_sort=sort,
        piles=piles,
        previous_sort=previous_sort,
        changes=changes,
        story=entries,
        strengths=strengths,
        goals=goals,
    )


def deck_for(access: PersonAccess) -> list[DeckCard]:
    """The cards this person sorts: the default deck as the organisations involved in their stays
    have configured it. An organisation's card with a default card's code replaces it, and an
    inactive one hides it; other organisation cards are added. One query."""
    organisation_ids = access.person.stays.values("unit__organisation_id")
    cards = list(
        DeckCard.objects.filter(
            Q(organisation__isnull=True) | Q(organisation_id__in=organisation_ids)
        )
    )
    chosen: dict[str, DeckCard] = {}
    for card in cards:
        if card.organisation_id is None:
            chosen.setdefault(card.code, card)
    for card in cards:
        if card.organisation_id is not None:
            chosen[card.code] = card
    return sorted(
        (card for card in chosen.values() if card.active), key=lambda c: (c.position, c.code)
    )
