"""Loads the default card deck into ``DeckCard`` rows: adds new codes, updates texts and icons,
never removes a card (sorts made with it keep pointing at it). Run by a data migration."""

from __future__ import annotations

from typing import Any

from alongside.plans.deck import DEFAULT_DECK


def sync_default_deck(card_model: Any) -> int:
    for position, card in enumerate(DEFAULT_DECK):
        fields: dict[str, object] = {"icon": card["icon"], "position": position}
        for language in ("en", "da", "ja"):
            fields[f"label_{language}"] = card["label"][language]
            fields[f"prompt_{language}"] = card["prompt"][language]
        card_model.objects.update_or_create(organisation=None, code=card["code"], defaults=fields)
    return len(DEFAULT_DECK)
