"""What the network page tells the person about who can see her record, and why.

Everything here is read from ``access.who_can_see``, which asks ``access.resolve_access`` for each
person with a relationship to her: the page cannot say "cannot see" while the access layer lets
someone in. The reasons are codes (``access.Ground``) put into words here, in the reader's
language.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from alongside import access
from alongside.network.models import SupporterRelation
from alongside.network.scopes import Section
from alongside.organisations.models import Role, UnitKind


def _role_label(code: str) -> str:
    if code in Role.values:
        return str(Role(code).label)
    if code in SupporterRelation.values:
        return str(SupporterRelation(code).label)
    return code


def reason_text(reason: access.Reason, *, to_person: bool) -> str:
    """One reason in plain words: "your key worker", "works on your ward", "emergency, ..."."""
    role = _role_label(reason.role)
    where = f"{role}, {reason.place}" if reason.place else role
    if reason.ground is access.Ground.KEY_WORKER:
        text = _("your key worker") if to_person else _("key worker in the network")
        return f"{text} ({reason.place})" if reason.place else text
    if reason.ground is access.Ground.NETWORK:
        if to_person:
            return _("in your network: %(who)s") % {"who": where}
        return _("in the network: %(who)s") % {"who": where}
    if reason.ground is access.Ground.WARD:
        if reason.unit_kind == UnitKind.WARD:
            if to_person:
                return _("works on your ward: %(who)s") % {"who": where}
            return _("works on the ward: %(who)s") % {"who": where}
        if to_person:
            return _("works where you stay: %(who)s") % {"who": where}
        return _("works where the person stays: %(who)s") % {"who": where}
    if reason.ground is access.Ground.FOLLOW_UP:
        day = date_format(date.fromisoformat(reason.detail), "DATE_FORMAT")
        if to_person:
            return _("follows up after your stay, until %(date)s (reading only): %(who)s") % {
                "date": day,
                "who": where,
            }
        return _("follow-up after discharge, until %(date)s (reading only): %(who)s") % {
            "date": day,
            "who": where,
        }
    until = date_format(localtime(reason.until), "SHORT_DATETIME_FORMAT") if reason.until else ""
    return _("emergency, reason: %(reason)s (until %(until)s)") % {
        "reason": reason.detail,
        "until": until,
    }


@dataclass(frozen=True)
class ViewerRow:
    """One line of "Who can see what, and why"."""

    name: str
    user_id: int
    reasons: list[str]
    shows: list[tuple[Section, bool]]
    sections: frozenset[Section]
    she_can_change: bool
    fixed_by_others: bool


def viewer_rows(
    grant: access.PersonAccess, viewers: list[access.Viewer] | None = None
) -> list[ViewerRow]:
    """Everyone who can see something of her now, in a stable order: network first (in the
    order they joined), then staff where she stays, then emergencies."""
    found = viewers if viewers is not None else access.who_can_see(grant.person)
    rows = []
    for viewer in found:
        rows.append(
            ViewerRow(
                name=viewer.user.shown_name,
                user_id=viewer.user.pk,
                reasons=[reason_text(r, to_person=grant.is_self) for r in viewer.reasons],
                shows=[(section, section in viewer.sections) for section in Section],
                sections=viewer.sections,
                she_can_change=any(r.she_can_change for r in viewer.reasons),
                fixed_by_others=viewer.fixed_by_others,
            )
        )
    return rows
