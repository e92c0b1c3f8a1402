"""Narratives in a browser: Amira (analyst) starts a project, uploads a focus-group transcript
with CRLF line ends, codes units by selecting text and by typing their words; Yuki codes the
same transcript independently; Amira compares them (kappa), exports the project as .qdpx and
imports it again: the same units come back at the same code-point offsets.

The transcript holds a character outside the Basic Multilingual Plane before the coded units, so
a browser counting UTF-16 units instead of code points would be caught.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable

from playwright.sync_api import Page, expect

from alongside.narratives.models import NarrativeProject, Selection, Source
from tests.browser.conftest import DESKTOP, PageProblems, assert_accessible, log_in, screenshot

OpenPage = Callable[..., tuple[Page, PageProblems]]

TRANSCRIPT = (
    "Facilitator: What made the ward feel safe? \U0001f60a\r\n"
    "Participant A: When the night nurse sat with me and did not hurry.\r\n"
    "Participant B: Nobody asked what I wanted before they locked the door.\r\n"
    "Participant A: Meeting someone who had been there too gave me hope.\r\n"
)
NORMALISED = TRANSCRIPT.replace("\r\n", "\n")
SAT_WITH_ME = "the night nurse sat with me and did not hurry"
NOBODY_ASKED = "Nobody asked what I wanted before they locked the door"
PEER_HOPE = "Meeting someone who had been there too gave me hope"


def select_words(page: Page, words: str) -> None:
    """Select ``words`` in the source text as a mouse would (a DOM range over the text node),
    once the page's own script is listening."""
    page.wait_for_load_state("load")
    page.evaluate(
        """(words) => {
            const box = document.getElementById("source-text");
            const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
            let node;
            while ((node = walker.nextNode())) {
                const at = node.data.indexOf(words);
                if (at >= 0) {
                    const range = document.createRange();
                    range.setStart(node, at);
                    range.setEnd(node, at + words.length);
                    const selection = document.getSelection();
                    selection.removeAllRanges();
                    selection.addRange(range);
                    return;
                }
            }
            throw new Error("words not found: " + words);
        }""",
        words,
    )


def amira_sets_up_the_project(page: Page) -> int:
    log_in(page, "amira")
    page.goto("/narratives/")
    assert_accessible(page)
    page.get_by_label("Name of the project").fill("Feeling safe on the ward")
    page.get_by_label("Purpose").select_option("improvement")
    page.get_by_role("button", name="Start the project").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Feeling safe on the ward")
    project = NarrativeProject.objects.get(name="Feeling safe on the ward")

    page.get_by_label("Name of a new, empty codebook").fill("Safety")
    page.get_by_role("button", name="Add an empty codebook").click()
    for name in ("Being with someone", "Losing control", "Peer hope"):
        page.get_by_label("Name", exact=True).fill(name)
        page.get_by_role("button", name="Add code").click()
        expect(page.get_by_role("list", name="Codes, from themes down to codes")).to_contain_text(
            name
        )
    assert_accessible(page)

    page.goto(f"/narratives/projects/{project.pk}/")
    page.get_by_label("New member").select_option(label="Yuki Tanaka (yuki)")
    page.get_by_label("Role in the project").select_option("coder")
    page.get_by_role("button", name="Add member").click()
    expect(page.get_by_role("region", name="Members")).to_contain_text("coder".title())

    page.get_by_role("link", name="Upload a transcript").click()
    page.get_by_label("Name of the transcript").fill("Focus group, ward S2")
    page.get_by_label("File").set_input_files(
        files=[{"name": "focus.txt", "mimeType": "text/plain", "buffer": TRANSCRIPT.encode()}]
    )
    page.get_by_label("Speaker role").fill("service users")
    page.get_by_label("The participants agreed to use for service improvement").check()
    assert_accessible(page)
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Focus group, ward S2")
    source = Source.objects.get(name="Focus group, ward S2")
    assert source.text == NORMALISED
    assert source.newline_style == "crlf"
    return project.pk


def code_by_selection(page: Page, words: str, code: str, condensed: str) -> None:
    select_words(page, words)
    start = NORMALISED.index(words)
    expect(page.get_by_role("status")).to_have_text(
        f"Selected: characters {start} to {start + len(words)}."
    )
    page.get_by_label("Condensed meaning").fill(condensed)
    page.get_by_role("checkbox", name=f"Safety: {code}").check()
    page.get_by_role("button", name="Save unit").click()
    expect(page.get_by_role("region", name="My units")).to_contain_text(condensed)


def code_by_keyboard(page: Page, words: str, code: str, condensed: str) -> None:
    page.get_by_label("Or the exact words of the unit").fill(words)
    page.get_by_label("Condensed meaning").fill(condensed)
    page.get_by_role("checkbox", name=f"Safety: {code}").focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Save unit").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("region", name="My units")).to_contain_text(condensed)


def spans(source: Source) -> set[tuple[int, int, str, frozenset[str]]]:
    return {
        (
            unit.start,
            unit.end,
            unit.coder_name,
            frozenset(unit.codings.values_list("code__name", flat=True)),
        )
        for unit in Selection.objects.filter(source=source)
    }


def test_analysts_code_a_crlf_transcript_compare_and_exchange_it(open_page: OpenPage) -> None:
    page, problems = open_page(DESKTOP)
    project_id = amira_sets_up_the_project(page)
    source = Source.objects.get(name="Focus group, ward S2")
    code_by_selection(page, SAT_WITH_ME, "Being with someone", "night nurse stays")
    code_by_keyboard(page, NOBODY_ASKED, "Losing control", "locked without asking")
    assert_accessible(page)
    screenshot(page, "narratives-coding")

    yuki_page, yuki_problems = open_page(DESKTOP)
    log_in(yuki_page, "yuki")
    yuki_page.goto(f"/narratives/projects/{project_id}/sources/{source.pk}/")
    # Independent coding: Amira's units are not shown to Yuki.
    expect(yuki_page.get_by_role("region", name="My units")).to_contain_text("No units yet.")
    code_by_selection(yuki_page, "the night nurse sat with me", "Being with someone", "nurse")
    code_by_keyboard(yuki_page, PEER_HOPE, "Peer hope", "a peer gave hope")

    units = {(u.start, u.end) for u in Selection.objects.filter(source=source)}
    for words in (SAT_WITH_ME, NOBODY_ASKED, PEER_HOPE, "the night nurse sat with me"):
        start = NORMALISED.index(words)
        assert (start, start + len(words)) in units

    page.goto(f"/narratives/projects/{project_id}/agreement/")
    page.get_by_label("First coder").select_option(label="Amira Haddad")
    page.get_by_label("Second coder").select_option(label="Yuki Tanaka")
    page.get_by_role("button", name="Compare").click()
    table = page.get_by_role("table", name="Agreement per text and code")
    expect(table).to_contain_text("Being with someone")
    expect(page.get_by_text("Kappa, weighted by text length")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "narratives-agreement")

    before = spans(source)
    exchange_round_trip(page, project_id, before)
    assert problems.messages == []
    assert yuki_problems.messages == []


def exchange_round_trip(
    page: Page, project_id: int, before: set[tuple[int, int, str, frozenset[str]]]
) -> None:
    """Export the project as .qdpx through the page, import the file again, compare units."""
    with page.expect_download() as download_info:
        page.goto(f"/narratives/projects/{project_id}/")
        page.get_by_role("link", name="Export the project (.qdpx)").click()
    data = download_info.value.path().read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert "project.qde" in archive.namelist()
    page.goto("/narratives/import/")
    page.get_by_label("REFI-QDA file").set_input_files(
        files=[{"name": "ward.qdpx", "mimeType": "application/zip", "buffer": data}]
    )
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Feeling safe on the ward")
    imported = Source.objects.exclude(project_id=project_id).get(name="Focus group, ward S2")
    assert imported.text == NORMALISED
    assert spans(imported) == before


def test_the_second_coder_sees_only_her_own_work_until_the_round_closes(
    open_page: OpenPage,
) -> None:
    page, problems = open_page(DESKTOP)
    project_id = amira_sets_up_the_project(page)
    source = Source.objects.get(name="Focus group, ward S2")
    code_by_selection(page, SAT_WITH_ME, "Being with someone", "night nurse stays")
    code_by_keyboard(page, NOBODY_ASKED, "Losing control", "locked without asking")

    yuki, yuki_problems = open_page(DESKTOP)
    log_in(yuki, "yuki")
    yuki.goto(f"/narratives/projects/{project_id}/sources/{source.pk}/")
    code_by_keyboard(yuki, PEER_HOPE, "Peer hope", "a peer gave hope")
    # Her texts, her theme table and the agreement page show nothing of Amira's coding.
    expect(yuki.get_by_role("region", name="My units")).not_to_contain_text("night nurse stays")
    expect(yuki.get_by_role("link", name="Show every coder's units")).to_have_count(0)
    yuki.goto(f"/narratives/projects/{project_id}/reports/themes/")
    expect(yuki.get_by_label("Whose coding")).to_have_text("My coding")
    expect(yuki.get_by_role("main")).to_contain_text("a peer gave hope")
    expect(yuki.get_by_role("main")).not_to_contain_text("night nurse stays")
    expect(yuki.get_by_role("main")).not_to_contain_text("locked without asking")
    assert_accessible(yuki)
    yuki.goto(f"/narratives/projects/{project_id}/agreement/")
    expect(yuki.get_by_text("The coding round is open")).to_be_visible()
    expect(yuki.get_by_label("First coder")).to_have_count(0)
    assert_accessible(yuki)
    screenshot(yuki, "narratives-blind-round")

    # Amira closes the round: now Yuki may compare and read Amira's coding.
    page.goto(f"/narratives/projects/{project_id}/")
    page.get_by_role("button", name="Close the round and compare").click()
    expect(page.get_by_role("region", name="Coding round")).to_contain_text("closed")
    yuki.goto(f"/narratives/projects/{project_id}/reports/themes/")
    yuki.get_by_label("Whose coding").select_option(label="Amira Haddad")
    yuki.get_by_role("button", name="Show").click()
    expect(yuki.get_by_role("main")).to_contain_text("night nurse stays")
    yuki.goto(f"/narratives/projects/{project_id}/agreement/")
    expect(yuki.get_by_label("First coder")).to_be_visible()
    assert problems.messages == []
    assert yuki_problems.messages == []
