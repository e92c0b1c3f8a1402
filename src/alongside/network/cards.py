"""The person's card of codes: single-use codes for agreeing, in person, to a proposal.

Staff propose that someone sees more of her; it takes effect when she accepts on her own login,
or, with the staff member, types a code from her phone or from this card. A card holds
``CODES_PER_CARD`` codes. Like recovery codes, only a keyed hash of each is stored (HMAC-SHA256
with the secret key and the card's salt), each works once, and printing a new card makes every
older card stop working. Issuing is audited and she is told.

A staff member may print a card with her in person (for someone without a phone or login). Such
a card never confirms that staff member's own proposals, nor anything typed on their screen: the
one who has seen the codes is never the one who can use them.
"""

from __future__ import annotations

import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from alongside.audit.log import Actor, record
from alongside.audit.models import AuditAction
from alongside.network import messages
from alongside.network.models import CardCode, ConfirmationCard, NetworkProposal
from alongside.notifications.services import notify
from alongside.people.models import Person

CODES_PER_CARD = 10
CODE_LENGTH = 8
# No 0/O, 1/I/L, 2/Z, 5/S, 8/B: easy to read aloud and to type from paper.
ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"


class WrongCode(Exception):
    """The code typed is not an unused code on her current card (counts as a wrong try)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def normalise(code: str) -> str:
    """What she typed, as stored: capitals, without spaces or dashes."""
    return "".join(code.split()).replace("-", "").upper()


def shown(code: str) -> str:
    """A code as printed: two groups of four."""
    return f"{code[:4]}-{code[4:]}"


def _digest(card: ConfirmationCard, code: str) -> str:
    return salted_hmac(
        "alongside.network.card", f"{card.salt}:{normalise(code)}", algorithm="sha256"
    ).hexdigest()


def current_card(person: Person) -> ConfirmationCard | None:
    """Her card that works now, if any."""
    return (
        ConfirmationCard.objects.filter(person=person, revoked_at__isnull=True)
        .select_related("issued_by")
        .first()
    )


def codes_left(card: ConfirmationCard) -> int:
    return card.codes.filter(used_at__isnull=True).count()


def issue_card(
    actor: Actor, person: Person, *, in_person: bool
) -> tuple[ConfirmationCard, list[str]]:
    """A new card for the person, with its codes in clear (shown once, on the printed card).

    The person prints her own; staff print one only together with her (``in_person``). Every
    older card of hers stops working. Audited; she is told.
    """
    if actor.user is None:
        raise PermissionDenied("a card is printed by someone")
    is_self = actor.user.pk == person.user_id
    if not is_self and not in_person:
        raise ValidationError(
            {"with_person": _("Print a card only with the person, who takes it with them.")}
        )
    codes: list[str] = []
    while len(codes) < CODES_PER_CARD:
        code = "".join(secrets.choice(ALPHABET) for _n in range(CODE_LENGTH))
        if code not in codes:
            codes.append(code)
    now = timezone.now()
    with transaction.atomic():
        revoked = ConfirmationCard.objects.filter(person=person, revoked_at__isnull=True).update(
            revoked_at=now
        )
        card = ConfirmationCard.objects.create(
            person=person,
            salt=secrets.token_hex(16),
            issued_by=actor.user,
            issued_role=actor.role,
        )
        CardCode.objects.bulk_create(
            CardCode(card=card, number=number, digest=_digest(card, code))
            for number, code in enumerate(codes, start=1)
        )
        how = "printed by the person" if is_self else "printed by staff with the person in person"
        record(
            actor,
            AuditAction.CREATE,
            obj=card,
            person_id=person.pk,
            why=f"card of {CODES_PER_CARD} codes {how}; older cards stopped working: {revoked}",
        )
    if person.user is not None:
        kind = messages.CARD_YOURS if is_self else messages.CARD_PRINTED
        notify(
            [person.user],
            kind,
            {"name": actor.user.shown_name},
            reverse("network:card", args=[person.pk]),
        )
    return card, codes


def spend(actor: Actor, proposal: NetworkProposal, code: str) -> CardCode:
    """Use one code of her current card to confirm ``proposal``. Call inside a transaction:
    the code row is locked, so two screens cannot use the same code."""
    typed = normalise(code)
    if len(typed) != CODE_LENGTH or any(c not in ALPHABET for c in typed):
        raise WrongCode(_("That is not the code on the person's phone or card."))
    card = current_card(proposal.person)
    if card is None:
        raise WrongCode(_("That is not the code on the person's phone or card."))
    found = (
        CardCode.objects.select_for_update().filter(card=card, digest=_digest(card, typed)).first()
    )
    if found is None:
        raise WrongCode(_("That is not the code on the person's phone or card."))
    if found.used_at is not None:
        raise WrongCode(_("That code on the card has been used already. Each code works once."))
    issuer = card.issued_by_id
    if issuer != proposal.person.user_id and issuer in (
        proposal.proposed_by_id,
        actor.user.pk if actor.user else None,
    ):
        raise WrongCode(
            _(
                "This card was printed by the one who proposed this or who confirms it, so it "
                "cannot confirm it. The person can agree on their own login, or with a colleague."
            )
        )
    found.used_at = timezone.now()
    found.used_for = proposal
    found.save(update_fields=["used_at", "used_for"])
    record(
        actor,
        AuditAction.UPDATE,
        obj=found,
        person_id=proposal.person_id,
        why=f"card code {found.number} used to confirm proposal {proposal.pk}",
    )
    return found
