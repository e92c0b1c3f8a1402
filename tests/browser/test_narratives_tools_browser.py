"""Researchers' tools in a browser, on the demo project Amira leads (Yuki codes it too):
merging two codes, retrieving coded segments by a source attribute, and resolving a
disagreement between the two coders side by side in one step."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Page, expect

from alongside.narratives.models import Code, NarrativeProject, Selection, Source
from tests.browser.conftest import DESKTOP, PageProblems, assert_accessible, log_in, screenshot

OpenPage = Callable[..., tuple[Page, PageProblems]]
PROJECT = "Feeling safe on ward S2"


def _project() -> NarrativeProject:
    return NarrativeProject.objects.get(name=PROJECT)


def test_merging_two_codes_carries_their_codings(open_page: OpenPage) -> None:
    page, problems = open_page(DESKTOP)
    log_in(page, "amira")
    project = _project()
    peers = Code.objects.get(codebook__project=project, name="Peers")
    heard = Code.objects.get(codebook__project=project, name="Being heard")
    coded = set(Selection.objects.filter(codings__code=peers).values_list("pk", flat=True))
    assert coded
    page.goto(f"/narratives/projects/{project.pk}/codebooks/{peers.codebook_id}/")
    page.get_by_role("link", name="Peers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Peers")
    assert_accessible(page)
    page.get_by_label("Merge it into").select_option(label="Code: Being heard")
    page.get_by_role("button", name="Merge", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Being heard")
    assert not Code.objects.filter(pk=peers.pk).exists()
    assert coded <= set(Selection.objects.filter(codings__code=heard).values_list("pk", flat=True))
    page.goto(f"/narratives/projects/{project.pk}/codebooks/{heard.codebook_id}/")
    tree = page.get_by_role("list", name="Codes, from themes down to codes")
    expect(tree).not_to_contain_text("Peers")
    screenshot(page, "narratives-merged-codes")
    assert problems.messages == []


def test_retrieving_segments_by_a_source_attribute(open_page: OpenPage) -> None:
    page, problems = open_page(DESKTOP)
    log_in(page, "amira")
    project = _project()
    dialogue = Source.objects.get(project=project, name="Dialogue meeting after discharge")
    page.goto(f"/narratives/projects/{project.pk}/sources/{dialogue.pk}/")
    page.get_by_label("Or the exact words of the unit").fill("The walking group on Thursdays")
    page.get_by_label("Condensed meaning").fill("a group to walk with")
    page.get_by_role("checkbox", name="Our own codes: Being heard").check()
    page.get_by_role("button", name="Save unit").click()
    expect(page.get_by_role("region", name="My units")).to_contain_text("a group to walk with")

    page.goto(f"/narratives/projects/{project.pk}/")
    page.get_by_role("link", name="Coded segments").click()
    page.get_by_label("Code", exact=True).select_option(label="Our own codes: Being heard")
    page.get_by_role("button", name="Find segments").click()
    everything = page.get_by_role("region", name="segments")
    expect(everything).to_contain_text("night nurse sat with me")
    expect(everything).to_contain_text("walking group")
    page.get_by_label("Speaker role").fill("mixed")
    page.get_by_role("button", name="Find segments").click()
    found = page.get_by_role("region", name="1 segment")
    expect(found).to_contain_text("The walking group on Thursdays")
    expect(found).to_contain_text("Service user:")  # the text around the segment
    expect(found).not_to_contain_text("night nurse")
    assert_accessible(page)
    screenshot(page, "narratives-segments")
    assert problems.messages == []


def test_resolving_a_disagreement_side_by_side(open_page: OpenPage) -> None:
    page, problems = open_page(DESKTOP)
    log_in(page, "amira")
    project = _project()
    page.goto(f"/narratives/projects/{project.pk}/agreement/")
    page.get_by_label("First coder").select_option(label="Amira Haddad")
    page.get_by_label("Second coder").select_option(label="Yuki Tanaka")
    page.get_by_role("button", name="Compare").click()
    page.get_by_role("link", name="Side by side: No say in Focus group, ward S2, October").click()
    expect(page.get_by_role("region", name="Amira Haddad")).to_contain_text(
        "Nobody asked what I wanted"
    )
    expect(page.get_by_role("region", name="Yuki Tanaka")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "narratives-side-by-side")
    page.get_by_label("What both coded").check()
    page.get_by_role("button", name="Resolve").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Agreement between coders")
    consensus = Selection.objects.get(
        source__project=project, is_consensus=True, codings__code__name="No say"
    )
    focus = consensus.source.text
    assert focus[consensus.start : consensus.end] == "Nobody asked what I wanted"
    assert problems.messages == []


def test_dragging_a_code_under_another_parent_takes_its_codings(open_page: OpenPage) -> None:
    """Drag and drop in the codebook tree posts the code's own move action; the keyboard way
    (the code's page, "Move it under") still works and puts it back."""
    from alongside.accounts.models import User
    from alongside.audit.log import Actor
    from alongside.narratives import services
    from alongside.narratives.models import CodeLevel

    page, problems = open_page(DESKTOP)
    log_in(page, "amira")
    project = _project()
    peers = Code.objects.get(codebook__project=project, name="Peers")
    coded = set(Selection.objects.filter(codings__code=peers).values_list("pk", flat=True))
    assert coded
    lead = Actor(User.objects.get(username="amira"), "analyst")
    group = services.add_code(lead, peers.codebook, name="Connection", level=CodeLevel.CATEGORY)
    page.goto(f"/narratives/projects/{project.pk}/codebooks/{peers.codebook_id}/")
    assert_accessible(page)
    tree = page.get_by_role("list", name="Codes, from themes down to codes")
    tree.get_by_role("listitem").filter(has_text="Peers").drag_to(
        tree.get_by_role("listitem").filter(has_text="Connection")
    )
    expect(page.get_by_text("Peers now sits under Connection.")).to_be_visible()
    peers.refresh_from_db()
    assert peers.parent_id == group.pk
    assert coded == set(Selection.objects.filter(codings__code=peers).values_list("pk", flat=True))
    expect(tree.locator(".code-row.depth-1")).to_contain_text("Peers")
    screenshot(page, "narratives-code-dragged")

    # Without a mouse: open the code from the tree and move it back to the top level.
    tree.get_by_role("link", name="Peers").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Peers")
    page.get_by_label("Move it under").focus()
    page.get_by_label("Move it under").select_option(label="Nothing: a top-level code")
    page.get_by_role("button", name="Move", exact=True).focus()
    # The heading reads "Peers" before and after: wait for the posted form's answer itself.
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Peers")
    peers.refresh_from_db()
    assert peers.parent_id is None
    assert coded == set(Selection.objects.filter(codings__code=peers).values_list("pk", flat=True))
    assert problems.messages == []


def test_text_search_and_word_frequency_by_keyboard(open_page: OpenPage) -> None:
    """Search the texts, follow a hit to the coding form (its span filled in), then the word
    frequency chart and table; and highlights by code colour with the legend."""
    page, problems = open_page(DESKTOP)
    log_in(page, "amira")
    project = _project()
    page.goto(f"/narratives/projects/{project.pk}/")
    page.get_by_role("link", name="Text search").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Text search")
    page.get_by_label("Words or phrase").focus()
    page.keyboard.type("NIGHT NURSE")
    page.keyboard.press("Enter")
    results = page.locator("#search-hits")
    expect(results.get_by_role("listitem")).to_have_count(1)
    expect(results).to_contain_text("When the night nurse sat with me")
    assert_accessible(page)
    screenshot(page, "narratives-text-search")
    results.get_by_role("link").focus()
    page.keyboard.press("Enter")
    focus = Source.objects.get(project=project, name="Focus group, ward S2, October")
    start = int(page.get_by_label("From character").input_value())
    end = int(page.get_by_label("To character (not included)").input_value())
    assert focus.text[start:end] == "night nurse"
    # Highlights by code colour: Amira's units carry their codes' names in the legend.
    legend = page.locator("#highlight-legend")
    expect(legend).to_contain_text("Being heard")
    page.get_by_role("link", name="By coder").click()
    expect(page.locator("#highlight-legend")).to_contain_text("Amira Haddad")
    assert_accessible(page)

    page.goto(f"/narratives/projects/{project.pk}/words/")
    page.get_by_label("Leave out the stop words of").select_option("en")
    page.get_by_role("button", name="Count").click()
    expect(page.get_by_role("img", name="Most frequent words")).to_be_visible()
    table = page.locator("#word-table")
    expect(table.get_by_role("rowheader", name="night", exact=True)).to_have_count(1)
    expect(table.get_by_role("rowheader", name="the", exact=True)).to_have_count(0)
    assert_accessible(page)
    screenshot(page, "narratives-word-frequency")
    assert problems.messages == []
