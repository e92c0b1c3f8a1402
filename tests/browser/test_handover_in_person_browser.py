"""A handover approved with the person present: Freja has no login of her own. Kasper drafts her
handover summary, reads it through with her, and records that she approved it together with him,
in person, with what she said in her own words. The PDF and the FHIR Bundle then download.
axe-core on every page, the error included."""

from __future__ import annotations

import json
from collections.abc import Callable

from playwright.sync_api import Page, expect

from alongside.discharge.defaults import sync_default_items
from alongside.discharge.models import HandoverComment, HandoverSummary
from alongside.people.models import Person
from tests.browser.conftest import DESKTOP, PageProblems, assert_accessible, log_in, screenshot

OpenPage = Callable[..., tuple[Page, PageProblems]]
FREJA_SAYS = "Yes, that is right. Put in that music helps me most."


def test_a_handover_approved_with_the_person_present_is_exported(open_page: OpenPage) -> None:
    sync_default_items()  # transactional tests before this one may have emptied the table
    freja = Person.objects.get(name="Freja Lund")
    assert freja.user_id is None
    page, problems = open_page(DESKTOP)
    log_in(page, "kasper")
    page.goto(f"/persons/{freja.pk}/discharge/handover/")
    page.get_by_role("button", name="Draft the summary").click()
    expect(page.get_by_role("status")).to_contain_text("The summary is drafted.")
    in_person = page.get_by_role("region", name="Approved together, in person")
    expect(in_person).to_contain_text("has no login of their own")
    box = in_person.get_by_label("The person is here with me", exact=False)
    expect(box).not_to_be_checked()
    assert_accessible(page)

    # Not ticked: refused, and the error says why.
    in_person.get_by_role("button", name="Record the approval given in person").click()
    expect(page.get_by_role("alert")).to_contain_text("has heard the summary and approves it")
    assert not HandoverSummary.objects.get(stay__person=freja).is_approved
    assert_accessible(page)

    in_person = page.get_by_role("region", name="Approved together, in person")
    in_person.get_by_label("The person is here with me", exact=False).check()
    in_person.get_by_label("What the person says about it, in their words").fill(FREJA_SAYS)
    in_person.get_by_role("button", name="Record the approval given in person").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Recorded: approved together with the person, in person."
    )
    state = page.get_by_role("region", name="Where it stands")
    expect(state).to_contain_text("Approved together with the person, in person")
    expect(state).to_contain_text("Kasper")
    comments = page.get_by_role("region", name="The person's comments")
    expect(comments).to_contain_text(FREJA_SAYS)
    expect(comments).to_contain_text("said in person, written down by")
    said = HandoverComment.objects.get(summary__stay__person=freja)
    assert (said.text, said.said_in_person, said.author.username) == (FREJA_SAYS, True, "kasper")
    assert_accessible(page)
    screenshot(page, "handover-approved-in-person")

    with page.expect_download() as pdf_download:
        state.get_by_role("link", name="Download as PDF").click()
    assert pdf_download.value.suggested_filename.endswith(".pdf")
    pdf = page.request.get(f"/persons/{freja.pk}/discharge/handover/pdf/")
    assert (pdf.status, pdf.headers["content-type"]) == (200, "application/pdf")
    assert pdf.body().startswith(b"%PDF")
    fhir = page.request.get(f"/persons/{freja.pk}/discharge/handover/fhir/")
    assert (fhir.status, fhir.headers["content-type"]) == (200, "application/fhir+json")
    bundle = json.loads(fhir.body())
    assert {"Patient", "CarePlan"} <= {e["resource"]["resourceType"] for e in bundle["entry"]}
    assert FREJA_SAYS in json.dumps(bundle, ensure_ascii=False)
    assert problems.messages == []
