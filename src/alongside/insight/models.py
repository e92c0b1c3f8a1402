"""Insight keeps aggregates only: one row per unit, month and indicator, never a person.

``IndicatorRollup`` holds the numerator and denominator an indicator counted in a unit for one
calendar month. The dashboard reads these rows and nothing else, so a page costs the same however
many persons the service has. ``refresh`` in ``services.py`` rewrites the rows of the months it is
asked for (the current and the previous month by default), so keeping them current is incremental.

``InsightSharing`` is an organisation's choice to let its team leaders see every unit of the
organisation side by side, not only their own.
"""

from __future__ import annotations

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
