"""Average linkage over a sparse graph: missing pairs count 0, and the merge rounds give the
labels of best-first merging (kept here as `_best_first`, the heap the module used before)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from storyline.story import linkage
from storyline.story.linkage import link, link_pairs


def test_missing_pairs_count_as_zero_in_the_averages() -> None:
    # 0-1 and 1-2 are close, 0-2 is not given: {0, 1} then averages (0.0 + 0.5) / 2 = 0.25 with 2.
    low, high, sim = np.array([0, 1]), np.array([1, 2]), np.array([0.9, 0.5])
    assert link_pairs(3, low, high, sim, threshold=0.8) == [0, 0, 0]  # 0.25 > 0.2: merged
    assert link_pairs(3, low, high, sim, threshold=0.7) == [0, 0, 1]  # 0.25 <= 0.3: kept apart


def test_unlinked_items_stay_alone_and_labels_follow_first_appearance() -> None:
    low, high, sim = np.array([3]), np.array([1]), np.array([0.95])
    assert link_pairs(4, np.minimum(low, high), np.maximum(low, high), sim, 0.77) == [0, 1, 2, 1]
    assert link_pairs(3, np.array([], int), np.array([], int), np.array([]), 0.77) == [0, 1, 2]


def test_only_pairs_inside_one_strongly_linked_part_are_kept_for_merging() -> None:
    # 0-1 and 2-3 are strong; the weak 1-2 joins two parts that can never merge, and 4 has no
    # strong pair at all, so its weak pair to 0 cannot enter an average either.
    low, high = np.array([0, 2, 1, 0, 0]), np.array([1, 3, 2, 4, 3])
    sim = np.array([0.9, 0.8, 0.1, 0.1, 0.05])
    kept = linkage._mergeable(5, low, high, sim, floor=0.3)
    assert [tuple(map(float, k)) for k in zip(*kept, strict=True)] == [(0, 1, 0.9), (2, 3, 0.8)]
    # A weak pair inside one part stays: it lowers the average when its ends' clusters meet.
    low, high, sim = np.array([0, 1, 0]), np.array([1, 2, 2]), np.array([0.9, 0.9, 0.05])
    assert len(linkage._mergeable(3, low, high, sim, floor=0.3)[0]) == 3


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_sparse_linkage_equals_scikit_learn_on_a_full_matrix(seed: int) -> None:
    from sklearn.cluster import AgglomerativeClustering

    rng = np.random.default_rng(seed)
    points = rng.normal(size=(40, 5))
    points /= np.linalg.norm(points, axis=1, keepdims=True)
    similar = np.clip(points @ points.T, 0.0, 1.0)
    distance = 1.0 - similar
    np.fill_diagonal(distance, 0.0)
    model = AgglomerativeClustering(
        n_clusters=None, metric="precomputed", linkage="average", distance_threshold=0.6
    )
    order: dict[int, int] = {}
    expected = [order.setdefault(int(label), len(order)) for label in model.fit_predict(distance)]
    assert link(similar, 0.6) == expected
    assert len(set(expected)) not in {1, 40}  # the cut falls inside the tree


def _best_first(
    n: int,
    low: np.ndarray,
    high: np.ndarray,
    sim: np.ndarray,
    threshold: float,
    *,
    first_item_survives: bool = False,
) -> list[int]:
    """The linkage `link_pairs` used before its merge rounds: a heap of pairs, one merge at a time,
    dicts of similarity sums per cluster. Of two merged clusters it kept the one with more
    neighbours (so ties, which went to the smallest ids, depended on that), or with
    `first_item_survives` the one with the first item."""
    import heapq

    floor = 1.0 - threshold
    low, high, sim = linkage._mergeable(n, low, high, sim, floor)
    sums: list[dict[int, float]] = [{} for _ in range(n)]
    for a, b, s in zip(low.tolist(), high.tolist(), np.minimum(sim, 1.0).tolist(), strict=True):
        if a != b and s > 0:
            sums[a][b] = sums[b][a] = s
    size = [1] * n
    parent = list(range(n))
    heap = [(-s, a, b) for a, near in enumerate(sums) for b, s in near.items() if a < b and s > floor]
    heapq.heapify(heap)
    while heap:
        negative, a, b = heapq.heappop(heap)
        if parent[a] != a or parent[b] != b or sums[a].get(b, 0.0) / (size[a] * size[b]) != -negative:
            continue
        if not first_item_survives and len(sums[a]) < len(sums[b]):
            a, b = b, a
        parent[b] = a
        size[a] += size[b]
        del sums[a][b]
        for x, s in sums[b].items():
            if x != a:
                sums[a][x] = sums[a].get(x, 0.0) + s
                sums[x][a] = sums[x].get(a, 0.0) + s
                del sums[x][b]
        sums[b] = {}
        for x, s in sums[a].items():
            average = s / (size[a] * size[x])
            if average > floor:
                heapq.heappush(heap, (-average, min(a, x), max(a, x)))
    roots = []
    for i in range(n):
        while parent[i] != i:
            i = parent[i]
        roots.append(i)
    order: dict[int, int] = {}
    return [order.setdefault(root, len(order)) for root in roots]


def _news_like_graph(rng: np.random.Generator, n: int, *, ties: bool = False) -> tuple[np.ndarray, ...]:
    """A sparse graph shaped like the neighbour graph: two dense groups of dozens, small groups,
    items in no group, weak pairs across, similarities around the cut. Float32 values, as the
    neighbour graph gives, so their sums are exact; with `ties`, multiples of 1/16 (exact too)."""
    group = rng.integers(0, max(2, n // 6), size=n)
    group[: n // 3] = rng.integers(0, 2, size=n // 3)  # the big groups
    group[rng.random(n) < 0.1] = -1  # in no group
    low, high = np.triu_indices(n, k=1)
    same = (group[low] == group[high]) & (group[low] >= 0)
    kept = np.where(same, rng.random(len(low)) < 0.6, rng.random(len(low)) < 4 / n)
    low, high, same = low[kept], high[kept], same[kept]
    sim = np.where(same, rng.uniform(0.1, 0.8, len(low)), rng.uniform(0.0, 0.35, len(low)))
    if ties:
        sim = np.round(sim * 16) / 16
    return low, high, sim.astype(np.float32).astype(np.float64)


def _line_graph(n: int, width: int) -> tuple[np.ndarray, ...]:
    """Items on a line at gaps growing along it, each paired with the next `width`: every item's
    nearest is the one before, so a cluster grows an item at a time (one merge per round)."""
    place = np.cumsum(1.0 + 0.001 * np.arange(n))
    low = np.repeat(np.arange(n), width)
    high = low + np.tile(np.arange(1, width + 1), n)
    low, high = low[high < n], high[high < n]
    sim = np.exp(-(place[high] - place[low]) / (place[-1] / 1.5))
    return low, high, sim.astype(np.float32).astype(np.float64)


@pytest.mark.parametrize("seed", range(6))
def test_merge_rounds_give_the_labels_of_the_best_first_algorithm(seed: int) -> None:
    rng = np.random.default_rng(seed)
    for threshold in (0.5, 0.7, 0.77, 0.85):
        for n in (2, 12, 60, 150):
            low, high, sim = _news_like_graph(rng, n)
            assert link_pairs(n, low, high, sim, threshold) == _best_first(n, low, high, sim, threshold)


def test_a_chain_growing_an_item_a_round_gives_the_best_first_labels(monkeypatch: pytest.MonkeyPatch) -> None:
    rounds: list[int] = []
    merge = linkage._merge

    def counted(*args: Any) -> np.ndarray:
        rounds.append(1)
        return merge(*args)

    monkeypatch.setattr(linkage, "_merge", counted)
    low, high, sim = _line_graph(300, 40)
    labels = link_pairs(300, low, high, sim, 0.77)
    assert labels == _best_first(300, low, high, sim, 0.77)
    assert np.bincount(labels).tolist() == [64, 64, 64, 108]
    assert len(rounds) > 150  # about one merge a round


@pytest.mark.parametrize("seed", range(4))
def test_tied_averages_go_to_the_pair_whose_first_items_come_first(seed: int) -> None:
    # Similarities of a few values (multiples of 1/16, so every sum is exact) tie often; the rounds
    # then agree with best-first merging that keeps a cluster's first item as its id.
    rng = np.random.default_rng(seed)
    for threshold in (0.5, 0.7, 0.8):
        for n in (8, 30, 80):
            low, high, sim = _news_like_graph(rng, n, ties=True)
            expected = _best_first(n, low, high, sim, threshold, first_item_survives=True)
            assert link_pairs(n, low, high, sim, threshold) == expected


def test_a_tie_is_decided_by_the_order_of_the_items() -> None:
    # 0-1 and 1-2 tie at 0.9: {0, 1} first, then 2 averages 0.45 with it and 0.5 with 3.
    low, high, sim = np.array([0, 1, 2]), np.array([1, 2, 3]), np.array([0.9, 0.9, 0.5])
    assert link_pairs(4, low, high, sim, threshold=0.6) == [0, 0, 1, 1]
    # Numbered backwards, the tie is between 1-2 and 2-3: {1, 2} first, which then takes 3 at 0.45.
    assert link_pairs(4, 3 - high, 3 - low, sim, threshold=0.6) == [0, 1, 1, 1]


def test_pairs_in_any_order_and_given_twice_keep_their_last_value() -> None:
    rng = np.random.default_rng(7)
    n = 80
    low, high, sim = _news_like_graph(rng, n)
    expected = link_pairs(n, low, high, sim, 0.77)
    assert 1 < max(expected) < n - 1
    # The same pairs shuffled, half of them ends swapped, each given before with another value;
    # and an item paired with itself.
    order = rng.permutation(len(low))
    swap = rng.random(len(low)) < 0.5
    a, b, s = np.where(swap, high, low)[order], np.where(swap, low, high)[order], sim[order]
    earlier = rng.random(len(s))
    given = np.concatenate([b, [5], a]), np.concatenate([a, [5], b]), np.concatenate([earlier, [1.0], s])
    assert link_pairs(n, *given, 0.77) == expected == _best_first(n, *given, threshold=0.77)


def test_no_pair_and_no_item() -> None:
    empty = np.array([], dtype=np.int64)
    assert link_pairs(0, empty, empty, np.array([]), 0.77) == []
    assert link_pairs(4, np.array([0, 1]), np.array([1, 2]), np.array([0.2, 0.1]), 0.77) == [0, 1, 2, 3]


def _chunks(
    rng: np.random.Generator, low: np.ndarray, high: np.ndarray, sim: np.ndarray, pieces: int
) -> tuple[list[tuple[np.ndarray, np.ndarray, np.ndarray]], tuple[np.ndarray, ...]]:
    """The pairs cut into `pieces` chunks in a shuffled order, a third of them given again later
    with another value (and an item paired with itself, and a pair at 0); and the pairs with the
    value that counts (the first given), as `link_pairs` reads them."""
    order = rng.permutation(len(low))
    a, b, s = low[order], high[order], sim[order]
    again = (rng.random(len(a)) < 1 / 3) & (s > 0)  # a pair at 0 is one not given: a later value counts
    later = rng.uniform(0.0, 1.0, int(again.sum())).astype(np.float32).astype(np.float64)
    a = np.concatenate([a, a[again], [3, 0]])
    b = np.concatenate([b, b[again], [3, 1]])
    s = np.concatenate([s, later, [1.0, 0.0]])
    cuts = np.sort(rng.integers(0, len(a), size=pieces - 1))
    chunks = list(zip(np.split(a, cuts), np.split(b, cuts), np.split(s, cuts), strict=True))
    return chunks, (low[order], high[order], sim[order])


@pytest.mark.parametrize("seed", range(4))
def test_chunks_read_from_disk_give_the_labels_of_the_pairs_in_memory(seed: int) -> None:
    # Partitions of 40 to 5,000 pairs: from many files on disk to one partition in memory.
    rng = np.random.default_rng(seed)
    for threshold in (0.5, 0.77):
        for n, ties in ((60, False), (150, True), (300, False)):
            low, high, sim = _news_like_graph(rng, n, ties=ties)
            chunks, first = _chunks(rng, low, high, sim, pieces=7)
            expected = link_pairs(n, *first, threshold)
            assert expected == _best_first(n, low, high, sim, threshold, first_item_survives=True)
            for partition_pairs in (40, 333, 5000):
                labels = linkage.link_chunks(n, iter(chunks), threshold, partition_pairs=partition_pairs)
                assert labels == expected


def test_chunks_of_a_chain_and_of_a_dense_matrix_give_the_labels_of_link() -> None:
    low, high, sim = _line_graph(300, 40)
    chunks = [(low[i : i + 500], high[i : i + 500], sim[i : i + 500]) for i in range(0, len(low), 500)]
    expected = _best_first(300, low, high, sim, 0.77)
    assert linkage.link_chunks(300, chunks, 0.77, partition_pairs=1000) == expected
    rng = np.random.default_rng(5)
    points = rng.normal(size=(60, 4))
    points /= np.linalg.norm(points, axis=1, keepdims=True)
    similar = np.clip(points @ points.T, 0.0, 1.0).astype(np.float32).astype(np.float64)
    a, b = np.triu_indices(60, k=1)
    rows = [(a[a == i], b[a == i], similar[i, b[a == i]]) for i in range(60)]
    assert linkage.link_chunks(60, rows, 0.6, partition_pairs=100) == link(similar, 0.6)


def test_spilled_pairs_leave_no_file_behind(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    low, high, sim = _news_like_graph(np.random.default_rng(3), 120)

    def failing() -> Any:
        yield low, high, sim
        raise RuntimeError("the graph could not be read")

    linkage.link_chunks(120, [(low, high, sim)], 0.77, partition_pairs=50)
    with pytest.raises(RuntimeError):
        linkage.link_chunks(120, failing(), 0.77, partition_pairs=50)
    assert list(tmp_path.iterdir()) == []
