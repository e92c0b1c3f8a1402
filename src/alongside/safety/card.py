"""The crisis plan as a pocket card (A6 PDF) the person can carry: the newest confirmed version,
the sections that matter most in a crisis first. Same no-network rules as the plan PDF."""

from __future__ import annotations

import re

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from alongside.people.models import Person
from alongside.plans.pdf import STATIC, local_fetcher
from alongside.safety.models import CrisisPlanVersion

CARD_SECTIONS = (
    "please_dont",
    "proxy",
    "what_helps",
    "early_signs",
    "contact_who",
    "contact_not",
    "treatment_preferences",
)

SCAN_SIZE = "22mm"

CARD_CSS = """
@page { size: A6; margin: 8mm; }
html { font-family: "Noto Sans", "Noto Sans CJK JP", "DejaVu Sans", sans-serif; font-size: 8.5pt;
       line-height: 1.35; color: #000; }
h1 { font-size: 12pt; margin: 0 0 1mm; }
h2 { font-size: 9pt; margin: 2.5mm 0 0.5mm; border-bottom: 0.6pt solid #000; }
p { margin: 0.5mm 0; }
.small { font-size: 7.5pt; }
.scan { float: right; width: 22mm; margin: 0 0 1mm 2mm; text-align: center; font-size: 6pt; }
.scan svg { width: 22mm; height: 22mm; display: block; margin: 0 auto; }
"""


def scan_code(url: str) -> SafeString:
    """A QR code for ``url`` as an inline SVG (drawn here; nothing is fetched). Scanned by a
    clinician, it opens emergency access to the crisis plan: they sign in, and the usual rules
    apply (those who may read it see it at once; a hospital clinician outside the network states
    a reason, which is recorded and the person is told; anyone else gets nothing)."""
    import qrcode
    from qrcode.image.svg import SvgPathImage

    code = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M, border=2, image_factory=SvgPathImage
    )
    code.add_data(url)
    code.make(fit=True)
    svg: str = code.make_image().to_string(encoding="unicode")
    # qrcode sizes the drawing at one millimetre per module, so a longer address drew a code
    # wider than the card's box and the page cut it off (found by decoding the printed card).
    # The viewBox keeps the proportions; the card decides the size.
    svg = re.sub(
        r'^<svg width="[^"]*" height="[^"]*"', f'<svg width="{SCAN_SIZE}" height="{SCAN_SIZE}"', svg
    )
    return mark_safe(svg)  # drawn by the qrcode package from our own URL


def card_html(
    person: Person, version: CrisisPlanVersion | None, language: str, *, scan_url: str = ""
) -> str:
    """The card as HTML, in ``language``: the sections that matter most in a crisis, and the
    scan code when ``scan_url`` is given."""
    sections = []
    with translation.override(language):
        if version is not None:
            by_name = {name: (heading, text) for name, heading, text in version.sections()}
            sections = [
                (str(by_name[name][0]), by_name[name][1])
                for name in CARD_SECTIONS
                if by_name[name][1].strip()
            ]
        return render_to_string(
            "safety/crisis_card.html",
            {
                "person": person,
                "version": version,
                "sections": sections,
                "language": language,
                "scan": scan_code(scan_url) if scan_url else None,
            },
        )


def render_crisis_card(
    person: Person, version: CrisisPlanVersion | None, language: str, *, scan_url: str = ""
) -> bytes:
    from weasyprint import CSS, HTML

    html = card_html(person, version, language, scan_url=scan_url)
    document = HTML(string=html, base_url=STATIC.as_uri() + "/", url_fetcher=local_fetcher())
    pdf: bytes = document.write_pdf(stylesheets=[CSS(string=CARD_CSS)], pdf_variant="pdf/ua-1")
    return pdf
