"""The administration pages of one organisation, for its service administrators only.

Everyone else gets 404, and so does an administrator asking for another organisation's unit,
staff member or person. Nothing here opens a person's plan, notes or other care data: the person
pages show the registration (names, identifiers, stays, key worker) only.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from alongside import access
from alongside.accounts.models import User
from alongside.administration import activation, persons, queries, services
from alongside.administration.forms import (
    ActivationForm,
    AdmitForm,
    ChangeRoleForm,
    EndStayForm,
    InviteForm,
    KeyWorkerForm,
    PersonEditForm,
    PersonForm,
    RoleForm,
    TransferForm,
    UnitEditForm,
    UnitForm,
)
from alongside.administration.identifiers import CPR
from alongside.administration.models import ActivationCode
from alongside.administration.queries import ADMIN_ROLE
from alongside.audit.log import Actor, record
from alongside.audit.models import AuditAction
from alongside.core.pages import add_errors, denied_as_404, require
from alongside.network.scopes import Section
from alongside.organisations.models import Organisation, StaffRole, Unit
from alongside.people.models import Person, Stay, StayStatus


def _admin(request: HttpRequest) -> tuple[Organisation, Actor]:
    user = request.user
    if not isinstance(user, User):
        raise Http404()
    organisation = queries.administered_organisation(user)
    if organisation is None:
        raise Http404()
    return organisation, Actor(user, ADMIN_ROLE)


def _unit(organisation: Organisation, unit_id: int) -> Unit:
    unit = queries.units_of(organisation).filter(pk=unit_id).first()
    require(unit is not None)
    assert unit is not None
    return unit


def _person(
    request: HttpRequest, organisation: Organisation, actor: Actor, person_id: int
) -> Person:
    person = queries.persons_of(organisation).filter(pk=person_id).first()
    require(person is not None)
    assert person is not None
    record(
        actor,
        AuditAction.READ,
        obj=person,
        person_id=person.pk,
        why="registration [administration]",
        request=request,
    )
    return person


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    organisation, _actor = _admin(request)
    context = {
        "organisation": organisation,
        "units": queries.units_of(organisation),
        "staff_count": queries.staff_of(organisation).count(),
        "person_count": queries.persons_of(organisation).count(),
        "pending": queries.pending_invitations(organisation).count(),
    }
    return render(request, "administration/home.html", context)


@require_http_methods(["GET", "POST"])
@login_required
@denied_as_404
def units(request: HttpRequest) -> HttpResponse:
    organisation, actor = _admin(request)
    form = UnitForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            services.create_unit(actor, organisation, **form.cleaned_data)
        except ValidationError as invalid:
            add_errors(form, invalid)
        else:
            messages.success(request, _("The unit is created."))
            return redirect("administration:units")
    context = {"organisation": organisation, "units": queries.units_of(organisation), "form": form}
    return render(request, "administration/units.html", context)


@require_http_methods(["GET", "POST"])
@login_required
@denied_as_404
def unit(request: HttpRequest, unit_id: int) -> HttpResponse:
    organisation, actor = _admin(request)
    the_unit = _unit(organisation, unit_id)
    form = UnitEditForm(
        request.POST if request.method == "POST" else None,
        initial={"name": the_unit.name, "kind": the_unit.kind},
    )
    if form.is_bound and form.is_valid():
        try:
            services.edit_unit(actor, organisation, the_unit, **form.cleaned_data)
        except ValidationError as invalid:
            add_errors(form, invalid)
        else:
            messages.success(request, _("The unit is saved."))
            return redirect("administration:units")
    return render(
        request,
        "administration/unit.html",
        {"organisation": organisation, "unit": the_unit, "form": form},
    )


@require_http_methods(["GET", "POST"])
@login_required
@denied_as_404
def staff(request: HttpRequest) -> HttpResponse:
    organisation, actor = _admin(request)
    if request.method == "POST":
        invitation = (
            queries.pending_invitations(organisation)
            .filter(pk=request.POST.get("invitation_id") or 0)
            .first()
        )
        require(invitation is not None)
        assert invitation is not None
        services.revoke_invitation(actor, organisation, invitation)
        messages.success(request, _("The invitation is withdrawn; its link no longer works."))
        return redirect("administration:staff")
    context = {
        "organisation": organisation,
        "rows": queries.staff_rows(organisation),
        "pending": queries.pending_invitations(organisation),
    }
    return render(request, "administration/staff.html", context)


@require_http_methods(["GET", "POST"])
@login_required
@denied_as_404
def invite(request: HttpRequest) -> HttpResponse:
    organisation, actor = _admin(request)
    units_here = queries.units_of(organisation)
    posted = request.POST if request.method == "POST" else None
    form = InviteForm(posted)
    # The first role is required; the others only when a unit is chosen for them.
    role_forms = [
        RoleForm(posted, prefix=f"r{i}", units=units_here, use_required_attribute=i == 0)
        for i in range(3)
    ]
    link = ""
    if form.is_bound:
        filled = [
            f for i, f in enumerate(role_forms) if i == 0 or (posted and posted.get(f"r{i}-unit"))
        ]
        valid = form.is_valid() and all(f.is_valid() for f in filled)
        if valid:
            specs = [
                services.RoleSpec(
                    unit=f.cleaned_data["unit"],
                    role=f.cleaned_data["role"],
                    started_on=f.cleaned_data["started_on"],
                    ended_on=f.cleaned_data["ended_on"],
                )
                for f in filled
            ]
            try:
                _invitation, token = services.invite_staff(
                    actor,
                    organisation,
                    name=form.cleaned_data["name"],
                    email=form.cleaned_data["email"],
                    roles=specs,
                    days=form.cleaned_data["days"],
                    base_url=request.build_absolute_uri("/")[:-1],
                )
            except ValidationError as invalid:
                add_errors(form, invalid)
            else:
                link = request.build_absolute_uri(services.invitation_link(token))
                messages.success(request, _("The invitation is sent."))
                return render(
                    request,
                    "administration/invited.html",
                    {
                        "organisation": organisation,
                        "link": link,
                        "email": form.cleaned_data["email"],
                    },
                )
    context = {"organisation": organisation, "form": form, "role_forms": role_forms}
    return render(request, "administration/invite.html", context)


@require_http_methods(["GET", "POST"])
@login_required
@denied_as_404
def member(request: HttpRequest, user_id: int) -> HttpResponse:
    """One staff member: their roles here, adding, changing and ending roles, closing the
    account."""
    organisation, actor = _admin(request)
    the_user = queries.staff_of(organisation).filter(pk=user_id).first()
    require(the_user is not None)
    assert the_user is not None
    units_here = queries.units_of(organisation)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    add_form = RoleForm(request.POST if action == "add" else None, prefix="add", units=units_here)
    current = StaffRole.objects.current().filter(user=the_user, unit__organisation=organisation)
    change_form = ChangeRoleForm(
        request.POST if action == "change" else None,
        prefix="change",
        units=units_here,
        roles=current.select_related("unit"),
    )
    if request.method == "POST":
        try:
            if action == "end":
                staff_role = (
                    queries.roles_of(organisation, the_user)
                    .filter(pk=request.POST.get("role_id") or 0)
                    .first()
                )
                require(staff_role is not None)
                assert staff_role is not None
                services.end_role(actor, organisation, staff_role)
                messages.success(request, _("The role has ended."))
                return redirect("administration:member", user_id=user_id)
            if action == "change":
                if change_form.is_valid():
                    services.change_role(
                        actor,
                        organisation,
                        change_form.cleaned_data["role_id"],
                        role=change_form.cleaned_data["role"],
                        unit=change_form.cleaned_data["unit"],
                    )
                    messages.success(request, _("The role is changed."))
                    return redirect("administration:member", user_id=user_id)
            elif action == "add":
                if add_form.is_valid():
                    services.add_role(
                        actor,
                        organisation,
                        the_user,
                        services.RoleSpec(**add_form.cleaned_data),
                    )
                    messages.success(request, _("The role is added."))
                    return redirect("administration:member", user_id=user_id)
            elif action == "deactivate":
                services.deactivate_account(actor, organisation, the_user)
                messages.success(request, _("The account is closed and its sessions ended."))
                return redirect("administration:staff")
            else:
                raise Http404()
        except ValidationError as invalid:
            add_errors(change_form if action == "change" else add_form, invalid)
    context = {
        "organisation": organisation,
        "member": the_user,
        "roles": queries.roles_of(organisation, the_user),
        "current_ids": set(current.values_list("pk", flat=True)),
        "add_form": add_form,
        "change_form": change_form,
    }
    return render(request, "administration/member.html", context)


@require_GET
@login_required
def person_list(request: HttpRequest) -> HttpResponse:
    organisation, actor = _admin(request)
    term = request.GET.get("q", "").strip()
    found = queries.persons_of(organisation)
    if term:
        found = found.filter(
            Q(name__icontains=term)
            | Q(preferred_name__icontains=term)
            | Q(identifiers__value=term.replace("-", ""))
        ).distinct()
    shown = list(found[:100])
    from alongside.audit.log import record_list

    record_list(
        actor, Person._meta.label, [p.pk for p in shown], why="registrations", request=request
    )
    context = {"organisation": organisation, "persons": shown, "term": term}
    return render(request, "administration/persons.html", context)


@require_http_methods(["GET", "POST"])
@login_required
@denied_as_404
def register(request: HttpRequest) -> HttpResponse:
    organisation, actor = _admin(request)
    form = PersonForm(request.POST if request.method == "POST" else None)
    duplicate: Person | None = None
    duplicate_hidden = False
    similar: list[Person] = []
    similar_hidden = 0
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            person = persons.register(
                actor,
                organisation,
                name=data["name"],
                preferred_name=data["preferred_name"],
                pronouns=data["pronouns"],
                languages=data["languages"],
                date_of_birth=data["date_of_birth"],
                identifiers=form.identifiers(),
                confirm_similar=data["confirm_similar"],
            )
        except persons.DuplicateIdentifier as refused:
            form.add_error(None, refused)
            duplicate = refused.person
            duplicate_hidden = refused.person is None
        except persons.SimilarPersons as warning:
            form.add_error("confirm_similar", warning)
            similar, similar_hidden = warning.persons, warning.hidden
        except ValidationError as invalid:
            add_errors(form, invalid)
        else:
            messages.success(request, _("%(name)s is registered.") % {"name": person.shown_name})
            return redirect("administration:person", person_id=person.pk)
    context = {
        "organisation": organisation,
        "form": form,
        "duplicate": duplicate,
        "duplicate_hidden": duplicate_hidden,
        "duplicate_here": duplicate is not None
        and queries.persons_of(organisation).filter(pk=duplicate.pk).exists(),
        "similar": similar,
        "similar_hidden": similar_hidden,
    }
    return render(request, "administration/register.html", context)


@require_http_methods(["GET", "POST"])
@login_required
@denied_as_404
def person(request: HttpRequest, person_id: int) -> HttpResponse:
    """A person's registration: details, identifiers, stays; admit, transfer, key worker, end."""
    organisation, actor = _admin(request)
    the_person = _person(request, organisation, actor, person_id)
    units_here = queries.units_of(organisation)
    stay = persons.active_stay_in(organisation, the_person)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    data = request.POST if request.method == "POST" else None
    edit_form = PersonEditForm(
        data if action == "edit" else None,
        prefix="edit",
        initial={
            "name": the_person.name,
            "preferred_name": the_person.preferred_name,
            "pronouns": the_person.pronouns,
            "languages": the_person.languages,
        },
    )
    admit_form = AdmitForm(data if action == "admit" else None, prefix="admit", units=units_here)
    transfer_form = TransferForm(
        data if action == "transfer" else None,
        prefix="transfer",
        units=units_here.exclude(pk=stay.unit_id) if stay else units_here,
    )
    candidates = persons.key_worker_candidates(organisation, stay) if stay else []
    key_form = KeyWorkerForm(
        data if action == "key_worker" else None, prefix="key", candidates=candidates
    )
    end_form = EndStayForm(data if action == "end" else None, prefix="end")
    forms_by_action = {
        "edit": edit_form,
        "admit": admit_form,
        "transfer": transfer_form,
        "key_worker": key_form,
        "end": end_form,
    }
    if request.method == "POST":
        target = forms_by_action.get(action)
        if target is None or (action in ("transfer", "key_worker", "end") and stay is None):
            raise Http404()
        if target.is_valid():
            values = target.cleaned_data
            try:
                if action == "edit":
                    persons.update_person(actor, organisation, the_person, **values)
                    done = _("The registration is saved.")
                elif action == "admit":
                    persons.admit(
                        actor,
                        organisation,
                        the_person,
                        values["unit"],
                        kind=values["kind"],
                        started_on=values["started_on"],
                    )
                    done = _("The stay has started.")
                elif action == "transfer":
                    assert stay is not None
                    persons.transfer(actor, organisation, stay, values["to_unit"], on=values["on"])
                    done = _("The transfer is recorded.")
                elif action == "key_worker":
                    assert stay is not None
                    persons.assign_key_worker(actor, organisation, stay, values["staff_role"])
                    done = _("The key worker is assigned.")
                else:
                    assert stay is not None
                    persons.end_stay(
                        actor,
                        organisation,
                        stay,
                        ended_on=values["ended_on"],
                        override_reason=values["override_reason"],
                        override_code=values["override_code"],
                    )
                    done = _("The stay has ended. The discharge is recorded.")
            except ValidationError as invalid:
                add_errors(target, invalid)
            else:
                messages.success(request, done)
                return redirect("administration:person", person_id=person_id)
    context = {
        "organisation": organisation,
        "person": the_person,
        "identifiers": [
            (identifier, identifier.system == CPR) for identifier in the_person.identifiers.all()
        ],
        "stays": Stay.objects.filter(person=the_person, unit__organisation=organisation)
        .select_related("unit")
        .order_by("-started_on", "-pk"),
        "stay": stay,
        "key_worker": persons.current_key_worker(organisation, the_person),
        "edit_form": edit_form,
        "admit_form": admit_form,
        "transfer_form": transfer_form,
        "key_form": key_form,
        "end_form": end_form,
        "has_login": the_person.user_id is not None,
        "active": StayStatus.ACTIVE,
    }
    return render(request, "administration/person.html", context)


@require_http_methods(["GET", "POST"])
@login_required
@denied_as_404
def person_activation(request: HttpRequest, person_id: int) -> HttpResponse:
    """Give the person their own login: a one-time code and QR code to show or print, or a link
    by email. A new code kills the older ones."""
    organisation, actor = _admin(request)
    the_person = _person(request, organisation, actor, person_id)

    def issue(email: str, base_url: str) -> tuple[ActivationCode, str]:
        return activation.issue(actor, organisation, the_person, email=email, base_url=base_url)

    back = reverse("administration:person", kwargs={"person_id": person_id})
    return _activation_page(request, the_person, issue, back)


@require_http_methods(["GET", "POST"])
@login_required
@denied_as_404
def care_activation(request: HttpRequest, person_id: int) -> HttpResponse:
    """The same page for the care staff of the unit where the person stays (not the network,
    not the person): they hand over or re-issue the code at the bedside."""
    grant = access.open_person(request, person_id, Section.PLAN, why="login activation code")
    require(grant.basis is access.Basis.UNIT)

    def issue(email: str, base_url: str) -> tuple[ActivationCode, str]:
        return activation.issue_by_care_staff(
            grant.actor, grant.person, email=email, base_url=base_url
        )

    back = reverse("workspace:person", kwargs={"person_id": person_id})
    return _activation_page(request, grant.person, issue, back)


def _activation_page(
    request: HttpRequest,
    the_person: Person,
    issue: Callable[[str, str], tuple[ActivationCode, str]],
    back: str,
) -> HttpResponse:
    form = ActivationForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        email = form.cleaned_data["email"] or ""
        try:
            issued, code = issue(email, request.build_absolute_uri("/")[:-1])
        except ValidationError as invalid:
            add_errors(form, invalid)
        else:
            if email:
                messages.success(request, _("The link is sent to %(email)s.") % {"email": email})
                return redirect(back)
            url = request.build_absolute_uri(activation.activation_path(code))
            the_person.refresh_from_db()
            context = {
                "person": the_person,
                "code": code,
                "url": url,
                "qr": activation.qr_svg(url),
                "expires_at": issued.expires_at,
                "username": the_person.user.username if the_person.user else "",
                "activate_url": request.build_absolute_uri(
                    reverse("administration_public:activate")
                ),
                "back": back,
            }
            response = render(request, "administration/activation_sheet.html", context)
            response["Cache-Control"] = "private, no-store"
            return response
    context = {"person": the_person, "form": form, "back": back}
    return render(request, "administration/activation.html", context)
