"""The plan as a plain-language PDF the person can take home, in their language.

Rendered with WeasyPrint from a template and a print stylesheet kept beside this module. No
network: the URL fetcher refuses everything but files in our own static folder. Fonts are the
system's (Noto, with CJK glyphs for Japanese).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation

from alongside.plans.queries import Plan

STATIC = Path(__file__).resolve().parent / "static" / "alongside"
PRINT_CSS = STATIC / "plan-print.css"


def check_local(url: str) -> None:
    """Allow files from our own static folder only; refuse any other URL (no network)."""
    if url.startswith("file://"):
        path = Path(url[len("file://") :].split("?")[0]).resolve()
        if path.is_relative_to(STATIC):
            return
    raise ValueError(f"refused to fetch {url}: the plan PDF uses local files only")


def _fetcher() -> Any:
    from weasyprint.urls import URLFetcher

    class LocalOnlyFetcher(URLFetcher):  # type: ignore[misc]  # untyped base class
        def fetch(self, url: str, headers: Any = None) -> Any:
            check_local(url)
            return super().fetch(url, headers)

    return LocalOnlyFetcher()


def render_plan_pdf(plan: Plan, language: str) -> bytes:
    from weasyprint import CSS, HTML

    with translation.override(language):
        html = render_to_string(
            "plans/plan_pdf.html",
            {
                "plan": plan,
                "person": plan.access.person,
                "printed_on": timezone.localdate(),
                "language": language,
            },
        )
    document = HTML(string=html, base_url=STATIC.as_uri() + "/", url_fetcher=_fetcher())
    pdf: bytes = document.write_pdf(stylesheets=[CSS(filename=str(PRINT_CSS))])
    return pdf
