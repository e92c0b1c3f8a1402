"""Insight keeps aggregates only: one row per unit, month and indicator, never a person.

``IndicatorRollup`` holds the numerator and denominator an indicator counted in a unit for one
calendar month. The dashboard reads these rows and nothing else, so a page costs the same however
many persons the service has. ``refresh`` in ``services.py`` rewrites the rows of the months it is
asked for (the current and the previous month by default), so keeping them current is incremental.

``InsightSharing`` is an organisation's choice to let its team leaders see every unit of the
organisation side by side, not only their own.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from alongside.organisations.models import Organisation, Unit


class IndicatorRollup(models.Model):
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    # The first day of the calendar month counted.
    period = models.DateField()
    indicator = models.CharField(max_length=64)
    numerator = models.FloatField()
    denominator = models.FloatField()
    refreshed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "period", "indicator"], name="insight_rollup_unique"
            )
        ]
        indexes = [models.Index(fields=["indicator", "period"])]

    def __str__(self) -> str:
        return f"{self.indicator} {self.unit_id} {self.period}"


class IndicatorGroupRollup(models.Model):
    """An indicator's numerator counted by group for one unit and month (a barrier's recovery
    step or root, an open discharge item). Kept with the rollups, by the same refresh."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    period = models.DateField()
    indicator = models.CharField(max_length=64)
    group = models.CharField(max_length=100)
    count = models.FloatField()
    refreshed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "period", "indicator", "group"], name="insight_group_unique"
            )
        ]
        indexes = [models.Index(fields=["indicator", "period"])]

    def __str__(self) -> str:
        return f"{self.indicator} {self.group} {self.unit_id} {self.period}"


class InsightSharing(models.Model):
    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="insight_sharing"
    )
    team_leaders_see_organisation = models.BooleanField(
        _("team leaders see every unit of the organisation"), default=False
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )

    def __str__(self) -> str:
        return f"Insight sharing for {self.organisation_id}"


class SurveySide(models.TextChoices):
    PERSON = "person", _("Persons")
    STAFF = "staff", _("Staff")


class SurveyResponse(models.Model):
    """One anonymous answer to the recovery-orientation survey.

    Only the unit, the quarter and the side are kept: no person, no staff member, no time of day.
    The key is random, so the order of rows says nothing about who answered when.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    period = models.DateField()  # first day of the quarter
    side = models.CharField(max_length=8, choices=SurveySide.choices)
    version = models.CharField(max_length=16)
    # theme code -> 1..5, or None for "does not apply"
    answers = models.JSONField()

    class Meta:
        indexes = [models.Index(fields=["unit", "period", "side"])]

    def __str__(self) -> str:
        return f"Survey answer {self.side} {self.unit_id} {self.period}"


class SurveyTaken(models.Model):
    """Who has answered this quarter, so nobody is asked twice. Holds no answer."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    period = models.DateField()
    side = models.CharField(max_length=8, choices=SurveySide.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "period", "side"], name="insight_survey_once")
        ]

    def __str__(self) -> str:
        return f"Survey taken {self.user_id} {self.period}"


class ImprovementAction(models.Model):
    """What a team will change to move an indicator or a theme, who owns it, and by when."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    theme = models.CharField(_("practice theme"), max_length=100)
    indicator = models.CharField(_("indicator that should move"), max_length=64, blank=True)
    what = models.TextField(_("what will change"), max_length=2000)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("owner"),
    )
    review_on = models.DateField(_("review on"))
    # A barrier code from the frameworks (recovery.*), as coded in narratives.
    barrier = models.CharField(_("barrier it should remove"), max_length=100, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(max_length=2000, blank=True)

    class Meta:
        ordering = ["review_on", "id"]
        indexes = [models.Index(fields=["unit", "indicator"])]

    def __str__(self) -> str:
        return self.what[:60]


class ExtractApproval(models.Model):
    """The approval a pseudonymised extract rests on (an ethics committee, a registry agreement)."""

    reference = models.CharField(_("approval reference"), max_length=100)
    approved_by = models.CharField(_("approved by"), max_length=200)
    purpose = models.TextField(_("purpose"), max_length=2000)
    approved_on = models.DateField(_("approved on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-approved_on", "-id"]

    def __str__(self) -> str:
        return self.reference


class ExtractRun(models.Model):
    """That an extract was made, by whom, under which approval. The key is never kept."""

    approval = models.ForeignKey(ExtractApproval, on_delete=models.PROTECT, related_name="runs")
    run_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    run_at = models.DateTimeField(auto_now_add=True)
    rows = models.PositiveIntegerField()
    k = models.PositiveSmallIntegerField()

    def __str__(self) -> str:
        return f"Extract {self.pk} under {self.approval_id}"
