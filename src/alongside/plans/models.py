"""The person's recovery plan: what matters, their story, strengths, and goals in their own words.

Every item records who wrote it and in which role. Text a person wrote is theirs: only its author
may change it, every version is kept (``TextRevision``), and concurrent edits are caught by the
``version`` counter (optimistic concurrency, see ``services``).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from alongside.frameworks.models import Concept
from alongside.organisations.models import Organisation
from alongside.people.models import Person

# Long enough for a real story, short enough that nobody pastes a book by accident.
MAX_TEXT = 4000
MAX_SHORT_TEXT = 300


class Authored(models.Model):
    """Who wrote an item, in which role, and when; plus the version counter for safe editing."""

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    author_role = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        abstract = True


class DeckCard(models.Model):
    """A card in the "What matters to me" deck. ``organisation`` empty: the default deck."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, null=True, blank=True, related_name="cards"
    )
    code = models.SlugField(max_length=64)
    icon = models.CharField(max_length=64)
    label_en = models.CharField(max_length=100)
    label_da = models.CharField(max_length=100)
    label_ja = models.CharField(max_length=100)
    prompt_en = models.CharField(max_length=300, blank=True)
    prompt_da = models.CharField(max_length=300, blank=True)
    prompt_ja = models.CharField(max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "code"], name="one_card_per_code_per_organisation"
            ),
            models.UniqueConstraint(
                fields=["code"], condition=Q(organisation__isnull=True), name="one_default_card"
            ),
        ]

    def __str__(self) -> str:
        return self.label_en

    def _text(self, field: str) -> str:
        language = (get_language() or "en")[:2]
        return str(getattr(self, f"{field}_{language}", "") or getattr(self, f"{field}_en"))

    @property
    def label(self) -> str:
        return self._text("label")

    @property
    def prompt(self) -> str:
        return self._text("prompt")


class Pile(models.TextChoices):
    A_LOT = "a_lot", _("Matters a lot")
    SOMEWHAT = "somewhat", _("Matters somewhat")
    NOT_NOW = "not_now", _("Not now")


class CardSort(Authored):
    """One sitting of the card sort, kept with its date so change over time is visible."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="card_sorts")

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["person", "-created_at"])]

    def __str__(self) -> str:
        return f"Card sort of {self.person} on {self.created_at:%Y-%m-%d}"


class CardPlacement(models.Model):
    """Where one card went in one sort. A card of the person's own has ``own_label`` instead."""

    sort = models.ForeignKey(CardSort, on_delete=models.CASCADE, related_name="placements")
    card = models.ForeignKey(DeckCard, on_delete=models.PROTECT, null=True, blank=True)
    own_label = models.CharField(max_length=100, blank=True)
    pile = models.CharField(max_length=16, choices=Pile.choices)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(Q(card__isnull=False) & Q(own_label=""))
                | (Q(card__isnull=True) & ~Q(own_label="")),
                name="placement_is_deck_card_or_own_card",
            )
        ]

    def __str__(self) -> str:
        return f"{self.own_label or self.card} -> {self.pile}"


class StoryKind(models.TextChoices):
    GOOD_TIME = "good_time", _("A good time")
    HARD_TIME = "hard_time", _("A hard time")
    RELATIONSHIP = "relationship", _("Someone who matters")
    INTEREST = "interest", _("An interest")
    WHAT_HELPED = "what_helped", _("Something that helped")
    OTHER = "other", _("Something else")


class StoryEntry(Authored):
    """A life event or period the person chooses to record. Private ones only they see."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="story")
    kind = models.CharField(_("kind"), max_length=16, choices=StoryKind.choices)
    title = models.CharField(_("title"), max_length=MAX_SHORT_TEXT)
    text = models.TextField(_("in your words"), max_length=MAX_TEXT, blank=True)
    when = models.CharField(
        _("when"), max_length=100, blank=True, help_text=_("A year, an age or a period.")
    )
    sort_year = models.SmallIntegerField(_("year (for ordering)"), null=True, blank=True)
    shared = models.BooleanField(_("shared with my network"), default=False)

    class Meta:
        ordering = ["sort_year", "created_at"]
        indexes = [models.Index(fields=["person", "sort_year"])]

    def __str__(self) -> str:
        return self.title


class StrengthKind(models.TextChoices):
    PERSONAL = "personal", _("Personal strength")
    SOCIAL = "social", _("People and relationships")
    ENVIRONMENTAL = "environmental", _("Resources around me")


class Strength(Authored):
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="strengths")
    kind = models.CharField(_("kind"), max_length=16, choices=StrengthKind.choices)
    text = models.CharField(_("strength"), max_length=MAX_SHORT_TEXT)

    class Meta:
        ordering = ["kind", "created_at"]

    def __str__(self) -> str:
        return self.text


class Origin(models.TextChoices):
    PERSON = "person", _("My own goal")
    CLINICAL = "clinical", _("Clinical team's goal")
    SERVICE = "service", _("Service or municipality goal")


class GoalStatus(models.TextChoices):
    ACTIVE = "active", _("Working on it")
    ACHIEVED = "achieved", _("Achieved")
    PAUSED = "paused", _("Paused")
    LET_GO = "let_go", _("Let go")


class Goal(Authored):
    fhir_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="goals")
    text = models.TextField(_("goal"), max_length=MAX_SHORT_TEXT)
    origin = models.CharField(_("whose goal"), max_length=16, choices=Origin.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=GoalStatus.choices, default=GoalStatus.ACTIVE
    )
    achieved_at = models.DateTimeField(null=True, blank=True)
    chime_tags = models.ManyToManyField(Concept, blank=True, related_name="+")
    serves = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="served_by",
        help_text=_("The person's own goals this goal helps with."),
    )

    class Meta:
        ordering = ["status", "created_at"]
        indexes = [models.Index(fields=["person", "origin", "status"])]

    def __str__(self) -> str:
        return self.text


class Stance(models.TextChoices):
    AGREE = "agree", _("I agree")
    NOT_NOW = "not_now", _("Not now")
    DISAGREE = "disagree", _("I disagree")


class GoalStance(models.Model):
    """The person's view of a goal someone else set. Every stance is kept; the newest counts."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="stances")
    stance = models.CharField(_("my view"), max_length=16, choices=Stance.choices)
    words = models.TextField(_("in my words"), max_length=MAX_TEXT, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    recorded_role = models.CharField(max_length=64)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-recorded_at", "-id"]

    def __str__(self) -> str:
        return f"{self.stance}: {self.goal}"


class GoalStep(Authored):
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="steps")
    text = models.CharField(_("next step"), max_length=MAX_SHORT_TEXT)
    who_helps = models.CharField(_("who helps"), max_length=150, blank=True)
    due_on = models.DateField(_("by when"), null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["done_at", "due_on", "created_at"]

    def __str__(self) -> str:
        return self.text


class ProgressCheckIn(models.Model):
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="check_ins")
    score = models.PositiveSmallIntegerField(
        _("how far along, 0 to 10"), validators=[MinValueValidator(0), MaxValueValidator(10)]
    )
    comment = models.TextField(_("comment"), max_length=MAX_TEXT, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    recorded_role = models.CharField(max_length=64)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-recorded_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(score__gte=0) & Q(score__lte=10), name="check_in_score_0_to_10"
            )
        ]

    def __str__(self) -> str:
        return f"{self.goal}: {self.score}/10"


class TextRevision(models.Model):
    """Every version of every text written in the plan, verbatim, with who wrote it."""

    object_type = models.CharField(max_length=64)
    object_id = models.BigIntegerField()
    field = models.CharField(max_length=32)
    text = models.TextField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    author_role = models.CharField(max_length=64)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["object_type", "object_id", "at", "id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.object_type} {self.object_id}.{self.field} at {self.at:%Y-%m-%d %H:%M}"
