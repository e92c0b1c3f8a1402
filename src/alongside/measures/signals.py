"""Keep the score blocks equal to the rows when a saved response or score changes or goes.

Saving a response adds it to its block in ``services.submit_response``; these receivers cover
what happens to the rows afterwards through the ORM (the product has no such path today; an
administrator's deletion, or a cascade, would be one): the blocks holding the response are
rebuilt from the rows, in the same transaction (``blocks.rewrite``).
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from alongside.measures import blocks
from alongside.measures.models import QuestionnaireVersion, Response, Score


def _rewrite(version_id: int | None, response_id: int | None) -> None:
    if version_id is None or response_id is None:
        return
    rules = QuestionnaireVersion.objects.filter(pk=version_id).values_list("scoring", flat=True)
    found = rules.first()
    if found is not None:
        blocks.rewrite(version_id, found or {}, [response_id])


@receiver(post_delete, sender=Response, dispatch_uid="measures_blocks_response_deleted")
def response_deleted(sender: type[Response], instance: Response, **kwargs: Any) -> None:
    _rewrite(instance.version_id, instance.pk)


@receiver(post_save, sender=Response, dispatch_uid="measures_blocks_response_changed")
def response_changed(
    sender: type[Response], instance: Response, created: bool, raw: bool = False, **kwargs: Any
) -> None:
    if not created and not raw:  # a new response is added by submit_response itself
        _rewrite(instance.version_id, instance.pk)


def _score_changed(instance: Score) -> None:
    version_id = (
        Response.objects.filter(pk=instance.response_id)
        .values_list("version_id", flat=True)
        .first()
    )
    _rewrite(version_id, instance.response_id)


@receiver(post_save, sender=Score, dispatch_uid="measures_blocks_score_saved")
def score_saved(sender: type[Score], instance: Score, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        _score_changed(instance)


@receiver(post_delete, sender=Score, dispatch_uid="measures_blocks_score_deleted")
def score_deleted(sender: type[Score], instance: Score, **kwargs: Any) -> None:
    _score_changed(instance)
