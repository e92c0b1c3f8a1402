"""The plan as a plain-language PDF the person can take home, in their language.

WeasyPrint renders a template with the print stylesheet kept beside this module. Nothing is
fetched from the network: the URL fetcher refuses every URL but files in our own static folder,
and the fonts are the system's (Noto Sans CJK for Japanese, DejaVu Sans as a fallback). The card
icons are copied into the page as inline SVG, so the PDF needs no file but the stylesheet.
"""

from __future__ import annotations

import functools
import xml.etree.ElementTree as ET  # parses our own static file, never user input
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from alongside.core import pdf_files
from alongside.plans.models import CardPlacement, GoalStatus, Pile
from alongside.plans.queries import GoalView, Plan

STATIC = (Path(__file__).resolve().parent / "static" / "alongside").resolve()
PRINT_CSS = STATIC / "plan-print.css"
CARD_ICONS = STATIC / "cards.svg"

# The piles a take-home plan shows, most important first ("not now" is left out, as on the page).
PRINTED_PILES = (Pile.A_LOT, Pile.SOMEWHAT)

# Goals being worked on come first; achieved and paused ones follow, then the ones let go.
STATUS_ORDER = {
    GoalStatus.ACTIVE: 0,
    GoalStatus.PAUSED: 1,
    GoalStatus.ACHIEVED: 2,
    GoalStatus.LET_GO: 3,
}

SVG_NS = "http://www.w3.org/2000/svg"


def check_local(url: str) -> None:
    """Allow files from our own static folder only; refuse any other URL (no network)."""
    pdf_files.check_local(url, STATIC, "the plan PDF")


def local_fetcher() -> Any:
    """A WeasyPrint URL fetcher that only opens files in our static folder."""
    return pdf_files.local_fetcher(STATIC, "the plan PDF")


@functools.cache
def _icons() -> dict[str, SafeString]:
    """Each card icon as a small inline ``<svg>``, read once from ``cards.svg``."""
    ET.register_namespace("", SVG_NS)
    root = ET.parse(CARD_ICONS).getroot()  # noqa: S314  # our own file, shipped with the code
    icons: dict[str, SafeString] = {}
    for symbol in root.iter(f"{{{SVG_NS}}}symbol"):
        code = symbol.get("id", "").removeprefix("card-")
        symbol.tag = f"{{{SVG_NS}}}svg"
        symbol.attrib.pop("id", None)
        symbol.set("class", "icon")
        symbol.set("role", "img")
        # Printed in black: no meaning may hang on a colour.
        symbol.set("stroke", "#000")
        markup = ET.tostring(symbol, encoding="unicode", short_empty_elements=True)
        icons[code] = mark_safe(markup)  # our own static file, not user input
    return icons


@dataclass(frozen=True)
class PrintedCard:
    label: str
    icon: SafeString | None


@dataclass(frozen=True)
class PrintedPile:
    pile: Pile
    cards: list[PrintedCard]


def _card(placement: CardPlacement) -> PrintedCard:
    if placement.card is None:
        return PrintedCard(placement.own_label, None)
    icon = _icons().get(placement.card.icon)
    if icon is None:
        return PrintedCard(placement.card.label, None)
    # The icon's alternative text is the card's label (PDF/UA: every figure has one).
    label = escape(placement.card.label)
    described = icon.replace("<svg ", f'<svg aria-label="{label}" ', 1)
    described = described.replace(">", f"><title>{label}</title>", 1)
    return PrintedCard(placement.card.label, mark_safe(described))  # escaped label, our SVG


def _piles(plan: Plan) -> list[PrintedPile]:
    """The piles of the latest sort, "matters a lot" first. Labels in the active language."""
    printed = [
        PrintedPile(pile, [_card(placement) for placement in plan.piles.get(pile.value, [])])
        for pile in PRINTED_PILES
    ]
    return [pile for pile in printed if pile.cards]


def _in_order(goals: list[GoalView]) -> list[GoalView]:
    return sorted(goals, key=lambda view: STATUS_ORDER.get(GoalStatus(view.goal.status), 9))


def render_plan_html(plan: Plan, language: str) -> str:
    """The HTML the PDF is made from, rendered in ``language``."""
    with translation.override(language):
        return render_to_string(
            "plans/plan_pdf.html",
            {
                "plan": plan,
                "person": plan.access.person,
                "language": translation.get_language() or language,
                "printed_on": timezone.localdate(),
                "piles": _piles(plan),
                "own_goals": _in_order(plan.own_goals),
                "others_goals": _in_order(plan.others_goals),
            },
        )


def render_plan_pdf(plan: Plan, language: str) -> bytes:
    """The plan as an A4 PDF in ``language`` (a code from ``settings.LANGUAGES``)."""
    from weasyprint import CSS, HTML

    fetcher = local_fetcher()
    html = HTML(
        string=render_plan_html(plan, language),
        base_url=STATIC.as_uri() + "/",
        url_fetcher=fetcher,
    )
    stylesheet = CSS(
        string=PRINT_CSS.read_text(encoding="utf-8"),
        base_url=STATIC.as_uri() + "/",
        url_fetcher=fetcher,
    )
    # Tagged, so screen readers read the headings and lists in order.
    pdf: bytes = html.write_pdf(stylesheets=[stylesheet], pdf_variant="pdf/ua-1")
    return pdf
