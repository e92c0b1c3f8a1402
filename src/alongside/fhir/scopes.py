"""What each SMART scope means, in the reader's language (the consent page shows these)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

SCOPE_LABELS: dict[str, Promise] = {
    "openid": _("Know who you are"),
    "fhirUser": _("Know who you are"),
    "launch/patient": _("Work with your own record"),
    "offline_access": _("Stay connected until you disconnect it"),
    "patient/*.read": _("Read your record: what you can see of it here"),
    "user/*.read": _("Read the records you can see here"),
    "system/*.read": _("Read for a connected system"),
    "patient/QuestionnaireResponse.write": _("Send your questionnaire answers"),
    "patient/Goal.write": _("Add and change your goals"),
}


def describe(scopes: list[str]) -> list[str]:
    seen: list[str] = []
    for scope in scopes:
        label = str(SCOPE_LABELS.get(scope, scope))
        if label not in seen:
            seen.append(label)
    return seen
