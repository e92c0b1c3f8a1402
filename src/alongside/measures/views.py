"""The person's measures pages: what is waiting, answering, the result, trends and CHIME compared.

Everything opens the person's ``measures`` section through the access layer; a refusal is a 404,
as everywhere. The person answers on their own phone; a member of staff may fill a questionnaire in
with them, and says so ("completed together with staff"). Family and friends with the measures scope
read the results but never answer for the person. Every write goes through ``services``.
"""

from __future__ import annotations

import json

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from alongside import access
from alongside.core.pages import add_errors, require
from alongside.core.params import parse_id
from alongside.measures import charts, present, queries, services
from alongside.measures.definitions import current_version
from alongside.measures.engine import enabled_items
from alongside.measures.forms import QuestionnaireForm, TalkActionForm, TalkAreasForm
from alongside.measures.models import Instrument, QuestionnaireVersion, Response, Schedule
from alongside.network.scopes import Section
from alongside.plans.models import Goal, GoalStatus


def language() -> str:
    return (get_language() or "en")[:2]


def open_measures(request: HttpRequest, person_id: int, *, why: str) -> access.PersonAccess:
    return access.open_person(request, person_id, Section.MEASURES, why=why)


def page_context(grant: access.PersonAccess) -> dict[str, object]:
    return {"person": grant.person, "grant": grant, "sees_plan": grant.allows(Section.PLAN)}


def may_answer(grant: access.PersonAccess) -> bool:
    """The person themself, or staff filling it in with them; never family or friends."""
    return grant.is_self or grant.acts_as_staff


def _instrument(code: str) -> Instrument:
    found = Instrument.objects.filter(code=code).first()
    if found is None:
        raise Http404()
    return found


@require_GET
@login_required
def home(request: HttpRequest, person_id: int) -> HttpResponse:
    """What is waiting first, then the person's own results as charts."""
    grant = open_measures(request, person_id, why="measures")
    lang = language()
    waiting = queries.due_for_person(grant.person)
    if not grant.acts_as_staff:
        # What cannot be answered is staff's to sort out: the person (and their family) never
        # see "due today" for it, nor an operator's instruction.
        waiting = [item for item in waiting if item.blocked_reason is None]
    answered_codes = list(
        queries.responses(grant.person)
        .order_by("instrument__code")
        .values_list("instrument__code", flat=True)
        .distinct()
    )
    instruments = {i.code: i for i in Instrument.objects.all()}
    results = []
    for code in answered_codes:
        instrument = instruments[code]
        latest = queries.responses(grant.person, code).first()
        results.append(
            {
                "instrument": instrument,
                "name": instrument.name(lang),
                "charts": present.trend_charts(
                    grant.person,
                    instrument,
                    lang,
                    primary_only=True,
                    staff=grant.acts_as_staff,
                ),
                "latest": latest,
            }
        )
    offered = []
    if may_answer(grant):
        for instrument in instruments.values():
            version = current_version(instrument)
            if version is None:
                continue
            reason = services.sendable_reason(version)
            # Staff are told why a measure cannot be sent; the person is simply not offered it.
            if reason is None or not grant.is_self:
                offered.append(
                    {"instrument": instrument, "name": instrument.name(lang), "reason": reason}
                )
    context = {
        **page_context(grant),
        "waiting": [{"item": item, "name": item.instrument.name(lang)} for item in waiting],
        "results": results,
        "offered": offered,
        "may_answer": may_answer(grant),
        "chime_code": _chime_instrument_code(grant, answered_codes),
    }
    return render(request, "measures/home.html", context)


def _chime_instrument_code(grant: access.PersonAccess, codes: list[str]) -> str | None:
    """The first answered instrument with CHIME scales and at least two answers."""
    for code in codes:
        found = list(queries.responses(grant.person, code)[:2])
        if len(found) == 2 and present.chime_axes(found[0], language()):
            return code
    return None


@require_http_methods(["GET", "POST"])
@login_required
def answer(request: HttpRequest, person_id: int, code: str) -> HttpResponse:
    """One questionnaire, in the viewer's language. Items that depend on earlier answers appear
    when those answers are given (htmx re-asks the server; without script, the "show" button)."""
    grant = open_measures(request, person_id, why="answer a measure")
    require(may_answer(grant))
    instrument = _instrument(code)
    version = current_version(instrument)
    reason = services.sendable_reason(version) if version is not None else _no_version_reason()
    schedule = _schedule_from(request, grant, instrument)
    context: dict[str, object] = {
        **page_context(grant),
        "instrument": instrument,
        "name": instrument.name(language()),
        "reason": reason,
        "schedule": schedule,
    }
    if version is None or reason is not None:
        return render(request, "measures/answer.html", context)
    posted = request.method == "POST"
    form = QuestionnaireForm(
        version.questionnaire,
        language(),
        with_staff=not grant.is_self,
        data=request.POST if posted else None,
    )
    refresh = posted and "_refresh" in request.POST
    # The version the form was built from. If it was retired while the person was answering,
    # the engine refuses it with its reason, and the page shows the current version's questions.
    answered_version = _posted_version(request, instrument) or version
    if posted and not refresh and form.is_valid():
        try:
            response = services.submit_response(
                grant.actor,
                grant.person,
                answered_version,
                form.answers(),
                together_with_staff=bool(form.cleaned_data.get("together_with_staff")),
                schedule=schedule,
            )
        except PermissionDenied as denied:
            raise Http404() from denied
        except ValidationError as invalid:
            add_errors(form, invalid)
        else:
            return redirect("measures:result", person_id=person_id, response_id=response.pk)
    enabled = enabled_items(version.questionnaire, form.raw_answers())
    if refresh and request.headers.get("HX-Request"):
        # Only which questions apply goes back; the page shows or hides them (questions.js).
        # Nothing on the page is replaced, so answers given while this request was on its way
        # are never lost.
        shown = HttpResponse(status=200)
        shown["HX-Trigger"] = json.dumps({"measures:enabled": {"ids": sorted(enabled)}})
        return shown
    context.update(
        {
            "form": form,
            "version": version,
            "questions": form.questions(enabled, errors_shown=posted and not refresh),
            "has_conditions": any(item.get("enableWhen") for item in form.items),
        }
    )
    return render(request, "measures/answer.html", context)


def _posted_version(request: HttpRequest, instrument: Instrument) -> QuestionnaireVersion | None:
    version_id = parse_id(request.POST.get("version"))
    if version_id is None:
        return None
    return QuestionnaireVersion.objects.filter(pk=version_id, instrument=instrument).first()


def _no_version_reason() -> str:
    return _("This questionnaire has no current version, so it cannot be answered.")


def _schedule_from(
    request: HttpRequest, grant: access.PersonAccess, instrument: Instrument
) -> Schedule | None:
    """The schedule this answer fulfils: named in the link from "waiting for you", or else the
    person's active schedule for this measure, if any."""
    raw = request.POST.get("schedule") or request.GET.get("schedule") or ""
    schedules = Schedule.objects.filter(person=grant.person, instrument=instrument, active=True)
    schedule_id = parse_id(raw)
    if schedule_id is not None:
        return schedules.filter(pk=schedule_id).first()
    return schedules.order_by("next_due_on", "id").first()


def _open_response(
    request: HttpRequest, person_id: int, response_id: int, *, why: str
) -> tuple[Response, access.PersonAccess]:
    return access.open_record(
        request,
        Response.objects.filter(person_id=person_id).select_related("version", "instrument"),
        response_id,
        Section.MEASURES,
        why=why,
    )


def _goals(grant: access.PersonAccess) -> list[Goal]:
    """Goals an agreed action may become a step of: only when the viewer may see the plan."""
    if not grant.allows(Section.PLAN):
        return []
    return list(
        Goal.objects.filter(person=grant.person, status=GoalStatus.ACTIVE).order_by(
            "created_at", "pk"
        )
    )


@require_http_methods(["GET", "POST"])
@login_required
def result(request: HttpRequest, person_id: int, response_id: int) -> HttpResponse:
    """Scores and what they mean; for DIALOG-style measures, up to three areas to talk about and
    what was agreed for each (which can become a step of a goal in the plan)."""
    response, grant = _open_response(request, person_id, response_id, why="measure result")
    lang = language()
    talk = present.talk_state(response, lang)
    goals = _goals(grant)
    areas_form = TalkAreasForm(talk.choices, initial={"areas": talk.picked})
    action_forms = {area.pk: TalkActionForm(goals, prefix_id=area.pk) for area in talk.areas}
    if request.method == "POST":
        require(talk.enabled and may_answer(grant))
        try:
            done = _post_result(request, grant, response, talk, goals, areas_form, action_forms)
        except PermissionDenied as denied:
            raise Http404() from denied
        if isinstance(done, HttpResponse):
            return done
        areas_form = done
    context = {
        **page_context(grant),
        "response": response,
        "name": response.instrument.name(lang),
        "scores": present.score_lines(response, lang),
        "answers": present.answers_in_words(response, lang),
        "talks": talk.enabled,
        "may_talk": talk.enabled and may_answer(grant),
        "locked": talk.locked,
        "areas_form": areas_form,
        "areas": [
            {"area": area, "label": talk.label(area.link_id), "form": action_forms[area.pk]}
            for area in talk.areas
        ],
    }
    return render(request, "measures/result.html", context)


def _post_result(
    request: HttpRequest,
    grant: access.PersonAccess,
    response: Response,
    talk: present.TalkState,
    goals: list[Goal],
    areas_form: TalkAreasForm,
    action_forms: dict[int, TalkActionForm],
) -> HttpResponse | TalkAreasForm:
    """Choose the areas to talk about, or agree an action for one. A redirect when saved;
    otherwise the areas form to show again (action forms with errors are updated in place)."""
    back = redirect("measures:result", person_id=grant.person.pk, response_id=response.pk)
    action = request.POST.get("action")
    if action == "areas":
        require(not talk.locked)
        areas_form = TalkAreasForm(talk.choices, request.POST)
        if areas_form.is_valid():
            try:
                services.choose_talk_areas(grant.actor, response, areas_form.cleaned_data["areas"])
            except ValidationError as invalid:
                add_errors(areas_form, invalid)
            else:
                return back
        return areas_form
    if action != "agree":
        raise Http404()
    area_id = parse_id(request.POST.get("area"))
    area = next((a for a in talk.areas if a.pk == area_id), None)
    if area is None:
        raise Http404()
    form = TalkActionForm(goals, request.POST, prefix_id=area.pk)
    action_forms[area.pk] = form
    if form.is_valid():
        try:
            services.add_talk_action(
                grant.actor,
                area,
                text=form.cleaned_data["text"],
                goal=form.cleaned_data.get("goal"),
                due_on=form.cleaned_data.get("due_on"),
            )
        except ValidationError as invalid:
            add_errors(form, invalid)
        else:
            return back
    return areas_form


@require_GET
@login_required
def trend(request: HttpRequest, person_id: int, code: str) -> HttpResponse:
    """Every scale of one measure over time: a chart and the same numbers as a table."""
    grant = open_measures(request, person_id, why="measure trend")
    instrument = _instrument(code)
    lang = language()
    context = {
        **page_context(grant),
        "instrument": instrument,
        "name": instrument.name(lang),
        "charts": present.trend_charts(grant.person, instrument, lang, staff=grant.acts_as_staff),
        "responses": list(queries.responses(grant.person, code)[:50]),
    }
    return render(request, "measures/trend.html", context)


@require_GET
@login_required
def chime(request: HttpRequest, person_id: int, code: str) -> HttpResponse:
    """The five CHIME processes on two dates the reader picks (the latest two by default)."""
    grant = open_measures(request, person_id, why="CHIME comparison")
    instrument = _instrument(code)
    lang = language()
    answered = list(queries.responses(grant.person, code)[:200])
    by_id = {r.pk: r for r in answered}

    def chosen(name: str, fallback: int) -> Response | None:
        wanted = parse_id(request.GET.get(name))
        if wanted is not None and wanted in by_id:
            return by_id[wanted]
        return answered[fallback] if len(answered) > fallback else None

    second, first = chosen("second", 0), chosen("first", 1)
    chart: charts.Chart | None = None
    if first is not None and second is not None:
        if first.authored_at > second.authored_at:
            first, second = second, first
        axes = present.chime_axes(second, lang)
        if axes:
            low, high = present.chime_range(second, axes)
            chart = charts.chime_radar(
                chart_id="chime-compare",
                title=str(instrument.name(lang)),
                axes=[axis for _code, axis in axes],
                first=present.chime_snapshot(first, axes),
                second=present.chime_snapshot(second, axes),
                min_value=low,
                max_value=high,
            )
    context = {
        **page_context(grant),
        "instrument": instrument,
        "name": instrument.name(lang),
        "answered": answered,
        "first": first,
        "second": second,
        "chart": chart,
        "today": timezone.localdate(),
    }
    return render(request, "measures/chime.html", context)
