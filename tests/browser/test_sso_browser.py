"""Single sign-on in a real browser: a staff member signs in through the organisation's OpenID
Connect provider (a real one, in its own process) and lands on the caseload."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Page

from tests.browser.conftest import PageProblems, assert_accessible, screenshot
from tests.oidc_provider.running import PROVIDER_ID, Provider, run_provider

PROVIDER_PASSWORD = "provider-password-1"


@pytest.fixture
def provider(live_server: Any, tmp_path: Path, settings: Any) -> Iterator[Provider]:
    callback = f"{live_server.url}/accounts/oidc/{PROVIDER_ID}/login/callback/"
    with run_provider(
        tmp_path,
        redirect_uris=[callback],
        users=[{"username": "kasper", "email": "", "password": PROVIDER_PASSWORD}],
    ) as running:
        settings.SOCIALACCOUNT_PROVIDERS = running.app_settings("Region Test ID")
        settings.SSO_CLAIM = "preferred_username"
        settings.SSO_USER_FIELD = "username"
        yield running


def test_staff_member_signs_in_through_the_provider_and_lands_on_the_caseload(
    open_page: Callable[..., tuple[Page, PageProblems]], provider: Provider, live_server: Any
) -> None:
    page, problems = open_page()
    page.goto("/accounts/login/")
    assert_accessible(page)
    assert problems.messages == []
    page.get_by_role("button", name="Log in with Region Test ID").click()
    page.wait_for_load_state()
    assert page.get_by_label("Provider username").count() == 1, (page.url, page.content()[:1500])
    assert page.url.startswith(provider.url.rsplit("/o", 1)[0]), page.url
    page.get_by_label("Provider username").fill("kasper")
    page.get_by_label("Provider password").fill(PROVIDER_PASSWORD)
    page.get_by_role("button", name="Sign in to the provider").click()
    page.wait_for_load_state()
    assert page.url == f"{live_server.url}{reverse('workspace:caseload')}", page.url
    assert page.get_by_role("heading", level=1).first.is_visible()
    assert_accessible(page)
    screenshot(page, "sso-caseload")
    assert problems.messages == []
