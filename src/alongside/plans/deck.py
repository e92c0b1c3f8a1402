"""The default "What matters to me" card deck, written by the Alongside team.

Organisations can add, hide or reorder cards (DeckCard rows); these are the defaults every
organisation starts with. Codes are stable; each icon names a <symbol> in
plans/static/alongside/cards.svg.
"""

from __future__ import annotations

from typing import TypedDict


class CardText(TypedDict):
    en: str
    da: str
    ja: str


class DefaultCard(TypedDict):
    code: str
    icon: str
    label: CardText
    prompt: CardText


def _card(code: str, label: CardText, prompt: CardText) -> DefaultCard:
    return {"code": code, "icon": code, "label": label, "prompt": prompt}


DEFAULT_DECK: list[DefaultCard] = [
    _card(
        "family",
        {"en": "Family", "da": "Familie", "ja": "家族"},
        {
            "en": "Who in your family would you like more contact with?",
            "da": "Hvem i din familie vil du gerne have mere kontakt med?",
            "ja": "家族の中で、もっと連絡を取りたい人はいますか？",
        },
    ),
    _card(
        "friends",
        {"en": "Friends", "da": "Venner", "ja": "友人"},
        {
            "en": "Who do you enjoy spending time with?",
            "da": "Hvem kan du lide at være sammen med?",
            "ja": "一緒に過ごして楽しい人は誰ですか？",
        },
    ),
    _card(
        "home",
        {"en": "A home", "da": "Et hjem", "ja": "住まい"},
        {
            "en": "Where would you like to live, and with whom?",
            "da": "Hvor vil du gerne bo, og sammen med hvem?",
            "ja": "どこで、誰と暮らしたいですか？",
        },
    ),
    _card(
        "work",
        {"en": "Work", "da": "Arbejde", "ja": "仕事"},
        {
            "en": "What kind of work or daily task would feel good to you?",
            "da": "Hvilket arbejde eller hvilke daglige opgaver ville føles godt for dig?",
            "ja": "どんな仕事や日々の役割があると、いいと感じますか？",
        },
    ),
    _card(
        "learning",
        {"en": "Learning", "da": "At lære", "ja": "学び"},
        {
            "en": "Is there something you would like to learn or finish?",
            "da": "Er der noget, du gerne vil lære eller gøre færdigt?",
            "ja": "学びたいこと、やり遂げたいことはありますか？",
        },
    ),
    _card(
        "health",
        {"en": "Health", "da": "Helbred", "ja": "健康"},
        {
            "en": "What would help your body and mind feel better?",
            "da": "Hvad ville hjælpe din krop og dit sind til at have det bedre?",
            "ja": "心と体が楽になるために、何が助けになりそうですか？",
        },
    ),
    _card(
        "self-care",
        {"en": "Looking after myself", "da": "At passe på mig selv", "ja": "自分をいたわる"},
        {
            "en": "What do you do on a good day to take care of yourself?",
            "da": "Hvad gør du på en god dag for at passe på dig selv?",
            "ja": "調子のいい日には、自分のためにどんなことをしていますか？",
        },
    ),
    _card(
        "free-time",
        {"en": "Free time", "da": "Fritid", "ja": "余暇"},
        {
            "en": "What do you like doing when you have time for yourself?",
            "da": "Hvad kan du lide at lave, når du har tid for dig selv?",
            "ja": "自分の時間があるとき、何をするのが好きですか？",
        },
    ),
    _card(
        "belief",
        {"en": "Belief", "da": "Tro", "ja": "信仰・信念"},
        {
            "en": "Is there a faith or a belief that gives you strength?",
            "da": "Er der en tro eller en overbevisning, der giver dig styrke?",
            "ja": "力をくれる信仰や信念はありますか？",
        },
    ),
    _card(
        "money",
        {"en": "Money", "da": "Penge", "ja": "お金"},
        {
            "en": "What would make money feel less of a worry?",
            "da": "Hvad ville gøre, at penge fylder mindre som en bekymring?",
            "ja": "お金の心配を減らすには、何があるといいですか？",
        },
    ),
    _card(
        "substances",
        {"en": "Alcohol and drugs", "da": "Alkohol og stoffer", "ja": "お酒や薬物"},
        {
            "en": "What part do alcohol or drugs play in your life right now?",
            "da": "Hvilken rolle spiller alkohol eller stoffer i dit liv lige nu?",
            "ja": "今の生活の中で、お酒や薬物はどんな存在ですか？",
        },
    ),
    _card(
        "safety",
        {"en": "Feeling safe", "da": "At føle sig tryg", "ja": "安心・安全"},
        {
            "en": "Where and with whom do you feel safe?",
            "da": "Hvor og sammen med hvem føler du dig tryg?",
            "ja": "どこで、誰といると安心できますか？",
        },
    ),
    _card(
        "nature",
        {"en": "Nature", "da": "Natur", "ja": "自然"},
        {
            "en": "Is there a place outdoors that does you good?",
            "da": "Er der et sted udendørs, som gør dig godt?",
            "ja": "外で、気持ちが落ち着く場所はありますか？",
        },
    ),
    _card(
        "creativity",
        {"en": "Being creative", "da": "At skabe", "ja": "創作"},
        {
            "en": "Do you draw, write, play, build or make things?",
            "da": "Tegner, skriver, spiller, bygger eller laver du ting?",
            "ja": "絵を描く、書く、演奏する、何かを作ることはありますか？",
        },
    ),
    _card(
        "pets",
        {"en": "Animals", "da": "Dyr", "ja": "動物"},
        {
            "en": "Is there an animal in your life, or one you would like?",
            "da": "Er der et dyr i dit liv, eller et du gerne ville have?",
            "ja": "身近にいる動物、または一緒にいたい動物はいますか？",
        },
    ),
    _card(
        "love",
        {"en": "Love", "da": "Kærlighed", "ja": "愛情"},
        {
            "en": "What does closeness or love mean to you now?",
            "da": "Hvad betyder nærhed eller kærlighed for dig nu?",
            "ja": "今のあなたにとって、親しさや愛情とは何ですか？",
        },
    ),
    _card(
        "community",
        {"en": "Being part of things", "da": "At være en del af noget", "ja": "つながり・居場所"},
        {
            "en": "Where would you like to belong: a club, a group, your street?",
            "da": "Hvor vil du gerne høre til: en klub, en gruppe, dit kvarter?",
            "ja": "クラブや集まり、地域など、どこに居場所がほしいですか？",
        },
    ),
    _card(
        "rest",
        {"en": "Rest and sleep", "da": "Hvile og søvn", "ja": "休息と睡眠"},
        {
            "en": "What helps you rest and sleep well?",
            "da": "Hvad hjælper dig til at hvile og sove godt?",
            "ja": "よく休み、よく眠るために何が役立ちますか？",
        },
    ),
]
