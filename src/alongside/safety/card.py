"""The crisis plan as a pocket card (A6 PDF) the person can carry: the newest confirmed version,
the sections that matter most in a crisis first. Same no-network rules as the plan PDF."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import translation

from alongside.people.models import Person
from alongside.plans.pdf import STATIC, local_fetcher
from alongside.safety.models import CrisisPlanVersion

CARD_SECTIONS = (
    "please_dont",
    "what_helps",
    "early_signs",
    "contact_who",
    "contact_not",
    "treatment_preferences",
)

CARD_CSS = """
@page { size: A6; margin: 8mm; }
html { font-family: "Noto Sans", "Noto Sans CJK JP", "DejaVu Sans", sans-serif; font-size: 8.5pt;
       line-height: 1.35; color: #000; }
h1 { font-size: 12pt; margin: 0 0 1mm; }
h2 { font-size: 9pt; margin: 2.5mm 0 0.5mm; border-bottom: 0.6pt solid #000; }
p { margin: 0.5mm 0; }
.small { font-size: 7.5pt; }
"""


def render_crisis_card(person: Person, version: CrisisPlanVersion | None, language: str) -> bytes:
    from weasyprint import CSS, HTML

    sections = []
    if version is not None:
        by_name = {name: (heading, text) for name, heading, text in version.sections()}
        with translation.override(language):
            sections = [
                (str(by_name[name][0]), by_name[name][1])
                for name in CARD_SECTIONS
                if by_name[name][1].strip()
            ]
    with translation.override(language):
        html = render_to_string(
            "safety/crisis_card.html",
            {"person": person, "version": version, "sections": sections, "language": language},
        )
    document = HTML(string=html, base_url=STATIC.as_uri() + "/", url_fetcher=local_fetcher())
    pdf: bytes = document.write_pdf(stylesheets=[CSS(string=CARD_CSS)], pdf_variant="pdf/ua-1")
    return pdf
