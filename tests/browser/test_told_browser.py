"""Maja reads Alongside in Japanese. Kasper, reading in English, writes a new version of her crisis
plan; Maja is told, and the notice is in Japanese on her page. She marks it read, and sets how she
is told. axe-core on every page."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Page, expect

from alongside.accounts.models import User
from alongside.people.models import Person
from tests.browser.conftest import (
    DESKTOP,
    PHONE,
    PageProblems,
    assert_accessible,
    log_in,
    screenshot,
)

OpenPage = Callable[..., tuple[Page, PageProblems]]


def test_maja_reading_in_japanese_is_told_of_kaspers_english_version(open_page: OpenPage) -> None:
    User.objects.filter(username="maja").update(preferred_language="ja")
    maja = Person.objects.get(user__username="maja")

    desk, desk_problems = open_page(DESKTOP)
    log_in(desk, "kasper")
    desk.goto(f"/persons/{maja.pk}/crisis/new-version/")
    desk.get_by_label("What helps me").fill("A walk by the harbour, then tea")
    desk.get_by_role("button", name="Save this version").click()
    desk.wait_for_load_state()
    expect(desk.locator("html")).to_have_attribute("lang", "en")

    phone, phone_problems = open_page(PHONE)  # her login chooses her language
    log_in(phone, "maja")
    phone.goto("/me/")
    expect(phone.locator("html")).to_have_attribute("lang", "ja")
    notices = phone.get_by_role("region", name="お知らせ")
    expect(notices).to_contain_text("クライシスプランの新しい版を書きました")
    expect(notices).not_to_contain_text("wrote a new version")
    assert_accessible(phone)
    screenshot(phone, "told-maja-japanese-notice")

    notices.get_by_role("link", name="クライシスプラン", exact=False).first.click()
    expect(phone).to_have_url(f"/persons/{maja.pk}/crisis/", ignore_case=True)
    phone.goto("/me/")
    phone.get_by_role("button", name="すべて既読にする").click()
    phone.wait_for_load_state()
    expect(phone.get_by_role("region", name="お知らせ")).to_have_count(0)

    phone.goto("/notifications/")
    expect(phone.get_by_role("heading", level=1)).to_have_text("通知")
    expect(phone.locator("main")).to_contain_text("クライシスプランの新しい版")
    assert_accessible(phone)
    phone.get_by_label("リマインダーをメールで受け取る").uncheck()
    phone.get_by_role("button", name="保存").click()
    expect(phone.get_by_role("status")).to_contain_text("選んだ内容を保存しました。")
    expect(phone.get_by_label("リマインダーをメールで受け取る")).not_to_be_checked()
    expect(phone.get_by_label("自分のページに通知を表示する")).to_be_checked()
    assert_accessible(phone)
    screenshot(phone, "told-notifications-page")
    assert phone_problems.messages == []
    assert desk_problems.messages == []
