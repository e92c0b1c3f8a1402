"""The care network page: the person decides who sees what, in plain words, effective at once."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from datetime import timedelta

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from alongside.accounts.models import User
from alongside.accounts.services import create_user
from alongside.audit.log import Actor
from alongside.audit.models import AuditAction, AuditEvent
from alongside.network import services as network
from alongside.network.models import CareNetworkMembership
from alongside.network.scopes import Section
from alongside.organisations import services as organisations
from alongside.organisations.models import Role, StaffRole
from tests.personas import PASSWORD, Persona, World

ClientAs = Callable[[Persona], Client]


def page(world: World) -> str:
    return reverse("network:network", kwargs={"person_id": world.p1.pk})


def sections_url(world: World, membership: CareNetworkMembership) -> str:
    return reverse(
        "network:sections", kwargs={"person_id": world.p1.pk, "membership_id": membership.pk}
    )


def end_url(world: World, membership: CareNetworkMembership) -> str:
    return reverse("network:end", kwargs={"person_id": world.p1.pk, "membership_id": membership.pk})


def text(response: object) -> str:
    content: bytes = response.content  # type: ignore[attr-defined]
    return " ".join(html.unescape(content.decode()).split())


def notes_url(world: World) -> str:
    return reverse("relationship:notes", kwargs={"person_id": world.p1.pk})


def choose(
    membership: CareNetworkMembership, *sections: str, together: bool = False
) -> dict[str, object]:
    data: dict[str, object] = {f"m{membership.pk}-sections": list(sections)}
    if together:
        data[f"m{membership.pk}-with_person"] = "on"
    return data


def test_person_sees_in_plain_words_who_can_see_what(world: World, client_as: ClientAs) -> None:
    shown = text(client_as(Persona.P1).get(page(world)))
    assert "Caseworker can see: Recovery plan, Meetings." in shown
    assert "Caseworker cannot see: Crisis plan, Measures, Notes." in shown
    assert "Family can see: Crisis plan." in shown
    assert "Key_Worker can see everything." in shown
    # The former member is gone from who can see what: their membership has ended. (She may
    # still undo that ending for a few days, so the name is on the page under "Recently ended".)
    table = shown[shown.index("Who can see what, and why") : shown.index("</table>")]
    assert "Expired_Member" not in table
    # The table says yes or no for each section, and why, naming the organisation.
    row = re.search(
        r"<tr data-user=\"\d+\">\s*<th scope=\"row\">Caseworker</th>(.*?)</tr>",
        text(client_as(Persona.P1).get(page(world))),
    )
    assert row is not None
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row.group(1))
    assert cells[0] == "in your network: Municipal caseworker, Test Municipality"
    assert cells[1:6] == ["Yes", "No", "Yes", "No", "No"]


def test_scope_change_takes_effect_at_once(world: World, client_as: ClientAs) -> None:
    caseworker = client_as(Persona.CASEWORKER)
    assert caseworker.get(notes_url(world)).status_code == 404
    membership = world.caseworker_membership
    response = client_as(Persona.P1).post(
        sections_url(world, membership), choose(membership, "plan", "meetings", "notes")
    )
    assert response.status_code == 302
    assert caseworker.get(notes_url(world)).status_code == 200
    client_as(Persona.P1).post(sections_url(world, membership), choose(membership, "plan"))
    assert caseworker.get(notes_url(world)).status_code == 404
    shown = text(client_as(Persona.P1).get(page(world)))
    assert "Caseworker can see: Recovery plan." in shown


def test_caseworker_without_notes_consent_gets_404_on_notes_and_on_the_network_page(
    world: World, client_as: ClientAs
) -> None:
    caseworker = client_as(Persona.CASEWORKER)
    assert caseworker.get(notes_url(world)).status_code == 404
    assert caseworker.get(page(world)).status_code == 404


def test_person_change_is_audited_as_theirs(world: World, client_as: ClientAs) -> None:
    membership = world.caseworker_membership
    client_as(Persona.P1).post(
        sections_url(world, membership), choose(membership, "plan", "measures")
    )
    event = AuditEvent.objects.filter(
        action=AuditAction.UPDATE, object_id=str(membership.pk)
    ).latest("pk")
    assert event.role == "person"
    assert event.why == "sections: plan,measures"
    assert event.person_id == world.p1.pk


def test_key_worker_narrows_scope_only_together_with_the_person_and_it_is_recorded(
    world: World, client_as: ClientAs
) -> None:
    membership = world.caseworker_membership
    key_worker = client_as(Persona.KEY_WORKER)
    alone = key_worker.post(sections_url(world, membership), choose(membership, "plan"))
    assert alone.status_code == 200
    assert "Make this change together with the person" in text(alone)
    membership.refresh_from_db()
    assert membership.sees_meetings

    together = key_worker.post(
        sections_url(world, membership), choose(membership, "plan", together=True)
    )
    assert together.status_code == 302
    membership.refresh_from_db()
    assert not membership.sees_meetings
    event = AuditEvent.objects.filter(
        action=AuditAction.UPDATE, object_id=str(membership.pk)
    ).latest("pk")
    assert event.role == Role.KEY_WORKER
    assert event.actor_id == world.users[Persona.KEY_WORKER].pk
    assert event.why == "sections: plan; together with the person"


def test_no_section_chosen_gives_a_clear_error_and_changes_nothing(
    world: World, client_as: ClientAs
) -> None:
    membership = world.caseworker_membership
    response = client_as(Persona.P1).post(sections_url(world, membership), choose(membership))
    assert response.status_code == 200
    assert "Choose at least one part of the plan this member may see." in text(response)
    membership.refresh_from_db()
    assert membership.sections == (Section.PLAN, Section.MEETINGS)


def test_ending_a_membership_removes_access_at_once(world: World, client_as: ClientAs) -> None:
    family = client_as(Persona.FAMILY)
    crisis = reverse("safety:crisis_plan", kwargs={"person_id": world.p1.pk})
    assert family.get(crisis).status_code == 200
    asked = client_as(Persona.P1).post(end_url(world, world.family_membership), {})
    assert asked.status_code == 200
    assert "Stop sharing with Family?" in text(asked)
    assert family.get(crisis).status_code == 200
    response = client_as(Persona.P1).post(
        end_url(world, world.family_membership), {"confirmed": "yes"}
    )
    assert response.status_code == 302
    assert family.get(crisis).status_code == 404
    shown = text(client_as(Persona.P1).get(page(world)))
    assert "Family can see" not in shown
    event = AuditEvent.objects.get(
        action=AuditAction.END, object_id=str(world.family_membership.pk)
    )
    assert event.role == "person"


def test_a_membership_of_another_person_gives_404(world: World, client_as: ClientAs) -> None:
    elsewhere = network.add_member(
        Actor.system(),
        world.p2,
        world.users[Persona.OTHER_UNIT_STAFF],
        role=Role.NURSE,
        sections=[Section.PLAN],
    )
    response = client_as(Persona.P1).post(
        sections_url(world, elsewhere), choose(elsewhere, "notes")
    )
    assert response.status_code == 404
    elsewhere.refresh_from_db()
    assert not elsewhere.sees_notes


def _general_practitioner(world: World) -> User:
    system = Actor.system()
    practice = organisations.create_organisation(
        system, code="gp", name="Harbour Practice", kind="general_practice"
    )
    team = organisations.create_unit(system, practice, code="gp-team", name="Doctors", kind="team")
    doctor = create_user("gp", PASSWORD, display_name="Dr Lund")
    organisations.assign_role(
        system, doctor, team, Role.PSYCHIATRIST, started_on=timezone.localdate() - timedelta(days=9)
    )
    return doctor


def test_person_invites_staff_from_another_organisation(world: World, client_as: ClientAs) -> None:
    doctor = _general_practitioner(world)
    person = client_as(Persona.P1)
    invite = reverse("network:invite_staff", kwargs={"person_id": world.p1.pk})
    found = text(person.get(invite, {"q": "lund"}))
    assert "Dr Lund: Psychiatrist, Doctors, Harbour Practice" in found
    role = StaffRole.objects.get(user=doctor)
    response = person.post(invite, {"q": "lund", "member": role.pk, "sections": ["crisis_plan"]})
    assert response.status_code == 302
    membership = CareNetworkMembership.objects.get(person=world.p1, member=doctor)
    assert membership.organisation is not None
    assert membership.organisation.name == "Harbour Practice"
    assert membership.role == Role.PSYCHIATRIST
    assert membership.sections == (Section.CRISIS_PLAN,)
    doctor_client = Client()
    doctor_client.force_login(doctor)
    crisis = reverse("safety:crisis_plan", kwargs={"person_id": world.p1.pk})
    plan = reverse("plans:plan", kwargs={"person_id": world.p1.pk})
    assert doctor_client.get(crisis).status_code == 200
    assert doctor_client.get(plan).status_code == 404

    again = person.post(invite, {"q": "lund", "member": role.pk, "sections": ["plan"]})
    assert "Dr Lund is already in the network" in text(again)
    assert CareNetworkMembership.objects.filter(person=world.p1, member=doctor).count() == 1


def test_search_needs_two_letters_and_never_offers_the_person_themself(
    world: World, client_as: ClientAs
) -> None:
    invite = reverse("network:invite_staff", kwargs={"person_id": world.p1.pk})
    assert 'name="member"' not in text(client_as(Persona.P1).get(invite, {"q": "k"}))
    found = text(client_as(Persona.P1).get(invite, {"q": "key"}))
    assert "Key_Worker: Key worker / contact person, Ward A, Test Hospital" in found


def test_person_invites_a_supporter_who_chooses_their_own_password_with_her_code(
    world: World, client_as: ClientAs
) -> None:
    invite = reverse("network:invite_supporter", kwargs={"person_id": world.p1.pk})
    response = client_as(Persona.P1).post(
        invite, {"name": "Sam Berg", "relation": "friend", "sections": ["crisis_plan", "meetings"]}
    )
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    shown = text(response)
    assert "Sam Berg is now in the network and can see: Crisis plan, Meetings." in shown
    username = re.search(r"Username</dt><dd><code>([^<]+)</code>", shown)
    code = re.search(r"Code</dt><dd><code>([^<]+)</code>", shown)
    assert username is not None
    assert code is not None
    supporter = User.objects.get(username=username.group(1))
    assert supporter.shown_name == "Sam Berg"
    assert not supporter.has_usable_password()  # nobody can log in until Sam chooses
    membership = CareNetworkMembership.objects.get(member=supporter)
    assert membership.role == "friend"
    assert membership.organisation is None
    # The code is on her own network page until it is used; never a password.
    assert code.group(1) in text(client_as(Persona.P1).get(page(world)))
    activate = reverse("supporters:activate")
    new_password = "a-long-own-password-42"
    wrong = Client().post(
        activate,
        {
            "username": username.group(1),
            "code": "999999" if code.group(1) != "999999" else "111111",
            "password": new_password,
            "password_again": new_password,
        },
    )
    assert "do not match an invitation" in text(wrong)
    done = Client().post(
        activate,
        {
            "username": username.group(1),
            "code": code.group(1),
            "password": new_password,
            "password_again": new_password,
        },
    )
    assert done.status_code == 302
    client = Client()
    assert client.login(username=username.group(1), password=new_password)
    crisis = reverse("safety:crisis_plan", kwargs={"person_id": world.p1.pk})
    assert client.get(crisis).status_code == 200
    assert client.get(notes_url(world)).status_code == 404
    # The code works once.
    again = Client().post(
        activate,
        {
            "username": username.group(1),
            "code": code.group(1),
            "password": "another-password-77",
            "password_again": "another-password-77",
        },
    )
    assert "do not match an invitation" in text(again)
    assert code.group(1) not in text(client_as(Persona.P1).get(page(world)))


def test_supporter_invitation_needs_a_name_and_a_section(world: World, client_as: ClientAs) -> None:
    invite = reverse("network:invite_supporter", kwargs={"person_id": world.p1.pk})
    users_before = User.objects.count()
    response = client_as(Persona.P1).post(invite, {"name": " ", "relation": "friend"})
    shown = text(response)
    assert response.status_code == 200
    assert "Write the name of the person you invite." in shown
    assert "Choose at least one part of the plan this member may see." in shown
    assert User.objects.count() == users_before


def test_person_links_to_the_network_page_from_their_home(
    world: World, client_as: ClientAs
) -> None:
    assert page(world) in text(client_as(Persona.P1).get(reverse("portal:me")))


def test_overview_links_the_network_page_for_care_staff_only(
    world: World, client_as: ClientAs
) -> None:
    overview = reverse("workspace:person", kwargs={"person_id": world.p1.pk})
    assert page(world) in text(client_as(Persona.KEY_WORKER).get(overview))
    assert page(world) not in text(client_as(Persona.CASEWORKER).get(overview))
