"""Only the person widens access to herself.

Staff propose; a proposal changes nothing until she accepts it on her own login or types, with
the staff member, the one-time code her own page shows. She is always told. A supporter's login
details go to her, never to staff. The abuse cases from issue 16 are here by name.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from alongside.accounts.models import User
from alongside.accounts.services import create_user
from alongside.audit.log import Actor
from alongside.audit.models import AuditAction, AuditEvent
from alongside.network import services as network
from alongside.network.models import (
    CareNetworkMembership,
    NetworkProposal,
    ProposalKind,
    ProposalOutcome,
)
from alongside.network.scopes import Section
from alongside.notifications.models import Notification
from alongside.organisations import services as organisations
from alongside.organisations.models import Role, StaffRole
from tests.personas import PASSWORD, Persona, World

ClientAs = Callable[[Persona], Client]

pytestmark = pytest.mark.django_db


def text(response: object) -> str:
    content: bytes = response.content  # type: ignore[attr-defined]
    return " ".join(html.unescape(content.decode()).split())


def page(world: World) -> str:
    return reverse("network:network", kwargs={"person_id": world.p1.pk})


def peer_worker(world: World) -> User:
    peer = create_user("peer", PASSWORD, display_name="Jonas Peer")
    organisations.assign_role(
        Actor.system(),
        peer,
        world.ward,
        Role.PEER_WORKER,
        started_on=timezone.localdate() - timedelta(days=5),
    )
    return peer


def told(world: World, code: str) -> int:
    return Notification.objects.filter(recipient=world.users[Persona.P1], code=code).count()


def test_peer_worker_cannot_give_the_caseworker_her_notes_and_crisis_plan(
    world: World, client_as: ClientAs
) -> None:
    peer = peer_worker(world)
    client = Client()
    client.force_login(peer)
    membership = world.caseworker_membership
    url = reverse(
        "network:sections", kwargs={"person_id": world.p1.pk, "membership_id": membership.pk}
    )
    prefix = f"m{membership.pk}"
    response = client.post(
        url,
        {
            f"{prefix}-sections": ["plan", "meetings", "notes", "crisis_plan"],
            f"{prefix}-with_person": "on",
        },
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.sections == (Section.PLAN, Section.MEETINGS)
    caseworker = client_as(Persona.CASEWORKER)
    notes = reverse("relationship:notes", kwargs={"person_id": world.p1.pk})
    assert caseworker.get(notes).status_code == 404
    proposal = NetworkProposal.objects.get(person=world.p1, membership=membership)
    assert proposal.is_open
    assert proposal.proposed_by == peer
    assert told(world, "network.proposed") == 1
    # Her page shows the proposal, with her answer buttons and the code.
    mine = text(client_as(Persona.P1).get(page(world)))
    assert "Jonas Peer proposes that Caseworker can see: Recovery plan, Crisis plan" in mine
    assert network.proposal_code(proposal) in mine
    # The peer worker's page shows the proposal but never the code.
    theirs = text(client.get(page(world)))
    assert "Waiting for Pia's answer" in theirs
    assert network.proposal_code(proposal) not in theirs


def test_she_accepts_on_her_own_login_and_is_told(world: World, client_as: ClientAs) -> None:
    proposal = network.propose(
        Actor(world.users[Persona.KEY_WORKER], Role.KEY_WORKER),
        world.p1,
        ProposalKind.SECTIONS,
        [Section.PLAN, Section.NOTES],
        membership=world.caseworker_membership,
    )
    # Staff cannot answer for her: the answer URL is hers alone.
    answer = reverse(
        "network:answer", kwargs={"person_id": world.p1.pk, "proposal_id": proposal.pk}
    )
    assert client_as(Persona.KEY_WORKER).post(answer, {"answer": "accept"}).status_code == 404
    assert client_as(Persona.P1).post(answer, {"answer": "accept"}).status_code == 302
    membership = world.caseworker_membership
    membership.refresh_from_db()
    assert membership.sections == (Section.PLAN, Section.NOTES)
    proposal.refresh_from_db()
    assert proposal.outcome == ProposalOutcome.ACCEPTED
    assert not proposal.decided_in_person
    assert told(world, "network.widened") == 1
    event = AuditEvent.objects.filter(
        action=AuditAction.UPDATE, object_id=str(membership.pk)
    ).latest("pk")
    assert event.role == "person"
    assert event.why == "sections: plan,notes; accepted by the person"


def test_she_declines_and_nothing_changes_and_the_proposer_is_told(
    world: World, client_as: ClientAs
) -> None:
    proposal = network.propose(
        Actor(world.users[Persona.KEY_WORKER], Role.KEY_WORKER),
        world.p1,
        ProposalKind.SECTIONS,
        [Section.PLAN, Section.NOTES],
        membership=world.caseworker_membership,
    )
    answer = reverse(
        "network:answer", kwargs={"person_id": world.p1.pk, "proposal_id": proposal.pk}
    )
    client_as(Persona.P1).post(answer, {"answer": "decline"})
    world.caseworker_membership.refresh_from_db()
    assert not world.caseworker_membership.sees_notes
    proposal.refresh_from_db()
    assert proposal.outcome == ProposalOutcome.DECLINED
    assert Notification.objects.filter(
        recipient=world.users[Persona.KEY_WORKER], code="network.declined"
    ).exists()
    # An answered proposal cannot be answered again.
    assert client_as(Persona.P1).post(answer, {"answer": "accept"}).status_code == 404


def test_in_person_she_types_her_code_and_a_wrong_code_changes_nothing(
    world: World, client_as: ClientAs
) -> None:
    proposal = network.propose(
        Actor(world.users[Persona.KEY_WORKER], Role.KEY_WORKER),
        world.p1,
        ProposalKind.SECTIONS,
        [Section.PLAN, Section.MEASURES],
        membership=world.caseworker_membership,
    )
    url = reverse(
        "network:confirm_code", kwargs={"person_id": world.p1.pk, "proposal_id": proposal.pk}
    )
    key_worker = client_as(Persona.KEY_WORKER)
    code = network.proposal_code(proposal)
    wrong = "000000" if code != "000000" else "111111"
    key_worker.post(url, {"code": wrong})
    world.caseworker_membership.refresh_from_db()
    assert not world.caseworker_membership.sees_measures
    assert key_worker.post(url, {"code": code}).status_code == 302
    world.caseworker_membership.refresh_from_db()
    assert world.caseworker_membership.sections == (Section.PLAN, Section.MEASURES)
    proposal.refresh_from_db()
    assert proposal.decided_in_person
    assert told(world, "network.widened") == 1
    event = AuditEvent.objects.filter(
        action=AuditAction.UPDATE, object_id=str(world.caseworker_membership.pk)
    ).latest("pk")
    assert event.why.endswith("confirmed by the person with a one-time code")


def test_guessing_codes_stops_after_five_tries(world: World) -> None:
    proposal = network.propose(
        Actor(world.users[Persona.KEY_WORKER], Role.KEY_WORKER),
        world.p1,
        ProposalKind.SECTIONS,
        [Section.NOTES],
        membership=world.caseworker_membership,
    )
    code = network.proposal_code(proposal)
    actor = Actor(world.users[Persona.KEY_WORKER], Role.KEY_WORKER)
    wrong = [f"{n:06d}" for n in range(10) if f"{n:06d}" != code][:5]
    for guess in wrong:
        with pytest.raises(Exception, match="not the code"):
            network.confirm_with_code(actor, proposal, guess)
    proposal.refresh_from_db()
    with pytest.raises(Exception, match="Too many wrong codes"):
        network.confirm_with_code(actor, proposal, code)


def test_key_worker_invites_a_friend_with_every_section_and_never_sees_a_password(
    world: World, client_as: ClientAs
) -> None:
    invite = reverse("network:invite_supporter", kwargs={"person_id": world.p1.pk})
    key_worker = client_as(Persona.KEY_WORKER)
    response = key_worker.post(
        invite,
        {
            "name": "Ole Friend",
            "relation": "friend",
            "sections": [s.value for s in Section],
            "with_person": "on",
        },
        follow=True,
    )
    shown = text(response)
    assert "Proposed. Nothing changes until Pia agrees" in shown
    assert "Temporary password" not in shown
    assert 'type="password"' not in shown
    assert not User.objects.filter(display_name="Ole Friend").exists()
    proposal = NetworkProposal.objects.get(person=world.p1, supporter_name="Ole Friend")
    # She types the code with him: the login exists, but its code is on her page only.
    confirm = reverse(
        "network:confirm_code", kwargs={"person_id": world.p1.pk, "proposal_id": proposal.pk}
    )
    done = text(key_worker.post(confirm, {"code": network.proposal_code(proposal)}, follow=True))
    friend = User.objects.get(display_name="Ole Friend")
    assert not friend.has_usable_password()
    assert "It is not shown here." in done
    activation_code = network.activation_code(friend.activation)
    assert activation_code not in done
    assert friend.username in text(client_as(Persona.P1).get(page(world)))
    assert activation_code in text(client_as(Persona.P1).get(page(world)))
    # Nobody, the key worker included, can log in as the friend with anything shown to staff.
    assert not Client().login(username=friend.username, password="")


def test_staff_invitation_of_staff_is_a_proposal(world: World, client_as: ClientAs) -> None:
    role = StaffRole.objects.get(user=world.users[Persona.OTHER_UNIT_STAFF])
    invite = reverse("network:invite_staff", kwargs={"person_id": world.p1.pk})
    response = client_as(Persona.KEY_WORKER).post(
        invite, {"q": "other", "member": role.pk, "sections": ["notes"], "with_person": "on"}
    )
    assert response.status_code == 302
    assert not CareNetworkMembership.objects.filter(
        person=world.p1, member=role.user, ended_at__isnull=True
    ).exists()
    proposal = NetworkProposal.objects.get(person=world.p1, staff_role=role)
    network.accept(Actor(world.users[Persona.P1], "person"), proposal)
    membership = CareNetworkMembership.objects.get(person=world.p1, member=role.user)
    assert membership.sections == (Section.NOTES,)


def test_staff_narrowing_works_at_once_and_she_is_told(world: World, client_as: ClientAs) -> None:
    membership = world.caseworker_membership
    url = reverse(
        "network:sections", kwargs={"person_id": world.p1.pk, "membership_id": membership.pk}
    )
    prefix = f"m{membership.pk}"
    client_as(Persona.KEY_WORKER).post(
        url, {f"{prefix}-sections": ["meetings"], f"{prefix}-with_person": "on"}
    )
    membership.refresh_from_db()
    assert membership.sections == (Section.MEETINGS,)
    assert told(world, "network.narrowed") == 1
    assert not NetworkProposal.objects.filter(person=world.p1).exists()


def test_the_person_herself_widens_at_once(world: World, client_as: ClientAs) -> None:
    membership = world.caseworker_membership
    url = reverse(
        "network:sections", kwargs={"person_id": world.p1.pk, "membership_id": membership.pk}
    )
    client_as(Persona.P1).post(url, {f"m{membership.pk}-sections": ["plan", "notes"]})
    membership.refresh_from_db()
    assert membership.sections == (Section.PLAN, Section.NOTES)
    assert not NetworkProposal.objects.filter(person=world.p1).exists()


def test_ending_a_supporter_asks_first_and_can_be_undone(world: World, client_as: ClientAs) -> None:
    family = world.family_membership
    end = reverse("network:end", kwargs={"person_id": world.p1.pk, "membership_id": family.pk})
    person = client_as(Persona.P1)
    assert "Yes, stop sharing with Family" in text(person.post(end, {}))
    family.refresh_from_db()
    assert family.ended_at is None
    person.post(end, {"confirmed": "yes"})
    crisis = reverse("safety:crisis_plan", kwargs={"person_id": world.p1.pk})
    assert client_as(Persona.FAMILY).get(crisis).status_code == 404
    assert "Undo: let Family see again what they saw" in text(person.get(page(world)))
    undo = reverse(
        "network:undo_end", kwargs={"person_id": world.p1.pk, "membership_id": family.pk}
    )
    assert client_as(Persona.KEY_WORKER).post(undo).status_code == 404
    assert person.post(undo).status_code == 302
    assert client_as(Persona.FAMILY).get(crisis).status_code == 200
    # After the undo period it cannot be undone.
    network.end_membership(Actor.system(), family, at=timezone.now() - timedelta(days=8))
    person.post(undo)
    assert client_as(Persona.FAMILY).get(crisis).status_code == 404


def test_reinviting_an_ended_supporter_reuses_their_login(
    world: World, client_as: ClientAs
) -> None:
    family = world.family_membership
    network.end_membership(Actor.system(), family, at=timezone.now() - timedelta(days=30))
    users_before = User.objects.count()
    invite = reverse("network:invite_supporter", kwargs={"person_id": world.p1.pk})
    assert "Invite Family again" in text(client_as(Persona.P1).get(invite))
    again = reverse(
        "network:reinvite", kwargs={"person_id": world.p1.pk, "membership_id": family.pk}
    )
    assert client_as(Persona.P1).post(again, {"sections": ["meetings"]}).status_code == 302
    assert User.objects.count() == users_before
    back = CareNetworkMembership.objects.get(
        person=world.p1, member=world.users[Persona.FAMILY], ended_at__isnull=True
    )
    assert back.sections == (Section.MEETINGS,)
    assert back.pk != family.pk


def test_without_a_login_of_her_own_the_supporters_code_is_handed_over_with_her(
    world: World, client_as: ClientAs
) -> None:
    """Pia has no login: she confirms the key worker's proposal with a code from the card a
    colleague printed with her, and the new supporter's code is shown once, then, for her to hand
    over (audited); it is never shown again, and the friend's login waits for the friend."""
    from alongside.network import cards

    pia_login = world.p1.user
    world.p1.user = None
    world.p1.save(update_fields=["user"])
    colleague = create_user("ward-nurse", PASSWORD)
    organisations.assign_role(
        Actor.system(), colleague, world.ward, Role.NURSE, started_on=timezone.localdate()
    )
    _card, codes = cards.issue_card(Actor(colleague, Role.NURSE), world.p1, in_person=True)
    key_worker = client_as(Persona.KEY_WORKER)
    invite = reverse("network:invite_supporter", kwargs={"person_id": world.p1.pk})
    key_worker.post(
        invite,
        {
            "name": "Ole Friend",
            "relation": "friend",
            "sections": ["crisis_plan"],
            "with_person": "on",
        },
    )
    proposal = NetworkProposal.objects.get(person=world.p1, supporter_name="Ole Friend")
    confirm = reverse(
        "network:confirm_code", kwargs={"person_id": world.p1.pk, "proposal_id": proposal.pk}
    )
    response = key_worker.post(confirm, {"code": codes[0]})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    shown = text(response)
    friend = User.objects.get(display_name="Ole Friend")
    code = network.activation_code(friend.activation)
    assert code in shown
    assert friend.username in shown
    assert "shown only now" in shown
    assert not friend.has_usable_password()
    assert AuditEvent.objects.filter(
        actor_id=world.users[Persona.KEY_WORKER].pk,
        action=AuditAction.READ,
        person_id=world.p1.pk,
        why__startswith="supporter activation code shown once",
    ).exists()
    # Not again: the network page shows staff no code.
    assert code not in text(key_worker.get(page(world)))
    # A person with a login still finds it on her own page, never staff (the other test).
    assert pia_login is not None
    world.p1.user = pia_login
    world.p1.save(update_fields=["user"])
    membership = CareNetworkMembership.objects.get(person=world.p1, member=friend)
    staff = Actor(world.users[Persona.KEY_WORKER], Role.KEY_WORKER)
    with pytest.raises(PermissionDenied, match="her own page"):
        network.code_to_hand_over(staff, membership)
