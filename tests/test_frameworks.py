"""The reference frameworks are loaded as data with stable codes and all three languages."""

from __future__ import annotations

from collections import Counter

import pytest
from django.utils import translation

from alongside.frameworks.catalogue import FRAMEWORKS, ConceptSpec
from alongside.frameworks.loader import sync_catalogue
from alongside.frameworks.models import Concept

pytestmark = pytest.mark.django_db


def test_the_migration_loaded_the_expected_counts() -> None:
    kinds = Counter(Concept.objects.values_list("kind", flat=True))
    assert kinds["process"] == 5
    assert kinds["domain"] == 4
    assert kinds["theme"] == 16
    assert kinds["step"] == 3


def test_each_practice_domain_holds_its_themes() -> None:
    per_domain = {
        domain.code: domain.children.count() for domain in Concept.objects.filter(kind="domain")
    }
    assert per_domain == {
        "practice.citizenship": 4,
        "practice.organisation": 5,
        "practice.personal": 5,
        "practice.relationship": 2,
    }


def test_chime_processes_have_stable_codes() -> None:
    codes = list(Concept.objects.filter(kind="process").values_list("code", flat=True))
    assert codes == ["chime.c", "chime.h", "chime.i", "chime.m", "chime.e"]


def test_every_concept_has_a_name_and_description_in_every_language() -> None:
    incomplete = [
        concept.code
        for concept in Concept.objects.all()
        for language in ("en", "da", "ja")
        if not getattr(concept, f"name_{language}").strip()
        or not getattr(concept, f"description_{language}").strip()
    ]
    assert incomplete == []
    assert Concept.objects.count() > 0


def test_codes_in_the_catalogue_are_unique() -> None:
    codes: list[str] = []

    def walk(specs: list[ConceptSpec]) -> None:
        for spec in specs:
            codes.append(spec["code"])
            walk(spec["children"])

    for specs in FRAMEWORKS.values():
        walk(specs)
    assert len(codes) == len(set(codes)) == Concept.objects.count()


def test_name_follows_the_active_language() -> None:
    concept = Concept.objects.get(code="chime.h")
    with translation.override("ja"):
        assert concept.name == concept.name_ja
    with translation.override("da"):
        assert concept.name == concept.name_da


def test_syncing_again_changes_nothing() -> None:
    before = list(Concept.objects.order_by("code").values_list())
    sync_catalogue(Concept)
    assert list(Concept.objects.order_by("code").values_list()) == before
