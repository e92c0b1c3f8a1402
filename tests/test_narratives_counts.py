"""Reports count coded passages of one coder or of the consensus, counted here by hand."""

from __future__ import annotations

import uuid

import pytest

from alongside.accounts.models import User
from alongside.accounts.services import create_user
from alongside.audit.log import Actor
from alongside.narratives import reports, services
from alongside.narratives.models import (
    AnalystRole,
    Code,
    CodeLevel,
    Purpose,
    Source,
)
from tests.narratives_world import make_analysts

pytestmark = pytest.mark.django_db


class Team:
    def __init__(self) -> None:
        self.lead, self.ann, self.ben = (
            create_user(name, None, display_name=name.title()) for name in ("lead", "ann", "ben")
        )
        make_analysts(self.lead, self.ann, self.ben)
        self.project = services.create_project(
            self.act(self.lead), name="Counts", purpose=Purpose.RESEARCH
        )
        for coder in (self.ann, self.ben):
            services.add_member(self.act(self.lead), self.project, coder, AnalystRole.CODER)
        self.book = services.create_codebook(self.act(self.lead), self.project, "Book")

    def act(self, user: User) -> Actor:
        return Actor(user, "analyst")

    def code(self, name: str, parent: Code | None = None) -> Code:
        level = CodeLevel.CODE if parent is not None else CodeLevel.THEME
        return services.add_code(
            self.act(self.lead), self.book, name=name, level=level, parent=parent
        )

    def source(self, length: int = 100) -> Source:
        return services.upload_transcript(
            self.act(self.lead),
            self.project,
            "Group",
            ("x" * length).encode(),
            consent_improvement=False,
            consent_research=True,
        )

    def code_span(self, coder: User, source: Source, start: int, end: int, *codes: Code) -> None:
        services.code_span(self.act(coder), source, start, end, "", list(codes))


@pytest.fixture
def team() -> Team:
    return Team()


def _guid(user: User) -> uuid.UUID:
    return services.user_guid(user.pk)


def test_one_passage_coded_three_times_counts_once(team: Team) -> None:
    hope = team.code("Hope")
    source = team.source()
    # Ann codes one passage with three overlapping units; Ben codes the same passage once.
    team.code_span(team.ann, source, 0, 20, hope)
    team.code_span(team.ann, source, 5, 25, hope)
    team.code_span(team.ann, source, 10, 30, hope)
    team.code_span(team.ben, source, 0, 30, hope)
    # Hand count: Ann [0, 30) is one passage; Ben [0, 30) is one passage.
    ann = reports.theme_table(team.project, team.book, coder_guid=_guid(team.ann))
    ben = reports.theme_table(team.project, team.book, coder_guid=_guid(team.ben))
    assert (ann[0].units, ann[0].sources_total) == (1, 1)
    assert ben[0].units == 1
    # Nobody agreed yet: the consensus holds nothing.
    assert reports.theme_table(team.project, team.book, consensus_only=True)[0].units == 0


def test_a_cooccurrence_cell_never_exceeds_either_codes_own_count(team: Team) -> None:
    hope, home = team.code("Hope"), team.code("Home")
    source = team.source()
    # One long Hope passage with three short Home passages inside it: the old count gave 3
    # co-occurrences for a code with one passage.
    team.code_span(team.ann, source, 0, 50, hope)
    for start in (5, 15, 25):
        team.code_span(team.ann, source, start, start + 5, home)
    matrix = reports.cooccurrence(team.project, team.book, coder_guid=_guid(team.ann))
    assert matrix.count(hope.pk, hope.pk) == 1
    assert matrix.count(home.pk, home.pk) == 3
    assert matrix.count(hope.pk, home.pk) == 1


def test_hand_counted_theme_table_and_cooccurrence_for_one_coder(team: Team) -> None:
    theme = team.code("Connection")
    peers, family, work = (team.code(n, theme) for n in ("Peers", "Family", "Work"))
    one, two = team.source(), team.source()
    ann = team.ann
    team.code_span(ann, one, 0, 10, peers)
    team.code_span(ann, one, 5, 15, peers)  # joins [0, 10): one passage [0, 15)
    team.code_span(ann, one, 20, 30, peers, family)
    team.code_span(ann, one, 40, 50, family)
    team.code_span(ann, one, 45, 60, work)  # overlaps Family [40, 50)
    team.code_span(ann, one, 60, 70, family)  # touches Work, does not overlap it
    team.code_span(ann, two, 0, 10, peers)
    team.code_span(ann, two, 10, 20, family)  # touches Peers only
    team.code_span(team.ben, one, 0, 100, peers, family, work)  # another coder: not counted

    rows = {
        row.name: row for row in reports.theme_table(team.project, team.book, coder_guid=_guid(ann))
    }
    # Peers: one [0, 15), [20, 30); two [0, 10) -> 3 passages in 2 sources.
    assert (rows["Peers"].units, rows["Peers"].sources_total) == (3, 2)
    # Family: one [20, 30), [40, 50), [60, 70); two [10, 20) -> 4.
    assert rows["Family"].units == 4
    assert rows["Work"].units == 1
    # Connection with everything below, overlaps joined: one [0, 15), [20, 30), [40, 60),
    # [60, 70); two [0, 10), [10, 20) -> 6 (touching passages stay two).
    assert (rows["Connection"].units, rows["Connection"].units_total) == (0, 6)

    matrix = reports.cooccurrence(team.project, team.book, coder_guid=_guid(ann))
    assert matrix.count(peers.pk, family.pk) == 1  # one [20, 30) only
    assert matrix.count(family.pk, work.pk) == 1  # one [40, 60)
    assert matrix.count(peers.pk, work.pk) == 0
    for a in (peers, family, work):
        for b in (peers, family, work):
            assert matrix.count(a.pk, b.pk) <= min(
                matrix.count(a.pk, a.pk), matrix.count(b.pk, b.pk)
            )
    csv_lines = reports.cooccurrence_csv(matrix).splitlines()
    assert csv_lines[0] == ",Connection,Peers,Family,Work"
    assert csv_lines[2] == "Peers,0,3,1,0"


def test_consensus_counts_the_merged_passages(team: Team) -> None:
    hope = team.code("Hope")
    source = team.source()
    team.code_span(team.ann, source, 0, 20, hope)
    team.code_span(team.ben, source, 10, 30, hope)
    team.code_span(team.ann, source, 50, 60, hope)
    services.merge_consensus(
        team.act(team.lead), source, hope, [_guid(team.ann), _guid(team.ben)], min_coders=2
    )  # both coded [10, 20) only
    assert reports.theme_table(team.project, team.book, consensus_only=True)[0].units == 1
    assert reports.theme_table(team.project, team.book, coder_guid=_guid(team.ann))[0].units == 2


def test_an_empty_project_counts_nothing(team: Team) -> None:
    hope = team.code("Hope")
    assert reports.theme_table(team.project, team.book, coder_guid=_guid(team.ann))[0].units == 0
    assert reports.cooccurrence(team.project, team.book, consensus_only=True).counts == {}
    assert reports.barrier_map(team.project, coder_guid=_guid(team.ann)).counts == {}
    assert hope.codings.count() == 0


def test_passages_join_overlaps_but_not_touching_spans() -> None:
    assert reports.passages([(5, 10), (0, 6), (10, 12)]) == [(0, 10), (10, 12)]
    assert reports.passages([]) == []
    assert reports.passages_with_both([(0, 50)], [(5, 10), (15, 20)]) == 1
    assert reports.passages_with_both([(0, 10)], [(10, 20)]) == 0
