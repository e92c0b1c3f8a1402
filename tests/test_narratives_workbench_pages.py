"""The analysis workbench pages: starting a project, uploading, coding, agreement, consensus."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from alongside.accounts.services import create_user
from alongside.audit.log import Actor
from alongside.narratives import services
from alongside.narratives.models import (
    AnalystRole,
    Memo,
    NarrativeProject,
    ProjectMember,
    Selection,
    Source,
)
from tests.narratives_world import (
    NarrativesWorld,
    make_analysts,
    narratives_unit,
    narratives_world,
)
from tests.personas import PASSWORD, Persona, World

pytestmark = pytest.mark.django_db


@pytest.fixture
def built(world: World) -> NarrativesWorld:
    return narratives_world(world)


@pytest.fixture
def lead(client_as: Callable[[Persona], Client]) -> Client:
    return client_as(Persona.ANALYST)


def _source_url(built: NarrativesWorld, source: Source | None = None) -> str:
    return reverse(
        "narratives:source",
        kwargs={"project_id": built.project.pk, "source_id": (source or built.transcript).pk},
    )


def _coder(built: NarrativesWorld, username: str, role: str = AnalystRole.CODER) -> Client:
    user = create_user(username, PASSWORD, display_name=username.title())
    make_analysts(user, unit=narratives_unit(built))
    lead_user = built.project.created_by
    services.add_member(Actor(lead_user, "analyst"), built.project, user, role)
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def test_staff_member_starts_a_project_and_leads_it(world: World, lead: Client) -> None:
    response = lead.post(
        reverse("narratives:projects"),
        {"name": "Voices of families", "purpose": "research", "accepts_narratives": "on"},
    )
    project = NarrativeProject.objects.get(name="Voices of families")
    assert response["Location"] == reverse("narratives:project", args=[project.pk])
    member = ProjectMember.objects.get(project=project)
    assert (member.user, member.role) == (world.users[Persona.ANALYST], AnalystRole.LEAD)


def test_a_project_without_a_name_is_refused_with_a_message(lead: Client) -> None:
    response = lead.post(reverse("narratives:projects"), {"name": "", "purpose": "improvement"})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not NarrativeProject.objects.exists()


def test_uploaded_crlf_transcript_is_coded_by_its_exact_words(
    built: NarrativesWorld, lead: Client
) -> None:
    text = "\ufeffAnna: I felt safe.\r\nBo: Nobody asked me.\r\nAnna: We need peers.\r\n"
    response = lead.post(
        reverse("narratives:upload", args=[built.project.pk]),
        {
            "name": "Dialogue meeting",
            "file": SimpleUploadedFile("meeting.txt", text.encode()),
            "speaker_role": "service user",
            "date": "2026-10-01",
            "consent_improvement": "on",
        },
    )
    source = Source.objects.get(name="Dialogue meeting")
    assert response["Location"] == _source_url(built, source)
    assert source.had_bom
    assert source.newline_style == "crlf"
    assert source.attributes == {"speaker_role": "service user", "date": "2026-10-01"}

    response = lead.post(
        _source_url(built, source),
        {"quote": "Nobody asked me.", "condensed": "not asked", "codes": [built.code.pk]},
    )
    assert response.status_code == 302
    unit = Selection.objects.get(source=source)
    # Code points into the normalised text: no BOM, "\n" line ends.
    assert source.text[unit.start : unit.end] == "Nobody asked me."
    assert (unit.start, unit.end) == (23, 39)
    assert list(unit.codings.values_list("code_id", flat=True)) == [built.code.pk]


def test_selected_offsets_are_used_as_given(built: NarrativesWorld, lead: Client) -> None:
    response = lead.post(_source_url(built), {"start": "26", "end": "48", "condensed": "safe"})
    assert response.status_code == 302
    unit = Selection.objects.filter(source=built.transcript).latest("pk")
    assert built.transcript.text[unit.start : unit.end] == "It felt safe at night."


@pytest.mark.parametrize(
    ("quote", "message"),
    [
        ("words nobody said", "These words do not occur in the text."),
        ("e", "These words occur more than once"),
        ("", "Select the words of the unit in the text, or type them."),
    ],
)
def test_a_unit_that_cannot_be_placed_is_refused_and_nothing_saved(
    built: NarrativesWorld, lead: Client, quote: str, message: str
) -> None:
    before = Selection.objects.count()
    response = lead.post(_source_url(built), {"quote": quote, "condensed": "x"})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Selection.objects.count() == before


def test_a_span_past_the_end_is_refused(built: NarrativesWorld, lead: Client) -> None:
    response = lead.post(_source_url(built), {"start": "40", "end": "4000", "condensed": "x"})
    assert response.status_code == 200
    assert "A selection runs from 0 up to at most 49" in response.content.decode()


def test_coders_see_only_their_own_units_and_the_lead_may_see_all(
    built: NarrativesWorld, lead: Client
) -> None:
    coder = _coder(built, "second")
    assert (
        coder.post(_source_url(built), {"quote": "It felt safe", "condensed": "safe"}).status_code
        == 302
    )
    own = coder.get(_source_url(built)).content.decode()
    assert "safe" in own
    assert "talk about ward" not in own
    mine = lead.get(_source_url(built)).content.decode()
    assert "talk about ward" in mine
    assert "Condensed meaning</strong> safe" not in mine
    everyone = lead.get(_source_url(built) + "?show=all").content.decode()
    assert "talk about ward" in everyone
    assert "Second" in everyone
    # A coder asking for everyone's units still gets only their own.
    assert "talk about ward" not in coder.get(_source_url(built) + "?show=all").content.decode()


def test_a_viewer_reads_but_cannot_code(built: NarrativesWorld) -> None:
    viewer = _coder(built, "watcher", AnalystRole.VIEWER)
    page = viewer.get(_source_url(built))
    assert page.status_code == 200
    assert 'id="coding-form"' not in page.content.decode()
    assert viewer.post(_source_url(built), {"quote": "It felt safe"}).status_code == 404
    assert not Selection.objects.filter(coder__username="watcher").exists()


def test_only_the_coder_removes_their_unit(built: NarrativesWorld) -> None:
    coder = _coder(built, "second")
    url = reverse("narratives:unit-remove", args=[built.project.pk, built.selection.pk])
    assert coder.post(url).status_code == 404
    assert Selection.objects.filter(pk=built.selection.pk).exists()


def test_agreement_page_shows_nvivo_kappa_for_two_coders(
    built: NarrativesWorld, lead: Client
) -> None:
    lead_actor = Actor(built.project.created_by, "analyst")
    source = services.upload_transcript(
        lead_actor,
        built.project,
        "Long",
        ("x" * 1000).encode(),
        consent_improvement=True,
        consent_research=False,
    )
    coder_user = create_user("second", PASSWORD)
    make_analysts(coder_user, unit=narratives_unit(built))
    services.add_member(lead_actor, built.project, coder_user, AnalystRole.CODER)
    services.code_span(lead_actor, source, 0, 200, "a", [built.code])
    services.code_span(Actor(coder_user, "analyst"), source, 50, 250, "b", [built.code])
    a = str(services.user_guid(built.project.created_by.pk))
    b = str(services.user_guid(coder_user.pk))
    page = lead.get(
        reverse("narratives:agreement", args=[built.project.pk]), {"coder_a": a, "coder_b": b}
    ).content.decode()
    # N=1000, A on [0,200), B on [50,250): Po = 0.9, Pe = 0.68, kappa = 0.6875.
    assert "0.6875" in page
    assert "90.00" in page

    response = lead.post(
        reverse("narratives:consensus", args=[built.project.pk]),
        {"source": source.pk, "code": built.code.pk, "coder": [a, b], "keep": "both"},
    )
    assert response.status_code == 302
    merged = Selection.objects.get(source=source, is_consensus=True)
    assert (merged.start, merged.end) == (50, 200)


def test_the_same_coder_twice_is_refused(built: NarrativesWorld, lead: Client) -> None:
    guid = str(services.user_guid(built.project.created_by.pk))
    _coder(built, "second").post(_source_url(built), {"quote": "It felt safe", "condensed": "s"})
    page = lead.get(
        reverse("narratives:agreement", args=[built.project.pk]),
        {"coder_a": guid, "coder_b": guid},
    ).content.decode()
    assert "Choose two different coders." in page


def test_lead_adds_a_coder_and_a_starter_codebook(
    world: World, built: NarrativesWorld, lead: Client
) -> None:
    members_url = reverse("narratives:members", args=[built.project.pk])
    analyst = create_user("ana", PASSWORD, display_name="Ana Lyst")
    make_analysts(analyst, unit=narratives_unit(built))
    assert lead.post(members_url, {"user": analyst.pk, "role": "coder"}).status_code == 302
    assert ProjectMember.objects.get(project=built.project, user=analyst).role == (
        AnalystRole.CODER
    )
    response = lead.post(
        reverse("narratives:codebooks", args=[built.project.pk]), {"framework": "chime"}
    )
    assert response.status_code == 302
    page = lead.get(response["Location"]).content.decode()
    assert "Connectedness" in page


def test_memos_on_a_source_stay_with_it(built: NarrativesWorld, lead: Client) -> None:
    response = lead.post(
        reverse("narratives:memo", args=[built.project.pk]),
        {"text": "Night staff come up again.", "source": built.transcript.pk},
    )
    assert response["Location"] == _source_url(built)
    memo = Memo.objects.get()
    assert (memo.target, memo.source_id) == ("source", built.transcript.pk)
    assert "Night staff come up again." in lead.get(_source_url(built)).content.decode()


def test_a_memo_on_a_code_is_shown_on_its_codebook(built: NarrativesWorld, lead: Client) -> None:
    url = reverse("narratives:codebook", args=[built.project.pk, built.codebook.pk])
    response = lead.post(
        reverse("narratives:memo", args=[built.project.pk]),
        {"text": "Split into night and day?", "code": built.code.pk},
    )
    assert response["Location"] == url
    memo = Memo.objects.get()
    assert (memo.target, memo.code_id) == ("code", built.code.pk)
    assert "Split into night and day?" in lead.get(url).content.decode()


def test_only_analysts_the_lead_may_see_are_offered_and_nothing_else_is_revealed(
    world: World, built: NarrativesWorld, lead: Client
) -> None:
    elsewhere = create_user("far-analyst", PASSWORD, display_name="Far Analyst")
    make_analysts(elsewhere)  # an analyst of another organisation
    near = create_user("near-analyst", PASSWORD, display_name="Near Analyst")
    make_analysts(near, unit=narratives_unit(built))
    page = lead.get(reverse("narratives:project", args=[built.project.pk])).content.decode()
    assert "Near Analyst" in page
    assert "Far Analyst" not in page
    assert world.users[Persona.P2].shown_name not in page  # a service user is never listed
    assert world.users[Persona.KEY_WORKER].shown_name not in page  # staff, but no analyst
    members_url = reverse("narratives:members", args=[built.project.pk])
    answers = [
        lead.post(members_url, {"user": pk, "role": "coder"}).content.decode()
        for pk in (world.users[Persona.P2].pk, elsewhere.pk, 987654)
    ]
    assert all("Select a valid choice" in answer for answer in answers)
    assert not ProjectMember.objects.filter(
        project=built.project, user__in=[world.users[Persona.P2], elsewhere]
    ).exists()
    with pytest.raises(ValidationError):
        services.add_member(
            Actor(built.project.created_by, "analyst"),
            built.project,
            world.users[Persona.P2],
            AnalystRole.CODER,
        )


def test_a_researcher_is_offered_under_their_role_and_may_code(
    world: World, built: NarrativesWorld, lead: Client, client_as: Callable[[Persona], Client]
) -> None:
    researcher = world.users[Persona.RESEARCHER]
    project_url = reverse("narratives:project", args=[built.project.pk])
    # Before joining, the researcher meets the same 404 as anyone outside the project.
    assert client_as(Persona.RESEARCHER).get(project_url).status_code == 404
    page = lead.get(project_url).content.decode()
    group = page.split('<optgroup label="Researcher">', 1)[1].split("</optgroup>", 1)[0]
    assert researcher.shown_name in group
    assert world.users[Persona.KEY_WORKER].shown_name not in page  # care staff: no
    members_url = reverse("narratives:members", args=[built.project.pk])
    assert lead.post(members_url, {"user": researcher.pk, "role": "coder"}).status_code == 302
    assert ProjectMember.objects.get(project=built.project, user=researcher).role == "coder"
    # Once a member, no longer offered; the researcher opens the project and codes a unit.
    assert (
        researcher.shown_name
        not in lead.get(project_url)
        .content.decode()
        .split('name="user"', 1)[1]
        .split("</select>", 1)[0]
    )
    client = client_as(Persona.RESEARCHER)
    assert client.get(project_url).status_code == 200
    response = client.post(
        _source_url(built), {"start": 30, "end": 45, "condensed": "safe", "codes": built.code.pk}
    )
    assert response.status_code == 302
    assert Selection.objects.filter(coder=researcher, start=30, end=45).exists()


def test_a_researcher_whose_role_ended_is_not_offered(
    world: World, built: NarrativesWorld, lead: Client
) -> None:
    from django.utils import timezone

    from alongside.organisations import services as organisations
    from alongside.organisations.models import StaffRole

    researcher = world.users[Persona.RESEARCHER]
    role = StaffRole.objects.get(user=researcher)
    organisations.end_role(Actor.system(), role, ended_on=timezone.localdate())
    page = lead.get(reverse("narratives:project", args=[built.project.pk])).content.decode()
    assert researcher.shown_name not in page
    assert "Researcher" not in page.split('name="user"', 1)[1].split("</select>", 1)[0]


def _marks(page: str) -> list[str]:
    return [part.split(">", 1)[0] for part in page.split("<mark ")[1:]]


def test_highlights_show_the_code_colour_by_default_and_the_coder_on_request(
    built: NarrativesWorld, lead: Client
) -> None:
    lead_actor = Actor(built.project.created_by, "analyst")
    services.set_code_color(lead_actor, built.code, "#1A7F5A")
    other = services.add_code(lead_actor, built.codebook, name="Night", level="code")
    services.set_code_color(lead_actor, other, "#aa3377")
    services.code_span(lead_actor, built.transcript, 10, 40, "overlap", [other])
    second = _coder(built, "bo")
    second.post(_source_url(built), {"start": 30, "end": 45, "condensed": "", "codes": other.pk})

    page = lead.get(_source_url(built)).content.decode()
    text = page.split('id="source-text"', 1)[1].split("</div>", 1)[0]
    marks = _marks(text)
    # By code: each piece carries its codes' colours; the names are in its title and the legend.
    assert any('title="Feeling unsafe"' in m and 'data-colors="#1a7f5a"' in m for m in marks)
    assert any(
        'title="Feeling unsafe, Night"' in m and 'data-colors="#1a7f5a #aa3377"' in m for m in marks
    )
    assert not any("stripe-" in m for m in marks)
    legend = page.split('id="highlight-legend"', 1)[1].split("</ul>", 1)[0]
    assert "Feeling unsafe" in legend
    assert "Night" in legend
    assert 'fill="#1a7f5a"' in legend

    # By coder: the lead's units only unless every coder is shown; then a stripe per coder.
    mine = lead.get(_source_url(built), {"by": "coder"}).content.decode()
    assert "data-colors" not in mine
    assert "stripe-" not in mine.split('id="source-text"', 1)[1]
    everyone = lead.get(_source_url(built), {"by": "coder", "show": "all"}).content.decode()
    coders = everyone.split('id="highlight-legend"', 1)[1].split("</ul>", 1)[0]
    assert "Bo" in coders
    assert built.project.created_by.shown_name in coders
    assert "stripe-1" in everyone
    assert "stripe-2" in everyone

    # A coder in the open round, by coder, sees only their own units and their own name.
    blind = second.get(_source_url(built), {"by": "coder", "show": "all"}).content.decode()
    legend = blind.split('id="highlight-legend"', 1)[1].split("</ul>", 1)[0]
    assert "Bo" in legend
    assert built.project.created_by.shown_name not in legend
    assert "overlap" not in blind
    assert len(_marks(blind.split('id="source-text"', 1)[1].split("</div>", 1)[0])) == 1
