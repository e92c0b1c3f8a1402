"""Stop words for word frequency, per language: the short function words that would otherwise
fill the top of every list. Our own lists, kept short on purpose: a word that might matter in a
recovery story (feel, help, home, alone) is never on them.

Japanese words are counted as kanji and katakana runs (see ``search.py``), so hiragana particles
never reach the count; the Japanese list holds the kanji compounds that carry as little.
"""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


ENGLISH = _words(
    """
    a about above after again against all am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further
    had has have having he her here hers herself him himself his how i if in into is it its
    itself just me more most my myself no nor not now of off on once only or other our ours
    ourselves out over own same she should so some such than that the their theirs them
    themselves then there these they this those through to too under until up very was we were
    what when where which while who whom why will with would you your yours yourself yourselves
    i'm it's don't didn't that's there's i've i'd i'll you're we're they're can't isn't wasn't
    also um uh yeah oh
    """
)

DANISH = _words(
    """
    af al alle alt anden andet andre at bare blev blive bliver da de dem den denne der deres det
    dette dig din dine disse dit du efter eller en end er et for fordi fra få gik han hans har
    havde have hende hendes her hos hun hvad hvem hver hvilke hvis hvor hvordan hvorfor ham ikke
    ind jeg jer jo kan kom kommer kun kunne lidt man mange med meget men mig min mine mit mod ned
    noget nogle når nu og også om op os over på sagde sig sin sine sit skal skulle som så sådan
    thi til ud under var vi vil ville vor være været øh æh ja nej altså lige
    """
)

JAPANESE = _words(
    """
    今日 本当 場合 部分 一番 全部 以上 以下 自体 時々 今回 前回 最近 結構 大体 多分 一応
    """
)

STOP_WORDS: dict[str, frozenset[str]] = {"en": ENGLISH, "da": DANISH, "ja": JAPANESE}
