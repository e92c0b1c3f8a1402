"""Every write about safety: crisis plan versions, the person's confirmation, break-the-glass."""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside import access
from alongside.accounts.models import User
from alongside.audit.log import Actor, record, record_list
from alongside.audit.models import AuditAction
from alongside.network.models import CareNetworkMembership
from alongside.notifications.recipients import the_person
from alongside.notifications.services import notify
from alongside.organisations.models import Role
from alongside.people.models import Person
from alongside.safety import messages
from alongside.safety.models import SECTION_LIMIT, SECTIONS, BreakGlassAccess, CrisisPlanVersion

BREAK_GLASS_HOURS = 12


class CrisisPlanConflict(Exception):
    """Someone saved a newer version after the writer opened the plan. ``current`` is theirs:
    nothing was saved, and the page shows both texts so neither is lost."""

    def __init__(self, current: CrisisPlanVersion) -> None:
        super().__init__("crisis plan saved by someone else meanwhile")
        self.current = current


def save_version(
    actor: Actor, person: Person, texts: dict[str, str], *, based_on: int | None = None
) -> CrisisPlanVersion:
    """A new version of the crisis plan. Written by the person, it is confirmed at once;
    written by staff, it waits for the person to confirm it.

    ``based_on`` is the number of the version the writer started from (0 for none). When someone
    saved another version since, ``CrisisPlanConflict`` is raised and nothing is saved. Two saves
    at once are serialised by a lock on the person's row, and the unique version number is the
    last guard: a clash there is answered as a conflict too, never as a server error."""
    if actor.user is None:
        raise PermissionDenied("a crisis plan has a human author")
    errors = {
        name: _("This is too long: at most %(limit)d characters.") % {"limit": SECTION_LIMIT}
        for name, _label in SECTIONS
        if len(texts.get(name, "")) > SECTION_LIMIT
    }
    if errors:
        raise ValidationError(errors)
    if not any(texts.get(name, "").strip() for name, _label in SECTIONS):
        raise ValidationError(_("Write at least one part of the plan."))
    by_person = actor.user.pk == person.user_id
    try:
        with transaction.atomic():
            # Lock the person, not the versions: an aggregate drops FOR UPDATE, and there may be
            # no version row to lock yet.
            Person.objects.select_for_update().filter(pk=person.pk).values_list("pk").get()
            last = (
                CrisisPlanVersion.objects.filter(person=person).aggregate(last=Max("number"))[
                    "last"
                ]
                or 0
            )
            if based_on is not None and last != based_on:
                raise CrisisPlanConflict(_newest(person))
            version = CrisisPlanVersion.objects.create(
                person=person,
                number=last + 1,
                author=actor.user,
                author_role=actor.role,
                confirmed_at=timezone.now() if by_person else None,
                **{name: texts.get(name, "") for name, _label in SECTIONS},
            )
            record(actor, AuditAction.CREATE, obj=version, person_id=person.pk)
    except IntegrityError:
        # Only reachable where the lock is not honoured: the other save won the number.
        raise CrisisPlanConflict(_newest(person)) from None
    if not by_person:
        notify(
            the_person(person),
            messages.CRISIS_VERSION_WAITS,
            {"name": actor.user.shown_name},
            reverse("safety:crisis_plan", args=[person.pk]),
        )
    return version


def _newest(person: Person) -> CrisisPlanVersion:
    return CrisisPlanVersion.objects.filter(person=person).select_related("author").latest("number")


def record_emergency_search(
    actor: Actor, query: str, shown: list[Person], *, request: HttpRequest | None
) -> None:
    """Every emergency search is audited, found or not: who searched, the words typed and the
    persons shown (one event for the search, and one ``list`` event per person shown, so each
    person's own audit trail names it)."""
    ids = [person.pk for person in shown]
    record(
        actor,
        AuditAction.READ,
        object_type="safety.EmergencySearch",
        why=f"emergency search: {query!r}; shown: {ids}",
        request=request,
    )
    if shown:
        record_list(
            actor, Person._meta.label, ids, why=f"emergency search: {query}", request=request
        )


def confirm_version(actor: Actor, version: CrisisPlanVersion) -> CrisisPlanVersion:
    """The person says: yes, this is my plan."""
    if actor.user is None or actor.user.pk != version.person.user_id:
        raise PermissionDenied("only the person confirms their crisis plan")
    if version.confirmed_at is None:
        version.confirmed_at = timezone.now()
        version.save(update_fields=["confirmed_at"])
        record(actor, AuditAction.UPDATE, obj=version, person_id=version.person_id, why="confirmed")
    return version


def _key_workers(person: Person) -> list[User]:
    return [
        membership.member
        for membership in CareNetworkMembership.objects.active_at(timezone.now())
        .filter(person=person, role=Role.KEY_WORKER)
        .select_related("member")
    ]


def break_glass(user: User, person: Person, reason: str) -> BreakGlassAccess:
    """Open the crisis plan in an emergency. Needs a stated reason and a clinical role in a
    hospital where the person is staying; audited; the person and their key workers are told."""
    if not reason.strip():
        raise ValidationError({"reason": _("Say why you need to open this crisis plan now.")})
    role = access.break_glass_role(user, person.pk)
    if role is None:
        raise PermissionDenied("not eligible for emergency access")
    with transaction.atomic():
        opened = BreakGlassAccess.objects.create(
            person=person,
            user=user,
            role=role,
            reason=reason.strip(),
            expires_at=timezone.now() + timedelta(hours=BREAK_GLASS_HOURS),
        )
        record(
            Actor(user, role),
            AuditAction.BREAK_GLASS,
            obj=opened,
            person_id=person.pk,
            why=opened.reason,
        )
        recipients = _key_workers(person)
        if person.user is not None:
            recipients.append(person.user)
        notify(
            recipients,
            messages.BREAK_GLASS,
            {"name": user.shown_name, "reason": opened.reason},
            reverse("safety:crisis_plan", args=[person.pk]),
        )
    return opened
