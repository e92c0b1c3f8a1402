"""axe-core on the pages of the coordination, measures and narratives rooms that no journey test
visits, in English and, for the person's pages, in Danish and Japanese too."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Page, expect

from alongside.narratives.models import Codebook, NarrativeProject, Source
from alongside.people.models import Person
from tests.browser.conftest import DESKTOP, PHONE, PageProblems, assert_accessible, log_in

OpenPage = Callable[..., tuple[Page, PageProblems]]


def visit_all(page: Page, paths: list[str]) -> None:
    for path in paths:
        response = page.goto(path)
        assert response is not None
        assert response.status == 200, path
        assert_accessible(page)


def test_narratives_pages_have_no_axe_violations(open_page: OpenPage) -> None:
    project = NarrativeProject.objects.get(name="Feeling safe on ward S2")
    book = Codebook.objects.filter(project=project).first()
    source = Source.objects.filter(project=project, kind="transcript").first()
    assert book is not None
    assert source is not None
    base = f"/narratives/projects/{project.pk}"
    amira, problems = open_page(DESKTOP)
    log_in(amira, "amira")
    visit_all(
        amira,
        [
            "/narratives/",
            f"{base}/",
            f"{base}/codebooks/{book.pk}/",
            f"{base}/sources/{source.pk}/",
            f"{base}/sources/{source.pk}/?show=all",
            f"{base}/sources/new/",
            f"{base}/agreement/",
            f"{base}/reports/themes/",
            f"{base}/reports/cooccurrence/",
            f"{base}/reports/barriers/",
            f"{base}/exchange/",
            "/narratives/import/",
            f"{base}/suggestions/",
            f"{base}/suggestions/precision/",
        ],
    )
    assert problems.messages == []


def test_the_persons_new_pages_have_no_axe_violations_in_three_languages(
    open_page: OpenPage,
) -> None:
    maja = Person.objects.get(user__username="maja").pk
    for language in ("en", "da", "ja"):
        phone, problems = open_page(PHONE)
        log_in(phone, "maja")
        if language != "en":
            phone.locator("#language-choice").select_option(language)
            phone.locator(".language-form button").click()
            expect(phone.locator("html")).to_have_attribute("lang", language)
        visit_all(
            phone,
            [
                "/me/",
                f"/persons/{maja}/network/",
                f"/persons/{maja}/reviews/",
                f"/persons/{maja}/meetings/",
                f"/persons/{maja}/measures/",
                f"/persons/{maja}/discharge/handover/",
                "/meetings/tasks/",
                "/narratives/tell/",
                "/narratives/mine/",
            ],
        )
        assert problems.messages == []


def test_staff_lists_have_no_axe_violations(open_page: OpenPage) -> None:
    maja = Person.objects.get(user__username="maja").pk
    tobias = Person.objects.get(user__username="tobias").pk
    kasper, problems = open_page(DESKTOP)
    log_in(kasper, "kasper")
    visit_all(
        kasper,
        [
            "/workspace/",
            f"/workspace/persons/{maja}/",
            "/reviews/due/",
            "/measures/",
            "/meetings/tasks/",
            f"/persons/{maja}/discharge/",
            f"/persons/{maja}/meetings/",
            # Tobias has demo check-ins (a trend with a reliable change) and a held meeting.
            f"/persons/{tobias}/measures/",
            f"/persons/{tobias}/meetings/",
        ],
    )
    assert problems.messages == []
