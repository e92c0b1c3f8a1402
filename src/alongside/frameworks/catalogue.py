"""The reference frameworks as data: stable codes with names and short descriptions in en, da, ja.

Codes never change once shipped; code elsewhere refers to codes, never to English labels.
Texts are written by the Alongside team, in plain language, not quoted from the source papers.
"""

from __future__ import annotations

from typing import TypedDict


class Text(TypedDict):
    en: str
    da: str
    ja: str


class ConceptSpec(TypedDict):
    code: str
    kind: str
    name: Text
    description: Text
    children: list[ConceptSpec]


FRAMEWORKS: dict[str, list[ConceptSpec]] = {
    "chime": [
        {
            "code": "chime.c",
            "kind": "process",
            "name": {
                "en": "Connectedness",
                "da": "Forbundethed",
                "ja": "つながり",
            },
            "description": {
                "en": (
                    "Having people around who matter, and feeling part of something bigger than "
                    "oneself."
                ),
                "da": (
                    "At have mennesker omkring sig, der betyder noget, og at føle sig som en del "
                    "af et fællesskab."
                ),
                "ja": "大切な人がそばにいて、自分より大きな何かの一部だと感じられること。",
            },
            "children": [
                {
                    "code": "chime.c.peer-support",
                    "kind": "subcategory",
                    "name": {
                        "en": "Peer support and groups",
                        "da": "Peerstøtte og grupper",
                        "ja": "ピアサポートとグループ",
                    },
                    "description": {
                        "en": (
                            "Meeting others with lived experience, one to one or in groups, and "
                            "learning from each other."
                        ),
                        "da": (
                            "At møde andre med egen erfaring, enten én til én eller i grupper, og "
                            "lære af hinanden."
                        ),
                        "ja": (
                            "同じような経験を持つ人と一対一やグループで出会い、互いに学び合うこと。"
                        ),
                    },
                    "children": [],
                },
                {
                    "code": "chime.c.relationships",
                    "kind": "subcategory",
                    "name": {
                        "en": "Relationships",
                        "da": "Relationer",
                        "ja": "人間関係",
                    },
                    "description": {
                        "en": (
                            "Close ties with family, friends or a partner that give warmth and "
                            "stability."
                        ),
                        "da": (
                            "Nære bånd til familie, venner eller en partner, som giver varme og "
                            "tryghed."
                        ),
                        "ja": (
                            "家族や友人、パートナーとの親しい関係が、温かさと安定をもたらすこと。"
                        ),
                    },
                    "children": [],
                },
                {
                    "code": "chime.c.support-from-others",
                    "kind": "subcategory",
                    "name": {
                        "en": "Support from others",
                        "da": "Støtte fra andre",
                        "ja": "周囲からの支え",
                    },
                    "description": {
                        "en": (
                            "Practical and emotional help from people and services when it is "
                            "needed."
                        ),
                        "da": (
                            "Praktisk og følelsesmæssig hjælp fra mennesker og tilbud, når der er "
                            "brug for det."
                        ),
                        "ja": "必要なときに、人やサービスから実際的・情緒的な助けを得られること。",
                    },
                    "children": [],
                },
                {
                    "code": "chime.c.community",
                    "kind": "subcategory",
                    "name": {
                        "en": "Being part of the community",
                        "da": "At være en del af lokalsamfundet",
                        "ja": "地域社会の一員であること",
                    },
                    "description": {
                        "en": (
                            "Taking part in local life, such as clubs, neighbourhoods or shared "
                            "activities, on equal terms."
                        ),
                        "da": (
                            "At deltage i det lokale liv, fx i foreninger, i nabolaget eller i "
                            "fælles aktiviteter, på lige fod med andre."
                        ),
                        "ja": (
                            "サークルや近所づきあい、共通の活動などを通じて、他の人と対等に地域の"
                            "暮らしに参加すること。"
                        ),
                    },
                    "children": [],
                },
            ],
        },
        {
            "code": "chime.h",
            "kind": "process",
            "name": {
                "en": "Hope and optimism",
                "da": "Håb og optimisme",
                "ja": "希望と楽観",
            },
            "description": {
                "en": (
                    "Believing that life can get better and that the future holds something worth "
                    "working towards."
                ),
                "da": (
                    "At tro på, at livet kan blive bedre, og at fremtiden rummer noget, der er "
                    "værd at arbejde hen imod."
                ),
                "ja": "人生はよくなりうると信じ、目指す価値のある未来があると思えること。",
            },
            "children": [
                {
                    "code": "chime.h.belief-possible",
                    "kind": "subcategory",
                    "name": {
                        "en": "Belief that recovery is possible",
                        "da": "Tro på, at recovery er mulig",
                        "ja": "リカバリーは可能だと信じること",
                    },
                    "description": {
                        "en": (
                            "Trusting that a good life is within reach, with or without ongoing "
                            "symptoms."
                        ),
                        "da": (
                            "Tillid til, at et godt liv er inden for rækkevidde, med eller uden "
                            "symptomer."
                        ),
                        "ja": (
                            "症状が続いていてもいなくても、よい人生は手の届くところにあると信じる"
                            "こと。"
                        ),
                    },
                    "children": [],
                },
                {
                    "code": "chime.h.motivation",
                    "kind": "subcategory",
                    "name": {
                        "en": "Motivation to change",
                        "da": "Motivation for forandring",
                        "ja": "変わろうとする意欲",
                    },
                    "description": {
                        "en": (
                            "The wish and energy to try something new or to do things differently."
                        ),
                        "da": (
                            "Lysten og energien til at prøve noget nyt eller gøre tingene på en "
                            "anden måde."
                        ),
                        "ja": (
                            "新しいことに挑戦したり、やり方を変えてみたりしようとする気持ちと力。"
                        ),
                    },
                    "children": [],
                },
                {
                    "code": "chime.h.hope-relationships",
                    "kind": "subcategory",
                    "name": {
                        "en": "Hope-inspiring relationships",
                        "da": "Relationer, der giver håb",
                        "ja": "希望を与えてくれる関係",
                    },
                    "description": {
                        "en": (
                            "People who believe in a person's future, especially at times when "
                            "the person struggles to."
                        ),
                        "da": (
                            "Mennesker, der tror på ens fremtid, især i perioder hvor man selv "
                            "har svært ved det."
                        ),
                        "ja": "本人が信じにくいときでも、その人の未来を信じてくれる人の存在。",
                    },
                    "children": [],
                },
                {
                    "code": "chime.h.valuing-success",
                    "kind": "subcategory",
                    "name": {
                        "en": "Positive thinking and valuing success",
                        "da": "Positiv tænkning og anerkendelse af fremskridt",
                        "ja": "前向きな考えと成功を認めること",
                    },
                    "description": {
                        "en": (
                            "Noticing what goes well and giving credit for progress, however small."
                        ),
                        "da": (
                            "At lægge mærke til det, der går godt, og anerkende fremskridt, "
                            "uanset hvor små de er."
                        ),
                        "ja": "うまくいっていることに目を向け、小さな前進でも認めること。",
                    },
                    "children": [],
                },
                {
                    "code": "chime.h.dreams",
                    "kind": "subcategory",
                    "name": {
                        "en": "Dreams and aspirations",
                        "da": "Drømme og ønsker",
                        "ja": "夢と抱負",
                    },
                    "description": {
                        "en": (
                            "Having wishes for the future, big or small, and daring to hold on to "
                            "them."
                        ),
                        "da": (
                            "At have ønsker for fremtiden, store som små, og turde holde fast i "
                            "dem."
                        ),
                        "ja": "大小を問わず将来への願いを持ち、それを大切にし続けること。",
                    },
                    "children": [],
                },
            ],
        },
        {
            "code": "chime.i",
            "kind": "process",
            "name": {
                "en": "Identity",
                "da": "Identitet",
                "ja": "アイデンティティ",
            },
            "description": {
                "en": "How a person sees themselves, beyond a diagnosis or the role of patient.",
                "da": "Hvordan man ser sig selv, ud over en diagnose eller rollen som patient.",
                "ja": "診断名や患者という役割を超えて、自分自身をどうとらえるか。",
            },
            "children": [
                {
                    "code": "chime.i.dimensions",
                    "kind": "subcategory",
                    "name": {
                        "en": "Dimensions of identity",
                        "da": "Identitetens mange sider",
                        "ja": "アイデンティティの多様な側面",
                    },
                    "description": {
                        "en": (
                            "The many sides of a person, such as culture, gender, work, faith and "
                            "interests."
                        ),
                        "da": (
                            "De mange sider af et menneske, fx kultur, køn, arbejde, tro og "
                            "interesser."
                        ),
                        "ja": "文化、性別、仕事、信仰、趣味など、人が持つさまざまな側面。",
                    },
                    "children": [],
                },
                {
                    "code": "chime.i.rebuilding",
                    "kind": "subcategory",
                    "name": {
                        "en": "Rebuilding a positive identity",
                        "da": "At genopbygge en positiv identitet",
                        "ja": "肯定的な自己像を築き直すこと",
                    },
                    "description": {
                        "en": (
                            "Finding or reshaping a sense of self that feels worthwhile, in which "
                            "the illness is only one part."
                        ),
                        "da": (
                            "At finde eller forme en selvopfattelse, der føles værdifuld, og hvor "
                            "sygdommen kun er én del."
                        ),
                        "ja": (
                            "病気は一部分にすぎないと感じられる、価値ある自分像を見つけたり作り直"
                            "したりすること。"
                        ),
                    },
                    "children": [],
                },
                {
                    "code": "chime.i.stigma",
                    "kind": "subcategory",
                    "name": {
                        "en": "Overcoming stigma",
                        "da": "At overvinde stigma",
                        "ja": "スティグマを乗り越えること",
                    },
                    "description": {
                        "en": (
                            "Pushing back against prejudice from others and against negative "
                            "beliefs a person may have taken on."
                        ),
                        "da": (
                            "At modstå andres fordomme og de negative forestillinger, man selv "
                            "kan have overtaget."
                        ),
                        "ja": (
                            "周囲の偏見や、自分の中に取り込んでしまった否定的な思い込みに立ち向か"
                            "うこと。"
                        ),
                    },
                    "children": [],
                },
            ],
        },
        {
            "code": "chime.m",
            "kind": "process",
            "name": {
                "en": "Meaning in life",
                "da": "Mening i livet",
                "ja": "人生の意味",
            },
            "description": {
                "en": "Having a sense of purpose and things that make life feel worth living.",
                "da": "At have en følelse af formål og noget, der gør livet værd at leve.",
                "ja": "目的意識を持ち、生きる価値があると感じられるものがあること。",
            },
            "children": [
                {
                    "code": "chime.m.illness-experience",
                    "kind": "subcategory",
                    "name": {
                        "en": "Meaning of the illness experience",
                        "da": "Mening med sygdomserfaringen",
                        "ja": "病の経験の意味",
                    },
                    "description": {
                        "en": (
                            "Making sense of what has happened and how it fits into a person's "
                            "life story."
                        ),
                        "da": (
                            "At forstå det, der er sket, og hvordan det passer ind i ens "
                            "livshistorie."
                        ),
                        "ja": "起きたことを理解し、それを自分の人生の物語の中に位置づけること。",
                    },
                    "children": [],
                },
                {
                    "code": "chime.m.spirituality",
                    "kind": "subcategory",
                    "name": {
                        "en": "Spirituality",
                        "da": "Spiritualitet",
                        "ja": "スピリチュアリティ",
                    },
                    "description": {
                        "en": (
                            "Faith, beliefs or a connection to something larger that brings "
                            "comfort or direction."
                        ),
                        "da": (
                            "Tro, livssyn eller en forbindelse til noget større, som giver trøst "
                            "eller retning."
                        ),
                        "ja": (
                            "慰めや方向性を与えてくれる、信仰や信念、より大きな存在とのつながり。"
                        ),
                    },
                    "children": [],
                },
                {
                    "code": "chime.m.quality-of-life",
                    "kind": "subcategory",
                    "name": {
                        "en": "Quality of life",
                        "da": "Livskvalitet",
                        "ja": "生活の質",
                    },
                    "description": {
                        "en": (
                            "Everyday wellbeing, including health, a decent home, enough money "
                            "and time for enjoyment."
                        ),
                        "da": (
                            "Trivsel i hverdagen, herunder helbred, en ordentlig bolig, penge nok "
                            "og tid til at nyde livet."
                        ),
                        "ja": (
                            "健康、安心できる住まい、十分な収入、楽しむ時間など、日々の暮らしの満"
                            "足感。"
                        ),
                    },
                    "children": [],
                },
                {
                    "code": "chime.m.social-roles",
                    "kind": "subcategory",
                    "name": {
                        "en": "Meaningful social roles",
                        "da": "Meningsfulde sociale roller",
                        "ja": "意味のある社会的役割",
                    },
                    "description": {
                        "en": (
                            "Roles such as parent, friend, colleague or volunteer that give a "
                            "place among others."
                        ),
                        "da": (
                            "Roller som forælder, ven, kollega eller frivillig, der giver en "
                            "plads blandt andre."
                        ),
                        "ja": "親、友人、同僚、ボランティアなど、人の中での居場所をもたらす役割。",
                    },
                    "children": [],
                },
                {
                    "code": "chime.m.social-goals",
                    "kind": "subcategory",
                    "name": {
                        "en": "Meaningful social goals",
                        "da": "Meningsfulde sociale mål",
                        "ja": "意味のある社会的目標",
                    },
                    "description": {
                        "en": (
                            "Aims that involve other people or society, such as work, study or "
                            "contributing to a cause."
                        ),
                        "da": (
                            "Mål, der involverer andre mennesker eller samfundet, fx arbejde, "
                            "uddannelse eller at bidrage til en sag."
                        ),
                        "ja": "仕事や学び、社会活動への貢献など、他者や社会と関わる目標。",
                    },
                    "children": [],
                },
                {
                    "code": "chime.m.rebuilding-life",
                    "kind": "subcategory",
                    "name": {
                        "en": "Rebuilding life",
                        "da": "At genopbygge livet",
                        "ja": "生活を立て直すこと",
                    },
                    "description": {
                        "en": (
                            "Putting everyday life back together step by step, in a way that fits "
                            "the person now."
                        ),
                        "da": (
                            "At samle hverdagen igen skridt for skridt, på en måde der passer til "
                            "den, man er nu."
                        ),
                        "ja": "今の自分に合ったかたちで、日々の生活を一歩ずつ組み立て直すこと。",
                    },
                    "children": [],
                },
            ],
        },
        {
            "code": "chime.e",
            "kind": "process",
            "name": {
                # Plain words, not the framework's term: the person reads these on her charts.
                "en": "Having a say",
                "da": "Indflydelse",
                "ja": "自分で決められること",
            },
            "description": {
                "en": "Gaining the power, confidence and say to shape one's own life.",
                "da": "At få kraft, selvtillid og indflydelse til at forme sit eget liv.",
                "ja": "自分の人生を形づくる力と自信、発言権を得ていくこと。",
            },
            "children": [
                {
                    "code": "chime.e.responsibility",
                    "kind": "subcategory",
                    "name": {
                        "en": "Personal responsibility",
                        "da": "Personligt ansvar",
                        "ja": "自分で責任を持つこと",
                    },
                    "description": {
                        "en": (
                            "Taking ownership of choices and of looking after one's own wellbeing."
                        ),
                        "da": "At tage ejerskab for sine valg og for at passe på sin egen trivsel.",
                        "ja": (
                            "自分の選択や、自分の心身の健康を守ることを、自分のこととして引き受け"
                            "ること。"
                        ),
                    },
                    "children": [],
                },
                {
                    "code": "chime.e.control",
                    "kind": "subcategory",
                    "name": {
                        "en": "Control over one's life",
                        "da": "Kontrol over eget liv",
                        "ja": "自分の人生をコントロールすること",
                    },
                    "description": {
                        "en": (
                            "Having a real say in decisions about treatment, daily life and the "
                            "future."
                        ),
                        "da": (
                            "At have reel indflydelse på beslutninger om behandling, hverdag og "
                            "fremtid."
                        ),
                        "ja": "治療や日常生活、将来についての決定に、実際に関われること。",
                    },
                    "children": [],
                },
                {
                    "code": "chime.e.strengths",
                    "kind": "subcategory",
                    "name": {
                        "en": "Focusing on strengths",
                        "da": "Fokus på styrker",
                        "ja": "強みに目を向けること",
                    },
                    "description": {
                        "en": (
                            "Building on abilities, skills and resources rather than on problems "
                            "and shortcomings."
                        ),
                        "da": (
                            "At bygge på evner, færdigheder og ressourcer frem for på problemer "
                            "og mangler."
                        ),
                        "ja": "問題や欠点よりも、能力や技能、持っている資源を生かしていくこと。",
                    },
                    "children": [],
                },
            ],
        },
    ],
    "practice": [
        {
            "code": "practice.citizenship",
            "kind": "domain",
            "name": {
                "en": "Promoting citizenship",
                "da": "At fremme medborgerskab",
                "ja": "シチズンシップの促進",
            },
            "description": {
                "en": (
                    "Supporting people to live as full members of society, with the same rights "
                    "and chances as anyone."
                ),
                "da": (
                    "At støtte mennesker i at leve som fuldgyldige medlemmer af samfundet med "
                    "samme rettigheder og muligheder som alle andre."
                ),
                "ja": "誰もが同じ権利と機会を持つ社会の一員として暮らせるよう支えること。",
            },
            "children": [
                {
                    "code": "practice.citizenship.beyond-label",
                    "kind": "theme",
                    "name": {
                        "en": "Seeing beyond the label",
                        "da": "At se mennesket bag brugerrollen",
                        "ja": "「利用者」という枠を超えて見ること",
                    },
                    "description": {
                        "en": (
                            "Seeing the whole person, with a history and a future, not only "
                            "someone who uses services."
                        ),
                        "da": (
                            "At se hele mennesket med en historie og en fremtid, ikke kun en, der "
                            "bruger et tilbud."
                        ),
                        "ja": (
                            "サービスを利用する人としてだけでなく、歴史と未来を持つ一人の人として"
                            "見ること。"
                        ),
                    },
                    "children": [],
                },
                {
                    "code": "practice.citizenship.rights",
                    "kind": "theme",
                    "name": {
                        "en": "Service user rights",
                        "da": "Brugerens rettigheder",
                        "ja": "利用者の権利",
                    },
                    "description": {
                        "en": (
                            "Respecting and protecting people's legal and human rights, and "
                            "helping them to use those rights."
                        ),
                        "da": (
                            "At respektere og beskytte menneskers juridiske rettigheder og "
                            "menneskerettigheder og hjælpe dem med at bruge dem."
                        ),
                        "ja": (
                            "法的な権利と人権を尊重して守り、本人がそれを行使できるよう手助けする"
                            "こと。"
                        ),
                    },
                    "children": [],
                },
                {
                    "code": "practice.citizenship.inclusion",
                    "kind": "theme",
                    "name": {
                        "en": "Social inclusion",
                        "da": "Social inklusion",
                        "ja": "社会的包摂",
                    },
                    "description": {
                        "en": (
                            "Helping people take part in community life and tackling the barriers "
                            "that keep them out."
                        ),
                        "da": (
                            "At hjælpe mennesker med at deltage i fællesskabet og tage fat på de "
                            "barrierer, der holder dem ude."
                        ),
                        "ja": (
                            "地域の暮らしへの参加を手助けし、人を締め出す壁を取り除いていくこと。"
                        ),
                    },
                    "children": [],
                },
                {
                    "code": "practice.citizenship.occupation",
                    "kind": "theme",
                    "name": {
                        "en": "Meaningful occupation",
                        "da": "Meningsfuld beskæftigelse",
                        "ja": "意味のある活動",
                    },
                    "description": {
                        "en": (
                            "Support for work, study, volunteering or other activities that "
                            "matter to the person."
                        ),
                        "da": (
                            "Støtte til arbejde, uddannelse, frivilligt arbejde eller andre "
                            "aktiviteter, der betyder noget for personen."
                        ),
                        "ja": "仕事、学び、ボランティアなど、本人にとって大切な活動への支援。",
                    },
                    "children": [],
                },
            ],
        },
        {
            "code": "practice.organisation",
            "kind": "domain",
            "name": {
                "en": "Organisational commitment",
                "da": "Organisatorisk forpligtelse",
                "ja": "組織としての取り組み",
            },
            "description": {
                "en": (
                    "A service that builds recovery into its culture, structures and everyday "
                    "ways of working."
                ),
                "da": (
                    "Et tilbud, der bygger recovery ind i sin kultur, sine strukturer og sin "
                    "daglige praksis."
                ),
                "ja": "リカバリーを組織の文化や仕組み、日々の働き方に組み込んでいること。",
            },
            "children": [
                {
                    "code": "practice.organisation.vision",
                    "kind": "theme",
                    "name": {
                        "en": "Recovery vision",
                        "da": "Recoveryvision",
                        "ja": "リカバリーのビジョン",
                    },
                    "description": {
                        "en": (
                            "A shared, clearly stated aim that the service exists to support "
                            "personal recovery."
                        ),
                        "da": (
                            "Et fælles og tydeligt formål om, at tilbuddet er til for at støtte "
                            "den personlige recovery."
                        ),
                        "ja": (
                            "パーソナル・リカバリーを支えることがサービスの目的だと、明確に共有さ"
                            "れていること。"
                        ),
                    },
                    "children": [],
                },
                {
                    "code": "practice.organisation.workplace-support",
                    "kind": "theme",
                    "name": {
                        "en": "Workplace support structures",
                        "da": "Støttestrukturer på arbejdspladsen",
                        "ja": "職場の支援体制",
                    },
                    "description": {
                        "en": (
                            "Supervision, training and time that help staff work in a "
                            "recovery-oriented way."
                        ),
                        "da": (
                            "Supervision, uddannelse og tid, der hjælper medarbejderne med at "
                            "arbejde recoveryorienteret."
                        ),
                        "ja": (
                            "スタッフがリカバリー志向で働けるよう支える、スーパービジョン、研修、"
                            "時間の確保。"
                        ),
                    },
                    "children": [],
                },
                {
                    "code": "practice.organisation.quality-improvement",
                    "kind": "theme",
                    "name": {
                        "en": "Quality improvement",
                        "da": "Kvalitetsudvikling",
                        "ja": "質の改善",
                    },
                    "description": {
                        "en": (
                            "Reviewing and improving the service by what matters to people in "
                            "recovery, including their feedback."
                        ),
                        "da": (
                            "At vurdere og forbedre tilbuddet ud fra det, der betyder noget for "
                            "mennesker i recovery, også deres feedback."
                        ),
                        "ja": (
                            "利用者の声を含め、リカバリーの途上にある人にとって大切なことを基準に"
                            "サービスを見直し、改善すること。"
                        ),
                    },
                    "children": [],
                },
                {
                    "code": "practice.organisation.care-pathway",
                    "kind": "theme",
                    "name": {
                        "en": "Care pathway",
                        "da": "Sammenhængende forløb",
                        "ja": "ケアの道筋",
                    },
                    "description": {
                        "en": (
                            "Easy access, smooth transitions and links to other services and "
                            "community resources."
                        ),
                        "da": (
                            "Let adgang, gode overgange og forbindelse til andre tilbud og "
                            "ressourcer i lokalsamfundet."
                        ),
                        "ja": (
                            "利用しやすい入口、途切れない移行、他のサービスや地域資源とのつながり。"
                        ),
                    },
                    "children": [],
                },
                {
                    "code": "practice.organisation.workforce-planning",
                    "kind": "theme",
                    "name": {
                        "en": "Workforce planning",
                        "da": "Planlægning af personale",
                        "ja": "人材の計画と育成",
                    },
                    "description": {
                        "en": (
                            "Recruiting and developing staff with the values and skills for "
                            "recovery work, including peer workers."
                        ),
                        "da": (
                            "At rekruttere og udvikle medarbejdere med værdier og kompetencer til "
                            "recoveryarbejde, også peermedarbejdere."
                        ),
                        "ja": (
                            "ピアスタッフを含め、リカバリー支援の価値観と技能を持つ人材を採用し、"
                            "育てること。"
                        ),
                    },
                    "children": [],
                },
            ],
        },
        {
            "code": "practice.personal",
            "kind": "domain",
            "name": {
                "en": "Supporting personally defined recovery",
                "da": "Støtte til personligt defineret recovery",
                "ja": "本人が定めるリカバリーの支援",
            },
            "description": {
                "en": "Helping each person pursue recovery as they themselves understand it.",
                "da": (
                    "At hjælpe hver enkelt med at gå efter recovery, sådan som personen selv "
                    "forstår den."
                ),
                "ja": "一人ひとりが自分なりに考えるリカバリーを目指せるよう支えること。",
            },
            "children": [
                {
                    "code": "practice.personal.individuality",
                    "kind": "theme",
                    "name": {
                        "en": "Individuality",
                        "da": "Individualitet",
                        "ja": "個別性",
                    },
                    "description": {
                        "en": (
                            "Recognising that each recovery journey is unique and shaping support "
                            "around the person."
                        ),
                        "da": (
                            "At anerkende, at hvert recoveryforløb er unikt, og tilrettelægge "
                            "støtten efter personen."
                        ),
                        "ja": (
                            "リカバリーの歩みは人それぞれだと認め、その人に合わせて支援を形づくる"
                            "こと。"
                        ),
                    },
                    "children": [],
                },
                {
                    "code": "practice.personal.informed-choice",
                    "kind": "theme",
                    "name": {
                        "en": "Informed choice",
                        "da": "Informerede valg",
                        "ja": "情報に基づく選択",
                    },
                    "description": {
                        "en": (
                            "Giving clear, honest information about options so the person can "
                            "decide for themselves."
                        ),
                        "da": (
                            "At give klar og ærlig information om mulighederne, så personen selv "
                            "kan beslutte."
                        ),
                        "ja": (
                            "選択肢についてわかりやすく正直な情報を伝え、本人が自分で決められるよ"
                            "うにすること。"
                        ),
                    },
                    "children": [],
                },
                {
                    "code": "practice.personal.peer-support",
                    "kind": "theme",
                    "name": {
                        "en": "Peer support",
                        "da": "Peerstøtte",
                        "ja": "ピアサポート",
                    },
                    "description": {
                        "en": (
                            "Offering contact with people who use their own experience of mental "
                            "ill-health and recovery."
                        ),
                        "da": (
                            "At tilbyde kontakt med mennesker, der bruger deres egen erfaring med "
                            "psykisk sygdom og recovery."
                        ),
                        "ja": (
                            "精神的な不調とリカバリーの経験を生かす人と出会える機会を提供すること。"
                        ),
                    },
                    "children": [],
                },
                {
                    "code": "practice.personal.strengths",
                    "kind": "theme",
                    "name": {
                        "en": "Strengths focus",
                        "da": "Fokus på styrker",
                        "ja": "ストレングスへの着目",
                    },
                    "description": {
                        "en": (
                            "Starting from what the person can do, enjoys and values, not only "
                            "from their difficulties."
                        ),
                        "da": (
                            "At tage udgangspunkt i det, personen kan, holder af og værdsætter, "
                            "ikke kun i vanskelighederne."
                        ),
                        "ja": (
                            "困難だけでなく、本人ができること、好きなこと、大切にしていることから"
                            "出発すること。"
                        ),
                    },
                    "children": [],
                },
                {
                    "code": "practice.personal.holistic",
                    "kind": "theme",
                    "name": {
                        "en": "Holistic approach",
                        "da": "Helhedsorienteret tilgang",
                        "ja": "全人的なアプローチ",
                    },
                    "description": {
                        "en": (
                            "Attending to the whole of life, including body, mind, relationships, "
                            "home, work and money."
                        ),
                        "da": (
                            "At have blik for hele livet, herunder krop, sind, relationer, bolig, "
                            "arbejde og økonomi."
                        ),
                        "ja": (
                            "心身、人間関係、住まい、仕事、お金など、暮らし全体に目を向けること。"
                        ),
                    },
                    "children": [],
                },
            ],
        },
        {
            "code": "practice.relationship",
            "kind": "domain",
            "name": {
                "en": "Working relationship",
                "da": "Samarbejdsrelationen",
                "ja": "支援関係",
            },
            "description": {
                "en": (
                    "The quality of the relationship between a person and the staff who support "
                    "them."
                ),
                "da": (
                    "Kvaliteten af relationen mellem personen og de medarbejdere, der støtter "
                    "vedkommende."
                ),
                "ja": "本人と、その人を支えるスタッフとの関係の質。",
            },
            "children": [
                {
                    "code": "practice.relationship.partnership",
                    "kind": "theme",
                    "name": {
                        "en": "Partnership",
                        "da": "Partnerskab",
                        "ja": "パートナーシップ",
                    },
                    "description": {
                        "en": (
                            "Working together as equals, sharing knowledge and power, and valuing "
                            "the person's own expertise."
                        ),
                        "da": (
                            "At arbejde sammen som ligeværdige, dele viden og magt og værdsætte "
                            "personens egen ekspertise."
                        ),
                        "ja": (
                            "本人の経験に基づく知恵を尊重し、知識と力を分かち合いながら対等に協働"
                            "すること。"
                        ),
                    },
                    "children": [],
                },
                {
                    "code": "practice.relationship.hope",
                    "kind": "theme",
                    "name": {
                        "en": "Inspiring hope",
                        "da": "At inspirere til håb",
                        "ja": "希望を育むこと",
                    },
                    "description": {
                        "en": (
                            "Staff showing that they believe in the person's potential and in a "
                            "better future."
                        ),
                        "da": (
                            "At medarbejderne viser, at de tror på personens muligheder og på en "
                            "bedre fremtid."
                        ),
                        "ja": "スタッフが本人の可能性とよりよい未来を信じていると示すこと。",
                    },
                    "children": [],
                },
            ],
        },
    ],
    "recovery": [
        {
            "code": "recovery.safety",
            "kind": "step",
            "name": {
                "en": "Sense of safety",
                "da": "Følelse af tryghed",
                "ja": "安心感",
            },
            "description": {
                "en": (
                    "Feeling safe enough, in body, mind and circumstances, for recovery to begin."
                ),
                "da": (
                    "At føle sig tryg nok, i krop, sind og livsomstændigheder, til at recovery "
                    "kan begynde."
                ),
                "ja": "リカバリーを始められるだけの安心を、心身と生活の両面で感じられること。",
            },
            "children": [
                {
                    "code": "recovery.safety.psychological-safety",
                    "kind": "element",
                    "name": {
                        "en": "Psychological safety",
                        "da": "Psykologisk tryghed",
                        "ja": "心理的安全性",
                    },
                    "description": {
                        "en": (
                            "Being able to speak openly, show feelings and make mistakes without "
                            "fear of punishment or ridicule."
                        ),
                        "da": (
                            "At kunne tale åbent, vise følelser og begå fejl uden frygt for straf "
                            "eller latterliggørelse."
                        ),
                        "ja": "罰や嘲笑を恐れずに、率直に話し、気持ちを表し、失敗できること。",
                    },
                    "children": [],
                },
                {
                    "code": "recovery.safety.human-rights",
                    "kind": "element",
                    "name": {
                        "en": "Human rights respected",
                        "da": "Respekt for menneskerettigheder",
                        "ja": "人権の尊重",
                    },
                    "description": {
                        "en": (
                            "Being treated with dignity, with freedom and rights protected, also "
                            "in crisis and during treatment."
                        ),
                        "da": (
                            "At blive behandlet med værdighed og få sin frihed og sine "
                            "rettigheder beskyttet, også i krise og under behandling."
                        ),
                        "ja": (
                            "危機のときや治療中も含め、尊厳をもって扱われ、自由と権利が守られるこ"
                            "と。"
                        ),
                    },
                    "children": [],
                },
                {
                    "code": "recovery.safety.no-compassion",
                    "kind": "barrier",
                    "name": {
                        "en": "Lack of compassion",
                        "da": "Manglende medfølelse",
                        "ja": "思いやりの欠如",
                    },
                    "description": {
                        "en": (
                            "Meeting coldness, blame or indifference instead of care when "
                            "distress is shared."
                        ),
                        "da": (
                            "At møde kulde, bebrejdelser eller ligegyldighed i stedet for omsorg, "
                            "når man fortæller om sin nød."
                        ),
                        "ja": (
                            "苦しさを打ち明けたときに、気遣いではなく冷たさや非難、無関心に出会う"
                            "こと。"
                        ),
                    },
                    "children": [],
                },
                {
                    "code": "recovery.safety.life-security",
                    "kind": "barrier",
                    "name": {
                        "en": "Threatened life security",
                        "da": "Truet livsgrundlag",
                        "ja": "生活基盤の不安",
                    },
                    "description": {
                        "en": (
                            "Worries about money or housing, or having only family to fall back "
                            "on, make it hard to feel safe."
                        ),
                        "da": (
                            "Bekymringer om penge eller bolig, eller at familien er det eneste "
                            "sikkerhedsnet, gør det svært at føle sig tryg."
                        ),
                        "ja": (
                            "お金や住まいの心配、頼れるのが家族だけという状況が、安心を感じにくく"
                            "すること。"
                        ),
                    },
                    "children": [],
                },
            ],
        },
        {
            "code": "recovery.control",
            "kind": "step",
            "name": {
                "en": "Locus of control within oneself",
                "da": "Kontrollen hos en selv",
                "ja": "主導権が自分の中にあること",
            },
            "description": {
                "en": (
                    "Feeling that decisions about one's life and care rest with oneself rather "
                    "than with others."
                ),
                "da": (
                    "At opleve, at beslutninger om ens liv og behandling ligger hos en selv og "
                    "ikke hos andre."
                ),
                "ja": (
                    "自分の人生やケアについての決定を、他人ではなく自分自身が握っていると感じられ"
                    "ること。"
                ),
            },
            "children": [
                {
                    "code": "recovery.control.choice-available",
                    "kind": "element",
                    "name": {
                        "en": "Choice is available",
                        "da": "Der er valgmuligheder",
                        "ja": "選択肢があること",
                    },
                    "description": {
                        "en": (
                            "Real alternatives exist in treatment, support and daily life, so "
                            "there is something to choose between."
                        ),
                        "da": (
                            "Der findes reelle alternativer i behandling, støtte og hverdag, så "
                            "der er noget at vælge imellem."
                        ),
                        "ja": "治療や支援、日常生活に実際の選択肢があり、選べる余地があること。",
                    },
                    "children": [],
                },
                {
                    "code": "recovery.control.shared-decisions",
                    "kind": "element",
                    "name": {
                        "en": "Shared decision-making",
                        "da": "Fælles beslutningstagning",
                        "ja": "共同意思決定",
                    },
                    "description": {
                        "en": (
                            "The person and professionals weigh options together and reach "
                            "decisions that respect the person's wishes."
                        ),
                        "da": (
                            "Personen og fagpersonerne afvejer mulighederne sammen og træffer "
                            "beslutninger, der respekterer personens ønsker."
                        ),
                        "ja": (
                            "本人と専門職が一緒に選択肢を検討し、本人の希望を尊重した決定に至るこ"
                            "と。"
                        ),
                    },
                    "children": [],
                },
                {
                    "code": "recovery.control.self-efficacy",
                    "kind": "element",
                    "name": {
                        "en": "Self-efficacy",
                        "da": "Mestringstro",
                        "ja": "自己効力感",
                    },
                    "description": {
                        "en": (
                            "Confidence in one's own ability to handle situations and reach goals."
                        ),
                        "da": "Tillid til egen evne til at klare situationer og nå sine mål.",
                        "ja": "状況に対処し目標を達成できるという、自分の力への自信。",
                    },
                    "children": [],
                },
                {
                    "code": "recovery.control.no-choice",
                    "kind": "barrier",
                    "name": {
                        "en": "Choice unavailable",
                        "da": "Ingen reelle valg",
                        "ja": "選択肢がないこと",
                    },
                    "description": {
                        "en": (
                            "Only one option is offered, or the options offered do not fit the "
                            "person's life."
                        ),
                        "da": (
                            "Der tilbydes kun én mulighed, eller mulighederne passer ikke til "
                            "personens liv."
                        ),
                        "ja": (
                            "一つの選択肢しか示されない、または示された選択肢が本人の生活に合わな"
                            "いこと。"
                        ),
                    },
                    "children": [],
                },
                {
                    "code": "recovery.control.authority-slope",
                    "kind": "barrier",
                    "name": {
                        "en": "Authority slope",
                        "da": "Magtskævhed",
                        "ja": "権威の勾配",
                    },
                    "description": {
                        "en": (
                            "A steep power gap between professionals and service users that makes "
                            "it hard to disagree or speak up."
                        ),
                        "da": (
                            "En stor magtforskel mellem fagpersoner og brugere, som gør det svært "
                            "at sige fra eller sige sin mening."
                        ),
                        "ja": (
                            "専門職と利用者の間の大きな力の差により、異議を唱えたり意見を言ったり"
                            "しにくいこと。"
                        ),
                    },
                    "children": [],
                },
                {
                    "code": "recovery.control.disempowerment",
                    "kind": "barrier",
                    "name": {
                        "en": "Disempowerment by symptoms and medication",
                        "da": "Afmagt på grund af symptomer og medicin",
                        "ja": "症状や薬による無力化",
                    },
                    "description": {
                        "en": (
                            "Symptoms or side-effects of medication that drain energy and the "
                            "ability to act for oneself."
                        ),
                        "da": (
                            "Symptomer eller bivirkninger af medicin, der dræner energien og "
                            "evnen til at handle selv."
                        ),
                        "ja": "症状や薬の副作用によって、気力や自分で行動する力が奪われること。",
                    },
                    "children": [],
                },
            ],
        },
        {
            "code": "recovery.reunion",
            "kind": "step",
            "name": {
                "en": "Reunion with self",
                "da": "Genforening med sig selv",
                "ja": "自分自身との再会",
            },
            "description": {
                "en": "Reconnecting with who one is and finding a valued place among other people.",
                "da": (
                    "At finde tilbage til den, man er, og finde en værdsat plads blandt andre "
                    "mennesker."
                ),
                "ja": "本来の自分とつながり直し、人々の中で大切にされる居場所を見つけること。",
            },
            "children": [
                {
                    "code": "recovery.reunion.part-of-society",
                    "kind": "element",
                    "name": {
                        "en": "Being part of society",
                        "da": "At være en del af samfundet",
                        "ja": "社会の一員であること",
                    },
                    "description": {
                        "en": (
                            "Taking part in society through work, relationships and everyday "
                            "activities, like anyone else."
                        ),
                        "da": (
                            "At deltage i samfundet gennem arbejde, relationer og "
                            "hverdagsaktiviteter ligesom alle andre."
                        ),
                        "ja": (
                            "仕事や人間関係、日々の活動を通じて、他の人と同じように社会に参加する"
                            "こと。"
                        ),
                    },
                    "children": [],
                },
                {
                    "code": "recovery.reunion.shared-humanity",
                    "kind": "element",
                    "name": {
                        "en": "Shared humanity",
                        "da": "Fælles menneskelighed",
                        "ja": "共通の人間性",
                    },
                    "description": {
                        "en": (
                            "Recognising that people with and without mental illness share the "
                            "same hopes, struggles and worth."
                        ),
                        "da": (
                            "At anerkende, at mennesker med og uden psykisk sygdom har de samme "
                            "håb, kampe og værdi."
                        ),
                        "ja": (
                            "精神疾患のある人もない人も、同じ希望や苦労、価値を持つ人間だと認め合"
                            "うこと。"
                        ),
                    },
                    "children": [],
                },
                {
                    "code": "recovery.reunion.less-value",
                    "kind": "barrier",
                    "name": {
                        "en": "Life with mental illness undervalued",
                        "da": "Et liv med psykisk sygdom undervurderes",
                        "ja": "精神疾患とともに生きる人生の軽視",
                    },
                    "description": {
                        "en": (
                            "The idea, in society or in the person, that a life with mental "
                            "illness is worth less."
                        ),
                        "da": (
                            "Forestillingen om, at et liv med psykisk sygdom er mindre værd, hos "
                            "samfundet eller hos personen selv."
                        ),
                        "ja": (
                            "精神疾患とともに生きる人生は価値が低いという考えが、社会や本人の中に"
                            "あること。"
                        ),
                    },
                    "children": [],
                },
                {
                    "code": "recovery.reunion.no-peers",
                    "kind": "barrier",
                    "name": {
                        "en": "No peers available",
                        "da": "Ingen ligesindede at spejle sig i",
                        "ja": "ピアがいないこと",
                    },
                    "description": {
                        "en": (
                            "No contact with others who have similar experiences and can show "
                            "that recovery happens."
                        ),
                        "da": (
                            "Ingen kontakt med andre, der har lignende erfaringer og kan vise, at "
                            "recovery er mulig."
                        ),
                        "ja": (
                            "似た経験を持ち、リカバリーが実際に起こると示してくれる仲間と出会えな"
                            "いこと。"
                        ),
                    },
                    "children": [],
                },
                {
                    "code": "recovery.reunion.exclusion",
                    "kind": "barrier",
                    "name": {
                        "en": "Social exclusion",
                        "da": "Social eksklusion",
                        "ja": "社会的排除",
                    },
                    "description": {
                        "en": (
                            "Being shut out of work, housing, relationships or community life "
                            "because of mental illness."
                        ),
                        "da": (
                            "At blive holdt ude fra arbejde, bolig, relationer eller fællesskaber "
                            "på grund af psykisk sygdom."
                        ),
                        "ja": (
                            "精神疾患を理由に、仕事や住まい、人間関係、地域の暮らしから締め出され"
                            "ること。"
                        ),
                    },
                    "children": [],
                },
            ],
        },
        {
            "code": "recovery.roots.system",
            "kind": "root_area",
            "name": {
                "en": "Roots in mental health systems",
                "da": "Årsager i det psykiatriske system",
                "ja": "精神保健医療の仕組みにある根本要因",
            },
            "description": {
                "en": (
                    "Underlying causes of the barriers that lie in how mental health services are "
                    "organised and run."
                ),
                "da": (
                    "Bagvedliggende årsager til barriererne, som ligger i måden, psykiatrien er "
                    "organiseret og drevet på."
                ),
                "ja": (
                    "障壁の背景にある要因のうち、精神保健医療サービスの組織や運営のあり方に由来す"
                    "るもの。"
                ),
            },
            "children": [
                {
                    "code": "recovery.roots.system.no-trauma-sensitivity",
                    "kind": "root",
                    "name": {
                        "en": "No trauma sensitivity",
                        "da": "Manglende traumebevidsthed",
                        "ja": "トラウマへの配慮の欠如",
                    },
                    "description": {
                        "en": (
                            "Services overlook trauma, so coercive measures can reopen old wounds "
                            "and cause new harm."
                        ),
                        "da": (
                            "Tilbuddene overser traumer, så tvang kan rive gamle sår op og skabe "
                            "ny skade."
                        ),
                        "ja": (
                            "トラウマが見過ごされ、強制的な対応が古い傷を再び開き、新たな害を生む"
                            "こと。"
                        ),
                    },
                    "children": [],
                },
                {
                    "code": "recovery.roots.system.no-crisis-advocacy",
                    "kind": "root",
                    "name": {
                        "en": "No advocacy in crisis",
                        "da": "Ingen bisidder i krise",
                        "ja": "危機時のアドボカシーの欠如",
                    },
                    "description": {
                        "en": (
                            "In a crisis, nobody independent is there to help the person be heard "
                            "and stand up for their wishes."
                        ),
                        "da": (
                            "I en krise er der ingen uafhængig person, der kan hjælpe en med at "
                            "blive hørt og stå fast på sine ønsker."
                        ),
                        "ja": (
                            "危機のときに、本人の声を届け、希望を守る手助けをする独立した支援者が"
                            "いないこと。"
                        ),
                    },
                    "children": [],
                },
                {
                    "code": "recovery.roots.system.hospital-confined",
                    "kind": "root",
                    "name": {
                        "en": "Care confined to hospital",
                        "da": "Behandling bundet til hospitalet",
                        "ja": "病院中心のケア",
                    },
                    "description": {
                        "en": (
                            "Little access to psychosocial help, so care happens mainly in "
                            "hospital rather than in everyday life."
                        ),
                        "da": (
                            "Ringe adgang til psykosocial støtte, så behandlingen mest foregår på "
                            "hospitalet frem for i hverdagslivet."
                        ),
                        "ja": (
                            "心理社会的な支援を受けにくく、ケアが日常生活の場ではなく主に病院の中"
                            "で行われること。"
                        ),
                    },
                    "children": [],
                },
            ],
        },
        {
            "code": "recovery.roots.social",
            "kind": "root_area",
            "name": {
                "en": "Roots in the social-cultural context",
                "da": "Årsager i den sociale og kulturelle kontekst",
                "ja": "社会・文化的背景にある根本要因",
            },
            "description": {
                "en": (
                    "Underlying causes of the barriers that lie in shared norms, attitudes and "
                    "social ties around the person."
                ),
                "da": (
                    "Bagvedliggende årsager til barriererne, som ligger i fælles normer, "
                    "holdninger og sociale bånd omkring personen."
                ),
                "ja": (
                    "障壁の背景にある要因のうち、本人を取り巻く社会の規範や態度、人間関係に由来す"
                    "るもの。"
                ),
            },
            "children": [
                {
                    "code": "recovery.roots.social.rules-over-values",
                    "kind": "root",
                    "name": {
                        "en": "Rules over personal values",
                        "da": "Regler frem for personlige værdier",
                        "ja": "個人の価値観より規則が優先されること",
                    },
                    "description": {
                        "en": "Routines and rules are put before what matters to the individual.",
                        "da": (
                            "Rutiner og regler sættes over det, der betyder noget for den enkelte."
                        ),
                        "ja": "日課や規則が、その人にとって大切なことよりも優先されること。",
                    },
                    "children": [],
                },
                {
                    "code": "recovery.roots.social.shame-productivity",
                    "kind": "root",
                    "name": {
                        "en": "Shame and pressure to be productive",
                        "da": "Skam og krav om at være produktiv",
                        "ja": "恥の意識と生産性への圧力",
                    },
                    "description": {
                        "en": (
                            "Behaviour is steered by shame and by the expectation to be useful "
                            "and productive."
                        ),
                        "da": (
                            "Adfærd styres af skam og af forventningen om at være nyttig og "
                            "produktiv."
                        ),
                        "ja": (
                            "恥の感覚や、役に立ち生産的であるべきという期待によって、行動が縛られ"
                            "ること。"
                        ),
                    },
                    "children": [],
                },
                {
                    "code": "recovery.roots.social.thin-networks",
                    "kind": "root",
                    "name": {
                        "en": "Thin social networks",
                        "da": "Små sociale netværk",
                        "ja": "社会的ネットワークの乏しさ",
                    },
                    "description": {
                        "en": (
                            "Few people to turn to outside the family, so support depends heavily "
                            "on relatives."
                        ),
                        "da": (
                            "Få at gå til uden for familien, så støtten i høj grad afhænger af de "
                            "pårørende."
                        ),
                        "ja": "家族以外に頼れる人が少なく、支えが家族に大きく依存していること。",
                    },
                    "children": [],
                },
            ],
        },
        {
            "code": "recovery.solutions.organisational",
            "kind": "solution_area",
            "name": {
                "en": "Organisational change",
                "da": "Organisatorisk forandring",
                "ja": "組織の変革",
            },
            "description": {
                "en": (
                    "Changes that services can make in how they are structured and how they work."
                ),
                "da": "Forandringer, som tilbuddene kan lave i deres opbygning og arbejdsmåde.",
                "ja": "サービスが自らの仕組みや働き方について行える変化。",
            },
            "children": [
                {
                    "code": "recovery.solutions.organisational.trauma-informed",
                    "kind": "solution",
                    "name": {
                        "en": "Trauma-informed care",
                        "da": "Traumeinformeret praksis",
                        "ja": "トラウマインフォームドケア",
                    },
                    "description": {
                        "en": (
                            "Care that recognises the impact of trauma, avoids re-traumatising "
                            "and keeps coercion to a minimum."
                        ),
                        "da": (
                            "Behandling og støtte, der anerkender traumers betydning, undgår at "
                            "retraumatisere og holder tvang på et minimum."
                        ),
                        "ja": (
                            "トラウマの影響を理解し、再トラウマ化を避け、強制を最小限にとどめるケ"
                            "ア。"
                        ),
                    },
                    "children": [],
                },
                {
                    "code": "recovery.solutions.organisational.crisis-advocacy-peers",
                    "kind": "solution",
                    "name": {
                        "en": "Advocacy and peer support in crisis",
                        "da": "Bisidder og peerstøtte i krise",
                        "ja": "危機時のアドボカシーとピアサポート",
                    },
                    "description": {
                        "en": (
                            "Independent advocates and peer workers who are available in a crisis "
                            "to stand by the person."
                        ),
                        "da": (
                            "Uafhængige bisiddere og peermedarbejdere, der er til rådighed i en "
                            "krise og står ved personens side."
                        ),
                        "ja": (
                            "危機のときに本人に寄り添う、独立したアドボケイトやピアスタッフがいる"
                            "こと。"
                        ),
                    },
                    "children": [],
                },
                {
                    "code": "recovery.solutions.organisational.community-networks",
                    "kind": "solution",
                    "name": {
                        "en": "Community- and network-based care",
                        "da": "Støtte i lokalsamfund og netværk",
                        "ja": "地域とネットワークを基盤としたケア",
                    },
                    "description": {
                        "en": (
                            "Support given close to home and built around the person's own "
                            "network, not centred on hospital."
                        ),
                        "da": (
                            "Støtte tæt på hjemmet, bygget op omkring personens eget netværk og "
                            "ikke centreret om hospitalet."
                        ),
                        "ja": (
                            "病院中心ではなく、身近な地域で本人のネットワークを生かして行われる支"
                            "援。"
                        ),
                    },
                    "children": [],
                },
            ],
        },
        {
            "code": "recovery.solutions.social",
            "kind": "solution_area",
            "name": {
                "en": "Social and cultural change",
                "da": "Social og kulturel forandring",
                "ja": "社会・文化の変革",
            },
            "description": {
                "en": "Shifts in attitudes and norms in society that make room for recovery.",
                "da": "Ændringer i holdninger og normer i samfundet, som giver plads til recovery.",
                "ja": "リカバリーの余地を生み出す、社会の態度や規範の変化。",
            },
            "children": [
                {
                    "code": "recovery.solutions.social.personal-goals-first",
                    "kind": "solution",
                    "name": {
                        "en": "Personal goals valued most",
                        "da": "Personlige mål vægtes højest",
                        "ja": "本人の目標を最も重んじること",
                    },
                    "description": {
                        "en": (
                            "What the person wants for their own life is given the highest "
                            "priority."
                        ),
                        "da": "Det, personen ønsker for sit eget liv, får den højeste prioritet.",
                        "ja": "本人が自分の人生に望むことを、何よりも優先すること。",
                    },
                    "children": [],
                },
                {
                    "code": "recovery.solutions.social.inclusive-design",
                    "kind": "solution",
                    "name": {
                        "en": "Inclusive design against stigma",
                        "da": "Inkluderende design mod stigma",
                        "ja": "スティグマを乗り越えるインクルーシブデザイン",
                    },
                    "description": {
                        "en": (
                            "Services, places and information designed so that everyone can use "
                            "them without being singled out."
                        ),
                        "da": (
                            "Tilbud, steder og information udformet, så alle kan bruge dem uden "
                            "at blive udpeget."
                        ),
                        "ja": (
                            "誰もが特別扱いされずに利用できるよう設計された、サービス、場所、情報。"
                        ),
                    },
                    "children": [],
                },
                {
                    "code": "recovery.solutions.social.open-communities",
                    "kind": "solution",
                    "name": {
                        "en": "Open, accepting communities",
                        "da": "Åbne og rummelige fællesskaber",
                        "ja": "開かれた受容的な地域社会",
                    },
                    "description": {
                        "en": (
                            "Neighbourhoods, workplaces and groups that welcome people with "
                            "mental illness as they are."
                        ),
                        "da": (
                            "Nabolag, arbejdspladser og grupper, der tager imod mennesker med "
                            "psykisk sygdom, som de er."
                        ),
                        "ja": "精神疾患のある人をありのままに受け入れる近所、職場、グループ。",
                    },
                    "children": [],
                },
            ],
        },
    ],
}
