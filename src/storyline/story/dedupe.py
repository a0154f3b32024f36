"""Near-duplicate articles (syndicated copies, light rewrites): MinHash over word 5-shingles + LSH.

Articles whose shingle sets overlap by estimated Jaccard >= 0.5 form a group; the group's original is
the first published, then the one the others credit as their source, then the one most contained in
the others; the rest get `duplicate_of`. Copies still count as coverage but not as independent sources.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import numpy as np
from datasketch import MinHash, MinHashLSH

from storyline.model import Article
from storyline.story.spill import SpillFolder

DEDUPE_VERSION = "dedupe.v1"
THRESHOLD = 0.5
_PERM = 128
_SHINGLE = 5
_CHECK_BATCH = 8192  # candidate pairs whose signatures are compared at once (2 x 4 MB)
_WRITE_BATCH = 1024  # signatures made before they are written (512 bytes each)


def shingles(text: str, size: int = _SHINGLE) -> set[str]:
    words = re.findall(r"\w+", text.casefold())
    if len(words) < size:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + size]) for i in range(len(words) - size + 1)}


def signature(text: str) -> MinHash:
    first = _first_minhash()
    mh = MinHash(num_perm=_PERM, seed=1, permutations=first.permutations, scheme=first.scheme)
    mh.update_batch([s.encode() for s in shingles(text)])
    return mh


@functools.lru_cache(maxsize=1)
def _first_minhash() -> MinHash:
    # Every MinHash(seed=1) draws the same permutations; drawn once and shared, they no longer cost
    # a third of the stage (3,000 Reuters stories: signatures 11.7 s -> 9.0 s under the profiler).
    return MinHash(num_perm=_PERM, seed=1)


def find_duplicates(articles: Sequence[Article], threshold: float = THRESHOLD) -> dict[str, str]:
    """Map article id -> id of the article it copies (only copies appear as keys).

    The original of a group is the first published; on the same day (or undated) it is the one
    most contained in the others, since a syndicated copy adds a new lead and boilerplate lines
    to the wire text rather than dropping them.
    """
    # Signatures are made in one pass and only the articles of a group are read again: `articles`
    # may be read from the store a batch at a time, and the store's texts are never held at once.
    # The signatures go to temporary files a batch at a time (512 bytes an article, the stage's
    # largest array when it held them: on 18,675 Reuters articles the stage's peak went from +25 to
    # +16 MB of RSS, the same 427 copies).
    position: dict[str, int] = {}
    with SpillFolder() as folder, _Signatures(folder, len(articles), _bands(threshold)) as stored:
        batch: list[np.ndarray] = []
        for i, art in enumerate(articles):
            if art.id not in position:
                batch.append(signature(art.text).hashvalues)
                position[art.id] = i
                if len(batch) == _WRITE_BATCH:
                    stored.add(np.stack(batch))
                    batch = []
        if batch:
            stored.add(np.stack(batch))
        del batch
        groups = _groups(list(position), stored, threshold)
    wanted = sorted(position[g] for group in groups for g in group)
    by_id = {articles[i].id: articles[i] for i in wanted}
    copies: dict[str, str] = {}
    for group in groups:
        original = _original([by_id[g] for g in group])
        copies.update({g: original for g in group if g != original})
    return copies


def _original(group: list[Article]) -> str:
    """The id of the group's original: the first published, then the most credited by the others,
    then the most contained in them; the first in the group of those that tie on all three. Each
    test is made only among those that tie on the ones before (shingles are made for a tie on
    the day and credits only: a group of a hundred copies of one day made 10,000 shingle sets)."""
    tied = _best(group, lambda a: a.published or "9999")
    if len(tied) > 1:
        tied = _best(tied, lambda a: -sum(_credits(o, a) for o in group if o.id != a.id))
    if len(tied) > 1:
        sets = {a.id: shingles(a.text) for a in group}
        tied = _best(tied, lambda a: -_containment(a.id, sets))
    return tied[0].id


def _best(articles: list[Article], score: Callable[[Article], Any]) -> list[Article]:
    """The articles of the lowest score, in their order."""
    scores = [score(a) for a in articles]
    lowest = min(scores)
    return [a for a, s in zip(articles, scores, strict=True) if s == lowest]


def _groups(ids: Sequence[str], stored: _Signatures, threshold: float) -> list[list[str]]:
    """Connected groups of two or more articles whose estimated Jaccard similarity reaches the
    threshold, among the pairs that share a band of their signatures (the bands datasketch's
    `MinHashLSH` picks for this threshold); groups and their members in input order.

    The banding is done here, over the signatures' columns, because `MinHashLSH` keeps a bytes key,
    a dict entry and a set per band and article, and the MinHash objects stay beside it: the stage
    grew the process by 170 MB at 18,700 Reuters stories, 10 MB this way (and runs in 5.2 s, not
    7.8). The pairs it would find, and their check (`MinHash.jaccard`: the share of equal hash
    values), are the same; a test compares the groups. A band's columns are read at a time, and a
    pair is checked only while its articles are not yet known to be in one group (a pair inside a
    group adds nothing to it), reading the signatures of a batch of pairs.
    """
    n = len(ids)
    part = np.arange(n)  # each article's group so far (a connected part of the checked pairs)
    for start, end in stored.bands:
        alike: list[np.ndarray] = []
        for low, high in _batched(_band_pairs(stored.band(start, end)), _CHECK_BATCH):
            fresh = part[low] != part[high]
            low, high = low[fresh], high[fresh]
            if not len(low):
                continue
            rows, where = np.unique(np.concatenate([low, high]), return_inverse=True)
            hashes = stored.rows(rows)
            same = np.count_nonzero(hashes[where[: len(low)]] == hashes[where[len(low) :]], axis=1)
            linked = same / np.float64(_PERM) >= threshold
            alike.append(np.stack([low[linked], high[linked]]))
            if sum(a.shape[1] for a in alike) >= _CHECK_BATCH:
                part = _joined(part, np.concatenate(alike, axis=1))
                alike = []
        if alike:
            part = _joined(part, np.concatenate(alike, axis=1))
    sizes = np.bincount(part, minlength=n)
    groups: dict[int, list[str]] = {}
    for i in np.flatnonzero(sizes[part] > 1).tolist():
        groups.setdefault(int(part[i]), []).append(ids[i])
    return list(groups.values())


def _joined(part: np.ndarray, pairs: np.ndarray) -> np.ndarray:
    """`part` with the groups of each pair's two articles made one."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    n = len(part)
    graph = coo_matrix(
        (np.ones(pairs.shape[1], dtype=np.int8), (part[pairs[0]], part[pairs[1]])), shape=(n, n)
    )
    _, found = connected_components(graph, directed=False)
    return found[part]


@functools.lru_cache(maxsize=4)
def _bands(threshold: float) -> tuple[tuple[int, int], ...]:
    """The (start, end) hash ranges `MinHashLSH` bands signatures into for `threshold`."""
    return tuple(MinHashLSH(threshold=threshold, num_perm=_PERM).hashranges)


def _band_pairs(band: np.ndarray) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Pairs (low, high) of rows equal on all hash values of `band` (rows x band width), a bucket of
    equal rows at a time (a large bucket a row of its pairs at a time)."""
    keys = band.view(np.dtype((np.void, band.itemsize * band.shape[1]))).ravel()
    _, bucket, sizes = np.unique(keys, return_inverse=True, return_counts=True)
    bucket = bucket.ravel()
    shared = np.flatnonzero(sizes[bucket] > 1)
    if not len(shared):
        return
    rows = shared[np.argsort(bucket[shared], kind="stable")]
    for members in np.split(rows, np.cumsum(sizes[sizes > 1])[:-1]):
        if len(members) * (len(members) - 1) // 2 <= _CHECK_BATCH:
            low, high = np.triu_indices(len(members), k=1)
            yield members[low], members[high]
        else:
            for i in range(len(members) - 1):
                yield np.full(len(members) - i - 1, members[i]), members[i + 1 :]


def _batched(
    pieces: Iterator[tuple[np.ndarray, np.ndarray]], size: int
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """The pieces' pairs joined into batches of about `size` pairs."""
    lows: list[np.ndarray] = []
    highs: list[np.ndarray] = []
    count = 0
    for low, high in pieces:
        lows.append(low)
        highs.append(high)
        count += len(low)
        if count >= size:
            yield np.concatenate(lows), np.concatenate(highs)
            lows, highs, count = [], [], 0
    if lows:
        yield np.concatenate(lows), np.concatenate(highs)


class _Signatures:
    """The signatures of the articles in two temporary files, a batch of rows appended at a time:
    one by article (what a pair's check reads) and one by band (each band's columns of every
    article in one run, what the banding reads), each read with plain reads of what is needed."""

    def __init__(self, folder: SpillFolder, capacity: int, bands: tuple[tuple[int, int], ...]) -> None:
        self.bands, self.count = bands, 0
        self._capacity = capacity
        self._dtype = _first_minhash().hashvalues.dtype
        self._by_row = open(folder.new_file("signatures"), "w+b")  # noqa: SIM115 (closed by close)
        self._by_band = open(folder.new_file("bands"), "w+b")  # noqa: SIM115

    def add(self, hashes: np.ndarray) -> None:
        """Append the signatures (rows x 128) of the next articles."""
        self._by_row.seek(self.count * _PERM * self._dtype.itemsize)
        hashes.tofile(self._by_row)
        for start, end in self.bands:  # band b's rows start after the capacity of the bands before
            self._by_band.seek((self._capacity * start + self.count * (end - start)) * self._dtype.itemsize)
            np.ascontiguousarray(hashes[:, start:end]).tofile(self._by_band)
        self.count += len(hashes)

    def band(self, start: int, end: int) -> np.ndarray:
        """Columns start:end of every signature (rows x band width)."""
        values = np.empty((self.count, end - start), dtype=self._dtype)
        if self.count:  # a memoryview of no rows cannot be cast to bytes
            self._by_band.seek(self._capacity * start * self._dtype.itemsize)
            self._by_band.readinto(values.data.cast("B"))
        return values

    def rows(self, index: np.ndarray) -> np.ndarray:
        """The signatures of the rows at `index` (sorted, each once), a run of consecutive rows at once."""
        values = np.empty((len(index), _PERM), dtype=self._dtype)
        starts = np.flatnonzero(np.diff(index, prepend=-2) != 1).tolist()
        for first, last in zip(starts, [*starts[1:], len(index)], strict=False):
            self._by_row.seek(int(index[first]) * _PERM * self._dtype.itemsize)
            self._by_row.readinto(values[first:last].data.cast("B"))
        return values

    def __enter__(self) -> _Signatures:
        return self

    def __exit__(self, *exc: object) -> None:
        self._by_row.close()
        self._by_band.close()


def _credits(copy: Article, source: Article) -> bool:
    """Whether `copy` names `source`'s outlet as its author or origin ("By Littoral Press Agency",
    "This article first appeared in ..."), the surest sign of which of two same-day texts is the wire."""
    from storyline.story.identities import acronym

    site = (source.site or "").strip()
    if not site:
        return False
    credited = [copy.author or ""] + [r.text for r in copy.removed if r.reason in {"byline", "legal"}]
    folded = site.casefold()
    return any(folded in c.casefold() or (site.isupper() and acronym(c) == site) for c in credited if c)


def _containment(article: str, sets: dict[str, set[str]]) -> float:
    """The mean share of `article`'s shingles found in each other article of its group (`sets`)."""
    mine = sets[article]
    others = [o for key, o in sets.items() if key != article]
    return sum(len(mine & o) / max(1, len(mine)) for o in others) / max(1, len(others))
