"""Loads the catalogue into the database: inserts new codes, updates texts, never deletes.

Called by a data migration (with the historical model) and by ``alongside sync_frameworks``.
"""

from __future__ import annotations

from typing import Any

from alongside.frameworks.catalogue import FRAMEWORKS, ConceptSpec


def _fields(spec: ConceptSpec) -> dict[str, str]:
    fields: dict[str, str] = {"kind": spec["kind"]}
    for language in ("en", "da", "ja"):
        fields[f"name_{language}"] = spec["name"][language]
        fields[f"description_{language}"] = spec["description"][language]
    return fields


def sync_catalogue(concept_model: Any) -> int:
    """Upsert every concept by code; returns how many concepts the catalogue holds."""
    count = 0

    def walk(framework: str, specs: list[ConceptSpec], parent: Any) -> None:
        nonlocal count
        for position, spec in enumerate(specs):
            concept, _created = concept_model.objects.update_or_create(
                code=spec["code"],
                defaults={
                    "framework": framework,
                    "parent": parent,
                    "position": position,
                    **_fields(spec),
                },
            )
            count += 1
            walk(framework, spec["children"], concept)

    for framework, specs in FRAMEWORKS.items():
        walk(framework, specs, None)
    return count
