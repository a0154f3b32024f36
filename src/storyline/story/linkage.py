"""Average linkage over a sparse similarity graph: the step that turns the neighbour graph of
`cluster` into story labels. Merges come in rounds of mutual nearest neighbours over flat arrays of
cluster pairs, so memory is 16 bytes a pair and no Python object is made per pair.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

__all__ = ["link", "link_pairs"]


def link(similar: np.ndarray, threshold: float) -> list[int]:
    """Average-linkage clusters of a dense similarity matrix cut at distance `threshold` (the
    matrix is made symmetric; similarities at or below 0 count as 0)."""
    n = len(similar)
    if n <= 1:
        return [0] * n
    symmetric = (similar + similar.T) / 2
    low, high = np.triu_indices(n, k=1)
    return link_pairs(n, low, high, symmetric[low, high], threshold)


def link_pairs(n: int, low: np.ndarray, high: np.ndarray, sim: np.ndarray, threshold: float) -> list[int]:
    """Average-linkage clusters of n items given the similarity of some pairs (the others count 0),
    cut at distance `threshold` (1 - similarity); labels numbered by first appearance.

    Written here because scipy and fastcluster need the dense n x n matrix and scikit-learn's
    connectivity-constrained average linkage averages over linked pairs only (a missing pair does
    not lower the average). Clusters keep the *sum* of their pairs' similarities to each neighbour,
    so a merge adds two sums and every average stays exact: sum / (size_a * size_b).

    Merges come in rounds over flat arrays of cluster pairs (int32 ends and a float64 sum, 16 bytes
    a pair), not one at a time from a heap over a dict per cluster (~75 bytes a directed entry). A
    round merges every two clusters that are each other's nearest neighbour above the cut. Average
    linkage is reducible (the average to a merged cluster lies between the averages to its parts),
    so best-first merging joins such a pair too and builds the same tree: this is what makes the
    nearest-neighbour chain algorithm exact. Ties go to the pair whose clusters' first items come
    first (a merged cluster is known by its first item), a strict order that keeps this true. The
    neighbour graph's similarities are float32 (24-bit mantissas) of like magnitude, whose float64
    sums are exact, so adding them in another order than best-first merging gives the same
    averages to the bit (other inputs may differ in a last bit, which matters only between
    averages within a rounding error of each other).

    On the 1.7 million mergeable pairs of 18,713 Reuters articles: 33 rounds, the same 7,142
    labels as the heap, 0.4 s and +90 MB of peak memory where the heap took 3.5 s and +273 MB. A
    round reads every pair still live, so a chain where each cluster's nearest is the one before it
    costs a round per merge: items on a line at growing gaps take 2,508 rounds for 5,000 items, 11 s
    where the heap takes 1.5 s (the same line at random gaps: 20 rounds, 0.14 s against 1.7 s).
    """
    floor = 1.0 - threshold  # merge while the best average similarity is above it
    lo, hi, total = _mergeable(n, *_unique_pairs(n, low, high, sim), floor)
    parent = np.arange(n, dtype=lo.dtype)  # a merged cluster points at the one it joined
    size = np.ones(n)  # floats: a product of two sizes is exact, and divides as the integer did
    while len(lo):
        lo, hi, total = _merge_nearest(lo, hi, total, parent, size, floor)
    while not np.array_equal(parent[parent], parent):
        parent = parent[parent]
    return _numbered(parent.tolist())


def _unique_pairs(
    n: int, low: np.ndarray, high: np.ndarray, sim: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The pairs as int32 ends lo < hi and a float64 similarity cut at 1, each pair once (its last
    value, as successive assignments keep); pairs of an item with itself or at 0 are left out."""
    index = np.int32 if n < 2**31 else np.int64
    given = (low != high) & (sim > 0)
    lo, hi = low.astype(index, copy=False)[given], high.astype(index, copy=False)[given]
    total = np.minimum(sim[given], 1.0)
    swap = lo > hi
    lo[swap], hi[swap] = hi[swap], lo[swap]
    key = lo.astype(np.int64)
    key *= n
    key += hi
    if not np.all(key[1:] > key[:-1]):  # the neighbour graph and `link` give them sorted, once each
        _, first = np.unique(key[::-1], return_index=True)
        last = len(key) - 1 - first
        lo, hi, total = lo[last], hi[last], total[last]
    return lo, hi, total


def _merge_nearest(
    lo: np.ndarray, hi: np.ndarray, total: np.ndarray, parent: np.ndarray, size: np.ndarray, floor: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One round: merge each two clusters that are each other's nearest neighbour above `floor`
    into the one with the first item (`parent` and `size` are updated), and return the pairs of
    the clusters that can still merge."""
    n = len(parent)
    average = size[lo]
    average *= size[hi]
    np.divide(total, average, out=average)
    best = np.full(n, -np.inf)
    np.maximum.at(best, lo, average)
    np.maximum.at(best, hi, average)
    nearest = np.full(n, n, dtype=lo.dtype)
    for me, other in ((lo, hi), (hi, lo)):
        tied = average == best[me]
        np.minimum.at(nearest, me[tied], other[tied])  # of equal averages, the first cluster
    merge = (nearest[lo] == hi) & (nearest[hi] == lo) & (average > floor)
    del average, tied, nearest
    parent[hi[merge]] = lo[merge]
    size[lo[merge]] += size[hi[merge]]
    touched = np.zeros(n, dtype=bool)
    touched[lo[merge]] = touched[hi[merge]] = True
    touching = touched[lo] | touched[hi]
    # A cluster whose best average is at or below the floor never merges again (a later average
    # to it is a size-weighted mean of today's ones), so its pairs go for good: on the Reuters
    # graph the live pairs fall from 1.7 million to 158,000 in ten rounds.
    alive = best > floor
    stay = alive[lo] & alive[hi]
    moved = stay & touching & ~merge
    stay &= ~touching
    del touching, merge
    new_lo, new_hi, summed = _summed(parent[lo[moved]], parent[hi[moved]], total[moved], n)
    return _joined(stay, lo, new_lo), _joined(stay, hi, new_hi), _joined(stay, total, summed)


def _summed(
    a: np.ndarray, b: np.ndarray, total: np.ndarray, n: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The pairs (a, b) as ends lo < hi, each once with the sum of its totals: the pairs of two
    merged clusters to one neighbour become one. A stable sort adds them in one fixed order."""
    index = a.dtype
    key = np.minimum(a, b).astype(np.int64)
    key *= n
    key += np.maximum(a, b)
    del a, b  # each array let go once used: the first round moves most pairs
    order = np.argsort(key, kind="stable")
    key, total = key[order], total[order]
    del order
    first = np.flatnonzero(np.diff(key, prepend=-1))  # where each pair starts
    summed = np.add.reduceat(total, first) if len(first) else total
    key = key[first]
    return (key // n).astype(index), (key % n).astype(index), summed


def _joined(keep: np.ndarray, old: np.ndarray, new: np.ndarray) -> np.ndarray:
    """old[keep] then new, in one new array (no copy of old[keep] on the way)."""
    count = int(np.count_nonzero(keep))
    out = np.empty(count + len(new), dtype=old.dtype)
    np.compress(keep, old, out=out[:count])
    out[count:] = new
    return out


def _mergeable(
    n: int, low: np.ndarray, high: np.ndarray, sim: np.ndarray, floor: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The pairs that can take part in a merge: both ends in one connected part of the graph of
    pairs above `floor`. An average above the floor needs one pair above it, so every cluster lies
    inside one such part, and a pair across two parts never enters an average that is compared
    (17% of the pairs on 18,713 Reuters articles, with every article that has no strong pair)."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    strong = sim > floor
    graph = coo_matrix((np.ones(int(strong.sum()), dtype=np.int8), (low[strong], high[strong])), shape=(n, n))
    _, part = connected_components(graph, directed=False)
    inside = part[low] == part[high]
    return low[inside], high[inside], sim[inside]


def _numbered(labels: Iterable[int]) -> list[int]:
    order: dict[int, int] = {}
    return [order.setdefault(label, len(order)) for label in labels]
