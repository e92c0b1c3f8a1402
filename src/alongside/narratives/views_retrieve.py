"""Retrieve every coded segment of a code, with context, filtered by the sources' attributes.

Any member reads it; whose coding it shows follows the reports (``views_reports.coding_choices``),
so during a blind round a coder retrieves only their own segments.
"""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from alongside import access
from alongside.narratives import retrieve, workbench
from alongside.narratives.views_reports import CONSENSUS, coding_choices, default_coding


class RetrieveForm(forms.Form):
    code = forms.TypedChoiceField(label=_("Code"), coerce=int)
    coding = forms.ChoiceField(label=_("Whose coding"))
    speaker_role = forms.CharField(label=_("Speaker role"), max_length=200, required=False)
    unit = forms.CharField(label=_("Unit"), max_length=200, required=False)
    case = forms.CharField(label=_("Case"), max_length=200, required=False)
    date_from = forms.DateField(
        label=_("From date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(
        self, *args: Any, codes: list[tuple[int, str]], codings: list[tuple[str, str]], **kw: Any
    ) -> None:
        super().__init__(*args, **kw)
        self.fields["code"].choices = codes  # type: ignore[attr-defined]
        self.fields["coding"].choices = codings  # type: ignore[attr-defined]


@require_GET
@login_required
def segments(request: HttpRequest, project_id: int) -> HttpResponse:
    grant = access.open_project(request, project_id, why="retrieve coded segments")
    codes = workbench.project_codes(grant.project)
    choices = coding_choices(grant)
    data = request.GET.copy()
    data.setdefault("coding", default_coding(grant, choices))
    form = RetrieveForm(
        data if "code" in request.GET else None,
        codes=[(code.pk, f"{code.codebook.name}: {code.name}") for code in codes],
        codings=choices,
        initial={"coding": default_coding(grant, choices)},
    )
    found: list[retrieve.Segment] | None = None
    if form.is_bound and form.is_valid():
        chosen = next(code for code in codes if code.pk == form.cleaned_data["code"])
        coding = form.cleaned_data["coding"]
        found = retrieve.segments(
            grant.project,
            chosen,
            coder_guid=None if coding == CONSENSUS else uuid.UUID(coding),
            consensus=coding == CONSENSUS,
            attributes=retrieve.AttributeFilter(
                speaker_role=form.cleaned_data["speaker_role"],
                unit=form.cleaned_data["unit"],
                case=form.cleaned_data["case"],
                date_from=form.cleaned_data["date_from"],
                date_to=form.cleaned_data["date_to"],
            ),
        )
    context = {"grant": grant, "project": grant.project, "form": form, "segments": found}
    return render(request, "narratives/reports/retrieve.html", context)
