"""Every write to the recovery plan. Validates, keeps text verbatim with history, audits.

Rules that live here and nowhere else:

* a person's own goals are written by the person; staff write clinical or service goals;
* only an item's author may change its text (staff can never overwrite the person's words);
* an edit names the version it started from; if someone saved in between, ``ConcurrentEdit``
  carries the other version so both can be shown and nothing is lost;
* only the person records a stance on a goal someone else set, and that history is kept.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside.audit.log import Actor, record
from alongside.audit.models import AuditAction
from alongside.frameworks.models import Concept
from alongside.notifications.recipients import key_workers, the_person
from alongside.notifications.services import notify
from alongside.people.models import Person
from alongside.plans import messages
from alongside.plans.models import (
    MAX_SHORT_TEXT,
    MAX_TEXT,
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
    Strength,
    TextRevision,
)


class ConcurrentEdit(Exception):
    """Someone else saved this item after you opened it. ``current`` is what they saved."""

    def __init__(self, current: dict[str, object], version: int) -> None:
        super().__init__("concurrent edit")
        self.current = current
        self.version = version


@dataclass(frozen=True)
class Placement:
    pile: Pile
    card_id: int | None = None
    own_label: str = ""


def _is_person(actor: Actor, person: Person) -> bool:
    return actor.user is not None and actor.user.pk == person.user_id


def _require_text(value: str, field: str, limit: int, *, required: bool = True) -> str:
    """Keep the text exactly as written (verbatim), but refuse empty or oversized input."""
    if required and not value.strip():
        raise ValidationError({field: _("Please write something here.")})
    if len(value) > limit:
        raise ValidationError(
            {field: _("This is too long: at most %(limit)d characters.") % {"limit": limit}}
        )
    return value


def _revision(actor: Actor, obj: models.Model, field: str, text: str) -> None:
    assert actor.user is not None
    TextRevision.objects.create(
        object_type=obj._meta.label,
        object_id=obj.pk,
        field=field,
        text=text,
        author=actor.user,
        author_role=actor.role,
    )


def _audit(actor: Actor, action: AuditAction, obj: models.Model, person_id: int) -> None:
    record(actor, action, obj=obj, person_id=person_id)


def _create(actor: Actor, obj: models.Model, person_id: int, text_fields: Sequence[str]) -> None:
    """Validate and save a new plan item; keep the first version of its text; audit it."""
    obj.full_clean()
    with transaction.atomic():
        obj.save()
        for field in text_fields:
            if getattr(obj, field):
                _revision(actor, obj, field, str(getattr(obj, field)))
        _audit(actor, AuditAction.CREATE, obj, person_id)


def _author_fields(actor: Actor) -> dict[str, object]:
    if actor.user is None:
        raise PermissionDenied("plan entries need a human author")
    return {"author": actor.user, "author_role": actor.role}


def _save_edit(
    actor: Actor,
    obj: StoryEntry | Strength | Goal | GoalStep,
    expected_version: int,
    changes: dict[str, object],
    text_fields: Sequence[str],
) -> None:
    """Apply ``changes`` only if nobody saved since ``expected_version``; else ConcurrentEdit."""
    if actor.user is None or obj.author_id != actor.user.pk:
        raise PermissionDenied("only the author may change this text")
    model = type(obj)
    with transaction.atomic():
        updated = model.objects.filter(pk=obj.pk, version=expected_version).update(
            **changes, version=F("version") + 1, updated_at=timezone.now()
        )
        if not updated:
            current = model.objects.get(pk=obj.pk)
            raise ConcurrentEdit(
                {name: getattr(current, name) for name in changes}, current.version
            )
        obj.refresh_from_db()
        for field in text_fields:
            _revision(actor, obj, field, str(changes[field]))
        person_id = obj.goal.person_id if isinstance(obj, GoalStep) else obj.person_id
        _audit(actor, AuditAction.UPDATE, obj, person_id)


# What matters: the card sort ---------------------------------------------------------------


@transaction.atomic
def sort_cards(actor: Actor, person: Person, placements: Iterable[Placement]) -> CardSort:
    chosen = list(placements)
    if not chosen:
        raise ValidationError(_("Put at least one card on a pile before saving."))
    card_ids = {p.card_id for p in chosen if p.card_id is not None}
    known = set(DeckCard.objects.filter(pk__in=card_ids, active=True).values_list("pk", flat=True))
    if card_ids - known:
        raise ValidationError(_("One of the cards is no longer in the deck. Please reload."))
    for placement in chosen:
        if placement.card_id is None:
            _require_text(placement.own_label, "own_label", 100)
    sort = CardSort.objects.create(person=person, **_author_fields(actor))
    CardPlacement.objects.bulk_create(
        CardPlacement(
            sort=sort, card_id=p.card_id, own_label="" if p.card_id else p.own_label, pile=p.pile
        )
        for p in chosen
    )
    _audit(actor, AuditAction.CREATE, sort, person.pk)
    return sort


# My story and strengths ---------------------------------------------------------------------


def add_story_entry(
    actor: Actor,
    person: Person,
    *,
    kind: str,
    title: str,
    text: str = "",
    when: str = "",
    sort_year: int | None = None,
    shared: bool = False,
) -> StoryEntry:
    entry = StoryEntry(
        person=person,
        kind=kind,
        title=_require_text(title, "title", MAX_SHORT_TEXT),
        text=_require_text(text, "text", MAX_TEXT, required=False),
        when=when,
        sort_year=sort_year,
        shared=shared,
        **_author_fields(actor),
    )
    _create(actor, entry, person.pk, ["title", "text"])
    return entry


def edit_story_entry(
    actor: Actor, entry: StoryEntry, *, expected_version: int, title: str, text: str, shared: bool
) -> StoryEntry:
    changes: dict[str, object] = {
        "title": _require_text(title, "title", MAX_SHORT_TEXT),
        "text": _require_text(text, "text", MAX_TEXT, required=False),
        "shared": shared,
    }
    _save_edit(actor, entry, expected_version, changes, ["title", "text"])
    return entry


def add_strength(actor: Actor, person: Person, *, kind: str, text: str) -> Strength:
    strength = Strength(
        person=person,
        kind=kind,
        text=_require_text(text, "text", MAX_SHORT_TEXT),
        **_author_fields(actor),
    )
    _create(actor, strength, person.pk, ["text"])
    return strength


# Goals ----------------------------------------------------------------------------------------


def add_goal(
    actor: Actor,
    person: Person,
    *,
    text: str,
    origin: Origin,
    chime_codes: Iterable[str] = (),
) -> Goal:
    """A person writes their own goals; staff set clinical or service goals, never the person's."""
    is_person = _is_person(actor, person)
    if origin == Origin.PERSON and not is_person:
        raise ValidationError(
            {
                "origin": _(
                    "Only the person writes their own goals; staff set clinical or service goals."
                )
            }
        )
    if origin != Origin.PERSON and is_person:
        raise ValidationError({"origin": _("Your goals are your own goals.")})
    codes = list(chime_codes)
    tags = list(Concept.objects.filter(code__in=codes, kind="process"))
    if len(tags) != len(set(codes)):
        raise ValidationError({"chime_tags": _("Choose tags from the list.")})
    goal = Goal(
        person=person,
        text=_require_text(text, "text", MAX_SHORT_TEXT),
        origin=origin,
        **_author_fields(actor),
    )
    with transaction.atomic():
        _create(actor, goal, person.pk, ["text"])
        goal.chime_tags.set(tags)
        if origin != Origin.PERSON:
            notify(
                the_person(person, unless=actor.user),
                messages.GOAL_SET,
                {"name": actor.name, "text": goal.text},
                reverse("plans:goal", args=[person.pk, goal.pk]),
            )
    return goal


def edit_goal_text(actor: Actor, goal: Goal, *, expected_version: int, text: str) -> Goal:
    changes: dict[str, object] = {"text": _require_text(text, "text", MAX_SHORT_TEXT)}
    _save_edit(actor, goal, expected_version, changes, ["text"])
    return goal


def set_goal_status(actor: Actor, goal: Goal, status: GoalStatus) -> Goal:
    """The person decides about their own goals; whoever set another goal decides about that."""
    allowed = (
        _is_person(actor, goal.person)
        if goal.origin == Origin.PERSON
        else (actor.user is not None and actor.user.pk == goal.author_id)
    )
    if not allowed:
        raise PermissionDenied("not this actor's goal")
    goal.status = status
    goal.achieved_at = timezone.now() if status == GoalStatus.ACHIEVED else None
    goal.version = goal.version + 1
    goal.save(update_fields=["status", "achieved_at", "version", "updated_at"])
    _audit(actor, AuditAction.UPDATE, goal, goal.person_id)
    return goal


def link_goal(actor: Actor, goal: Goal, serves: Iterable[Goal]) -> Goal:
    """Link a clinical or service goal to the person's own goals it serves."""
    targets = list(serves)
    if goal.origin == Origin.PERSON:
        raise ValidationError(
            _("Only clinical and service goals are linked to the person's goals.")
        )
    if any(t.person_id != goal.person_id or t.origin != Origin.PERSON for t in targets):
        raise ValidationError(_("Link only to this person's own goals."))
    goal.serves.set(targets)
    _audit(actor, AuditAction.UPDATE, goal, goal.person_id)
    return goal


def record_stance(actor: Actor, goal: Goal, *, stance: Stance, words: str = "") -> GoalStance:
    """The person's view of a goal someone else set. A new stance never erases an old one."""
    if not _is_person(actor, goal.person):
        raise PermissionDenied("only the person records their stance")
    if goal.origin == Origin.PERSON:
        raise ValidationError(_("This is your own goal."))
    assert actor.user is not None
    entry = GoalStance(
        goal=goal,
        stance=stance,
        words=_require_text(words, "words", MAX_TEXT, required=False),
        recorded_by=actor.user,
        recorded_role=actor.role,
    )
    entry.full_clean()
    entry.save()
    _audit(actor, AuditAction.CREATE, entry, goal.person_id)
    if stance == Stance.DISAGREE:
        notify(
            key_workers(goal.person, besides=[goal.author]),
            messages.GOAL_DISAGREED,
            {"name": goal.person.shown_name, "text": goal.text},
            reverse("plans:goal", args=[goal.person_id, goal.pk]),
        )
    return entry


def add_step(
    actor: Actor,
    goal: Goal,
    *,
    text: str,
    who_helps: str = "",
    due_on: date | None = None,
) -> GoalStep:
    if due_on is not None and due_on < timezone.localdate():
        raise ValidationError({"due_on": _("A step cannot be due before the day it is written.")})
    step = GoalStep(
        goal=goal,
        text=_require_text(text, "text", MAX_SHORT_TEXT),
        who_helps=_require_text(who_helps, "who_helps", 150, required=False),
        due_on=due_on,
        **_author_fields(actor),
    )
    _create(actor, step, goal.person_id, ["text"])
    return step


def complete_step(actor: Actor, step: GoalStep, *, done: bool = True) -> GoalStep:
    step.done_at = timezone.now() if done else None
    step.version = step.version + 1
    step.save(update_fields=["done_at", "version", "updated_at"])
    _audit(actor, AuditAction.UPDATE, step, step.goal.person_id)
    return step


def check_in(actor: Actor, goal: Goal, *, score: int | None, comment: str = "") -> ProgressCheckIn:
    if score is None or not 0 <= score <= 10:
        raise ValidationError({"score": _("Choose a number from 0 to 10.")})
    assert actor.user is not None
    entry = ProgressCheckIn(
        goal=goal,
        score=score,
        comment=_require_text(comment, "comment", MAX_TEXT, required=False),
        recorded_by=actor.user,
        recorded_role=actor.role,
    )
    entry.full_clean()
    entry.save()
    _audit(actor, AuditAction.CREATE, entry, goal.person_id)
    return entry
