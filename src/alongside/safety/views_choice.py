"""Agreements with test results, and rights and advocacy: pages for the person and staff."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from alongside import access
from alongside.core.pages import add_errors
from alongside.network.scopes import Section
from alongside.safety import choice
from alongside.safety.agreements import Agreement, Aim, SupportKind, SupportRequest
from alongside.safety.forms_choice import (
    AgreementForm,
    AnswerForm,
    SupportRequestForm,
    TestResultForm,
)


def _staff_form(
    grant: access.PersonAccess, form_class: type[Form], request: HttpRequest
) -> Form | None:
    return form_class(request.POST or None) if grant.acts_as_staff else None


@require_http_methods(["GET", "POST"])
@login_required
def agreements(request: HttpRequest, person_id: int) -> HttpResponse:
    grant = access.open_person(request, person_id, Section.NOTES, why="agreements")
    form = _staff_form(grant, AgreementForm, request) if "result_for" not in request.POST else None
    result_form = TestResultForm(request.POST) if "result_for" in request.POST else None
    if request.method == "POST":
        if not grant.acts_as_staff:
            raise Http404()
        try:
            if result_form is not None:
                agreement = get_object_or_404(
                    Agreement, person_id=person_id, pk=request.POST.get("result_for") or 0
                )
                if result_form.is_valid():
                    choice.record_test_result(grant.actor, agreement, **result_form.cleaned_data)
                    messages.success(
                        request, _("The test result and the conversation about it are saved.")
                    )
                    return redirect("safety:agreements", person_id=person_id)
            elif form is not None and form.is_valid():
                data = dict(form.cleaned_data)
                data["person_aim"] = Aim(data["person_aim"])
                choice.record_agreement(grant.actor, grant.person, **data)
                messages.success(request, _("The agreement is saved."))
                return redirect("safety:agreements", person_id=person_id)
        except ValidationError as invalid:
            add_errors(result_form or form, invalid)  # type: ignore[arg-type]
    records = Agreement.objects.filter(person_id=person_id).prefetch_related(
        "results__conversation", "answers"
    )
    context = {
        "person": grant.person,
        "grant": grant,
        "records": records,
        "form": form if form is not None else _staff_form(grant, AgreementForm, request),
        "result_form": result_form or TestResultForm(),
        "result_for": request.POST.get("result_for", ""),
    }
    return render(request, "safety/agreements.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def rights(request: HttpRequest, person_id: int) -> HttpResponse:
    """Rights, complaints and advocacy in the person's language; asking for an advocate."""
    grant = access.open_person(request, person_id, Section.PLAN, why="rights and advocacy")
    ask = SupportRequestForm(request.POST or None) if grant.is_self else None
    answer = AnswerForm(request.POST or None) if grant.acts_as_staff else None
    if request.method == "POST":
        try:
            if ask is not None and ask.is_valid():
                choice.ask_for_support(
                    grant.actor,
                    grant.person,
                    kind=SupportKind(ask.cleaned_data["kind"]),
                    message=ask.cleaned_data["message"],
                )
                messages.success(
                    request, _("Your request is sent. You will be told when it is answered.")
                )
                return redirect("safety:rights", person_id=person_id)
            if answer is not None and answer.is_valid():
                open_request = get_object_or_404(
                    SupportRequest,
                    person_id=person_id,
                    answered_at__isnull=True,
                    pk=request.POST.get("request") or 0,
                )
                choice.answer_request(grant.actor, open_request, answer.cleaned_data["answer"])
                messages.success(request, _("The answer is saved."))
                return redirect("safety:rights", person_id=person_id)
            if ask is None and answer is None:
                raise Http404()
        except ValidationError as invalid:
            add_errors(answer or ask, invalid)  # type: ignore[arg-type]
        except PermissionDenied as denied:
            raise Http404() from denied
    # The page's language, whoever reads it: the person, or staff reading it with them.
    language = get_language() or "en"
    context = {
        "person": grant.person,
        "grant": grant,
        "texts": choice.rights_for(grant.person, language[:2]),
        "requests": SupportRequest.objects.filter(person_id=person_id).select_related(
            "answered_by"
        ),
        "ask": ask,
        "answer": answer,
    }
    return render(request, "safety/rights.html", context)
