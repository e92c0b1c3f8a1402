"""Care-network memberships: who is involved with a person and what each may see.

Members may be staff of any organisation (a municipal caseworker, a GP) or informal supporters the
person invites (family, friends). A membership is active from ``started_at`` until ``ended_at``;
ending it removes access at once, because the access layer checks the time on every request.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from alongside.network.scopes import Section
from alongside.organisations.models import Organisation, Role
from alongside.people.models import Person


class SupporterRelation(models.TextChoices):
    FAMILY = "family", _("Family")
    FRIEND = "friend", _("Friend")
    OTHER_SUPPORTER = "other_supporter", _("Other supporter")


NETWORK_ROLE_CHOICES = [*Role.choices, *SupporterRelation.choices]


class MembershipQuerySet(models.QuerySet["CareNetworkMembership"]):
    def active_at(self, moment: datetime) -> MembershipQuerySet:
        return self.filter(started_at__lte=moment).filter(
            Q(ended_at__isnull=True) | Q(ended_at__gt=moment)
        )


class CareNetworkMembership(models.Model):
    fhir_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="network", verbose_name=_("person")
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="network_memberships",
        verbose_name=_("member"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("organisation"),
        help_text=_("Empty for family, friends and other informal supporters."),
    )
    role = models.CharField(_("role"), max_length=32, choices=NETWORK_ROLE_CHOICES)
    started_at = models.DateTimeField(_("from"))
    ended_at = models.DateTimeField(_("until"), null=True, blank=True)
    sees_plan = models.BooleanField(Section.PLAN.label, default=False)
    sees_crisis_plan = models.BooleanField(Section.CRISIS_PLAN.label, default=False)
    sees_meetings = models.BooleanField(Section.MEETINGS.label, default=False)
    sees_measures = models.BooleanField(Section.MEASURES.label, default=False)
    sees_notes = models.BooleanField(Section.NOTES.label, default=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["started_at"]
        indexes = [
            models.Index(fields=["member", "ended_at"]),
            models.Index(fields=["person", "ended_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=F("started_at")),
                name="membership_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} in {self.person}'s network ({self.role})"

    @property
    def sections(self) -> tuple[Section, ...]:
        """The sections this member may see, in the fixed order of ``Section``."""
        return tuple(s for s in Section if getattr(self, f"sees_{s.value}"))

    @property
    def is_informal(self) -> bool:
        return self.role in SupporterRelation.values

    def is_active_at(self, moment: datetime) -> bool:
        return self.started_at <= moment and (self.ended_at is None or self.ended_at > moment)
