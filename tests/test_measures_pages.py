"""The measures pages: the person answers and sees their own results first; staff fill in together,
schedule, and see what is due; bad input is refused with a clear message and nothing is saved."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from alongside.audit.log import Actor
from alongside.audit.models import AuditAction, AuditEvent
from alongside.measures import services
from alongside.measures.definitions import TRANSLATION, current_version, load_definition
from alongside.measures.models import Instrument, Response, Schedule, TalkAction, TalkArea
from alongside.network import services as network
from alongside.network.scopes import Section
from alongside.plans.models import GoalStep
from tests.access_matrix_measures import (
    CHIME,
    answer_chime,
    answer_talk,
    blocked_schedule,
    chime_answers,
    schedule_for_p1,
)
from tests.personas import Persona, World

ClientAs = Callable[[Persona], Client]


def url(name: str, world: World, **kwargs: object) -> str:
    return reverse(f"measures:{name}", kwargs={"person_id": world.p1.pk, **kwargs})


def text_of(response: object) -> str:
    content = response.content.decode()  # type: ignore[attr-defined]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", content))


# The person's own page: waiting first, then results.


def test_person_sees_what_is_waiting_before_their_results(
    world: World, client_as: ClientAs
) -> None:
    schedule = schedule_for_p1(world)
    answer_chime(world, 5, at=timezone.now() - timedelta(days=40))
    page = client_as(Persona.P1).get(url("home", world))
    html = page.content.decode()
    assert page.status_code == 200
    assert html.index("Waiting for you") < html.index("Your results")
    assert f"/measures/{CHIME}/answer/?schedule={schedule.pk}" in html
    assert "Due today" in html
    assert html.count("<svg") == 1
    assert "CHIME check-in" in html


def test_nothing_waiting_and_no_results_yet_is_said_plainly(
    world: World, client_as: ClientAs
) -> None:
    page = client_as(Persona.P1).get(url("home", world))
    assert "Nothing is waiting for you right now." in text_of(page)
    assert "When you have answered one of the questionnaires, your results appear here" in text_of(
        page
    )
    assert "<svg" not in page.content.decode()


# Answering.


def test_person_answers_the_chime_check_in_and_sees_the_result(
    world: World, client_as: ClientAs
) -> None:
    client = client_as(Persona.P1)
    form = client.get(url("answer", world, code=CHIME))
    assert "together_with_staff" not in form.content.decode()
    assert 'type="radio" name="hope" value="10"' in form.content.decode()
    sent = client.post(url("answer", world, code=CHIME), {**chime_answers(6), "help": "A walk"})
    saved = Response.objects.get(person=world.p1)
    assert sent.status_code == 302
    assert sent["Location"] == url("result", world, response_id=saved.pk)
    assert saved.together_with_staff is False
    assert saved.answered_by_role == "person"
    result = text_of(client.get(sent["Location"]))
    assert "Your results: CHIME check-in" in result
    assert "Overall 6" in result
    assert "A walk" in result


def test_staff_fill_it_in_together_and_it_is_recorded(world: World, client_as: ClientAs) -> None:
    client = client_as(Persona.KEY_WORKER)
    form = client.get(url("answer", world, code=CHIME)).content.decode()
    assert 'name="together_with_staff"' in form
    assert "Completed together with staff" in form
    client.post(url("answer", world, code=CHIME), {**chime_answers(4), "together_with_staff": "on"})
    saved = Response.objects.get(person=world.p1)
    assert saved.together_with_staff is True
    assert saved.answered_by == world.users[Persona.KEY_WORKER]
    assert saved.answered_by_role == "key_worker"
    page = client_as(Persona.P1).get(url("result", world, response_id=saved.pk))
    assert "completed together with staff" in text_of(page)


def test_answering_a_scheduled_measure_moves_the_schedule_on(
    world: World, client_as: ClientAs
) -> None:
    schedule = schedule_for_p1(world)
    client_as(Persona.P1).post(
        url("answer", world, code=CHIME) + f"?schedule={schedule.pk}",
        {**chime_answers(5), "schedule": schedule.pk},
    )
    schedule.refresh_from_db()
    assert Response.objects.get(person=world.p1).schedule == schedule
    assert schedule.next_due_on == timezone.localdate() + timedelta(weeks=4)
    page = client_as(Persona.P1).get(url("home", world))
    assert "Nothing is waiting for you right now." in text_of(page)


def test_out_of_range_answer_is_refused_beside_the_question_and_nothing_saved(
    world: World, client_as: ClientAs
) -> None:
    answers = {**chime_answers(5), "hope": "11"}
    page = client_as(Persona.P1).post(url("answer", world, code=CHIME), answers)
    html = page.content.decode()
    assert page.status_code == 200
    assert Response.objects.count() == 0
    assert 'role="alert"' in html
    assert 'id="id_hope_error"' in html
    assert 'href="#id_hope_0"' in html
    # What was typed is kept, so nothing needs to be given again.
    assert 'value="5" id="id_empowerment_5" checked' in html or re.search(
        r'name="empowerment" value="5"[^>]*checked', html
    )


def test_not_a_number_is_refused_and_nothing_saved(world: World, client_as: ClientAs) -> None:
    page = client_as(Persona.P1).post(
        url("answer", world, code=CHIME), {**chime_answers(5), "meaning": "lots"}
    )
    assert page.status_code == 200
    assert 'id="id_meaning_error"' in page.content.decode()
    assert Response.objects.count() == 0


def test_licensed_measure_without_wording_says_why_and_offers_no_form(
    world: World, client_as: ClientAs
) -> None:
    client = client_as(Persona.KEY_WORKER)
    page = client.get(url("answer", world, code="phq9"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "This questionnaire cannot be sent yet" in html
    assert "has not been loaded" in html
    assert 'method="post"' not in html.split('id="main"')[1]
    posted = client.post(url("answer", world, code="phq9"), {"q1": "1"})
    assert posted.status_code == 200
    assert Response.objects.count() == 0
    home = text_of(client.get(url("home", world)))
    assert "has not been loaded" in home
    # The person is not offered it at all, rather than told about licences.
    own = client_as(Persona.P1).get(url("home", world)).content.decode()
    assert "PHQ" not in own
    assert f"/measures/{CHIME}/answer/" in own


def test_a_retired_questionnaire_cannot_be_answered(world: World, client_as: ClientAs) -> None:
    version = current_version(Instrument.objects.get(code=CHIME))
    assert version is not None
    services.retire_version(Actor.system(), version)
    client = client_as(Persona.P1)
    page = client.post(url("answer", world, code=CHIME), chime_answers(5))
    assert page.status_code == 200
    assert "cannot be answered" in text_of(page)
    assert Response.objects.count() == 0


def test_answers_to_a_version_retired_meanwhile_are_refused_with_the_reason(
    world: World, client_as: ClientAs
) -> None:
    old = current_version(Instrument.objects.get(code=CHIME))
    assert old is not None
    client = client_as(Persona.P1)
    assert (
        f'name="version" value="{old.pk}"'
        in client.get(url("answer", world, code=CHIME)).content.decode()
    )
    newer = {**old.questionnaire, "version": "2"}
    new = load_definition(CHIME, newer, old.scoring, names={"en": "CHIME check-in"})
    services.retire_version(Actor.system(), old)
    page = client.post(url("answer", world, code=CHIME), {**chime_answers(5), "version": old.pk})
    html = page.content.decode()
    assert page.status_code == 200
    assert "retired" in html
    assert 'role="alert"' in html
    assert Response.objects.count() == 0
    # The page now offers the current version, and the answers given are kept.
    assert f'name="version" value="{new.pk}"' in html
    sent = client.post(url("answer", world, code=CHIME), {**chime_answers(5), "version": new.pk})
    assert sent.status_code == 302
    assert Response.objects.get().version == new


def test_unknown_instrument_is_404(world: World, client_as: ClientAs) -> None:
    assert client_as(Persona.P1).get(url("answer", world, code="nope")).status_code == 404


def _conditional_version() -> None:
    def texts(en: str) -> dict[str, object]:
        return {
            "text": en,
            "_text": {
                "extension": [
                    {
                        "url": TRANSLATION,
                        "extension": [
                            {"url": "lang", "valueCode": lang},
                            {"url": "content", "valueString": f"{en} [{lang}]"},
                        ],
                    }
                    for lang in ("da", "ja")
                ]
            },
        }

    load_definition(
        "sleep_test",
        {
            "resourceType": "Questionnaire",
            "url": "urn:alongside:test:sleep",
            "version": "1",
            "status": "active",
            "item": [
                {
                    "linkId": "poorly",
                    "type": "boolean",
                    "required": True,
                    **texts("Did you sleep poorly?"),
                },
                {
                    "linkId": "nights",
                    "type": "integer",
                    **texts("How many nights?"),
                    "enableWhen": [{"question": "poorly", "operator": "=", "answerBoolean": True}],
                    "extension": [
                        {
                            "url": "http://hl7.org/fhir/StructureDefinition/minValue",
                            "valueInteger": 0,
                        },
                        {
                            "url": "http://hl7.org/fhir/StructureDefinition/maxValue",
                            "valueInteger": 70,
                        },
                    ],
                },
            ],
        },
        {
            "scales": [
                {
                    "code": "nights",
                    "label": {"en": "Nights"},
                    "items": ["nights"],
                    "method": "sum",
                    "item_min": 0,
                    "item_max": 70,
                    "max_missing": 1,
                }
            ]
        },
        names={"en": "Sleep test"},
    )


def test_a_question_that_depends_on_an_answer_appears_when_it_applies(
    world: World, client_as: ClientAs
) -> None:
    _conditional_version()
    client = client_as(Persona.P1)
    address = url("answer", world, code="sleep_test")
    first = client.get(address).content.decode()
    assert re.search(r'<div class="question[^"]*" data-link-id="nights" hidden[^>]*>', first)
    assert re.search(r'name="nights"[^>]*disabled', first)
    assert "hx-post" in first
    # htmx asks which questions apply now; the answer names them and replaces nothing on the
    # page, so answers given while the request was on its way are kept.
    refreshed = client.post(
        address, {"poorly": "true", "_refresh": "1"}, headers={"HX-Request": "true"}
    )
    assert refreshed.content == b""
    enabled = json.loads(refreshed["HX-Trigger"])["measures:enabled"]["ids"]
    assert "nights" in enabled
    assert "poorly" in enabled
    not_poorly = client.post(
        address, {"poorly": "false", "_refresh": "1"}, headers={"HX-Request": "true"}
    )
    assert "nights" not in json.loads(not_poorly["HX-Trigger"])["measures:enabled"]["ids"]
    assert Response.objects.count() == 0
    # Without script, the same button re-asks the server and shows the whole page.
    plain = client.post(address, {"poorly": "true", "_refresh": "1"}).content.decode()
    assert "<html" in plain
    assert Response.objects.count() == 0


def test_an_answer_to_a_question_that_does_not_apply_is_refused(
    world: World, client_as: ClientAs
) -> None:
    _conditional_version()
    page = client_as(Persona.P1).post(
        url("answer", world, code="sleep_test"), {"poorly": "false", "nights": "3"}
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="id_nights_error"' in html
    # The refused question is shown, not hidden, so the person can see what to change.
    assert not re.search(r'name="nights"[^>]*disabled', html)
    assert Response.objects.count() == 0


def test_a_needed_question_says_so_and_is_refused_when_left_out(
    world: World, client_as: ClientAs
) -> None:
    _conditional_version()
    client = client_as(Persona.P1)
    address = url("answer", world, code="sleep_test")
    assert "Did you sleep poorly? (needed)" in client.get(address).content.decode()
    page = client.post(address, {})
    assert 'id="id_poorly_error"' in page.content.decode()
    assert Response.objects.count() == 0
    assert client.post(address, {"poorly": "true", "nights": "4"}).status_code == 302
    assert Response.objects.get().scores["nights"]["value"] == 4


def test_questions_are_shown_in_the_readers_language(world: World, client_as: ClientAs) -> None:
    client = client_as(Persona.P1)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "da"
    page = client.get(url("answer", world, code=CHIME)).content.decode()
    assert "Hvor forbundet har du følt dig" in page
    assert "How connected have you felt" not in page


# Results, trends and CHIME compared.


def test_trend_shows_the_chart_the_table_and_the_reliable_change(
    world: World, client_as: ClientAs
) -> None:
    answer_chime(world, 3, at=timezone.now() - timedelta(days=30))
    answer_chime(world, 7, at=timezone.now() - timedelta(days=1))
    for persona in (Persona.P1, Persona.KEY_WORKER):
        page = client_as(persona).get(url("trend", world, code=CHIME)).content.decode()
        assert page.count("<svg") == 2  # the overall score, then the five processes together
        assert 'role="img"' in page
        # Our own check-in, before the service has enough answers: a chosen size, no "reliably".
        assert "Better by 2 or more" in page
        assert "Reliably better" not in page
        assert 'class="change change-better"' in page
        overall = page.split("<table")[1].split("</table>")[0]
        assert overall.count('<th scope="row">') == 2
        assert "Better by 2 or more" in overall
        processes = page.split("<table")[2].split("</table>")[0]
        assert processes.count('<th scope="row">') == 10
        assert "style=" not in page


def test_chime_comparison_defaults_to_the_latest_two_and_can_pick_dates(
    world: World, client_as: ClientAs
) -> None:
    oldest = answer_chime(world, 1, at=timezone.now() - timedelta(days=60))
    answer_chime(world, 3, at=timezone.now() - timedelta(days=30))
    answer_chime(world, 7, at=timezone.now() - timedelta(days=1))
    client = client_as(Persona.P1)
    page = client.get(url("chime", world, code=CHIME)).content.decode()
    table = page.split("<table")[1]
    assert "Connectedness" in table
    assert "<td>3</td><td>7</td><td>+4</td>" in table
    assert page.count('<g class="radar radar-first"') == 1
    chosen = client.get(url("chime", world, code=CHIME), {"first": oldest.pk}).content.decode()
    assert "<td>1</td><td>7</td><td>+6</td>" in chosen.split("<table")[1]


def test_chime_comparison_needs_two_answers(world: World, client_as: ClientAs) -> None:
    answer_chime(world, 3)
    page = client_as(Persona.P1).get(url("chime", world, code=CHIME))
    assert "Two answers are needed to compare" in text_of(page)
    assert "<svg" not in page.content.decode()


def test_result_of_another_persons_response_is_404(world: World, client_as: ClientAs) -> None:
    theirs = answer_chime(world, 3, person=world.p2)
    page = client_as(Persona.P1).get(url("result", world, response_id=theirs.pk))
    assert page.status_code == 404


# DIALOG: up to three areas to talk about, and an action that becomes a goal step.


def test_person_picks_up_to_three_areas_and_an_action_becomes_a_goal_step(
    world: World, client_as: ClientAs
) -> None:
    response = answer_talk(world)
    client = client_as(Persona.P1)
    address = url("result", world, response_id=response.pk)
    page = client.get(address).content.decode()
    assert "Pick up to three areas" in page
    too_many = client.post(
        address, {"action": "areas", "areas": ["home", "friends", "work", "health"]}
    )
    assert too_many.status_code == 200
    assert "Choose at most three areas." in too_many.content.decode()
    assert TalkArea.objects.count() == 0

    client.post(address, {"action": "areas", "areas": ["work", "home"]})
    areas = list(TalkArea.objects.filter(response=response))
    assert [(a.link_id, a.order) for a in areas] == [("work", 1), ("home", 2)]
    work = areas[0]

    steps_before = GoalStep.objects.count()
    sent = client.post(
        address,
        {
            "action": "agree",
            "area": work.pk,
            f"area{work.pk}-text": "Ask about two days a week at the bakery",
            f"area{work.pk}-goal": world.own_goal.pk,
        },
    )
    assert sent.status_code == 302
    action = TalkAction.objects.get(area=work)
    assert action.goal_step is not None
    assert action.goal_step.goal == world.own_goal
    assert action.goal_step.text == "Ask about two days a week at the bakery"
    assert GoalStep.objects.count() == steps_before + 1
    after = text_of(client.get(address))
    assert "a step in the plan" in after
    # Once something is agreed the areas stay as they are (changing them would lose it).
    assert "Save the areas" not in after
    assert client.post(address, {"action": "areas", "areas": ["health"]}).status_code == 404


def test_an_empty_action_is_refused_and_nothing_saved(world: World, client_as: ClientAs) -> None:
    response = answer_talk(world)
    area = services.choose_talk_areas(Actor(world.users[Persona.P1], "person"), response, ["home"])[
        0
    ]
    page = client_as(Persona.KEY_WORKER).post(
        url("result", world, response_id=response.pk),
        {"action": "agree", "area": area.pk, f"area{area.pk}-text": ""},
    )
    assert page.status_code == 200
    assert f'id="id_area{area.pk}-text_error"' in page.content.decode()
    assert TalkAction.objects.count() == 0


def test_no_talk_areas_for_a_measure_without_them(world: World, client_as: ClientAs) -> None:
    response = answer_chime(world, 5)
    client = client_as(Persona.P1)
    address = url("result", world, response_id=response.pk)
    assert "What to talk about" not in client.get(address).content.decode()
    assert client.post(address, {"action": "areas", "areas": ["hope"]}).status_code == 404


# Family with the measures scope read, but never answer for the person.


def test_supporter_with_measures_scope_reads_but_does_not_answer(
    world: World, client_as: ClientAs
) -> None:
    network.end_membership(Actor.system(), world.family_membership)
    network.add_member(
        Actor.system(),
        world.p1,
        world.users[Persona.FAMILY],
        role="family",
        sections=[Section.MEASURES],
    )
    response = answer_chime(world, 5)
    client = client_as(Persona.FAMILY)
    home = client.get(url("home", world))
    assert home.status_code == 200
    assert "Fill one in" not in home.content.decode()
    assert client.get(url("result", world, response_id=response.pk)).status_code == 200
    assert client.get(url("answer", world, code=CHIME)).status_code == 404
    assert client.post(url("answer", world, code=CHIME), chime_answers(1)).status_code == 404
    assert Response.objects.count() == 1


# Staff: schedules and the due list.


def test_staff_schedule_a_measure_and_stop_it(world: World, client_as: ClientAs) -> None:
    client = client_as(Persona.KEY_WORKER)
    address = url("schedule", world)
    chime = Instrument.objects.get(code=CHIME)
    wrong = client.post(
        address, {"instrument": chime.pk, "kind": "every_n_weeks", "every_weeks": "0"}
    )
    assert wrong.status_code == 200
    assert 'id="id_every_weeks_error"' in wrong.content.decode()
    assert Schedule.objects.count() == 0
    client.post(address, {"instrument": chime.pk, "kind": "every_n_weeks", "every_weeks": "2"})
    client.post(address, {"instrument": chime.pk, "kind": "each_review"})
    kinds = sorted(Schedule.objects.filter(person=world.p1).values_list("kind", "every_weeks"))
    assert kinds == [("each_review", None), ("every_n_weeks", 2)]
    page = text_of(client.get(address))
    assert "every 2 weeks" in page
    repeating = Schedule.objects.get(kind="every_n_weeks")
    stopped = client.post(url("end_schedule", world, schedule_id=repeating.pk))
    assert stopped.status_code == 302
    repeating.refresh_from_db()
    assert repeating.active is False
    assert client.post(url("end_schedule", world, schedule_id=repeating.pk)).status_code == 404


def test_due_list_shows_overdue_first_only_for_persons_the_staff_may_see(
    world: World, client_as: ClientAs
) -> None:
    schedule = schedule_for_p1(world)
    Schedule.objects.filter(pk=schedule.pk).update(
        next_due_on=timezone.localdate() - timedelta(days=3)
    )
    key_worker = client_as(Persona.KEY_WORKER).get(reverse("measures_service:due"))
    html = key_worker.content.decode()
    overdue = html.split('id="overdue-heading"')[1].split('id="due-today-heading"')[0]
    assert "Pia" in overdue
    assert "Overdue since" in overdue
    assert f"/persons/{world.p1.pk}/measures/{CHIME}/answer/?schedule={schedule.pk}" in overdue
    assert AuditEvent.objects.filter(
        action=AuditAction.LIST, person_id=world.p1.pk, actor_id=world.users[Persona.KEY_WORKER].pk
    ).exists()
    caseworker = client_as(Persona.CASEWORKER).get(reverse("measures_service:due"))
    assert caseworker.status_code == 200
    assert "Pia" not in caseworker.content.decode()
    assert "Nothing is overdue." in caseworker.content.decode()


def test_due_list_says_why_a_measure_cannot_be_sent(world: World, client_as: ClientAs) -> None:
    blocked_schedule(world, world.p1, "phq9")
    page = client_as(Persona.KEY_WORKER).get(reverse("measures_service:due")).content.decode()
    assert "has not been loaded" in page
    assert "/measures/phq9/answer/" not in page


def test_dialog_once_its_wording_is_loaded_rate_then_pick_three_areas(
    world: World, client_as: ClientAs
) -> None:
    version = current_version(Instrument.objects.get(code="dialog"))
    assert version is not None
    version.wording_loaded = True
    version.save(update_fields=["wording_loaded"])
    client = client_as(Persona.KEY_WORKER)
    ratings = {f"d{n}": str(1 + n % 7) for n in range(1, 12)}
    helps = {f"d{n}.help": "true" if n in (4, 9) else "false" for n in range(1, 12)}
    sent = client.post(
        url("answer", world, code="dialog"), {**ratings, **helps, "together_with_staff": "on"}
    )
    assert sent.status_code == 302
    response = Response.objects.get(instrument__code="dialog")
    assert response.together_with_staff is True
    page = client.get(sent["Location"]).content.decode()
    assert "Life domains (mean)" in page
    assert "Let the person pick up to three areas to talk about." in page
    assert (
        client.post(sent["Location"], {"action": "areas", "areas": ["d4", "d9", "d1"]}).status_code
        == 302
    )
    assert list(response.talk_areas.values_list("link_id", flat=True)) == ["d4", "d9", "d1"]
    # The person sees the same areas on their own phone, and can add what was agreed.
    mine = client_as(Persona.P1).get(sent["Location"]).content.decode()
    assert mine.index("1. Item 4") < mine.index("2. Item 9") < mine.index("3. Item 1")
    assert "Save what we agreed" in mine


def test_pages_cost_the_same_queries_however_many_answers(
    world: World, client_as: ClientAs
) -> None:
    client = client_as(Persona.KEY_WORKER)
    pages = [url("home", world), url("trend", world, code=CHIME), url("chime", world, code=CHIME)]

    def counts() -> list[int]:
        found = []
        for address in pages:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(address).status_code == 200
            found.append(len(queries))
        return found

    for days in (90, 60):
        answer_chime(world, 3, at=timezone.now() - timedelta(days=days))
    few = counts()
    for days in range(1, 30, 2):
        answer_chime(world, days % 10, at=timezone.now() - timedelta(days=days))
    assert counts() == few
