"""Text search and word frequency across a project's texts: the pure core and the pages."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from alongside.accounts.services import create_user
from alongside.audit.log import Actor
from alongside.narratives import search, services
from alongside.narratives.models import AnalystRole
from tests.narratives_world import NarrativesWorld, make_analysts, narratives_unit, narratives_world
from tests.personas import PASSWORD, Persona, World

ClientAs = Callable[[Persona], Client]

DANISH = "Personalet lyttede til mig. Æblet og ÆBLET og æblet.\nJeg følte mig tryg om natten."
JAPANESE = (
    "病院のスタッフは話を聞いてくれました。病院では不安でしたが、スタッフが助けてくれました。"
)


def test_search_ignores_case_in_any_script_and_gives_code_point_offsets() -> None:
    text = "🙂 Æblet og æBLET. Straße"
    hits, total = search.find([(1, "A", text)], "æblet")
    assert total == 2
    assert [(h.start, h.end, h.match) for h in hits] == [(2, 7, "Æblet"), (11, 16, "æBLET")]
    assert text[hits[0].start : hits[0].end] == "Æblet"  # code points, the emoji counts as one


def test_a_phrase_matches_over_a_line_end_and_nothing_is_found_for_no_words() -> None:
    hits, total = search.find([(1, "A", DANISH)], "mig  jeg")
    assert total == 0
    hits, total = search.find([(1, "A", DANISH)], "æblet.\nJeg følte")
    assert total == 1
    assert hits[0].match == "æblet.\nJeg følte"
    assert search.find([(1, "A", DANISH)], "   ") == ([], 0)
    # Regular-expression characters are taken literally.
    assert search.find([(1, "A", "a.b axb")], "a.b")[1] == 1


def test_japanese_is_found_without_spaces_and_hits_beyond_the_limit_are_counted() -> None:
    hits, total = search.find([(1, "A", JAPANESE), (2, "B", JAPANESE)], "スタッフ", limit=3)
    assert total == 4
    assert len(hits) == 3
    assert hits[0].before == "病院の"


def test_context_is_cut_with_an_ellipsis() -> None:
    text = "x" * 100 + "needle" + "y" * 100
    (hit,), _total = search.find([(1, "A", text)], "NEEDLE")
    assert hit.before == "…" + "x" * search.CONTEXT
    assert hit.after == "y" * search.CONTEXT + "…"


def test_word_frequency_counted_by_hand_in_danish_with_stop_words() -> None:
    rows = search.frequency([DANISH, "Æblet var godt."], language="da", top=3)
    # æblet: 3 in the first text, 1 in the second; "og", "til", "mig", "jeg", "om", "var" are
    # stop words; then alphabetically among the words used once.
    assert [(r.word, r.count, r.sources) for r in rows] == [
        ("æblet", 4, 2),
        ("følte", 1, 1),
        ("godt", 1, 1),
    ]
    everything = search.frequency([DANISH], language="", top=100)
    assert ("og", 2) in [(r.word, r.count) for r in everything]


def test_japanese_words_are_runs_of_kanji_and_katakana() -> None:
    # 病院 の スタッフ は話を聞いてくれました: single kanji (話, 聞) and hiragana left out.
    assert search.words(JAPANESE) == ["病院", "スタッフ", "病院", "不安", "スタッフ"]
    counted = {r.word: r.count for r in search.frequency([JAPANESE], language="ja")}
    assert counted == {"病院": 2, "スタッフ": 2, "不安": 1}
    # Half-width katakana counts as the same word (NFKC).
    assert search.words("ｽﾀｯﾌ") == ["スタッフ"]


def test_the_csv_rows_are_ranked() -> None:
    rows = search.frequency_csv_rows([search.WordCount("=cmd", 2, 1)])
    assert rows == [["rank", "word", "count", "texts"], [1, "=cmd", 2, 1]]


# Pages ------------------------------------------------------------------------------------


@pytest.fixture
def built(world: World) -> NarrativesWorld:
    return narratives_world(world)


def _second_coder(built: NarrativesWorld) -> Client:
    user = create_user("sofie", PASSWORD, display_name="Sofie")
    make_analysts(user, unit=narratives_unit(built))
    services.add_member(
        Actor(built.project.created_by, "analyst"), built.project, user, AnalystRole.CODER
    )
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_search_page_finds_hits_with_context_and_links_to_code_them(
    built: NarrativesWorld, client_as: ClientAs
) -> None:
    url = reverse("narratives:search", args=[built.project.pk])
    lead = client_as(Persona.ANALYST)
    page = lead.get(url, {"q": "THE WARD"}).content.decode()
    assert "<mark>the ward</mark>" in page
    code_link = reverse("narratives:source", args=[built.project.pk, built.transcript.pk])
    # "We talked about the ward.": the hit is characters 16 to 24.
    assert f"{code_link}?start=16&amp;end=24#code-heading" in page
    # The link fills in the coding form with the hit's span.
    form = lead.get(code_link, {"start": 16, "end": 24}).content.decode()
    assert 'name="start" value="16"' in form
    assert 'name="end" value="24"' in form
    # Out-of-range positions are ignored, not trusted.
    assert (
        'name="start" value="' not in lead.get(code_link, {"start": 5, "end": 999}).content.decode()
    )
    # Nothing found, and the empty page before a search.
    assert "Nothing found" in lead.get(url, {"q": "helicopter"}).content.decode()
    assert "Results" not in lead.get(url).content.decode()


@pytest.mark.django_db
def test_search_skips_withdrawn_texts(built: NarrativesWorld, client_as: ClientAs) -> None:
    url = reverse("narratives:search", args=[built.project.pk])
    lead = client_as(Persona.ANALYST)
    assert "listened" in lead.get(url, {"q": "listened"}).content.decode()
    services.withdraw_consent(Actor(built.narrative.submitted_by, "person"), built.narrative)
    page = lead.get(url, {"q": "listened"}).content.decode()
    assert "Nothing found" in page


@pytest.mark.django_db
def test_a_blind_coder_searches_the_text_but_sees_no_one_elses_coding(
    built: NarrativesWorld,
) -> None:
    coder = _second_coder(built)
    url = reverse("narratives:search", args=[built.project.pk])
    page = coder.get(url, {"q": "ward"}).content.decode()
    assert "<mark>ward</mark>" in page
    assert "talk about ward" not in page  # the lead's condensed meaning
    assert "Feeling unsafe" not in page  # nor the lead's code
    words = coder.get(reverse("narratives:words", args=[built.project.pk])).content.decode()
    assert "Feeling unsafe" not in words


@pytest.mark.django_db
def test_word_frequency_page_has_chart_table_and_safe_csv(
    built: NarrativesWorld, client_as: ClientAs
) -> None:
    lead = client_as(Persona.ANALYST)
    services.upload_transcript(
        Actor(built.project.created_by, "analyst"),
        built.project,
        "Hostile",
        b"=SUM(A1) =SUM(A1) night night night",
        consent_improvement=True,
        consent_research=False,
    )
    url = reverse("narratives:words", args=[built.project.pk])
    page = lead.get(url, {"stop": "en", "top": "20"}).content.decode()
    assert 'role="img"' in page
    assert 'id="word-table"' in page
    table = page.split('id="word-table"', 1)[1]
    # "night": 3 here, 1 in the transcript, 1 in P1's narrative, so 5 in 3 texts; "the" is an
    # English stop word.
    assert '>night</a></th><td class="number">5</td><td class="number">3</td>' in table
    assert ">the</a>" not in table
    response = lead.get(reverse("narratives:words-csv", args=[built.project.pk]), {"stop": "en"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["rank", "word", "count", "texts"]
    assert rows[1] == ["1", "night", "5", "3"]
    assert rows[2][1:3] == ["sum", "2"]  # words only: the formula sign is not part of a word
    # Without stop words, "the" counts too.
    every = lead.get(url, {"stop": "none", "top": "200"}).content.decode()
    assert ">the</a>" in every.split('id="word-table"', 1)[1]


@pytest.mark.django_db
def test_word_frequency_of_a_project_without_texts(world: World, client_as: ClientAs) -> None:
    lead_user = world.users[Persona.ANALYST]
    project = services.create_project(Actor(lead_user, "analyst"), name="Empty", purpose="research")
    page = client_as(Persona.ANALYST).get(reverse("narratives:words", args=[project.pk]))
    assert "No words to count yet" in page.content.decode()
    assert 'role="img"' not in page.content.decode()
