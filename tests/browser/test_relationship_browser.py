"""The working relationship in a browser: the key worker logs time together with Maja and writes
a note with her words in it; Maja, on her phone, reads it, adds a comment and confirms it.
Axe-core checks every page on the way, errors included, and screenshots are saved."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Page, expect

from alongside.people.models import Person
from alongside.relationship.models import Contact, Note
from tests.browser.conftest import (
    DESKTOP,
    PHONE,
    PageProblems,
    assert_accessible,
    log_in,
    screenshot,
)

OpenPage = Callable[..., tuple[Page, PageProblems]]

ACTIVITY = "Baked bread in the unit kitchen"
TALKED_ABOUT = "Baking on Sundays, and asking the bakery about a trial day"
HER_WORDS = "The smell of bread makes the ward feel like home"
AGREED = "Maja phones the bakery on Wednesday; Kasper goes with her if she wants"
HIDDEN = "A message from a neighbour, passed on in confidence"
HER_COMMENT = "I would like to go on my own, and call Kasper after"


def fits_the_phone(page: Page) -> bool:
    width: int = page.evaluate("document.documentElement.scrollWidth")
    return width <= PHONE["width"]


def key_worker_logs_time_together(page: Page, maja: int) -> None:
    log_in(page, "kasper")
    page.goto(f"/persons/{maja}/together/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Time together with Maja")
    assert_accessible(page)

    # A mistake first: the error is shown beside the field, announced, and linked to it.
    page.get_by_label("What did you do together?").fill(ACTIVITY)
    page.get_by_label("For how long (minutes)").fill("0")
    page.get_by_role("button", name="Save").click()
    minutes = page.get_by_label("For how long (minutes)")
    expect(minutes).to_have_attribute("aria-invalid", "true")
    expect(minutes).to_have_accessible_description("Give the time in minutes, from 1 to 1440.")
    expect(page.get_by_role("alert")).to_contain_text("Give the time in minutes")
    expect(page.get_by_label("What did you do together?")).to_have_value(ACTIVITY)
    assert_accessible(page)
    screenshot(page, "time-together-error")

    minutes.fill("50")
    minutes.press("Enter")  # the keyboard submits the form
    recently = page.get_by_role("region", name="Recently")
    expect(recently).to_contain_text(ACTIVITY)
    expect(recently).to_contain_text("50 minutes")
    assert Contact.objects.filter(person_id=maja, activity=ACTIVITY).count() == 1
    assert_accessible(page)
    screenshot(page, "time-together-key-worker")

    page.goto("/workspace/?q=Maja")
    row = page.locator("table.caseload tbody tr", has_text="Maja")
    expect(row.locator("td").nth(3)).to_have_text("Today")


def key_worker_writes_notes(page: Page, maja: int) -> None:
    page.goto(f"/persons/{maja}/together/")
    page.get_by_role("link", name="Notes", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Notes about Maja")
    assert_accessible(page)

    # A note Maja may not read, with its reason; then the note written with her.
    page.get_by_label("What we talked about").fill(HIDDEN)
    page.get_by_label("Only if the person must not read this note: why").fill(
        "Third-party information"
    )
    page.get_by_role("button", name="Save note").click()
    expect(page.locator(".note").first).to_contain_text("Hidden from Maja")

    page.get_by_label("What we talked about").fill(TALKED_ABOUT)
    page.get_by_label("What the person said, in their own words").fill(HER_WORDS)
    page.get_by_label("What we agreed").fill(AGREED)
    page.get_by_role("button", name="Save note").click()
    newest = page.locator(".note").first
    expect(newest).to_contain_text(TALKED_ABOUT)
    expect(newest.locator("blockquote")).to_contain_text(HER_WORDS)
    expect(newest).to_contain_text("written by Kasper Lind (Key worker / contact person)")
    expect(newest).to_contain_text("Not seen by Maja yet")
    assert_accessible(page)
    screenshot(page, "notes-key-worker-writes")

    newest.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("A note about Maja")
    expect(page.get_by_role("button", name="This is right")).to_have_count(0)
    assert_accessible(page)


def person_reads_comments_and_confirms(page: Page, maja: int) -> None:
    log_in(page, "maja")
    page.goto(f"/persons/{maja}/notes/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Notes about me")
    expect(page.get_by_text(HIDDEN)).to_have_count(0)
    newest = page.locator(".note").first
    expect(newest).to_contain_text("What you said, in your words")
    expect(newest.locator("blockquote")).to_contain_text(HER_WORDS)
    assert fits_the_phone(page)
    assert_accessible(page)
    screenshot(page, "notes-person-phone")

    newest.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("A note about you")
    note = page.locator(".note")
    expect(note).to_contain_text("Seen by Maja")

    # An empty comment is refused beside the field.
    page.get_by_role("button", name="Add my comment").click()
    words = page.get_by_label("Your words")
    expect(words).to_have_accessible_description("Please write your comment.")
    assert_accessible(page)

    page.get_by_label("Is this a comment or a correction?").select_option("correction")
    words.fill(HER_COMMENT)
    page.get_by_role("button", name="Add my comment").click()
    expect(page.locator(".comment")).to_contain_text(HER_COMMENT)
    expect(page.locator(".comment")).to_contain_text("Correction by Maja")
    # The note itself stays as it was written.
    expect(note.locator("blockquote p")).to_have_text(HER_WORDS)

    confirm = page.get_by_role("button", name="This is right")
    confirm.focus()
    page.keyboard.press("Enter")
    expect(note).to_contain_text("Confirmed by Maja")
    expect(page.get_by_role("button", name="This is right")).to_have_count(0)
    assert fits_the_phone(page)
    assert_accessible(page)
    screenshot(page, "note-person-confirms-phone")

    written = Note.objects.get(person_id=maja, talked_about=TALKED_ABOUT)
    assert written.person_words == HER_WORDS
    assert written.confirmed_by_person_at is not None
    assert [comment.text for comment in written.comments.all()] == [HER_COMMENT]


def test_key_worker_and_maja_write_and_confirm_a_note_together(open_page: OpenPage) -> None:
    maja = Person.objects.get(user__username="maja").pk
    staff_page, staff_problems = open_page(DESKTOP)
    key_worker_logs_time_together(staff_page, maja)
    key_worker_writes_notes(staff_page, maja)
    assert staff_problems.messages == []

    phone, phone_problems = open_page(PHONE)
    person_reads_comments_and_confirms(phone, maja)
    assert phone_problems.messages == []

    # The key worker sees that Maja has read it, confirmed it, and added her correction.
    staff_page.goto(f"/persons/{maja}/notes/")
    newest = staff_page.locator(".note").first
    expect(newest).to_contain_text("Confirmed by Maja")
    expect(newest.locator(".comment")).to_contain_text(HER_COMMENT)
    assert_accessible(staff_page)
    screenshot(staff_page, "notes-key-worker-sees-confirmation")
