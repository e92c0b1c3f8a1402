"""Discharge readiness: the checklist, refusing a discharge while required items are open, the
override with a reason, concurrent edits of the checklist, and dates checked with clear errors."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from alongside.accounts.services import create_user
from alongside.audit.log import Actor
from alongside.discharge import services
from alongside.discharge.defaults import DEFAULT_ITEMS, sync_default_items
from alongside.discharge.models import (
    ChecklistEntry,
    ChecklistItemTemplate,
    DischargeOverride,
    OverrideReason,
)
from alongside.discharge.queries import checklist_state, focus_stay, items_for
from alongside.discharge.services import EntryInput, StaleChecklist
from alongside.organisations import services as organisations
from alongside.organisations.models import Role
from alongside.people.models import Stay, StayStatus
from tests.personas import Persona, World

OTHER_REQUIRED = {
    "offer_daily_support": EntryInput("done", "Home support twice a week, Casework"),
    "offer_treatment_or_activity": EntryInput("done", "The workshop at the activity centre"),
    "person_agrees": EntryInput("done", "Pia: 'I am ready to go home.'"),
    "crisis_plan_reviewed": EntryInput("done", "Went through it together"),
    "follow_up_booked": EntryInput("done", "Key worker phones", timezone.localdate()),
}


@pytest.fixture(autouse=True)
def _default_items(db: None) -> None:
    sync_default_items()


def key_worker(world: World) -> Actor:
    return Actor(world.users[Persona.KEY_WORKER], Role.KEY_WORKER)


def caseworker(world: World) -> Actor:
    return Actor(world.users[Persona.CASEWORKER], Role.CASEWORKER)


def p1_stay(world: World) -> Stay:
    stay = focus_stay(world.p1)
    assert stay is not None
    return stay


def test_default_items_are_loaded_in_three_languages(world: World) -> None:
    codes = [item.code for item in items_for(p1_stay(world))]
    assert codes == [code for code, *_ in DEFAULT_ITEMS]
    housing = ChecklistItemTemplate.objects.get(organisation=None, code="offer_housing")
    with translation.override("ja"):
        assert housing.label == housing.label_ja != housing.label_en
    with translation.override("da"):
        assert housing.label == housing.label_da


def test_discharge_is_refused_while_the_housing_offer_is_missing(world: World) -> None:
    stay = p1_stay(world)
    services.save_checklist(key_worker(world), stay, version=0, entries=OTHER_REQUIRED)
    with pytest.raises(ValidationError) as refused:
        services.discharge(key_worker(world), stay, ended_on=timezone.localdate())
    housing = ChecklistItemTemplate.objects.get(organisation=None, code="offer_housing")
    assert housing.label in " ".join(refused.value.messages)
    stay.refresh_from_db()
    assert stay.status == StayStatus.ACTIVE
    assert not DischargeOverride.objects.exists()


def test_discharge_is_accepted_once_the_caseworker_records_the_housing_offer(
    world: World,
) -> None:
    stay = p1_stay(world)
    services.save_checklist(key_worker(world), stay, version=0, entries=OTHER_REQUIRED)
    services.save_checklist(
        caseworker(world),
        stay,
        version=1,
        entries={
            "offer_housing": EntryInput(
                "done", "Supported flat, Casework housing team", timezone.localdate()
            )
        },
    )
    entry = ChecklistEntry.objects.get(item__code="offer_housing")
    assert entry.recorded_by == world.users[Persona.CASEWORKER]
    assert entry.recorded_role == Role.CASEWORKER
    services.discharge(key_worker(world), stay, ended_on=timezone.localdate())
    stay.refresh_from_db()
    assert stay.status == StayStatus.ENDED
    assert stay.ended_on == timezone.localdate()
    assert not DischargeOverride.objects.exists()


def test_an_override_reason_ends_the_stay_and_is_kept_with_the_open_items(world: World) -> None:
    stay = p1_stay(world)
    with pytest.raises(ValidationError, match="choose a reason"):  # words alone: no code chosen
        services.discharge(
            key_worker(world), stay, ended_on=timezone.localdate(), override_reason="Leaving"
        )
    with pytest.raises(ValidationError) as invalid:  # "another reason" needs the words
        services.discharge(
            key_worker(world), stay, ended_on=timezone.localdate(), override_code="other"
        )
    assert "override_reason" in invalid.value.message_dict
    with pytest.raises(ValidationError, match="choose a reason"):  # not one of the codes
        services.discharge(
            key_worker(world), stay, ended_on=timezone.localdate(), override_code="bored"
        )
    assert not DischargeOverride.objects.exists()
    services.discharge(
        key_worker(world),
        stay,
        ended_on=timezone.localdate(),
        override_code=OverrideReason.OWN_WISH,
        override_reason="Pia chose to leave today; the municipality follows up",
    )
    stay.refresh_from_db()
    assert stay.status == StayStatus.ENDED
    override = DischargeOverride.objects.get(stay=stay)
    assert override.reason_code == "own-wish"
    assert override.reason == "Pia chose to leave today; the municipality follows up"
    assert override.open_items == [code for code, *_ in DEFAULT_ITEMS]
    assert override.by == world.users[Persona.KEY_WORKER]


def test_not_needed_settles_a_required_item_only_with_a_reason(world: World) -> None:
    stay = p1_stay(world)
    with pytest.raises(ValidationError) as invalid:
        services.save_checklist(
            key_worker(world), stay, version=0, entries={"offer_housing": EntryInput("not_needed")}
        )
    assert "offer_housing-details" in invalid.value.message_dict
    services.save_checklist(
        key_worker(world),
        stay,
        version=0,
        entries={"offer_housing": EntryInput("not_needed", "Pia keeps her own flat")},
    )
    assert "offer_housing" not in [i.code for i in checklist_state(stay).open_required]


def test_only_staff_of_the_unit_end_a_stay(world: World) -> None:
    with pytest.raises(PermissionDenied):
        services.discharge(
            caseworker(world), p1_stay(world), ended_on=timezone.localdate(), override_reason="x"
        )
    with pytest.raises(PermissionDenied):
        services.save_checklist(
            Actor(world.users[Persona.P1], "person"), p1_stay(world), version=0, entries={}
        )


def test_a_stale_checklist_is_refused_and_nothing_is_written(world: World) -> None:
    stay = p1_stay(world)
    services.save_checklist(
        caseworker(world),
        stay,
        version=0,
        entries={"offer_housing": EntryInput("done", "Supported flat")},
    )
    with pytest.raises(StaleChecklist) as stale:
        services.save_checklist(
            key_worker(world),
            stay,
            version=0,
            entries={"offer_housing": EntryInput("open", "Still waiting")},
        )
    assert stale.value.current_version == 1
    entry = ChecklistEntry.objects.get(item__code="offer_housing")
    assert (entry.status, entry.details) == ("done", "Supported flat")


def test_the_page_shows_the_submitted_values_again_after_a_stale_save(world: World) -> None:
    stay = p1_stay(world)
    services.save_checklist(
        caseworker(world),
        stay,
        version=0,
        entries={"offer_housing": EntryInput("done", "Supported flat")},
    )
    client = Client()
    client.force_login(world.users[Persona.KEY_WORKER])
    url = reverse("discharge:checklist", kwargs={"person_id": world.p1.pk})
    response = client.post(
        url,
        {
            **{f"{code}-status": "open" for code, *_ in DEFAULT_ITEMS},
            "version": "0",
            "offer_housing-status": "done",
            "offer_housing-details": "My own words about the flat",
        },
    )
    assert response.status_code == 409, response.content.decode()[-3000:]
    page = response.content.decode()
    assert "My own words about the flat" in page  # what they typed is still there
    assert "Supported flat" in page  # and what was saved meanwhile is shown beside it
    assert "saved the checklist while you were editing" in page
    entry = ChecklistEntry.objects.get(item__code="offer_housing")
    assert entry.details == "Supported flat"


def test_an_end_date_before_the_stay_started_is_a_clear_error(world: World) -> None:
    stay = p1_stay(world)
    with pytest.raises(ValidationError) as invalid:
        services.discharge(key_worker(world), stay, ended_on=stay.started_on - timedelta(days=1))
    assert "before it started" in invalid.value.message_dict["ended_on"][0]
    assert Stay.objects.get(pk=stay.pk).status == StayStatus.ACTIVE


def test_an_end_date_in_the_future_is_refused(world: World) -> None:
    with pytest.raises(ValidationError) as invalid:
        services.discharge(
            key_worker(world),
            p1_stay(world),
            ended_on=timezone.localdate() + timedelta(days=1),
            override_reason="x",
        )
    assert "ended_on" in invalid.value.message_dict


def test_checklist_dates_are_checked(world: World) -> None:
    stay = p1_stay(world)
    with pytest.raises(ValidationError) as invalid:
        services.save_checklist(
            key_worker(world),
            stay,
            version=0,
            entries={
                "offer_housing": EntryInput("done", "Flat", stay.started_on - timedelta(days=3)),
                "follow_up_booked": EntryInput("done", "Phone call"),
            },
        )
    errors = invalid.value.message_dict
    assert "offer_housing-date" in errors
    assert "follow_up_booked-date" in errors
    assert not ChecklistEntry.objects.exists()


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "Enter a valid date."), ("da", "Indtast en gyldig dato."), ("ja", "日付")],
)
def test_a_date_that_is_not_a_date_is_a_translated_error_on_the_page(
    world: World, language: str, expected: str
) -> None:
    client = Client()
    client.force_login(world.users[Persona.KEY_WORKER])
    url = reverse("discharge:end", kwargs={"person_id": world.p1.pk})
    with translation.override(language):
        response = client.post(url, {"ended_on": "2026-02-31"}, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    assert expected in response.content.decode()
    assert p1_stay(world).status == StayStatus.ACTIVE


def test_an_organisation_hides_and_adds_items(world: World) -> None:
    out = StringIO()
    manager = create_user("sanne", "pw-sanne-123", display_name="Sanne")
    organisations.assign_role(
        Actor.system(), manager, world.ward, Role.SERVICE_MANAGER, started_on=timezone.localdate()
    )
    call_command(
        "discharge_items",
        "hide",
        "--code",
        "offer_treatment_or_activity",
        "--organisation",
        "hospital",
        "--actor",
        "sanne",
        "--reason",
        "Our day centre is part of every stay here.",
        stdout=out,
    )
    call_command(
        "discharge_items",
        "add",
        "--code",
        "gp_informed",
        "--kind",
        "follow_up",
        "--label-en",
        "The GP knows",
        "--label-da",
        "Egen læge ved det",
        "--label-ja",
        "かかりつけ医が知っている",
        "--organisation",
        "hospital",
        stdout=out,
    )
    codes = [item.code for item in items_for(p1_stay(world))]
    assert "offer_treatment_or_activity" not in codes
    assert "gp_informed" in codes
    # The default set itself is unchanged for other organisations.
    assert ChecklistItemTemplate.objects.get(
        organisation=None, code="offer_treatment_or_activity"
    ).active
    listing = StringIO()
    call_command("discharge_items", "list", "--organisation", "hospital", stdout=listing)
    assert "gp_informed" in listing.getvalue()


def test_a_team_leader_hides_and_adds_items_on_the_page(world: World) -> None:
    leader = create_user("leader", "pw-leader-123", display_name="Lea")
    organisations.assign_role(
        Actor.system(), leader, world.ward, Role.TEAM_LEADER, started_on=timezone.localdate()
    )
    client = Client()
    client.force_login(leader)
    url = reverse("discharge_service:items")
    assert "Discharge checklist of Test Hospital" in client.get(url).content.decode()
    # A required item is hidden only by a service manager (see test_discharge_items.py).
    refused = client.post(url, {"action": "hide", "code": "offer_treatment_or_activity"})
    assert "Only a service manager can decide" in refused.content.decode()
    assert ChecklistItemTemplate.objects.filter(active=False).count() == 0
    invalid = client.post(url, {"action": "add", "code": "GP!", "kind": "follow_up"})
    assert invalid.status_code == 200
    assert "Write the item in each language." in invalid.content.decode()
    added = client.post(
        url,
        {
            "action": "add",
            "code": "gp_informed",
            "kind": "follow_up",
            "label_en": "The GP knows",
            "label_da": "Egen læge ved det",
            "label_ja": "かかりつけ医が知っている",
            "required": "on",
        },
    )
    assert added.status_code == 302
    codes = [item.code for item in items_for(p1_stay(world))]
    assert "offer_treatment_or_activity" in codes
    assert "gp_informed" in codes
    # P2 stays in the same hospital; a municipality's stays would keep the default set.
    assert ChecklistItemTemplate.objects.get(
        organisation=None, code="offer_treatment_or_activity"
    ).active


def test_staff_who_lead_no_unit_do_not_reach_the_items_page(world: World) -> None:
    client = Client()
    client.force_login(world.users[Persona.KEY_WORKER])
    url = reverse("discharge_service:items")
    assert client.get(url).status_code == 404
    assert client.post(url, {"action": "hide", "code": "offer_housing"}).status_code == 404


def test_the_override_reason_is_offered_and_never_chosen_beforehand() -> None:
    from alongside.administration.forms import EndStayForm
    from alongside.discharge.forms import DischargeForm

    for field in (DischargeForm()["override_code"], EndStayForm(prefix="end")["override_code"]):
        html = str(field)
        assert html.count('type="radio"') == len(OverrideReason.choices) == 5
        assert "checked" not in html
        assert [value for value, _label in field.field.choices] == [
            "declined",
            "not-in-time",
            "own-wish",
            "transferred",
            "other",
        ]
