"""The run's signals in a temporary SQLite file, read back in the order briefing.json lists them.

briefing.json lists the signals by article, in input order, but they are worked out story by story,
after every article has been written: held until then in a dict by article, they were ~20 MB on an
18,700-article store (memray), growing with the store. Here each goes to disk as its JSON object
when its story is done, and the articles' order goes beside them, so that one ordered read gives
the list and nothing of it is held per article.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from storyline.model import Signal, to_dict
from storyline.scratch import scratch_sqlite

__all__ = ["SignalSpool"]

_SCHEMA = """
CREATE TABLE listed (article TEXT PRIMARY KEY, position INTEGER NOT NULL);
CREATE TABLE signal (seq INTEGER PRIMARY KEY, article TEXT NOT NULL, body TEXT NOT NULL);
"""
_READ_BATCH = 1_000


class SignalSpool:
    """Signals spooled to a temporary file: `article` the listed articles in order, `add` the
    signals as they come; iterating gives each as its JSON object (`to_dict`), by article in listed
    order, and in the order they came within an article. Signals of an article that is not listed
    are left out. The file goes on `close`, when the spool is let go, or at exit."""

    def __init__(self) -> None:
        self._conn, self.path, self._remove = scratch_sqlite(
            self, "storyline-signals-", "signals.sqlite", any_thread=True
        )
        self._conn.executescript(_SCHEMA)
        self._listed = 0

    def article(self, article_id: str) -> None:
        """List `article_id` after the articles listed before it (a second listing is ignored)."""
        self._conn.execute("INSERT OR IGNORE INTO listed VALUES (?, ?)", (article_id, self._listed))
        self._listed += 1

    def add(self, signals: Iterable[Signal]) -> None:
        self._conn.executemany(
            "INSERT INTO signal (article, body) VALUES (?, ?)",
            ((s.article, json.dumps(to_dict(s), ensure_ascii=False)) for s in signals),
        )

    def __iter__(self) -> Iterator[dict[str, Any]]:
        self._conn.commit()
        rows = self._conn.execute(
            "SELECT body FROM signal JOIN listed USING (article) ORDER BY position, seq"
        )
        while batch := rows.fetchmany(_READ_BATCH):
            for (body,) in batch:
                yield json.loads(body)

    def close(self) -> None:
        self._remove()
