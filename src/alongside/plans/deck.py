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
            "en": "How would you like things to be with your family?",
            "da": "Hvordan vil du gerne have det med din familie?",
            "ja": "家族とは、どんな関係でいたいですか？",
        },
    ),
    _card(
        "friends",
        {"en": "Friends", "da": "Venner", "ja": "友だち"},
        {
            "en": "Who do you enjoy spending time with?",
            "da": "Hvem kan du lide at være sammen med?",
            "ja": "一緒に過ごして楽しいのは、どんな人ですか？",
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
            "en": "What kind of work or everyday task would feel right for you?",
            "da": "Hvad slags arbejde eller opgaver i hverdagen ville passe til dig?",
            "ja": "どんな仕事や日々の役割があると、自分に合っていると感じますか？",
        },
    ),
    _card(
        "learning",
        {"en": "Learning", "da": "At lære", "ja": "学び"},
        {
            "en": "What would you like to learn, or take up again?",
            "da": "Hvad kunne du tænke dig at lære eller tage op igen?",
            "ja": "学んでみたいことや、また始めたいことは何ですか？",
        },
    ),
    _card(
        "health",
        {"en": "Health", "da": "Helbred", "ja": "健康"},
        {
            "en": "What would help your body and mind feel better?",
            "da": "Hvad kunne hjælpe dig til at have det bedre i krop og sind?",
            "ja": "心と体が楽になるために、何が助けになりそうですか？",
        },
    ),
    _card(
        "self-care",
        {"en": "Looking after myself", "da": "Passe på mig", "ja": "自分をいたわる"},
        {
            "en": "On a good day, how do you take care of yourself?",
            "da": "Hvordan passer du på dig selv på en god dag?",
            "ja": "調子のいい日には、どんなふうに自分を大切にしていますか？",
        },
    ),
    _card(
        "free-time",
        {"en": "Free time", "da": "Fritid", "ja": "自由な時間"},
        {
            "en": "What do you like doing when the time is your own?",
            "da": "Hvad kan du lide at lave, når du har tid for dig selv?",
            "ja": "自分の時間があるとき、何をするのが好きですか？",
        },
    ),
    _card(
        "belief",
        {"en": "Belief", "da": "Tro", "ja": "信仰・信念"},
        {
            "en": "What do you believe in, or what gives you strength?",
            "da": "Hvad tror du på, eller hvad giver dig styrke?",
            "ja": "信じているものや、力をくれるものは何ですか？",
        },
    ),
    _card(
        "money",
        {"en": "Money", "da": "Penge", "ja": "お金"},
        {
            "en": "How are things with money, and what would help?",
            "da": "Hvordan går det med pengene, og hvad kunne hjælpe?",
            "ja": "お金のことは今どうですか？何があると助かりますか？",
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
        {"en": "Feeling safe", "da": "Tryghed", "ja": "安心"},
        {
            "en": "Where, and with whom, do you feel safe?",
            "da": "Hvor og sammen med hvem føler du dig tryg?",
            "ja": "どこで、誰といると安心できますか？",
        },
    ),
    _card(
        "nature",
        {"en": "Nature", "da": "Natur", "ja": "自然"},
        {
            "en": "Which places outdoors do you good?",
            "da": "Hvilke steder udendørs gør dig godt?",
            "ja": "外で、気持ちがほっとする場所はどこですか？",
        },
    ),
    _card(
        "creativity",
        {"en": "Being creative", "da": "At skabe", "ja": "創作"},
        {
            "en": "What do you like to make, draw, write or play?",
            "da": "Hvad kan du lide at lave, tegne, skrive eller spille?",
            "ja": "作ったり、描いたり、書いたり、演奏したりするなら、何が好きですか？",
        },
    ),
    _card(
        "pets",
        {"en": "Animals", "da": "Dyr", "ja": "動物"},
        {
            "en": "What do animals mean to you?",
            "da": "Hvad betyder dyr for dig?",
            "ja": "あなたにとって、動物はどんな存在ですか？",
        },
    ),
    _card(
        "love",
        {"en": "Love", "da": "Kærlighed", "ja": "愛情"},
        {
            "en": "What do closeness and love mean to you now?",
            "da": "Hvad betyder nærhed og kærlighed for dig nu?",
            "ja": "今のあなたにとって、親しさや愛情とはどんなものですか？",
        },
    ),
    _card(
        "community",
        {"en": "Community", "da": "Fællesskab", "ja": "つながり・居場所"},
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
            "ja": "よく休み、よく眠るために、何が役立っていますか？",
        },
    ),
]
