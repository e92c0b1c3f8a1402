"""The crisis and safety plan, kept in versions the person confirms, and emergency access to it.

A version is never edited: a change is a new version. The current version is the newest one; the
emergency view shows the newest version the person has confirmed (and says so when a newer draft
waits for them).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from alongside.people.models import Person

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

SECTION_LIMIT = 4000

# The plan's sections, in the order they are shown, with the person-facing heading of each.
SECTIONS: list[tuple[str, StrOrPromise]] = [
    ("early_signs", _("My early signs")),
    ("what_helps", _("What helps me")),
    ("please_dont", _("What makes things worse: please don't")),
    ("contact_who", _("Who to contact")),
    ("contact_not", _("Who not to contact")),
    ("treatment_preferences", _("My treatment preferences and refusals")),
    ("proxy", _("Who speaks for me when I cannot: their name and how to reach them")),
    ("practical", _("Practical matters: children, pets, home, bills")),
    ("who_may_see", _("Who may see this plan")),
]


class CrisisPlanVersion(models.Model):
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="crisis_plans")
    number = models.PositiveIntegerField()
    early_signs = models.TextField(blank=True, max_length=SECTION_LIMIT)
    what_helps = models.TextField(blank=True, max_length=SECTION_LIMIT)
    please_dont = models.TextField(blank=True, max_length=SECTION_LIMIT)
    contact_who = models.TextField(blank=True, max_length=SECTION_LIMIT)
    contact_not = models.TextField(blank=True, max_length=SECTION_LIMIT)
    treatment_preferences = models.TextField(blank=True, max_length=SECTION_LIMIT)
    # A proxy the person chooses; like every section, it counts once the person has confirmed
    # the version (a staff-written version waits for her).
    proxy = models.TextField(blank=True, max_length=SECTION_LIMIT)
    practical = models.TextField(blank=True, max_length=SECTION_LIMIT)
    who_may_see = models.TextField(blank=True, max_length=SECTION_LIMIT)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    author_role = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["person", "number"], name="one_crisis_version_number")
        ]

    def __str__(self) -> str:
        return f"Crisis plan of {self.person}, version {self.number}"

    def sections(self) -> list[tuple[str, str, str]]:
        """(field, heading, text) for every section, in order."""
        return [(name, str(label), str(getattr(self, name))) for name, label in SECTIONS]

    def sections_dict(self) -> dict[str, str]:
        return {name: str(getattr(self, name)) for name, _label in SECTIONS}


class BreakGlassAccess(models.Model):
    """An emergency opening of a crisis plan by a clinician outside the person's network."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="break_glass")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=64)
    reason = models.TextField()
    opened_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()

    class Meta:
        ordering = ["-opened_at", "-id"]
        indexes = [models.Index(fields=["person", "user", "expires_at"])]

    def __str__(self) -> str:
        return f"Emergency access to {self.person}'s crisis plan by {self.user}"


# The restrictive practice register lives in its own module; import it so Django sees the models.
from alongside.safety.agreements import (  # noqa: E402
    Agreement,
    AgreementAnswer,
    RightsInfo,
    SupportRequest,
    TestResult,
)
from alongside.safety.decisions import DecisionOption, SharedDecision  # noqa: E402
from alongside.safety.restrictive import (  # noqa: E402
    Debrief,
    DebriefRule,
    EpisodeAccount,
    MeasureType,
    RestrictiveEpisode,
)

__all__ = [
    "SECTIONS",
    "Agreement",
    "AgreementAnswer",
    "BreakGlassAccess",
    "CrisisPlanVersion",
    "Debrief",
    "DebriefRule",
    "DecisionOption",
    "EpisodeAccount",
    "MeasureType",
    "RestrictiveEpisode",
    "RightsInfo",
    "SharedDecision",
    "SupportRequest",
    "TestResult",
]
