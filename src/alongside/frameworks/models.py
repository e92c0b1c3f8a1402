"""Framework concepts: one row per code, in a tree (process > sub-category, domain > theme, ...).

Texts are kept per language in plain columns so a list of concepts is one query in any language.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Framework(models.TextChoices):
    CHIME = "chime", _("CHIME recovery processes")
    PRACTICE = "practice", _("Recovery-oriented practice themes")
    RECOVERY = "recovery", _("Recovery steps, barriers and solutions")


TEXT_LANGUAGES = ("en", "da", "ja")


class Concept(models.Model):
    framework = models.CharField(max_length=16, choices=Framework.choices)
    code = models.CharField(max_length=100, unique=True)
    kind = models.CharField(max_length=32)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    position = models.PositiveSmallIntegerField(default=0)
    name_en = models.CharField(max_length=200)
    name_da = models.CharField(max_length=200)
    name_ja = models.CharField(max_length=200)
    description_en = models.TextField()
    description_da = models.TextField()
    description_ja = models.TextField()

    class Meta:
        ordering = ["framework", "position"]
        indexes = [models.Index(fields=["framework", "kind"])]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def _in_language(self, field: str) -> str:
        language = (get_language() or "en")[:2]
        if language not in TEXT_LANGUAGES:
            language = "en"
        return str(getattr(self, f"{field}_{language}"))

    @property
    def name(self) -> str:
        return self._in_language("name")

    @property
    def description(self) -> str:
        return self._in_language("description")
