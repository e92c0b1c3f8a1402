"""Time together and co-written notes. Staff write; the person reads every note about them
(unless narrowly restricted) and adds comments or corrections beside the original.

Every refusal is a 404, as everywhere: no access, the wrong kind of user for a write, a
restricted note asked for by the person, and a service's ``PermissionDenied``.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from alongside import access
from alongside.core.pages import add_errors, require
from alongside.network.scopes import Section
from alongside.relationship import queries, services
from alongside.relationship.forms import CommentForm, NoteForm, TogetherForm
from alongside.relationship.models import CommentKind, Note


@require_http_methods(["GET", "POST"])
@login_required
def together(request: HttpRequest, person_id: int) -> HttpResponse:
    """Log time spent together (staff with the notes section), and see the most recent. The
    person sees her own log too, read only."""
    grant = access.open_person(request, person_id, Section.NOTES, why="time together")
    may_write = queries.writes_as_staff(grant)
    require(may_write or grant.is_self)
    if request.method == "POST":
        require(may_write)
    form = TogetherForm(request.POST if request.method == "POST" else None) if may_write else None
    if form is not None and form.is_bound and form.is_valid():
        try:
            services.log_time_together(
                grant.actor,
                grant.person,
                activity=form.cleaned_data["activity"],
                occurred_at=form.cleaned_data["occurred_at"] or timezone.now(),
                duration_minutes=form.cleaned_data["duration_minutes"] or 0,
            )
        except PermissionDenied as denied:
            raise Http404() from denied
        except ValidationError as invalid:
            add_errors(form, invalid)
        else:
            messages.success(request, _("The time together is logged."))
            return redirect("relationship:together", person_id=person_id)
    context = {
        "person": grant.person,
        "grant": grant,
        "form": form,
        "entries": queries.time_together(person_id),
    }
    return render(request, "relationship/together.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def notes(request: HttpRequest, person_id: int) -> HttpResponse:
    """Every note about the person, newest first; staff may write one here."""
    grant = access.open_person(request, person_id, Section.NOTES, why="notes")
    may_write = queries.writes_as_staff(grant)
    if request.method == "POST":
        require(may_write)
    form = NoteForm(request.POST if request.method == "POST" else None) if may_write else None
    if form is not None and form.is_bound and form.is_valid():
        try:
            services.write_note(grant.actor, grant.person, **form.cleaned_data)
        except PermissionDenied as denied:
            raise Http404() from denied
        except ValidationError as invalid:
            add_errors(form, invalid)
        else:
            messages.success(request, _("The note is saved."))
            return redirect("relationship:notes", person_id=person_id)
    context = {
        "person": grant.person,
        "grant": grant,
        "notes": queries.notes_for(grant),
        "form": form,
    }
    return render(request, "relationship/notes.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def note(request: HttpRequest, person_id: int, note_id: int) -> HttpResponse:
    """One note. The person opening it marks it seen; they may confirm it or comment on it."""
    found, grant = access.open_record(
        request, Note.objects.filter(person_id=person_id), note_id, Section.NOTES, why="note"
    )
    require(not (grant.is_self and found.is_restricted))
    if request.method == "POST":
        require(grant.is_self)
    comment_form = (
        CommentForm(request.POST if request.method == "POST" else None) if grant.is_self else None
    )
    try:
        if request.method == "GET" and grant.is_self:
            services.mark_note_seen(grant.actor, found)
        elif request.method == "POST" and request.POST.get("action") == "confirm":
            services.mark_note_seen(grant.actor, found, confirmed=True)
            messages.success(request, _("Thank you: the note is marked as right."))
            return redirect("relationship:note", person_id=person_id, note_id=note_id)
        elif comment_form is not None and comment_form.is_bound and comment_form.is_valid():
            try:
                services.comment_on_note(
                    grant.actor,
                    found,
                    kind=CommentKind(comment_form.cleaned_data["kind"]),
                    text=comment_form.cleaned_data["text"],
                )
            except ValidationError as invalid:
                add_errors(comment_form, invalid)
            else:
                messages.success(request, _("Your comment is saved."))
                return redirect("relationship:note", person_id=person_id, note_id=note_id)
    except PermissionDenied as denied:
        raise Http404() from denied
    context = {
        "person": grant.person,
        "grant": grant,
        "note": queries.note_for(grant, found.pk),
        "comment_form": comment_form,
        "may_write": queries.writes_as_staff(grant),
    }
    return render(request, "relationship/note.html", context)
