"""The person's card of codes: she agrees in person to a proposal by typing a code from her card.

Each code works once; a code from someone else's card, or from a card replaced by a newer one,
is refused; only hashes are stored; printing is audited and she is told; a card a staff member
printed never confirms that staff member's own proposals.
"""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from alongside.accounts.services import create_user
from alongside.audit.log import Actor
from alongside.audit.models import AuditAction, AuditEvent
from alongside.network import cards
from alongside.network import services as network
from alongside.network.models import (
    CardCode,
    CareNetworkMembership,
    ConfirmationCard,
    NetworkProposal,
    ProposalKind,
    ProposalOutcome,
)
from alongside.network.scopes import Section
from alongside.notifications.models import Notification
from alongside.organisations import services as organisations
from alongside.organisations.models import Role
from alongside.people.models import Person, Stay, StayStatus
from tests.personas import PASSWORD, Persona, World

ClientAs = Callable[[Persona], Client]

pytestmark = pytest.mark.django_db


def key_worker(world: World) -> Actor:
    return Actor(world.users[Persona.KEY_WORKER], Role.KEY_WORKER)


def her(world: World) -> Actor:
    return Actor(world.users[Persona.P1], "person")


def propose_for_caseworker(world: World, *sections: Section) -> NetworkProposal:
    return network.propose(
        key_worker(world),
        world.p1,
        ProposalKind.SECTIONS,
        list(sections),
        membership=world.caseworker_membership,
    )


def caseworker_sections(world: World) -> tuple[Section, ...]:
    return CareNetworkMembership.objects.get(pk=world.caseworker_membership.pk).sections


def test_a_code_from_her_card_confirms_a_proposal_once(world: World) -> None:
    _card, codes = cards.issue_card(her(world), world.p1, in_person=False)
    first = propose_for_caseworker(world, Section.PLAN, Section.NOTES)
    network.confirm_with_code(key_worker(world), first, codes[3].lower()[:4] + "-" + codes[3][4:])
    assert caseworker_sections(world) == (Section.PLAN, Section.NOTES)
    first.refresh_from_db()
    assert (first.outcome, first.decided_in_person) == (ProposalOutcome.ACCEPTED, True)
    used = CardCode.objects.get(used_for=first)
    assert used.number == 4
    event = AuditEvent.objects.filter(
        action=AuditAction.UPDATE, object_id=str(world.caseworker_membership.pk)
    ).latest("pk")
    assert event.why.endswith("confirmed by the person with code 4 of her card")

    # The same code again, for the next proposal: refused, nothing changes, a wrong try counted.
    second = propose_for_caseworker(world, Section.PLAN, Section.NOTES, Section.MEASURES)
    with pytest.raises(ValidationError, match="used already"):
        network.confirm_with_code(key_worker(world), second, codes[3])
    second.refresh_from_db()
    assert (second.outcome, second.failed_codes) == (ProposalOutcome.OPEN, 1)
    assert caseworker_sections(world) == (Section.PLAN, Section.NOTES)
    # Another code of the same card still works.
    network.confirm_with_code(key_worker(world), second, codes[0])
    assert Section.MEASURES in caseworker_sections(world)
    assert cards.codes_left(cards.current_card(world.p1)) == 8  # type: ignore[arg-type]


def test_a_code_from_another_persons_card_is_refused(world: World) -> None:
    cards.issue_card(her(world), world.p1, in_person=False)
    _theirs, their_codes = cards.issue_card(
        Actor(world.users[Persona.P2], "person"), world.p2, in_person=False
    )
    proposal = propose_for_caseworker(world, Section.PLAN, Section.NOTES)
    with pytest.raises(ValidationError, match="not the code"):
        network.confirm_with_code(key_worker(world), proposal, their_codes[0])
    proposal.refresh_from_db()
    assert proposal.is_open
    assert not CardCode.objects.filter(used_at__isnull=False).exists()
    assert caseworker_sections(world) == world.caseworker_membership.sections


def test_a_new_card_makes_the_old_one_stop_working(world: World) -> None:
    old, old_codes = cards.issue_card(her(world), world.p1, in_person=False)
    new, new_codes = cards.issue_card(her(world), world.p1, in_person=False)
    old.refresh_from_db()
    assert old.revoked_at is not None
    assert cards.current_card(world.p1) == new
    proposal = propose_for_caseworker(world, Section.PLAN, Section.NOTES)
    with pytest.raises(ValidationError, match="not the code"):
        network.confirm_with_code(key_worker(world), proposal, old_codes[0])
    assert proposal.is_open
    network.confirm_with_code(key_worker(world), proposal, new_codes[0])
    assert Section.NOTES in caseworker_sections(world)


def test_only_hashes_are_stored_and_printing_is_audited_and_she_is_told(world: World) -> None:
    card, codes = cards.issue_card(her(world), world.p1, in_person=False)
    assert len(codes) == len(set(codes)) == cards.CODES_PER_CARD
    digests = list(CardCode.objects.filter(card=card).values_list("digest", flat=True))
    assert len(digests) == cards.CODES_PER_CARD
    assert not {code.lower() for code in codes} & {d.lower() for d in digests}
    stored = " ".join(digests) + card.salt
    assert not any(code in stored.upper() for code in codes)
    assert AuditEvent.objects.filter(
        action=AuditAction.CREATE, object_type="network.ConfirmationCard", person_id=world.p1.pk
    ).exists()
    assert Notification.objects.filter(
        recipient=world.users[Persona.P1], code="network.card_yours"
    ).exists()
    cards.issue_card(key_worker(world), world.p1, in_person=True)
    assert Notification.objects.filter(
        recipient=world.users[Persona.P1], code="network.card_printed"
    ).exists()


def test_staff_print_a_card_only_with_her_and_it_never_confirms_their_own_proposals(
    world: World,
) -> None:
    with pytest.raises(ValidationError, match="only with the person"):
        cards.issue_card(key_worker(world), world.p1, in_person=False)
    assert not ConfirmationCard.objects.exists()
    _card, codes = cards.issue_card(key_worker(world), world.p1, in_person=True)
    proposal = propose_for_caseworker(world, Section.PLAN, Section.NOTES)
    # The key worker saw these codes when printing: they cannot use them for their own proposal.
    with pytest.raises(ValidationError, match="printed by the one who proposed"):
        network.confirm_with_code(key_worker(world), proposal, codes[0])
    assert proposal.is_open
    assert not CardCode.objects.filter(used_at__isnull=False).exists()
    # Nor typed on their screen for a colleague's proposal.
    nurse = create_user("nurse", PASSWORD, display_name="Nina Nurse")
    organisations.assign_role(
        Actor.system(), nurse, world.ward, Role.NURSE, started_on=timezone.localdate()
    )
    nurses = network.propose(
        Actor(nurse, Role.NURSE),
        world.p1,
        ProposalKind.SECTIONS,
        [Section.PLAN, Section.MEASURES],
        membership=world.family_membership,
    )
    with pytest.raises(ValidationError, match="printed by the one who proposed"):
        network.confirm_with_code(key_worker(world), nurses, codes[1])
    # A card a colleague printed with her works on the key worker's screen.
    _new, colleague_codes = cards.issue_card(Actor(nurse, Role.NURSE), world.p1, in_person=True)
    network.confirm_with_code(key_worker(world), proposal, colleague_codes[1])
    assert Section.NOTES in caseworker_sections(world)


def test_a_person_without_a_login_gets_a_card_from_staff_and_uses_it(world: World) -> None:
    person = Person.objects.create(name="Ida Nologin")
    stay = Stay.objects.filter(person=world.p1).first()
    assert stay is not None
    Stay.objects.create(
        person=person,
        unit=stay.unit,
        kind=stay.kind,
        status=StayStatus.ACTIVE,
        started_on=stay.started_on,
    )
    nurse = create_user("nurse", PASSWORD, display_name="Nina Nurse")
    organisations.assign_role(
        Actor.system(), nurse, world.ward, Role.NURSE, started_on=timezone.localdate()
    )
    _card, codes = cards.issue_card(Actor(nurse, Role.NURSE), person, in_person=True)
    proposal = network.propose(
        key_worker(world),
        person,
        ProposalKind.INVITE_STAFF,
        [Section.CRISIS_PLAN],
        staff_role=world.users[Persona.OTHER_UNIT_STAFF].staff_roles.get(),
    )
    network.confirm_with_code(key_worker(world), proposal, codes[0])
    assert CareNetworkMembership.objects.filter(
        person=person, member=world.users[Persona.OTHER_UNIT_STAFF]
    ).exists()


def test_the_card_page_prints_a_pdf_with_the_codes_once(
    world: World, client_as: ClientAs, tmp_path: object
) -> None:
    url = reverse("network:card", kwargs={"person_id": world.p1.pk})
    staff = client_as(Persona.KEY_WORKER)
    page = staff.get(url).content.decode()
    assert "There is no card yet." in page
    assert "checked" not in page.split("<form", 1)[1]
    refused = staff.post(url, {})
    assert refused.status_code == 200
    assert "tick the box" in refused.content.decode()
    assert not ConfirmationCard.objects.exists()

    printed = client_as(Persona.P1).post(url, {})
    assert printed["Content-Type"] == "application/pdf"
    assert "no-store" in printed["Cache-Control"]
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(printed.content)).pages)
    card = ConfirmationCard.objects.get()
    shown_codes = [line.strip() for line in text.splitlines() if len(line.strip()) == 9]
    codes = [c.replace("-", "") for c in shown_codes if c[4] == "-"]
    assert len(codes) == cards.CODES_PER_CARD
    # What the PDF shows is what the card checks: the printed codes work.
    proposal = propose_for_caseworker(world, Section.PLAN, Section.NOTES)
    network.confirm_with_code(key_worker(world), proposal, shown_codes[-1])
    assert CardCode.objects.get(card=card, number=cards.CODES_PER_CARD).used_at is not None
    # The page never shows the codes again, only how many are left.
    again = client_as(Persona.P1).get(url).content.decode()
    assert "9 codes left" in again
    assert not any(code in again for code in shown_codes)
