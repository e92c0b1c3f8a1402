"""Access declarations for the measures URLs (see access_matrix.py).

Every person page needs P1's ``measures`` section: P1 themself and their key worker (unit role and
network, all sections). The caseworker's scope (plan and meetings) does not include measures,
family see the crisis plan only, and the rest have no relationship to P1: all 404.

Who writes what: the person answers, or staff fill it in with them; both pick the areas to talk
about and record what was agreed. Only staff schedule a measure or stop a schedule (the person gets
404). The due list at /measures/ is a staff page: anyone with a current staff role gets it (with
only the persons whose measures they may see); persons and family get 404.

The objects these URLs need (a response, a schedule, an instrument with talk areas) are made by
the helpers below, through the measures services, when a declaration's parameters are filled in.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from alongside.audit.log import Actor
from alongside.measures import services
from alongside.measures.definitions import TRANSLATION, current_version, load_definition
from alongside.measures.models import Instrument, QuestionnaireVersion, Response, Schedule
from alongside.people.models import Person
from tests.access_declarations import STAFF, Declaration, P, only, p1
from tests.personas import Persona, World

CHIME = "chime_checkin"
TALK = "talk_test"


def chime_answers(level: int) -> dict[str, object]:
    return {
        "connectedness": level,
        "hope": level,
        "identity": level,
        "meaning": level,
        "empowerment": level,
    }


def answer_chime(
    world: World, level: int, *, at: datetime | None = None, person: Person | None = None
) -> Response:
    """P1 (or ``person``) answers the CHIME check-in with every process at ``level``."""
    who = person or world.p1
    assert who.user is not None
    version = current_version(Instrument.objects.get(code=CHIME))
    assert version is not None
    return services.submit_response(
        Actor(who.user, "person"), who, version, chime_answers(level), authored_at=at
    )


def _texts(en: str) -> dict[str, Any]:
    return {
        "text": en,
        "_text": {
            "extension": [
                {
                    "url": TRANSLATION,
                    "extension": [
                        {"url": "lang", "valueCode": lang},
                        {"url": "content", "valueString": f"{en} ({lang})"},
                    ],
                }
                for lang in ("da", "ja")
            ]
        },
    }


def talk_instrument() -> QuestionnaireVersion:
    """A small DIALOG-style questionnaire of our own: three areas rated 1-7, then talk."""
    areas = [("home", "Home"), ("friends", "Friends"), ("work", "Work"), ("health", "Health")]
    questionnaire = {
        "resourceType": "Questionnaire",
        "url": "urn:alongside:test:talk",
        "version": "1",
        "status": "active",
        "item": [
            {
                "linkId": code,
                "type": "integer",
                **_texts(f"How happy are you with your {label.lower()}?"),
                "extension": [
                    {"url": "http://hl7.org/fhir/StructureDefinition/minValue", "valueInteger": 1},
                    {"url": "http://hl7.org/fhir/StructureDefinition/maxValue", "valueInteger": 7},
                ],
            }
            for code, label in areas
        ],
    }
    scoring = {
        "scales": [
            {
                "code": "life",
                "label": {"en": "Life", "da": "Liv", "ja": "生活"},
                "items": [code for code, _ in areas],
                "method": "mean",
                "item_min": 1,
                "item_max": 7,
                "max_missing": 0,
                "higher_is_better": True,
                "reliable_change": 1,
                "bands": [
                    {"code": "low", "min": 1, "max": 3.99, "label": {"en": "Not satisfied"}},
                    {"code": "ok", "min": 4, "max": 7, "label": {"en": "Satisfied"}},
                ],
            }
        ],
        "talk_areas": [code for code, _ in areas],
    }
    return load_definition(
        TALK,
        questionnaire,
        scoring,
        names={"en": "Talk test", "da": "Samtaletest", "ja": "会話テスト"},
        picks_talk_areas=True,
    )


def answer_talk(world: World) -> Response:
    version = talk_instrument()
    assert world.p1.user is not None
    return services.submit_response(
        Actor(world.p1.user, "person"),
        world.p1,
        version,
        {"home": 3, "friends": 5, "work": 2, "health": 6},
    )


def schedule_for_p1(world: World) -> Schedule:
    key_worker = world.users[Persona.KEY_WORKER]
    return services.schedule_measure(
        Actor(key_worker, "key_worker"),
        world.p1,
        Instrument.objects.get(code=CHIME),
        kind="every_n_weeks",
        every_weeks=4,
    )


def blocked_schedule(world: World, person: Person, code: str) -> Schedule:
    """A schedule of a measure that cannot be answered now. ``schedule_measure`` refuses these;
    one can still exist from before its wording was withdrawn or its version retired."""
    return Schedule.objects.create(
        person=person,
        instrument=Instrument.objects.get(code=code),
        kind="once",
        next_due_on=timezone.localdate(),
        created_by=world.users[Persona.KEY_WORKER],
    )


def response_kwargs(world: World) -> dict[str, Any]:
    found = answer_chime(world, 4, at=timezone.now() - timedelta(days=1))
    return {"person_id": world.p1.pk, "response_id": found.pk}


def talk_kwargs(world: World) -> dict[str, Any]:
    return {"person_id": world.p1.pk, "response_id": answer_talk(world).pk}


def schedule_kwargs(world: World) -> dict[str, Any]:
    return {"person_id": world.p1.pk, "schedule_id": schedule_for_p1(world).pk}


def chime_kwargs(world: World) -> dict[str, Any]:
    return {"person_id": world.p1.pk, "code": CHIME}


def chime_twice_kwargs(world: World) -> dict[str, Any]:
    answer_chime(world, 3, at=timezone.now() - timedelta(days=30))
    answer_chime(world, 7, at=timezone.now() - timedelta(days=1))
    return chime_kwargs(world)


PERSON_AND_KEY_WORKER = [P.P1, P.KEY_WORKER]

MEASURES: dict[str, Declaration] = {
    "measures:home": Declaration("get", only(PERSON_AND_KEY_WORKER), kwargs=p1),
    "measures:answer": Declaration("get", only(PERSON_AND_KEY_WORKER), kwargs=chime_kwargs),
    "measures:result": Declaration("get", only(PERSON_AND_KEY_WORKER), kwargs=response_kwargs),
    "measures:trend": Declaration("get", only(PERSON_AND_KEY_WORKER), kwargs=chime_twice_kwargs),
    "measures:chime": Declaration("get", only(PERSON_AND_KEY_WORKER), kwargs=chime_twice_kwargs),
    "measures:schedule": Declaration(
        "get", only([P.KEY_WORKER]), kwargs=p1, notes="a staff tool: the person gets 404"
    ),
    "measures:end_schedule": Declaration(
        "post",
        only([P.KEY_WORKER], ok=302),
        kwargs=schedule_kwargs,
        writes=True,
        notes="only staff stop a schedule",
    ),
    "measures_service:due": Declaration(
        "get",
        only(STAFF),
        notes="any current staff role; the list holds only persons whose measures they may see",
    ),
}

MEASURES_ALSO: list[tuple[str, Declaration]] = [
    (
        "measures:answer",
        Declaration(
            "post",
            only(PERSON_AND_KEY_WORKER, ok=302),
            kwargs=chime_kwargs,
            data=lambda w: {**chime_answers(6), "together_with_staff": "on"},
            writes=True,
            notes="the person answers, or staff fill it in with them",
        ),
    ),
    (
        "measures:result",
        Declaration(
            "post",
            only(PERSON_AND_KEY_WORKER, ok=302),
            kwargs=talk_kwargs,
            data=lambda w: {"action": "areas", "areas": ["home", "work"]},
            writes=True,
            notes="the person picks areas to talk about, alone or with staff",
        ),
    ),
    (
        "measures:schedule",
        Declaration(
            "post",
            only([P.KEY_WORKER], ok=302),
            kwargs=p1,
            data=lambda w: {
                "instrument": Instrument.objects.get(code=CHIME).pk,
                "kind": "every_n_weeks",
                "every_weeks": "4",
            },
            writes=True,
            notes="only staff schedule a measure",
        ),
    ),
]
