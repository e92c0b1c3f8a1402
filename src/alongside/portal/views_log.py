"""Who has looked at my record: the person's own access log, from the audit log.

Every access by someone else (reads, lists, changes, emergencies), grouped by day, filterable,
in her language. She can flag an entry she does not recognise; the organisation's privacy
contact is told and answers. The same log as a PDF.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from alongside import access
from alongside.audit import queries, services
from alongside.audit.models import AuditAction, AuditEvent
from alongside.core import pdf_files
from alongside.network.models import SupporterRelation
from alongside.network.scopes import Section
from alongside.organisations.models import Role

PDF_FOLDER = Path(__file__).resolve().parent / "templates" / "portal"
PDF_ROWS = 2000


def _date(value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _filters(request: HttpRequest) -> queries.LogFilters:
    who = request.GET.get("who", "")
    return queries.LogFilters(
        section=request.GET.get("section", ""),
        basis=request.GET.get("basis", ""),
        who=int(who) if who.isdigit() else None,
        since=_date(request.GET.get("since", "")),
        until=_date(request.GET.get("until", "")),
    )


def _role_label(code: str) -> str:
    if code in Role.values:
        return str(Role(code).label)
    if code in SupporterRelation.values:
        return str(SupporterRelation(code).label)
    return ""


def _action_text(action: str) -> str:
    texts = {
        AuditAction.READ: _("opened"),
        AuditAction.LIST: _("saw your name on a list"),
        AuditAction.CREATE: _("added something"),
        AuditAction.UPDATE: _("changed something"),
        AuditAction.END: _("ended something"),
        AuditAction.BREAK_GLASS: _("opened your crisis plan in an emergency"),
    }
    return texts.get(AuditAction(action), action) if action in AuditAction.values else action


def _basis_text(entry: queries.LogEntry) -> str:
    if entry.basis == "network":
        return _("in your network")
    if entry.basis == "unit":
        return _("works where you stay")
    if entry.basis == "break_glass":
        return _("emergency, reason: %(reason)s") % {"reason": entry.reason or "-"}
    return ""


@dataclass(frozen=True)
class Shown:
    """One line of the log, in her words."""

    entry: queries.LogEntry
    day: date
    who: str
    role: str
    action: str
    section: str
    basis: str


def _shown(entries: list[queries.LogEntry]) -> list[Shown]:
    return [
        Shown(
            entry=e,
            day=timezone.localtime(e.at).date(),
            who=e.who,
            role=", ".join(x for x in (_role_label(e.role), e.organisation) if x),
            action=_action_text(e.action),
            section=str(e.section.label) if e.section else "",
            basis=_basis_text(e),
        )
        for e in entries
    ]


def _context(grant: access.PersonAccess, filters: queries.LogFilters) -> dict[str, object]:
    return {
        "person": grant.person,
        "grant": grant,
        "filters": filters,
        "sections": list(Section),
        "people": queries.who_accessed(grant.person),
        "bases": [
            ("network", _("in your network")),
            ("unit", _("works where you stay")),
            ("break_glass", _("emergency")),
        ],
    }


@require_GET
@login_required
def record_log(request: HttpRequest) -> HttpResponse:
    grant = access.open_own_person(request, why="who has looked at my record")
    filters = _filters(request)
    number = request.GET.get("page", "1")
    page, entries = queries.log_page(grant.person, filters, int(number) if number.isdigit() else 1)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        **_context(grant, filters),
        "page": page,
        "entries": _shown(entries),
        "query": query.urlencode(),
    }
    return render(request, "portal/record_log.html", context)


@require_GET
@login_required
def record_log_pdf(request: HttpRequest) -> HttpResponse:
    from weasyprint import HTML

    grant = access.open_own_person(request, why="who has looked at my record, as PDF")
    filters = _filters(request)
    events = list(queries.events_for(grant.person, filters)[:PDF_ROWS])
    html = render_to_string(
        "portal/record_log_pdf.html",
        {
            **_context(grant, filters),
            "entries": _shown(queries.entries(grant.person, events)),
            "made_at": timezone.now(),
            "limit": PDF_ROWS,
        },
        request=request,
    )
    fetcher = pdf_files.local_fetcher(PDF_FOLDER, "the access log PDF")
    data: bytes = HTML(
        string=html, base_url=PDF_FOLDER.as_uri() + "/", url_fetcher=fetcher
    ).write_pdf(pdf_tags=True)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="who-looked-at-my-record.pdf"'
    return response


@require_POST
@login_required
def flag(request: HttpRequest, event_id: int) -> HttpResponse:
    grant = access.open_own_person(request, why="flag an access")
    event = AuditEvent.objects.filter(pk=event_id, person_id=grant.person.pk).first()
    if event is None:
        raise Http404()
    try:
        services.flag(grant.actor, grant.person, event, request.POST.get("words", ""))
    except ValidationError as invalid:
        messages.error(request, " ".join(invalid.messages))
    else:
        messages.success(
            request,
            _(
                "Thank you. The organisation's privacy contact has been told and will answer "
                "you here."
            ),
        )
    return redirect("portal:record_log")
