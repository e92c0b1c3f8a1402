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


class ProposalKind(models.TextChoices):
    SECTIONS = "sections", _("Let a member see more")
    INVITE_STAFF = "invite_staff", _("Invite a staff member")
    INVITE_SUPPORTER = "invite_supporter", _("Invite family or a friend")


class ProposalOutcome(models.TextChoices):
    OPEN = "", _("Waiting for the person")
    ACCEPTED = "accepted", _("Accepted by the person")
    DECLINED = "declined", _("Declined by the person")


class NetworkProposal(models.Model):
    """A change that would let someone see more of the person, proposed by staff.

    Only the person widens access to herself: nothing here takes effect until she accepts it on
    her own login, or types on the staff member's screen the one-time code her own page shows.
    The code is derived from the secret key and never stored, so staff cannot read it anywhere.
    """

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=ProposalKind.choices)
    membership = models.ForeignKey(
        CareNetworkMembership, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    staff_role = models.ForeignKey(
        "organisations.StaffRole", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    supporter_name = models.CharField(max_length=150, blank=True)
    relation = models.CharField(max_length=32, blank=True, choices=SupporterRelation.choices)
    sections = models.JSONField(default=list)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_role = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    outcome = models.CharField(max_length=16, choices=ProposalOutcome.choices, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_in_person = models.BooleanField(default=False)
    failed_codes = models.PositiveSmallIntegerField(default=0)
    result = models.ForeignKey(
        CareNetworkMembership, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["person", "outcome"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.person} ({self.outcome or 'open'})"

    @property
    def is_open(self) -> bool:
        return self.outcome == ProposalOutcome.OPEN

    @property
    def section_list(self) -> list[Section]:
        chosen = set(self.sections)
        return [s for s in Section if s.value in chosen]

    @property
    def section_labels(self) -> str:
        return ", ".join(str(s.label) for s in self.section_list)


class SupporterActivation(models.Model):
    """A supporter's first way in: the person hands over the code; the supporter chooses their
    own password with it. Staff never see it. The code is derived from ``salt`` and the secret
    key, so it can be shown again on the person's page until it is used."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="activation"
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    salt = models.CharField(max_length=32)
    created_at = models.DateTimeField(auto_now_add=True)
    used_at = models.DateTimeField(null=True, blank=True)
    failed_codes = models.PositiveSmallIntegerField(default=0)

    def __str__(self) -> str:
        return f"Activation for {self.user}"


class ConfirmationCard(models.Model):
    """A printed card of single-use codes the person carries, for agreeing in person to a
    proposal when her phone is not at hand (or she has no login).

    Like recovery codes: only a keyed hash of each code is stored, each code works once, and a
    new card makes every older card of hers stop working (``revoked_at``). A staff member may
    print one together with her in person; its codes never confirm that staff member's own
    proposals, nor a confirmation typed on their screen (``network/cards.py``).
    """

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    salt = models.CharField(max_length=32)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    issued_role = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["person", "revoked_at"])]

    def __str__(self) -> str:
        return f"Card of codes for {self.person} ({self.created_at:%Y-%m-%d})"


class CardCode(models.Model):
    """One code on a card: its keyed hash, and when and for which proposal it was used."""

    card = models.ForeignKey(ConfirmationCard, on_delete=models.PROTECT, related_name="codes")
    number = models.PositiveSmallIntegerField()
    digest = models.CharField(max_length=64)
    used_at = models.DateTimeField(null=True, blank=True)
    used_for = models.ForeignKey(
        NetworkProposal, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["card", "number"]
        constraints = [
            models.UniqueConstraint(fields=["card", "number"], name="card_code_number_once"),
            models.UniqueConstraint(fields=["card", "digest"], name="card_code_digest_once"),
        ]

    def __str__(self) -> str:
        return f"Code {self.number} of {self.card_id}"
