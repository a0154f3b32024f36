"""Clustering's features on disk: per article, TF-IDF rows over its key terms and its whole text, the
embedding of its lead, and its publication day, written a batch of articles at a time to files in a
temporary folder and read back a block of rows at a time, so that no stage holds them for the store.
"""

from __future__ import annotations

import shutil
import tempfile
import weakref
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, BinaryIO, Protocol

import numpy as np
from scipy.sparse import csr_matrix

__all__ = ["FeatureFiles", "Features", "FeatureSource", "StreamedTfidf", "write_features"]

# Articles read, analysed and written at once: a batch's texts (a few MB) and its rows.
BATCH = 1_000
_DIM = 384  # MiniLM's vectors


@dataclass(frozen=True)
class Features:
    """What the similarity of two articles is computed from, one row per article (a block of them)."""

    keys: csr_matrix  # unit TF-IDF rows over key terms, float32
    words: csr_matrix  # unit TF-IDF rows over the whole text, float32
    leads: np.ndarray  # unit MiniLM vectors of the leads, float32
    days: np.ndarray | None  # publication day ordinals (nan: undated), or None when no dates given

    def __len__(self) -> int:
        return int(self.leads.shape[0])

    def block(self, start: int, stop: int) -> Features:
        days = None if self.days is None else self.days[start:stop]
        return Features(self.keys[start:stop], self.words[start:stop], self.leads[start:stop], days)


class FeatureSource(Protocol):
    """Features of n articles, read a block of consecutive rows at a time."""

    def __len__(self) -> int: ...

    def block(self, start: int, stop: int) -> Features: ...


class StreamedTfidf:
    """scikit-learn's `TfidfVectorizer(sublinear_tf=True, dtype=float32, **options).fit_transform`,
    bit for bit, over documents seen a batch at a time, its rows kept in files.

    Written here because scikit-learn fits a vocabulary on every document held at once (its
    HashingVectorizer streams, but hashes terms and has no IDF). `add` counts a batch the way
    CountVectorizer does (terms numbered by first appearance in the corpus, each row's entries in
    that order), `finish` numbers the terms in sorted order and weighs the rows in place as
    TfidfTransformer does: 1 + ln(count), times idf = ln((1 + n) / (1 + df)) + 1, unit length."""

    def __init__(self, folder: Path, name: str, **options: Any) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer

        self._analyze = TfidfVectorizer(**options).build_analyzer()
        self._vocabulary: dict[str, int] = {}  # term -> number by first appearance
        self._df = np.zeros(0, dtype=np.int64)
        self._rows, self._entries = 0, 0
        self._paths = _CsrPaths(folder, name)
        self._files = self._paths.create()
        self._files[2].write(np.zeros(1, dtype=np.int64).tobytes())
        self.terms = 1  # columns of the matrix (1 when no term was found, as `_tfidf` gives)

    def add(self, docs: Iterable[str]) -> None:
        indptr, indices, counts = [0], list[int](), list[int]()
        for doc in docs:
            seen: dict[int, int] = {}
            for term in self._analyze(doc):
                index = self._vocabulary.setdefault(term, len(self._vocabulary))
                seen[index] = seen.get(index, 0) + 1
            indices.extend(seen)
            counts.extend(seen.values())
            indptr.append(len(indices))
        batch = csr_matrix(
            (
                np.array(counts, dtype=np.float32),
                np.array(indices, dtype=np.int32),
                np.array(indptr, np.int64),
            ),
            shape=(len(indptr) - 1, max(1, len(self._vocabulary))),
        )
        batch.sort_indices()  # as CountVectorizer leaves its counts
        if len(self._df) < len(self._vocabulary):
            self._df = np.concatenate([self._df, np.zeros(len(self._vocabulary) - len(self._df), np.int64)])
        self._df += np.bincount(batch.indices, minlength=len(self._df))
        data, index_file, indptr_file = self._files
        data.write(batch.data.tobytes())
        index_file.write(batch.indices.tobytes())
        indptr_file.write((batch.indptr[1:].astype(np.int64) + self._entries).tobytes())
        self._rows += batch.shape[0]
        self._entries += len(indices)

    def finish(self) -> CsrFile:
        """Weigh the rows in place, a batch at a time; the file of the finished matrix."""
        from sklearn.preprocessing import normalize

        for f in self._files:
            f.close()
        matrix = CsrFile(self._paths, self._rows, 1)
        if not self._vocabulary:  # TfidfVectorizer raises "empty vocabulary"; `_tfidf` gives zeros
            return matrix
        order = sorted(self._vocabulary)  # the terms in sorted order
        renumbered = np.empty(len(order), dtype=np.int32)
        renumbered[[self._vocabulary[t] for t in order]] = np.arange(len(order), dtype=np.int32)
        del order
        self._vocabulary.clear()
        df = np.empty(len(renumbered), dtype=np.float32)
        df[renumbered] = self._df  # in the sorted order
        df += 1.0
        idf = np.full_like(df, self._rows + 1, dtype=np.float32)
        idf /= df
        np.log(idf, out=idf)
        idf += 1.0
        matrix = CsrFile(self._paths, self._rows, len(renumbered))
        for start in range(0, self._rows, BATCH):
            rows = matrix.rows(start, min(self._rows, start + BATCH), renumbered)
            np.log(rows.data, rows.data)
            rows.data += 1.0
            rows.data *= idf[rows.indices]
            matrix.write(start, normalize(rows, norm="l2", copy=False))
        return matrix


@dataclass(frozen=True)
class _CsrPaths:
    folder: Path
    name: str

    def create(self) -> list[BinaryIO]:
        """The three files, new and open for writing (data, indices, indptr)."""
        return [open(self.path(part), "wb") for part in ("data", "indices", "indptr")]

    def path(self, part: str) -> Path:
        return self.folder / f"{self.name}.{part}"


class CsrFile:
    """A float32 CSR matrix in three files (data, indices, indptr), rows read with plain reads."""

    def __init__(self, paths: _CsrPaths, rows: int, columns: int) -> None:
        self._paths, self.shape = paths, (rows, columns)

    def rows(self, start: int, stop: int, renumbered: np.ndarray | None = None) -> csr_matrix:
        indptr = np.fromfile(
            self._paths.path("indptr"), dtype=np.int64, count=stop - start + 1, offset=8 * start
        )
        first, count = int(indptr[0]), int(indptr[-1] - indptr[0])
        data = np.fromfile(self._paths.path("data"), dtype=np.float32, count=count, offset=4 * first)
        indices = np.fromfile(self._paths.path("indices"), dtype=np.int32, count=count, offset=4 * first)
        if renumbered is not None:
            indices = renumbered.take(indices)
        indptr -= first
        return csr_matrix((data, indices, indptr), shape=(stop - start, self.shape[1]))

    def write(self, start: int, rows: csr_matrix) -> None:
        """Write `rows` over rows start... (same entries, new values or column numbers)."""
        first = int(np.fromfile(self._paths.path("indptr"), dtype=np.int64, count=1, offset=8 * start)[0])
        for part, array in (("data", rows.data), ("indices", rows.indices)):
            with open(self._paths.path(part), "r+b") as f:
                f.seek(4 * first)
                f.write(np.ascontiguousarray(array).tobytes())


class FeatureFiles:
    """The features of n articles in a temporary folder (removed on `close`, when let go, or at
    exit); only the publication days (8 bytes an article) are held."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="storyline-"))
        self._finalizer = weakref.finalize(self, shutil.rmtree, self.folder, ignore_errors=True)
        self._n = 0
        self.days: np.ndarray | None = None
        self._keys: CsrFile | None = None
        self._words: CsrFile | None = None

    def __enter__(self) -> FeatureFiles:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._finalizer()

    def __len__(self) -> int:
        return self._n

    def block(self, start: int, stop: int) -> Features:
        assert self._keys is not None and self._words is not None
        leads = np.fromfile(
            self.folder / "leads", dtype=np.float32, count=(stop - start) * _DIM, offset=4 * _DIM * start
        )
        days = None if self.days is None else self.days[start:stop]
        return Features(
            self._keys.rows(start, stop), self._words.rows(start, stop), leads.reshape(-1, _DIM), days
        )


def write_features(
    texts: Sequence[str],
    terms: Callable[[int, str], str],
    leads: Callable[[int, int, Sequence[str]], np.ndarray],
    published: Sequence[str | None] | None,
) -> FeatureFiles:
    """The features of `texts`, written a batch at a time: `terms(i, text)` is the key-term document
    of text i, `leads(start, stop, texts)` the unit lead vectors of texts start..stop."""
    files = FeatureFiles()
    try:
        keys = StreamedTfidf(files.folder, "keys", token_pattern=r"\S+", sublinear_tf=True, dtype=np.float32)
        words = StreamedTfidf(
            files.folder, "words", stop_words="english", sublinear_tf=True, dtype=np.float32
        )
        with open(files.folder / "leads", "wb") as lead_file:
            for start, batch in _batches(texts):
                keys.add(terms(start + i, text) for i, text in enumerate(batch))
                words.add(batch)
                vectors = np.asarray(leads(start, start + len(batch), batch), dtype=np.float32)
                if vectors.shape != (len(batch), _DIM):
                    raise ValueError(f"{vectors.shape[0]} lead vectors for {len(batch)} texts")
                lead_file.write(np.ascontiguousarray(vectors).tobytes())
        files._keys, files._words = keys.finish(), words.finish()
        files._n = len(texts)
        if published is not None:
            files.days = np.array([_ordinal(p) for p in published], dtype=np.float64)
    except BaseException:
        files.close()
        raise
    return files


def _batches(texts: Sequence[str]) -> Iterator[tuple[int, list[str]]]:
    for start in range(0, len(texts), BATCH):
        yield start, [texts[i] for i in range(start, min(len(texts), start + BATCH))]


def _ordinal(published: str | None) -> float:
    try:
        return float(date.fromisoformat((published or "")[:10]).toordinal())
    except ValueError:
        return float("nan")
