"""Narratives: consent and withdrawal, uploads, coding rules, codebooks, reports."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

import docx
import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from alongside.accounts.models import User
from alongside.accounts.services import create_user
from alongside.audit.log import Actor
from alongside.audit.models import AuditAction, AuditEvent
from alongside.narratives import refi, reports, services
from alongside.narratives.models import (
    AnalystRole,
    Code,
    Codebook,
    CodebookOrigin,
    CodeLevel,
    Memo,
    NarrativeProject,
    Purpose,
    Selection,
    Source,
    SourceKind,
)
from alongside.narratives.starters import starter_codebook
from alongside.people import services as people
from alongside.people.models import Person
from tests.narratives_world import make_analysts

pytestmark = pytest.mark.django_db


@dataclass
class Team:
    lead: User
    coder: User
    second_coder: User
    viewer: User
    outsider: User
    person: User
    person_record: Person
    project: NarrativeProject

    def act(self, user: User, role: str = "analyst") -> Actor:
        return Actor(user, role)


@pytest.fixture
def team() -> Team:
    users = {
        name: create_user(name, None, display_name=name.title())
        for name in ("lead", "coder", "second", "viewer", "outsider", "person")
    }
    person_record = people.register_person(Actor.system(), name="Sam Vale", user=users["person"])
    make_analysts(users["lead"], users["coder"], users["second"], users["viewer"])
    lead = Actor(users["lead"], "analyst")
    project = services.create_project(
        lead,
        name="Stories from the ward",
        purpose=Purpose.IMPROVEMENT,
        accepts_narratives=True,
    )
    services.add_member(lead, project, users["coder"], AnalystRole.CODER)
    services.add_member(lead, project, users["second"], AnalystRole.CODER)
    services.add_member(lead, project, users["viewer"], AnalystRole.VIEWER)
    return Team(
        lead=users["lead"],
        coder=users["coder"],
        second_coder=users["second"],
        viewer=users["viewer"],
        outsider=users["outsider"],
        person=users["person"],
        person_record=person_record,
        project=project,
    )


@pytest.fixture
def codebook(team: Team) -> Codebook:
    return services.create_codebook(team.act(team.lead), team.project, "Our codes")


def _code(
    team: Team,
    codebook: Codebook,
    name: str,
    *,
    level: str = CodeLevel.CODE,
    parent: Code | None = None,
    definition: str = "",
    examples: tuple[str, ...] | list[str] = (),
) -> Code:
    return services.add_code(
        team.act(team.lead),
        codebook,
        name=name,
        level=level,
        parent=parent,
        definition=definition,
        examples=examples,
    )


def _narrative(team: Team, text: str = "We cooked together and I felt at home.") -> Source:
    return services.submit_narrative(
        Actor(team.person, "person"),
        team.project,
        text,
        consent_improvement=True,
        consent_research=False,
    )


# Consent and withdrawal ----------------------------------------------------------------------


def test_person_submits_a_narrative_that_analyses_may_use(team: Team) -> None:
    source = _narrative(team)
    assert source.kind == SourceKind.NARRATIVE
    assert list(services.usable_sources(team.project)) == [source]
    event = AuditEvent.objects.get(object_type="narratives.Source", object_id=str(source.pk))
    assert event.actor_id == team.person.pk
    assert event.person_id == team.person_record.pk


def test_a_narrative_needs_explicit_consent(team: Team) -> None:
    with pytest.raises(ValidationError):
        services.submit_narrative(
            Actor(team.person, "person"),
            team.project,
            "Some words.",
            consent_improvement=False,
            consent_research=False,
        )
    assert not Source.objects.exists()


def test_a_project_that_does_not_collect_narratives_refuses_them(team: Team) -> None:
    team.project.accepts_narratives = False
    team.project.save()
    with pytest.raises(PermissionDenied):
        _narrative(team)


def test_consent_must_cover_the_projects_purpose(team: Team) -> None:
    research = services.create_project(
        team.act(team.lead), name="Study", purpose=Purpose.RESEARCH, accepts_narratives=True
    )
    with pytest.raises(ValidationError, match="Nothing was stored"):
        services.submit_narrative(
            Actor(team.person, "person"),
            research,
            "Words.",
            consent_improvement=True,
            consent_research=False,
        )
    both = services.submit_narrative(
        Actor(team.person, "person"),
        research,
        "More words.",
        consent_improvement=True,
        consent_research=True,
    )
    assert list(Source.objects.filter(project=research)) == [both]
    assert list(services.usable_sources(research)) == [both]


def test_anonymous_narrative_hides_the_writer_from_the_service_but_not_from_the_audit(
    team: Team,
) -> None:
    source = services.submit_narrative(
        Actor(team.person, "person"),
        team.project,
        "I would rather not say who I am.",
        consent_improvement=True,
        consent_research=True,
        anonymous_to_service=True,
    )
    assert source.shown_submitter_id is None
    event = AuditEvent.objects.get(object_type="narratives.Source", object_id=str(source.pk))
    assert event.actor_id == team.person.pk
    assert "anonymous" in event.why


def test_withdrawal_removes_the_source_from_usable_sources_reports_and_exports(
    team: Team, codebook: Codebook
) -> None:
    code = _code(team, codebook, "Feeling at home")
    staying = _narrative(team, "The garden helped me.")
    leaving = _narrative(team, "We cooked together and I felt at home.")
    services.code_span(team.act(team.coder), staying, 4, 10, "garden helps", [code])
    services.code_span(team.act(team.coder), leaving, 0, 10, "cooking together", [code])
    assert reports.theme_table(team.project, codebook)[0].units == 2

    services.withdraw_consent(Actor(team.person, "person"), leaving, why="changed my mind")

    assert list(services.usable_sources(team.project)) == [staying]
    assert reports.theme_table(team.project, codebook)[0].units == 1
    exported = refi.export_qdpx(team.project)
    archive = zipfile.ZipFile(io.BytesIO(exported))
    qde = archive.read("project.qde").decode()
    assert str(leaving.guid) not in qde
    assert "cooking together" not in qde
    assert f"sources/{leaving.guid}.txt" not in archive.namelist()
    assert f"sources/{staying.guid}.txt" in archive.namelist()
    event = AuditEvent.objects.get(action=AuditAction.END, object_id=str(leaving.pk))
    assert event.actor_id == team.person.pk
    assert "changed my mind" in event.why


def test_withdrawn_memos_on_the_source_leave_with_it(team: Team, codebook: Codebook) -> None:
    leaving = _narrative(team)
    services.add_memo(team.act(team.coder), team.project, "secret thought", source=leaving)
    services.withdraw_consent(team.act(team.lead), leaving)
    qde = zipfile.ZipFile(io.BytesIO(refi.export_qdpx(team.project))).read("project.qde")
    assert b"secret thought" not in qde


def test_only_the_writer_or_a_lead_may_withdraw(team: Team) -> None:
    source = _narrative(team)
    with pytest.raises(PermissionDenied):
        services.withdraw_consent(team.act(team.coder), source)
    services.withdraw_consent(team.act(team.lead), source)
    assert Source.objects.get(pk=source.pk).withdrawn_by == team.lead


def test_withdrawing_twice_records_it_once(team: Team) -> None:
    source = _narrative(team)
    first = services.withdraw_consent(Actor(team.person, "person"), source)
    second = services.withdraw_consent(Actor(team.person, "person"), source)
    assert first.withdrawn_at == second.withdrawn_at
    assert AuditEvent.objects.filter(action=AuditAction.END, object_id=str(source.pk)).count() == 1


def test_a_withdrawn_source_cannot_be_coded(team: Team, codebook: Codebook) -> None:
    code = _code(team, codebook, "Hope")
    source = _narrative(team)
    services.withdraw_consent(Actor(team.person, "person"), source)
    with pytest.raises(ValidationError):
        services.code_span(team.act(team.coder), source, 0, 5, "", [code])


# Uploads -------------------------------------------------------------------------------------


def test_text_upload_with_bom_and_crlf_is_stored_normalised(team: Team) -> None:
    data = "\ufeffFirst line\r\nSecond line ü\r\n".encode()
    source = services.upload_transcript(
        team.act(team.coder),
        team.project,
        "Focus group 1",
        data,
        consent_improvement=True,
        consent_research=False,
        attributes={"speaker_role": "peer worker", "unit": "Ward A", "date": "2025-03-04"},
    )
    assert source.text == "First line\nSecond line ü\n"
    assert source.char_count == 25
    assert source.had_bom is True
    assert source.newline_style == "crlf"
    assert source.line_endings.original_text() == "First line\r\nSecond line ü\r\n"
    assert source.attributes == {
        "speaker_role": "peer worker",
        "unit": "Ward A",
        "date": "2025-03-04",
    }


def test_docx_upload_reads_paragraphs_and_table_rows_in_order(team: Team) -> None:
    document = docx.Document()
    document.add_paragraph("Facilitator: What helped?")
    document.add_paragraph("Participant: Being asked what I wanted.")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "P2"
    table.cell(0, 1).text = "Time outside."
    table.cell(1, 0).text = "P3"
    table.cell(1, 1).text = "Someone who listened."
    document.add_paragraph("End of meeting.")
    buffer = io.BytesIO()
    document.save(buffer)

    source = services.upload_transcript(
        team.act(team.coder),
        team.project,
        "Dialogue meeting",
        buffer.getvalue(),
        consent_improvement=True,
        consent_research=True,
    )
    assert source.text == (
        "Facilitator: What helped?\n"
        "Participant: Being asked what I wanted.\n"
        "P2\tTime outside.\n"
        "P3\tSomeone who listened.\n"
        "End of meeting."
    )
    assert source.kind == SourceKind.TRANSCRIPT


def test_bytes_that_are_neither_utf8_nor_docx_are_refused(team: Team) -> None:
    with pytest.raises(ValidationError):
        services.upload_transcript(
            team.act(team.coder),
            team.project,
            "Broken",
            b"caf\xe9",
            consent_improvement=True,
            consent_research=False,
        )
    with pytest.raises(ValidationError):
        services.upload_transcript(
            team.act(team.coder),
            team.project,
            "Not a document",
            b"PK\x03\x04 not really a zip",
            consent_improvement=True,
            consent_research=False,
        )


@pytest.mark.parametrize(
    "attributes", [{"date": "4 March"}, {"mood": "good"}], ids=["bad-date", "unknown-key"]
)
def test_case_attributes_are_checked(team: Team, attributes: dict[str, str]) -> None:
    with pytest.raises(ValidationError):
        services.upload_transcript(
            team.act(team.coder),
            team.project,
            "Group",
            b"text",
            consent_improvement=True,
            consent_research=False,
            attributes=attributes,
        )


def test_viewers_and_outsiders_cannot_upload(team: Team) -> None:
    for user in (team.viewer, team.outsider):
        with pytest.raises(PermissionDenied):
            services.upload_transcript(
                team.act(user),
                team.project,
                "Group",
                b"text",
                consent_improvement=True,
                consent_research=False,
            )


# Coding --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end"),
    [(-1, 5), (5, 5), (6, 5), (0, 11)],
    ids=["negative", "empty", "reversed", "past-the-end"],
)
def test_spans_must_lie_inside_the_text(
    team: Team, codebook: Codebook, start: int, end: int
) -> None:
    code = _code(team, codebook, "Hope")
    source = _narrative(team, "0123456789")
    with pytest.raises(ValidationError):
        services.code_span(team.act(team.coder), source, start, end, "", [code])


def test_a_span_may_cover_the_whole_text(team: Team, codebook: Codebook) -> None:
    code = _code(team, codebook, "Hope")
    source = _narrative(team, "0123456789")
    selection = services.code_span(team.act(team.coder), source, 0, 10, "all of it", [code])
    assert (selection.start, selection.end) == (0, 10)
    assert selection.coder_guid == services.user_guid(team.coder.pk)
    event = AuditEvent.objects.get(object_type="narratives.Selection")
    assert event.actor_id == team.coder.pk


def test_offsets_count_code_points_not_bytes(team: Team, codebook: Codebook) -> None:
    code = _code(team, codebook, "Hope")
    source = _narrative(team, "日本語 and 😀 text")
    selection = services.code_span(team.act(team.coder), source, 4, 7, "", [code])
    assert source.text[selection.start : selection.end] == "and"
    assert source.char_count == 14


def test_viewers_and_outsiders_cannot_code(team: Team, codebook: Codebook) -> None:
    code = _code(team, codebook, "Hope")
    source = _narrative(team)
    for user in (team.viewer, team.outsider):
        with pytest.raises(PermissionDenied):
            services.code_span(team.act(user), source, 0, 5, "", [code])


def test_codes_from_another_project_are_refused(team: Team, codebook: Codebook) -> None:
    other = services.create_project(team.act(team.lead), name="Other", purpose=Purpose.RESEARCH)
    foreign_book = services.create_codebook(team.act(team.lead), other, "Theirs")
    foreign = _code(team, foreign_book, "Elsewhere")
    source = _narrative(team)
    with pytest.raises(ValidationError):
        services.code_span(team.act(team.coder), source, 0, 5, "", [foreign])


def test_a_unit_needs_a_code_or_a_condensed_meaning(team: Team) -> None:
    source = _narrative(team)
    with pytest.raises(ValidationError):
        services.code_span(team.act(team.coder), source, 0, 5, "  ", [])
    unit = services.code_span(team.act(team.coder), source, 0, 5, "we cooked", [])
    assert unit.codings.count() == 0


def test_only_the_coder_changes_their_unit(team: Team, codebook: Codebook) -> None:
    code = _code(team, codebook, "Hope")
    source = _narrative(team)
    unit = services.code_span(team.act(team.coder), source, 0, 5, "", [code])
    with pytest.raises(PermissionDenied):
        services.remove_selection(team.act(team.second_coder), unit)
    other = _code(team, codebook, "Home")
    services.apply_codes(team.act(team.coder), unit, [other, code])
    assert set(unit.codings.values_list("code__name", flat=True)) == {"Hope", "Home"}
    services.remove_selection(team.act(team.coder), unit)
    assert not Selection.objects.exists()


def test_the_consensus_merge_keeps_what_the_majority_coded(team: Team, codebook: Codebook) -> None:
    code = _code(team, codebook, "Hope")
    source = _narrative(team, "x" * 300)
    services.code_span(team.act(team.coder), source, 0, 200, "hope for a job", [code])
    services.code_span(team.act(team.second_coder), source, 50, 250, "job hopes", [code])
    coders = [services.user_guid(team.coder.pk), services.user_guid(team.second_coder.pk)]
    with pytest.raises(PermissionDenied):
        services.merge_consensus(team.act(team.coder), source, code, coders)
    merged = services.merge_consensus(team.act(team.lead), source, code, coders)
    assert [(u.start, u.end, u.is_consensus) for u in merged] == [(50, 200, True)]
    assert merged[0].condensed == "hope for a job / job hopes"
    units = reports.theme_table(team.project, codebook, consensus_only=True)
    assert units[0].units == 1


# Codebooks -----------------------------------------------------------------------------------


def test_codes_sit_below_their_parent_level(team: Team, codebook: Codebook) -> None:
    theme = _code(team, codebook, "Safety", level=CodeLevel.THEME)
    category = _code(team, codebook, "Money", level=CodeLevel.CATEGORY, parent=theme)
    with pytest.raises(ValidationError):
        _code(team, codebook, "Too high", level=CodeLevel.SUBTHEME, parent=category)
    code = _code(
        team,
        codebook,
        "Rent arrears",
        parent=category,
        definition="Worry about paying for housing.",
        examples=["I could lose the flat."],
    )
    assert code.examples == ["I could lose the flat."]


def test_moving_a_code_below_itself_is_refused(team: Team, codebook: Codebook) -> None:
    theme = _code(team, codebook, "Safety", level=CodeLevel.THEME)
    sub = _code(team, codebook, "Money", level=CodeLevel.SUBTHEME, parent=theme)
    with pytest.raises(ValidationError):
        services.move_code(team.act(team.lead), theme, sub)
    loose = _code(team, codebook, "Rent")
    services.move_code(team.act(team.coder), loose, sub)
    assert Code.objects.get(pk=loose.pk).parent == sub


def test_viewers_cannot_build_codebooks(team: Team, codebook: Codebook) -> None:
    with pytest.raises(PermissionDenied):
        services.add_code(team.act(team.viewer), codebook, name="x", level=CodeLevel.CODE)


def test_project_keeps_a_lead(team: Team) -> None:
    lead_member = team.project.members.get(user=team.lead)
    with pytest.raises(ValidationError):
        services.add_member(team.act(team.lead), team.project, team.lead, AnalystRole.VIEWER)
    with pytest.raises(ValidationError):
        services.remove_member(team.act(team.lead), lead_member)
    with pytest.raises(PermissionDenied):
        services.add_member(team.act(team.coder), team.project, team.outsider, AnalystRole.LEAD)


def test_starter_codebooks_hold_the_frameworks(team: Team) -> None:
    chime = starter_codebook("chime")
    assert chime.project is None
    themes = chime.codes.filter(level=CodeLevel.THEME)
    assert list(themes.values_list("concept_code", flat=True)) == [
        "chime.c",
        "chime.h",
        "chime.i",
        "chime.m",
        "chime.e",
    ]
    assert chime.codes.filter(level=CodeLevel.SUBTHEME).count() == 21
    practice = starter_codebook("practice")
    assert practice.codes.filter(level=CodeLevel.THEME).count() == 4
    assert practice.codes.filter(level=CodeLevel.SUBTHEME).count() == 16
    recovery = starter_codebook("recovery", team.project, actor=team.act(team.lead))
    assert recovery.origin == CodebookOrigin.RECOVERY
    concepts = set(recovery.codes.values_list("concept_code", flat=True))
    assert {"recovery.safety", "recovery.control.no-choice", "recovery.roots.social"} <= concepts
    assert all(code.definition for code in recovery.codes.all())
    copy = services.copy_codebook(team.act(team.coder), chime, team.project)
    assert copy.codes.count() == chime.codes.count()
    assert copy.codes.filter(parent__isnull=False, parent__codebook=copy).count() == 21


def test_starter_templates_are_written_only_by_the_platform(team: Team) -> None:
    with pytest.raises(PermissionDenied):
        starter_codebook("chime", actor=team.act(team.lead))
    with pytest.raises(ValidationError):
        starter_codebook("astrology")


def test_memos_on_project_code_and_source(team: Team, codebook: Codebook) -> None:
    code = _code(team, codebook, "Hope")
    source = _narrative(team)
    services.add_memo(team.act(team.lead), team.project, "First impressions")
    services.add_memo(team.act(team.coder), team.project, "Broad on purpose", code=code)
    services.add_memo(team.act(team.coder), team.project, "Long pauses", source=source)
    assert list(Memo.objects.values_list("target", flat=True)) == ["project", "code", "source"]
    with pytest.raises(PermissionDenied):
        services.add_memo(team.act(team.viewer), team.project, "x")


# Reports -------------------------------------------------------------------------------------


def test_theme_table_counts_units_and_sources_down_the_hierarchy(
    team: Team, codebook: Codebook
) -> None:
    theme = _code(team, codebook, "Connection", level=CodeLevel.THEME)
    peers = _code(team, codebook, "Peers", parent=theme)
    family = _code(team, codebook, "Family", parent=theme)
    one, two = _narrative(team, "a" * 50), _narrative(team, "b" * 50)
    act = team.act(team.coder)
    services.code_span(act, one, 0, 10, "peer group", [peers])
    services.code_span(act, one, 20, 30, "sister visits", [family, peers])
    services.code_span(act, two, 0, 10, "mother calls", [family])
    rows = {row.name: row for row in reports.theme_table(team.project, codebook)}
    assert rows["Connection"].units == 0
    assert rows["Connection"].units_total == 3
    assert rows["Connection"].sources_total == 2
    assert rows["Peers"].units == 2
    assert rows["Peers"].path == ("Connection", "Peers")
    assert rows["Family"].examples == ("sister visits", "mother calls")
    csv_text = reports.theme_table_csv(reports.theme_table(team.project, codebook))
    assert "Connection > Peers" in csv_text


def test_cooccurrence_counts_overlapping_units_in_the_same_source(
    team: Team, codebook: Codebook
) -> None:
    hope, home, work = (_code(team, codebook, n) for n in ("Hope", "Home", "Work"))
    one, two = _narrative(team, "a" * 100), _narrative(team, "b" * 100)
    act = team.act(team.coder)
    services.code_span(act, one, 0, 20, "", [hope, home])  # both on one unit
    services.code_span(act, one, 10, 30, "", [work])  # overlaps the first
    services.code_span(act, one, 50, 60, "", [hope])  # overlaps nothing
    services.code_span(act, two, 0, 10, "", [home])
    services.code_span(act, two, 10, 20, "", [work])  # touches, does not overlap
    matrix = reports.cooccurrence(team.project, codebook)
    assert matrix.count(hope.pk, home.pk) == 1
    assert matrix.count(home.pk, hope.pk) == 1
    assert matrix.count(hope.pk, work.pk) == 1
    assert matrix.count(home.pk, work.pk) == 1
    assert matrix.count(hope.pk, hope.pk) == 2
    assert matrix.count(work.pk, work.pk) == 2
    assert reports.cooccurrence_csv(matrix).splitlines()[0] == ",Hope,Home,Work"


def test_barrier_map_counts_units_by_step_and_root(team: Team) -> None:
    lead = team.act(team.lead)
    book = starter_codebook("recovery", team.project, actor=lead)
    by_concept = {c.concept_code: c for c in book.codes.all()}
    inductive = services.create_codebook(lead, team.project, "Ward words")
    night = services.add_code(
        lead,
        inductive,
        name="Locked doors at night",
        level=CodeLevel.THEME,
        concept_code="recovery.roots.system.hospital-confined",
    )
    staff = services.add_code(
        lead, inductive, name="Night staff", level=CodeLevel.SUBTHEME, parent=night
    )
    source = _narrative(team, "z" * 100)
    act = team.act(team.coder)
    services.code_span(
        act,
        source,
        0,
        10,
        "",
        [
            by_concept["recovery.control.no-choice"],
            by_concept["recovery.roots.social.thin-networks"],
        ],
    )
    # The inductive code inherits its parent's concept (a system root).
    services.code_span(act, source, 20, 30, "", [by_concept["recovery.safety"], staff])
    services.code_span(act, source, 40, 50, "", [by_concept["recovery.safety.no-compassion"]])
    result = reports.barrier_map(team.project)
    assert [code for code, _name in result.steps] == [
        "recovery.safety",
        "recovery.control",
        "recovery.reunion",
    ]
    assert result.roots[0][0] == "recovery.roots.system"
    assert len(result.roots) == 8
    assert result.count("recovery.control", "recovery.roots.social.thin-networks") == 1
    assert result.count("recovery.safety", "recovery.roots.system.hospital-confined") == 1
    assert sum(result.counts.values()) == 2
    lines = reports.barrier_map_csv(result).splitlines()
    assert len(lines) == 4
    assert lines[2].endswith(",1")


def test_agreement_table_per_source_and_code(team: Team, codebook: Codebook) -> None:
    code = _code(team, codebook, "Hope")
    source = _narrative(team, "x" * 1000)
    services.code_span(team.act(team.coder), source, 0, 200, "", [code])
    services.code_span(team.act(team.second_coder), source, 50, 250, "", [code])
    a, b = services.user_guid(team.coder.pk), services.user_guid(team.second_coder.pk)
    rows = reports.agreement_table(team.project, a, b, codebook)
    assert len(rows) == 1
    assert rows[0].result.kappa == 0.6875
    assert rows[0].result.agreement == 90.0
    assert reports.weighted_kappa(rows) == 0.6875
    assert "0.6875" in reports.agreement_csv(rows)
    services.withdraw_consent(team.act(team.lead), source)
    assert reports.agreement_table(team.project, a, b, codebook) == []


def test_unit_alpha_over_shared_segments(team: Team, codebook: Codebook) -> None:
    hope, home = _code(team, codebook, "Hope"), _code(team, codebook, "Home")
    source = _narrative(team, "y" * 100)
    a, b = team.act(team.coder), team.act(team.second_coder)
    # Units [0,10), [10,20), [20,30): coder A says hope, hope, home; coder B hope, home, home.
    for unit, (mine, theirs) in enumerate([(hope, hope), (hope, home), (home, home)]):
        services.code_span(a, source, unit * 10, unit * 10 + 10, "", [mine])
        services.code_span(b, source, unit * 10, unit * 10 + 10, "", [theirs])
    guids = [services.user_guid(team.coder.pk), services.user_guid(team.second_coder.pk)]
    # o[hope,hope] = 2, o[home,home] = 2, o[hope,home] = o[home,hope] = 1; n_hope = n_home = 3.
    # alpha = 1 - 5 * 2 / 18 = 4/9.
    alpha = reports.unit_alpha(team.project, guids, codebook=codebook)
    assert alpha.value == pytest.approx(4 / 9)
    # Per code ("was hope applied?") the same data read as True/False: the same 4/9.
    assert reports.unit_alpha(team.project, guids, code=hope).value == pytest.approx(4 / 9)
