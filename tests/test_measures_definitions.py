"""Loading definitions, and refusing bad input whole: broken items, retired versions,
out-of-range answers, answers to disabled items, licensed wording not yet loaded. Also schedules,
due lists, trends with reliable change, and the DIALOG talk flow into the plan."""

from __future__ import annotations

import copy
import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from alongside.audit.log import Actor
from alongside.measures import queries, services
from alongside.measures.definitions import (
    INSTRUMENTS_DIR,
    current_version,
    item_text,
    load_definition,
    option_choices,
    sync_instruments,
)
from alongside.measures.engine import enabled_items
from alongside.measures.models import (
    Instrument,
    QuestionnaireVersion,
    Response,
    ScheduleKind,
    VersionStatus,
)
from alongside.plans.models import GoalStep
from tests.access_matrix_measures import blocked_schedule
from tests.personas import Persona, World

pytestmark = pytest.mark.django_db


def shipped(code: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((INSTRUMENTS_DIR / f"{code}.json").read_text("utf-8"))
    return data


def version(code: str) -> QuestionnaireVersion:
    found = current_version(Instrument.objects.get(code=code))
    assert found is not None
    return found


def staff(world: World) -> Actor:
    return Actor(world.users[Persona.KEY_WORKER], "key_worker")


def person_actor(world: World) -> Actor:
    return Actor(world.users[Persona.P1], "person")


CHIME = {"connectedness": 6, "hope": 8, "identity": 5, "meaning": 7, "empowerment": 9}


# --- loading ----------------------------------------------------------------------------------


def test_every_shipped_instrument_is_loaded_by_the_migration() -> None:
    codes = set(Instrument.objects.values_list("code", flat=True))
    assert {
        "chime_checkin",
        "working_relationship",
        "qpr15",
        "inspire",
        "brief_inspire",
        "dialog",
        "reqol10",
        "phq9",
        "gad7",
    } <= codes
    assert not version("phq9").wording_loaded
    assert version("chime_checkin").wording_loaded


def test_sync_is_idempotent() -> None:
    before = QuestionnaireVersion.objects.count()
    sync_instruments()
    assert QuestionnaireVersion.objects.count() == before


def test_shipped_licensed_instruments_carry_no_wording() -> None:
    for code in ("qpr15", "inspire", "brief_inspire", "dialog", "reqol10", "phq9", "gad7"):
        for item in shipped(code)["questionnaire"]["item"]:
            assert item["text"].startswith(("Item ", "R", "Item")), (code, item["text"])


def broken(mutate: Any) -> dict[str, Any]:
    data = copy.deepcopy(shipped("chime_checkin"))
    q: dict[str, Any] = data["questionnaire"]
    q["url"] = "urn:test:broken"
    mutate(q)
    return q


def load(q: dict[str, Any], scoring: dict[str, Any] | None = None) -> QuestionnaireVersion:
    rules = shipped("chime_checkin")["scoring"] if scoring is None else scoring
    return load_definition("broken_test", q, rules)


def messages(error: pytest.ExceptionInfo[ValidationError]) -> str:
    return " ".join(error.value.messages)


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (
            lambda q: q["item"][1].update(type="choice"),
            "Item connectedness: a choice item needs answer options.",
        ),
        (
            lambda q: q["item"][2]["extension"][0].update(valueInteger=11),
            "Item hope: minimum 11.0 is above maximum 10.0.",
        ),
        (
            lambda q: q["item"][3].update(
                enableWhen=[{"question": "nowhere", "operator": "exists", "answerBoolean": True}]
            ),
            "Item identity: enableWhen refers to unknown item nowhere.",
        ),
        (lambda q: q["item"][4].update(linkId="hope"), "Item hope: linkId used twice."),
        (lambda q: q["item"][5].pop("_text"), "Item empowerment: text missing in da, ja."),
        (lambda q: q["item"][6].update(type="slider"), "Item help: type slider is not supported."),
        (lambda q: q["item"][1].pop("linkId"), "item.1.linkId"),
    ],
)
def test_broken_item_error_names_the_link_id(mutate: Any, expected: str) -> None:
    with pytest.raises(ValidationError) as caught:
        load(broken(mutate))
    assert expected in messages(caught)
    assert not Instrument.objects.filter(code="broken_test").exists()


def test_broken_scoring_is_refused_and_nothing_is_loaded() -> None:
    rules = copy.deepcopy(shipped("chime_checkin")["scoring"])
    rules["scales"][0]["items"].append("ghost")
    with pytest.raises(ValidationError) as caught:
        load(broken(lambda q: None), rules)
    assert "item ghost is not in the questionnaire" in messages(caught)
    assert not Instrument.objects.filter(code="broken_test").exists()


def test_sync_with_one_broken_file_loads_nothing(tmp_path: Path, monkeypatch: Any) -> None:
    good = shipped("chime_checkin")
    good["code"] = "aaa_good"
    good["questionnaire"]["url"] = "urn:test:good"
    bad = copy.deepcopy(good)
    bad["code"] = "zzz_bad"
    bad["questionnaire"]["item"][1]["type"] = "choice"
    (tmp_path / "a.json").write_text(json.dumps(good))
    (tmp_path / "z.json").write_text(json.dumps(bad))
    monkeypatch.setattr("alongside.measures.definitions.INSTRUMENTS_DIR", tmp_path)
    with pytest.raises(ValidationError):
        sync_instruments()
    assert not Instrument.objects.filter(code__in=["aaa_good", "zzz_bad"]).exists()


def test_changed_content_under_the_same_version_is_refused() -> None:
    q = copy.deepcopy(shipped("chime_checkin")["questionnaire"])
    q["item"][1]["text"] = "Changed"
    with pytest.raises(ValidationError) as caught:
        load_definition("chime_checkin", q, shipped("chime_checkin")["scoring"])
    assert "new version" in messages(caught)


def test_item_text_in_each_language() -> None:
    item = version("chime_checkin").questionnaire["item"][2]
    assert item_text(item, "en") == "How hopeful do you feel about your future?"
    assert item_text(item, "da") == "Hvor meget håb har du for din fremtid?"
    assert item_text(item, "ja") == "自分の将来にどのくらい希望を感じていますか？"
    assert item_text(item, "fr") == "How hopeful do you feel about your future?"


def test_enable_when_any_shows_phq_item_10_only_after_a_problem() -> None:
    questionnaire = version("phq9").questionnaire
    assert "q10" not in enabled_items(questionnaire, {f"q{n}": "0" for n in range(1, 10)})
    assert "q10" in enabled_items(questionnaire, {"q1": "0", "q2": "1"})


# --- responses: refused whole -----------------------------------------------------------------


def test_submit_saves_answers_scores_and_audit(world: World) -> None:
    response = services.submit_response(
        staff(world),
        world.p1,
        version("chime_checkin"),
        {**CHIME, "help": "A walk"},
        together_with_staff=True,
    )
    response.refresh_from_db()
    assert response.scores["overall"]["value"] == 7
    assert response.together_with_staff
    assert {"linkId": "help", "answer": [{"valueString": "A walk"}]} in response.items


@pytest.mark.parametrize(
    ("answers", "field"),
    [
        ({**CHIME, "hope": 11}, "hope"),
        ({**CHIME, "hope": -1}, "hope"),
        ({**CHIME, "hope": "lots"}, "hope"),
        ({**CHIME, "hope": 2.5}, "hope"),
        ({**CHIME, "nonsense": 1}, "nonsense"),
        ({**CHIME, "intro": "x"}, "intro"),
    ],
)
def test_bad_answers_are_refused_and_nothing_saved(
    world: World, answers: dict[str, object], field: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        services.submit_response(person_actor(world), world.p1, version("chime_checkin"), answers)
    assert field in caught.value.message_dict
    assert not Response.objects.exists()


def test_answer_to_a_disabled_item_is_refused(world: World) -> None:
    phq = version("phq9")
    phq.wording_loaded = True
    phq.save()
    answers: dict[str, object] = {f"q{n}": "0" for n in range(1, 10)}
    answers["q10"] = "2"
    with pytest.raises(ValidationError) as caught:
        services.submit_response(person_actor(world), world.p1, phq, answers)
    assert "does not apply" in caught.value.message_dict["q10"][0]
    assert not Response.objects.exists()


def test_out_of_range_choice_is_refused(world: World) -> None:
    phq = version("phq9")
    phq.wording_loaded = True
    phq.save()
    with pytest.raises(ValidationError) as caught:
        services.submit_response(person_actor(world), world.p1, phq, {"q1": "4"})
    assert "q1" in caught.value.message_dict


def test_retired_version_is_refused(world: World) -> None:
    chime = services.retire_version(staff(world), version("chime_checkin"))
    assert chime.status == VersionStatus.RETIRED
    with pytest.raises(ValidationError) as caught:
        services.submit_response(person_actor(world), world.p1, chime, CHIME)
    assert "retired" in caught.value.messages[0]
    assert not Response.objects.exists()


def test_licensed_measure_cannot_be_sent_until_wording_is_loaded(world: World) -> None:
    gad = version("gad7")
    assert services.sendable_reason(gad) is not None
    with pytest.raises(ValidationError) as caught:
        services.submit_response(person_actor(world), world.p1, gad, {"q1": "1"})
    assert "wording" in caught.value.messages[0]
    assert not Response.objects.exists()


def wording_file(tmp_path: Path, *, skip: str = "") -> Path:
    items = {
        f"q{n}": {"en": f"Licensed text {n}", "da": f"Licenseret {n}", "ja": f"許諾{n}"}
        for n in range(1, 9)
        if f"q{n}" != skip
    }
    options = {str(v): {"en": f"Often {v}", "da": f"Ofte {v}", "ja": f"頻度{v}"} for v in range(4)}
    path = tmp_path / "gad7.json"
    path.write_text(
        json.dumps({"instrument": "gad7", "version": "1", "items": items, "options": options})
    )
    return path


def test_load_wording_command_makes_the_measure_sendable(world: World, tmp_path: Path) -> None:
    call_command("measures", "load-wording", str(wording_file(tmp_path)), organisation="H1")
    gad = version("gad7")
    assert gad.wording_loaded
    assert services.sendable_reason(gad) is None
    item = gad.questionnaire["item"][0]
    assert item_text(item, "da") == "Licenseret 1"
    assert option_choices(item, "ja")[2] == ("2", "頻度2")
    response = services.submit_response(
        person_actor(world), world.p1, gad, {f"q{n}": "2" for n in range(1, 8)}
    )
    assert response.scores["total"]["value"] == 14


def test_incomplete_wording_is_refused_and_nothing_changes(world: World, tmp_path: Path) -> None:
    with pytest.raises(ValidationError) as caught:
        services.load_wording(staff(world), wording_file(tmp_path, skip="q3"))
    assert "q3" in caught.value.message_dict
    assert not version("gad7").wording_loaded


# --- schedules and due lists ------------------------------------------------------------------


def test_every_n_weeks_is_due_then_moves_on_after_answering(world: World) -> None:
    chime = Instrument.objects.get(code="chime_checkin")
    today = timezone.localdate()
    schedule = services.schedule_measure(
        staff(world), world.p1, chime, kind=ScheduleKind.EVERY_N_WEEKS, every_weeks=4
    )
    due = queries.due_for_person(world.p1)
    assert [(d.instrument.code, d.due_on, d.overdue) for d in due] == [
        ("chime_checkin", today, False)
    ]
    assert not queries.due_for_person(world.p1, today - timedelta(days=1))
    assert queries.due_for_person(world.p1, today + timedelta(days=3))[0].overdue
    services.submit_response(
        person_actor(world), world.p1, version("chime_checkin"), CHIME, schedule=schedule
    )
    schedule.refresh_from_db()
    assert schedule.next_due_on == today + timedelta(weeks=4)
    assert not queries.due_for_person(world.p1)


def test_once_ends_after_answering(world: World) -> None:
    chime = Instrument.objects.get(code="chime_checkin")
    schedule = services.schedule_measure(staff(world), world.p1, chime, kind=ScheduleKind.ONCE)
    services.submit_response(
        person_actor(world), world.p1, version("chime_checkin"), CHIME, schedule=schedule
    )
    schedule.refresh_from_db()
    assert not schedule.active


def test_each_review_is_due_in_the_fortnight_before_the_review(world: World) -> None:
    chime = Instrument.objects.get(code="chime_checkin")
    services.schedule_measure(staff(world), world.p1, chime, kind=ScheduleKind.EACH_REVIEW)
    review = timezone.localdate() + timedelta(days=10)  # p1's next review in the personas world
    due = queries.due_for_person(world.p1)
    assert [d.due_on for d in due] == [review - timedelta(days=14)]
    services.submit_response(person_actor(world), world.p1, version("chime_checkin"), CHIME)
    assert not queries.due_for_person(world.p1)


def test_staff_list_shows_due_and_blocked_licensed_measures(world: World) -> None:
    blocked_schedule(world, world.p1, "phq9")
    services.schedule_measure(
        staff(world), world.p2, Instrument.objects.get(code="chime_checkin"), kind="once"
    )
    due = queries.due_for_staff([world.p1])
    assert [d.person for d in due] == [world.p1]
    assert due[0].blocked_reason is not None
    assert "wording" in due[0].blocked_reason


def test_schedule_input_is_checked(world: World) -> None:
    chime = Instrument.objects.get(code="chime_checkin")
    with pytest.raises(ValidationError) as caught:
        services.schedule_measure(
            staff(world), world.p1, chime, kind=ScheduleKind.EVERY_N_WEEKS, every_weeks=0
        )
    assert "every_weeks" in caught.value.message_dict


# --- trends -----------------------------------------------------------------------------------


def test_trend_marks_reliable_change(world: World) -> None:
    chime = version("chime_checkin")
    now = timezone.now()
    for days_ago, level in [(30, 3), (20, 4), (10, 7)]:
        services.submit_response(
            person_actor(world),
            world.p1,
            chime,
            dict.fromkeys(CHIME, level),
            authored_at=now - timedelta(days=days_ago),
        )
    overall = [p for p in queries.trend(world.p1, "chime_checkin") if p.scale_code == "overall"]
    # 3 -> 4 is below the 2-point threshold; 4 -> 7 is an improvement
    assert [(p.value, p.reliable_change) for p in overall] == [
        (3, None),
        (4, None),
        (7, "improved"),
    ]


# --- DIALOG talk flow -------------------------------------------------------------------------


def test_dialog_areas_and_action_becomes_a_goal_step(world: World) -> None:
    dialog = version("dialog")
    dialog.wording_loaded = True
    dialog.save()
    answers: dict[str, object] = {f"d{n}": "4" for n in range(1, 12)}
    response = services.submit_response(
        person_actor(world), world.p1, dialog, answers, together_with_staff=True
    )
    with pytest.raises(ValidationError):
        services.choose_talk_areas(person_actor(world), response, ["d1", "d2", "d3", "d4"])
    with pytest.raises(ValidationError):
        services.choose_talk_areas(person_actor(world), response, ["d1.help"])
    areas = services.choose_talk_areas(person_actor(world), response, ["d3", "d1"])
    assert [(a.link_id, a.order) for a in areas] == [("d3", 1), ("d1", 2)]
    action = services.add_talk_action(
        staff(world), areas[0], text="Visit the housing office together", goal=world.own_goal
    )
    assert action.goal_step is not None
    step = GoalStep.objects.get(pk=action.goal_step.pk)
    assert (step.goal_id, step.text) == (world.own_goal.pk, "Visit the housing office together")


def test_talk_action_on_another_persons_goal_is_refused(world: World) -> None:
    response = services.submit_response(
        person_actor(world), world.p1, version("chime_checkin"), CHIME
    )
    with pytest.raises(ValidationError):
        services.choose_talk_areas(person_actor(world), response, ["hope"])
    assert not response.talk_areas.exists()


# --- every item type, enableWhen operators and groups ------------------------------------------


def tr(en: str) -> dict[str, Any]:
    url = "http://hl7.org/fhir/StructureDefinition/translation"
    return {
        "text": en,
        "_text": {
            "extension": [
                {
                    "url": url,
                    "extension": [
                        {"url": "lang", "valueCode": lang},
                        {"url": "content", "valueString": f"{en} ({lang})"},
                    ],
                }
                for lang in ("da", "ja")
            ]
        },
    }


def bounds(low: float, high: float) -> dict[str, Any]:
    return {
        "extension": [
            {"url": "http://hl7.org/fhir/StructureDefinition/minValue", "valueDecimal": low},
            {"url": "http://hl7.org/fhir/StructureDefinition/maxValue", "valueDecimal": high},
        ]
    }


ALL_TYPES: dict[str, Any] = {
    "resourceType": "Questionnaire",
    "url": "urn:test:all-types",
    "version": "1",
    "status": "active",
    "item": [
        {"linkId": "intro", "type": "display", **tr("Hello")},
        {"linkId": "smokes", "type": "boolean", **tr("Smokes")},
        {
            "linkId": "how_many",
            "type": "integer",
            **tr("How many"),
            "extension": [
                {"url": "http://hl7.org/fhir/StructureDefinition/minValue", "valueInteger": 1},
                {"url": "http://hl7.org/fhir/StructureDefinition/maxValue", "valueInteger": 60},
            ],
            "enableWhen": [{"question": "smokes", "operator": "=", "answerBoolean": True}],
        },
        {
            "linkId": "heavy",
            "type": "group",
            "enableWhen": [{"question": "how_many", "operator": ">=", "answerInteger": 20}],
            "item": [
                {"linkId": "sleep", "type": "decimal", **tr("Hours of sleep"), **bounds(0, 24)},
                {"linkId": "note", "type": "string", **tr("Note")},
            ],
        },
        {"linkId": "story", "type": "text", **tr("Story")},
    ],
}


def test_every_item_type_and_group_enable_when() -> None:
    loaded = load_definition("all_types", copy.deepcopy(ALL_TYPES), {"scales": []})
    q = loaded.questionnaire
    assert enabled_items(q, {}) == {"intro", "smokes", "story"}
    assert "how_many" in enabled_items(q, {"smokes": "true"})
    assert "sleep" not in enabled_items(q, {"smokes": True, "how_many": 19})
    assert {"heavy", "sleep", "note"} <= enabled_items(q, {"smokes": True, "how_many": 20})


def test_answers_of_every_type_are_typed_and_stored_in_fhir_shape(world: World) -> None:
    loaded = load_definition("all_types", copy.deepcopy(ALL_TYPES), {"scales": []})
    answers: dict[str, object] = {
        "smokes": "true",
        "how_many": "25",
        "sleep": "7.5",
        "note": "Night shifts",
        "story": "Long\ntext",
    }
    response = services.submit_response(person_actor(world), world.p1, loaded, answers)
    assert response.items == [
        {"linkId": "smokes", "answer": [{"valueBoolean": True}]},
        {"linkId": "how_many", "answer": [{"valueInteger": 25}]},
        {
            "linkId": "heavy",
            "item": [
                {"linkId": "sleep", "answer": [{"valueDecimal": 7.5}]},
                {"linkId": "note", "answer": [{"valueString": "Night shifts"}]},
            ],
        },
        {"linkId": "story", "answer": [{"valueString": "Long\ntext"}]},
    ]


def test_inside_a_disabled_group_is_refused(world: World) -> None:
    loaded = load_definition("all_types", copy.deepcopy(ALL_TYPES), {"scales": []})
    with pytest.raises(ValidationError) as caught:
        services.submit_response(
            person_actor(world),
            world.p1,
            loaded,
            {"smokes": True, "how_many": 5, "sleep": "25", "note": "x"},
        )
    errors = caught.value.message_dict
    assert "Give a number from 0 to 24." in errors["sleep"]
    assert "does not apply" in errors["note"][0]
    assert not Response.objects.exists()
