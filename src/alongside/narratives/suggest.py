"""Assisted coding: suggest codes for uncoded units, offline, and measure how often they are right.

A unit is a participant's paragraph of a usable source (a long paragraph: each of its sentences)
that no selection touches, or one of the viewer's own selections with a condensed meaning and no
code yet. Turns of the interviewer, facilitator or moderator (a line starting with such a speaker
label) are never units: their questions are not what a project codes.
Each code is embedded once from its name and definition and from each of its examples
(``embedding.py``, all-MiniLM-L6-v2 in NumPy); a unit's score for a code is its best cosine
similarity with any of them. The top ``k`` codes above a threshold are suggested.

Suggestions are only ever shown: a code reaches a unit when a member clicks Accept, which codes it
through ``services`` as that member (``accept``). ``precision`` hides the codes of units people
coded, suggests, and counts how many suggestions agree with them.

The threshold is calibrated on the project's own coding (``calibrate``): half of the coded units
choose the lowest threshold whose best suggestion is right often enough (``TARGET_PRECISION``),
the other half, held out, says how often it then is. Nothing below the threshold is shown; with too
little coding to calibrate on, the conservative ``THRESHOLD`` applies.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from bisect import bisect_left
from collections import OrderedDict, defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass

import numpy as np
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from alongside.accounts.models import User
from alongside.audit.log import Actor, record
from alongside.audit.models import AuditAction
from alongside.narratives import embedding, services
from alongside.narratives.models import Code, Coding, NarrativeProject, Selection, Source

TOP_K = 3
THRESHOLD = 0.45  # used until the project has enough coding to calibrate on
TARGET_PRECISION = 0.6  # precision at 1 the calibrated threshold must reach on its half
MIN_CALIBRATION_UNITS = 8
NOTHING = 2.0  # a threshold no cosine similarity reaches  # coded units needed before calibrating
THRESHOLDS = tuple(round(0.2 + 0.05 * step, 2) for step in range(13))  # 0.20 ... 0.80
# Speaker labels of the person asking, in the languages we serve (lower case, without the colon).
INTERVIEWER_LABELS = frozenset(
    {
        "facilitator",
        "interviewer",
        "moderator",
        "researcher",
        "i",
        "q",
        "int",
        "ordstyrer",
        "interviewer (i)",
        "intervieweren",
        "facilitatoren",
        "インタビュアー",
        "聞き手",
        "司会",
        "司会者",
        "質問者",
    }
)
_SPEAKER = re.compile(r"^\s*([^:：\n]{1,40})[:：]")
LONG_PARAGRAPH = 600  # characters; longer paragraphs are offered sentence by sentence
MAX_EVALUATED = 300  # human-coded units precision looks at (an even sample of larger projects)
_UNIT_CACHE_SIZE = 20_000  # unit vectors kept in memory (384 floats each: about 30 MB)
_CODE_CACHE_SIZE = 16  # projects whose code vectors are kept

_SENTENCE = re.compile(r"[^.!?。！？]*(?:[.!?。！？]+|$)")
_WORDLIKE = re.compile(r"\w")


@dataclass(frozen=True)
class Unit:
    """A stretch of a source to suggest codes for: ``[start, end)`` in code points."""

    source_id: int
    start: int
    end: int
    text: str
    selection_id: int | None = None
    condensed: str = ""

    @property
    def for_model(self) -> str:
        return f"{self.text}\n{self.condensed}" if self.condensed else self.text


@dataclass(frozen=True)
class Suggestion:
    code: Code
    score: float


# Units ---------------------------------------------------------------------------------------


def is_interviewer_turn(line: str) -> bool:
    """A line spoken by the interviewer, facilitator or moderator (by its speaker label)."""
    label = _SPEAKER.match(line)
    return label is not None and label.group(1).strip().lower() in INTERVIEWER_LABELS


def spans(text: str) -> list[tuple[int, int]]:
    """Participants' paragraphs of ``text`` (lines), a long one cut into sentences; blank edges
    trimmed. The interviewer's turns are left out."""
    found: list[tuple[int, int]] = []
    offset = 0
    for line in text.split("\n"):
        if is_interviewer_turn(line):
            offset += len(line) + 1
            continue
        pieces = [(0, len(line))]
        if len(line) > LONG_PARAGRAPH:
            pieces = [match.span() for match in _SENTENCE.finditer(line) if match.group()]
        for start, end in pieces:
            piece = line[start:end]
            stripped = piece.strip()
            if not _WORDLIKE.search(stripped):
                continue
            begin = offset + start + (len(piece) - len(piece.lstrip()))
            found.append((begin, begin + len(stripped)))
        offset += len(line) + 1
    return found


def _merged(intervals: list[tuple[int, int]]) -> tuple[list[int], list[int]]:
    starts: list[int] = []
    ends: list[int] = []
    for start, end in sorted(intervals):
        if ends and start <= ends[-1]:
            ends[-1] = max(ends[-1], end)
        else:
            starts.append(start)
            ends.append(end)
    return starts, ends


def _touches(starts: list[int], ends: list[int], start: int, end: int) -> bool:
    index = bisect_left(ends, start + 1)  # the first merged interval ending after ``start``
    return index < len(starts) and starts[index] < end


def uncoded_units(
    project: NarrativeProject,
    user: User,
    *,
    source_id: int | None = None,
    only_own: bool = False,
) -> list[Unit]:
    """Units no one has coded in the project's usable sources, source by source, in text order.

    Spans that any selection overlaps are left out (``only_own``: the user's own selections, for
    a coder in a blind round, who must not learn where others coded); the user's own selections
    with a condensed meaning and no code are units too. Three queries, whatever the size.
    """
    sources = services.usable_sources(project)
    if source_id is not None:
        sources = sources.filter(pk=source_id)
    texts = dict(sources.order_by("pk").values_list("pk", "text"))
    covered: dict[int, list[tuple[int, int]]] = defaultdict(list)
    touching = Selection.objects.filter(source_id__in=texts)
    if only_own:
        touching = touching.filter(coder=user)
    for sid, start, end in touching.values_list("source_id", "start", "end"):
        covered[sid].append((start, end))
    own: dict[int, list[Unit]] = defaultdict(list)
    for pk, sid, start, end, condensed in (
        Selection.objects.filter(source_id__in=texts, coder=user, codings__isnull=True)
        .exclude(condensed="")
        .order_by("start", "end", "pk")
        .values_list("pk", "source_id", "start", "end", "condensed")
    ):
        own[sid].append(Unit(sid, start, end, texts[sid][start:end], pk, condensed))
    units: list[Unit] = []
    for sid, text in texts.items():
        starts, ends = _merged(covered[sid])
        free = [
            Unit(sid, start, end, text[start:end])
            for start, end in spans(text)
            if not _touches(starts, ends, start, end)
        ]
        units.extend(sorted(free + own[sid], key=lambda unit: (unit.start, unit.end)))
    return units


# Vectors -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CodeVectors:
    """Each code's rows (its name and definition, then each example), codes in a fixed order."""

    codes: list[Code]
    first_rows: np.ndarray  # where each code's rows begin
    vectors: embedding.Matrix

    def scores(self, units: embedding.Matrix) -> embedding.Matrix:
        """(units x codes): a unit's best similarity with any of a code's rows."""
        if not self.codes or len(units) == 0:
            return np.zeros((len(units), len(self.codes)), dtype=np.float32)
        return np.maximum.reduceat(units @ self.vectors.T, self.first_rows, axis=1)


_lock = threading.Lock()
_code_cache: OrderedDict[int, tuple[str, CodeVectors]] = OrderedDict()
_unit_cache: OrderedDict[str, np.ndarray] = OrderedDict()


def _code_texts(code: Code) -> list[str]:
    head = f"{code.name}. {code.definition}".strip() if code.definition else code.name
    examples = [str(e).strip() for e in (code.examples or []) if str(e).strip()]
    return [head, *examples]


def code_vectors(project: NarrativeProject) -> CodeVectors:
    """The project's code vectors, embedded again only when a code was added or changed."""
    codes = list(Code.objects.filter(codebook__project=project).order_by("codebook_id", "pk"))
    texts = [_code_texts(code) for code in codes]
    fingerprint = hashlib.sha256(
        json.dumps([[code.pk, *t] for code, t in zip(codes, texts, strict=True)]).encode()
    ).hexdigest()
    with _lock:
        cached = _code_cache.get(project.pk)
        if cached is not None and cached[0] == fingerprint:
            _code_cache.move_to_end(project.pk)
            return cached[1]
    rows = [text for group in texts for text in group]
    first = np.cumsum([0, *(len(group) for group in texts[:-1])]) if codes else np.zeros(0)
    made = CodeVectors(codes, first.astype(np.intp), embedding.embed(rows))
    with _lock:
        _code_cache[project.pk] = (fingerprint, made)
        while len(_code_cache) > _CODE_CACHE_SIZE:
            _code_cache.popitem(last=False)
    return made


def unit_vectors(texts: Sequence[str]) -> embedding.Matrix:
    """Embeddings of unit texts, reusing those embedded recently in this process."""
    keys = [hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest() for text in texts]
    out = np.zeros((len(texts), embedding.DIMENSIONS), dtype=np.float32)
    missing: list[int] = []
    with _lock:
        for index, key in enumerate(keys):
            vector = _unit_cache.get(key)
            if vector is None:
                missing.append(index)
            else:
                out[index] = vector
    if missing:
        fresh = embedding.embed([texts[index] for index in missing])
        out[missing] = fresh
        with _lock:
            for index, vector in zip(missing, fresh, strict=True):
                _unit_cache[keys[index]] = vector
            while len(_unit_cache) > _UNIT_CACHE_SIZE:
                _unit_cache.popitem(last=False)
    return out


# Suggestions ---------------------------------------------------------------------------------


def ranked(scores: embedding.Matrix, k: int, threshold: float) -> list[list[tuple[int, float]]]:
    """For each row, the indexes and scores of its best ``k`` columns at or above ``threshold``."""
    ranking: list[list[tuple[int, float]]] = []
    for row in scores:
        order = np.argsort(-row, kind="stable")[:k]
        ranking.append([(int(i), float(row[i])) for i in order if row[i] >= threshold])
    return ranking


def suggest(
    project: NarrativeProject,
    units: Sequence[Unit],
    *,
    k: int = TOP_K,
    threshold: float = THRESHOLD,
) -> list[list[Suggestion]]:
    """The best ``k`` codes above ``threshold`` for each unit, best first. Changes nothing."""
    book = code_vectors(project)
    scores = book.scores(unit_vectors([unit.for_model for unit in units]))
    return [
        [Suggestion(book.codes[index], score) for index, score in row]
        for row in ranked(scores, k, threshold)
    ]


@transaction.atomic
def accept(
    actor: Actor,
    source: Source,
    code: Code,
    *,
    start: int,
    end: int,
    selection: Selection | None = None,
) -> Selection:
    """A member accepts a suggestion: the unit is coded with ``code``, by them, through services.

    An uncoded span becomes the member's own selection; their own condensed-only selection gets
    the code. Accepting the same code for the same span twice is refused.
    """
    if selection is not None:
        if selection.source_id != source.pk or selection.codings.exists():
            raise ValidationError(_("This unit has been coded since the suggestion was made."))
        coded = services.apply_codes(actor, selection, [code])
    else:
        if Selection.objects.filter(
            source=source, start=start, end=end, coder=actor.user, codings__code=code
        ).exists():
            raise ValidationError(_("You have already coded this unit with this code."))
        coded = services.code_span(actor, source, start, end, "", [code])
    record(actor, AuditAction.UPDATE, obj=coded, why="narratives: suggested code accepted")
    return coded


# Precision against human coding ---------------------------------------------------------------


@dataclass(frozen=True)
class Precision:
    """How suggestions compare with people's coding of the same units.

    ``at_1``: of units that got a suggestion, the share whose best suggestion is one of the codes
    people gave. ``at_k``: of all suggestions shown (up to ``k`` a unit), the share people gave.
    ``None`` when there was nothing to count.
    """

    k: int
    threshold: float
    units: int
    suggested_units: int
    top_hits: int
    suggestions: int
    hits: int

    @property
    def at_1(self) -> float | None:
        return self.top_hits / self.suggested_units if self.suggested_units else None

    @property
    def at_k(self) -> float | None:
        return self.hits / self.suggestions if self.suggestions else None

    @property
    def coverage(self) -> float | None:
        return self.suggested_units / self.units if self.units else None


def score(
    rankings: Sequence[Sequence[int]],
    truths: Sequence[Collection[int]],
    *,
    k: int,
    threshold: float,
) -> Precision:
    """Count agreement of ranked suggestions (code ids, best first) with people's codes."""
    suggested = top = shown = hits = 0
    for ranking, truth in zip(rankings, truths, strict=True):
        ranking = list(ranking)[:k]
        if not ranking:
            continue
        suggested += 1
        top += ranking[0] in truth
        shown += len(ranking)
        hits += sum(code in truth for code in ranking)
    return Precision(k, threshold, len(truths), suggested, top, shown, hits)


def _sample(ids: list[int], limit: int) -> list[int]:
    if len(ids) <= limit:
        return ids
    step = len(ids) / limit
    return [ids[int(i * step)] for i in range(limit)]


def _coded_units(
    project: NarrativeProject, limit: int, coder: User | None
) -> tuple[list[Unit], list[set[int]]]:
    """Up to ``limit`` units people coded (participants' turns), evenly spread, with their codes.

    ``coder``: only that person's coding (a coder in a blind round sees no one else's).
    """
    codings = Coding.objects.filter(selection__source__in=services.usable_sources(project))
    if coder is not None:
        codings = codings.filter(selection__coder=coder)
    coded = sorted(set(codings.values_list("selection_id", flat=True)))
    chosen = _sample(coded, limit)
    truths: dict[int, set[int]] = defaultdict(set)
    for selection_id, code_id in Coding.objects.filter(selection_id__in=chosen).values_list(
        "selection_id", "code_id"
    ):
        truths[selection_id].add(code_id)
    selections = list(
        Selection.objects.filter(pk__in=chosen)
        .order_by("pk")
        .values_list("pk", "source_id", "start", "end", "condensed")
    )
    texts = dict(
        Source.objects.filter(pk__in={row[1] for row in selections}).values_list("pk", "text")
    )
    units = [
        Unit(sid, start, end, texts[sid][start:end], pk, condensed)
        for pk, sid, start, end, condensed in selections
        if not is_interviewer_turn(texts[sid][start:end])
    ]
    return units, [truths[unit.selection_id or 0] for unit in units]


def _rankings(
    project: NarrativeProject, units: Sequence[Unit], k: int
) -> list[list[tuple[int, float]]]:
    """Every unit's best ``k`` codes with their scores, whatever the threshold."""
    book = code_vectors(project)
    scores = book.scores(unit_vectors([unit.for_model for unit in units]))
    return [[(book.codes[i].pk, s) for i, s in row] for row in ranked(scores, k, -1.0)]


def _score_at(
    rankings: Sequence[Sequence[tuple[int, float]]],
    truths: Sequence[Collection[int]],
    k: int,
    threshold: float,
) -> Precision:
    kept = [[code for code, value in row if value >= threshold] for row in rankings]
    return score(kept, truths, k=k, threshold=threshold)


def precision(
    project: NarrativeProject,
    *,
    k: int = TOP_K,
    threshold: float = THRESHOLD,
    limit: int = MAX_EVALUATED,
    coder: User | None = None,
) -> Precision:
    """Suggest codes for units people coded (as if uncoded) and score them against those codes.

    Looks at up to ``limit`` coded units of usable sources, evenly spread over the project.
    """
    units, truths = _coded_units(project, limit, coder)
    return _score_at(_rankings(project, units, k), truths, k, threshold)


@dataclass(frozen=True)
class Calibration:
    """The threshold chosen on one half of the coded units, and its precision on the other."""

    threshold: float
    calibrated: bool  # False: too little coding (or none good enough); THRESHOLD applies
    held_out: Precision | None


def calibrate(
    project: NarrativeProject,
    *,
    k: int = TOP_K,
    limit: int = MAX_EVALUATED,
    coder: User | None = None,
) -> Calibration:
    """Choose the threshold on every other coded unit; measure it on the units held out.

    The lowest threshold whose precision at 1 reaches ``TARGET_PRECISION`` on the calibration
    half (with at least one suggestion) wins. Without ``MIN_CALIBRATION_UNITS`` coded units,
    ``THRESHOLD`` applies and nothing is claimed; if no threshold is good enough, nothing is
    suggested (``NOTHING``).
    """
    units, truths = _coded_units(project, limit, coder)
    if len(units) < MIN_CALIBRATION_UNITS:
        return Calibration(THRESHOLD, False, None)
    rankings = _rankings(project, units, k)
    tune = (rankings[0::2], truths[0::2])
    held = (rankings[1::2], truths[1::2])
    for threshold in THRESHOLDS:
        found = _score_at(tune[0], tune[1], k, threshold)
        if found.at_1 is not None and found.at_1 >= TARGET_PRECISION:
            return Calibration(threshold, True, _score_at(held[0], held[1], k, threshold))
    # People's coding says no threshold is good enough: suggest nothing rather than guess.
    return Calibration(NOTHING, False, None)
