"""Narratives and transcripts, coded into themes by a team of analysts.

A project gathers sources (narratives people submit, transcripts analysts upload), codebooks (a
hierarchy theme > subtheme > category > code), the coded units (a selected span with its condensed
meaning and one or more codes) and memos. Source text is stored normalised (see ``text.py``);
selections count code points into it, end exclusive.

Consent is part of the source: what it may be used for (service improvement, research) and when it
was withdrawn. Withdrawn sources stay in the database for the audit trail, but every analysis and
export reads sources through ``services.usable_sources`` and never sees them.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from alongside.narratives.text import LineEndings

MAX_NAME = 200


class Purpose(models.TextChoices):
    IMPROVEMENT = "improvement", _("Service improvement")
    RESEARCH = "research", _("Research")


class AnalystRole(models.TextChoices):
    LEAD = "lead", _("Lead analyst")
    CODER = "coder", _("Coder")
    VIEWER = "viewer", _("Viewer")


class NarrativeProject(models.Model):
    guid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=MAX_NAME)
    description = models.TextField(_("description"), blank=True)
    purpose = models.CharField(
        _("purpose"),
        max_length=16,
        choices=Purpose.choices,
        help_text=_("Only sources whose consent covers this purpose are used."),
    )
    accepts_narratives = models.BooleanField(_("accepts narratives"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class ProjectMember(models.Model):
    project = models.ForeignKey(NarrativeProject, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="narrative_memberships"
    )
    role = models.CharField(_("role"), max_length=16, choices=AnalystRole.choices)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "user"], name="narratives_member_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.role}) in {self.project}"


class CodingRound(models.Model):
    """Blind coding: while a project's latest round is open, coders see only their own coding.

    A project without any round is in its first, open round. The lead closes a round to compare
    and merge (everyone's coding is then visible to every member) and may open the next one.
    """

    project = models.ForeignKey(
        NarrativeProject, on_delete=models.CASCADE, related_name="coding_rounds"
    )
    number = models.PositiveIntegerField()
    opened_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["project", "number"]
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="narratives_round_once")
        ]

    def __str__(self) -> str:
        return f"Round {self.number} of {self.project}"


class CodebookOrigin(models.TextChoices):
    INDUCTIVE = "inductive", _("Built by the team")
    CHIME = "chime", _("CHIME recovery processes")
    PRACTICE = "practice", _("Recovery-oriented practice themes")
    RECOVERY = "recovery", _("Recovery steps, barriers and solutions")
    IMPORTED = "imported", _("Imported")


class Codebook(models.Model):
    """A hierarchy of codes. Without a project it is a template others copy."""

    guid = models.UUIDField(default=uuid.uuid4, editable=False)
    project = models.ForeignKey(
        NarrativeProject,
        on_delete=models.CASCADE,
        related_name="codebooks",
        null=True,
        blank=True,
    )
    name = models.CharField(_("name"), max_length=MAX_NAME)
    origin = models.CharField(_("origin"), max_length=16, choices=CodebookOrigin.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class CodeLevel(models.TextChoices):
    THEME = "theme", _("Theme")
    SUBTHEME = "subtheme", _("Subtheme")
    CATEGORY = "category", _("Category")
    CODE = "code", _("Code")


LEVEL_ORDER: dict[str, int] = {
    CodeLevel.THEME: 0,
    CodeLevel.SUBTHEME: 1,
    CodeLevel.CATEGORY: 2,
    CodeLevel.CODE: 3,
}


class Code(models.Model):
    codebook = models.ForeignKey(Codebook, on_delete=models.CASCADE, related_name="codes")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    level = models.CharField(_("level"), max_length=16, choices=CodeLevel.choices)
    name = models.CharField(_("name"), max_length=MAX_NAME)
    definition = models.TextField(_("definition"), blank=True)
    examples = models.JSONField(_("examples"), default=list, blank=True)
    concept_code = models.CharField(
        _("framework concept"),
        max_length=100,
        blank=True,
        help_text=_("The framework concept this code stands for, such as chime.h."),
    )
    position = models.PositiveIntegerField(default=0)
    guid = models.UUIDField(default=uuid.uuid4, editable=False)
    color = models.CharField(
        _("colour"),
        max_length=7,
        blank=True,
        validators=[RegexValidator(r"^#[0-9a-fA-F]{6}$")],
    )

    class Meta:
        ordering = ["codebook", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["codebook", "guid"], name="narratives_code_guid")
        ]
        indexes = [models.Index(fields=["codebook", "parent", "position"])]

    def __str__(self) -> str:
        return self.name


class SourceKind(models.TextChoices):
    NARRATIVE = "narrative", _("Narrative")
    TRANSCRIPT = "transcript", _("Transcript")


class Source(models.Model):
    project = models.ForeignKey(NarrativeProject, on_delete=models.CASCADE, related_name="sources")
    guid = models.UUIDField(default=uuid.uuid4, editable=False)
    name = models.CharField(_("name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=16, choices=SourceKind.choices)
    # Normalised: no byte-order mark, LF line ends. Offsets count code points into this.
    text = models.TextField(_("text"))
    char_count = models.PositiveIntegerField(default=0)
    had_bom = models.BooleanField(default=False)
    newline_style = models.CharField(max_length=8, default="lf")
    newline_exceptions = models.JSONField(default=list, blank=True)
    # Case attributes: speaker_role, unit, date (ISO), and anything an imported file carried.
    attributes = models.JSONField(_("case attributes"), default=dict, blank=True)
    consent_improvement = models.BooleanField(_("may be used for service improvement"))
    consent_research = models.BooleanField(_("may be used for research"))
    withdrawn_at = models.DateTimeField(_("consent withdrawn"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The service does not see who wrote an anonymous narrative; the audit log always does, and
    # so does this column, which only the withdrawal check and the audit trail read.
    anonymous_to_service = models.BooleanField(_("anonymous to the service"), default=False)
    # A Word document with tracked changes: read as it stands now (insertions in, deletions out).
    tracked_changes = models.BooleanField(default=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_role = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["project", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["project", "guid"], name="narratives_source_guid"),
            models.CheckConstraint(
                condition=Q(consent_improvement=True) | Q(consent_research=True),
                name="narratives_source_has_consent",
            ),
        ]
        indexes = [models.Index(fields=["project", "withdrawn_at"])]

    def __str__(self) -> str:
        return self.name

    @property
    def line_endings(self) -> LineEndings:
        return LineEndings.from_stored(self.newline_style, self.newline_exceptions, self.text)

    @property
    def shown_submitter_id(self) -> int | None:
        """Who submitted it, as the service may show it: nobody, if it was sent anonymously."""
        return None if self.anonymous_to_service else self.submitted_by_id


class Selection(models.Model):
    """A meaning unit: a span of a source, its condensed meaning, and (through codings) codes."""

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="selections")
    guid = models.UUIDField(default=uuid.uuid4, editable=False)
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    condensed = models.TextField(_("condensed meaning"), blank=True)
    # The coder: one of our users, or (for imported work) only a GUID and a name from the file.
    coder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="narrative_selections",
    )
    coder_guid = models.UUIDField()
    coder_name = models.CharField(max_length=150, blank=True)
    is_consensus = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["source", "start", "end", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["source", "guid"], name="narratives_selection_guid"),
            models.CheckConstraint(condition=Q(start__lt=F("end")), name="narratives_span_order"),
        ]
        indexes = [
            models.Index(fields=["source", "start"]),
            models.Index(fields=["source", "coder_guid"]),
        ]

    def __str__(self) -> str:
        return f"{self.source} [{self.start}, {self.end})"


class Coding(models.Model):
    selection = models.ForeignKey(Selection, on_delete=models.CASCADE, related_name="codings")
    code = models.ForeignKey(Code, on_delete=models.PROTECT, related_name="codings")
    guid = models.UUIDField(default=uuid.uuid4, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["selection", "code"], name="narratives_coding_once")
        ]

    def __str__(self) -> str:
        return f"{self.code} on {self.selection}"


class MemoTarget(models.TextChoices):
    PROJECT = "project", _("Project")
    CODE = "code", _("Code")
    SOURCE = "source", _("Source")


class Memo(models.Model):
    project = models.ForeignKey(NarrativeProject, on_delete=models.CASCADE, related_name="memos")
    target = models.CharField(max_length=16, choices=MemoTarget.choices)
    code = models.ForeignKey(
        Code, on_delete=models.CASCADE, null=True, blank=True, related_name="memos"
    )
    source = models.ForeignKey(
        Source, on_delete=models.CASCADE, null=True, blank=True, related_name="memos"
    )
    text = models.TextField(_("memo"))
    # One of our users, or (for an imported memo whose author is not) only the name from the file.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    author_name = models.CharField(max_length=150, blank=True)
    guid = models.UUIDField(default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(target="project", code__isnull=True, source__isnull=True)
                    | Q(target="code", code__isnull=False, source__isnull=True)
                    | Q(target="source", code__isnull=True, source__isnull=False)
                ),
                name="narratives_memo_one_target",
            )
        ]

    def __str__(self) -> str:
        return f"Memo on {self.target}"

    @property
    def shown_author(self) -> str:
        return self.author.shown_name if self.author is not None else self.author_name
