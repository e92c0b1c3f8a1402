"""Guessing activation codes is slowed down: wrong codes are counted per client address (resolved
behind trusted proxies) and per code. The paused address is refused with a clear, translated
message; the person with the right code at another address still gets in."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.conf import LazySettings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from alongside.accounts.models import LoginAttempt, User
from alongside.administration import activation, persons
from alongside.administration.identifiers import KIND_LOCAL
from alongside.administration.queries import ADMIN_ROLE
from alongside.audit.log import Actor
from alongside.network import services as network_services
from alongside.network.scopes import Section
from alongside.people.models import Person
from tests.personas import Persona, World

pytestmark = pytest.mark.django_db

ACTIVATE = reverse("administration_public:activate")
NEW_PASSWORD = "a-long-new-passphrase"
PAUSED = "Too many codes that did not work"


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture
def few_tries(settings: LazySettings) -> LazySettings:
    settings.ACTIVATION_THROTTLE_PER_ADDRESS = 4
    settings.ACTIVATION_THROTTLE_PER_CODE = 3
    return settings


def a_code(world: World) -> tuple[Person, str]:
    actor = Actor(world.users[Persona.ADMIN], ADMIN_ROLE)
    person = persons.register(
        actor, world.hospital, name="Rasmus Holm", identifiers=[(KIND_LOCAL, "H-2001")]
    )
    _issued, code = activation.issue(actor, world.hospital, person)
    return person, code


def wrong(n: int) -> str:
    return f"WXYZ-WXYZ-{n:04d}".replace("0", "A").replace("1", "B")


def test_the_address_is_paused_after_too_many_wrong_codes(
    world: World, few_tries: LazySettings
) -> None:
    person, code = a_code(world)
    guesser = Client(REMOTE_ADDR="203.0.113.66")
    for n in range(few_tries.ACTIVATION_THROTTLE_PER_ADDRESS):
        response = guesser.post(ACTIVATE, {"code": wrong(n)})
        assert response.status_code == 200
        assert "This code does not work." in response.content.decode()
    # The next one is refused before it is even looked at, with a clear message.
    paused = guesser.post(ACTIVATE, {"code": wrong(99)})
    assert paused.status_code == 429
    assert PAUSED in paused.content.decode()
    # Even the right code, and the code in the address the QR code opens, from that address.
    assert guesser.post(ACTIVATE, {"code": code}).status_code == 429
    qr = reverse("administration_public:activate_code", kwargs={"code": code})
    assert guesser.get(qr).status_code == 429
    assert (
        guesser.get(
            reverse("administration_public:activate_code", kwargs={"code": wrong(7)})
        ).status_code
        == 429
    )

    # The person, at another address, still activates with the right code.
    phone = Client(REMOTE_ADDR="198.51.100.20")
    typed = phone.post(ACTIVATE, {"code": code.lower().replace("-", " ")})
    assert typed.status_code == 302
    done = phone.post(typed["Location"], {"password": NEW_PASSWORD, "password_again": NEW_PASSWORD})
    assert done.status_code == 302
    person.refresh_from_db()
    assert person.user is not None
    assert person.user.check_password(NEW_PASSWORD)
    # No code is stored, only its hash.
    assert not LoginAttempt.objects.filter(username__icontains=code.replace("-", "")).exists()


def test_addresses_behind_one_proxy_are_counted_apart(
    world: World, few_tries: LazySettings
) -> None:
    few_tries.TRUSTED_PROXIES = 1
    _person, code = a_code(world)
    guesser = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.7")
    for n in range(few_tries.ACTIVATION_THROTTLE_PER_ADDRESS):
        guesser.post(ACTIVATE, {"code": wrong(n)})
    assert guesser.post(ACTIVATE, {"code": wrong(50)}).status_code == 429
    neighbour = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.9")
    assert neighbour.post(ACTIVATE, {"code": code}).status_code == 302


def test_one_code_tried_from_many_addresses_is_paused(
    world: World, few_tries: LazySettings
) -> None:
    _person, code = a_code(world)
    for n in range(few_tries.ACTIVATION_THROTTLE_PER_CODE):
        response = Client(REMOTE_ADDR=f"192.0.2.{n + 1}").post(ACTIVATE, {"code": wrong(1)})
        assert response.status_code == 200
    again = Client(REMOTE_ADDR="192.0.2.200").post(ACTIVATE, {"code": wrong(1)})
    assert again.status_code == 429
    # Other codes from a fresh address are not paused by it.
    assert Client(REMOTE_ADDR="192.0.2.201").post(ACTIVATE, {"code": code}).status_code == 302


def test_wrong_codes_do_not_pause_logins_from_that_address(
    world: World, few_tries: LazySettings
) -> None:
    guesser = Client(REMOTE_ADDR="203.0.113.66")
    for n in range(few_tries.ACTIVATION_THROTTLE_PER_ADDRESS + 1):
        guesser.post(ACTIVATE, {"code": wrong(n)})
    from tests.personas import PASSWORD

    response = guesser.post(reverse("accounts:login"), {"login": "p1", "password": PASSWORD})
    assert response.status_code == 302
    assert "_auth_user_id" in guesser.session


@pytest.mark.parametrize(
    ("language", "words"),
    [("da", "For mange koder"), ("ja", "うまくいかないコード")],
)
def test_the_pause_is_explained_in_the_readers_language(
    world: World, few_tries: LazySettings, language: str, words: str
) -> None:
    guesser = Client(REMOTE_ADDR="203.0.113.66", HTTP_ACCEPT_LANGUAGE=language)
    for n in range(few_tries.ACTIVATION_THROTTLE_PER_ADDRESS + 1):
        response = guesser.post(ACTIVATE, {"code": wrong(n)})
    assert response.status_code == 429
    assert words in response.content.decode()


def _supporter(world: World) -> tuple[str, str]:
    """P1 invites a friend: the supporter's username and the code she hands over."""
    _membership, username, code = network_services.invite_supporter(
        Actor(world.users[Persona.P1], "person"),
        world.p1,
        name="Sam Berg",
        relation="friend",
        sections=[Section.CRISIS_PLAN],
    )
    return username, code


def test_guessing_supporter_codes_pauses_the_address_not_the_supporter(
    world: World, few_tries: LazySettings
) -> None:
    """The supporters' page counts wrong codes per address across usernames (a guesser trying
    many invitations) and per username; the supporter at home still gets in."""
    username, code = _supporter(world)
    activate = reverse("supporters:activate")
    guesser = Client(REMOTE_ADDR="203.0.113.66")

    def attempt(client: Client, name: str, tried: str) -> int:
        return int(
            client.post(
                activate,
                {
                    "username": name,
                    "code": tried,
                    "password": NEW_PASSWORD,
                    "password_again": NEW_PASSWORD,
                },
            ).status_code
        )

    for n in range(few_tries.ACTIVATION_THROTTLE_PER_ADDRESS):
        assert attempt(guesser, f"someone-{n}", "000000") == 200
    paused = guesser.post(
        activate,
        {
            "username": username,
            "code": code,
            "password": NEW_PASSWORD,
            "password_again": NEW_PASSWORD,
        },
    )
    assert paused.status_code == 429  # even the right code, from the paused address
    assert PAUSED in paused.content.decode()
    supporter = User.objects.get(username=username)
    assert not supporter.has_usable_password()
    # Tries of one username are counted whatever the address.
    for n in range(few_tries.ACTIVATION_THROTTLE_PER_CODE):
        assert attempt(Client(REMOTE_ADDR=f"198.51.100.{n + 1}"), "sam-elsewhere", "111111") == 200
    assert attempt(Client(REMOTE_ADDR="198.51.100.99"), "sam-elsewhere", "222222") == 429
    # The supporter, at another address, activates with the right code.
    assert attempt(Client(REMOTE_ADDR="192.0.2.10"), username, code) == 302
    supporter.refresh_from_db()
    assert supporter.check_password(NEW_PASSWORD)
    # Neither usernames nor codes are stored, only keyed hashes.
    assert not LoginAttempt.objects.filter(username__icontains="someone").exists()
    assert not LoginAttempt.objects.filter(username__icontains=code).exists()
