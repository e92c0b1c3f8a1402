"""Researchers' tools: editing the codebook (rename, colour, move, merge, delete) and retrieval."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from alongside.audit.log import Actor
from alongside.narratives import retrieve, services
from alongside.narratives.models import Code, CodeLevel, Coding, Memo, Selection
from tests.narratives_world import NarrativesWorld, narratives_world
from tests.personas import Persona, World

pytestmark = pytest.mark.django_db

ClientAs = Callable[[Persona], Client]


@pytest.fixture
def nw(world: World) -> NarrativesWorld:
    return narratives_world(world)


def _lead(nw: NarrativesWorld) -> Actor:
    return Actor(nw.project.created_by, "analyst")


def test_merging_codes_moves_codings_memos_and_children(nw: NarrativesWorld) -> None:
    lead = _lead(nw)
    fear = services.add_code(lead, nw.codebook, name="Fear at night", level=CodeLevel.CATEGORY)
    child = services.add_code(lead, nw.codebook, name="Dark", level=CodeLevel.CODE, parent=fear)
    both = services.code_span(lead, nw.transcript, 26, 40, "", [fear, nw.code])
    only = services.code_span(lead, nw.transcript, 41, 48, "", [fear])
    services.add_memo(lead, nw.project, "About fear.", code=fear)
    services.merge_codes(lead, fear, nw.code)
    assert not Code.objects.filter(pk=fear.pk).exists()
    assert list(both.codings.values_list("code_id", flat=True)) == [nw.code.pk]  # once
    assert list(only.codings.values_list("code_id", flat=True)) == [nw.code.pk]
    assert Memo.objects.get(text="About fear.").code == nw.code
    child.refresh_from_db()
    assert child.parent == nw.code
    with pytest.raises(ValidationError):
        services.merge_codes(lead, nw.code, child)  # not into a code below itself


def test_deleting_a_code_needs_confirmation_and_takes_its_codings(nw: NarrativesWorld) -> None:
    lead = _lead(nw)
    before = Selection.objects.filter(source=nw.transcript).count()
    with pytest.raises(ValidationError):
        services.delete_code(lead, nw.code, confirmed=False)
    assert Code.objects.filter(pk=nw.code.pk).exists()
    assert services.delete_code(lead, nw.code, confirmed=True) == 1
    assert not Coding.objects.filter(code_id=nw.code.pk).exists()
    # The unit kept its condensed meaning, so it stays (without a code).
    assert Selection.objects.filter(source=nw.transcript).count() == before


def test_the_code_page_renames_colours_and_merges(nw: NarrativesWorld, client_as: ClientAs) -> None:
    lead = client_as(Persona.ANALYST)
    url = reverse("narratives:code", args=[nw.project.pk, nw.code.pk])
    assert lead.get(url).status_code == 200
    response = lead.post(
        url,
        {"action": "edit", "name": "Feeling unsafe at night", "definition": "", "color": "#AA3300"},
    )
    assert response.status_code == 302
    nw.code.refresh_from_db()
    assert (nw.code.name, nw.code.color) == ("Feeling unsafe at night", "#aa3300")
    page = lead.post(url, {"action": "delete"}).content.decode()
    assert "This field is required" in page
    assert Code.objects.filter(pk=nw.code.pk).exists()
    assert client_as(Persona.KEY_WORKER).get(url).status_code == 404


def test_segments_are_retrieved_with_context_and_filtered_by_attribute(
    nw: NarrativesWorld, client_as: ClientAs
) -> None:
    lead = _lead(nw)
    other = services.upload_transcript(
        lead,
        nw.project,
        "Focus group 2",
        b"Residents said the night was quiet and safe.",
        consent_improvement=True,
        consent_research=False,
        attributes={"speaker_role": "resident", "unit": "Ward B", "case": "Group B"},
    )
    start = other.text.index("night")
    services.code_span(lead, other, start, start + len("night was quiet"), "quiet", [nw.code])
    guid = services.user_guid(nw.project.created_by_id)
    everything = retrieve.segments(
        nw.project, nw.code, coder_guid=guid, consensus=False, attributes=retrieve.AttributeFilter()
    )
    assert [s.source_name for s in everything] == ["Focus group 1", "Focus group 2"]
    residents = retrieve.segments(
        nw.project,
        nw.code,
        coder_guid=guid,
        consensus=False,
        attributes=retrieve.AttributeFilter(speaker_role="Resident"),
    )
    assert [(s.before, s.text) for s in residents] == [("Residents said the ", "night was quiet")]
    page = client_as(Persona.ANALYST).get(
        reverse("narratives:retrieve", args=[nw.project.pk]),
        {"code": nw.code.pk, "unit": "Ward B"},
    )
    content = page.content.decode()
    assert "1 segment" in content
    assert "Focus group 2" in content
    assert "We talked about the ward" not in content


def test_every_turn_of_one_speaker_is_coded_at_once(
    nw: NarrativesWorld, client_as: ClientAs
) -> None:
    lead = _lead(nw)
    text = (
        "Facilitator: What helped?\r\n"
        "Participant 1: The night nurse.\r\n"
        "Participant 2: My sister.\r\n"
        "Participant 1: Being asked first.\r\n"
    )
    source = services.upload_transcript(
        lead,
        nw.project,
        "Group 3",
        text.encode(),
        consent_improvement=True,
        consent_research=False,
    )
    assert services.speakers(source.text) == ["Facilitator", "Participant 1", "Participant 2"]
    client = client_as(Persona.ANALYST)
    page = client.get(reverse("narratives:source", args=[nw.project.pk, source.pk]))
    assert "Code every turn of one speaker" in page.content.decode()
    url = reverse("narratives:autocode", args=[nw.project.pk, source.pk])
    data = {"autocode-speaker": "Participant 1", "autocode-code": nw.code.pk}
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302  # the second time adds nothing
    units = Selection.objects.filter(source=source).order_by("start")
    assert [source.text[u.start : u.end] for u in units] == [
        "The night nurse.",
        "Being asked first.",
    ]
    assert all(list(u.codings.values_list("code_id", flat=True)) == [nw.code.pk] for u in units)
    assert client_as(Persona.KEY_WORKER).post(url, data).status_code == 404


def test_every_coders_units_are_striped_and_labelled_by_code_and_coder(
    nw: NarrativesWorld, client_as: ClientAs
) -> None:
    from alongside.accounts.services import create_user
    from alongside.narratives.models import AnalystRole
    from tests.narratives_world import make_analysts, narratives_unit

    second = create_user("stripes", None, display_name="Stripe Coder")
    make_analysts(second, unit=narratives_unit(nw))
    services.add_member(_lead(nw), nw.project, second, AnalystRole.CODER)
    services.code_span(Actor(second, "analyst"), nw.transcript, 5, 30, "", [nw.code])
    url = reverse("narratives:source", args=[nw.project.pk, nw.transcript.pk])
    page = client_as(Persona.ANALYST).get(url, {"show": "all", "by": "coder"}).content.decode()
    assert "stripe-1" in page
    assert "stripe-2" in page
    assert "stripe-0" in page  # where both coded
    assert "Feeling unsafe (Analyst, Stripe Coder)" in page
    mine = client_as(Persona.ANALYST).get(url, {"by": "coder"}).content.decode()
    assert "stripe-" not in mine
    assert 'title="Feeling unsafe"' in mine


def test_a_code_dropped_in_the_tree_moves_and_its_codings_follow(
    nw: NarrativesWorld, client_as: ClientAs
) -> None:
    """What the codebook tree's drag and drop posts: the move action, back to the tree."""
    lead = client_as(Persona.ANALYST)
    group = services.add_code(_lead(nw), nw.codebook, name="Safety", level=CodeLevel.CATEGORY)
    tree = reverse("narratives:codebook", args=[nw.project.pk, nw.codebook.pk])
    page = lead.get(tree).content.decode()
    move_url = reverse("narratives:code", args=[nw.project.pk, nw.code.pk])
    assert f'data-move-url="{move_url}"' in page
    assert 'id="move-form"' in page
    coded = set(Coding.objects.filter(code=nw.code).values_list("selection_id", flat=True))
    assert coded
    dropped = {"action": "move", "back": "codebook", "move-target": group.pk}
    response = lead.post(move_url, dropped, follow=True)
    assert response.redirect_chain[-1][0] == tree
    assert "Feeling unsafe now sits under Safety." in response.content.decode()
    nw.code.refresh_from_db()
    assert nw.code.parent_id == group.pk
    assert set(Coding.objects.filter(code=nw.code).values_list("selection_id", flat=True)) == coded
    # A drop onto a code below itself changes nothing; the code's page says why.
    refused = lead.post(
        reverse("narratives:code", args=[nw.project.pk, group.pk]),
        {"action": "move", "back": "codebook", "move-target": nw.code.pk},
    )
    assert refused.status_code == 200
    group.refresh_from_db()
    assert group.parent_id is None
    # Dropped on "Top level".
    response = lead.post(move_url, {**dropped, "move-target": ""}, follow=True)
    assert "Feeling unsafe is now a top-level code." in response.content.decode()
    nw.code.refresh_from_db()
    assert nw.code.parent_id is None
