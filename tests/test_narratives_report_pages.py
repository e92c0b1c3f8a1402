"""The report pages: theme table, co-occurrence, barrier map, each with a chart and a CSV."""

from __future__ import annotations

import csv
import html
import io
import re
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from alongside.audit.log import Actor
from alongside.frameworks.models import Framework
from alongside.narratives import charts, services
from alongside.narratives.models import AnalystRole, Code, CodeLevel
from alongside.narratives.starters import starter_codebook
from tests.narratives_world import NarrativesWorld, make_analysts, narratives_world
from tests.personas import Persona, World

ClientAs = Callable[[Persona], Client]
PAGES = ["report-themes", "report-cooccurrence", "report-barriers"]
CSVS = ["report-themes-csv", "report-cooccurrence-csv", "report-barriers-csv"]


@pytest.fixture
def nw(world: World) -> NarrativesWorld:
    return narratives_world(world)


def _lead(world: World) -> Actor:
    return Actor(world.users[Persona.ANALYST], "analyst")


def _rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8"))))


@pytest.mark.parametrize("name", PAGES + CSVS)
def test_only_members_see_reports(
    name: str, world: World, nw: NarrativesWorld, client_as: ClientAs
) -> None:
    make_analysts(world.users[Persona.KEY_WORKER], unit=world.ward)
    services.add_member(
        _lead(world), nw.project, world.users[Persona.KEY_WORKER], AnalystRole.VIEWER
    )
    url = reverse(f"narratives:{name}", args=[nw.project.pk])
    assert client_as(Persona.ANALYST).get(url).status_code == 200
    assert client_as(Persona.KEY_WORKER).get(url).status_code == 200
    for outsider in (Persona.P1, Persona.P2, Persona.CASEWORKER, Persona.FAMILY):
        assert client_as(outsider).get(url).status_code == 404
    assert client_as(Persona.ANONYMOUS).get(url).status_code == 302


@pytest.mark.parametrize("name", CSVS)
def test_csv_downloads_are_attachments(name: str, nw: NarrativesWorld, client_as: ClientAs) -> None:
    response = client_as(Persona.ANALYST).get(reverse(f"narratives:{name}", args=[nw.project.pk]))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="stories-from-ward-a-')
    assert response["Content-Disposition"].endswith('.csv"')


def test_the_theme_table_counts_units_and_shows_examples(
    nw: NarrativesWorld, client_as: ClientAs
) -> None:
    lead = client_as(Persona.ANALYST)
    page = lead.get(reverse("narratives:report-themes", args=[nw.project.pk])).content.decode()
    assert "Feeling unsafe" in page
    assert "talk about ward" in page
    assert "<q>We talked about the ward.</q>" in page
    assert 'role="img"' in page
    assert 'id="themes-chart-title"' in page
    assert "style=" not in page
    rows = _rows(lead.get(reverse("narratives:report-themes-csv", args=[nw.project.pk])).content)
    assert rows[1][2] == "Feeling unsafe"
    assert rows[1][4:7] == ["1", "1", "1"]


def test_a_withdrawn_narrative_leaves_the_theme_table(
    world: World, nw: NarrativesWorld, client_as: ClientAs
) -> None:
    lead = _lead(world)
    services.code_span(lead, nw.narrative, 4, 20, "staff listened at night", [nw.code])
    analyst = client_as(Persona.ANALYST)
    url = reverse("narratives:report-themes", args=[nw.project.pk])
    csv_url = reverse("narratives:report-themes-csv", args=[nw.project.pk])
    before = analyst.get(url).content.decode()
    assert "staff listened at night" in before
    assert "<q>night staff list</q>" in before
    assert _rows(analyst.get(csv_url).content)[1][4:7] == ["2", "2", "2"]

    withdraw = reverse("narratives:collect-withdraw", args=[nw.narrative.pk])
    client_as(Persona.P1).post(withdraw, {"reason": "I changed my mind"})

    after = analyst.get(url).content.decode()
    assert "staff listened at night" not in after
    assert "night staff" not in after
    assert _rows(analyst.get(csv_url).content)[1][4:7] == ["1", "1", "1"]


def test_the_codebook_filter_limits_the_table(
    world: World, nw: NarrativesWorld, client_as: ClientAs
) -> None:
    other = services.create_codebook(_lead(world), nw.project, "Second")
    services.add_code(_lead(world), other, name="Hope", level=CodeLevel.CODE)
    url = reverse("narratives:report-themes", args=[nw.project.pk])
    lead = client_as(Persona.ANALYST)
    everything = lead.get(url).content.decode()
    assert "Hope" in everything
    assert "Feeling unsafe" in everything
    only_second = lead.get(url, {"codebook": other.pk}).content.decode()
    assert "Hope" in only_second
    assert "Feeling unsafe" not in only_second
    csv_link = reverse("narratives:report-themes-csv", args=[nw.project.pk])
    mine = services.user_guid(world.users[Persona.ANALYST].pk)
    assert f"{csv_link}?coding={mine}&amp;codebook={other.pk}" in only_second
    assert "Feeling unsafe" not in lead.get(csv_link, {"codebook": other.pk}).content.decode()
    # Only units the team agreed on: none yet.
    consensus = lead.get(csv_link, {"coding": "consensus"}).content
    assert _rows(consensus)[1][4] == "0"


def test_the_cooccurrence_matrix_has_a_table_a_heat_map_and_a_csv(
    world: World, nw: NarrativesWorld, client_as: ClientAs
) -> None:
    lead = _lead(world)
    hope = services.add_code(lead, nw.codebook, name="Hope", level=CodeLevel.CODE)
    services.code_span(lead, nw.transcript, 5, 30, "overlaps", [hope])
    services.add_code(lead, nw.codebook, name="Unused so far", level=CodeLevel.CODE)
    client = client_as(Persona.ANALYST)
    page = client.get(
        reverse("narratives:report-cooccurrence", args=[nw.project.pk])
    ).content.decode()
    assert 'id="cooccurrence-chart"' in page
    assert 'role="img"' in page
    assert '<th scope="row">1. Feeling unsafe</th>' in page
    assert "heat-5" in page
    assert "Unused so far" not in page
    assert "1 code no unit carries yet is left out here" in page
    rows = _rows(
        client.get(reverse("narratives:report-cooccurrence-csv", args=[nw.project.pk])).content
    )
    assert rows == [
        ["", "Feeling unsafe", "Hope", "Unused so far"],
        ["Feeling unsafe", "1", "1", "0"],
        ["Hope", "1", "1", "0"],
        ["Unused so far", "0", "0", "0"],
    ]


def test_the_barrier_map_counts_steps_by_root_beside_the_solutions(
    world: World, nw: NarrativesWorld, client_as: ClientAs
) -> None:
    lead = _lead(world)
    recovery = starter_codebook(Framework.RECOVERY, nw.project, actor=lead)
    codes = {c.concept_code: c for c in Code.objects.filter(codebook=recovery)}
    step = codes["recovery.safety"]
    root = next(code for concept, code in codes.items() if concept.startswith("recovery.roots.sys"))
    solution = next(
        code for concept, code in codes.items() if concept.startswith("recovery.solutions.social.")
    )
    services.code_span(lead, nw.transcript, 0, 10, "a barrier", [step, root])
    services.code_span(lead, nw.transcript, 12, 20, "a way out", [solution])
    client = client_as(Persona.ANALYST)
    page = client.get(reverse("narratives:report-barriers", args=[nw.project.pk])).content.decode()
    assert 'id="barriers-chart"' in page
    assert "Proposed solutions" in page
    assert solution.name in page
    assert "No coded unit links" not in page
    solution_row = re.search(
        rf"{re.escape(html.escape(solution.name))}<br>.*?</th><td class=\"number\">(\d+)</td>",
        page,
        re.S,
    )
    assert solution_row is not None
    assert solution_row.group(1) == "1"
    rows = _rows(
        client.get(reverse("narratives:report-barriers-csv", args=[nw.project.pk])).content
    )
    header, body = rows[0], rows[1:]
    assert header[0] == "Recovery step"
    assert header[-1] == "Total"
    step_row = next(row for row in body if row[0] == step.name)
    assert step_row[header.index(root.name)] == "1"
    assert step_row[-1] == "1"
    assert sum(int(row[-1]) for row in body) == 1


def test_charts_escape_labels_and_scale_heat() -> None:
    svg = charts.bar_chart(
        [("<script>x</script>", 3, 0)], title="T & t", description="D", chart_id="c"
    )
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    assert "T &amp; t" in svg
    assert [charts.heat_level(v, 10) for v in (0, 1, 2, 5, 10)] == [0, 1, 1, 3, 5]
    assert charts.short("x" * 50).endswith("…")
    assert len(charts.short("x" * 50)) == 34
