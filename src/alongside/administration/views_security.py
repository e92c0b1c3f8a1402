"""Administration pages for sign-in security: the organisation's two-step verification rule and a
staff member's temporary password. Service administrators of the organisation only (404 for
everyone else); the rules live in ``administration.security``."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from alongside.administration import queries, security
from alongside.administration.views import _admin
from alongside.core.pages import denied_as_404, require


class MfaRuleForm(forms.Form):
    mfa_required = forms.BooleanField(
        label=gettext_lazy("Staff must use two-step verification"),
        required=False,
        help_text=gettext_lazy(
            "Staff without an authenticator app or a security key are asked to set one up at "
            "their next page, before anything else. Signing in through the organisation's own "
            "identity provider counts when the service is configured so."
        ),
    )


@require_http_methods(["GET", "POST"])
@login_required
@denied_as_404
def sign_in_security(request: HttpRequest) -> HttpResponse:
    organisation, actor = _admin(request)
    current = security.mfa_required(organisation)
    form = MfaRuleForm(
        request.POST if request.method == "POST" else None, initial={"mfa_required": current}
    )
    if form.is_bound and form.is_valid():
        required = bool(form.cleaned_data["mfa_required"])
        security.set_mfa_required(actor, organisation, required, request=request)
        if required:
            messages.success(request, _("Staff must now use two-step verification."))
        else:
            messages.success(request, _("Two-step verification is now optional for staff."))
        return redirect("administration:security")
    context = {"organisation": organisation, "form": form, "required": current}
    return render(request, "administration/security.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
@login_required
@denied_as_404
def temporary_password(request: HttpRequest, user_id: int) -> HttpResponse:
    """Explain, then make a temporary password and show it once to this administrator."""
    organisation, actor = _admin(request)
    member = queries.staff_of(organisation).filter(pk=user_id).first()
    require(member is not None)
    assert member is not None
    refusal = security.temporary_password_refusal(actor, organisation, member)
    context: dict[str, object] = {
        "organisation": organisation,
        "member": member,
        "refusal": refusal,
    }
    if request.method == "POST" and refusal is None:
        try:
            password = security.give_temporary_password(
                actor, organisation, member, request=request
            )
        except ValidationError as refused:
            context["refusal"] = " ".join(refused.messages)
        else:
            context["password"] = password
            response = render(request, "administration/temporary_password.html", context)
            response["Cache-Control"] = "private, no-store"
            return response
    return render(request, "administration/temporary_password.html", context)
