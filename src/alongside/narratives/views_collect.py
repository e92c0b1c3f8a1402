"""Telling a story to a project, and seeing or withdrawing what one has told.

Who may tell: anyone signed in (a person, a staff member, an invited family member or friend) may
send a narrative to any project marked ``accepts_narratives``. Which projects those are is not
person data: the list shows their names and what they want to learn.

A narrative comes with explicit consent (service improvement, research, or both) and may be sent
anonymously to the service: the analysts do not see who wrote it; the audit log and the
``Source.submitted_by`` column do, which is how "My stories" finds it and how the writer withdraws
it. Withdrawal (``services.withdraw_consent``) takes it out of every later report and export.

Only the writer sees their own narratives here: any other narrative is a 404.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from alongside.accounts.models import User
from alongside.audit.log import Actor
from alongside.core.pages import add_errors, denied_as_404
from alongside.core.roles import kinds_of, primary_role
from alongside.narratives import services
from alongside.narratives.models import NarrativeProject, Source, SourceKind

MAX_NARRATIVE = 50_000
MAX_REASON = 500


class NarrativeForm(forms.Form):
    project = forms.ModelChoiceField(
        label=gettext_lazy("Who you are telling it to"),
        queryset=NarrativeProject.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
    )
    text = forms.CharField(
        label=gettext_lazy("Your story"),
        help_text=gettext_lazy(
            "In your own words: what happened, what helped, what got in the way."
        ),
        widget=forms.Textarea(attrs={"rows": 10}),
        max_length=MAX_NARRATIVE,
    )
    consent_improvement = forms.BooleanField(
        label=gettext_lazy("It may be used to improve the service"), required=False
    )
    consent_research = forms.BooleanField(
        label=gettext_lazy("It may be used for research"), required=False
    )
    anonymous = forms.BooleanField(
        label=gettext_lazy("Do not show my name to the people who read it"),
        help_text=gettext_lazy(
            "The analysts will not see who wrote it. The system still keeps a record that you "
            "sent it, so that you can find it here and withdraw it later."
        ),
        required=False,
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["project"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = open_projects()

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        if not (cleaned.get("consent_improvement") or cleaned.get("consent_research")):
            raise ValidationError(
                _("Say what your story may be used for: service improvement, research, or both.")
            )
        return cleaned


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why (optional)"),
        max_length=MAX_REASON,
        required=False,
    )


def open_projects() -> QuerySet[NarrativeProject]:
    return NarrativeProject.objects.filter(accepts_narratives=True).order_by("name", "pk")


def _actor(user: User) -> Actor:
    """The role the audit log names: the person, a staff role, or a supporter."""
    kinds = kinds_of(user)
    if kinds.is_person:
        return Actor(user, "person")
    if kinds.is_staff_member:
        return Actor(user, primary_role(user))
    return Actor(user, "supporter" if kinds.is_supporter else "user")


def _signed_in(request: HttpRequest) -> User:
    if not isinstance(request.user, User):
        raise Http404()
    return request.user


@require_http_methods(["GET", "POST"])
@login_required
@denied_as_404
def tell(request: HttpRequest) -> HttpResponse:
    """The projects that collect stories, and the form to tell one."""
    user = _signed_in(request)
    form = NarrativeForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            services.submit_narrative(
                _actor(user),
                form.cleaned_data["project"],
                form.cleaned_data["text"],
                consent_improvement=form.cleaned_data["consent_improvement"],
                consent_research=form.cleaned_data["consent_research"],
                anonymous_to_service=form.cleaned_data["anonymous"],
            )
        except ValidationError as invalid:
            add_errors(form, invalid)
        else:
            messages.success(
                request,
                _("Thank you for telling your story. You can withdraw it here at any time."),
            )
            return redirect("narratives:collect-mine")
    context = {"form": form, "projects": open_projects()}
    return render(request, "narratives/collect/tell.html", context)


def _own_narratives(user: User) -> list[Source]:
    return list(
        Source.objects.filter(submitted_by=user, kind=SourceKind.NARRATIVE)
        .select_related("project")
        .order_by("-created_at", "-pk")
    )


@require_http_methods(["GET"])
@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """The stories I told, with what I consented to and a way to withdraw each."""
    user = _signed_in(request)
    context = {"narratives": _own_narratives(user), "withdraw_form": WithdrawForm()}
    return render(request, "narratives/collect/mine.html", context)


@require_POST
@login_required
@denied_as_404
def withdraw(request: HttpRequest, source_id: int) -> HttpResponse:
    """Withdraw consent for one of my stories. Anyone else's story is a 404."""
    user = _signed_in(request)
    source = (
        Source.objects.filter(pk=source_id, submitted_by=user, kind=SourceKind.NARRATIVE)
        .select_related("project")
        .first()
    )
    if source is None:
        raise Http404()
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        context = {
            "narratives": _own_narratives(user),
            "withdraw_form": WithdrawForm(),
            "failed": source.pk,
            "failed_form": form,
        }
        return render(request, "narratives/collect/mine.html", context)
    services.withdraw_consent(_actor(user), source, why=form.cleaned_data["reason"])
    messages.success(
        request,
        _("Your story was withdrawn. It will not be used in any new analysis or export."),
    )
    return redirect("narratives:collect-mine")
