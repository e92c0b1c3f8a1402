"""Time together and co-written notes. Staff write; the person reads every note about them
(unless narrowly restricted) and adds comments or corrections beside the original."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from alongside import access
from alongside.network.scopes import Section
from alongside.plans.views_common import add_errors, require
from alongside.relationship import services
from alongside.relationship.forms import CommentForm, NoteForm, TogetherForm
from alongside.relationship.models import CommentKind, Note
from alongside.relationship.queries import notes_for, time_together


@require_http_methods(["GET", "POST"])
@login_required
def together(request: HttpRequest, person_id: int) -> HttpResponse:
    """Log time spent together; staff only."""
    grant = access.open_person(request, person_id, Section.NOTES, why="time together")
    require(grant.acts_as_staff)
    form = TogetherForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.log_time_together(
                grant.actor,
                grant.person,
                activity=form.cleaned_data["activity"],
                occurred_at=form.cleaned_data["occurred_at"] or timezone.now(),
                duration_minutes=form.cleaned_data["duration_minutes"] or 0,
            )
        except ValidationError as invalid:
            add_errors(form, invalid)
        else:
            return redirect("relationship:together", person_id=person_id)
    context = {"person": grant.person, "form": form, "entries": time_together(person_id)}
    return render(request, "relationship/together.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def notes(request: HttpRequest, person_id: int) -> HttpResponse:
    """Every note about the person; staff may write one here."""
    grant = access.open_person(request, person_id, Section.NOTES, why="notes")
    form = NoteForm(request.POST or None) if grant.acts_as_staff else None
    if request.method == "POST":
        require(form is not None)
        assert form is not None
        if form.is_valid():
            try:
                services.write_note(grant.actor, grant.person, **form.cleaned_data)
            except ValidationError as invalid:
                add_errors(form, invalid)
            else:
                return redirect("relationship:notes", person_id=person_id)
    context = {"person": grant.person, "grant": grant, "notes": notes_for(grant), "form": form}
    return render(request, "relationship/notes.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def note(request: HttpRequest, person_id: int, note_id: int) -> HttpResponse:
    """One note. The person opening it marks it seen; they may confirm it or comment on it."""
    found, grant = access.open_record(
        request, Note.objects.filter(person_id=person_id), note_id, Section.NOTES, why="note"
    )
    require(not (grant.is_self and found.is_restricted))
    comment_form = CommentForm(request.POST or None) if grant.is_self else None
    try:
        if grant.is_self and request.method == "GET":
            services.mark_note_seen(grant.actor, found)
        if request.method == "POST":
            require(grant.is_self)
            if request.POST.get("action") == "confirm":
                services.mark_note_seen(grant.actor, found, confirmed=True)
                return redirect("relationship:note", person_id=person_id, note_id=note_id)
            assert comment_form is not None
            if comment_form.is_valid():
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
                    return redirect("relationship:note", person_id=person_id, note_id=note_id)
    except PermissionDenied as denied:
        raise Http404() from denied
    shown = notes_for(grant).get(pk=found.pk)
    context = {"person": grant.person, "grant": grant, "note": shown, "comment_form": comment_form}
    return render(request, "relationship/note.html", context)
