"""Writes of the audit room: the person's flags on her access log, their answers, and each
organisation's privacy contact."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside.accounts.models import User
from alongside.audit import messages
from alongside.audit.log import Actor, record
from alongside.audit.models import AccessFlag, AuditAction, AuditEvent, PrivacyContact
from alongside.notifications.services import notify
from alongside.organisations.models import Organisation, StaffRole
from alongside.people.models import Person, Stay

MAX_WORDS = 2000


def set_privacy_contact(actor: Actor, organisation: Organisation, user: User) -> PrivacyContact:
    contact, _created = PrivacyContact.objects.update_or_create(
        organisation=organisation, defaults={"user": user}
    )
    record(actor, AuditAction.UPDATE, obj=contact, why=f"privacy contact: {user.username}")
    return contact


def _organisation_of(event: AuditEvent, person: Person) -> Organisation | None:
    """The organisation the accessing user acted for: their role's, else the person's stay's."""
    actor_id = int(event.actor_id or 0)
    role = (
        StaffRole.objects.filter(user_id=actor_id, role=event.role)
        .select_related("unit__organisation")
        .order_by("ended_on", "-pk")
        .first()
        or StaffRole.objects.filter(user_id=actor_id).select_related("unit__organisation").first()
    )
    if role is not None:
        return role.unit.organisation
    stay = Stay.objects.filter(person=person).select_related("unit__organisation").first()
    return stay.unit.organisation if stay else None


def flag(actor: Actor, person: Person, event: AuditEvent, words: str = "") -> AccessFlag:
    """She does not recognise this access: the privacy contact is told and must answer."""
    if actor.user is None or actor.user.pk != person.user_id:
        raise PermissionDenied("only the person flags her own log")
    if event.person_id != person.pk or event.actor_id == person.user_id:
        raise ValidationError(_("This entry is not in your log."))
    existing = AccessFlag.objects.filter(event=event, answered_at__isnull=True).first()
    if existing is not None:
        return existing
    organisation = _organisation_of(event, person)
    raised = AccessFlag.objects.create(
        event=event,
        person_id=person.pk,
        organisation=organisation,
        words=words.strip()[:MAX_WORDS],
    )
    record(actor, AuditAction.CREATE, obj=raised, person_id=person.pk, why="flagged an access")
    contact = PrivacyContact.objects.filter(organisation=organisation).select_related("user")
    recipients = [c.user for c in contact]
    notify(
        recipients,
        messages.FLAGGED,
        {"person": person.shown_name, "name": event.actor_name},
        reverse("audit:flags"),
    )
    return raised


def answer(actor: Actor, raised: AccessFlag, text: str) -> AccessFlag:
    """The privacy contact of the flag's organisation answers; the person is told."""
    if (
        actor.user is None
        or not PrivacyContact.objects.filter(
            organisation=raised.organisation, user=actor.user
        ).exists()
    ):
        raise PermissionDenied("only the organisation's privacy contact answers")
    if not text.strip():
        raise ValidationError({"answer": _("Write your answer to the person.")})
    raised.answer = text.strip()[:MAX_WORDS]
    raised.answered_at = timezone.now()
    raised.answered_by = actor.user
    raised.save(update_fields=["answer", "answered_at", "answered_by"])
    record(actor, AuditAction.UPDATE, obj=raised, person_id=raised.person_id, why="answered a flag")
    person = Person.objects.filter(pk=raised.person_id).select_related("user").first()
    if person is not None and person.user is not None:
        notify(
            [person.user],
            messages.FLAG_ANSWERED,
            {"name": raised.event.actor_name},
            reverse("portal:record_log"),
        )
    return raised
