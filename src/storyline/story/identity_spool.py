"""The mentions and roles identity resolution reads, spooled to a temporary SQLite file.

Resolution decides over names (surface forms, labels, counts, which articles and stories write
them), and keeps what it knows of each name in tables of this file too (`name_evidence`, `shelf`).
Each mention is a row here, from the annotations as read through the entities written out; a
mention's cluster and an entity's mentions, articles and roles are found by SQL. Held in memory,
the mentions, the clusters' lists of them and the entities made of them grew with the store
(memray, 18,700 articles: ~90 MB at the corpus stage's peak). The file and its folder are removed
on `close`, when the spool is let go, or at exit.
"""

from __future__ import annotations

import pickle
import sqlite3
import sys
from collections import defaultdict
from collections.abc import Container, Iterable, Iterator, Mapping, Set
from itertools import groupby
from operator import itemgetter
from typing import Any

from storyline.model import Cite, Entity, Mention, Role, RoleMention
from storyline.scratch import scratch_sqlite

__all__ = ["MentionSpool"]

_SCHEMA = """
PRAGMA journal_mode = OFF;
PRAGMA synchronous = OFF;
PRAGMA temp_store = FILE;
CREATE TABLE article (n INTEGER PRIMARY KEY, id TEXT NOT NULL);
CREATE TABLE raw (art INTEGER NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
  text TEXT NOT NULL, label TEXT NOT NULL);
CREATE TABLE role (art INTEGER NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
  role TEXT NOT NULL, person_start INTEGER NOT NULL, person_end INTEGER NOT NULL);
CREATE TABLE item (art INTEGER NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
  text TEXT NOT NULL, label TEXT NOT NULL, family TEXT NOT NULL, rank INTEGER NOT NULL);
CREATE TABLE placed (item INTEGER PRIMARY KEY, cluster INTEGER NOT NULL, added INTEGER NOT NULL);
CREATE TABLE written (person INTEGER NOT NULL, article TEXT NOT NULL, surname TEXT NOT NULL);
CREATE TABLE apart (a TEXT NOT NULL, b TEXT NOT NULL, PRIMARY KEY (a, b)) WITHOUT ROWID;
CREATE TABLE merged (cluster INTEGER PRIMARY KEY, k1 INTEGER NOT NULL, k2 INTEGER NOT NULL,
  k3 TEXT NOT NULL, head BLOB NOT NULL);
CREATE TABLE head (position INTEGER PRIMARY KEY, cluster INTEGER NOT NULL, entity BLOB NOT NULL);
CREATE TABLE owner (role INTEGER PRIMARY KEY, position INTEGER NOT NULL);
"""
_BATCH = 20_000  # rows written at once
# A person's mentions: the full names longest first (the order `people` merges them in), then
# the bare surnames in the articles' order.
_FULL = """SELECT i.rowid, i.label, a.id, i.text FROM item i JOIN article a ON a.n = i.art
  WHERE i.family = 'PERSON' AND i.rank >= 2 ORDER BY i.rank DESC, i.rowid"""
_BARE = """SELECT i.rowid, i.label, a.id, i.text FROM item i JOIN article a ON a.n = i.art
  WHERE i.family = 'PERSON' AND i.rank = 1 ORDER BY i.rowid"""
# Each entity's mentions in the order `Entity.mentions` lists them (by article id, then offsets).
_MENTIONS = """SELECT p.position, a.id, i.start, i."end" FROM placed s
  JOIN item i ON i.rowid = s.item JOIN head p ON p.cluster = s.cluster JOIN article a ON a.n = i.art
  ORDER BY p.position, a.id, i.start, i."end\""""
_SPANS = """SELECT i.start, i."end", p.position, s.added FROM item i
  JOIN placed s ON s.item = i.rowid JOIN head p ON p.cluster = s.cluster WHERE i.art = ?"""
# Each entity's roles in the articles' order, each article's in its order.
_ROLES = """SELECT o.position, a.id, r.start, r."end", r.role FROM owner o
  JOIN role r ON r.rowid = o.role JOIN article a ON a.n = r.art ORDER BY o.position, o.role"""


class MentionSpool:
    """The mentions and roles of a run's articles (`add`, in the run's order), then the items
    resolution merges (`add_item`), where each joins a cluster (`place`), and the entities made of
    them (`entities`). Also the `people.Written` of the people's full names (`add_written`)."""

    def __init__(self) -> None:
        self._conn, self.path, self._remove = scratch_sqlite(self, "storyline-mentions-", "mentions.sqlite")
        self._conn.executescript(_SCHEMA)
        self._count = 0
        self._pending: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
        self._added = 0
        self._written_article: str | None = None
        self._written_here: dict[int, set[str]] = {}

    def __len__(self) -> int:
        return self._count

    def close(self) -> None:
        """Remove the file (the spool cannot be read after)."""
        self._remove()

    # --- the annotations ---------------------------------------------------------------------------

    def add(self, article: str, mentions: Iterable[Mention], roles: Iterable[RoleMention] = ()) -> None:
        """Spool one article's mentions and roles, after those added before."""
        n = self._count
        self._count += 1
        self._write("article", (n, article))
        for m in mentions:
            self._write("raw", (n, m.start, m.end, m.text, m.label))
        for r in roles:
            self._write("role", (n, r.start, r.end, r.role, r.person_start, r.person_end))

    def articles(self, texts: Iterable[str]) -> Iterator[tuple[int, str, str, list[Mention]]]:
        """(position, id, text, mentions) of each article in order; `texts` gives their texts in
        that order. One article's mentions are held at a time."""
        self._flush()
        ids = self._conn.execute("SELECT n, id FROM article ORDER BY n")
        rows = self._conn.execute('SELECT art, start, "end", text, label FROM raw ORDER BY rowid')
        pending = rows.fetchone()
        for (n, article), text in zip(ids, texts, strict=True):
            mentions: list[Mention] = []
            while pending is not None and pending[0] == n:
                mentions.append(Mention(*pending[1:]))
                pending = rows.fetchone()
            yield n, article, text, mentions

    # --- the items resolution merges, and their clusters --------------------------------------------

    def add_item(self, article: int, mention: Mention, label: str, family: str, rank: int) -> None:
        """A mention as resolution merges it: its label across the articles, its family (the labels
        that merge together), and its rank (merged longest first)."""
        self._write("item", (article, mention.start, mention.end, mention.text, label, family, rank))

    def items_done(self) -> None:
        self._flush()
        self._conn.execute("CREATE INDEX item_art ON item (art)")
        self._conn.commit()

    def things(self, family: str) -> Iterator[tuple[int, str, str]]:
        """(item, text, label) of a family's mentions, longest first, else in the articles' order."""
        sql = "SELECT rowid, text, label FROM item WHERE family = ? ORDER BY rank DESC, rowid"
        return iter(self._conn.execute(sql, (family,)))

    def full_names(self) -> Iterator[tuple[int, str, str, str]]:
        """(item, label, article id, text) of the people's names of two words or more, the ones with
        most words first (else in the articles' order)."""
        return iter(self._conn.execute(_FULL))

    def bare_names(self) -> Iterator[tuple[int, str, str, str]]:
        """(item, label, article id, text) of the people's one-word names in the articles' order,
        read once the full names are merged (`written` is then complete, and indexed here)."""
        self._flush("written")
        self._conn.execute("CREATE INDEX written_article ON written (article)")
        yield from self._conn.execute(_BARE)

    # `people.Written`: rows written while the full names merge, read back one article at a time
    # while the bare surnames do (they come in the articles' order).

    def add_written(self, person: int, article: str, surname: str) -> None:
        self._write("written", (person, article, surname))

    def written_in(self, article: str) -> Mapping[int, Set[str]]:
        if article != self._written_article:
            here: dict[int, set[str]] = defaultdict(set)
            sql = "SELECT person, surname FROM written WHERE article = ?"
            for person, surname in self._conn.execute(sql, (article,)):
                here[person].add(surname)
            self._written_article, self._written_here = article, dict(here)
        return self._written_here

    @property
    def conn(self) -> sqlite3.Connection:
        """The spool's database, where resolution keeps its other tables (`name_evidence`, `shelf`)."""
        return self._conn

    def add_apart(self, pairs: Iterable[frozenset[str]]) -> None:
        """Pairs of surname spellings written apart (`people.apart_in`); `in self.apart()` after."""
        self._conn.executemany("INSERT OR IGNORE INTO apart VALUES (?, ?)", (sorted(pair) for pair in pairs))

    def apart(self) -> Container[frozenset[str]]:
        return _Apart(self._conn)

    def place(self, item: int, cluster: int) -> None:
        """`item` joins `cluster` (after the items placed before it, which `added` keeps)."""
        self._write("placed", (item, cluster, self._added))
        self._added += 1

    # --- the entities --------------------------------------------------------------------------------

    def add_merged(self, cluster: int, order: tuple[int, int, str], head: Any) -> None:
        """A cluster once merged: where it goes in the entities' order (by `order`, ascending, then
        by cluster) and what naming it reads (`head`, pickled)."""
        self._write("merged", (cluster, *order, pickle.dumps(head, pickle.HIGHEST_PROTOCOL)))

    def merged(self) -> Iterator[tuple[int, Any]]:
        """(cluster, head) of the clusters merged, in the entities' order (`add_merged`)."""
        self._flush("merged")
        sql = "SELECT cluster, head FROM merged ORDER BY k1, k2, k3, cluster"
        for cluster, head in self._conn.execute(sql):
            yield cluster, pickle.loads(head)

    def entities(self, heads: Iterable[tuple[int, Entity]]) -> Iterator[Entity]:
        """The entities in order, each `heads` entry (a cluster, its entity without cites) with its
        mentions, articles and roles; one entity is held at a time."""
        for position, (cluster, entity) in enumerate(heads):
            self._write("head", (position, cluster, pickle.dumps(entity, pickle.HIGHEST_PROTOCOL)))
        self._flush()
        self._conn.execute("CREATE INDEX head_cluster ON head (cluster)")
        self._own_roles()
        self._conn.commit()
        mentions = self._conn.execute(_MENTIONS)
        roles = self._conn.execute(_ROLES)
        next_mention, next_role = mentions.fetchone(), roles.fetchone()
        for position, data in self._conn.execute("SELECT position, entity FROM head ORDER BY position"):
            head: Entity = pickle.loads(data)
            cites: list[Cite] = []
            while next_mention is not None and next_mention[0] == position:
                _, article, start, end = next_mention
                cite = Cite(sys.intern(article), start, end)
                if not cites or cites[-1] != cite:  # a span spooled twice is one mention
                    cites.append(cite)
                next_mention = mentions.fetchone()
            titles: list[Role] = []
            while next_role is not None and next_role[0] == position:
                _, article, start, end, role = next_role
                titles.append(Role(role, Cite(sys.intern(article), start, end)))
                next_role = roles.fetchone()
            articles = tuple(a for a, _ in groupby(c.article for c in cites))
            yield Entity(head.id, head.name, head.type, head.variants, tuple(titles), tuple(cites), articles)

    def _own_roles(self) -> None:
        """The entity each role's person span points to: the one whose mention is that very span
        (of two, the later entity), else the first whose mention holds the span's start, in the
        order the entities' mentions were listed (entity, then the order it met them)."""
        sql = "SELECT rowid, art, person_start, person_end FROM role ORDER BY rowid"
        for art, group in groupby(self._conn.execute(sql), key=itemgetter(1)):
            spans = _Spans(self._conn.execute(_SPANS, (art,)))
            for rowid, _, person_start, person_end in group:
                owner = spans.owner(person_start, person_end)
                if owner is not None:
                    self._write("owner", (rowid, owner))
        self._flush("owner")

    # --- writing ---------------------------------------------------------------------------------------

    def _write(self, table: str, row: tuple[Any, ...]) -> None:
        rows = self._pending[table]
        rows.append(row)
        if len(rows) >= _BATCH:
            self._flush(table)

    def _flush(self, table: str | None = None) -> None:
        for name in [table] if table else list(self._pending):
            rows = self._pending.pop(name, [])
            if rows:
                marks = ", ".join("?" * len(rows[0]))
                self._conn.executemany(f"INSERT INTO {name} VALUES ({marks})", rows)


class _Apart:
    """The pairs of `MentionSpool.add_apart`, looked up in its table."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def __contains__(self, pair: object) -> bool:
        if not isinstance(pair, frozenset) or len(pair) != 2:
            return False
        sql = "SELECT 1 FROM apart WHERE a = ? AND b = ?"
        return self._conn.execute(sql, sorted(pair)).fetchone() is not None


class _Spans:
    """One article's mention spans and the entities that hold them, for finding a role's person."""

    def __init__(self, rows: Iterable[tuple[int, int, int, int]]) -> None:
        first: dict[tuple[int, int], tuple[int, int]] = {}
        last: dict[tuple[int, int], int] = {}
        for start, end, position, added in rows:
            span = (start, end)
            first[span] = min(first.get(span, (position, added)), (position, added))
            last[span] = max(last.get(span, position), position)
        self._last = last
        self._ordered = sorted(first, key=first.__getitem__)

    def owner(self, start: int, end: int) -> int | None:
        if (start, end) in self._last:
            return self._last[start, end]
        return next((self._last[s, e] for s, e in self._ordered if s <= start < e), None)
