"""What the handover summary page does with a request: which forms each reader gets, and what
each POST ``action`` means. Kept apart from the view so the view only opens, hands over and
renders.

Actions: ``draft`` (staff), ``staff_text`` (staff), ``comment`` and ``approve`` (the person on
their own login), ``in_person`` (staff, with a person who has no login, in person).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from alongside import access
from alongside.core.pages import add_errors, require
from alongside.discharge import handover
from alongside.discharge.forms import CommentForm, InPersonForm, StaffTextForm
from alongside.discharge.handover import StaleSummary
from alongside.discharge.models import HandoverSummary
from alongside.discharge.present import present
from alongside.discharge.queries import summary_for
from alongside.people.models import Stay
from alongside.relationship.queries import writes_as_staff


@dataclass
class HandoverPage:
    grant: access.PersonAccess
    stay: Stay
    summary: HandoverSummary | None
    is_staff: bool
    forms: dict[str, Form | None] = field(default_factory=dict)
    status: int = 200

    @classmethod
    def open(cls, grant: access.PersonAccess, stay: Stay) -> HandoverPage:
        page = cls(grant, stay, summary_for(stay), writes_as_staff(grant))
        page._fresh_forms()
        return page

    def _fresh_forms(self) -> None:
        summary, version = self.summary, {"version": self.summary.version} if self.summary else {}
        in_person = (
            summary is not None
            and self.is_staff
            and not summary.is_approved
            and handover.may_approve_in_person(self.stay)
        )
        self.forms = {
            "staff_form": StaffTextForm(initial={"staff_text": summary.staff_text, **version})
            if summary is not None and self.is_staff
            else None,
            "comment_form": CommentForm(initial=version)
            if summary is not None and self.grant.is_self
            else None,
            "in_person_form": InPersonForm(initial=version) if in_person else None,
        }

    def handle(self, request: HttpRequest) -> bool:
        """Carry out the POST's action. True when done (redirect); False to show the page again
        with the form's errors (and ``status``)."""
        action = request.POST.get("action", "")
        handler = _ACTIONS.get(action)
        if handler is None or (action != "draft" and self.summary is None):
            raise Http404()
        done = handler(self, request)
        if not done:
            self.summary = summary_for(self.stay)
        return done

    def context(self) -> dict[str, Any]:
        return {
            "person": self.grant.person,
            "grant": self.grant,
            "stay": self.stay,
            "summary": self.summary,
            "view": present(self.summary) if self.summary is not None else None,
            "is_staff": self.is_staff,
            **self.forms,
        }

    def _attempt(
        self, request: HttpRequest, name: str, form: Form, write: Callable[[], str]
    ) -> bool:
        """Validate ``form``, run ``write`` (which answers the success message); on a stale
        version or a service's refusal, keep the form with its errors."""
        self.forms[name] = form
        if not form.is_valid():
            return False
        try:
            messages.success(request, write())
        except StaleSummary as conflict:
            self.status = _stale(request, form, conflict)
        except ValidationError as invalid:
            add_errors(form, invalid)
        else:
            return True
        return False


def _draft(page: HandoverPage, request: HttpRequest) -> bool:
    require(page.is_staff)
    handover.draft_summary(page.grant.actor, page.stay)
    messages.success(request, _("The summary is drafted. The person can now read it."))
    return True


def _staff_text(page: HandoverPage, request: HttpRequest) -> bool:
    require(page.is_staff)
    assert page.summary is not None
    summary, form = page.summary, StaffTextForm(request.POST)

    def write() -> str:
        handover.edit_staff_text(
            page.grant.actor,
            summary,
            text=form.cleaned_data["staff_text"],
            version=form.cleaned_data["version"],
        )
        return _("Saved. The person is asked to approve again.")

    return page._attempt(request, "staff_form", form, write)


def _person(approve: bool) -> Callable[[HandoverPage, HttpRequest], bool]:
    def act(page: HandoverPage, request: HttpRequest) -> bool:
        require(page.grant.is_self)
        assert page.summary is not None
        summary, form = page.summary, CommentForm(request.POST)

        def write() -> str:
            text = form.cleaned_data["comment"]
            if approve:
                handover.approve(
                    page.grant.actor,
                    summary,
                    version=form.cleaned_data["version"],
                    comment_text=text,
                )
                return _("Thank you. You have approved the summary.")
            handover.comment(page.grant.actor, summary, text=text)
            return _("Your comment is saved.")

        return page._attempt(request, "comment_form", form, write)

    return act


def _in_person(page: HandoverPage, request: HttpRequest) -> bool:
    require(page.is_staff and handover.may_approve_in_person(page.stay))
    assert page.summary is not None
    summary, form = page.summary, InPersonForm(request.POST)

    def write() -> str:
        handover.approve_in_person(
            page.grant.actor,
            summary,
            version=form.cleaned_data["version"],
            person_present=form.cleaned_data["person_present"],
            said=form.cleaned_data["said"],
        )
        return _("Recorded: approved together with the person, in person.")

    return page._attempt(request, "in_person_form", form, write)


_ACTIONS: dict[str, Callable[[HandoverPage, HttpRequest], bool]] = {
    "draft": _draft,
    "staff_text": _staff_text,
    "comment": _person(approve=False),
    "approve": _person(approve=True),
    "in_person": _in_person,
}


def _stale(request: HttpRequest, form: Form, conflict: StaleSummary) -> int:
    """Keep what was typed; point the form at the current version and say what happened."""
    data = request.POST.copy()
    data["version"] = str(conflict.current_version)
    form.data = data
    form.add_error(
        None,
        _(
            "The summary changed while you had it open. Nothing was saved. Read it again "
            "below; what you wrote is still in the box."
        ),
    )
    return 409
