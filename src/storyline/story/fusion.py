"""The best k of a reciprocal-rank fusion of two rankings, without ranking every item.

`fused_top` gives exactly what ranking all n items in both lists would give (the dense reference,
`fused_top_dense`): the k items of the highest

    1 / (K + rank in the first list) + 1 / (K + rank in the second) + bonus + 1e-6 x second score

ranks counted as a stable sort of the scores, best first (equal scores in item order), the fused
order again a stable sort. The dense way holds several arrays of n numbers per question (~47 bytes
an item: two argsorts, two rank arrays, the fused scores), which grows with the sentences of the
store. This way takes the items ranked in the first m of either list as candidates, ranks only
them (counting, a block of items at a time, the items above each), and checks that no other item
can reach the k-th candidate's score: one outside both top-m lists scores at most
2 / (K + m + 1) + the largest bonus + 1e-6 x its second score. If the check fails, m grows; on few
items the dense way is used.

Written here because the rankings' libraries (rank-bm25, bm25s, faiss) fuse nothing, and the Q&A
figures were measured with this fusion's exact order.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

_BLOCK = 1 << 16  # items sorted at once when counting ranks
_FIRST_M = 1024  # candidates taken from the top of each list at first
TIE_BREAK = 1e-6  # weight of the second score: equal fused ranks go to the higher second score


def fused_top(
    first: tuple[np.ndarray, np.ndarray],
    second: np.ndarray,
    bonus: Callable[[np.ndarray], np.ndarray],
    bonus_max: float,
    k: int,
    rrf_k: int,
    m: int | None = None,
) -> np.ndarray:
    """The indices of the k best items, best first.

    `first` is sparse: (items, scores), items sorted and unique, every other item scoring 0 (BM25:
    most sentences share no word with the question). `second` is dense, one float per item, none
    NaN. `bonus(items)` gives the bonus of those items (float64), never above `bonus_max`.
    """
    n = len(second)
    items, scores = first
    m = m or _FIRST_M
    if n and not np.isnan(second.max()):
        top_second = max(float(second.max()), 0.0)
        while 4 * m < n:
            cand = np.union1d(_top_sparse(items, scores, n, m), _top_dense(second, m))
            fused = _fused(
                _ranks_sparse(cand, items, scores, n),
                _ranks_dense(cand, second),
                bonus(cand),
                second[cand],
                rrf_k,
            )
            order = np.lexsort((cand, -fused))[:k]
            outside = 2.0 / (rrf_k + m + 1) + bonus_max + TIE_BREAK * top_second
            if len(order) == min(k, n) and fused[order[-1]] > outside * (1 + 1e-9):
                return cand[order]
            m *= 4
    dense = np.zeros(n)
    dense[items] = scores
    return fused_top_dense(dense, second, bonus(np.arange(n)), k, rrf_k)


def fused_top_dense(
    first: np.ndarray, second: np.ndarray, bonus: np.ndarray, k: int, rrf_k: int
) -> np.ndarray:
    """The reference: every item ranked in both lists."""
    fused = _fused(_ranks(first), _ranks(second), bonus, second, rrf_k)
    return np.argsort(-fused, kind="stable")[:k]


def _fused(
    first_rank: np.ndarray, second_rank: np.ndarray, bonus: np.ndarray, second: np.ndarray, rrf_k: int
) -> np.ndarray:
    # One expression for both ways, so that an item's fused score is the same float either way.
    return (
        1.0 / (rrf_k + first_rank.astype(np.float64))
        + 1.0 / (rrf_k + second_rank.astype(np.float64))
        + bonus
        + TIE_BREAK * second
    )


def _ranks(scores: np.ndarray) -> np.ndarray:
    ranks = np.empty(len(scores), dtype=np.int64)
    ranks[np.argsort(-scores, kind="stable")] = np.arange(1, len(scores) + 1)
    return ranks


def _top_dense(scores: np.ndarray, m: int) -> np.ndarray:
    """The items whose score reaches the m-th best (the first m of the ranking, and any that tie
    with the m-th), found a block at a time."""
    best = np.empty(0, dtype=scores.dtype)
    for start in range(0, len(scores), _BLOCK):
        block = scores[start : start + _BLOCK]
        if len(block) > m:
            block = np.partition(block, len(block) - m)[-m:]
        best = np.concatenate([best, block])
        if len(best) > m:
            best = np.partition(best, len(best) - m)[-m:]
    cut = best.min()
    found = [np.flatnonzero(scores[s : s + _BLOCK] >= cut) + s for s in range(0, len(scores), _BLOCK)]
    return np.concatenate(found)


def _ranks_dense(items: np.ndarray, scores: np.ndarray) -> np.ndarray:
    """The rank of each of `items` (sorted) in the stable ranking of `scores`: 1 + the items
    scoring more + the earlier items scoring the same, counted a block at a time."""
    values = scores[items]
    ranks = np.ones(len(items), dtype=np.int64)
    for start in range(0, len(scores), _BLOCK):
        block = scores[start : start + _BLOCK]
        ordered = np.sort(block)
        above = np.searchsorted(ordered, values, "right")
        equal = above - np.searchsorted(ordered, values, "left")
        ranks += len(block) - above
        before = items >= start + len(block)  # every equal item of the block comes earlier
        ranks[before] += equal[before]
        inside = np.flatnonzero((items >= start) & ~before & (equal > 1))
        for i in inside.tolist():  # an equal item other than itself: count those before it
            at = int(items[i]) - start
            ranks[i] += int(np.count_nonzero(block[:at] == values[i]))
    return ranks


def _top_sparse(items: np.ndarray, scores: np.ndarray, n: int, m: int) -> np.ndarray:
    """`_top_dense` of the dense scores (`scores` at `items`, 0 elsewhere)."""
    positive = scores > 0
    if np.count_nonzero(positive) >= m:
        cut = np.partition(scores[positive], np.count_nonzero(positive) - m)[-m]
        return items[scores >= cut]
    need = m - int(np.count_nonzero(positive))
    nonzero = items[scores != 0]
    zeros = np.setdiff1d(np.arange(min(n, need + len(nonzero))), nonzero)[:need]  # first in order
    found = [items[positive], zeros]
    if len(zeros) < need:  # few items score 0: the negative ones come next
        found.append(items[scores < 0])
    return np.concatenate(found)


def _ranks_sparse(cand: np.ndarray, items: np.ndarray, scores: np.ndarray, n: int) -> np.ndarray:
    """`_ranks_dense` of the dense scores (`scores` at `items`, 0 elsewhere)."""
    at = np.searchsorted(items, cand)
    held = at < len(items)
    held[held] = items[at[held]] == cand[held]
    values = np.zeros(len(cand))
    values[held] = scores[at[held]]
    order = np.lexsort((items, scores))  # by score, then item
    by_score, by_item = scores[order], items[order]
    low = np.searchsorted(by_score, values, "left")
    high = np.searchsorted(by_score, values, "right")
    ranks = 1 + (len(scores) - high)
    ranks[values < 0] += n - len(items)  # the unlisted items score 0
    zero = values == 0
    ranks[zero] += cand[zero] - np.searchsorted(items, cand[zero])  # unlisted items before it
    for i in np.flatnonzero(high > low).tolist():  # listed items of the same score before it
        ranks[i] += int(np.searchsorted(by_item[low[i] : high[i]], cand[i]))
    return ranks
