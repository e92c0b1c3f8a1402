"""The person's first journey in Debian's full Chromium (/usr/bin/chromium), not only in the
headless build the other browser tests use (see conftest.CHROMIUM): both builds stay tested."""

from __future__ import annotations

from tests.browser.test_smoke import OpenPage, test_person_logs_in_on_a_phone_and_sees_their_home


def test_the_persons_first_journey_in_the_full_browser(open_full_page: OpenPage) -> None:
    test_person_logs_in_on_a_phone_and_sees_their_home(open_full_page)
