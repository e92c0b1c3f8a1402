"""Organisations, units and staff roles.

A staff member holds a role in a unit; one person can hold several roles in several units, in
different organisations (a psychologist in a ward and on a community team, say).
"""

from __future__ import annotations

import uuid
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    HOSPITAL = "hospital", _("Psychiatric hospital / mental health centre")
    MUNICIPALITY = "municipality", _("Municipality")
    COMMUNITY_TEAM = "community_team", _("Community mental health team")
    PEER_ORGANISATION = "peer_organisation", _("Peer or voluntary organisation")
    GENERAL_PRACTICE = "general_practice", _("General practice (GP)")


class Organisation(models.Model):
    fhir_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=32, choices=OrganisationKind.choices)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class UnitKind(models.TextChoices):
    WARD = "ward", _("Ward")
    TEAM = "team", _("Team")
    SERVICE = "service", _("Service")


class Unit(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="units", verbose_name=_("organisation")
    )
    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=UnitKind.choices)

    class Meta:
        ordering = ["organisation__name", "name"]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    """Staff roles. Stable codes; labels are translated."""

    KEY_WORKER = "key_worker", _("Key worker / contact person")
    NURSE = "nurse", _("Nurse")
    CARE_WORKER = "care_worker", _("Social and health care worker")
    PEDAGOGUE = "pedagogue", _("Pedagogue")
    PSYCHOLOGIST = "psychologist", _("Psychologist")
    PSYCHIATRIST = "psychiatrist", _("Psychiatrist")
    OCCUPATIONAL_THERAPIST = "occupational_therapist", _("Occupational therapist")
    PHYSIOTHERAPIST = "physiotherapist", _("Physiotherapist")
    PEER_WORKER = "peer_worker", _("Peer support worker")
    TEAM_LEADER = "team_leader", _("Team leader")
    SERVICE_MANAGER = "service_manager", _("Service manager")
    CASEWORKER = "caseworker", _("Municipal caseworker")
    ANALYST = "analyst", _("Analyst")
    # Qualitative research (narratives projects); like the analyst, not a care role.
    RESEARCHER = "researcher", _("Researcher")


# Roles whose holders work with the persons staying in their unit and so may open their records
# during an active stay. Managers and analysts see aggregates only, researchers only the narratives
# projects they are members of; caseworkers and other external
# partners see a person only through the care network the person consented to.
CARE_ROLES: frozenset[str] = frozenset(
    {
        Role.KEY_WORKER,
        Role.NURSE,
        Role.CARE_WORKER,
        Role.PEDAGOGUE,
        Role.PSYCHOLOGIST,
        Role.PSYCHIATRIST,
        Role.OCCUPATIONAL_THERAPIST,
        Role.PHYSIOTHERAPIST,
        Role.PEER_WORKER,
        Role.TEAM_LEADER,
    }
)


class StaffRoleQuerySet(models.QuerySet["StaffRole"]):
    def current(self, today: date | None = None) -> StaffRoleQuerySet:
        """Roles in force today: started, and not ended (``ended_on`` is the first day without
        the role, so ending a role today ends it at once; a role may be given a later end)."""
        day = today or timezone.localdate()
        return self.filter(started_on__lte=day).filter(
            Q(ended_on__isnull=True) | Q(ended_on__gt=day)
        )


class StaffRole(models.Model):
    """A user's role in one unit. Ending it (``ended_on``) ends what the role gave access to."""

    fhir_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="staff_roles",
        verbose_name=_("user"),
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="staff_roles", verbose_name=_("unit")
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)

    objects = StaffRoleQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "unit", "role"],
                condition=Q(ended_on__isnull=True),
                name="one_current_role_per_unit",
            )
        ]
        indexes = [models.Index(fields=["user", "ended_on"])]

    def __str__(self) -> str:
        return f"{self.user} - {self.get_role_display()} - {self.unit}"
