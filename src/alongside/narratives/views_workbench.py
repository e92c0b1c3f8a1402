"""The analysis workbench: projects, members, codebooks, transcript uploads and memos.

Only members reach a project (``access.open_project``); anyone else gets 404, as everywhere.
Leads manage members and codebooks; leads and coders upload and code; viewers read. The coding
page itself and agreement live in ``views_coding.py``.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from alongside import access
from alongside.accounts.models import User
from alongside.audit.log import Actor
from alongside.core.pages import add_errors, denied_as_404, require
from alongside.core.params import parse_id
from alongside.core.roles import kinds_of, primary_role
from alongside.narratives import services, workbench
from alongside.narratives.forms import (
    CodebookForm,
    CodeChoiceForm,
    CodeEditForm,
    CodeForm,
    DeleteCodeForm,
    MemberForm,
    MemoForm,
    ProjectForm,
    StarterForm,
    TranscriptForm,
)
from alongside.narratives.models import AnalystRole, Code, Codebook, ProjectMember
from alongside.narratives.starters import starter_codebook

WORKING = (AnalystRole.LEAD, AnalystRole.CODER)
LEAD = (AnalystRole.LEAD,)


@require_http_methods(["GET", "POST"])
@login_required
@denied_as_404
def projects(request: HttpRequest) -> HttpResponse:
    """The projects I am a member of; staff may start a new one (and lead it)."""
    assert isinstance(request.user, User)
    may_create = kinds_of(request.user).is_staff_member
    if request.method == "POST":
        require(may_create)
    form = ProjectForm(request.POST if request.method == "POST" else None) if may_create else None
    if form is not None and form.is_bound and form.is_valid():
        try:
            project = services.create_project(
                Actor(request.user, primary_role(request.user)), **form.cleaned_data
            )
        except ValidationError as invalid:
            add_errors(form, invalid)
        else:
            return redirect("narratives:project", project_id=project.pk)
    memberships = [
        (found, AnalystRole(role).label) for found, role in access.member_projects(request.user)
    ]
    context = {"memberships": memberships, "form": form}
    return render(request, "narratives/workbench/projects.html", context)


@require_http_methods(["GET"])
@login_required
def project(request: HttpRequest, project_id: int) -> HttpResponse:
    """A project's home: its texts, codebooks, members and memos."""
    grant = access.open_project(request, project_id, why="project overview")
    return _project_with(request, grant)


@require_POST
@login_required
@denied_as_404
def members(request: HttpRequest, project_id: int) -> HttpResponse:
    """The lead adds a member (or changes a member's role), chosen from the analysts listed."""
    grant = access.open_project(request, project_id, why="add member", roles=LEAD)
    form = _member_form(grant, request.POST)
    if form.is_valid():
        user = services.eligible_members(grant.user).filter(pk=form.cleaned_data["user"]).first()
        require(user is not None)
        assert user is not None
        try:
            services.add_member(grant.actor, grant.project, user, form.cleaned_data["role"])
        except ValidationError as invalid:
            add_errors(form, invalid)
        else:
            return redirect("narratives:project", project_id=project_id)
    return _project_with(request, grant, member_form=form)


def _member_form(grant: access.ProjectAccess, data: object = None) -> MemberForm:
    """Analysts and researchers the lead may add who are not members yet, by staff role (a role
    change in the project goes via remove/add)."""
    return MemberForm(data, candidates=workbench.member_candidates(grant.user, grant.project))


@require_POST
@login_required
@denied_as_404
def member_remove(request: HttpRequest, project_id: int, member_id: int) -> HttpResponse:
    grant = access.open_project(request, project_id, why="remove member", roles=LEAD)
    member = ProjectMember.objects.filter(project=grant.project, pk=member_id).first()
    require(member is not None)
    assert member is not None
    try:
        services.remove_member(grant.actor, member)
    except ValidationError as invalid:
        return _project_with(request, grant, member_form=_form_error(_member_form(grant), invalid))
    return redirect("narratives:project", project_id=project_id)


def _form_error(form: MemberForm, invalid: ValidationError) -> MemberForm:
    form.is_bound = True
    form.cleaned_data = {}
    add_errors(form, invalid)
    return form


def _project_with(
    request: HttpRequest, grant: access.ProjectAccess, **forms: object
) -> HttpResponse:
    me = services.user_guid(grant.user.pk)
    blind = not services.sees_everyones_coding(grant.project, grant.role)
    context: dict[str, object] = {
        "grant": grant,
        "project": grant.project,
        "sources": workbench.source_rows(grant.project, me, blind=blind),
        "blind": blind,
        "round_open": services.round_is_open(grant.project),
        "codebooks": grant.project.codebooks.all(),
        "members": workbench.members(grant.project),
        "memos": workbench.visible_memos(
            grant.project, grant.user.pk, grant.role, target="project"
        ),
        "member_form": _member_form(grant) if grant.is_lead else None,
        "starter_form": StarterForm() if grant.codes else None,
        "codebook_form": CodebookForm() if grant.codes else None,
        "memo_form": MemoForm() if grant.codes else None,
    }
    context.update(forms)
    return render(request, "narratives/workbench/project.html", context)


@require_POST
@login_required
@denied_as_404
def coding_round(request: HttpRequest, project_id: int) -> HttpResponse:
    """The lead closes the blind coding round (everyone's coding shows) or opens the next."""
    grant = access.open_project(request, project_id, why="coding round", roles=LEAD)
    if request.POST.get("action") == "close":
        services.close_round(grant.actor, grant.project)
    else:
        services.open_round(grant.actor, grant.project)
    return redirect("narratives:project", project_id=project_id)


@require_POST
@login_required
@denied_as_404
def codebooks(request: HttpRequest, project_id: int) -> HttpResponse:
    """Add a codebook: a starter from a framework, or an empty one the team builds."""
    grant = access.open_project(request, project_id, why="new codebook", roles=WORKING)
    if "framework" in request.POST:
        starter = StarterForm(request.POST)
        if starter.is_valid():
            try:
                made = starter_codebook(
                    starter.cleaned_data["framework"], grant.project, actor=grant.actor
                )
            except ValidationError as invalid:
                add_errors(starter, invalid)
            else:
                return redirect("narratives:codebook", project_id=project_id, codebook_id=made.pk)
        return _project_with(request, grant, starter_form=starter)
    empty = CodebookForm(request.POST)
    if empty.is_valid():
        try:
            made = services.create_codebook(grant.actor, grant.project, empty.cleaned_data["name"])
        except ValidationError as invalid:
            add_errors(empty, invalid)
        else:
            return redirect("narratives:codebook", project_id=project_id, codebook_id=made.pk)
    return _project_with(request, grant, codebook_form=empty)


@require_http_methods(["GET", "POST"])
@login_required
@denied_as_404
def codebook(request: HttpRequest, project_id: int, codebook_id: int) -> HttpResponse:
    """A codebook as a tree (theme > subtheme > category > code); coders add codes to it."""
    grant = access.open_project(request, project_id, why="codebook")
    book = Codebook.objects.filter(project=grant.project, pk=codebook_id).first()
    require(book is not None)
    assert book is not None
    if request.method == "POST":
        require(grant.codes)
    codes = list(book.codes.order_by("position", "pk"))
    form = (
        CodeForm(request.POST if request.method == "POST" else None, codes=codes)
        if grant.codes
        else None
    )
    if form is not None and form.is_bound and form.is_valid():
        parent_id = form.cleaned_data["parent"]
        parent = next((code for code in codes if code.pk == parent_id), None)
        try:
            services.add_code(
                grant.actor,
                book,
                name=form.cleaned_data["name"],
                level=form.cleaned_data["level"],
                parent=parent,
                definition=form.cleaned_data["definition"],
                examples=form.example_lines(),
            )
        except ValidationError as invalid:
            add_errors(form, invalid)
        else:
            return redirect("narratives:codebook", project_id=project_id, codebook_id=book.pk)
    context = {
        "grant": grant,
        "project": grant.project,
        "codebook": book,
        "rows": workbench.codebook_tree(book),
        "form": form,
        "memo_form": MemoForm() if grant.codes else None,
        "memos": workbench.visible_memos(
            grant.project, grant.user.pk, grant.role, target="code", code__codebook=book
        ),
    }
    return render(request, "narratives/workbench/codebook.html", context)


@require_http_methods(["GET", "POST"])
@login_required
@denied_as_404
def upload(request: HttpRequest, project_id: int) -> HttpResponse:
    """Upload a focus-group or dialogue-meeting transcript (UTF-8 text or .docx)."""
    grant = access.open_project(request, project_id, why="upload transcript", roles=WORKING)
    form = TranscriptForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        upload_file = data["file"]
        if upload_file.size > services.MAX_UPLOAD_BYTES:
            form.add_error(
                "file",
                _("The file is larger than %(mb)d MB.")
                % {"mb": services.MAX_UPLOAD_BYTES // (1024 * 1024)},
            )
        else:
            try:
                source = services.upload_transcript(
                    grant.actor,
                    grant.project,
                    data["name"],
                    upload_file.read(),
                    consent_improvement=data["consent_improvement"],
                    consent_research=data["consent_research"],
                    attributes={
                        "speaker_role": data["speaker_role"],
                        "unit": data["unit"],
                        "case": data["case"],
                        "date": data["date"].isoformat() if data["date"] else "",
                    },
                    filename=upload_file.name or "",
                )
            except ValidationError as invalid:
                add_errors(form, invalid)
            else:
                if source.tracked_changes:
                    messages.warning(
                        request,
                        _(
                            "This document had tracked changes. It was read as it stands now: "
                            "insertions kept, deletions left out. Please check the text."
                        ),
                    )
                return redirect("narratives:source", project_id=project_id, source_id=source.pk)
    context = {"grant": grant, "project": grant.project, "form": form}
    return render(request, "narratives/workbench/upload.html", context)


@require_POST
@login_required
@denied_as_404
def memo(request: HttpRequest, project_id: int) -> HttpResponse:
    """A memo on the project, one code or one source; back to where it was written."""
    grant = access.open_project(request, project_id, why="memo", roles=WORKING)
    form = MemoForm(request.POST)
    code_id, source_id = _posted_id(request, "code"), _posted_id(request, "source")
    code = source = None
    if code_id is not None:
        code = Code.objects.filter(codebook__project=grant.project, pk=code_id).first()
        require(code is not None)
    if source_id is not None:
        source = services.usable_sources(grant.project).filter(pk=source_id).first()
        require(source is not None)
    if form.is_valid():
        try:
            services.add_memo(
                grant.actor, grant.project, form.cleaned_data["text"], code=code, source=source
            )
        except ValidationError as invalid:
            add_errors(form, invalid)
    if source is not None:
        return redirect("narratives:source", project_id=project_id, source_id=source.pk)
    if code is not None:
        return redirect("narratives:codebook", project_id=project_id, codebook_id=code.codebook_id)
    if form.errors:
        return _project_with(request, grant, memo_form=form)
    return redirect("narratives:project", project_id=project_id)


def _posted_id(request: HttpRequest, name: str) -> int | None:
    raw = request.POST.get(name, "")
    if not raw:
        return None
    number = parse_id(raw)
    if number is None:
        raise Http404()
    return number


@require_http_methods(["GET", "POST"])
@login_required
@denied_as_404
def code(request: HttpRequest, project_id: int, code_id: int) -> HttpResponse:
    """One code: rename it and give it a colour, move it, merge it into another, or delete it."""
    grant = access.open_project(request, project_id, why="edit code", roles=WORKING)
    found = (
        Code.objects.filter(codebook__project=grant.project, pk=code_id)
        .select_related("codebook")
        .first()
    )
    require(found is not None)
    assert found is not None
    below = set(services._subtree(found))
    others = [c for c in found.codebook.codes.order_by("position", "pk") if c.pk != found.pk]
    post = request.POST if request.method == "POST" else None
    action = request.POST.get("action", "") if post is not None else ""
    forms_by_action = {
        "edit": CodeEditForm(
            post if action == "edit" else None,
            initial={"name": found.name, "definition": found.definition, "color": found.color},
        ),
        "move": CodeChoiceForm(
            post if action == "move" else None,
            codes=[c for c in others if c.pk not in below],
            label=_("Move it under"),
            allow_none=True,
            initial={"target": found.parent_id},
            prefix="move",
        ),
        "merge": CodeChoiceForm(
            post if action == "merge" else None,
            codes=[c for c in others if c.pk not in below],
            label=_("Merge it into"),
            allow_none=False,
            prefix="merge",
        ),
        "delete": DeleteCodeForm(post if action == "delete" else None, prefix="delete"),
    }
    chosen = forms_by_action.get(action)
    if chosen is not None and chosen.is_valid():
        try:
            after = _change_code(grant, found, action, chosen.cleaned_data, others)
        except ValidationError as invalid:
            add_errors(chosen, invalid)
        else:
            if after is None:
                return redirect(
                    "narratives:codebook", project_id=project_id, codebook_id=found.codebook_id
                )
            if action == "move" and request.POST.get("back") == "codebook":
                # Dragged and dropped in the codebook tree: back to the tree, saying what moved.
                messages.success(request, _moved_message(after))
                return redirect(
                    "narratives:codebook", project_id=project_id, codebook_id=found.codebook_id
                )
            return redirect("narratives:code", project_id=project_id, code_id=after.pk)
    context = {"grant": grant, "project": grant.project, "code": found, **forms_by_action}
    return render(request, "narratives/workbench/code.html", context)


def _moved_message(code: Code) -> str:
    if code.parent is None:
        return _("%(code)s is now a top-level code.") % {"code": code.name}
    return _("%(code)s now sits under %(parent)s.") % {
        "code": code.name,
        "parent": code.parent.name,
    }


def _change_code(
    grant: access.ProjectAccess,
    found: Code,
    action: str,
    data: dict[str, object],
    others: list[Code],
) -> Code | None:
    """Apply one change to a code; the code to show next, or ``None`` when it is gone."""
    actor = grant.actor
    if action == "edit":
        services.update_code(
            actor,
            found,
            name=str(data["name"]),
            definition=str(data["definition"]),
            examples=found.examples,
        )
        return services.set_code_color(actor, found, str(data["color"] or ""))
    target = next((c for c in others if c.pk == data["target"]), None)
    if action == "move":
        return services.move_code(actor, found, target)
    if action == "merge":
        require(target is not None)
        assert target is not None
        return services.merge_codes(actor, found, target)
    services.delete_code(actor, found, confirmed=bool(data["confirm"]))
    return None
