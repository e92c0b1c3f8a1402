"""The discharge checklist of an organisation, for its team leaders and service managers: add
the organisation's own items, hide or show items. Nobody else reaches this page (404). It holds
no person data."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from alongside.accounts.models import User
from alongside.audit.log import Actor
from alongside.core.pages import add_errors, denied_as_404, require
from alongside.discharge import items
from alongside.discharge.models import ItemKind


class ItemForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        help_text=gettext_lazy("A short stable name, for example gp_informed."),
        max_length=64,
        required=False,
    )
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=ItemKind.choices)
    label_en = forms.CharField(label=gettext_lazy("In English"), max_length=200, required=False)
    label_da = forms.CharField(label=gettext_lazy("In Danish"), max_length=200, required=False)
    label_ja = forms.CharField(label=gettext_lazy("In Japanese"), max_length=200, required=False)
    required = forms.BooleanField(
        label=gettext_lazy("Required before discharge"), required=False, initial=True
    )


@require_http_methods(["GET", "POST"])
@login_required
@denied_as_404
def checklist_items(request: HttpRequest) -> HttpResponse:
    user = request.user
    require(isinstance(user, User))
    assert isinstance(user, User)
    leading = items.configured_organisation(user.pk)
    require(leading is not None)
    assert leading is not None
    organisation, role = leading
    actor = Actor(user, role)
    form = ItemForm()
    hide_errors: dict[str, list[str]] = {}
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action in ("hide", "show"):
                code = request.POST.get("code", "")
                try:
                    items.set_hidden(
                        actor,
                        organisation,
                        code=code,
                        hidden=action == "hide",
                        reason=str(request.POST.get("reason", ""))[:1000],
                    )
                except ValidationError as refused:
                    hide_errors[code] = [str(m) for m in refused.messages]
                else:
                    messages.success(request, _("The checklist is changed."))
                    return redirect("discharge_service:items")
            else:
                require(action == "add")
                form = ItemForm(request.POST)
                if form.is_valid():
                    data = form.cleaned_data
                    items.add_item(
                        actor,
                        organisation,
                        code=data["code"],
                        kind=data["kind"],
                        labels={lang: data[f"label_{lang}"] for lang in ("en", "da", "ja")},
                        required=data["required"],
                    )
                    messages.success(request, _("The item is added."))
                    return redirect("discharge_service:items")
        except ValidationError as invalid:
            add_errors(form, invalid)
    context = {
        "organisation": organisation,
        "items": [(item, hide_errors.get(item.code, [])) for item in items.items_of(organisation)],
        "form": form,
        "decides_required": items.decides_required_items(actor, organisation),
    }
    return render(request, "discharge/items.html", context)
