"""Property-based REFI-QDA round trip: any transcript (BOM, CRLF, CR, mixed line ends, astral
characters), coded anywhere by two coders, survives .qdpx export then import with the same text,
the same line endings and every selection at the same code-point offsets with the same codes."""

from __future__ import annotations

from itertools import count

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alongside.accounts.services import create_user
from alongside.audit.log import Actor
from alongside.narratives import refi, services
from alongside.narratives.models import (
    AnalystRole,
    CodeLevel,
    NarrativeProject,
    Purpose,
    Selection,
    Source,
)
from tests.narratives_world import make_analysts
from tests.test_properties import uploaded_texts

pytestmark = pytest.mark.django_db

_names = count()


def _selections(project: NarrativeProject) -> set[tuple[object, ...]]:
    return {
        (
            str(s.source.guid),
            s.start,
            s.end,
            s.coder_id,
            frozenset(str(g) for g in s.codings.values_list("code__guid", flat=True)),
        )
        for s in Selection.objects.filter(source__project=project).select_related("source")
    }


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# Transcripts the upload accepts: some words, and no NUL (no database keeps one; the upload
# refuses it, as test_narratives_services checks).
@given(
    raw=uploaded_texts().filter(lambda t: "\x00" not in t and t.removeprefix("\ufeff").strip()),
    data=st.data(),
)
def test_any_coded_transcript_survives_a_qdpx_round_trip(raw: str, data: st.DataObject) -> None:
    with transaction.atomic():
        n = next(_names)
        lead = create_user(f"prop-lead-{n}", None, display_name="Lead")
        coder = create_user(f"prop-coder-{n}", None, display_name="Coder")
        make_analysts(lead, coder)
        as_lead, as_coder = Actor(lead, "analyst"), Actor(coder, "analyst")
        project = services.create_project(
            as_lead, name=f"Round trip {n}", purpose=Purpose.RESEARCH, description=""
        )
        services.add_member(as_lead, project, coder, AnalystRole.CODER)
        codebook = services.create_codebook(as_lead, project, "Codes")
        codes = [
            services.add_code(as_lead, codebook, name=name, level=CodeLevel.CODE)
            for name in ("hope", "being heard")
        ]
        source = services.upload_transcript(
            as_coder,
            project,
            "Transcript",
            raw.encode("utf-8"),
            consent_improvement=False,
            consent_research=True,
        )
        length = len(source.text)
        spans = data.draw(
            st.lists(
                st.tuples(
                    st.integers(0, length - 1),
                    st.integers(1, length),
                    st.sampled_from([as_lead, as_coder]),
                    st.lists(st.sampled_from(codes), min_size=1, max_size=2, unique=True),
                ),
                min_size=1,
                max_size=4,
            ),
            label="spans",
        )
        for start, width, actor, chosen in spans:
            end = min(start + width, length)
            services.code_span(actor, source, start, end, "", chosen)

        imported = refi.import_qdpx(refi.export_qdpx(project), actor=as_lead)

        copy = Source.objects.get(project=imported, guid=source.guid)
        assert copy.text == source.text
        assert copy.line_endings.original_text() == source.line_endings.original_text()
        assert _selections(imported) == _selections(project)
        transaction.set_rollback(True)
