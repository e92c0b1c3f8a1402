"""The Recovery Self-Assessment's structure: four versions, 1-5 with N/A and D/K (don't know),
factor means with N/A and D/K left out, shipped without wording and sendable once a licence holder
loads it. The numbers in these tests are worked out by hand in the comments."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from django.core.exceptions import ValidationError

from alongside.audit.log import Actor
from alongside.measures import services
from alongside.measures.definitions import INSTRUMENTS_DIR, current_version, option_choices
from alongside.measures.engine import check_answers
from alongside.measures.models import Instrument, QuestionnaireVersion, Response
from alongside.measures.scoring import scale_by_code, score_batch, score_response, score_scale
from tests.personas import Persona, World

VERSIONS = ("rsa_person", "rsa_provider", "rsa_family", "rsa_administrator")
FACTORS = ["life_goals", "involvement", "diversity", "choice", "tailored", "total"]


def shipped(code: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((INSTRUMENTS_DIR / f"{code}.json").read_text("utf-8"))
    return data


def scores(code: str, answers: dict[str, object]) -> dict[str, Any]:
    data = shipped(code)
    typed = check_answers(data["questionnaire"], answers).typed
    return dict(score_response(data["scoring"], typed).items())


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
    assert data["questionnaire"]["version"] == "2"  # version 1 had no D/K
    assert [s["code"] for s in data["scoring"]["scales"]] == FACTORS
    assert all(s["not_applicable"] == ["na", "dk"] for s in data["scoring"]["scales"])
    assert all(s["method"] == "mean" for s in data["scoring"]["scales"])


@pytest.mark.django_db
def test_the_four_versions_are_loaded_and_cannot_be_sent_before_their_wording(
    world: World,
) -> None:
    for code in VERSIONS:
        version = current_version(Instrument.objects.get(code=code))
        assert version is not None
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
    rules = shipped("rsa_administrator")["scoring"]
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


@pytest.mark.django_db
def test_a_licence_holder_loads_the_wording_with_na_and_the_score_stays_the_same(
    world: World, tmp_path: Path
) -> None:
    items = {f"q{n}": {"en": f"Text {n}", "da": f"Tekst {n}", "ja": f"文{n}"} for n in range(1, 33)}
    options = {c: {"en": f"L{c}", "da": f"D{c}", "ja": f"J{c}"} for c in ["1", "2", "3", "4", "5"]}
    path = tmp_path / "rsa.json"
    file = {"instrument": "rsa_person", "version": "2", "items": items, "options": options}
    path.write_text(json.dumps(file))
    with pytest.raises(ValidationError) as caught:  # N/A needs its words too
        services.load_wording(Actor.system(), path, organisation_code="H1")
    assert "na" in str(caught.value)
    options["na"] = {"en": "Does not apply", "da": "Gælder ikke", "ja": "当てはまらない"}
    path.write_text(json.dumps(file))
    with pytest.raises(ValidationError) as caught:  # and so does D/K
        services.load_wording(Actor.system(), path, organisation_code="H1")
    assert "dk" in str(caught.value)
    options["dk"] = {"en": "Don't know", "da": "Ved ikke", "ja": "わからない"}
    path.write_text(json.dumps(file))
    version = services.load_wording(Actor.system(), path, organisation_code="H1")
    assert isinstance(version, QuestionnaireVersion)
    assert services.sendable_reason(version) is None
    response = services.submit_response(
        Actor(world.users[Persona.P1], "person"),
        world.p1,
        version,
        {"q4": "5", "q5": "4", "q6": "na", "q23": "2", "q7": "dk"},
    )
    assert response.scores["choice"]["value"] == 3.6667
    stored = {item["linkId"]: item["answer"][0]["valueCoding"]["code"] for item in response.items}
    assert (stored["q6"], stored["q7"]) == ("na", "dk")  # each kept as answered
