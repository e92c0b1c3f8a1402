"""Rights and advocacy texts for the demo organisations: fictional, plain language, our words."""

from __future__ import annotations

from alongside.organisations.models import Organisation
from alongside.safety.agreements import RightsInfo

TEXTS: dict[str, dict[str, tuple[str, str, str]]] = {
    "fjordby-mhc": {
        "en": (
            "You can see what is written about you. You can say no to treatment, except in the "
            "narrow cases the law allows, and then you must be told why.",
            "Tell any member of staff, or write to the patient office. A complaint never "
            "changes the care you get.",
            "You can have an advocate with you at meetings. Harbour Peer Network can send a peer "
            "supporter: ask on the ward or on this page.",
        ),
        "da": (
            "Du kan se, hvad der står om dig. Du kan sige nej til behandling, undtagen i de få "
            "tilfælde loven tillader, og så skal du have at vide hvorfor.",
            "Sig det til en medarbejder, eller skriv til patientkontoret. En klage ændrer aldrig "
            "den behandling, du får.",
            "Du kan have en bisidder med til møder. Harbour Peer Network kan sende en "
            "peerstøtte: spørg på afsnittet eller på denne side.",
        ),
        "ja": (
            "自分について書かれていることを見ることができます。法律で認められた限られた場合を"
            "除き、治療を断ることができます。その場合は理由の説明を受けられます。",
            "職員の誰かに伝えるか、患者相談窓口に書面で伝えてください。苦情を言っても、"
            "受けるケアが変わることはありません。",
            "面談にはアドボケイトに同席してもらえます。Harbour Peer Network からピアサポーターを"
            "紹介してもらうこともできます。病棟かこのページで頼んでください。",
        ),
    },
}


def add_demo_rights() -> None:
    for code, languages in TEXTS.items():
        organisation = Organisation.objects.get(code=code)
        for language, (rights, complaints, advocacy) in languages.items():
            RightsInfo.objects.update_or_create(
                organisation=organisation,
                language=language,
                defaults={"rights": rights, "complaints": complaints, "advocacy": advocacy},
            )
