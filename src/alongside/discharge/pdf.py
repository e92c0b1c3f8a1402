"""The approved handover summary as a PDF, in the language the pages are shown in.

The same pattern as ``plans/pdf.py``: WeasyPrint renders a template with a print stylesheet kept
beside this module; the URL fetcher refuses every URL but files in our own static folder, so
nothing is fetched from the network. Japanese is set in the system's Noto Sans CJK.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format

from alongside.core import pdf_files
from alongside.discharge.models import HandoverSummary
from alongside.discharge.present import present

STATIC = (Path(__file__).resolve().parent / "static" / "discharge").resolve()
PRINT_CSS = STATIC / "handover-print.css"


def check_local(url: str) -> None:
    """Allow files from our own static folder only; refuse any other URL (no network)."""
    pdf_files.check_local(url, STATIC, "the handover PDF")


def local_fetcher() -> Any:
    """A WeasyPrint URL fetcher that only opens files in our static folder."""
    return pdf_files.local_fetcher(STATIC, "the handover PDF")


def render_handover_html(summary: HandoverSummary, language: str) -> str:
    with translation.override(language):
        return render_to_string(
            "discharge/handover_pdf.html",
            {
                "view": present(summary),
                "language": translation.get_language() or language,
                "printed_on": date_format(timezone.localdate(), "DATE_FORMAT"),
            },
        )


def render_handover_pdf(summary: HandoverSummary, language: str) -> bytes:
    """The summary as an A4 PDF in ``language`` (a code from ``settings.LANGUAGES``)."""
    from weasyprint import CSS, HTML

    fetcher = local_fetcher()
    html = HTML(
        string=render_handover_html(summary, language),
        base_url=STATIC.as_uri() + "/",
        url_fetcher=fetcher,
    )
    stylesheet = CSS(
        string=PRINT_CSS.read_text(encoding="utf-8"),
        base_url=STATIC.as_uri() + "/",
        url_fetcher=fetcher,
    )
    pdf: bytes = html.write_pdf(stylesheets=[stylesheet], pdf_variant="pdf/ua-1")
    return pdf
