"""Insight pages: the dashboard per unit, organisation or across organisations, and its files.

Only team leaders, service managers and analysts reach them (``queries.open_scope``); everyone else
gets 404. The pages read rollups only and never name a person.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from alongside.accounts.models import User
from alongside.audit.log import Actor
from alongside.core.pages import add_errors, denied_as_404, require
from alongside.core.roles import primary_role
from alongside.frameworks.models import Concept
from alongside.insight import exports, extract, queries, services, survey
from alongside.insight.actions import may_lead, record_action, review_action
from alongside.insight.forms import ActionForm, ApprovalForm
from alongside.insight.gapchart import gap_chart
from alongside.insight.indicators import Domain, Indicator, Kind, month_start
from alongside.insight.models import ExtractApproval, ImprovementAction, InsightSharing
from alongside.insight.runchart import Annotation, RunChart, RunPoint, month_label, run_chart
from alongside.measures import services as measures_services
from alongside.measures.charts import format_number
from alongside.measures.definitions import item_text
from alongside.measures.forms import QuestionnaireForm
from alongside.measures.models import Instrument, UnitSchedule
from alongside.organisations.models import Organisation, Role, Unit


def _user(request: HttpRequest) -> User:
    user = request.user
    require(isinstance(user, User))
    assert isinstance(user, User)
    return user


def unit_label(indicator: Indicator) -> str:
    if indicator.kind is Kind.SHARE:
        return _("per cent")
    if indicator.scale == 1000:
        return _("per 1,000")
    return _("per person")


@dataclass(frozen=True)
class IndicatorPanel:
    figures: queries.IndicatorFigures
    chart: RunChart
    latest: queries.Comparison | None
    unit_label: str
    also_themes: list[str]
    groups: list[queries.GroupRow]
    # The latest month's side-by-side rows and the group rows as HTML (see ``_figure_rows``).
    compare_rows: SafeString
    group_rows: SafeString


def _value_text(figure: queries.Figure) -> str:
    if figure.value is None:
        return _("hidden") if figure.hidden else "\u2013"  # an en dash: no value
    return format_number(figure.value)


def _row(header: str, *cells: str, css: str = "") -> str:
    escape = conditional_escape
    opening = f'<tr class="{css}">' if css else "<tr>"
    tds = "".join(f"<td>{escape(cell)}</td>" for cell in cells)
    return f'{opening}<th scope="row">{escape(header)}</th>{tds}</tr>'


def _figure_rows(comparison: queries.Comparison | None) -> SafeString:
    """The side-by-side table's rows, members then the total, built in Python (every text
    escaped in ``_row``): a dashboard has one such table per indicator, and a template loop over
    their cells cost more than everything else on the page."""
    if comparison is None:
        return SafeString("")
    text = queries.cell_text
    rows = [
        _row(member.name, text(f.numerator), text(f.denominator), _value_text(f))
        for member, f in comparison.rows
    ]
    total = comparison.total
    rows.append(
        _row(
            _("All together"),
            text(total.numerator),
            text(total.denominator),
            _value_text(total),
            css="total",
        )
    )
    return mark_safe("".join(rows))  # ``_row`` escaped every text


def _group_rows(groups: list[queries.GroupRow]) -> SafeString:
    rows = [_row(row.label, queries.cell_text(row.count)) for row in groups]
    return mark_safe("".join(rows))  # ``_row`` escaped every text


@dataclass(frozen=True)
class ThemePanel:
    concept: Concept
    panels: list[IndicatorPanel]
    see_also: list[Indicator]


@dataclass(frozen=True)
class DomainPanel:
    concept: Concept
    themes: list[ThemePanel]


def _panel(
    index: int,
    figures: queries.IndicatorFigures,
    names: dict[str, str],
    notes: dict[str, list[Annotation]],
    groups: dict[str, list[queries.GroupRow]],
) -> IndicatorPanel:
    indicator = figures.indicator
    label = unit_label(indicator)
    points = [
        RunPoint(
            period,
            figure.value,
            queries.cell_text(figure.numerator),
            queries.cell_text(figure.denominator),
        )
        for period, figure in figures.series
    ]
    chart = run_chart(
        chart_id=f"run-{index}",
        title=str(indicator.name),
        points=points,
        unit_label=label,
        annotations=notes.get(indicator.code, []),
    )
    latest = figures.comparisons[-1] if figures.comparisons else None
    by_group = groups.get(indicator.code, [])
    return IndicatorPanel(
        figures,
        chart,
        latest,
        label,
        [names[code] for code in indicator.themes[1:]],
        by_group,
        _figure_rows(latest),
        _group_rows(by_group),
    )


def _domains(
    all_figures: list[queries.IndicatorFigures],
    actions: list[ImprovementAction],
    groups: dict[str, list[queries.GroupRow]],
) -> list[DomainPanel]:
    concepts = {
        c.code: c for c in Concept.objects.filter(code__startswith="practice.").order_by("position")
    }
    names = {code: concept.name for code, concept in concepts.items()}
    notes: dict[str, list[Annotation]] = {}
    for number, action in enumerate(actions, start=1):
        if action.indicator:
            label = _("action %(number)s") % {"number": number}
            period = month_start(timezone.localtime(action.created_at).date())
            notes.setdefault(action.indicator, []).append(Annotation(period, label))
    panels = {
        f.indicator.code: _panel(i, f, names, notes, groups) for i, f in enumerate(all_figures)
    }
    domains = []
    for domain in Domain:
        domain_concept = concepts.get(domain.value)
        if domain_concept is None:
            continue
        themes = []
        for theme in sorted(
            (c for c in concepts.values() if c.parent_id == domain_concept.pk),
            key=lambda c: c.position,
        ):
            first = [p for p in panels.values() if p.figures.indicator.themes[0] == theme.code]
            also = [
                p.figures.indicator
                for p in panels.values()
                if theme.code in p.figures.indicator.themes[1:]
            ]
            themes.append(ThemePanel(theme, first, also))
        domains.append(DomainPanel(domain_concept, themes))
    return domains


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    links = queries.scope_links(_user(request))
    require(bool(links))
    return render(request, "insight/home.html", {"links": links})


def _until(request: HttpRequest) -> date | None:
    """``?until=YYYY-MM``: the last month shown (default: this month)."""
    raw = request.GET.get("until", "")
    try:
        return datetime.strptime(raw, "%Y-%m").date() if raw else None  # noqa: DTZ007
    except ValueError:
        return None


@require_GET
@login_required
def dashboard(request: HttpRequest, kind: str, pk: int = 0) -> HttpResponse:
    user = _user(request)
    rights = queries.readable(user)
    scope = queries.open_scope(user, kind, pk, rights)
    # The page compares members in the latest month only; the files carry every month.
    figures = queries.scope_figures(scope, today=_until(request), every_row=False)
    sharing = None
    manages = False
    if scope.kind is queries.ScopeKind.ORGANISATION:
        sharing = InsightSharing.objects.filter(organisation_id=scope.pk).first()
        manages = scope.pk in rights.managed
    actions = list(
        ImprovementAction.objects.filter(unit_id__in=scope.unit_ids)
        .select_related("owner", "unit")
        .order_by("created_at", "id")
    )
    leads = scope.kind is queries.ScopeKind.UNIT and may_lead(user, Unit.objects.get(pk=scope.pk))
    asked = (
        set(
            UnitSchedule.objects.filter(
                unit_id=scope.pk,
                active=True,
                instrument__code__in=[survey.instrument_code(s) for s in survey.SIDES],
            ).values_list("audience", flat=True)
        )
        if leads
        else set()
    )
    latest = figures[0].comparisons[-1].period if figures and figures[0].comparisons else None
    return render(
        request,
        "insight/dashboard.html",
        {
            "scope": scope,
            "domains": _domains(
                figures, actions, queries.group_figures(scope, latest) if latest else {}
            ),
            "actions": actions,
            "action_form": ActionForm(scope.pk) if leads else None,
            "leads": leads,
            "asks_persons": "person" in asked,
            "asks_staff": "staff" in asked,
            "latest": month_label(latest) if latest else "",
            "compared": len(scope.members) > 1,
            "links": queries.scope_links(user, rights),
            "sharing": sharing,
            "manages": manages,
        },
    )


@require_GET
@login_required
def download(request: HttpRequest, kind: str, fmt: str, pk: int = 0) -> HttpResponse:
    scope = queries.open_scope(_user(request), kind, pk)
    figures = queries.scope_figures(scope, today=_until(request))
    shown = [c.period for c in figures[0].comparisons] if figures else []
    table = exports.rows(scope, figures, queries.group_series(scope, shown))
    name = f"insight-{scope.kind}-{scope.pk}"
    if fmt == "csv":
        response = HttpResponse(exports.to_csv(table), content_type="text/csv; charset=utf-8")
    elif fmt == "parquet":
        response = HttpResponse(
            exports.to_parquet(table), content_type="application/vnd.apache.parquet"
        )
    else:
        raise Http404()
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@require_POST
@login_required
@denied_as_404
def sharing(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    organisation = Organisation.objects.filter(pk=pk).first()
    require(organisation is not None)
    assert organisation is not None
    services.set_sharing(
        Actor(user, Role.SERVICE_MANAGER),
        organisation,
        team_leaders_see_organisation=request.POST.get("share") == "on",
    )
    return redirect("insight:organisation", pk=organisation.pk)


@require_POST
@login_required
@denied_as_404
def survey_schedule(request: HttpRequest, pk: int) -> HttpResponse:
    """The unit's team leader (or a service manager) starts or stops asking persons and staff
    to answer the survey each quarter, through the measures schedules."""
    user = _user(request)
    unit = Unit.objects.filter(pk=pk).first()
    require(unit is not None and may_lead(user, unit))
    assert unit is not None
    actor = Actor(user, primary_role(user))
    for side in survey.SIDES:
        asked = request.POST.get(f"ask_{side}") == "on"
        current = UnitSchedule.objects.filter(
            unit=unit, audience=side, instrument__code=survey.instrument_code(side), active=True
        ).first()
        if asked and current is None:
            instrument = Instrument.objects.get(code=survey.instrument_code(side))
            measures_services.schedule_for_unit(actor, unit, instrument, side)
        elif not asked and current is not None:
            measures_services.end_unit_schedule(actor, current)
    messages.success(request, _("Saved. Who is asked changes from now on."))
    return redirect("insight:unit", pk=unit.pk)


@require_http_methods(["GET", "POST"])
@login_required
def survey_page(request: HttpRequest) -> HttpResponse:
    """The recovery-orientation survey: persons with a stay, and staff with a care role."""
    user = _user(request)
    side = services.survey_asked(user)
    require(side is not None)
    assert side is not None
    lang = (get_language() or "en")[:2]
    questions = survey.questionnaire(side)
    done = services.already_answered(user, side)
    form = QuestionnaireForm(
        questions, lang, with_staff=False, data=request.POST if request.method == "POST" else None
    )
    if request.method == "POST" and not done and form.is_valid():
        try:
            services.answer_survey(Actor(user, primary_role(user)), side, form.answers())
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Thank you. Your answers are kept without your name."))
            return redirect("insight:survey")
    return render(
        request,
        "insight/survey.html",
        {
            "form": form,
            "done": done,
            "title": survey.definition(side)["names"].get(
                lang, survey.definition(side)["names"]["en"]
            ),
            "intro": item_text(questions["item"][0], lang),
        },
    )


@require_GET
@login_required
def gap(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff and persons side by side, theme by theme, for one unit and quarter."""
    scope = queries.open_scope(_user(request), queries.ScopeKind.UNIT, pk)
    raw = request.GET.get("quarter", "")
    try:
        day = datetime.strptime(raw, "%Y-%m").date() if raw else timezone.localdate()  # noqa: DTZ007
    except ValueError:
        day = timezone.localdate()
    period = survey.quarter_start(day)
    names = {c.code: c.name for c in Concept.objects.filter(code__startswith="practice.")}
    chart = gap_chart(
        "gap",
        _("Staff minus persons, theme by theme, quarter from %(day)s")
        % {"day": month_label(period)},
        queries.survey_gaps(scope, period),
        names,
    )
    return render(request, "insight/gap.html", {"scope": scope, "chart": chart, "period": period})


@require_POST
@login_required
@denied_as_404
def add_action(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    scope = queries.open_scope(user, queries.ScopeKind.UNIT, pk)
    unit = Unit.objects.get(pk=scope.pk)
    require(may_lead(user, unit))
    form = ActionForm(unit.pk, request.POST)
    if form.is_valid():
        try:
            record_action(
                Actor(user, primary_role(user)),
                unit,
                theme=form.cleaned_data["theme"],
                indicator=form.cleaned_data["indicator"],
                what=form.cleaned_data["what"],
                owner=form.cleaned_data["owner"],
                review_on=form.cleaned_data["review_on"],
                barrier=form.cleaned_data["barrier"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The improvement action is recorded."))
            return redirect("insight:unit", pk=unit.pk)
    return render(request, "insight/action_form.html", {"scope": scope, "action_form": form})


@require_POST
@login_required
@denied_as_404
def review(request: HttpRequest, action_id: int) -> HttpResponse:
    user = _user(request)
    action = ImprovementAction.objects.filter(pk=action_id).select_related("unit").first()
    require(action is not None)
    assert action is not None
    try:
        review_action(Actor(user, primary_role(user)), action, note=request.POST.get("note", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("insight:unit", pk=action.unit_id)


@require_http_methods(["GET", "POST"])
@login_required
@denied_as_404
def extract_page(request: HttpRequest) -> HttpResponse:
    """Analysts only: record an approval, then run a pseudonymised extract under it."""
    user = _user(request)
    actor = Actor(user, Role.ANALYST)
    require(extract.is_analyst(actor))
    form = ApprovalForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            extract.record_approval(actor, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The approval is recorded."))
            return redirect("insight:extract")
    return render(
        request,
        "insight/extract.html",
        {"form": form, "approvals": ExtractApproval.objects.select_related("recorded_by")},
    )


@require_POST
@login_required
@denied_as_404
def extract_run(request: HttpRequest, approval_id: int, fmt: str) -> HttpResponse:
    user = _user(request)
    actor = Actor(user, Role.ANALYST)
    require(extract.is_analyst(actor) and fmt in ("csv", "parquet"))
    approval = ExtractApproval.objects.filter(pk=approval_id).first()
    require(approval is not None)
    assert approval is not None
    try:
        made = extract.run_extract(actor, approval)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("insight:extract")
    if fmt == "csv":
        response = HttpResponse(extract.to_csv(made.rows), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            extract.to_parquet(made.rows), content_type="application/vnd.apache.parquet"
        )
    response["Content-Disposition"] = f'attachment; filename="extract-{made.run.pk}.{fmt}"'
    return response
