"""Text search and word frequency pages of a project (the core is ``search.py``).

Any member may use them, blind round or not: they read the source text every member may read,
and show nothing of anyone's coding. Only usable sources (consent in force for the project's
purpose) are read; ``access.open_project`` answers 404 to anyone else and audits the read.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.text import slugify
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from alongside import access
from alongside.core.csv_safe import csv_text
from alongside.narratives import charts, search, services

LANGUAGES = [
    ("en", gettext_lazy("English")),
    ("da", gettext_lazy("Danish")),
    ("ja", gettext_lazy("Japanese")),
    ("none", gettext_lazy("None (count every word)")),
]


class SearchForm(forms.Form):
    q = forms.CharField(
        label=gettext_lazy("Words or phrase"),
        max_length=search.MAX_QUERY,
        help_text=gettext_lazy(
            "Upper and lower case are the same; a phrase may run over a line end."
        ),
    )


class FrequencyForm(forms.Form):
    stop = forms.ChoiceField(label=gettext_lazy("Leave out the stop words of"), choices=LANGUAGES)
    top = forms.TypedChoiceField(
        label=gettext_lazy("How many words"),
        coerce=int,
        choices=[(n, str(n)) for n in (20, 50, 100, 200)],
    )


@require_GET
@login_required
def text_search(request: HttpRequest, project_id: int) -> HttpResponse:
    """Find words or a phrase in every usable text, with context and a link to code each hit."""
    grant = access.open_project(request, project_id, why="text search")
    form = SearchForm(request.GET if "q" in request.GET else None)
    hits: list[search.Hit] | None = None
    total = 0
    if form.is_bound and form.is_valid():
        sources = services.usable_sources(grant.project).order_by("pk")
        hits, total = search.find(
            sources.values_list("pk", "name", "text").iterator(), form.cleaned_data["q"]
        )
    context = {
        "grant": grant,
        "project": grant.project,
        "form": form,
        "hits": hits,
        "total": total,
        "shown": len(hits or []),
    }
    return render(request, "narratives/workbench/search.html", context)


def _frequency(
    request: HttpRequest, grant: access.ProjectAccess
) -> tuple[FrequencyForm, list[search.WordCount]]:
    language = (get_language() or "en")[:2]
    data = request.GET.copy()
    data.setdefault("stop", language if language in search.STOP_WORDS else "none")
    data.setdefault("top", "50")
    form = FrequencyForm(data)
    if not form.is_valid():
        return form, []
    stop = form.cleaned_data["stop"]
    texts = services.usable_sources(grant.project).values_list("text", flat=True).iterator()
    rows = search.frequency(
        texts, language="" if stop == "none" else stop, top=form.cleaned_data["top"]
    )
    return form, rows


@require_GET
@login_required
def word_frequency(request: HttpRequest, project_id: int) -> HttpResponse:
    """The most frequent words of the project's usable texts: a bar chart and the same table."""
    grant = access.open_project(request, project_id, why="word frequency")
    form, rows = _frequency(request, grant)
    chart = (
        charts.bar_chart(
            [(row.word, row.count, 0) for row in rows],
            title=_("Most frequent words"),
            description=_(
                "How often each word occurs in the project's texts; "
                "the table below holds the same numbers."
            ),
            chart_id="word-frequency-chart",
        )
        if rows
        else None
    )
    context = {
        "grant": grant,
        "project": grant.project,
        "form": form,
        "rows": rows,
        "chart": chart,
        "query": request.GET.urlencode(),
    }
    return render(request, "narratives/workbench/words.html", context)


@require_GET
@login_required
def word_frequency_csv(request: HttpRequest, project_id: int) -> HttpResponse:
    """The word frequency table as CSV (every cell made safe for spreadsheets)."""
    grant = access.open_project(request, project_id, why="word frequency (CSV)")
    _form, rows = _frequency(request, grant)
    response = HttpResponse(
        csv_text(search.frequency_csv_rows(rows)), content_type="text/csv; charset=utf-8"
    )
    stem = slugify(grant.project.name)[:60] or "project"
    response["Content-Disposition"] = f'attachment; filename="{stem}-words.csv"'
    response["Cache-Control"] = "no-store"
    return response
