"""The handover summary: drafted by staff from the plan, approved only by the person, their
comments kept verbatim, and the exports (PDF, FHIR Bundle) only after approval."""

from __future__ import annotations

import io
import json

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from fhir.resources.R4B.bundle import Bundle
from pypdf import PdfReader

from alongside.audit.log import Actor
from alongside.discharge import handover, services
from alongside.discharge.defaults import sync_default_items
from alongside.discharge.fhir import InvalidBundle, build_bundle, export_bundle, validate_bundle
from alongside.discharge.handover import StaleSummary
from alongside.discharge.models import HandoverComment, HandoverSummary
from alongside.discharge.pdf import render_handover_pdf
from alongside.discharge.queries import focus_stay
from alongside.discharge.services import EntryInput
from alongside.organisations.models import Role
from alongside.people.models import Stay
from tests.personas import Persona, World


@pytest.fixture(autouse=True)
def _default_items(db: None) -> None:
    sync_default_items()


def p1_stay(world: World) -> Stay:
    stay = focus_stay(world.p1)
    assert stay is not None
    return stay


def as_key_worker(world: World) -> Actor:
    return Actor(world.users[Persona.KEY_WORKER], Role.KEY_WORKER)


def as_p1(world: World) -> Actor:
    return Actor(world.users[Persona.P1], "person")


def drafted(world: World) -> HandoverSummary:
    services.save_checklist(
        Actor(world.users[Persona.CASEWORKER], Role.CASEWORKER),
        p1_stay(world),
        version=0,
        entries={"offer_housing": EntryInput("done", "Supported flat", timezone.localdate())},
    )
    return handover.draft_summary(as_key_worker(world), p1_stay(world))


def approved(world: World, comment: str = "") -> HandoverSummary:
    summary = drafted(world)
    return handover.approve(as_p1(world), summary, version=summary.version, comment_text=comment)


def test_the_draft_holds_the_persons_own_goals_steps_network_and_offers(world: World) -> None:
    snapshot = drafted(world).drafted_from
    assert [goal["text"] for goal in snapshot["goals"]] == ["Cook for my sister again"]
    assert snapshot["goals"][0]["written_by_person"] is True
    assert snapshot["goals"][0]["steps"][0]["text"] == "Buy a recipe book"
    # Goals others set are not the person's own goals.
    assert "Take medication every day" not in json.dumps(snapshot)
    assert {m["role"] for m in snapshot["network"]} == {"key_worker", "caseworker", "family"}
    assert snapshot["offers"][0]["code"] == "offer_housing"
    assert snapshot["offers"][0]["details"] == "Supported flat"
    # The crisis plan's words stay in the crisis plan: only which version is current.
    assert snapshot["crisis_plan"]["number"] == world.crisis_version.number
    assert "Stops answering the phone" not in json.dumps(snapshot)


def test_only_the_person_approves(world: World) -> None:
    summary = drafted(world)
    for persona, role in [
        (Persona.KEY_WORKER, Role.KEY_WORKER),
        (Persona.CASEWORKER, "caseworker"),
    ]:
        with pytest.raises(PermissionDenied):
            handover.approve(Actor(world.users[persona], role), summary, version=summary.version)
    with pytest.raises(PermissionDenied):
        handover.approve(Actor.system(), summary, version=summary.version)
    summary.refresh_from_db()
    assert not summary.is_approved
    handover.approve(as_p1(world), summary, version=summary.version)
    summary.refresh_from_db()
    assert summary.is_approved


def test_the_person_does_not_draft_and_staff_do_not_comment(world: World) -> None:
    with pytest.raises(PermissionDenied):
        handover.draft_summary(as_p1(world), p1_stay(world))
    summary = drafted(world)
    with pytest.raises(PermissionDenied):
        handover.comment(as_key_worker(world), summary, text="I think she agrees")


def test_comments_are_kept_verbatim(world: World) -> None:
    words = "  Jeg vil gerne bo tæt på min søster.\n\nAnd please: no calls before 10!  "
    summary = approved(world, comment=words)
    assert HandoverComment.objects.get(summary=summary).text == words


def test_a_change_by_staff_needs_a_new_approval(world: World) -> None:
    summary = approved(world)
    changed = handover.edit_staff_text(
        as_key_worker(world), summary, text="Likes a call first", version=summary.version
    )
    assert not changed.is_approved
    with pytest.raises(StaleSummary):
        handover.approve(as_p1(world), changed, version=summary.version)


def test_staff_edits_from_an_old_version_are_refused(world: World) -> None:
    summary = drafted(world)
    handover.edit_staff_text(as_key_worker(world), summary, text="First", version=1)
    with pytest.raises(StaleSummary):
        handover.edit_staff_text(as_key_worker(world), summary, text="Second", version=1)
    summary.refresh_from_db()
    assert summary.staff_text == "First"


def test_the_pdf_contains_the_goal_in_the_persons_words(world: World) -> None:
    summary = approved(world, comment="Thank you all")
    text = "".join(
        page.extract_text()
        for page in PdfReader(io.BytesIO(render_handover_pdf(summary, "en"))).pages
    )
    assert "Cook for my sister again" in text
    assert "Supported flat" in text
    assert "Thank you all" in text


def test_the_pdf_renders_japanese(world: World) -> None:
    summary = approved(world, comment="ありがとうございました")
    pdf = render_handover_pdf(summary, "ja")
    reader = PdfReader(io.BytesIO(pdf))
    text = "".join(page.extract_text() for page in reader.pages)
    assert "ありがとうございました" in text
    fonts = {
        str(font["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert any("CJK" in name for name in fonts), fonts


def test_the_fhir_bundle_validates_and_holds_the_resources(world: World) -> None:
    summary = approved(world, comment="My words")
    data = json.loads(export_bundle(summary))
    bundle = Bundle.model_validate(data)
    assert bundle.type == "document"
    types = [entry["resource"]["resourceType"] for entry in data["entry"]]
    assert types[0] == "Composition"
    assert set(types) >= {"Patient", "CareTeam", "CarePlan", "Encounter", "Organization"}
    assert types.count("Goal") == 1
    assert all(entry["fullUrl"].startswith("urn:uuid:") for entry in data["entry"])
    by_type = {e["resource"]["resourceType"]: e for e in data["entry"]}
    patient_url = by_type["Patient"]["fullUrl"]
    assert patient_url == f"urn:uuid:{world.p1.fhir_id}"
    goal = by_type["Goal"]["resource"]
    assert goal["id"] == str(world.own_goal.fhir_id)
    assert goal["description"]["text"] == "Cook for my sister again"
    assert goal["expressedBy"] == {"reference": patient_url}
    assert goal["lifecycleStatus"] == "active"
    plan = by_type["CarePlan"]["resource"]
    assert plan["intent"] == "plan"
    assert plan["subject"] == {"reference": patient_url}
    assert plan["goal"] == [{"reference": by_type["Goal"]["fullUrl"]}]
    assert plan["activity"][0]["detail"]["description"] == "Buy a recipe book"
    assert {"text": "My words", "authorReference": {"reference": patient_url}} in plan["note"]
    team = by_type["CareTeam"]["resource"]
    assert {p["member"]["display"] for p in team["participant"]} >= {"Key_Worker", "Caseworker"}
    codes = {c["code"] for p in team["participant"] for r in p["role"] for c in r["coding"]}
    assert codes == {"key_worker", "caseworker", "family"}
    composition = by_type["Composition"]["resource"]
    assert composition["attester"][0]["party"] == {"reference": patient_url}
    assert all(r["resource"]["meta"]["profile"] for r in data["entry"])


def test_an_invalid_bundle_is_refused(world: World) -> None:
    data = build_bundle(approved(world))
    plan = next(e["resource"] for e in data["entry"] if e["resource"]["resourceType"] == "CarePlan")
    del plan["intent"]  # CarePlan.intent is required
    with pytest.raises(InvalidBundle):
        validate_bundle(data)


def test_exports_need_the_persons_approval(world: World) -> None:
    drafted(world)
    client = Client()
    client.force_login(world.users[Persona.KEY_WORKER])
    kwargs = {"person_id": world.p1.pk}
    assert client.get(reverse("discharge:handover_pdf", kwargs=kwargs)).status_code == 404
    assert client.get(reverse("discharge:handover_fhir", kwargs=kwargs)).status_code == 404


def test_the_person_approves_on_the_page_and_the_exports_follow(world: World) -> None:
    summary = drafted(world)
    client = Client()
    client.force_login(world.users[Persona.P1])
    kwargs = {"person_id": world.p1.pk}
    page = client.get(reverse("discharge:handover", kwargs=kwargs))
    assert "Cook for my sister again" in page.content.decode()
    response = client.post(
        reverse("discharge:handover", kwargs=kwargs),
        {"action": "approve", "version": str(summary.version), "comment": "Looks right to me"},
    )
    assert response.status_code == 302
    pdf = client.get(reverse("discharge:handover_pdf", kwargs=kwargs))
    assert (pdf.status_code, pdf["Content-Type"]) == (200, "application/pdf")
    fhir = client.get(reverse("discharge:handover_fhir", kwargs=kwargs))
    assert (fhir.status_code, fhir["Content-Type"]) == (200, "application/fhir+json")
    Bundle.model_validate(json.loads(fhir.content))
