"""Reading a person's network. Callers must already hold access to the person (access layer).

What each member *sees* is read from ``access.who_can_see``, which asks ``resolve_access``: the
same source as the person's own network page. A member who also works on her ward sees every
section whatever the membership names, and the staff list says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from alongside import access
from alongside.network.models import CareNetworkMembership
from alongside.network.scopes import Section
from alongside.people.models import Person


@dataclass(frozen=True)
class MemberView:
    name: str
    role_label: str
    organisation: str
    # What they can open now (resolve_access), and what the person chose for the membership.
    sections: list[Section]
    since: datetime
    informal: bool
    chosen: list[Section]
    # Their other grounds, in words, when those let them see more than she chose.
    also: list[str]

    @property
    def chosen_labels(self) -> str:
        return ", ".join(str(section.label) for section in self.chosen)

    @property
    def sees_more_than_chosen(self) -> bool:
        return set(self.sections) > set(self.chosen)


def active_members(person: Person, *, now: datetime | None = None) -> list[MemberView]:
    """Who is in the network now, and what each can actually see (from the access layer)."""
    from alongside.network.consent import reason_text

    moment = now or timezone.now()
    memberships = (
        CareNetworkMembership.objects.active_at(moment)
        .filter(person=person)
        .select_related("member", "organisation")
        .order_by("started_at", "id")
    )
    viewers = {viewer.user.pk: viewer for viewer in access.who_can_see(person, now=moment)}
    members = []
    for m in memberships:
        viewer = viewers.get(m.member_id)
        sees = viewer.sections if viewer is not None else frozenset()
        others = [r for r in (viewer.reasons if viewer else ()) if r.membership_id != m.pk]
        members.append(
            MemberView(
                name=m.member.shown_name,
                role_label=m.get_role_display(),
                organisation=m.organisation.name if m.organisation else "",
                sections=[s for s in Section if s in sees],
                since=m.started_at,
                informal=m.is_informal,
                chosen=list(m.sections),
                also=[
                    reason_text(r, to_person=False) for r in others if r.sections - set(m.sections)
                ],
            )
        )
    return members
