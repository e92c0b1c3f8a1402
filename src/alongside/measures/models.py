"""Measures: instruments, versioned FHIR R4 Questionnaire definitions, responses and schedules.

An ``Instrument`` is a stable code (``chime_checkin``, ``phq9``, ...). Each
``QuestionnaireVersion`` holds the FHIR Questionnaire JSON and the scoring rules (data, see
``scoring``). A ``Response`` keeps the answers as a FHIR ``QuestionnaireResponse.item`` list,
verbatim, plus the scores computed when it was saved. Licensed instruments ship without item
wording (``wording_loaded`` is false) and cannot be sent until an organisation holding the licence
loads it (``alongside measures load-wording``).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from alongside.organisations.models import Unit
from alongside.people.models import Person


class InstrumentKind(models.TextChoices):
    OWN = "own", _("Our own")
    LICENSED = "licensed", _("Established measure (licensed wording)")


class Instrument(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=150)
    name_da = models.CharField(_("name (Danish)"), max_length=150, blank=True)
    name_ja = models.CharField(_("name (Japanese)"), max_length=150, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=InstrumentKind.choices)
    loinc_code = models.CharField(_("LOINC code"), max_length=20, blank=True)
    # DIALOG-style flow: after rating, the person picks areas to talk about.
    picks_talk_areas = models.BooleanField(default=False)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code

    def name(self, language: str) -> str:
        value = str(getattr(self, f"name_{language[:2]}", "") or "")
        return value or self.name_en


class VersionStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    RETIRED = "retired", _("Retired")


class QuestionnaireVersion(models.Model):
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="versions")
    version = models.CharField(_("version"), max_length=20)
    status = models.CharField(
        _("status"), max_length=16, choices=VersionStatus.choices, default=VersionStatus.ACTIVE
    )
    questionnaire = models.JSONField(_("FHIR Questionnaire"))
    scoring = models.JSONField(_("scoring rules"), default=dict)
    # Global per version (not per organisation): once any licence holder loads the wording,
    # the version can be sent. See docs/measures-wording.md.
    wording_loaded = models.BooleanField(default=True)
    loaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["instrument__code", "-loaded_at"]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "version"], name="measure_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.instrument.code} {self.version}"

    @property
    def url(self) -> str:
        return str(self.questionnaire.get("url", ""))


class ScheduleKind(models.TextChoices):
    ONCE = "once", _("Once")
    EVERY_N_WEEKS = "every_n_weeks", _("Every few weeks")
    EACH_REVIEW = "each_review", _("At each plan review")


class Schedule(models.Model):
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="measure_schedules")
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="schedules")
    kind = models.CharField(_("how often"), max_length=16, choices=ScheduleKind.choices)
    every_weeks = models.PositiveSmallIntegerField(_("every how many weeks"), null=True, blank=True)
    next_due_on = models.DateField(_("next due on"), null=True, blank=True)
    active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["next_due_on", "id"]
        indexes = [
            models.Index(fields=["person", "active"]),
            models.Index(fields=["active", "next_due_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.instrument.code} for {self.person} ({self.kind})"


class Audience(models.TextChoices):
    PERSONS = "person", _("Persons with a stay on the unit")
    STAFF = "staff", _("Staff with a care role on the unit")


class UnitSchedule(models.Model):
    """An anonymous questionnaire asked of everyone in ``audience`` on a unit, once a quarter.

    Unlike ``Schedule`` it names no person: the room that owns the questionnaire keeps the answers
    with the unit and quarter only, and remembers who has answered that quarter only so nobody is
    asked twice (the recovery-orientation survey: ``insight.services``).
    """

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="+")
    audience = models.CharField(_("who is asked"), max_length=8, choices=Audience.choices)
    active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "instrument", "audience"],
                condition=models.Q(active=True),
                name="one_active_unit_schedule",
            )
        ]
        indexes = [models.Index(fields=["unit", "audience", "active"])]

    def __str__(self) -> str:
        return f"{self.instrument_id} for {self.audience} on unit {self.unit_id}"


class Response(models.Model):
    # Stable identity across export and import (the FHIR resource id).
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="measure_responses")
    version = models.ForeignKey(
        QuestionnaireVersion, on_delete=models.PROTECT, related_name="responses"
    )
    # Denormalised from version.instrument so trends are one indexed query.
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="responses")
    authored_at = models.DateTimeField(_("answered at"))
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    answered_by_role = models.CharField(max_length=64, blank=True)
    together_with_staff = models.BooleanField(_("completed together with staff"), default=False)
    items = models.JSONField(_("answers (FHIR QuestionnaireResponse.item)"), default=list)
    scores = models.JSONField(_("scores"), default=dict)
    # The numeric answers packed for batch use (see measures/stored.py): no JSON to decode.
    answer_values = models.BinaryField(default=b"", editable=False)
    schedule = models.ForeignKey(
        Schedule, on_delete=models.SET_NULL, null=True, blank=True, related_name="responses"
    )

    class Meta:
        ordering = ["-authored_at", "-id"]
        indexes = [models.Index(fields=["person", "instrument", "authored_at"])]

    def __str__(self) -> str:
        return f"{self.instrument.code} by {self.person} at {self.authored_at:%Y-%m-%d}"


class Score(models.Model):
    """One scale's score of one response, computed once when it was saved, in typed columns so
    trends, charts and insight read floats, not JSON."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="score_rows")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="+")
    scale = models.CharField(max_length=64)
    value = models.FloatField(null=True, blank=True)
    raw = models.FloatField(null=True, blank=True)
    band = models.CharField(max_length=64, blank=True)
    answered_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "scale"], name="one_score_per_scale")
        ]
        indexes = [
            models.Index(fields=["instrument", "scale", "answered_at"]),
            models.Index(fields=["person", "instrument", "scale", "answered_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.scale} = {self.value} ({self.answered_at:%Y-%m-%d})"


class TalkArea(models.Model):
    """DIALOG: an area the person chose to talk about after rating (at most three)."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="talk_areas")
    link_id = models.CharField(max_length=64)
    order = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["order"]
        constraints = [
            models.UniqueConstraint(fields=["response", "link_id"], name="talk_area_once"),
        ]

    def __str__(self) -> str:
        return f"{self.link_id} ({self.order})"


class TalkAction(models.Model):
    """An action agreed while talking about an area; it may become a step of a goal in the plan."""

    area = models.ForeignKey(TalkArea, on_delete=models.CASCADE, related_name="actions")
    text = models.TextField(_("what we agreed to do"), max_length=1000)
    goal_step = models.ForeignKey(
        "plans.GoalStep", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    author_role = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text[:50]


class ReliabilityEstimate(models.Model):
    """One scale's reliability estimated on the service's own complete responses (Cronbach's
    alpha, the spread of its scores and the Jacobson-Truax threshold), kept by the reminder
    worker's round so a chart never scans every response to draw itself. See ``reliable``."""

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="+")
    scale = models.CharField(max_length=64)
    n = models.PositiveIntegerField()
    alpha = models.FloatField(null=True, blank=True)
    sd = models.FloatField(null=True, blank=True)
    # None while there are too few responses (or no spread): then nothing is claimed about chance.
    threshold = models.FloatField(null=True, blank=True)
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["instrument", "scale"], name="one_reliability_estimate_per_scale"
            )
        ]

    def __str__(self) -> str:
        return f"{self.instrument_id} {self.scale}: alpha {self.alpha} (n={self.n})"


class ScoreBlock(models.Model):
    """Up to ``measures.blocks.BLOCK_SIZE`` responses of one version, packed for bulk reads.

    The per-row tables (``Response``, ``Score``) are the source of truth; a block is a copy kept
    equal to them in the same transaction (``measures.blocks``), so charts and insight read a
    million scores as a few hundred rows and ``np.frombuffer``, not a million rows.

    ``response_ids``: ``count`` little-endian int64 response ids, in the order they were added.
    ``scores``: a ``count`` x len(scale codes) little-endian float64 matrix, row-major (one row per
    response, in ``response_ids`` order); its columns are the scales named in ``scale_codes``
    (space-separated, the version's ``scoring["scales"]`` order); NaN where a scale has no score.
    ``answers``: a ``count`` x len(``stored.answer_order``) float64 matrix, row-major: each row is
    that response's ``answer_values``.
    """

    version = models.ForeignKey(QuestionnaireVersion, on_delete=models.CASCADE, related_name="+")
    number = models.PositiveIntegerField()
    count = models.PositiveIntegerField(default=0)
    scale_codes = models.TextField(blank=True)
    response_ids = models.BinaryField(default=b"", editable=False)
    scores = models.BinaryField(default=b"", editable=False)
    answers = models.BinaryField(default=b"", editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["version", "number"], name="one_score_block_number")
        ]

    def __str__(self) -> str:
        return f"block {self.number} of version {self.version_id} ({self.count} responses)"
