"""Starter codebooks built from the framework concepts (``alongside.frameworks``).

* ``chime``: the five recovery processes as themes, their sub-categories as subthemes;
* ``practice``: the four domains as themes, the 16 practice themes as subthemes;
* ``recovery``: the three recovery steps with what they contain and their barriers, the roots of
  the barriers (in the system, in the social-cultural context) and the proposed solutions.

Every code keeps the concept's code (``concept_code``), so reports such as the barrier map work
whatever language the names were written in and however the team renames them later.
Definitions are the concepts' descriptions in the active language; examples are left for the team
to add from their own material.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from alongside.audit.log import Actor
from alongside.frameworks.models import Concept, Framework
from alongside.narratives import services
from alongside.narratives.models import Code, Codebook, CodebookOrigin, CodeLevel, NarrativeProject

_LEVEL_BY_DEPTH = (CodeLevel.THEME, CodeLevel.SUBTHEME, CodeLevel.CATEGORY, CodeLevel.CODE)


def _names() -> dict[str, str]:
    return {
        Framework.CHIME: _("CHIME recovery processes"),
        Framework.PRACTICE: _("Recovery-oriented practice themes"),
        Framework.RECOVERY: _("Recovery steps, barriers, roots and solutions"),
    }


@transaction.atomic
def starter_codebook(
    framework: str,
    project: NarrativeProject | None = None,
    *,
    actor: Actor | None = None,
) -> Codebook:
    """A codebook holding every concept of ``framework`` (``chime``, ``practice``, ``recovery``).

    Without a project it is a template (written by the platform); with one, the actor must be a
    lead or coder of that project.
    """
    if framework not in Framework.values:
        raise ValidationError(_("Unknown framework: %(name)s.") % {"name": framework})
    acting = actor or Actor.system()
    codebook = services.create_codebook(
        acting, project, _names()[framework], origin=CodebookOrigin(framework)
    )
    concepts = list(Concept.objects.filter(framework=framework).order_by("position", "pk"))
    children: dict[int | None, list[Concept]] = {}
    for concept in concepts:
        children.setdefault(concept.parent_id, []).append(concept)

    def add(parent_concept: int | None, parent_code: Code | None, depth: int) -> None:
        for concept in children.get(parent_concept, []):
            code = services.add_code(
                acting,
                codebook,
                name=concept.name,
                level=_LEVEL_BY_DEPTH[min(depth, len(_LEVEL_BY_DEPTH) - 1)],
                parent=parent_code,
                definition=concept.description,
                concept_code=concept.code,
            )
            add(concept.pk, code, depth + 1)

    add(None, None, 0)
    return codebook
