"""The recovery-orientation survey: both versions cover all 16 themes through the measures
engine, answers are anonymous and given once a quarter, and the gap per theme matches numbers
worked out by hand."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from alongside.audit.log import Actor
from alongside.frameworks.models import Concept
from alongside.insight import services, survey
from alongside.insight.models import SurveyResponse, SurveyTaken
from alongside.insight.queries import ScopeKind, open_scope, survey_gaps
from alongside.measures.definitions import check_questionnaire
from alongside.measures.models import Instrument, UnitSchedule
from alongside.organisations import services as organisations
from alongside.organisations.models import Role
from tests.personas import Persona, World

ClientAs = Callable[[Persona], Client]


def ask_on_ward(world: World) -> None:
    """Ward A asks its persons and staff, as its team leader would (test_insight_survey_schedule
    covers the page that does it)."""
    for side in survey.SIDES:
        UnitSchedule.objects.create(
            unit=world.ward,
            instrument=Instrument.objects.get(code=survey.instrument_code(side)),
            audience=side,
            created_by=world.users[Persona.ANALYST],
        )


HOPE = "practice.relationship.hope"
Q1 = date(2026, 1, 1)


@pytest.mark.parametrize("side", survey.SIDES)
def test_each_version_is_a_sound_questionnaire_with_every_theme_once(side: str, db: None) -> None:
    assert check_questionnaire(survey.questionnaire(side)) == []
    themes = list(survey.theme_of_items(side).values())
    practice = set(
        Concept.objects.filter(code__startswith="practice.", parent__isnull=False)
        .exclude(parent__code="practice")
        .values_list("code", flat=True)
    )
    expected = {c for c in practice if c.count(".") == 2}
    assert len(expected) == 16
    assert sorted(themes) == sorted(expected)


def test_the_gap_matches_the_hand_computed_numbers() -> None:
    # Staff 4, 5, 4, 3, 4: mean 4.0, variance 2 / 4 = 0.5.
    # Persons 2, 3, 2, 4, 3, 1: mean 2.5, variance 5.5 / 5 = 1.1.
    # Gap 1.5; standard error sqrt(0.5/5 + 1.1/6) = 0.5323; Welch df = 8.70; t = 2.274;
    # interval 1.5 -/+ 1.2104 = 0.29 to 2.71.
    gap = survey.theme_gap(HOPE, [4, 5, 4, 3, 4], [2, 3, 2, 4, 3, 1])
    assert not gap.suppressed
    assert gap.staff.mean == 4.0
    assert gap.persons.mean == 2.5
    assert gap.gap == 1.5
    assert gap.low is not None
    assert gap.high is not None
    assert round(gap.low, 2) == 0.29
    assert round(gap.high, 2) == 2.71


def test_fewer_than_5_on_either_side_is_hidden() -> None:
    four_staff = survey.theme_gap(HOPE, [4, 5, 4, 3], [2, 3, 2, 4, 3])
    assert four_staff.suppressed
    assert four_staff.gap is None
    assert four_staff.staff.mean is None  # not even the side's mean is given
    assert survey.theme_gap(HOPE, [4, 5, 4, 3, 4], [2, 3, 2, 4]).suppressed
    assert not survey.theme_gap(HOPE, [4, 5, 4, 3, 4], [2, 3, 2, 4, 3]).suppressed


def test_does_not_apply_takes_no_part_in_the_mean() -> None:
    scores = survey.to_scores("person", {"relationship.hope": "na", "personal.strengths": "4"})
    assert scores == {HOPE: None, "practice.personal.strengths": 4}
    rows = [("staff", {HOPE: 4})] * 5 + [("person", {HOPE: None})] * 5
    assert survey.gaps(rows, [HOPE])[0].suppressed  # five persons, but none rated hope


def test_answers_are_kept_without_the_person_and_only_once_a_quarter(world: World) -> None:
    ask_on_ward(world)
    p1 = world.users[Persona.P1]
    actor = Actor(p1, "person")
    services.answer_survey(actor, "person", {"relationship.hope": "2"}, today=date(2026, 2, 3))
    response = SurveyResponse.objects.get(unit=world.ward, period=Q1)
    assert response.answers == {HOPE: 2}
    assert {f.name for f in SurveyResponse._meta.get_fields()} == {
        "id",
        "unit",
        "period",
        "side",
        "version",
        "answers",
    }
    assert SurveyTaken.objects.filter(user=p1, period=Q1, side="person").exists()
    with pytest.raises(ValidationError):
        services.answer_survey(actor, "person", {"relationship.hope": "5"}, today=date(2026, 3, 1))
    assert SurveyResponse.objects.filter(unit=world.ward, period=Q1).count() == 1
    # The next quarter asks again.
    services.answer_survey(actor, "person", {"relationship.hope": "3"}, today=date(2026, 4, 1))
    assert SurveyResponse.objects.filter(unit=world.ward).count() == 2


def test_answers_go_through_the_engine(world: World) -> None:
    ask_on_ward(world)
    actor = Actor(world.users[Persona.KEY_WORKER], Role.KEY_WORKER)
    with pytest.raises(ValidationError) as caught:
        services.answer_survey(actor, "staff", {"relationship.hope": "7"})
    assert "relationship.hope" in caught.value.message_dict
    assert not SurveyResponse.objects.filter(unit=world.ward).exists()


def test_gap_per_unit_and_quarter_from_stored_answers(world: World) -> None:
    ask_on_ward(world)
    # Five more staff and six persons of Ward A answer about hope; the numbers of the hand fixture.
    system = Actor.system()
    from alongside.accounts.services import create_user
    from alongside.people import services as people
    from alongside.people.models import StayKind

    for index, score in enumerate([4, 5, 4, 3, 4]):
        user = create_user(f"staff-{index}", "correct-horse-battery")
        organisations.assign_role(system, user, world.ward, Role.NURSE, started_on=date(2025, 1, 1))
        services.answer_survey(
            Actor(user, Role.NURSE), "staff", {"relationship.hope": str(score)}, today=Q1
        )
    for index, score in enumerate([2, 3, 2, 4, 3, 1]):
        user = create_user(f"person-{index}", "correct-horse-battery")
        person = people.register_person(system, name=f"Person {index}", user=user)
        people.start_stay(
            system, person, world.ward, kind=StayKind.INPATIENT, started_on=date(2025, 1, 1)
        )
        services.answer_survey(
            Actor(user, "person"), "person", {"relationship.hope": str(score)}, today=Q1
        )
    scope = open_scope(world.users[Persona.ANALYST], ScopeKind.UNIT, world.ward.pk)
    by_theme = {g.theme: g for g in survey_gaps(scope, Q1)}
    assert by_theme[HOPE].gap == 1.5
    assert by_theme["practice.personal.strengths"].suppressed  # nobody rated it
    assert survey_gaps(scope, date(2026, 4, 1))[0].suppressed  # another quarter: nothing


def test_survey_page_for_a_person_and_for_staff(world: World, client_as: ClientAs) -> None:
    ask_on_ward(world)
    url = reverse("insight:survey")
    person = client_as(Persona.P1)
    page = person.get(url).content.decode()
    assert "How recovery-oriented is this place?" in page
    assert person.post(url, {"relationship.hope": "4"}).status_code == 302
    assert "You have answered this quarter" in person.get(url).content.decode()
    staff_page = client_as(Persona.KEY_WORKER).get(url).content.decode()
    assert "How recovery-oriented is our unit?" in staff_page
    assert client_as(Persona.FAMILY).get(url).status_code == 404


def test_gap_page_shows_a_chart_and_its_table(world: World, client_as: ClientAs) -> None:
    page = client_as(Persona.ANALYST).get(
        reverse("insight:gap", kwargs={"pk": world.ward.pk}), {"quarter": "2026-01"}
    )
    text = page.content.decode()
    assert page.status_code == 200
    assert "<svg" in text
    assert "Gap (staff minus persons)" in text
