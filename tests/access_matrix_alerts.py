"""Access declarations for the alerts URLs (see access_matrix.py).

"What to do now" needs P1's ``measures`` section: P1 herself and her key worker. Everyone else
gets 404: the other person (P2), family (crisis plan only), the caseworker (plan and meetings,
not measures), staff of another unit, an expired member, the analyst and the administrator.
Acknowledging is care staff's: P1 herself gets 404 as well.

The alert is raised the real way: P1 answers the CHIME check-in at 7 and then at 3, worse by
the chosen 2 points or more.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from alongside.alerts.models import Alert
from tests.access_declarations import Declaration, P, only, p1
from tests.access_matrix_measures import answer_chime
from tests.personas import World


def raise_alert(world: World) -> Alert:
    answer_chime(world, 7, at=timezone.now() - timedelta(days=2))
    answer_chime(world, 3)
    return Alert.objects.filter(person=world.p1).latest("raised_at")


def alert_kwargs(world: World) -> dict[str, Any]:
    return {"person_id": world.p1.pk, "alert_id": raise_alert(world).pk}


def p1_with_alert(world: World) -> dict[str, Any]:
    raise_alert(world)
    return p1(world)


ALERTS: dict[str, Declaration] = {
    "alerts:now": Declaration(
        "get",
        only([P.P1, P.KEY_WORKER]),
        kwargs=p1_with_alert,
        notes="her crisis plan first, then her alerts; measures section",
    ),
    "alerts:acknowledge": Declaration(
        "post",
        only([P.KEY_WORKER], ok=302),
        kwargs=alert_kwargs,
        writes=True,
        notes="care staff acknowledge; the person and everyone without measures access get 404",
    ),
}
