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
def role_label(code: str, to_person: bool = False) -> str:
    """A role code as words: "key_worker" -> "Key worker / contact person". "person" is "you" on
    the person's own pages (``role_label:grant.is_self``) and "the person" elsewhere."""
    if code == "person":
        return _("you") if to_person else _("the person themself")
    for choices in (Role, SupporterRelation):
        if code in choices.values:
            return str(choices(code).label)
    return code
