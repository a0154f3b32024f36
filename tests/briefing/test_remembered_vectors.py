"""A story's stages share one encoder that embeds each distinct text once."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from storyline.briefing.stories import RememberedVectors


class _Counting:
    def __init__(self) -> None:
        self.asked: list[str] = []

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        self.asked.extend(texts)
        return np.array([[len(t), t.count("a"), 1.0] for t in texts], dtype=np.float32).reshape(-1, 3)


def test_each_distinct_text_is_encoded_once_and_vectors_come_back_in_the_order_asked() -> None:
    model = _Counting()
    encode = RememberedVectors(model)
    first = encode(["a cat", "a dog", "a cat"])
    second = encode(["a dog", "banana", "a dog"])
    assert model.asked == ["a cat", "a dog", "banana"]
    assert first.tolist() == model(["a cat", "a dog", "a cat"]).tolist()
    assert second.tolist() == model(["a dog", "banana", "a dog"]).tolist()


def test_no_texts_give_the_models_empty_answer() -> None:
    encode = RememberedVectors(_Counting())
    assert encode([]).shape == (0, 3)
