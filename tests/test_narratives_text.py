"""Source text normalisation and the offset map back to the uploaded text (no database)."""

from __future__ import annotations

import pytest

from alongside.narratives.refi import describe_code, parse_code_description
from alongside.narratives.text import LineEndings, decode_utf8, normalise

RAW = [
    "no line ends at all",
    "one\ntwo\n",
    "one\r\ntwo\r\n",
    "one\rtwo\r",
    "one\r\ntwo\nthree\rfour\r\n\r\nfive",
    "\r\n\r\n",
    "日本\r\n😀é\r\nend",
]


@pytest.mark.parametrize("raw", RAW)
def test_normalising_keeps_enough_to_write_the_original_back(raw: str) -> None:
    result = normalise("\ufeff" + raw)
    assert result.had_bom
    assert "\r" not in result.text
    assert result.line_endings.original_text() == raw
    stored = LineEndings.from_stored(
        result.line_endings.style, result.line_endings.exceptions_json(), result.text
    )
    assert stored.original_text() == raw
    assert stored.original_length() == len(raw)


@pytest.mark.parametrize("raw", RAW)
def test_offsets_map_both_ways_and_point_at_the_same_text(raw: str) -> None:
    endings = normalise(raw).line_endings
    text = endings.text
    for start in range(len(text) + 1):
        original = endings.to_original(start)
        assert endings.from_original(original) == start
        for end in range(start, len(text) + 1):
            piece = raw[original : endings.to_original(end)]
            assert piece.replace("\r\n", "\n").replace("\r", "\n") == text[start:end]


def test_styles_are_recorded() -> None:
    assert normalise("a\nb").line_endings.style == "lf"
    assert normalise("a\r\nb").line_endings.style == "crlf"
    assert normalise("a\rb").line_endings.style == "cr"
    mixed = normalise("a\r\nb\nc\rd").line_endings
    assert mixed.style == "mixed"
    assert mixed.exceptions == ((1, "crlf"), (5, "cr"))


def test_an_offset_between_cr_and_lf_is_recognised() -> None:
    endings = normalise("ab\r\ncd").line_endings
    assert endings.splits_a_pair(3)
    assert not endings.splits_a_pair(2)
    assert not endings.splits_a_pair(4)
    assert endings.from_original(3) == 3  # lands after the newline


def test_decoding_is_strict_utf8_and_keeps_the_bom_for_normalise() -> None:
    assert decode_utf8(b"\xef\xbb\xbfhi") == "\ufeffhi"
    with pytest.raises(ValueError, match="utf-8"):
        decode_utf8(b"\xff\xfe")


@pytest.mark.parametrize(
    ("definition", "examples", "level", "concept"),
    [
        ("", [], "theme", ""),
        ("One line.", [], "code", "chime.h"),
        ("Two\nlines.", ["short", "two\nlines", " leading space"], "category", ""),
        ("Mentions Examples:\ninline.", ["x"], "subtheme", "recovery.roots.system"),
    ],
)
def test_code_descriptions_read_back_what_was_written(
    definition: str, examples: list[str], level: str, concept: str
) -> None:
    parsed = parse_code_description(describe_code(definition, examples, level, concept))
    assert parsed.definition == definition
    assert list(parsed.examples) == examples
    assert parsed.level == level
    assert parsed.concept_code == concept


def test_a_foreign_description_is_all_definition() -> None:
    text = "Anything at all.\n\nExamples:\nnot our format\nLevel: whatever"
    parsed = parse_code_description(text)
    assert parsed.definition == text
    assert parsed.level is None
    assert parsed.examples == ()
