"""Sign-in and security pages in a browser: the security page, and setting up an authenticator
app (allauth's pages in our page shell), checked with axe and without console errors."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Page, expect

from alongside.demo.content import DEMO_PASSWORD
from tests.browser.conftest import PageProblems, assert_accessible, log_in, screenshot


def test_staff_member_opens_security_and_starts_authenticator_setup(
    open_page: Callable[..., tuple[Page, PageProblems]],
) -> None:
    page, problems = open_page()
    log_in(page, "kasper")
    page.get_by_role("link", name="Sign-in and security").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign-in and security")
    assert_accessible(page)
    page.get_by_role("link", name="Manage two-step verification").click()
    assert_accessible(page)
    page.goto("/accounts/2fa/totp/activate/")
    # Adding a second factor asks for the password again first.
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_label("Password").press("Enter")
    page.wait_for_load_state()
    assert page.url.endswith("/accounts/2fa/totp/activate/"), page.url
    expect(page.get_by_label("Authenticator code")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "totp-setup")
    assert problems.messages == []
