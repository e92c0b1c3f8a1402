"""What a care-network member may see: sections of the person's record, and common presets.

A section is a stable code. Each membership holds one flag per section; the access layer reads them.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Section(models.TextChoices):
    PLAN = "plan", _("Recovery plan")
    CRISIS_PLAN = "crisis_plan", _("Crisis plan")
    MEETINGS = "meetings", _("Meetings")
    MEASURES = "measures", _("Measures")
    NOTES = "notes", _("Notes")


ALL_SECTIONS: frozenset[Section] = frozenset(Section)


class ScopePreset(models.TextChoices):
    WHOLE_PLAN = "whole_plan", _("Everything in the plan")
    CRISIS_PLAN_ONLY = "crisis_plan_only", _("Crisis plan only")
    MEETINGS_ONLY = "meetings_only", _("Meetings only")


PRESET_SECTIONS: dict[ScopePreset, frozenset[Section]] = {
    ScopePreset.WHOLE_PLAN: ALL_SECTIONS,
    ScopePreset.CRISIS_PLAN_ONLY: frozenset({Section.CRISIS_PLAN}),
    ScopePreset.MEETINGS_ONLY: frozenset({Section.MEETINGS}),
}

# The model field that holds each section's flag on a membership.
SECTION_FIELD: dict[Section, str] = {section: f"sees_{section.value}" for section in Section}
