"""Writes to the care network: inviting members, setting what they see, ending memberships."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.text import slugify
from django.utils.translation import gettext as _

from alongside.accounts import throttle
from alongside.accounts.models import User
from alongside.accounts.services import create_user
from alongside.audit.log import Actor, record
from alongside.audit.models import AuditAction
from alongside.core.validation import validated
from alongside.network import messages
from alongside.network.models import (
    CareNetworkMembership,
    NetworkProposal,
    ProposalKind,
    ProposalOutcome,
    SupporterActivation,
    SupporterRelation,
)
from alongside.network.scopes import SECTION_FIELD, Section
from alongside.notifications.messages import MessageKind, Params
from alongside.notifications.services import notify
from alongside.organisations.models import Organisation, StaffRole
from alongside.people.models import Person


def _sections_note(membership: CareNetworkMembership) -> str:
    return "sections: " + ",".join(s.value for s in membership.sections)


def _scope_fields(sections: Iterable[Section]) -> dict[str, bool]:
    chosen = set(sections)
    return {field: section in chosen for section, field in SECTION_FIELD.items()}


def add_member(
    actor: Actor,
    person: Person,
    member: User,
    *,
    role: str,
    sections: Iterable[Section],
    organisation: Organisation | None = None,
    started_at: datetime | None = None,
    ended_at: datetime | None = None,
) -> CareNetworkMembership:
    """Add someone to the person's network with the sections they may see."""
    if member.pk == person.user_id:
        raise ValidationError(_("A person cannot be a member of their own network."))
    membership = validated(
        CareNetworkMembership(
            person=person,
            member=member,
            organisation=organisation,
            role=role,
            started_at=started_at or timezone.now(),
            ended_at=ended_at,
            invited_by=actor.user,
            **_scope_fields(sections),
        )
    )
    if not membership.sections:
        raise ValidationError(_("Choose at least one part of the plan this member may see."))
    membership.save()
    record(
        actor,
        AuditAction.CREATE,
        obj=membership,
        person_id=person.pk,
        why=_sections_note(membership),
    )
    return membership


WITH_PERSON_NOTE = "together with the person"


def _why(base: str, *, with_person: bool) -> str:
    return f"{base}; {WITH_PERSON_NOTE}" if with_person else base


def _require_sections(sections: Iterable[Section]) -> list[Section]:
    chosen = [Section(s) for s in sections]
    if not chosen:
        raise ValidationError(
            {"sections": _("Choose at least one part of the plan this member may see.")}
        )
    return chosen


def set_sections(
    actor: Actor,
    membership: CareNetworkMembership,
    sections: Iterable[Section],
    *,
    with_person: bool = False,
) -> CareNetworkMembership:
    """Change what a member may see; takes effect on their next request. ``with_person``: staff
    made the change together with the person, and the audit note says so."""
    fields = _scope_fields(_require_sections(sections))
    for field, value in fields.items():
        setattr(membership, field, value)
    membership.save(update_fields=list(fields))
    record(
        actor,
        AuditAction.UPDATE,
        obj=membership,
        person_id=membership.person_id,
        why=_why(_sections_note(membership), with_person=with_person),
    )
    return membership


def end_membership(
    actor: Actor,
    membership: CareNetworkMembership,
    *,
    at: datetime | None = None,
    with_person: bool = False,
) -> CareNetworkMembership:
    """End a membership. Access ends at ``at`` (default: now), checked on every request."""
    moment = at or timezone.now()
    if moment < membership.started_at:
        raise ValidationError(_("A membership cannot end before it started."))
    membership.ended_at = moment
    membership.save(update_fields=["ended_at"])
    record(
        actor,
        AuditAction.END,
        obj=membership,
        person_id=membership.person_id,
        why=_why("ended", with_person=with_person),
    )
    return membership


# --- The network page: the person (or staff together with the person) manages the network. ---
#
# These wrap the writes above with what the page needs: a refusal to add someone twice, and an
# audit note that says when staff made the change together with the person.


def _refuse_second_membership(person: Person, member: User) -> None:
    if (
        CareNetworkMembership.objects.active_at(timezone.now())
        .filter(person=person, member=member)
        .exists()
    ):
        message = _("%(name)s is already in the network. Change what they see below.")
        raise ValidationError({"member": message % {"name": member.shown_name}})


def _create(
    actor: Actor,
    person: Person,
    member: User,
    *,
    role: str,
    sections: list[Section],
    organisation: Organisation | None,
    with_person: bool,
) -> CareNetworkMembership:
    membership = validated(
        CareNetworkMembership(
            person=person,
            member=member,
            organisation=organisation,
            role=role,
            started_at=timezone.now(),
            invited_by=actor.user,
            **_scope_fields(sections),
        )
    )
    membership.save()
    record(
        actor,
        AuditAction.CREATE,
        obj=membership,
        person_id=person.pk,
        why=_why(_sections_note(membership), with_person=with_person),
    )
    return membership


def invite_staff(
    actor: Actor,
    person: Person,
    staff_role: StaffRole,
    sections: Iterable[Section],
    *,
    with_person: bool = False,
) -> CareNetworkMembership:
    """Invite a staff member of any organisation, in the role they hold there. Effective at once."""
    chosen = _require_sections(sections)
    if staff_role.ended_on is not None:
        raise ValidationError({"member": _("This staff member no longer holds that role.")})
    if staff_role.user_id == person.user_id:
        raise ValidationError({"member": _("A person cannot be a member of their own network.")})
    _refuse_second_membership(person, staff_role.user)
    return _create(
        actor,
        person,
        staff_role.user,
        role=staff_role.role,
        sections=chosen,
        organisation=staff_role.unit.organisation,
        with_person=with_person,
    )


def _supporter_username(name: str) -> str:
    base = slugify(name)[:20] or "supporter"
    for _attempt in range(20):
        candidate = f"{base}-{secrets.randbelow(10_000):04d}"
        if not User.objects.filter(username=candidate).exists():
            return candidate
    return f"{base}-{secrets.token_hex(4)}"


def invite_supporter(
    actor: Actor,
    person: Person,
    *,
    name: str,
    relation: str,
    sections: Iterable[Section],
    with_person: bool = False,
) -> tuple[CareNetworkMembership, str, str]:
    """Invite family or a friend: the person's own invitation, effective at once.

    Returns the membership, the username and the activation code. The new login has no password:
    the supporter chooses one with the code the person hands over (``activate_supporter``).
    Nothing is e-mailed: the service makes no calls out.
    """
    errors: dict[str, str] = {}
    name = name.strip()
    if not name:
        errors["name"] = _("Write the name of the person you invite.")
    if relation not in SupporterRelation.values:
        errors["relation"] = _("Choose how they are related to you.")
    try:
        chosen = _require_sections(sections)
    except ValidationError as invalid:
        errors.update({"sections": invalid.messages[0]})
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        membership, activation = _new_supporter(
            actor,
            person,
            name=name,
            relation=relation,
            sections=chosen,
            note=_why("invited", with_person=with_person),
        )
    return membership, membership.member.username, activation_code(activation)


# --- Only the person widens access to herself. ---------------------------------------------
#
# Staff may narrow what a member sees or end a membership, together with the person, and she is
# told. Anything that lets someone see more (more sections, a new member) is a proposal until she
# accepts it on her own login, or types the one-time code her own page shows on the staff
# member's screen. The code is derived from the secret key, never stored, never shown to staff.

CODE_DIGITS = 6
MAX_FAILED_CODES = 5


def _code(purpose: str, value: str) -> str:
    digest = salted_hmac(f"alongside.network.{purpose}", value).hexdigest()
    return f"{int(digest, 16) % 10**CODE_DIGITS:0{CODE_DIGITS}d}"


def proposal_code(proposal: NetworkProposal) -> str:
    """The one-time code for this proposal, shown only on the person's own page."""
    return _code("proposal", f"{proposal.pk}:{proposal.created_at.isoformat()}")


def activation_code(activation: SupporterActivation) -> str:
    return _code("activation", f"{activation.user_id}:{activation.salt}")


def _member_name(proposal: NetworkProposal) -> str:
    if proposal.membership is not None:
        return proposal.membership.member.shown_name
    if proposal.staff_role is not None:
        return proposal.staff_role.user.shown_name
    return proposal.supporter_name


def _tell_person(person: Person, kind: MessageKind, params: Params) -> None:
    if person.user is not None:
        notify([person.user], kind, params, reverse("network:network", args=[person.pk]))


def propose(
    actor: Actor,
    person: Person,
    kind: ProposalKind,
    sections: Iterable[Section],
    *,
    membership: CareNetworkMembership | None = None,
    staff_role: StaffRole | None = None,
    supporter_name: str = "",
    relation: str = "",
) -> NetworkProposal:
    """Staff propose to let someone see more. Nothing changes until the person accepts."""
    if actor.user is None:
        raise PermissionDenied("a proposal needs a proposer")
    proposer = actor.user
    chosen = _require_sections(sections)
    if kind == ProposalKind.INVITE_STAFF and staff_role is not None:
        if staff_role.ended_on is not None:
            raise ValidationError({"member": _("This staff member no longer holds that role.")})
        if staff_role.user_id == person.user_id:
            raise ValidationError(
                {"member": _("A person cannot be a member of their own network.")}
            )
        _refuse_second_membership(person, staff_role.user)
    if kind == ProposalKind.INVITE_SUPPORTER:
        if not supporter_name.strip():
            raise ValidationError({"name": _("Write the name of the person you invite.")})
        if relation not in SupporterRelation.values:
            raise ValidationError({"relation": _("Choose how they are related to you.")})
    proposal = NetworkProposal.objects.create(
        person=person,
        kind=kind,
        membership=membership,
        staff_role=staff_role,
        supporter_name=supporter_name.strip()[:150],
        relation=relation,
        sections=[s.value for s in chosen],
        proposed_by=proposer,
        proposed_role=actor.role,
    )
    record(
        actor,
        AuditAction.CREATE,
        obj=proposal,
        person_id=person.pk,
        why=f"proposed {kind}: " + ",".join(proposal.sections) + "; waits for the person",
    )
    _tell_person(
        person, messages.PROPOSED, {"name": proposer.shown_name, "member": _member_name(proposal)}
    )
    return proposal


def open_proposals(person: Person) -> list[NetworkProposal]:
    return list(
        NetworkProposal.objects.filter(person=person, outcome=ProposalOutcome.OPEN)
        .select_related("membership__member", "staff_role__user", "staff_role__unit", "proposed_by")
        .order_by("created_at", "pk")
    )


def _decide(proposal: NetworkProposal, outcome: ProposalOutcome, *, in_person: bool) -> None:
    proposal.outcome = outcome
    proposal.decided_at = timezone.now()
    proposal.decided_in_person = in_person
    proposal.save(update_fields=["outcome", "decided_at", "decided_in_person", "result"])


def _apply(
    actor: Actor, proposal: NetworkProposal, *, in_person: bool, how: str = ""
) -> CareNetworkMembership:
    how = how or (
        "confirmed by the person with a one-time code" if in_person else "accepted by the person"
    )
    chosen = proposal.section_list
    if proposal.kind == ProposalKind.SECTIONS:
        membership = proposal.membership
        if membership is None or not membership.is_active_at(timezone.now()):
            raise ValidationError(_("This member is no longer in the network."))
        fields = _scope_fields(chosen)
        for field, value in fields.items():
            setattr(membership, field, value)
        membership.save(update_fields=list(fields))
        record(
            actor,
            AuditAction.UPDATE,
            obj=membership,
            person_id=membership.person_id,
            why=f"{_sections_note(membership)}; {how}",
        )
    elif proposal.kind == ProposalKind.INVITE_STAFF:
        staff_role = proposal.staff_role
        if staff_role is None or staff_role.ended_on is not None:
            raise ValidationError(_("This staff member no longer holds that role."))
        _refuse_second_membership(proposal.person, staff_role.user)
        membership = _create(
            actor,
            proposal.person,
            staff_role.user,
            role=staff_role.role,
            sections=chosen,
            organisation=staff_role.unit.organisation,
            with_person=False,
        )
    else:
        membership, _activation = _new_supporter(
            actor,
            proposal.person,
            name=proposal.supporter_name,
            relation=proposal.relation,
            sections=chosen,
            note=how,
        )
    proposal.result = membership
    return membership


def accept(actor: Actor, proposal: NetworkProposal) -> CareNetworkMembership:
    """The person accepts on her own login."""
    if actor.user is None or actor.user.pk != proposal.person.user_id:
        raise PermissionDenied("only the person accepts a change to her network")
    if not proposal.is_open:
        raise ValidationError(_("This proposal has already been answered."))
    with transaction.atomic():
        membership = _apply(actor, proposal, in_person=False)
        _decide(proposal, ProposalOutcome.ACCEPTED, in_person=False)
    _tell_person(proposal.person, messages.WIDENED, {"member": membership.member.shown_name})
    return membership


def decline(actor: Actor, proposal: NetworkProposal) -> None:
    if actor.user is None or actor.user.pk != proposal.person.user_id:
        raise PermissionDenied("only the person declines a change to her network")
    if not proposal.is_open:
        raise ValidationError(_("This proposal has already been answered."))
    _decide(proposal, ProposalOutcome.DECLINED, in_person=False)
    record(actor, AuditAction.UPDATE, obj=proposal, person_id=proposal.person_id, why="declined")
    notify(
        [proposal.proposed_by],
        messages.DECLINED,
        {"person": proposal.person.shown_name, "member": _member_name(proposal)},
        reverse("network:network", args=[proposal.person_id]),
    )


def confirm_with_code(actor: Actor, proposal: NetworkProposal, code: str) -> CareNetworkMembership:
    """The person, in the room, types the code her own page shows, or one from her card of
    codes (``cards.py``): the change takes effect."""
    from alongside.network import cards

    if not proposal.is_open:
        raise ValidationError(_("This proposal has already been answered."))
    if proposal.failed_codes >= MAX_FAILED_CODES:
        raise ValidationError(
            {"code": _("Too many wrong codes. The person can accept it on their own page.")}
        )
    from_phone = constant_time_compare(code.strip(), proposal_code(proposal))
    try:
        with transaction.atomic():
            how = "confirmed by the person with a one-time code"
            if not from_phone:
                used = cards.spend(actor, proposal, code)
                how = f"confirmed by the person with code {used.number} of her card"
            membership = _apply(actor, proposal, in_person=True, how=how)
            _decide(proposal, ProposalOutcome.ACCEPTED, in_person=True)
    except cards.WrongCode as wrong:
        NetworkProposal.objects.filter(pk=proposal.pk).update(failed_codes=F("failed_codes") + 1)
        raise ValidationError({"code": wrong.message}) from None
    _tell_person(proposal.person, messages.WIDENED, {"member": membership.member.shown_name})
    return membership


def code_to_hand_over(actor: Actor, membership: CareNetworkMembership) -> str:
    """The new supporter's activation code, shown once to staff in the room with a person who
    has no login of her own (she confirmed with her code), for her to hand over. Audited."""
    person = membership.person
    if person.user_id is not None:
        raise PermissionDenied("the code is on her own page")
    record(
        actor,
        AuditAction.READ,
        obj=membership.member,
        person_id=person.pk,
        why="supporter activation code shown once, with the person, for her to hand over",
    )
    return activation_code(membership.member.activation)


def _new_supporter(
    actor: Actor,
    person: Person,
    *,
    name: str,
    relation: str,
    sections: list[Section],
    note: str,
) -> tuple[CareNetworkMembership, SupporterActivation]:
    """A supporter login that cannot log in until the supporter chooses a password with the
    activation code the person hands over."""
    supporter = create_user(_supporter_username(name), None, display_name=name[:150])
    record(
        actor,
        AuditAction.CREATE,
        obj=supporter,
        person_id=person.pk,
        why=f"supporter login waiting for activation; {note}",
    )
    activation = SupporterActivation.objects.create(
        user=supporter, person=person, salt=secrets.token_hex(16)
    )
    membership = _create(
        actor,
        person,
        supporter,
        role=relation,
        sections=sections,
        organisation=None,
        with_person=False,
    )
    return membership, activation


def waiting_activations(person: Person) -> list[tuple[SupporterActivation, str]]:
    """Supporter logins not yet activated, with their codes: for the person's own page only."""
    found = SupporterActivation.objects.filter(person=person, used_at__isnull=True).select_related(
        "user"
    )
    return [(activation, activation_code(activation)) for activation in found]


class TooManyTries(ValidationError):
    """Too many wrong codes from this address, or for this username: paused for a while."""


def _supporter_key(username: str) -> str:
    """What the throttle counts tries of one username under: a keyed hash, never the name."""
    digest = salted_hmac("alongside.network.supporter-activation", username.strip().casefold())
    return "supporter:" + digest.hexdigest()


def activate_supporter(
    username: str, code: str, password: str, *, address: str | None = None
) -> User:
    """The supporter chooses their own password with the code the person gave them.

    Wrong tries are counted per client address and per username (``accounts.throttle``, as for
    the person's own activation codes); while paused, even a right code from that address is
    refused, so a guesser learns nothing."""
    key = _supporter_key(username)
    if throttle.activation_locked(key, address):
        minutes = max(1, settings.LOGIN_THROTTLE_WINDOW_SECONDS // 60)
        raise TooManyTries(
            {
                "code": _(
                    "Too many codes that did not work. For your safety, please wait "
                    "%(minutes)s minutes and try again, or ask the staff for help."
                )
                % {"minutes": minutes}
            }
        )
    try:
        return _activate_supporter(username, code, password)
    except ValidationError as refused:
        if "code" in getattr(refused, "error_dict", {}):
            throttle.record_activation_attempt(key, address, succeeded=False)
        raise


def _activate_supporter(username: str, code: str, password: str) -> User:
    activation = (
        SupporterActivation.objects.filter(user__username=username.strip(), used_at__isnull=True)
        .select_related("user")
        .first()
    )
    wrong = ValidationError({"code": _("That username and code do not match an invitation.")})
    if activation is None or activation.failed_codes >= MAX_FAILED_CODES:
        raise wrong
    if not constant_time_compare(code.strip(), activation_code(activation)):
        SupporterActivation.objects.filter(pk=activation.pk).update(
            failed_codes=F("failed_codes") + 1
        )
        raise wrong
    user = activation.user
    try:
        validate_password(password, user)
    except ValidationError as weak:
        raise ValidationError({"password": weak.messages}) from weak
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        activation.used_at = timezone.now()
        activation.save(update_fields=["used_at"])
        record(
            Actor(user, "supporter"),
            AuditAction.UPDATE,
            obj=user,
            person_id=activation.person_id,
            why="supporter chose their own password with the activation code",
        )
    return user


# --- Ending can be undone for a while; a former supporter comes back with the same login. ----

UNDO_DAYS = 7


def recently_ended(person: Person, *, now: datetime | None = None) -> list[CareNetworkMembership]:
    """Memberships ended in the last ``UNDO_DAYS`` days whose member is not back already."""
    moment = now or timezone.now()
    active = CareNetworkMembership.objects.active_at(moment).filter(person=person)
    return list(
        CareNetworkMembership.objects.filter(
            person=person,
            ended_at__lte=moment,
            ended_at__gt=moment - timedelta(days=UNDO_DAYS),
        )
        .exclude(member_id__in=active.values("member_id"))
        .select_related("member")
        .order_by("-ended_at", "-pk")
    )


def undo_end(actor: Actor, membership: CareNetworkMembership) -> CareNetworkMembership:
    """The person takes back an ending within ``UNDO_DAYS`` days."""
    if actor.user is None or actor.user.pk != membership.person.user_id:
        raise PermissionDenied("only the person takes back an ending")
    if membership not in recently_ended(membership.person):
        raise ValidationError(_("This can no longer be undone. Invite them again instead."))
    membership.ended_at = None
    membership.save(update_fields=["ended_at"])
    record(
        actor, AuditAction.UPDATE, obj=membership, person_id=membership.person_id, why="undo end"
    )
    return membership


def former_supporters(person: Person) -> list[CareNetworkMembership]:
    """The latest ended membership of each family member or friend who is not in the network
    now: the person can invite them again with the same login."""
    active = CareNetworkMembership.objects.active_at(timezone.now()).filter(person=person)
    latest: dict[int, CareNetworkMembership] = {}
    for membership in (
        CareNetworkMembership.objects.filter(
            person=person, ended_at__isnull=False, role__in=SupporterRelation.values
        )
        .exclude(member_id__in=active.values("member_id"))
        .select_related("member")
        .order_by("ended_at", "pk")
    ):
        latest[membership.member_id] = membership
    return list(latest.values())


def reinvite_supporter(
    actor: Actor, former: CareNetworkMembership, sections: Iterable[Section]
) -> CareNetworkMembership:
    """The person invites a former supporter again: their login is reused, nothing new is made."""
    if actor.user is None or actor.user.pk != former.person.user_id:
        raise PermissionDenied("only the person invites a former supporter again")
    chosen = _require_sections(sections)
    _refuse_second_membership(former.person, former.member)
    return _create(
        actor,
        former.person,
        former.member,
        role=former.role,
        sections=chosen,
        organisation=None,
        with_person=False,
    )
