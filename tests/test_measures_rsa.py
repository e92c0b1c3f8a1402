"""The Recovery Self-Assessment's structure: four versions, 1-5 with N/A and D/K (don't know),
factor means with N/A and D/K left out, shipped without wording and sendable once a licence holder
loads it. The numbers in these tests are worked out by hand in the comments."""

from __future__ import annotations

import importlib
import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from django.core.exceptions import ValidationError

from alongside.audit.log import Actor
from alongside.measures import services
from alongside.measures.definitions import (
    INSTRUMENTS_DIR,
    current_version,
    option_choices,
    sync_instruments,
)
from alongside.measures.engine import check_answers
from alongside.measures.licensed_scales import complete_rules, declared_codes
from alongside.measures.models import Instrument, QuestionnaireVersion, Response
from alongside.measures.scoring import (
    check_rules,
    scale_by_code,
    score_batch,
    score_response,
    score_scale,
)
from tests.personas import Persona, World

VERSIONS = ("rsa_person", "rsa_provider", "rsa_family", "rsa_administrator")
FACTORS = ["life_goals", "involvement", "diversity", "choice", "tailored"]
# A key for these tests only: Alongside ships no item-to-factor key (it comes with the licence).
# Made up so that every item is in one factor and the arithmetic below is easy to follow.
TEST_KEY = {
    "life_goals": ["q3"] + [f"q{n}" for n in range(7, 18)],
    "involvement": [f"q{n}" for n in range(24, 30)],
    "diversity": [f"q{n}" for n in range(18, 23)],
    "choice": ["q4", "q5", "q6", "q23"],
    "tailored": ["q30", "q31", "q32"],
}


def shipped(code: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((INSTRUMENTS_DIR / f"{code}.json").read_text("utf-8"))
    return data


def keyed_rules(code: str) -> dict[str, Any]:
    return complete_rules(shipped(code)["scoring"], TEST_KEY)


def scores(code: str, answers: dict[str, object]) -> dict[str, Any]:
    data = shipped(code)
    typed = check_answers(data["questionnaire"], answers).typed
    return dict(score_response(keyed_rules(code), typed).items())


@pytest.mark.parametrize("code", VERSIONS)
def test_each_version_has_32_items_rated_1_to_5_or_na_or_dk_and_no_wording(code: str) -> None:
    data = shipped(code)
    items = data["questionnaire"]["item"]
    assert data["kind"] == "licensed"
    assert [i["linkId"] for i in items] == [f"q{n}" for n in range(1, 33)]
    for item in items:
        assert item["text"] == f"Item {item['linkId'][1:]}"  # a position, never the authors' words
        assert [code for code, _label in option_choices(item, "en")] == [
            "1",
            "2",
            "3",
            "4",
            "5",
            "na",
            "dk",
        ]
    assert data["questionnaire"]["version"] == "3"  # 1 had no D/K; 2 shipped an unchecked key
    # Shipped: the total over every item, and the five factors declared without their items.
    assert [s["code"] for s in data["scoring"]["scales"]] == ["total"]
    assert data["scoring"]["scales"][0]["items"] == [f"q{n}" for n in range(1, 33)]
    assert declared_codes(data["scoring"]) == FACTORS
    assert not any("items" in s for s in data["scoring"]["licensed_scales"])
    every = data["scoring"]["scales"] + data["scoring"]["licensed_scales"]
    assert all(s["not_applicable"] == ["na", "dk"] for s in every)
    assert all(s["method"] == "mean" for s in every)


@pytest.mark.django_db
def test_the_four_versions_are_loaded_and_cannot_be_sent_before_their_wording(
    world: World,
) -> None:
    for code in VERSIONS:
        version = current_version(Instrument.objects.get(code=code))
        assert version is not None
        assert version.version == "3"
        assert not version.wording_loaded
        assert services.sendable_reason(version) is not None
    rsa = current_version(Instrument.objects.get(code="rsa_person"))
    assert rsa is not None
    with pytest.raises(ValidationError):
        services.submit_response(Actor(world.users[Persona.P1], "person"), world.p1, rsa, {})
    assert not Response.objects.exists()


def test_factor_mean_leaves_na_out() -> None:
    # Choice is items 4, 5, 6 and 23. Answers 5, 4, N/A, 2: (5 + 4 + 2) / 3 = 3.6667.
    choice = scores("rsa_person", {"q4": "5", "q5": "4", "q6": "na", "q23": "2"})["choice"]
    assert (choice.value, choice.answered, choice.missing) == (3.6667, 3, 0)
    # Had N/A counted as zero the mean would be 11 / 4 = 2.75; as missing it would be prorated.
    assert choice.prorated is False


def test_dont_know_is_kept_apart_from_na_and_left_out_of_the_mean_like_it() -> None:
    # Choice: q4 = 5, q5 D/K, q6 N/A, q23 = 2: (5 + 2) / 2 = 3.5, nothing missing or prorated.
    answers = {"q4": "5", "q5": "dk", "q6": "na", "q23": "2"}
    choice = scores("rsa_person", answers)["choice"]
    assert (choice.value, choice.answered, choice.missing, choice.prorated) == (3.5, 2, 0, False)
    # Had D/K been a blank it would count as missing (one allowed, still 3.5, but prorated and
    # no longer "answered"); had it been a 0 the mean would be 7 / 3 = 2.3333.
    typed = check_answers(shipped("rsa_person")["questionnaire"], answers).typed
    assert str(getattr(typed["q5"], "code", typed["q5"])) == "dk"  # stored as its own answer
    assert str(getattr(typed["q6"], "code", typed["q6"])) == "na"


def test_one_unanswered_item_is_allowed_two_are_not() -> None:
    # Choice allows 4 // 4 = 1 unanswered item. q4 blank, q5 = 4, q6 N/A, q23 = 2: (4 + 2) / 2 = 3.
    one = scores("rsa_person", {"q5": "4", "q6": "na", "q23": "2"})["choice"]
    assert (one.value, one.missing) == (3.0, 1)
    two = scores("rsa_person", {"q6": "na", "q23": "2"})["choice"]
    assert (two.value, two.status) == (None, "too_many_missing")


def test_every_item_na_gives_no_score() -> None:
    result = scores("rsa_family", {"q4": "na", "q5": "na", "q6": "na", "q23": "na"})["choice"]
    assert (result.value, result.status) == (None, "no_items")


def test_total_and_life_goals_over_a_whole_response() -> None:
    # Items 1-32: q1..q16 answered 4, q17..q31 answered 2, q32 N/A.
    answers: dict[str, object] = {f"q{n}": "4" for n in range(1, 17)}
    answers |= {f"q{n}": "2" for n in range(17, 32)}
    answers["q32"] = "na"
    result = scores("rsa_provider", answers)
    # Total: 16 x 4 + 15 x 2 = 94 over 31 items = 3.0323 (q32 left out).
    assert result["total"].value == 3.0323
    # Life goals: items 3, 7-17; eleven of them (3, 7..16) are 4 and q17 is 2: 46 / 12 = 3.8333.
    assert result["life_goals"].value == 3.8333
    # Tailored: items 30, 31, 32: 2, 2, N/A: 2.0.
    assert result["tailored"].value == 2.0


def test_batch_scoring_agrees_with_one_response_when_na_is_given() -> None:
    rules = keyed_rules("rsa_administrator")
    choice = scale_by_code(rules, "choice")
    assert choice is not None
    nan = math.nan
    matrix = np.array([[5.0, 4.0, nan, 2.0], [nan, 4.0, nan, 2.0], [nan, nan, nan, nan]])
    na = np.array([[False, False, True, False], [False, False, True, False], [True] * 4])
    batch = score_batch(choice, matrix, not_applicable=na)
    assert batch[0] == pytest.approx(3.6667)
    assert batch[1] == pytest.approx(3.0)
    assert math.isnan(batch[2])
    single = score_scale(choice, {"q4": None, "q5": "4", "q6": "na", "q23": "2"})
    assert single.value == batch[1]


def wording(key: object = None) -> dict[str, Any]:
    """A licence holder's file for rsa_person version 3 (words made up here)."""
    items = {f"q{n}": {"en": f"Text {n}", "da": f"Tekst {n}", "ja": f"文{n}"} for n in range(1, 33)}
    codes = ["1", "2", "3", "4", "5", "na", "dk"]
    options = {c: {"en": f"L{c}", "da": f"D{c}", "ja": f"J{c}"} for c in codes}
    file: dict[str, Any] = {"instrument": "rsa_person", "version": "3", "items": items}
    file["options"] = options
    if key is not None:
        file["scales"] = key
    return file


def rsa_person() -> QuestionnaireVersion:
    return QuestionnaireVersion.objects.get(instrument__code="rsa_person", version="3")


@pytest.mark.django_db
def test_a_licence_holder_loads_the_wording_with_na_and_dk_labels(
    world: World, tmp_path: Path
) -> None:
    file = wording(TEST_KEY)
    for missing in ("na", "dk"):  # N/A and D/K need their words too
        del file["options"][missing]
        path = tmp_path / "rsa.json"
        path.write_text(json.dumps(file))
        with pytest.raises(ValidationError) as caught:
            services.load_wording(Actor.system(), path, organisation_code="H1")
        assert missing in str(caught.value)
        file["options"][missing] = {"en": "x", "da": "y", "ja": "z"}
    assert not rsa_person().wording_loaded
    path.write_text(json.dumps(file))
    version = services.load_wording(Actor.system(), path, organisation_code="H1")
    assert services.sendable_reason(version) is None
    response = services.submit_response(
        Actor(world.users[Persona.P1], "person"),
        world.p1,
        version,
        {"q4": "5", "q5": "4", "q6": "na", "q23": "2", "q7": "dk"},
    )
    # Choice (by the key loaded) is q4, q5, q6, q23: (5 + 4 + 2) / 3 = 3.6667. The total leaves
    # q6 and q7 out and finds 27 of its other 30 items blank, more than the 8 it allows: no score.
    assert response.scores["choice"]["value"] == 3.6667
    assert response.scores["total"]["value"] is None
    stored = {item["linkId"]: item["answer"][0]["valueCoding"]["code"] for item in response.items}
    assert (stored["q6"], stored["q7"]) == ("na", "dk")  # each kept as answered


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("key", "named"),
    [
        (None, "life_goals"),  # no key at all: the factors are named
        ({**TEST_KEY, "inviting": ["q1"]}, "inviting"),  # a factor the version does not declare
        ({**TEST_KEY, "choice": ["q4", "q99"]}, "q99"),  # not an item of the questionnaire
        ({**TEST_KEY, "choice": ["q4", "q4"]}, "q4"),  # an item twice in one factor
        ({**TEST_KEY, "choice": ["q4", "q30"]}, "q30"),  # an item in two factors
        ({**TEST_KEY, "choice": []}, "choice"),  # a factor without items
        ({**TEST_KEY, "choice": "q4 q5"}, "choice"),  # not a list
        (["q1"], "life_goals"),  # not a mapping
    ],
)
def test_a_wrong_factor_key_is_refused_by_name_and_nothing_changes(
    world: World, key: object, named: str
) -> None:
    before = rsa_person()
    with pytest.raises(ValidationError) as caught:
        services.load_wording(Actor.system(), wording(key))
    assert named in " ".join(caught.value.messages)
    after = rsa_person()
    assert (after.scoring, after.questionnaire, after.wording_loaded) == (
        before.scoring,
        before.questionnaire,
        False,
    )


@pytest.mark.django_db
def test_a_measure_without_licensed_factors_takes_no_key(world: World, tmp_path: Path) -> None:
    from tests.test_measures_definitions import wording_file

    gad7 = json.loads(wording_file(tmp_path).read_text("utf-8"))
    with pytest.raises(ValidationError) as caught:
        services.load_wording(Actor.system(), {**gad7, "scales": TEST_KEY})
    assert "no scales keyed" in " ".join(caught.value.messages)
    assert not QuestionnaireVersion.objects.get(instrument__code="gad7").wording_loaded


@pytest.mark.django_db
def test_loading_again_keeps_scores_true_and_syncing_the_shipped_files_stays_a_no_op(
    world: World,
) -> None:
    services.load_wording(Actor.system(), wording(TEST_KEY))
    loaded = rsa_person()
    assert [s["code"] for s in loaded.scoring["scales"]] == [*FACTORS, "total"]
    assert [s["max_missing"] for s in loaded.scoring["scales"]] == [3, 1, 1, 1, 0, 8]
    # The shipped files are synced again (every migration that loads instruments does this):
    # the loaded key and wording stay, and nothing is refused as "other content".
    sync_instruments()
    assert rsa_person().scoring == loaded.scoring
    # Before any response, a corrected key replaces the first.
    moved = {**TEST_KEY, "choice": ["q4", "q5", "q6"], "tailored": ["q23", "q30", "q31", "q32"]}
    services.load_wording(Actor.system(), wording(moved))
    assert scale_by_code(rsa_person().scoring, "choice")["items"] == ["q4", "q5", "q6"]  # type: ignore[index]
    response = services.submit_response(
        Actor(world.users[Persona.P1], "person"),
        world.p1,
        rsa_person(),
        {"q4": "2", "q5": "3", "q6": "4", "q23": "4", "q30": "4", "q31": "5", "q32": "na"},
    )
    # Once a response is scored with it, the same key loads again (say, with corrected words) ...
    corrected = wording(moved)
    corrected["items"]["q1"]["en"] = "Text 1, corrected"
    services.load_wording(Actor.system(), corrected)
    assert rsa_person().questionnaire["item"][0]["text"] == "Text 1, corrected"
    # ... but a different key is refused, and the stored scores stay as they were.
    with pytest.raises(ValidationError) as caught:
        services.load_wording(Actor.system(), wording(TEST_KEY))
    assert "new version" in " ".join(caught.value.messages)
    assert scale_by_code(rsa_person().scoring, "choice")["items"] == ["q4", "q5", "q6"]  # type: ignore[index]
    response.refresh_from_db()
    # By the moved key: choice (q4-q6) 9 / 3 = 3.0, tailored (q23, q30-q32) 13 / 3 = 4.3333; by
    # the first key choice would have been (2 + 3 + 4 + 4) / 4 = 3.25.
    assert (response.scores["choice"]["value"], response.scores["tailored"]["value"]) == (
        3.0,
        4.3333,
    )


@pytest.mark.django_db
def test_the_migration_retires_the_versions_that_carried_the_unchecked_key(world: World) -> None:
    from django.apps import apps

    module = importlib.import_module(
        "alongside.measures.migrations.0011_rsa_factor_key_from_licence"
    )
    current = rsa_person()
    old = QuestionnaireVersion.objects.create(
        instrument=current.instrument,
        version="2",
        questionnaire=current.questionnaire,
        scoring=keyed_rules("rsa_person"),
        wording_loaded=True,
    )
    module.forwards(apps, None)
    module.forwards(apps, None)  # twice: nothing more happens
    old.refresh_from_db()
    assert old.status == "retired"
    assert old.scoring == keyed_rules("rsa_person")  # what its responses were scored with stays
    assert current_version(current.instrument) == current
    assert rsa_person().status == "active"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d.update(items=["q1"]), "no items"),  # the key comes with the licence only
        (lambda d: d.update(code="total"), "unique code"),  # a code the shipped total has
        (lambda d: d.update(method="median"), "unknown method"),
    ],
)
def test_a_malformed_factor_declaration_is_refused(change: Any, expected: str) -> None:
    rules = json.loads(json.dumps(shipped("rsa_person")["scoring"]))
    item_types = {f"q{n}": "choice" for n in range(1, 33)}
    assert check_rules(rules, item_types) == []
    change(rules["licensed_scales"][0])
    assert any(expected in problem for problem in check_rules(rules, item_types))
