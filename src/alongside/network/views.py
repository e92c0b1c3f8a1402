"""The care network page: who is in the person's network and, in plain words, what each sees.

Who may open it: the person themself, and staff who work with them in the unit where they stay
(a care role during an active stay; the key worker, say). Everyone else gets 404, external
partners in the network included: they see the parts they were given, not who else was.

The person invites staff of any organisation and their own supporters, sets what each sees, and
ends memberships. Staff may do the same together with the person; they tick a box to say so and
the audit records it. Every change takes effect at once, because the access layer reads the
memberships on every request.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from alongside import access
from alongside.accounts.addresses import client_address
from alongside.core.pages import add_errors
from alongside.network import consent, services
from alongside.network.forms import (
    ActivateForm,
    EndForm,
    InviteStaffForm,
    InviteSupporterForm,
    SectionsForm,
)
from alongside.network.messages import ENDED, NARROWED
from alongside.network.models import CareNetworkMembership, NetworkProposal, ProposalKind
from alongside.network.scopes import Section
from alongside.notifications.messages import MessageKind
from alongside.notifications.services import notify
from alongside.organisations.models import StaffRole
from alongside.people.models import Stay, StayStatus

SEARCH_LIMIT = 20


def open_network(request: HttpRequest, person_id: int, *, why: str) -> access.PersonAccess:
    """The person, or staff of the unit where they stay; 404 for anyone else (audited read)."""
    found = access.resolve_access(request.user, person_id)
    if found is None or not (found.is_self or found.basis is access.Basis.UNIT):
        raise Http404()
    return access.open_person(request, person_id, Section.PLAN, why=f"network: {why}")


def _form_kwargs(grant: access.PersonAccess) -> dict[str, Any]:
    return {"person_name": grant.person.shown_name, "staff": not grant.is_self}


def _membership(grant: access.PersonAccess, membership_id: int) -> CareNetworkMembership:
    found = (
        CareNetworkMembership.objects.active_at(timezone.now())
        .filter(pk=membership_id, person=grant.person)
        .select_related("member")
        .first()
    )
    if found is None:
        raise Http404()
    return found


def _labels(sections: list[Section]) -> str:
    return ", ".join(str(section.label) for section in sections)


@dataclass
class MemberRow:
    membership: CareNetworkMembership
    name: str
    belongs_to: str
    shows: list[tuple[Section, bool]]
    seen: str
    unseen: str
    since: datetime
    form: SectionsForm
    end_form: EndForm = field(repr=False)
    # Something she cannot change (a role on her ward) already lets them see all of this.
    fixed_by_others: bool = False
    chosen: str = ""


def _rows(
    grant: access.PersonAccess,
    bound: dict[int, SectionsForm | EndForm] | None = None,
    viewers: list[access.Viewer] | None = None,
) -> list[MemberRow]:
    memberships = (
        CareNetworkMembership.objects.active_at(timezone.now())
        .filter(person=grant.person)
        .select_related("member", "organisation")
        .order_by("started_at", "pk")
    )
    bound = bound or {}
    # What each member can see is what the access layer gives them, not only what the
    # membership names: a member who also works on her ward sees everything.
    effective = {viewer.user.pk: viewer for viewer in (viewers or access.who_can_see(grant.person))}
    rows = []
    for membership in memberships:
        name = membership.member.shown_name
        viewer = effective.get(membership.member_id)
        chosen = membership.sections
        sections = tuple(s for s in Section if s in viewer.sections) if viewer is not None else ()
        prefix = f"m{membership.pk}"
        form = bound.get(membership.pk)
        sections_form = (
            form
            if isinstance(form, SectionsForm)
            else SectionsForm(
                prefix=prefix,
                initial={"sections": [s.value for s in chosen]},
                **_form_kwargs(grant),
            )
        )
        sections_form.fields["sections"].label = _("What %(name)s can see") % {"name": name}
        end_form = (
            form
            if isinstance(form, EndForm)
            else EndForm(prefix=f"end{prefix}", **_form_kwargs(grant))
        )
        rows.append(
            MemberRow(
                membership=membership,
                name=name,
                belongs_to=(
                    membership.get_role_display()
                    + (f", {membership.organisation.name}" if membership.organisation else "")
                ),
                shows=[(section, section in sections) for section in Section],
                seen=_labels(list(sections)),
                unseen=_labels([s for s in Section if s not in sections]),
                since=membership.started_at,
                form=sections_form,
                end_form=end_form,
                fixed_by_others=viewer is not None and viewer.fixed_by_others,
                chosen=_labels(list(chosen)),
            )
        )
    return rows


def _page(
    request: HttpRequest,
    grant: access.PersonAccess,
    bound: dict[int, SectionsForm | EndForm] | None = None,
) -> HttpResponse:
    units = sorted(
        {
            stay.unit.name
            for stay in Stay.objects.filter(
                person=grant.person, status=StayStatus.ACTIVE
            ).select_related("unit")
        }
    )
    viewers = access.who_can_see(grant.person)
    proposals = services.open_proposals(grant.person)
    context = {
        "proposals": [(p, services.proposal_code(p) if grant.is_self else "") for p in proposals],
        "activations": services.waiting_activations(grant.person) if grant.is_self else [],
        "recently_ended": services.recently_ended(grant.person) if grant.is_self else [],
        "person": grant.person,
        "grant": grant,
        "rows": _rows(grant, bound, viewers),
        "viewers": consent.viewer_rows(grant, viewers),
        "sections": list(Section),
        "units": ", ".join(units),
    }
    return render(request, "network/network.html", context)


@require_http_methods(["GET"])
@login_required
def network(request: HttpRequest, person_id: int) -> HttpResponse:
    """Who is in the network and what each can see, with the controls to change it."""
    grant = open_network(request, person_id, why="who sees what")
    return _page(request, grant)


@require_POST
@login_required
def sections(request: HttpRequest, person_id: int, membership_id: int) -> HttpResponse:
    """Change what one member sees. Takes effect on their next request."""
    grant = open_network(request, person_id, why="change what a member sees")
    membership = _membership(grant, membership_id)
    form = SectionsForm(request.POST, prefix=f"m{membership.pk}", **_form_kwargs(grant))
    if form.is_valid():
        chosen = form.chosen()
        widens = not set(chosen) <= set(membership.sections)
        try:
            if widens and not grant.is_self:
                # Only the person lets someone see more: staff propose, she decides.
                services.propose(
                    grant.actor,
                    grant.person,
                    ProposalKind.SECTIONS,
                    chosen,
                    membership=membership,
                )
            else:
                services.set_sections(
                    grant.actor, membership, chosen, with_person=not grant.is_self
                )
        except ValidationError as invalid:
            add_errors(form, invalid)
        else:
            name = membership.member.shown_name
            if widens and not grant.is_self:
                messages.success(request, _proposed_message(grant))
            else:
                if not grant.is_self:
                    _tell_narrowed(grant, membership, NARROWED)
                messages.success(
                    request,
                    _("Saved. %(name)s can now see: %(sections)s.")
                    % {"name": name, "sections": _labels(list(membership.sections))},
                )
            return redirect("network:network", person_id=person_id)
    return _page(request, grant, {membership.pk: form})


def _proposed_message(grant: access.PersonAccess) -> str:
    return _(
        "Proposed. Nothing changes until %(name)s agrees, on their own login or by typing here "
        "the code their page shows."
    ) % {"name": grant.person.shown_name}


def _tell_narrowed(
    grant: access.PersonAccess, membership: CareNetworkMembership, kind: MessageKind
) -> None:
    if grant.person.user is not None:
        notify(
            [grant.person.user],
            kind,
            {"name": grant.user.shown_name, "member": membership.member.shown_name},
            reverse("network:network", args=[grant.person.pk]),
        )


@require_POST
@login_required
def end(request: HttpRequest, person_id: int, membership_id: int) -> HttpResponse:
    """Stop sharing with a member. Their access ends at once."""
    grant = open_network(request, person_id, why="end a membership")
    membership = _membership(grant, membership_id)
    form = EndForm(request.POST, prefix=f"endm{membership.pk}", **_form_kwargs(grant))
    if form.is_valid() and request.POST.get("confirmed") != "yes":
        # Ask first: ending takes everything away at once.
        context = {
            "person": grant.person,
            "grant": grant,
            "membership": membership,
            "form": form,
            "undo_days": services.UNDO_DAYS,
        }
        return render(request, "network/end_confirm.html", context)
    if form.is_valid():
        services.end_membership(grant.actor, membership, with_person=not grant.is_self)
        if not grant.is_self:
            _tell_narrowed(grant, membership, ENDED)
        messages.success(
            request,
            _("%(name)s is no longer in the network and can see nothing from now on.")
            % {"name": membership.member.shown_name}
            + (
                " "
                + _("You can undo this on this page for %(days)s days.")
                % {"days": services.UNDO_DAYS}
                if grant.is_self
                else ""
            ),
        )
        return redirect("network:network", person_id=person_id)
    return _page(request, grant, {membership.pk: form})


@require_POST
@login_required
def undo_end(request: HttpRequest, person_id: int, membership_id: int) -> HttpResponse:
    """The person takes back a recent ending: the member sees what they saw before."""
    grant = open_network(request, person_id, why="undo an ending")
    if not grant.is_self:
        raise Http404()
    ended = (
        CareNetworkMembership.objects.filter(pk=membership_id, person=grant.person)
        .select_related("member")
        .first()
    )
    if ended is None:
        raise Http404()
    try:
        services.undo_end(grant.actor, ended)
    except ValidationError as invalid:
        messages.error(request, " ".join(invalid.messages))
    else:
        messages.success(
            request,
            _("%(name)s is back in the network and can see: %(sections)s.")
            % {"name": ended.member.shown_name, "sections": _labels(list(ended.sections))},
        )
    return redirect("network:network", person_id=person_id)


@require_POST
@login_required
def reinvite(request: HttpRequest, person_id: int, membership_id: int) -> HttpResponse:
    """The person invites a former supporter again: the same login, the sections she chooses."""
    grant = open_network(request, person_id, why="invite a supporter again")
    if not grant.is_self:
        raise Http404()
    former = (
        CareNetworkMembership.objects.filter(
            pk=membership_id, person=grant.person, ended_at__isnull=False
        )
        .select_related("member")
        .first()
    )
    if former is None or not former.is_informal:
        raise Http404()
    chosen = [Section(v) for v in request.POST.getlist("sections") if v in Section.values]
    try:
        membership = services.reinvite_supporter(grant.actor, former, chosen)
    except ValidationError as invalid:
        messages.error(request, " ".join(invalid.messages))
        return redirect("network:invite_supporter", person_id=person_id)
    messages.success(
        request,
        _("%(name)s is now in the network and can see: %(sections)s.")
        % {
            "name": membership.member.shown_name,
            "sections": _labels(list(membership.sections)),
        },
    )
    return redirect("network:network", person_id=person_id)


def _staff_matches(grant: access.PersonAccess, query: str) -> list[tuple[StaffRole, str]]:
    """Staff with a current role in any organisation whose name matches; at most 20."""
    term = query.strip()
    if len(term) < 2:
        return []
    candidates = StaffRole.objects.current().filter(
        Q(user__display_name__icontains=term)
        | Q(user__first_name__icontains=term)
        | Q(user__last_name__icontains=term),
        user__is_active=True,
    )
    if grant.person.user_id is not None:
        candidates = candidates.exclude(user_id=grant.person.user_id)
    found = candidates.select_related("user", "unit__organisation").order_by(
        "user__display_name", "user__username", "pk"
    )[:SEARCH_LIMIT]
    return [
        (
            role,
            f"{role.user.shown_name}: {role.get_role_display()}, {role.unit.name}, "
            f"{role.unit.organisation.name}",
        )
        for role in found
    ]


@require_http_methods(["GET", "POST"])
@login_required
def invite_staff(request: HttpRequest, person_id: int) -> HttpResponse:
    """Find a staff member of any organisation by name and choose what they may see."""
    grant = open_network(request, person_id, why="invite staff")
    data = request.POST if request.method == "POST" else None
    query = (request.POST if data else request.GET).get("q", "")[:100]
    matches = _staff_matches(grant, query)
    form = InviteStaffForm(data, choices=matches, initial={"q": query}, **_form_kwargs(grant))
    if data is not None and form.is_valid():
        try:
            if not grant.is_self:
                services.propose(
                    grant.actor,
                    grant.person,
                    ProposalKind.INVITE_STAFF,
                    form.chosen(),
                    staff_role=form.cleaned_data["member"],
                )
                messages.success(request, _proposed_message(grant))
                return redirect("network:network", person_id=person_id)
            membership = services.invite_staff(
                grant.actor, grant.person, form.cleaned_data["member"], form.chosen()
            )
        except ValidationError as invalid:
            add_errors(form, invalid)
        else:
            messages.success(
                request,
                _("%(name)s is now in the network and can see: %(sections)s.")
                % {
                    "name": membership.member.shown_name,
                    "sections": _labels(list(membership.sections)),
                },
            )
            return redirect("network:network", person_id=person_id)
    context = {
        "person": grant.person,
        "grant": grant,
        "form": form,
        "query": query,
        "matches": matches,
    }
    return render(request, "network/invite_staff.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def invite_supporter(request: HttpRequest, person_id: int) -> HttpResponse:
    """Invite family or a friend. The person's own invitation works at once and shows her the
    activation code to hand over; staff only propose it."""
    grant = open_network(request, person_id, why="invite a supporter")
    form = InviteSupporterForm(
        request.POST if request.method == "POST" else None, **_form_kwargs(grant)
    )
    if form.is_bound and form.is_valid() and not grant.is_self:
        try:
            services.propose(
                grant.actor,
                grant.person,
                ProposalKind.INVITE_SUPPORTER,
                form.chosen(),
                supporter_name=form.cleaned_data["name"],
                relation=form.cleaned_data["relation"],
            )
        except ValidationError as invalid:
            add_errors(form, invalid)
        else:
            messages.success(request, _proposed_message(grant))
            return redirect("network:network", person_id=person_id)
    if form.is_bound and form.is_valid() and grant.is_self:
        try:
            membership, username, code = services.invite_supporter(
                grant.actor,
                grant.person,
                name=form.cleaned_data["name"],
                relation=form.cleaned_data["relation"],
                sections=form.chosen(),
                with_person=not grant.is_self,
            )
        except ValidationError as invalid:
            add_errors(form, invalid)
        else:
            context = {
                "person": grant.person,
                "grant": grant,
                "membership": membership,
                "username": username,
                "code": code,
                "seen": _labels(list(membership.sections)),
            }
            response = render(request, "network/invited.html", context)
            response["Cache-Control"] = "no-store"
            return response
    context = {
        "person": grant.person,
        "grant": grant,
        "form": form,
        "former": services.former_supporters(grant.person) if grant.is_self else [],
        "sections": list(Section),
    }
    return render(request, "network/invite_supporter.html", context)


def _proposal(grant: access.PersonAccess, proposal_id: int) -> NetworkProposal:
    found = (
        NetworkProposal.objects.filter(pk=proposal_id, person=grant.person)
        .select_related("membership__member", "staff_role__user", "staff_role__unit__organisation")
        .first()
    )
    if found is None or not found.is_open:
        raise Http404()
    return found


@require_POST
@login_required
def answer(request: HttpRequest, person_id: int, proposal_id: int) -> HttpResponse:
    """The person, on her own login, agrees to a proposal or declines it."""
    grant = open_network(request, person_id, why="answer a proposal")
    if not grant.is_self:
        raise Http404()
    proposal = _proposal(grant, proposal_id)
    if request.POST.get("answer") == "accept":
        try:
            membership = services.accept(grant.actor, proposal)
        except ValidationError as invalid:
            messages.error(request, " ".join(invalid.messages))
            return redirect("network:network", person_id=person_id)
        if proposal.kind == ProposalKind.INVITE_SUPPORTER:
            # Her own login: she sees the new supporter's code now, to hand over.
            context = {
                "person": grant.person,
                "grant": grant,
                "membership": membership,
                "username": membership.member.username,
                "code": services.activation_code(membership.member.activation),
                "seen": _labels(list(membership.sections)),
            }
            response = render(request, "network/invited.html", context)
            response["Cache-Control"] = "no-store"
            return response
        messages.success(
            request,
            _("%(name)s is now in the network and can see: %(sections)s.")
            % {
                "name": membership.member.shown_name,
                "sections": _labels(list(membership.sections)),
            },
        )
    elif request.POST.get("answer") == "decline":
        services.decline(grant.actor, proposal)
        messages.success(request, _("Declined. Nothing changed."))
    return redirect("network:network", person_id=person_id)


@require_POST
@login_required
def confirm_code(request: HttpRequest, person_id: int, proposal_id: int) -> HttpResponse:
    """Staff, with the person in the room: she types the code her own page shows."""
    grant = open_network(request, person_id, why="confirm a proposal in person")
    if grant.is_self:
        raise Http404()
    proposal = _proposal(grant, proposal_id)
    try:
        membership = services.confirm_with_code(
            grant.actor, proposal, request.POST.get("code", "")[:20]
        )
    except ValidationError as invalid:
        messages.error(request, " ".join(invalid.messages))
    else:
        if proposal.kind == ProposalKind.INVITE_SUPPORTER and grant.person.user_id is None:
            # She has no login of her own to find the code on: it is shown once, here, with her
            # in the room, for her to hand over (the proposal was confirmed with her code).
            context = {
                "person": grant.person,
                "grant": grant,
                "membership": membership,
                "username": membership.member.username,
                "code": services.code_to_hand_over(grant.actor, membership),
                "seen": _labels(list(membership.sections)),
                "handed_over_by_her": True,
            }
            response = render(request, "network/invited.html", context)
            response["Cache-Control"] = "no-store"
            return response
        if proposal.kind == ProposalKind.INVITE_SUPPORTER:
            messages.success(
                request,
                _(
                    "Done. The login for %(name)s is on %(person)s's own page, for them to hand "
                    "over. It is not shown here."
                )
                % {"name": membership.member.shown_name, "person": grant.person.shown_name},
            )
        else:
            messages.success(
                request,
                _("Confirmed by %(person)s. %(name)s can now see: %(sections)s.")
                % {
                    "person": grant.person.shown_name,
                    "name": membership.member.shown_name,
                    "sections": _labels(list(membership.sections)),
                },
            )
    return redirect("network:network", person_id=person_id)


@require_http_methods(["GET", "POST"])
def activate(request: HttpRequest) -> HttpResponse:
    """A supporter sets their own password with the code the person handed them."""
    form = ActivateForm(request.POST if request.method == "POST" else None)
    status = 200
    if form.is_bound and form.is_valid():
        try:
            services.activate_supporter(
                form.cleaned_data["username"],
                form.cleaned_data["code"],
                form.cleaned_data["password"],
                address=client_address(request),
            )
        except ValidationError as invalid:
            add_errors(form, invalid)
            status = 429 if isinstance(invalid, services.TooManyTries) else 200
        else:
            messages.success(request, _("Your login is ready. Log in with your new password."))
            return redirect("accounts:login")
    return render(request, "network/activate.html", {"form": form}, status=status)
