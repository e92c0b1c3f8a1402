"""The narratives benchmark's project builder (``alongside.narratives.bench``) still builds what the
benchmark measures, and its round trip check holds on a small project: a benchmark that no longer
runs is found here, not on the day someone needs its figures."""

from __future__ import annotations

import random

import pytest

from alongside.accounts.models import User
from alongside.audit.log import Actor
from alongside.narratives import bench, refi
from alongside.narratives.models import Coding, NarrativeProject, Selection, Source


def _units(project: NarrativeProject) -> list[tuple[object, ...]]:
    return sorted(
        Selection.objects.filter(source__project=project).values_list(
            "source__guid", "guid", "start", "end"
        )
    )


@pytest.mark.django_db
def test_the_builder_makes_the_project_and_its_qdpx_round_trip_keeps_every_unit() -> None:
    project = NarrativeProject.objects.get(pk=bench.build(sources=4, units=30))
    sources = Source.objects.filter(project=project)
    assert sources.count() == 4
    # Half the transcripts end their lines with CRLF, half with LF.
    assert len({source.newline_style for source in sources}) == 2
    assert Selection.objects.filter(source__project=project).count() == 30
    assert Coding.objects.filter(selection__source__project=project).count() >= 30
    for selection in Selection.objects.filter(source__project=project):
        assert 0 <= selection.start < selection.end <= selection.source.char_count
    lead = User.objects.get(username="bench-lead")
    imported = refi.import_qdpx(refi.export_qdpx(project), actor=Actor(lead, "analyst"))
    assert imported.pk != project.pk
    assert _units(imported) == _units(project)


def test_the_synthetic_text_is_repeatable_and_uses_the_newline_asked_for() -> None:
    first = bench._text(random.Random(3), 500, "\r\n")
    again = bench._text(random.Random(3), 500, "\r\n")
    assert first == again
    assert len(first) >= 500
    assert "\r\n" in first
    assert "\n" not in first.replace("\r\n", "")
    assert all(line.startswith("P") for line in first.split("\r\n"))
