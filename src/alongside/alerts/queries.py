"""Read helpers for the alerts pages: a person's alerts in words, and her crisis plan to show
first. Callers have opened the person through the access layer; nothing here checks access."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from alongside.alerts.models import Alert, AlertKind
from alongside.measures.charts import format_number
from alongside.measures.models import Instrument
from alongside.measures.reliable import Basis
from alongside.people.models import Person
from alongside.safety.models import CrisisPlanVersion

SHOWN = 20


@dataclass(frozen=True)
class Shown:
    alert: Alert
    what: str
    why: str


def _number(value: object) -> str:
    return format_number(float(value)) if isinstance(value, int | float) else "?"


def describe(alert: Alert, names: dict[str, str], *, staff: bool) -> Shown:
    """What raised the alert, in the reader's language, from its codes and numbers."""
    params = alert.params
    instrument = names.get(str(params.get("instrument")), str(params.get("instrument", "")))
    if alert.kind == AlertKind.RISK_ITEM:
        what = _("%(instrument)s: an answer to a question about risk needs a response today.") % {
            "instrument": instrument
        }
        why = _("Item %(item)s was answered %(value)s; the threshold is %(at_least)s.") % {
            "item": str(params.get("item", "")).lstrip("q"),
            "value": _number(params.get("value")),
            "at_least": _number(params.get("at_least")),
        }
        return Shown(alert, what, why if staff else "")
    what = _("%(instrument)s: worse than last time, from %(previous)s to %(current)s.") % {
        "instrument": instrument,
        "previous": _number(params.get("previous")),
        "current": _number(params.get("current")),
    }
    basis = params.get("basis")
    points = _number(params.get("threshold"))
    if basis == Basis.SERVICE:
        why = _(
            "A reliable change (Jacobson-Truax: %(points)s points or more, from this service's "
            "alpha %(alpha)s on %(n)s answers)."
        ) % {
            "points": points,
            "alpha": number_format(float(str(params.get("alpha") or 0)), decimal_pos=2),
            "n": params.get("n"),
        }
    elif basis == Basis.PUBLISHED:
        why = _("A reliable change by the published threshold (%(points)s points or more).") % {
            "points": points
        }
    else:
        why = _(
            "A change of %(points)s points or more: a size we chose, not a claim about chance."
        ) % {"points": points}
    return Shown(alert, what, why if staff else "")


def alerts_for(person: Person, language: str, *, staff: bool) -> tuple[list[Shown], list[Shown]]:
    """Her open alerts (all of them) and the latest acknowledged ones, described."""
    names = {i.code: i.name(language) for i in Instrument.objects.all()}
    rows = list(
        Alert.objects.filter(person=person, acknowledged_at__isnull=True).select_related("unit")
    )
    done = list(
        Alert.objects.filter(person=person, acknowledged_at__isnull=False).select_related(
            "acknowledged_by"
        )[:SHOWN]
    )
    return (
        [describe(a, names, staff=staff) for a in rows],
        [describe(a, names, staff=staff) for a in done],
    )


def crisis_plan_first(person: Person) -> tuple[CrisisPlanVersion | None, bool]:
    """The newest version she confirmed (or, if none, the newest draft) and whether it is
    confirmed: the same choice as the emergency view."""
    versions = list(CrisisPlanVersion.objects.filter(person=person).order_by("-number")[:50])
    confirmed = next((v for v in versions if v.confirmed_at), None)
    if confirmed is not None:
        return confirmed, True
    return (versions[0] if versions else None), False
