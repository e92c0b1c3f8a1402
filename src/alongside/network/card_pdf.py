"""The card of codes as a printable PDF (credit-card size on an A7 page), drawn with WeasyPrint
under the same no-network rules as every other PDF (``core/pdf_files.py``)."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import translation

from alongside.network.cards import shown
from alongside.network.models import ConfirmationCard
from alongside.plans.pdf import STATIC, local_fetcher

CARD_CSS = """
@page { size: A7 landscape; margin: 5mm; }
html { font-family: "Noto Sans", "Noto Sans CJK JP", "DejaVu Sans", sans-serif; font-size: 7pt;
       line-height: 1.3; color: #000; }
h1 { font-size: 9pt; margin: 0 0 1mm; }
p { margin: 0.5mm 0; }
ol { margin: 1mm 0; padding-left: 5mm; columns: 2; }
li { font-family: "DejaVu Sans Mono", monospace; font-size: 8.5pt; }
"""


def card_html(card: ConfirmationCard, codes: list[str], language: str) -> str:
    with translation.override(language):
        return render_to_string(
            "network/card_print.html",
            {"card": card, "codes": [shown(code) for code in codes], "language": language},
        )


def render_card(card: ConfirmationCard, codes: list[str], language: str) -> bytes:
    from weasyprint import CSS, HTML

    document = HTML(
        string=card_html(card, codes, language),
        base_url=STATIC.as_uri() + "/",
        url_fetcher=local_fetcher(),
    )
    pdf: bytes = document.write_pdf(stylesheets=[CSS(string=CARD_CSS)], pdf_variant="pdf/ua-1")
    return pdf
