"""Coordinated plan reviews: each organisation's review rule, and the reviews themselves.

A review is held together: the person, the unit and (by default) the municipality that pays. It
records the person's own view first (what went well, what matters now), then each party's view,
the goals looked at, and what was agreed. Recording one moves the stay's ``next_review_on`` on by
the rule's interval; that date is the one every list and the reminder worker read.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from alongside.organisations.models import Organisation
from alongside.people.models import Person, Stay
from alongside.plans.models import Goal

DEFAULT_INTERVAL_DAYS = 90
MAX_INTERVAL_DAYS = 366
TEXT_LIMIT = 4000


class ReviewRule(models.Model):
    """How often an organisation reviews plans jointly. Without a row, the default applies."""

    organisation = models.OneToOneField(
        Organisation,
        on_delete=models.PROTECT,
        related_name="review_rule",
        verbose_name=_("organisation"),
    )
    interval_days = models.PositiveIntegerField(
        _("review at least every (days)"),
        default=DEFAULT_INTERVAL_DAYS,
        validators=[
            MinValueValidator(1, message=_("A review rule needs at least 1 day between reviews.")),
            MaxValueValidator(
                MAX_INTERVAL_DAYS,
                message=_("Review at least once a year: at most %(limit_value)s days."),
            ),
        ],
    )
    must_include_municipality = models.BooleanField(
        _("the municipality takes part in every review"), default=True
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(interval_days__gte=1), name="review_interval_at_least_one_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: every {self.interval_days} days"


class Review(models.Model):
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="reviews", verbose_name=_("person")
    )
    stay = models.ForeignKey(
        Stay, on_delete=models.PROTECT, related_name="reviews", verbose_name=_("stay")
    )
    held_on = models.DateField(_("held on"))
    person_went_well = models.TextField(
        _("what went well, in the person's words"), max_length=TEXT_LIMIT, blank=True
    )
    person_matters_now = models.TextField(
        _("what matters now, in the person's words"), max_length=TEXT_LIMIT, blank=True
    )
    agreed_changes = models.TextField(
        _("what we agreed to change"), max_length=TEXT_LIMIT, blank=True
    )
    municipality_took_part = models.BooleanField(_("the municipality took part"), default=False)
    goals_reviewed = models.ManyToManyField(
        Goal, blank=True, related_name="reviews", verbose_name=_("goals reviewed")
    )
    next_review_on = models.DateField(_("next review due"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_role = models.CharField(max_length=64)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["person", "-held_on"])]

    def __str__(self) -> str:
        return f"Review of {self.person} on {self.held_on:%Y-%m-%d}"


class ReviewView(models.Model):
    """One party's view in a review, or the person's own view added afterwards."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="views")
    by_person = models.BooleanField(default=False)
    party_name = models.CharField(_("name"), max_length=150)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    role = models.CharField(_("role"), max_length=150, blank=True)
    view = models.TextField(_("their view"), max_length=TEXT_LIMIT)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    written_role = models.CharField(max_length=64)
    written_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        # The person's own words first, then the parties in the order they were written.
        ordering = ["-by_person", "written_at", "id"]

    def __str__(self) -> str:
        return f"{self.party_name} on {self.review}"
