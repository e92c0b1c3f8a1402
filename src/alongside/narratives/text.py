"""Source text: decoding, normalisation, and the offset map back to the text as it was uploaded.

We store every source normalised: UTF-8, byte-order mark removed, every line ending (CRLF, CR)
turned into LF. Selections count Unicode code points into that normalised text, end exclusive.

Other tools count against the file as it was written, where CRLF is two code points (the REFI-QDA
rule; ATLAS.ti is the known exception and counts it as one). So we keep how the lines ended, and
``LineEndings`` maps offsets both ways:

* ``style`` is ``lf``, ``crlf``, ``cr`` or ``mixed``. For the first three the rule alone is enough
  (CRLF files: every LF stands for two code points).
* for ``mixed`` files ``exceptions`` lists, in order, the normalised position of each newline that
  was not LF, with its kind (``crlf`` or ``cr``).

A byte-order mark is never counted: it is an encoding signature, not text, and the tools that write
one (QualCoder) count their offsets after it.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

NewlineStyle = Literal["lf", "crlf", "cr", "mixed"]
NewlineKind = Literal["crlf", "cr"]

BOM = "\ufeff"
_NEWLINE = re.compile(r"\r\n|\r|\n")
# Characters XML 1.0 cannot carry at all (C0 controls other than tab, LF, CR; lone surrogates;
# U+FFFE and U+FFFF). They have no place in a transcript either.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

# What no database column keeps (PostgreSQL refuses NUL) and UTF-8 cannot encode.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


class TextDecodeError(ValueError):
    """The bytes are not UTF-8 text."""


def decode_utf8(data: bytes) -> str:
    """Decode UTF-8 strictly. A byte-order mark stays, for ``normalise`` to note and remove."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise TextDecodeError(str(error)) from error


def xml_safe(value: str) -> str:
    """``value`` without the characters XML 1.0 cannot represent."""
    return _NOT_XML.sub("", value)


def has_xml_unsafe(value: str) -> bool:
    return _NOT_XML.search(value) is not None


def has_unstorable(value: str) -> bool:
    return _UNSTORABLE.search(value) is not None


@dataclass(frozen=True)
class LineEndings:
    """How the lines of a source ended before normalisation, and the offset map that follows."""

    style: NewlineStyle = "lf"
    exceptions: tuple[tuple[int, NewlineKind], ...] = ()
    # The normalised text, needed for the CRLF rule (every LF is a CRLF).
    text: str = field(default="", repr=False, compare=False)

    @cached_property
    def _crlf_positions(self) -> list[int]:
        """Normalised positions of the newlines that were CRLF (two code points originally)."""
        if self.style == "crlf":
            return [match.start() for match in re.finditer("\n", self.text)]
        if self.style == "mixed":
            return [position for position, kind in self.exceptions if kind == "crlf"]
        return []

    @cached_property
    def _original_lf_positions(self) -> list[int]:
        """Positions, in the original text, of the LF half of each CRLF pair."""
        return [position + index + 1 for index, position in enumerate(self._crlf_positions)]

    def to_original(self, offset: int) -> int:
        """A normalised offset as a code-point offset into the original text (CRLF = 2)."""
        return offset + bisect_left(self._crlf_positions, offset)

    def from_original(self, offset: int) -> int:
        """An offset into the original text (CRLF = 2) as a normalised offset.

        An offset that falls between the CR and the LF of a pair (which no spec-following tool
        writes) lands after the newline.
        """
        return offset - bisect_left(self._original_lf_positions, offset)

    def splits_a_pair(self, offset: int) -> bool:
        """Whether ``offset`` (counted against the original text) points between a CR and its LF."""
        index = bisect_left(self._original_lf_positions, offset)
        return index < len(self._original_lf_positions) and (
            self._original_lf_positions[index] == offset
        )

    def original_length(self) -> int:
        return len(self.text) + len(self._crlf_positions)

    def original_text(self) -> str:
        """The text with its original line endings restored (without a byte-order mark)."""
        if self.style == "lf":
            return self.text
        if self.style == "crlf":
            return self.text.replace("\n", "\r\n")
        if self.style == "cr":
            return self.text.replace("\n", "\r")
        kinds = dict(self.exceptions)
        parts: list[str] = []
        last = 0
        for position in sorted(kinds):
            parts.append(self.text[last:position])
            parts.append("\r\n" if kinds[position] == "crlf" else "\r")
            last = position + 1
        parts.append(self.text[last:])
        return "".join(parts)

    def exceptions_json(self) -> list[list[int | str]]:
        return [[position, kind] for position, kind in self.exceptions]

    @classmethod
    def from_stored(cls, style: str, exceptions: object, text: str) -> LineEndings:
        """Rebuild from the model's fields (``newline_style``, ``newline_exceptions``)."""
        pairs: list[tuple[int, NewlineKind]] = []
        if isinstance(exceptions, list):
            for item in exceptions:
                position, kind = item
                pairs.append((int(position), "crlf" if kind == "crlf" else "cr"))
        styles: dict[str, NewlineStyle] = {"lf": "lf", "crlf": "crlf", "cr": "cr", "mixed": "mixed"}
        return cls(style=styles.get(style, "lf"), exceptions=tuple(pairs), text=text)


@dataclass(frozen=True)
class NormalisedText:
    text: str
    had_bom: bool
    line_endings: LineEndings


def normalise(raw: str) -> NormalisedText:
    """Strip a leading byte-order mark, turn CRLF and CR into LF, and remember what was there."""
    had_bom = raw.startswith(BOM)
    if had_bom:
        raw = raw[1:]
    if "\r" not in raw:
        return NormalisedText(raw, had_bom, LineEndings("lf", (), raw))
    parts: list[str] = []
    exceptions: list[tuple[int, NewlineKind]] = []
    seen: set[str] = set()
    last = 0
    length = 0  # length of the normalised text built so far
    for match in _NEWLINE.finditer(raw):
        chunk = raw[last : match.start()]
        parts.append(chunk)
        length += len(chunk)
        newline = match.group()
        seen.add(newline)
        if newline != "\n":
            exceptions.append((length, "crlf" if newline == "\r\n" else "cr"))
        parts.append("\n")
        length += 1
        last = match.end()
    parts.append(raw[last:])
    text = "".join(parts)
    style: NewlineStyle
    kept: tuple[tuple[int, NewlineKind], ...]
    if seen == {"\r\n"}:
        style, kept = "crlf", ()
    elif seen == {"\r"}:
        style, kept = "cr", ()
    else:
        style, kept = "mixed", tuple(exceptions)
    return NormalisedText(text, had_bom, LineEndings(style, kept, text))
