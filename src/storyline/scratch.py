"""A run's scratch SQLite file: a database in a temporary folder of its own, removed when its owner
closes it, when the owner is let go, or at exit. What the run's tables on disk (entities, mentions,
signals) are kept in, so that none of them is held in memory whole."""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
import weakref
from pathlib import Path
from typing import NamedTuple

__all__ = ["Scratch", "scratch_sqlite"]


class Scratch(NamedTuple):
    conn: sqlite3.Connection
    path: Path
    remove: weakref.finalize  # call it to close the connection and remove the folder (once)


def scratch_sqlite(owner: object, prefix: str, name: str, *, any_thread: bool = False) -> Scratch:
    """A new SQLite file `name` in a new temporary folder (`prefix`...), removed with its folder
    when `remove` is called, when `owner` is garbage-collected, or at exit. `any_thread`: the
    connection may be used from a thread other than the one that made it (one at a time)."""
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    conn = sqlite3.connect(folder / name, check_same_thread=not any_thread)
    return Scratch(conn, folder / name, weakref.finalize(owner, _remove, conn, folder))


def _remove(conn: sqlite3.Connection, folder: Path) -> None:
    conn.close()
    shutil.rmtree(folder, ignore_errors=True)
