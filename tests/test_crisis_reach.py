"""Crisis plan reach: the pocket card carries a QR code that opens emergency access for a
signed-in clinician, under the break-the-glass rules; the plan names a proxy the person chooses."""

from __future__ import annotations

import io
from collections.abc import Callable

import qrcode  # type: ignore[import-untyped]
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from alongside.audit.log import Actor
from alongside.audit.models import AuditEvent
from alongside.organisations.models import Role
from alongside.safety import services as safety
from alongside.safety.card import card_html, scan_code
from tests.personas import Persona, World

ClientAs = Callable[[Persona], Client]
PROXY = "My sister Anna, 20 30 40 50. She knows what I want."


def scan_url(world: World) -> str:
    return "http://testserver" + reverse("safety:break_glass", args=[world.p1.pk])


def test_the_scan_code_is_an_svg_of_exactly_that_address() -> None:
    svg = scan_code("https://alongside.example/persons/7/crisis/break-glass/")
    assert svg.startswith("<svg")
    assert "http" not in svg.replace("http://www.w3.org/2000/svg", "")  # nothing to fetch
    assert svg == scan_code("https://alongside.example/persons/7/crisis/break-glass/")
    assert svg != scan_code("https://alongside.example/persons/8/crisis/break-glass/")
    # The modules drawn are the QR matrix of the address.
    matrix = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=2)
    matrix.add_data("https://alongside.example/persons/7/crisis/break-glass/")
    matrix.make(fit=True)
    dark = sum(cell for row in matrix.get_matrix() for cell in row)
    assert svg.count("H") - svg.count("<svg") >= dark  # one square ("M..H..V..H..z") per module


def test_the_card_carries_the_code_and_the_pdf_says_what_it_is_for(
    world: World, client_as: ClientAs
) -> None:
    html = card_html(world.p1, world.crisis_version, "en", scan_url=scan_url(world))
    assert str(scan_code(scan_url(world))) in html
    assert "<svg" not in card_html(world.p1, world.crisis_version, "en")  # no address, no code
    pdf = client_as(Persona.P1).get(reverse("safety:card", args=[world.p1.pk]))
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "scan to open this crisis plan in an emergency" in " ".join(text.split())


def test_scanning_follows_the_break_the_glass_rules(world: World, client_as: ClientAs) -> None:
    url = reverse("safety:break_glass", args=[world.p1.pk])
    # Someone who may read the plan sees it at once.
    response = client_as(Persona.KEY_WORKER).get(url)
    assert response["Location"] == reverse("safety:emergency", args=[world.p1.pk])
    # A clinician of the same hospital outside her network states a reason first.
    assert (
        "Why do you need to open" in client_as(Persona.OTHER_UNIT_STAFF).get(url).content.decode()
    )
    # Nobody else gets anything; a scan without signing in goes to the login, then back here.
    assert client_as(Persona.CASEWORKER).get(url).status_code == 404
    assert client_as(Persona.ANALYST).get(url).status_code == 404
    anonymous = Client().get(url)
    assert anonymous["Location"].startswith(reverse("accounts:login"))
    assert "next=" in anonymous["Location"]


def test_the_plan_names_a_proxy_she_chooses(world: World, client_as: ClientAs) -> None:
    client = client_as(Persona.P1)
    client.post(
        reverse("safety:crisis_edit", args=[world.p1.pk]),
        {"what_helps": "Quiet", "proxy": PROXY},
    )
    emergency = client_as(Persona.KEY_WORKER).get(reverse("safety:emergency", args=[world.p1.pk]))
    assert PROXY in emergency.content.decode()
    assert "Who speaks for me when I cannot" in emergency.content.decode()
    card = card_html(world.p1, world.p1.crisis_plans.first(), "en")
    assert PROXY in card


def test_a_proxy_staff_write_counts_only_once_she_confirms(
    world: World, client_as: ClientAs
) -> None:
    staff = Actor(world.users[Persona.KEY_WORKER], Role.KEY_WORKER)
    her = Actor(world.users[Persona.P1], "person")
    safety.confirm_version(her, world.crisis_version)  # the plan she has, without a proxy
    version = safety.save_version(staff, world.p1, {"what_helps": "Quiet", "proxy": "Dr. Holm"})
    emergency_url = reverse("safety:emergency", args=[world.p1.pk])
    assert "Dr. Holm" not in client_as(Persona.FAMILY).get(emergency_url).content.decode()
    safety.confirm_version(her, version)
    assert "Dr. Holm" in client_as(Persona.FAMILY).get(emergency_url).content.decode()


def decode_qr_codes_in(pdf: bytes) -> list[str]:
    """Rasterise the PDF the product serves (poppler's pdftoppm, 300 dpi) and read every QR
    code on it with an independent reader (zxing-cpp)."""
    import shutil
    import subprocess

    import zxingcpp
    from PIL import Image

    pdftoppm = shutil.which("pdftoppm")
    assert pdftoppm is not None, "poppler-utils (pdftoppm) is needed to rasterise the card"
    png = subprocess.run(  # noqa: S603  # our own PDF bytes on stdin, a fixed argument list
        [pdftoppm, "-r", "300", "-png", "-singlefile", "-"],
        input=pdf,
        capture_output=True,
        check=True,
    ).stdout
    image = Image.open(io.BytesIO(png)).convert("L")
    return [
        found.text
        for found in zxingcpp.read_barcodes(image)
        if found.format == zxingcpp.BarcodeFormat.QRCode
    ]


def test_the_qr_code_on_the_pocket_card_decodes_to_her_emergency_address(
    world: World, client_as: ClientAs
) -> None:
    pdf = client_as(Persona.P1).get(reverse("safety:card", args=[world.p1.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    decoded = decode_qr_codes_in(pdf.content)
    assert decoded == [scan_url(world)]
    # Another person's card carries another address.
    other = client_as(Persona.P2).get(reverse("safety:card", args=[world.p2.pk]))
    assert decode_qr_codes_in(other.content) == [
        "http://testserver" + reverse("safety:break_glass", args=[world.p2.pk])
    ]

    # Opening the decoded address as a signed-in hospital clinician outside her network: the
    # break-the-glass page, not the plan; with a reason, the emergency view, recorded.
    path = decoded[0].removeprefix("http://testserver")
    clinician = client_as(Persona.OTHER_UNIT_STAFF)
    asked = clinician.get(path)
    assert asked.status_code == 200
    assert "Why do you need to open" in asked.content.decode()
    assert world.crisis_version.what_helps not in asked.content.decode()
    opened = clinician.post(path, {"reason": "Brought in by ambulance, cannot speak for herself"})
    assert opened["Location"] == reverse("safety:emergency", args=[world.p1.pk])
    assert clinician.get(opened["Location"]).status_code == 200
    assert AuditEvent.objects.filter(
        person_id=world.p1.pk,
        actor_id=world.users[Persona.OTHER_UNIT_STAFF].pk,
        why__icontains="cannot speak for herself",
    ).exists()
    # Someone outside the hospital who decodes it gets nothing.
    assert client_as(Persona.CASEWORKER).get(path).status_code == 404


def test_a_long_address_still_fits_on_the_card_and_decodes(world: World) -> None:
    # qrcode drew one millimetre per module, so a longer (real) address overflowed the A6 page
    # and the printed code could not be read. The code now has the card's size, whatever its
    # length.
    from alongside.safety.card import render_crisis_card

    url = "https://alongside.region-hovedstaden.example.dk/persons/123456/crisis/break-glass/"
    pdf = render_crisis_card(world.p1, world.crisis_version, "ja", scan_url=url)
    assert decode_qr_codes_in(pdf) == [url]


def test_the_caseload_offers_the_emergency_search_only_to_those_it_serves(
    world: World, client_as: Callable[[Persona], Client]
) -> None:
    """A care role in a hospital sees the link and may use it; an analyst or a municipal
    caseworker, whom the search answers with 404, is not offered a link that goes nowhere."""
    caseload = reverse("workspace:caseload")
    find = reverse("emergency:find")
    assert find in client_as(Persona.KEY_WORKER).get(caseload).content.decode()
    assert client_as(Persona.KEY_WORKER).get(find).status_code == 200
    for persona in (Persona.ANALYST, Persona.CASEWORKER):
        client = client_as(persona)
        page = client.get(caseload)
        assert page.status_code == 200
        assert find not in page.content.decode()
        assert client.get(find).status_code == 404
