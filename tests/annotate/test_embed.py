"""The sentence embedder: unit vectors in the order of the texts, whatever the batch they ran in."""

from __future__ import annotations

import numpy as np
import pytest

from storyline.annotate import embed


@pytest.fixture(scope="module")
def embedder() -> embed.Embedder:
    return embed.load_embedder()


def _texts() -> list[str]:
    # Lengths from a few words to past the model's 256 tokens, in no order, so that batches made
    # by length mix texts from all over the list and pad them differently.
    return [
        ("The port reopened after the strike " * (1 + (i * 7) % 60)).strip() + f" {i}." for i in range(23)
    ]


def test_vectors_are_unit_length_and_follow_the_texts(embedder: embed.Embedder) -> None:
    texts = _texts()
    vectors = embedder.encode(texts)
    assert vectors.shape == (len(texts), embed.DIM) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    alone = embedder.encode([texts[5]])[0]
    assert np.array_equal(vectors[5], alone)


def test_the_batch_size_does_not_change_a_vector(
    embedder: embed.Embedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    texts = _texts()
    small = embedder.encode(texts)
    monkeypatch.setattr(embed, "_BATCH", 16)
    large = embedder.encode(texts)
    assert np.array_equal(small, large)


def test_no_texts_no_vectors(embedder: embed.Embedder) -> None:
    assert embedder.encode([]).shape == (0, embed.DIM)
