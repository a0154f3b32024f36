"""Values by key in a table of a run's scratch SQLite file, the ones used last held in memory.

What lets identity resolution keep its state per distinct name (clusters, blocking lists, label
votes) whatever the size of the store: the distinct names grow with it (as N^0.77 on the Reuters
stories, ~1.2 KB each held in memory), the values used last stay in memory (`capacity` of them),
and the others wait in the file, pickled. A value taken from a shelf is the shelf's own: change it
before taking the next one from the same shelf, which may push it out (and write it back).

`shelve` (the standard library) keeps a dbm file and writes a value back only on `sync`, or every
value read when `writeback` is on, with no bound on the ones held: neither bounds memory.
"""

from __future__ import annotations

import itertools
import pickle
import sqlite3
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from typing import Generic, TypeVar

__all__ = ["CAPACITY", "Shelf", "ShelfList"]

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

_TABLES = itertools.count()  # a shelf's table is named by its number
# Values a shelf holds in memory unless told otherwise: a cluster of names costs ~1.2 KB, so some
# 5 MB of clusters. A store of 18,775 Reuters stories merges 30,184 of them: resolving it with
# 4,096 held took 14.7 CPU s, with 16,384 13.5 s. With 1,024 held, resolution's memory was the
# same on 4,000 articles as on 18,775.
CAPACITY = 1 << 12
_WRITES = 2_000  # values pushed out before they are written, in one statement


class Shelf(Generic[K, V]):
    """A dict of `capacity` values in memory over a table of `conn` (made here).

    `encode` turns a key into what SQLite stores (an int or a str; by default the key itself):
    equal keys must encode equal, as `repr` does for tuples of strings and ints.
    """

    def __init__(
        self,
        conn: sqlite3.Connection,
        capacity: int | None = None,
        encode: Callable[[K], int | str] | None = None,
    ) -> None:
        capacity = CAPACITY if capacity is None else capacity
        if capacity < 1:
            raise ValueError(f"a shelf holds at least one value in memory, not {capacity}")
        name = f"shelf{next(_TABLES)}"
        self._conn, self._name, self._capacity = conn, name, capacity
        self._encode: Callable[[K], int | str] = encode or (lambda key: key)  # type: ignore[assignment,return-value]
        conn.execute(f"CREATE TABLE {name} (key PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID")
        self._held: OrderedDict[K, V] = OrderedDict()
        self._out: dict[int | str, bytes] = {}  # pushed out, not yet written
        self._stored = False  # any value written to the table yet

    def get(self, key: K, default: V | None = None) -> V | None:
        value = self._held.get(key, _MISSING)
        if value is not _MISSING:
            self._held.move_to_end(key)
            return value  # type: ignore[return-value]
        code = self._encode(key)
        data = self._out.pop(code, None)
        if data is None and self._stored:
            row = self._conn.execute(f"SELECT value FROM {self._name} WHERE key = ?", (code,)).fetchone()
            data = row[0] if row is not None else None
        if data is None:
            return default
        loaded: V = pickle.loads(data)
        self._hold(key, loaded)
        return loaded

    def __getitem__(self, key: K) -> V:
        value = self.get(key, _MISSING)  # type: ignore[arg-type]
        if value is _MISSING:
            raise KeyError(key)
        return value  # type: ignore[return-value]

    def __contains__(self, key: K) -> bool:
        return self.get(key, _MISSING) is not _MISSING  # type: ignore[arg-type]

    def __setitem__(self, key: K, value: V) -> None:
        if key in self._held:
            self._held[key] = value
            self._held.move_to_end(key)
        else:
            self._out.pop(self._encode(key), None)  # a newer value replaces one pushed out
            self._hold(key, value)

    def setdefault(self, key: K, make: Callable[[], V]) -> V:
        """The value of `key`, made by `make` and stored when there is none."""
        value = self.get(key, _MISSING)  # type: ignore[arg-type]
        if value is _MISSING:
            value = self[key] = make()
        return value  # type: ignore[return-value]

    def _hold(self, key: K, value: V) -> None:
        self._held[key] = value
        if len(self._held) > self._capacity:
            old, pushed = self._held.popitem(last=False)
            self._out[self._encode(old)] = pickle.dumps(pushed, pickle.HIGHEST_PROTOCOL)
            if len(self._out) >= _WRITES:
                self._write()

    def _write(self) -> None:
        if self._out:
            sql = f"INSERT OR REPLACE INTO {self._name} (key, value) VALUES (?, ?)"
            self._conn.executemany(sql, self._out.items())
            self._out.clear()
            self._stored = True


class ShelfList(Generic[V]):
    """A list that only grows, on a `Shelf` keyed by position."""

    def __init__(self, conn: sqlite3.Connection, capacity: int | None = None) -> None:
        self._shelf: Shelf[int, V] = Shelf(conn, capacity)
        self._count = 0

    def __len__(self) -> int:
        return self._count

    def append(self, value: V) -> None:
        self._shelf[self._count] = value
        self._count += 1

    def __getitem__(self, position: int) -> V:
        if not 0 <= position < self._count:
            raise IndexError(position)
        return self._shelf[position]

    def __iter__(self) -> Iterator[V]:
        """The values in order; each is the shelf's own until the next is taken."""
        for position in range(self._count):
            yield self._shelf[position]


_MISSING: object = object()
