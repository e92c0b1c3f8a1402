"""The default discharge checklist, in our own words, in English, Danish and Japanese.

Loaded by a data migration and by ``sync_default_items`` (tests, resets). Syncing upserts by
code and never deletes, so an item stays on the checklists it is already used on.
"""

from __future__ import annotations

from typing import Any

from django.db import models

# code, kind, (label en, da, ja), (help en, da, ja)
DEFAULT_ITEMS: list[tuple[str, str, tuple[str, str, str], tuple[str, str, str]]] = [
    (
        "offer_housing",
        "municipal_offer",
        ("A place to live is arranged", "Et sted at bo er på plads", "住む場所が決まっている"),
        (
            "Which home or housing offer, from which municipal service, and from when.",
            "Hvilken bolig eller hvilket botilbud, fra hvilken kommunal enhed, og fra hvornår.",
            "どの住まい・住居支援か、市区町村のどの部署からか、いつからか。",
        ),
    ),
    (
        "offer_daily_support",
        "municipal_offer",
        (
            "Support in daily life is arranged",
            "Støtte i hverdagen er på plads",
            "日常生活の支援が決まっている",
        ),
        (
            "For example a support worker at home: who provides it and from when.",
            "For eksempel en bostøtte: hvem der giver den, og fra hvornår.",
            "例えば自宅への支援員など。誰が、いつから支援するか。",
        ),
    ),
    (
        "offer_treatment_or_activity",
        "municipal_offer",
        (
            "Treatment or a daytime activity is arranged",
            "Behandling eller noget at lave i dagtimerne er på plads",
            "治療または日中の活動が決まっている",
        ),
        (
            "For example an outpatient team, a workshop, a course or a job: where and from when.",
            "For eksempel et ambulant team, et værksted, et kursus eller et job: hvor og hvornår.",
            "例えば外来チーム、作業所、講座、仕事など。どこで、いつからか。",
        ),
    ),
    (
        "person_agrees",
        "agreement",
        (
            "The person says yes to the plan",
            "Personen siger ja til planen",
            "本人が計画に納得している",
        ),
        (
            "Ask them, and write down what they said, in their words.",
            "Spørg personen, og skriv ned hvad de sagde, med deres egne ord.",
            "本人にたずね、本人の言葉のまま記録してください。",
        ),
    ),
    (
        "crisis_plan_reviewed",
        "crisis_review",
        (
            "The crisis plan has been gone through again",
            "Kriseplanen er gennemgået igen",
            "クライシスプランを一緒に見直した",
        ),
        (
            "Together with the person, so it fits life after discharge.",
            "Sammen med personen, så den passer til livet efter udskrivelsen.",
            "退院後の生活に合うよう、本人と一緒に。",
        ),
    ),
    (
        "follow_up_booked",
        "follow_up",
        (
            "A first follow-up contact is booked",
            "En første opfølgende kontakt er aftalt",
            "退院後の最初の連絡日が決まっている",
        ),
        (
            "Who will get in touch, and on which date.",
            "Hvem der tager kontakt, og på hvilken dato.",
            "誰が、何日に連絡するか。",
        ),
    ),
]


def sync_default_items(model: type[models.Model] | None = None) -> None:
    """Load the default checklist items; never removes one. Used by a migration and by tests."""
    if model is None:
        from alongside.discharge.models import ChecklistItemTemplate

        model = ChecklistItemTemplate
    target: Any = model
    for position, (code, kind, labels, helps) in enumerate(DEFAULT_ITEMS):
        target.objects.update_or_create(
            organisation=None,
            code=code,
            defaults={
                "kind": kind,
                "required": True,
                "position": (position + 1) * 10,
                "label_en": labels[0],
                "label_da": labels[1],
                "label_ja": labels[2],
                "help_en": helps[0],
                "help_da": helps[1],
                "help_ja": helps[2],
            },
        )
