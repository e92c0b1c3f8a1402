"""The restrictive practice register: coercive measures, the debrief with the person, unit figures.

Kept apart from the crisis plan models so each module stays short. Measure types are data (a
national default taxonomy, extendable per organisation) with stable codes.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from alongside.organisations.models import Organisation, Unit
from alongside.people.models import Person

DEFAULT_DEBRIEF_HOURS = 72

# The default national taxonomy: code, English, Danish, Japanese.
DEFAULT_MEASURE_TYPES: list[tuple[str, str, str, str]] = [
    ("physical_holding", "Physical holding", "Fastholdelse", "身体的な抑止"),
    ("mechanical_restraint", "Mechanical restraint", "Bæltefiksering", "身体拘束（器具）"),
    ("seclusion", "Seclusion", "Afskærmning", "隔離"),
    ("forced_medication", "Forced medication", "Tvangsmedicinering", "強制的な投薬"),
    ("detention", "Detention", "Tvangstilbageholdelse", "強制的な入院・留置"),
    ("other", "Other restrictive measure", "Anden tvangsforanstaltning", "その他の制限"),
]


class DebriefRule(models.Model):
    """How soon after a restrictive measure the debrief is due, per organisation (default 72 h)."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="debrief_rule"
    )
    hours = models.PositiveSmallIntegerField(
        _("debrief due within (hours)"), validators=[MinValueValidator(1), MaxValueValidator(720)]
    )

    def __str__(self) -> str:
        return f"{self.organisation}: debrief within {self.hours} h"


class MeasureType(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    code = models.SlugField(max_length=64)
    label_en = models.CharField(max_length=100)
    label_da = models.CharField(max_length=100)
    label_ja = models.CharField(max_length=100)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "code"], name="one_measure_type_code")
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        language = (get_language() or "en")[:2]
        return str(getattr(self, f"label_{language}", "") or self.label_en)


class RestrictiveEpisode(models.Model):
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="restrictive")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    measure = models.ForeignKey(MeasureType, on_delete=models.PROTECT, verbose_name=_("measure"))
    started_at = models.DateTimeField(_("started"))
    ended_at = models.DateTimeField(_("ended"))
    reason = models.TextField(_("reason"), max_length=4000)
    alternatives_tried = models.TextField(_("less restrictive alternatives tried"), max_length=4000)
    staff_involved = models.TextField(_("staff involved"), max_length=1000, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_role = models.CharField(max_length=64)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        indexes = [models.Index(fields=["unit", "started_at"]), models.Index(fields=["person"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_at__gt=F("started_at")), name="episode_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.measure} for {self.person} at {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def hours(self) -> float:
        return (self.ended_at - self.started_at).total_seconds() / 3600


class Debrief(models.Model):
    episode = models.OneToOneField(
        RestrictiveEpisode, on_delete=models.PROTECT, related_name="debrief"
    )
    held_at = models.DateTimeField(_("held on"))
    person_account = models.TextField(_("the person's own account"), max_length=4000)
    prevention = models.TextField(_("what could prevent it next time"), max_length=4000, blank=True)
    crisis_plan_change = models.TextField(
        _("should the crisis plan change? how?"), max_length=4000, blank=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_role = models.CharField(max_length=64)
    recorded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Debrief of {self.episode}"


class EpisodeAccount(models.Model):
    """The person's own account of a restrictive measure, written by them: their words, and
    whether the account staff wrote down at the debrief is right. Every account is kept."""

    episode = models.ForeignKey(
        RestrictiveEpisode, on_delete=models.PROTECT, related_name="accounts"
    )
    words = models.TextField(_("what happened, in your own words"), max_length=4000, blank=True)
    debrief_is_right = models.BooleanField(null=True, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    author_role = models.CharField(max_length=64)
    written_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-written_at", "-pk"]

    def __str__(self) -> str:
        return f"Own account of {self.episode}"


def sync_default_measure_types(model: type[models.Model] | None = None) -> None:
    """Load the default taxonomy; never removes a type. Used by a migration, tests and reset."""
    target: Any = model or MeasureType
    for code, en, da, ja in DEFAULT_MEASURE_TYPES:
        target.objects.update_or_create(
            organisation=None, code=code, defaults={"label_en": en, "label_da": da, "label_ja": ja}
        )
