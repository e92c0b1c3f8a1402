"""Text search and word frequency across a project's sources (the NVivo "text search" and "word
frequency" queries).

Both read source text only, never anyone's coding, so every member may use them during a blind
round; both start from ``services.usable_sources``, so a withdrawn text is never searched.

Matching is case-insensitive and Unicode-aware (Python's case folding: ``Æ`` finds ``æ``, ``ß``
finds ``ss``), and the words of a phrase may be separated by any white space, a line end
included. Offsets are code points into the stored text, as the coding form expects, so every hit
links to the coding page with its span filled in.

Word frequency splits text into words with Unicode's letter classes. Japanese has no spaces
between words, and we ship no morphological analyser, so a Japanese run of letters is cut where
the script changes: runs of two or more kanji (漢字語, mostly content words such as 病院 or 不安)
and of two or more katakana (loan words such as ストレス) are counted as words; hiragana runs
(mostly particles and inflections) and single characters are left out. This under-counts
single-kanji words (家) and words written partly in hiragana (話し合い counts as 話), which the
page says; character bigrams were the alternative, but they count fragments no reader would call
a word.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from alongside.narratives.stopwords import STOP_WORDS as STOP_WORDS

CONTEXT = 60
MAX_HITS = 500
MAX_QUERY = 200

# Letters (any script), joined by an apostrophe or hyphen inside a word ("don't", "self-help").
WORD = re.compile(r"[^\W\d_]+(?:['\u2019\-][^\W\d_]+)*")
KANJI = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff々〆]{2,}")
KATAKANA = re.compile(r"[\u30a1-\u30fa\u30fc\u31f0-\u31ff\uff66-\uff9f]{2,}")
JAPANESE = re.compile(
    r"[\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f々〆]"
)


@dataclass(frozen=True)
class Hit:
    """One occurrence: where it is, and the words around it."""

    source_id: int
    source_name: str
    start: int
    end: int
    before: str
    match: str
    after: str


def pattern(query: str) -> re.Pattern[str] | None:
    """The query as a case-insensitive pattern; ``None`` when it holds no words."""
    words = query.split()
    if not words:
        return None
    return re.compile(r"\s+".join(re.escape(word) for word in words), re.IGNORECASE)


def _context(text: str, start: int, end: int) -> tuple[str, str, str]:
    """Up to ``CONTEXT`` characters either side of the hit, an ellipsis where text was cut."""
    before = text[max(0, start - CONTEXT) : start]
    after = text[end : end + CONTEXT]
    if start > CONTEXT:
        before = "…" + before
    if end + CONTEXT < len(text):
        after += "…"
    return before, text[start:end], after


def find(
    sources: Iterable[tuple[int, str, str]], query: str, *, limit: int = MAX_HITS
) -> tuple[list[Hit], int]:
    """Every occurrence of ``query`` in ``(id, name, text)`` sources, up to ``limit`` shown,
    and the number found in all."""
    compiled = pattern(query)
    if compiled is None:
        return [], 0
    hits: list[Hit] = []
    total = 0
    for source_id, name, text in sources:
        for found in compiled.finditer(text):
            total += 1
            if len(hits) < limit:
                before, match, after = _context(text, found.start(), found.end())
                hits.append(Hit(source_id, name, found.start(), found.end(), before, match, after))
    return hits, total


def words(text: str) -> list[str]:
    """The words of ``text``, case-folded, for counting (Japanese as described above)."""
    found: list[str] = []
    for token in WORD.findall(unicodedata.normalize("NFKC", text)):
        if JAPANESE.search(token):
            found.extend(KANJI.findall(token))
            found.extend(KATAKANA.findall(token))
        elif len(token) > 1:
            found.append(token.casefold().replace("\u2019", "'"))
    return found


@dataclass(frozen=True)
class WordCount:
    word: str
    count: int
    sources: int


def frequency(
    texts: Iterable[str], *, language: str = "", top: int = 50, min_length: int = 2
) -> list[WordCount]:
    """The ``top`` most frequent words of ``texts`` with how many texts use each, leaving out
    ``language``'s stop words ("" leaves none out). Ties go alphabetically."""
    stop = STOP_WORDS.get(language, frozenset())
    counts: Counter[str] = Counter()
    spread: Counter[str] = Counter()
    for text in texts:
        found = [w for w in words(text) if len(w) >= min_length and w not in stop]
        counts.update(found)
        spread.update(set(found))
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:top]
    return [WordCount(word, count, spread[word]) for word, count in ranked]


def frequency_csv_rows(rows: list[WordCount]) -> list[list[object]]:
    """The rows of the CSV download (written through ``core.csv_safe``)."""
    header: list[object] = ["rank", "word", "count", "texts"]
    return [header] + [
        [rank, row.word, row.count, row.sources] for rank, row in enumerate(rows, start=1)
    ]
