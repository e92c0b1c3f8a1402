"""Persons (service users) and their stays or episodes of care.

There is deliberately no diagnosis field here: a person's record opens with who they are and what
matters to them (domain brief, design principle 4).
"""

from __future__ import annotations

import uuid
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from alongside.organisations.models import Unit


class Person(models.Model):
    fhir_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="person",
        verbose_name=_("login"),
    )
    name = models.CharField(_("full name"), max_length=200)
    preferred_name = models.CharField(_("preferred name"), max_length=100, blank=True)
    pronouns = models.CharField(_("pronouns"), max_length=50, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    about_me = models.TextField(
        _("about me, in my own words"),
        blank=True,
        help_text=_("Written by the person; shown as their words."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["preferred_name", "name"]

    def __str__(self) -> str:
        return self.shown_name

    @property
    def shown_name(self) -> str:
        return self.preferred_name or self.name


class StayKind(models.TextChoices):
    INPATIENT = "inpatient", _("Inpatient stay")
    COMMUNITY = "community", _("Community follow-up")


class StayStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ACTIVE = "active", _("Active")
    ENDED = "ended", _("Ended")
    # Ended by a move to another unit: the care goes on there, so the sending unit keeps no
    # follow-up access (which only a stay that ended in discharge gives).
    TRANSFERRED = "transferred", _("Transferred")


class Stay(models.Model):
    """An inpatient stay (which may last years) or a community follow-up in one unit."""

    fhir_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="stays", verbose_name=_("person")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="stays", verbose_name=_("unit")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=StayKind.choices)
    status = models.CharField(_("status"), max_length=16, choices=StayStatus.choices)
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    next_review_on = models.DateField(_("next plan review"), null=True, blank=True)

    class Meta:
        ordering = ["-started_on"]
        indexes = [
            models.Index(fields=["unit", "status"]),
            models.Index(fields=["person", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="stay_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} - {self.unit} ({self.get_status_display()})"

    def length_in_days(self, today: date) -> int:
        return ((self.ended_on or today) - self.started_on).days


class IdentifierSystem(models.TextChoices):
    """Identifier systems as FHIR system URIs (stable codes). Validation rules per system live in
    the people services; the FHIR API exports ``system`` and ``value`` as they are."""

    DK_CPR = "urn:oid:1.2.208.176.1.2", _("Danish CPR number")
    LOCAL = "urn:alongside:local", _("Local record number")


class PersonIdentifier(models.Model):
    """A national or local identifier of a person (CPR, a hospital number, ...). A value is
    unique within its system; ``assigner`` names the organisation for local numbers."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="identifiers")
    system = models.CharField(_("identifier system"), max_length=200)
    value = models.CharField(_("identifier"), max_length=100)
    assigner = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["system", "value"], name="identifier_unique_per_system")
        ]

    def __str__(self) -> str:
        return f"{self.system}|{self.value}"
