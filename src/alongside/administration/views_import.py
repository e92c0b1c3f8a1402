"""The go-live import page: upload a CSV, see per line what would happen (a dry run), then
import it for real (all or nothing). The uploaded text waits in the session (database-backed,
so any app server can finish the import) and is checked again in full before it is written."""

from __future__ import annotations

import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from alongside.administration import importer
from alongside.administration.forms import ImportForm
from alongside.administration.views import _admin
from alongside.core.pages import denied_as_404

SESSION_KEY = "administration-import"


@require_http_methods(["GET", "POST"])
@login_required
@denied_as_404
def import_file(request: HttpRequest) -> HttpResponse:
    organisation, actor = _admin(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    report: importer.Report | None = None
    digest = ""
    if request.method == "POST" and form.is_valid():
        waiting = request.session.get(SESSION_KEY) or {}
        upload = form.cleaned_data.get("file")
        if request.POST.get("action") == "import":
            text = (
                waiting.get("text", "")
                if waiting.get("digest") == request.POST.get("digest")
                else ""
            )
            if not text:
                messages.error(request, _("Choose the file again: the checked file is gone."))
                return redirect("administration:import")
            report = importer.run(actor, organisation, text, apply=True)
            if report.applied:
                request.session.pop(SESSION_KEY, None)
                messages.success(request, _("The file is imported."))
            else:
                messages.error(request, _("Nothing was imported: the file has refused lines."))
        elif upload is not None:
            raw = upload.read(importer.MAX_BYTES + 1)
            report = importer.run(actor, organisation, raw, apply=False)
            if report.importable:
                text = importer.decode(raw)
                digest = hashlib.sha256(text.encode()).hexdigest()
                request.session[SESSION_KEY] = {"digest": digest, "text": text, "name": upload.name}
        else:
            form.add_error("file", _("Choose a CSV file."))
    context = {
        "organisation": organisation,
        "form": form,
        "report": report,
        "digest": digest,
    }
    return render(request, "administration/import.html", context)
