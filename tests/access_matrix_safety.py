"""Access declarations for the crisis plan and break-the-glass.

The crisis plan needs the ``crisis_plan`` section: P1, the key worker and the family member P1
invited with crisis-plan-only scope. The caseworker's scope does not include it. Break-the-glass
is for clinicians of the hospital where P1 stays who are outside P1's network (the nurse on the
other ward); the municipal caseworker, the analyst and everyone else get 404. Those who already
see the plan are sent straight to the emergency view.
"""

from __future__ import annotations

from typing import Any

from tests.access_declarations import Declaration, P, only, p1, statuses
from tests.personas import World

READERS = [P.P1, P.KEY_WORKER, P.FAMILY]


def version(world: World) -> dict[str, Any]:
    return {"person_id": world.p1.pk, "number": world.crisis_version.number}


BREAK_GLASS = statuses(404, p1=302, key_worker=302, family=302, other_unit_staff=200, anonymous=302)

SAFETY: dict[str, Declaration] = {
    "safety:crisis_plan": Declaration("get", only(READERS), kwargs=p1),
    "safety:crisis_edit": Declaration("get", only([P.P1, P.KEY_WORKER]), kwargs=p1),
    "safety:crisis_confirm": Declaration("post", only([P.P1], ok=302), kwargs=version, writes=True),
    "safety:emergency": Declaration("get", only(READERS), kwargs=p1),
    "safety:break_glass": Declaration("get", BREAK_GLASS, kwargs=p1),
    # Hospital clinicians with a care role: the key worker and the nurse on the other ward.
    "emergency:find": Declaration("get", only([P.KEY_WORKER, P.OTHER_UNIT_STAFF])),
}

SAFETY_ALSO: list[tuple[str, Declaration]] = [
    (
        "safety:crisis_edit",
        Declaration(
            "post",
            only([P.P1, P.KEY_WORKER], ok=302),
            kwargs=p1,
            data=lambda w: {"early_signs": "I stop sleeping", "what_helps": "A walk"},
            writes=True,
        ),
    ),
    (
        "safety:break_glass",
        Declaration(
            "post",
            statuses(404, p1=302, key_worker=302, family=302, other_unit_staff=302, anonymous=302),
            kwargs=p1,
            data=lambda w: {"reason": "Brought in confused at night; need treatment wishes"},
            writes=True,
        ),
    ),
]
