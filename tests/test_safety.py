"""The crisis plan: versions the person confirms, findable in a crisis, break-the-glass."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from alongside import access
from alongside.audit.models import AuditAction, AuditEvent
from alongside.network.scopes import Section
from alongside.notifications.models import Notification
from alongside.safety.models import BreakGlassAccess, CrisisPlanVersion
from tests.personas import Persona, World


def url(world: World, name: str, **kwargs: int) -> str:
    return reverse(name, kwargs={"person_id": world.p1.pk, **kwargs})


REASON = "Brought in at night, confused; need to know treatment wishes"


def test_person_writes_a_version_and_it_counts_at_once(
    world: World, client_as: Callable[[Persona], Client]
) -> None:
    client = client_as(Persona.P1)
    response = client.post(
        url(world, "safety:crisis_edit"),
        {"early_signs": "I stop eating", "please_dont": "Please don't hold me down"},
    )
    assert response.status_code == 302
    newest = CrisisPlanVersion.objects.filter(person=world.p1).order_by("-number").first()
    assert newest is not None
    assert newest.number == 2
    assert newest.confirmed_at is not None
    page = client.get(url(world, "safety:emergency")).content.decode()
    assert "Please don&#x27;t hold me down" in page


def test_staff_version_waits_for_the_person_and_earlier_versions_are_kept(
    world: World, client_as: Callable[[Persona], Client]
) -> None:
    draft = world.crisis_version
    assert draft.confirmed_at is None
    emergency = client_as(Persona.KEY_WORKER).get(url(world, "safety:emergency")).content.decode()
    assert "has not confirmed this version yet" in emergency
    client_as(Persona.P1).post(url(world, "safety:crisis_confirm", number=draft.number))
    draft.refresh_from_db()
    assert draft.confirmed_at is not None
    client_as(Persona.KEY_WORKER).post(
        url(world, "safety:crisis_edit"), {"early_signs": "Sleeps all day"}
    )
    emergency = client_as(Persona.FAMILY).get(url(world, "safety:emergency")).content.decode()
    assert "Stops answering the phone" in emergency  # the newest confirmed version
    assert "Sleeps all day" not in emergency
    assert "A newer version is waiting" in emergency
    assert CrisisPlanVersion.objects.filter(person=world.p1).count() == 2


def test_an_empty_or_oversized_version_is_refused(
    world: World, client_as: Callable[[Persona], Client]
) -> None:
    client = client_as(Persona.P1)
    empty = client.post(url(world, "safety:crisis_edit"), {"early_signs": "  "})
    assert empty.status_code == 200
    assert "Write at least one part of the plan." in empty.content.decode()
    huge = client.post(url(world, "safety:crisis_edit"), {"what_helps": "x" * 4001})
    assert huge.status_code == 200
    assert CrisisPlanVersion.objects.filter(person=world.p1).count() == 1


def test_on_call_clinician_opens_the_crisis_plan_by_breaking_the_glass(
    world: World, client_as: Callable[[Persona], Client]
) -> None:
    clinician = client_as(Persona.OTHER_UNIT_STAFF)
    assert clinician.get(url(world, "safety:emergency")).status_code == 404
    form = clinician.get(url(world, "safety:break_glass"))
    assert form.status_code == 200
    opened = clinician.post(url(world, "safety:break_glass"), {"reason": REASON})
    assert opened["Location"] == url(world, "safety:emergency")
    assert "Stops answering the phone" in clinician.get(opened["Location"]).content.decode()
    # Only the crisis plan: the rest of the record stays closed.
    assert clinician.get(reverse("plans:plan", args=[world.p1.pk])).status_code == 404
    assert clinician.get(url(world, "relationship:notes")).status_code == 404
    event = AuditEvent.objects.get(action=AuditAction.BREAK_GLASS)
    assert event.why == REASON
    assert event.actor_id == world.users[Persona.OTHER_UNIT_STAFF].pk
    assert event.person_id == world.p1.pk
    told = set(Notification.objects.values_list("recipient__username", flat=True))
    assert told == {"p1", "key_worker"}
    home = client_as(Persona.P1).get(reverse("portal:me")).content.decode()
    assert "Opened in an emergency" in home
    assert REASON in home


def test_break_glass_without_a_reason_is_refused_and_nothing_is_saved(
    world: World, client_as: Callable[[Persona], Client]
) -> None:
    response = client_as(Persona.OTHER_UNIT_STAFF).post(
        url(world, "safety:break_glass"), {"reason": "   "}
    )
    assert response.status_code == 200
    assert "Say why you need to open this crisis plan now." in response.content.decode()
    assert not BreakGlassAccess.objects.exists()
    assert not Notification.objects.exists()


def test_municipal_caseworker_cannot_break_the_glass(
    world: World, client_as: Callable[[Persona], Client]
) -> None:
    client = client_as(Persona.CASEWORKER)
    assert client.get(url(world, "safety:break_glass")).status_code == 404
    assert client.post(url(world, "safety:break_glass"), {"reason": REASON}).status_code == 404
    assert not BreakGlassAccess.objects.exists()


def test_emergency_access_ends_by_itself(
    world: World, client_as: Callable[[Persona], Client]
) -> None:
    clinician = client_as(Persona.OTHER_UNIT_STAFF)
    clinician.post(url(world, "safety:break_glass"), {"reason": REASON})
    user = world.users[Persona.OTHER_UNIT_STAFF]
    assert world.p1 in access.visible_persons(user, Section.CRISIS_PLAN)
    BreakGlassAccess.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    assert clinician.get(url(world, "safety:emergency")).status_code == 404
    assert world.p1 not in access.visible_persons(user, Section.CRISIS_PLAN)


def test_family_member_with_crisis_scope_reads_but_cannot_write(
    world: World, client_as: Callable[[Persona], Client]
) -> None:
    client = client_as(Persona.FAMILY)
    assert client.get(url(world, "safety:crisis_plan")).status_code == 200
    assert client.post(url(world, "safety:crisis_edit"), {"early_signs": "Mine"}).status_code == 404


def test_clinician_finds_a_person_staying_in_the_hospital_and_the_search_is_audited(
    world: World, client_as: Callable[[Persona], Client]
) -> None:
    page = client_as(Persona.OTHER_UNIT_STAFF).get(reverse("emergency:find"), {"q": "Pia"})
    assert page.status_code == 200
    body = page.content.decode()
    assert "Pia Ejby" in body
    assert url(world, "safety:break_glass") in body
    assert AuditEvent.objects.filter(
        action=AuditAction.LIST, person_id=world.p1.pk, why="emergency search: Pia"
    ).exists()
    searcher = world.user(Persona.OTHER_UNIT_STAFF)
    assert searcher is not None
    search = AuditEvent.objects.get(object_type="safety.EmergencySearch", actor_id=searcher.pk)
    assert search.why == f"emergency search: 'Pia'; shown: [{world.p1.pk}]"
    assert client_as(Persona.CASEWORKER).get(reverse("emergency:find")).status_code == 404


def test_every_emergency_search_is_audited_even_when_nobody_is_found(
    world: World, client_as: Callable[[Persona], Client]
) -> None:
    searcher = world.user(Persona.OTHER_UNIT_STAFF)
    assert searcher is not None
    client = client_as(Persona.OTHER_UNIT_STAFF)
    for typed in ["Nobody By This Name", "P", "Pia"]:
        assert client.get(reverse("emergency:find"), {"q": typed}).status_code == 200
    searches = list(
        AuditEvent.objects.filter(object_type="safety.EmergencySearch", actor_id=searcher.pk)
        .order_by("id")
        .values_list("why", flat=True)
    )
    assert searches == [
        "emergency search: 'Nobody By This Name'; shown: []",
        "emergency search: 'P'; shown: []",
        f"emergency search: 'Pia'; shown: [{world.p1.pk}]",
    ]
    # Opening the page without typing anything is not a search.
    client.get(reverse("emergency:find"))
    assert (
        AuditEvent.objects.filter(
            object_type="safety.EmergencySearch", actor_id=searcher.pk
        ).count()
        == 3
    )


def test_pocket_card_carries_the_newest_confirmed_version(
    world: World, client_as: Callable[[Persona], Client]
) -> None:
    import io

    from pypdf import PdfReader

    client = client_as(Persona.P1)
    client.post(
        url(world, "safety:crisis_edit"),
        {"please_dont": "Please don't touch me without asking", "contact_who": "Mia, my sister"},
    )
    response = client.get(url(world, "safety:card"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Please don't touch me without asking" in text
    assert "Mia, my sister" in text
    assert "Stops answering the phone" not in text  # the staff draft was never confirmed
    assert len(reader.pages) == 1


def test_shared_decision_with_two_options_and_the_persons_preference(
    world: World, client_as: Callable[[Persona], Client]
) -> None:
    from alongside.safety.decisions import SharedDecision

    staff = client_as(Persona.KEY_WORKER)
    response = staff.post(
        url(world, "safety:decisions"),
        {
            "question": "Move to the open ward?",
            "what_matters": "Being able to go for walks on my own",
            "option_1": "Move next week",
            "pros_1": "Walks on my own",
            "cons_1": "Noisier at night",
            "option_2": "Stay for now",
            "present": "Pia, Kim, Jonas (peer)",
            "advocate_offered": "on",
            "advocate_took_part": "on",
        },
    )
    assert response.status_code == 302
    decision = SharedDecision.objects.get(question="Move to the open ward?")
    assert [o.name for o in decision.options.all()] == ["Move next week", "Stay for now"]
    person = client_as(Persona.P1)
    first = decision.options.all()[0]
    person.post(url(world, "safety:decision", decision_id=decision.pk), {"option": first.pk})
    decision.refresh_from_db()
    assert decision.preferred_id == first.pk
    person.post(
        url(world, "safety:decision", decision_id=decision.pk),
        {"action": "without_agreement", "words": "Nobody asked me about the nights"},
    )
    page = person.get(url(world, "safety:decisions")).content.decode()
    # She reads her own side in her own terms; staff read it about her.
    assert "You said this was decided without your agreement." in page
    assert "Nobody asked me about the nights" in page
    assert "Your preference" in page
    staff_page = client_as(Persona.KEY_WORKER).get(url(world, "safety:decisions")).content.decode()
    assert "Made without the person" in staff_page
    assert "Nobody asked me about the nights" in staff_page
    assert "Preferred by the person" in staff_page
    home = person.get(reverse("portal:me")).content.decode()
    assert "Decided without your agreement" in home
    assert "Move to the open ward?" in home


def test_a_decision_needs_two_options(world: World, client_as: Callable[[Persona], Client]) -> None:
    from alongside.safety.decisions import SharedDecision

    before = SharedDecision.objects.count()
    response = client_as(Persona.KEY_WORKER).post(
        url(world, "safety:decisions"), {"question": "Which?", "option_1": "Only one"}
    )
    assert response.status_code == 200
    assert "at least two options" in response.content.decode()
    assert SharedDecision.objects.count() == before


def test_staff_cannot_give_the_persons_preference(
    world: World, client_as: Callable[[Persona], Client]
) -> None:
    option = world.decision.options.all()[1]
    response = client_as(Persona.KEY_WORKER).post(
        url(world, "safety:decision", decision_id=world.decision.pk), {"option": option.pk}
    )
    assert response.status_code == 404
    world.decision.refresh_from_db()
    assert world.decision.preferred_id is None
