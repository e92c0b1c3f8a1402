"""The person's view is true, in a browser.

1. The network page matches the access layer for every person with a login, and for her key
   worker reading it: the expected table is computed from ``resolve_access`` for every user, not
   listed by hand.
2. Maja sorts her cards again, moves two, and the others (her own card included) stay.
3. Maja sees her key worker's and an emergency clinician's accesses on "Who has looked at my
   record" and flags one.
Axe-core checks each page.
"""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Page, expect

from alongside import access
from alongside.accounts.models import User
from alongside.audit.log import Actor
from alongside.audit.services import set_privacy_contact
from alongside.network.scopes import Section
from alongside.organisations.models import StaffRole
from alongside.people.models import Person
from alongside.plans.models import CardSort
from alongside.safety import services as safety
from tests.browser.conftest import PHONE, PageProblems, assert_accessible, log_in, screenshot

OpenPage = Callable[..., tuple[Page, PageProblems]]


def shown_table(page: Page) -> dict[int, set[str]]:
    rows: dict[int, set[str]] = {}
    table = page.locator("#who-can-see")
    if table.count() == 0:
        return rows
    for row in table.locator("tbody tr").all():
        user_id = int(row.get_attribute("data-user") or 0)
        yes = row.locator("td[data-section]").all()
        rows[user_id] = {
            cell.get_attribute("data-section") or ""
            for cell in yes
            if cell.inner_text().strip() == "Yes"
        }
    return rows


def truth(person: Person) -> dict[int, set[str]]:
    out = {}
    for user in User.objects.filter(is_active=True):
        found = access.resolve_access(user, person.pk)
        if found is not None and not found.is_self:
            out[user.pk] = {s.value for s in Section if found.allows(s)}
    return out


def test_the_network_page_matches_access_for_every_person(open_page: OpenPage) -> None:
    persons = list(Person.objects.filter(user__isnull=False).select_related("user"))
    assert len(persons) >= 2
    for person in persons:
        assert person.user is not None
        page, problems = open_page(PHONE)
        log_in(page, person.user.username)
        page.goto(f"/persons/{person.pk}/network/")
        expect(page.get_by_role("heading", level=1)).to_have_text("My network")
        assert shown_table(page) == truth(person), person.user.username
        assert_accessible(page)
        assert problems.messages == []
    # Her key worker reads the same table about her.
    maja = Person.objects.get(user__username="maja")
    page, _problems = open_page()
    log_in(page, "kasper")
    page.goto(f"/persons/{maja.pk}/network/")
    assert shown_table(page) == truth(maja)
    jonas = User.objects.get(username="jonas")
    assert shown_table(page)[jonas.pk] == {s.value for s in Section}
    screenshot(page, "consent-page-staff")


def test_maja_sorts_again_and_keeps_what_she_did_not_move(open_page: OpenPage) -> None:
    maja = Person.objects.get(user__username="maja")
    before = CardSort.objects.filter(person=maja).order_by("-created_at", "-pk").first()
    assert before is not None
    kept = {(p.card_id or 0, p.own_label, p.pile) for p in before.placements.all()}
    assert len(kept) >= 3
    page, problems = open_page(PHONE)
    log_in(page, "maja")
    page.goto(f"/persons/{maja.pk}/plan/cards/")
    assert_accessible(page)
    moved = []
    for placement in list(before.placements.filter(card__isnull=False).select_related("card"))[:2]:
        assert placement.card is not None
        target = "not_now" if placement.pile != "not_now" else "a_lot"
        page.locator(f'input[name="card-{placement.card_id}"][value="{target}"]').check()
        moved.append((placement.card_id, placement.pile, target))
    page.get_by_role("button", name="Save my cards").click()
    page.wait_for_load_state()
    after = CardSort.objects.filter(person=maja).order_by("-created_at", "-pk").first()
    assert after is not None
    assert after.pk != before.pk
    now = {(p.card_id or 0, p.own_label, p.pile) for p in after.placements.all()}
    for card_id, old, new in moved:
        kept.discard((card_id, "", old))
        assert (card_id, "", new) in now
    assert kept <= now
    assert problems.messages == []


def _emergency_clinician(maja: Person) -> User:
    for user in User.objects.filter(is_active=True).order_by("username"):
        if (
            access.resolve_access(user, maja.pk) is None
            and access.break_glass_role(user, maja.pk) is not None
        ):
            return user
    raise AssertionError("the demo world has a hospital clinician outside Maja's ward")


def test_maja_sees_who_looked_and_flags_one(open_page: OpenPage) -> None:
    maja = Person.objects.get(user__username="maja")
    clinician = _emergency_clinician(maja)
    hospital = StaffRole.objects.filter(user=clinician).first()
    assert hospital is not None
    set_privacy_contact(
        Actor.system(), hospital.unit.organisation, User.objects.get(username="line")
    )
    kasper_page, _p = open_page()
    log_in(kasper_page, "kasper")
    kasper_page.goto(f"/persons/{maja.pk}/notes/")
    safety.break_glass(clinician, maja, "Found confused at the bus stop")
    clinician_page, _q = open_page()
    log_in(clinician_page, clinician.username)
    clinician_page.goto(f"/persons/{maja.pk}/crisis/")

    page, problems = open_page(PHONE)
    log_in(page, "maja")
    page.goto("/me/")
    page.get_by_role("link", name="Who has looked at my record").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Who has looked at my record")
    log = page.locator(".log-entries")
    expect(log.first).to_contain_text("Kasper")
    expect(
        page.locator(".log-entry").filter(has_text="Found confused at the bus stop").first
    ).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Why they could").select_option("break_glass")
    page.get_by_role("button", name="Show").click()
    entry = page.locator(".log-entry").filter(has_text="opened: Crisis plan").first
    expect(entry).to_contain_text(clinician.shown_name)
    entry.get_by_text("I don't recognise this").click()
    entry.get_by_label("Anything you want to add (optional)").fill("I was at home then")
    entry.get_by_role("button", name="Ask the privacy contact about this").click()
    expect(page.get_by_role("status")).to_contain_text("privacy contact has been told")
    expect(
        page.locator(".log-entry").filter(has_text="Waiting for an answer").first
    ).to_be_visible()
    assert_accessible(page)
    screenshot(page, "record-log-phone")
    width: int = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"]

    # The hospital's privacy contact answers; Maja reads the answer on her log.
    privacy, _r = open_page()
    log_in(privacy, "line")
    privacy.goto("/privacy/flags/")
    expect(privacy.locator("main")).to_contain_text("I was at home then")
    assert_accessible(privacy)
    privacy.get_by_label("Your answer to the person").fill("A nurse opened it during an alarm.")
    privacy.get_by_role("button", name="Send the answer").click()
    expect(privacy.get_by_role("status")).to_contain_text("Answered")
    page.goto("/me/record-log/")
    expect(page.locator("main")).to_contain_text("A nurse opened it during an alarm.")
    assert_accessible(page)
    assert problems.messages == []


def test_a_proposal_waits_for_maja_and_the_new_pages_are_accessible(
    open_page: OpenPage,
) -> None:
    maja = Person.objects.get(user__username="maja")
    staff_page, _p = open_page()
    log_in(staff_page, "jonas")
    staff_page.goto(f"/persons/{maja.pk}/network/invite/supporter/")
    staff_page.get_by_label("Their name").fill("Rasmus Holm")
    staff_page.get_by_label("Friend").check()
    staff_page.get_by_label("Notes").check()
    staff_page.get_by_label("Maja is with me and agrees to this").check()
    staff_page.get_by_role("button", name="Invite").click()
    expect(staff_page.get_by_role("status")).to_contain_text("Nothing changes until Maja agrees")
    assert not User.objects.filter(display_name="Rasmus Holm").exists()
    assert_accessible(staff_page)

    page, problems = open_page(PHONE)
    log_in(page, "maja")
    page.goto(f"/persons/{maja.pk}/network/")
    waiting = page.get_by_role("region", name="Waiting for your answer")
    expect(waiting).to_contain_text("proposes inviting Rasmus Holm")
    assert_accessible(page)
    waiting.get_by_role("button", name="I agree").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Invitation ready")
    code = page.locator("dd code").nth(1).inner_text()
    username = page.locator("dd code").first.inner_text()
    assert_accessible(page)

    supporter, _s = open_page(PHONE)
    supporter.goto("/supporters/activate/")
    assert_accessible(supporter)
    supporter.get_by_label("Username").fill(username)
    supporter.get_by_label("Code").fill(code)
    supporter.get_by_label("Choose a password").fill("rasmus-own-password-9")
    supporter.get_by_label("The same password again").fill("rasmus-own-password-9")
    supporter.get_by_role("button", name="Save my password").click()
    log_in(supporter, username, "rasmus-own-password-9")
    supporter.goto(f"/persons/{maja.pk}/notes/")
    expect(supporter.get_by_role("heading", level=1)).to_be_visible()
    assert "Not found" not in supporter.content()

    page.goto(f"/persons/{maja.pk}/network/")
    panel = page.get_by_role("region", name="Rasmus Holm")
    panel.get_by_role("button", name="Stop sharing with Rasmus Holm").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Stop sharing with Rasmus Holm?")
    assert_accessible(page)
    page.get_by_role("button", name="Yes, stop sharing with Rasmus Holm").click()
    expect(page.get_by_role("region", name="Recently ended")).to_contain_text("Rasmus Holm")
    assert_accessible(page)
    assert problems.messages == []
