"""Her side of a record: pages where the person answers an agreement, writes her own account of
a restrictive measure, or adds an option to a decision. Only the person: anyone else gets 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from alongside import access
from alongside.core.pages import add_errors, denied_as_404, require
from alongside.network.scopes import Section
from alongside.safety import her_side
from alongside.safety.agreements import Agreement, Answer
from alongside.safety.decisions import SharedDecision
from alongside.safety.forms_her_side import AgreementAnswerForm, EpisodeAccountForm, OptionForm
from alongside.safety.restrictive import RestrictiveEpisode

SAVED = "saved"


@require_http_methods(["GET", "POST"])
@login_required
@denied_as_404
def agreement_answer(request: HttpRequest, person_id: int, agreement_id: int) -> HttpResponse:
    agreement, grant = access.open_record(
        request,
        Agreement.objects.filter(person_id=person_id),
        agreement_id,
        Section.NOTES,
        why="agreement: my answer",
    )
    require(grant.is_self)
    form = AgreementAnswerForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            her_side.answer_agreement(
                grant.actor,
                agreement,
                answer=Answer(form.cleaned_data["answer"]),
                words=form.cleaned_data["words"],
            )
        except ValidationError as invalid:
            add_errors(form, invalid)
        else:
            messages.success(request, _("Your answer is saved, and the team is told."))
            return redirect("safety:agreements", person_id=person_id)
    context = {
        "person": grant.person,
        "agreement": agreement,
        "answers": agreement.answers.all(),
        "form": form,
    }
    return render(request, "safety/agreement_answer.html", context)


@require_http_methods(["GET", "POST"])
@login_required
@denied_as_404
def episode_account(request: HttpRequest, person_id: int, episode_id: int) -> HttpResponse:
    episode, grant = access.open_record(
        request,
        RestrictiveEpisode.objects.filter(person_id=person_id).select_related("measure", "debrief"),
        episode_id,
        Section.NOTES,
        why="restrictive measure: my account",
    )
    require(grant.is_self)
    has_debrief = hasattr(episode, "debrief")
    form = EpisodeAccountForm(
        request.POST if request.method == "POST" else None, has_debrief=has_debrief
    )
    if form.is_bound and form.is_valid():
        try:
            her_side.write_episode_account(
                grant.actor,
                episode,
                words=form.cleaned_data["words"],
                debrief_is_right=form.verdict(),
            )
        except ValidationError as invalid:
            add_errors(form, invalid)
        else:
            messages.success(request, _("Your account is saved, and the team is told."))
            return redirect("safety:episodes", person_id=person_id)
    context = {
        "person": grant.person,
        "episode": episode,
        "accounts": episode.accounts.all(),
        "form": form,
    }
    return render(request, "safety/episode_account.html", context)


@require_http_methods(["GET", "POST"])
@login_required
@denied_as_404
def decision_option(request: HttpRequest, person_id: int, decision_id: int) -> HttpResponse:
    decision, grant = access.open_record(
        request,
        SharedDecision.objects.filter(person_id=person_id),
        decision_id,
        Section.PLAN,
        why="shared decision: my option",
    )
    require(grant.is_self)
    form = OptionForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            her_side.add_option(grant.actor, decision, **form.cleaned_data)
        except ValidationError as invalid:
            add_errors(form, invalid)
        else:
            messages.success(request, _("Your option is added, and the team is told."))
            return redirect("safety:decisions", person_id=person_id)
    context = {
        "person": grant.person,
        "decision": decision,
        "options": decision.options.all(),
        "form": form,
    }
    return render(request, "safety/decision_option.html", context)
