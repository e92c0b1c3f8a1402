"""Shared decisions: the question, the options in the person's own terms, what matters to them,
their preference, the decision and who made it, who was present, whether an advocate or peer
supporter was offered and took part, and when to look at it again. The person can mark that a
decision was made without their agreement; that stays on their page."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from alongside.people.models import Person

TEXT = 4000


class SharedDecision(models.Model):
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="decisions")
    question = models.CharField(_("the question"), max_length=300)
    what_matters = models.TextField(_("what matters to the person"), max_length=TEXT, blank=True)
    decision = models.TextField(_("the decision"), max_length=TEXT, blank=True)
    decided_by = models.CharField(_("who made the decision"), max_length=300, blank=True)
    present = models.CharField(_("who was present"), max_length=500, blank=True)
    advocate_offered = models.BooleanField(_("an advocate or peer supporter was offered"))
    advocate_took_part = models.BooleanField(_("an advocate or peer supporter took part"))
    review_on = models.DateField(_("review date"), null=True, blank=True)
    preferred = models.ForeignKey(
        "DecisionOption", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    without_agreement_at = models.DateTimeField(null=True, blank=True)
    without_agreement_words = models.TextField(max_length=TEXT, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_role = models.CharField(max_length=64)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-recorded_at", "-pk"]

    def __str__(self) -> str:
        return self.question


class DecisionOption(models.Model):
    decision = models.ForeignKey(SharedDecision, on_delete=models.CASCADE, related_name="options")
    position = models.PositiveSmallIntegerField()
    name = models.CharField(_("option"), max_length=200)
    pros = models.TextField(_("good about it, in the person's terms"), max_length=TEXT, blank=True)
    cons = models.TextField(
        _("bad about it, side effects they care about included"), max_length=TEXT, blank=True
    )
    # Set when the person added this option themself (after the decision was recorded).
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    added_role = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return self.name
