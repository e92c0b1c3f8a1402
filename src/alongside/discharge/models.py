"""Discharge readiness: the checklist of a stay, recorded overrides, and the handover summary.

Before a long stay ends, the municipality must have an offer ready (housing, support in daily
life, treatment or activity), the person must agree with the plan, the crisis plan must have been
looked at again and a first follow-up contact must be booked. Those items are data
(``ChecklistItemTemplate``): a default set with stable codes, which an organisation can extend or
hide items of. Each stay has one ``DischargeChecklist`` with a version counter so two people
editing it at once cannot overwrite each other. Ending a stay with required items still open
needs a reason, kept as a ``DischargeOverride`` for later service insight.

The ``HandoverSummary`` is drafted by staff from the plan, read and commented on by the person,
and only the person approves it; the exports (PDF, FHIR Bundle) exist only after approval.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from alongside.organisations.models import Organisation
from alongside.people.models import Stay

TEXT_LANGUAGES = ("en", "da", "ja")
MAX_DETAILS = 1000
MAX_TEXT = 4000


class ItemKind(models.TextChoices):
    MUNICIPAL_OFFER = "municipal_offer", _("Offer from the municipality")
    AGREEMENT = "agreement", _("The person's agreement")
    CRISIS_REVIEW = "crisis_review", _("Crisis plan review")
    FOLLOW_UP = "follow_up", _("Follow-up after discharge")


class ChecklistItemTemplate(models.Model):
    """One thing to have in place before discharge. ``organisation`` empty: the default set.

    An organisation's item with a default item's code replaces it for stays in that
    organisation's units; an inactive one hides it. Code refers to codes, never to labels.
    """

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="discharge_items",
    )
    code = models.SlugField(max_length=64)
    kind = models.CharField(max_length=32, choices=ItemKind.choices)
    required = models.BooleanField(default=True)
    position = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True)
    # Why an organisation hides this item, and who decided (a service manager for a required
    # item); cleared when it is shown again (the audit log keeps every decision).
    hidden_reason = models.TextField(max_length=1000, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    hidden_at = models.DateTimeField(null=True, blank=True)
    label_en = models.CharField(max_length=200)
    label_da = models.CharField(max_length=200)
    label_ja = models.CharField(max_length=200)
    help_en = models.CharField(max_length=400, blank=True)
    help_da = models.CharField(max_length=400, blank=True)
    help_ja = models.CharField(max_length=400, blank=True)

    class Meta:
        ordering = ["position", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "code"], name="one_discharge_item_per_code_per_org"
            ),
            models.UniqueConstraint(
                fields=["code"],
                condition=Q(organisation__isnull=True),
                name="one_default_discharge_item",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    def _text(self, field: str) -> str:
        language = (get_language() or "en")[:2]
        if language not in TEXT_LANGUAGES:
            language = "en"
        return str(getattr(self, f"{field}_{language}") or getattr(self, f"{field}_en"))

    @property
    def label(self) -> str:
        return self._text("label")

    @property
    def help(self) -> str:
        return self._text("help")


class EntryStatus(models.TextChoices):
    OPEN = "open", _("Not yet")
    DONE = "done", _("Done")
    NOT_NEEDED = "not_needed", _("Not needed")


# A required item counts as settled when it is done, or when someone said why it is not needed.
SETTLED = (EntryStatus.DONE, EntryStatus.NOT_NEEDED)


class DischargeChecklist(models.Model):
    """The checklist of one stay. ``version`` goes up with every save (optimistic concurrency)."""

    stay = models.OneToOneField(Stay, on_delete=models.PROTECT, related_name="discharge_checklist")
    version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )

    def __str__(self) -> str:
        return f"Discharge checklist of stay {self.stay_id}"


class ChecklistEntry(models.Model):
    """Where one item stands for one stay, who recorded it and when."""

    checklist = models.ForeignKey(
        DischargeChecklist, on_delete=models.CASCADE, related_name="entries"
    )
    item = models.ForeignKey(ChecklistItemTemplate, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("status"), max_length=16, choices=EntryStatus.choices, default=EntryStatus.OPEN
    )
    details = models.TextField(_("details"), max_length=MAX_DETAILS, blank=True)
    date = models.DateField(_("date"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_role = models.CharField(max_length=64)
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["item__position", "item__code"]
        constraints = [
            models.UniqueConstraint(fields=["checklist", "item"], name="one_entry_per_item")
        ]

    def __str__(self) -> str:
        return f"{self.item.code}: {self.status}"


class OverrideReason(models.TextChoices):
    """Why a stay ended although required items were open: stable codes, so the service can count
    the reasons (insight groups overrides by them); the free text is kept beside the code."""

    DECLINED = "declined", _("The person declined what was offered")
    NOT_IN_TIME = "not-in-time", _("What was offered was not available in time")
    OWN_WISH = "own-wish", _("The person wished to leave")
    TRANSFERRED = "transferred", _("Transferred to another service")
    OTHER = "other", _("Another reason (say which)")


class DischargeOverride(models.Model):
    """A stay ended although required items were open, and the reason given: a code chosen from
    ``OverrideReason`` (empty on overrides recorded before the codes) and the staff's words."""

    stay = models.ForeignKey(Stay, on_delete=models.PROTECT, related_name="discharge_overrides")
    reason_code = models.CharField(
        _("reason"), max_length=32, choices=OverrideReason.choices, blank=True
    )
    reason = models.TextField(max_length=MAX_DETAILS, blank=True)
    open_items = models.JSONField(default=list, help_text="codes of the items open at the time")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    by_role = models.CharField(max_length=64)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["-at"])]

    def __str__(self) -> str:
        return f"Override for stay {self.stay_id}"


class HandoverSummary(models.Model):
    """A summary for whoever follows up after discharge, drafted from the plan.

    ``drafted_from`` is a snapshot of the plan at drafting time, so the summary the person
    approved stays what it was. ``approved_version`` names the version they approved; any later
    change needs a new approval before it can be exported.
    """

    stay = models.OneToOneField(Stay, on_delete=models.PROTECT, related_name="handover_summary")
    fhir_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    drafted_from = models.JSONField(default=dict)
    staff_text = models.TextField(_("what staff add"), max_length=MAX_TEXT, blank=True)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    drafted_role = models.CharField(max_length=64)
    drafted_at = models.DateTimeField()
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)
    approved_by_person_at = models.DateTimeField(null=True, blank=True)
    approved_version = models.PositiveIntegerField(null=True, blank=True)
    # Set when the person approved it in person, together with this staff member (a person
    # without a login of their own); empty when they approved it on their own login.
    approved_in_person_with = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_in_person_role = models.CharField(max_length=64, blank=True)

    def __str__(self) -> str:
        return f"Handover summary of stay {self.stay_id}"

    @property
    def is_approved(self) -> bool:
        return self.approved_by_person_at is not None and self.approved_version == self.version

    @property
    def person_id(self) -> int:
        return int(self.stay.person_id)


class HandoverComment(models.Model):
    """The person's own words about the summary, kept verbatim and never edited."""

    summary = models.ForeignKey(HandoverSummary, on_delete=models.CASCADE, related_name="comments")
    text = models.TextField(_("your comment"), max_length=MAX_TEXT)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    author_role = models.CharField(max_length=64)
    written_at = models.DateTimeField(auto_now_add=True)
    on_version = models.PositiveIntegerField()
    # The person's words as they said them, written down by a staff member (the author) with
    # them in person. Otherwise the person wrote them on their own login.
    said_in_person = models.BooleanField(default=False)

    class Meta:
        ordering = ["written_at", "id"]

    def __str__(self) -> str:
        return f"Comment on {self.summary}"
