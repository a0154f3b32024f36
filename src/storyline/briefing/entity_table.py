"""The run's canonical entities in a temporary SQLite file, read back a batch of articles at a time.

The store-wide stages find every entity with every mention. Held whole for the rest of the run,
with the per-article and per-name look-ups made on them, they grew with the store (memray, warm run
of an 18,700-article store: the decoded entities 58 MB, `Scopes`' buckets 28 MB, `Identities`'
look-ups 26 MB). Here they are rows on disk: a batch of stories reads its own articles' cites
(`entity_view`), the briefing's entity list is read back in order an entity at a time, and only
look-ups over the whole run (a name, an id) go to the file; that run's peak went from 527 to 472 MB
for 5 s more CPU. The file and its folder are removed on `close`, when the table is let go, or at exit.
"""

from __future__ import annotations

import json
import sqlite3
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, NamedTuple

from storyline.model import Cite, Entity, Role
from storyline.scratch import scratch_sqlite
from storyline.story import signals_scope, stances
from storyline.story.identity_index import surface_key, words_of

__all__ = ["LISTED", "MENTION", "ROLE", "EntityTable", "Head"]

# The kinds of cite row: a mention, a title (`role` holds it), an article the entity lists (no span).
MENTION, ROLE, LISTED = 0, 1, 2

_SCHEMA = """
PRAGMA journal_mode = OFF;
PRAGMA synchronous = OFF;
CREATE TABLE entity (position INTEGER PRIMARY KEY, id TEXT NOT NULL, name TEXT NOT NULL,
  type TEXT NOT NULL, variants TEXT NOT NULL, mentions INTEGER NOT NULL);
CREATE TABLE cite (position INTEGER NOT NULL, kind INTEGER NOT NULL, seq INTEGER NOT NULL,
  article TEXT NOT NULL, start INTEGER, "end" INTEGER, role TEXT);
CREATE TABLE name_key (key TEXT NOT NULL, position INTEGER NOT NULL);
CREATE TABLE surname (word TEXT NOT NULL, position INTEGER NOT NULL);
CREATE TABLE name_token (token TEXT PRIMARY KEY) WITHOUT ROWID;
"""
# Made once the rows are in (one sort per index, not a B-tree kept up on every insert). Cites are
# read back in position order by rowid, the order they went in.
_INDEXES = """
CREATE INDEX entity_id ON entity (id);
CREATE INDEX cite_article ON cite (article);
CREATE INDEX name_key_key ON name_key (key, position);
CREATE INDEX surname_word ON surname (word, position);
"""
_IN_BATCH = 500  # values bound in one `IN (...)`
_WRITE_BATCH = 20_000  # cite rows written at once
_NAMES_KEPT = 10_000  # name look-ups answered from memory
_CITE_COLUMNS = 'position, kind, seq, article, start, "end", role'
_NAMED = (
    "SELECT * FROM entity WHERE position IN (SELECT position FROM name_key WHERE key = ?) ORDER BY position"
)
_SURNAMED = (
    "SELECT * FROM entity WHERE position IN (SELECT position FROM surname WHERE word = ?) ORDER BY position"
)


class Head(NamedTuple):
    """An entity without its cites, with the number of its mentions in the whole run."""

    position: int
    id: str
    name: str
    type: str
    variants: tuple[str, ...]
    mentions: int

    def entity(
        self, roles: tuple[Role, ...] = (), mentions: tuple[Cite, ...] = (), articles: tuple[str, ...] = ()
    ) -> Entity:
        return Entity(self.id, self.name, self.type, self.variants, roles, mentions, articles)


class EntityTable:
    """The run's entities in their order (position 0, 1, ...), each with its mentions, roles and
    articles, and the keys `Identities.find_by_name` looks names up by. Filled with `add` (in the
    run's order, a chunk at a time), then `finish`; read by the other methods."""

    def __init__(self) -> None:
        # One thread at a time, but not always the one that made the plan (a server hands it on).
        self._conn, self.path, self._remove = scratch_sqlite(
            self, "storyline-entities-", "entities.sqlite", any_thread=True
        )
        self._conn.executescript(_SCHEMA)
        self._count = 0
        self._names: dict[tuple[str, str], list[Head]] = {}

    @classmethod
    def of(cls, entities: Iterable[Entity]) -> EntityTable:
        table = cls()
        table.add(entities)
        table.finish()
        return table

    def add(self, entities: Iterable[Entity]) -> None:
        """Append `entities`, in the run's order, after those added before (written a few thousand
        rows at a time: the rows of every entity at once would be a second copy of them in memory)."""
        self._names.clear()
        rows = _Rows()
        for ent in entities:
            rows.add(self._count, ent)
            self._count += 1
            if len(rows.cites) >= _WRITE_BATCH:
                rows.write(self._conn)
                rows = _Rows()
        rows.write(self._conn)

    def finish(self) -> None:
        """Index the rows: called once, after the last `add`."""
        self._conn.executescript(_INDEXES)
        self._conn.commit()

    def close(self) -> None:
        """Remove the file (the table cannot be read after)."""
        self._remove()

    # --- the whole run, in order ---------------------------------------------------------------

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[Entity]:
        """Every entity with its mentions, roles and articles, in the run's order, read a few at a time."""
        sql = 'SELECT position, kind, article, start, "end", role FROM cite ORDER BY rowid'
        cites = self._conn.execute(sql)
        pending = cites.fetchone()
        for head in self._heads("SELECT * FROM entity ORDER BY position"):
            mentions: list[Cite] = []
            roles: list[Role] = []
            articles: list[str] = []
            while pending is not None and pending[0] == head.position:
                _, kind, article, start, end, role = pending
                article = sys.intern(article)
                if kind == MENTION:
                    mentions.append(Cite(article, start, end))
                elif kind == ROLE:
                    roles.append(Role(role, Cite(article, start, end)))
                else:
                    articles.append(article)
                pending = cites.fetchone()
            yield head.entity(tuple(roles), tuple(mentions), tuple(articles))

    def all(self) -> tuple[Entity, ...]:
        """Every entity, held whole (for a `Briefing` held whole)."""
        return tuple(self)

    def count(self, entity_type: str) -> int:
        row = self._conn.execute("SELECT count(*) FROM entity WHERE type = ?", (entity_type,)).fetchone()
        return int(row[0])

    @cached_property
    def capitals(self) -> dict[str, str]:
        """Capital-city entity id -> its country's (`stances.capital_countries` of the run's entities,
        worked out once: it reads only place names)."""
        places = self._heads("SELECT * FROM entity WHERE type = 'GPE' ORDER BY position")
        return stances.capital_countries([h.entity() for h in places])

    # --- look-ups ---------------------------------------------------------------------------------

    def cites_in(self, article_ids: Sequence[str]) -> Iterator[Any]:
        """Every cite row of these articles: (entity position, kind, place in the entity's list of
        that kind, article, start, end, role), plain tuples (a batch of stories reads hundreds of
        thousands). An article's rows come in the order they went in: by entity position, kind,
        then place (the index on article gives that order without a sort)."""
        for chunk in _chunks(list(dict.fromkeys(article_ids))):
            marks = ", ".join("?" * len(chunk))
            sql = f"SELECT {_CITE_COLUMNS} FROM cite WHERE article IN ({marks}) ORDER BY article, rowid"
            yield from self._conn.execute(sql, chunk)

    def heads(self, positions: Iterable[int]) -> dict[int, Head]:
        """The entities at these positions, without their cites."""
        out: dict[int, Head] = {}
        for chunk in _chunks(sorted(set(positions))):
            marks = ", ".join("?" * len(chunk))
            sql = f"SELECT * FROM entity WHERE position IN ({marks})"
            out.update((h.position, h) for h in self._heads(sql, chunk))
        return out

    def ids(self, positions: Iterable[int]) -> dict[int, str]:
        """The ids of the entities at these positions."""
        out: dict[int, str] = {}
        for chunk in _chunks(sorted(set(positions))):
            marks = ", ".join("?" * len(chunk))
            sql = f"SELECT position, id FROM entity WHERE position IN ({marks})"
            out.update((p, sys.intern(i)) for p, i in self._conn.execute(sql, chunk))
        return out

    def position(self, entity_id: str) -> int | None:
        row = self._conn.execute("SELECT min(position) FROM entity WHERE id = ?", (entity_id,)).fetchone()
        return None if row[0] is None else int(row[0])

    def named(self, key: str) -> list[Head]:
        """The entities with a name or variant of this `surface_key`, in the run's order."""
        return self._looked_up(_NAMED, key)

    def surnamed(self, word: str) -> list[Head]:
        """The people one of whose names ends in this word (as `words_of` folds it), in the run's order."""
        return self._looked_up(_SURNAMED, word)

    def _looked_up(self, sql: str, key: str) -> list[Head]:
        # The same names come back batch after batch (a speaker quoted all year): the answers are
        # kept, a bounded number of them.
        if (sql, key) not in self._names:
            if len(self._names) >= _NAMES_KEPT:
                self._names.clear()
            self._names[sql, key] = list(self._heads(sql, (key,)))
        return self._names[sql, key]

    def lists(self, position: int, article: str) -> bool:
        """Whether the entity at `position` lists `article` among its articles."""
        sql = "SELECT 1 FROM cite WHERE article = ? AND kind = ? AND position = ? LIMIT 1"
        return self._conn.execute(sql, (article, LISTED, position)).fetchone() is not None

    @cached_property
    def names(self) -> set[str]:
        """Every token of every entity's name and variant (`signals_scope.name_tokens`), as
        `Scopes.names`: the signals compare each story's words with them. Held whole, being few
        (18,000 tokens, 1.5 MB, on an 18,700-article store) and growing with the names, not the
        articles."""
        return {t for (t,) in self._conn.execute("SELECT token FROM name_token")}

    def _heads(self, sql: str, params: Sequence[Any] = ()) -> Iterator[Head]:
        for position, ent_id, name, ent_type, variants, mentions in self._conn.execute(sql, params):
            ent_id, ent_type = sys.intern(ent_id), sys.intern(ent_type)
            # Most entities have no variant: "[]" is not parsed (a batch reads ~3,500 entities).
            forms = tuple(json.loads(variants)) if variants != "[]" else ()
            yield Head(position, ent_id, name, ent_type, forms, mentions)


@dataclass
class _Rows:
    """The rows of some entities, to be written at once."""

    heads: list[tuple[Any, ...]] = field(default_factory=list)
    cites: list[tuple[Any, ...]] = field(default_factory=list)
    keys: list[tuple[str, int]] = field(default_factory=list)
    surnames: list[tuple[str, int]] = field(default_factory=list)
    tokens: set[str] = field(default_factory=set)

    def add(self, at: int, ent: Entity) -> None:
        self.heads.append((at, ent.id, ent.name, ent.type, json.dumps(ent.variants), len(ent.mentions)))
        for i, c in enumerate(ent.mentions):
            self.cites.append((at, MENTION, i, c.article, c.start, c.end, None))
        for i, r in enumerate(ent.roles):
            self.cites.append((at, ROLE, i, r.cite.article, r.cite.start, r.cite.end, r.role))
        for i, a in enumerate(ent.articles):
            self.cites.append((at, LISTED, i, a, None, None, None))
        # The keys `Identities` files an entity under, as it files them.
        forms = (ent.name, *ent.variants)
        self.keys.extend((key, at) for key in dict.fromkeys(surface_key(f) for f in forms))
        if ent.type == "PERSON":
            self.surnames.extend((s, at) for s in {words[-1] for words in map(words_of, forms) if words})
        self.tokens.update(t for f in forms for t in signals_scope.name_tokens(f))

    def write(self, conn: sqlite3.Connection) -> None:
        conn.executemany("INSERT INTO entity VALUES (?, ?, ?, ?, ?, ?)", self.heads)
        conn.executemany("INSERT INTO cite VALUES (?, ?, ?, ?, ?, ?, ?)", self.cites)
        conn.executemany("INSERT INTO name_key VALUES (?, ?)", self.keys)
        conn.executemany("INSERT INTO surname VALUES (?, ?)", self.surnames)
        conn.executemany("INSERT OR IGNORE INTO name_token VALUES (?)", [(t,) for t in self.tokens])


def _chunks(values: list[Any]) -> Iterator[list[Any]]:
    for start in range(0, len(values), _IN_BATCH):
        yield values[start : start + _IN_BATCH]
