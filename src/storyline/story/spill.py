"""Rows of flat arrays spread over partitions by a key, held in memory when there is one partition
and appended to files in a temporary folder when there are more: what lets a store-wide stage read
its per-pair or per-article data a partition at a time instead of holding it whole.
"""

from __future__ import annotations

import shutil
import tempfile
import weakref
from collections.abc import Iterator
from pathlib import Path

import numpy as np

__all__ = ["Columns", "Partitions", "SpillFolder", "partition_of"]

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)  # Fibonacci hashing: spreads keys of any structure evenly


def partition_of(key: np.ndarray, count: int) -> np.ndarray:
    """The partition (0 .. count-1) of each int64 key; equal keys share one."""
    if count == 1:
        return np.zeros(len(key), dtype=np.intp)
    mixed = key.astype(np.uint64) * _GOLDEN  # wraps around: a hash, not a product
    return ((mixed >> np.uint64(32)) % np.uint64(count)).astype(np.intp)


class SpillFolder:
    """A temporary folder (`tempfile.mkdtemp`) made on first use and removed by `close`, when let
    go, or at exit; it hands out fresh file names."""

    def __init__(self) -> None:
        self._path: Path | None = None
        self._files = 0
        self._finalizer: weakref.finalize | None = None

    def new_file(self, stem: str) -> Path:
        if self._path is None:
            self._path = Path(tempfile.mkdtemp(prefix="storyline-"))
            self._finalizer = weakref.finalize(self, shutil.rmtree, self._path, ignore_errors=True)
        self._files += 1
        return self._path / f"{stem}-{self._files}"

    def close(self) -> None:
        if self._finalizer is not None:
            self._finalizer()
        self._path = self._finalizer = None

    def __enter__(self) -> SpillFolder:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# Rows as named columns of equal length (a record array's fields, held apart: arithmetic on a
# column of records strides over the others and is slower).
Columns = dict[str, np.ndarray]


class Partitions:
    """Rows of named columns (the fields of a numpy record dtype) in `count` partitions, added a
    piece at a time and read back a partition at a time, in the order they were added. One
    partition is held in memory (unless `held` is False); more are files of records in `folder`,
    each read with plain reads (its pages stay in the kernel's cache, not in the process) and
    removed by `close`."""

    def __init__(self, dtype: np.dtype, count: int, folder: SpillFolder, *, held: bool | None = None) -> None:
        self.dtype, self.count = dtype, count
        self._names: tuple[str, ...] = dtype.names or ()
        self._held: list[Columns] | None = [] if (count == 1 if held is None else held) else None
        self._files = [] if self._held is not None else [folder.new_file("part") for _ in range(count)]
        self._rows = 0

    def __len__(self) -> int:
        return self._rows

    def add(self, rows: Columns, key: np.ndarray) -> None:
        """Append `rows`, each to the partition of its int64 key (`partition_of`)."""
        if self.count == 1:
            self.add_to(0, rows)
            return
        part = partition_of(key, self.count)
        if self.count <= 2**16:  # numpy sorts 16-bit integers by radix sort, in linear time
            part = part.astype(np.uint16)
        order = np.argsort(part, kind="stable")  # rows keep their order inside a partition
        bounds = np.searchsorted(part[order], np.arange(self.count + 1)).tolist()
        records = self._records(rows)[order]
        for i in range(self.count):
            if bounds[i] < bounds[i + 1]:
                self._write(i, records[bounds[i] : bounds[i + 1]])

    def add_to(self, i: int, rows: Columns) -> None:
        """Append `rows` to partition i."""
        if self._held is not None:
            if len(rows[self._names[0]]):
                self._held.append(rows)
                self._rows += len(rows[self._names[0]])
            return
        self._write(i, self._records(rows))

    def read(self, i: int) -> Columns:
        """The rows of partition i."""
        if self._held is not None:
            if len(self._held) != 1:
                self._held = [self._joined(self._held)]
            return self._held[0]
        path = self._files[i]
        return self._columns(
            np.fromfile(path, dtype=self.dtype) if path.exists() else np.zeros(0, self.dtype)
        )

    def blocks(self, i: int, rows: int) -> Iterator[Columns]:
        """The rows of partition i, `rows` at a time."""
        if self._held is not None:
            whole = self.read(i)
            for start in range(0, len(whole[self._names[0]]), rows):
                yield {name: column[start : start + rows] for name, column in whole.items()}
            return
        path = self._files[i]
        total = path.stat().st_size // self.dtype.itemsize if path.exists() else 0
        for start in range(0, total, rows):
            yield self._columns(
                np.fromfile(path, dtype=self.dtype, count=rows, offset=start * self.dtype.itemsize)
            )

    def __iter__(self) -> Iterator[Columns]:
        for i in range(self.count):
            yield self.read(i)

    def close(self) -> None:
        """Let the rows go (the files are removed)."""
        if self._held is not None:
            self._held.clear()
        for path in self._files:
            path.unlink(missing_ok=True)

    def _write(self, i: int, records: np.ndarray) -> None:
        self._rows += len(records)
        with open(self._files[i], "ab") as file:
            records.tofile(file)

    def _records(self, rows: Columns) -> np.ndarray:
        records = np.empty(len(rows[self._names[0]]), dtype=self.dtype)
        for name in self._names:
            records[name] = rows[name]
        return records

    def _columns(self, records: np.ndarray) -> Columns:
        return {name: np.ascontiguousarray(records[name]) for name in self._names}

    def _joined(self, pieces: list[Columns]) -> Columns:
        if not pieces:
            return self._columns(np.zeros(0, dtype=self.dtype))
        return {name: np.concatenate([piece[name] for piece in pieces]) for name in self._names}
