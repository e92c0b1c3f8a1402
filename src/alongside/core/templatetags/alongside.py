"""Template filters used across the rooms."""

from __future__ import annotations

from django import template
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _

from alongside.network.models import SupporterRelation
from alongside.organisations.models import Role

register = template.Library()


@register.filter
def language_name(code: str) -> str:
    """The language's own name ("dansk", "日本語"), or the code if Django does not know it."""
    try:
        return str(get_language_info(code)["name_local"])
    except KeyError:
        return code


@register.filter
def role_label(code: str) -> str:
    """A role code as words: "key_worker" -> "Key worker / contact person"; "person" -> "you"."""
    if code == "person":
        return _("the person themself")
    for choices in (Role, SupporterRelation):
        if code in choices.values:
            return str(choices(code).label)
    return code
