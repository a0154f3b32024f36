"""The fusion's best k found from candidates is the dense reference's, whatever the ties."""

from __future__ import annotations

import numpy as np
import pytest

from storyline.story import fusion


def _case(rng: np.random.Generator, n: int, listed: int, *, ties: bool, negative: bool):  # type: ignore[no-untyped-def]
    items = np.sort(rng.choice(n, size=listed, replace=False)).astype(np.int64)
    scores = rng.random(listed) * 10
    if ties:  # BM25 scores repeat (same words, same lengths); some listed items score 0
        scores = np.round(scores, 0)
    if negative:
        scores -= 3
    second = rng.standard_normal(n).astype(np.float32)
    if ties:
        second = np.round(second, 1).astype(np.float32)
    kinds = rng.integers(0, 2, size=n)
    return (items, scores), second, kinds


@pytest.mark.parametrize("seed", range(12))
def test_the_best_k_are_the_dense_references(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(2_000, 30_000))
    listed = int(rng.integers(0, n // 2))
    first, second, kinds = _case(rng, n, listed, ties=seed % 2 == 0, negative=seed % 3 == 0)
    bonus = 0.5 / 60 if seed % 4 else 0.0
    dense = np.zeros(n)
    dense[first[0]] = first[1]
    wants = {k: fusion.fused_top_dense(dense, second, np.where(kinds, bonus, 0.0), k, 60) for k in (1, 5, 20)}

    def ranked_all(*args: object) -> np.ndarray:
        raise AssertionError("the candidates settled none of these: the dense way ran")

    monkeypatch.setattr(fusion, "fused_top_dense", ranked_all)
    for k, want in wants.items():
        got = fusion.fused_top(
            first, second, lambda rows: np.where(kinds[rows], bonus, 0.0), bonus, k, 60, m=16
        )
        assert got.tolist() == want.tolist()


def test_when_the_candidates_cannot_settle_it_more_are_taken_or_all_are_ranked() -> None:
    # A bonus larger than any rank's share: the best item may be anywhere in both lists.
    rng = np.random.default_rng(7)
    n = 5_000
    first, second, kinds = _case(rng, n, 300, ties=False, negative=False)
    kinds[:] = 0
    kinds[4_321] = 1
    dense = np.zeros(n)
    dense[first[0]] = first[1]
    want = fusion.fused_top_dense(dense, second, np.where(kinds, 1.0, 0.0), 5, 60)
    got = fusion.fused_top(first, second, lambda rows: np.where(kinds[rows], 1.0, 0.0), 1.0, 5, 60, m=16)
    assert got.tolist() == want.tolist()
    assert got[0] == 4_321


@pytest.mark.parametrize("listed", [0, 3])
def test_few_listed_items_rank_the_unlisted_ones_in_their_order(listed: int) -> None:
    # No question word in any sentence (or in three): the unlisted items rank in their own order.
    n = 10_000
    items = np.array([9_000, 9_001, 9_002][:listed], dtype=np.int64)
    scores = np.ones(listed)
    second = np.zeros(n, dtype=np.float32)  # every item ties in the second list too
    got = fusion.fused_top((items, scores), second, lambda rows: np.zeros(len(rows)), 0.0, 5, 60, m=16)
    dense = np.zeros(n)
    dense[items] = scores
    want = fusion.fused_top_dense(dense, second, np.zeros(n), 5, 60)
    assert got.tolist() == want.tolist()
    assert set(got.tolist()) <= {*items.tolist(), *range(5)}
