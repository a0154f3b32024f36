"""The workbench's catalog: the briefing of a store as SQLite rows, written once per load, then read.

Each table of the briefing is kept as rows of contract JSON (`model.to_dict`) with a column for
every filter a page or the API uses, so the app holds no whole-store objects: a page reads the rows
it shows, a story page the story's own part (`web.snapshot`). It is built in one pass from a
`build.Plan` (the articles with their quotes and events, then the stories: the two passes
`briefing.stream` makes) or from a `Briefing` held in memory; the file lives in a temporary folder
that the snapshot owning it removes.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import tempfile
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from storyline.model import Briefing, to_dict

if TYPE_CHECKING:
    from storyline.briefing.build import Plan
    from storyline.web.catalog_build import Builder

__all__ = ["Catalog", "dumps"]

TABLES = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE articles (pos INTEGER PRIMARY KEY, id TEXT NOT NULL, anchor TEXT NOT NULL, site TEXT NOT NULL,
  sort_site TEXT NOT NULL, published TEXT NOT NULL, title TEXT, story TEXT, quotes INTEGER NOT NULL DEFAULT 0,
  meta TEXT NOT NULL, body TEXT NOT NULL);
CREATE TABLE stories (pos INTEGER PRIMARY KEY, id TEXT NOT NULL, body TEXT NOT NULL, card TEXT NOT NULL,
  head TEXT NOT NULL);
CREATE TABLE story_articles (story INTEGER NOT NULL, n INTEGER NOT NULL, article TEXT NOT NULL);
CREATE TABLE timeline (pos INTEGER PRIMARY KEY, story TEXT NOT NULL, body TEXT NOT NULL);
CREATE TABLE entities (pos INTEGER PRIMARY KEY, id TEXT NOT NULL, type TEXT NOT NULL, rank INTEGER NOT NULL,
  mentions INTEGER NOT NULL, articles INTEGER NOT NULL, sort_name TEXT NOT NULL, head TEXT NOT NULL,
  summary TEXT NOT NULL, line TEXT NOT NULL, sheet TEXT NOT NULL, body TEXT NOT NULL);
CREATE TABLE entity_articles (entity INTEGER NOT NULL, article TEXT NOT NULL, mentions TEXT NOT NULL,
  roles TEXT NOT NULL, listed TEXT NOT NULL, n INTEGER NOT NULL, first INTEGER NOT NULL);
CREATE TABLE quotes (pos INTEGER PRIMARY KEY, id TEXT NOT NULL, article TEXT NOT NULL, speaker TEXT,
  body TEXT NOT NULL);
CREATE TABLE events (pos INTEGER PRIMARY KEY, id TEXT NOT NULL, article TEXT NOT NULL, type TEXT NOT NULL,
  source TEXT, target TEXT, body TEXT NOT NULL);
CREATE TABLE claims (pos INTEGER PRIMARY KEY, id TEXT NOT NULL, story TEXT NOT NULL, actor TEXT,
  single INTEGER NOT NULL, disputed INTEGER NOT NULL DEFAULT 0, body TEXT NOT NULL);
CREATE TABLE claim_articles (claim INTEGER NOT NULL, article TEXT NOT NULL);
CREATE TABLE conflicts (pos INTEGER PRIMARY KEY, id TEXT NOT NULL, story TEXT NOT NULL, kind TEXT NOT NULL,
  body TEXT NOT NULL);
CREATE TABLE stances (pos INTEGER PRIMARY KEY, actor TEXT NOT NULL, issue TEXT NOT NULL, body TEXT NOT NULL);
CREATE TABLE stance_articles (stance INTEGER NOT NULL, article TEXT NOT NULL);
CREATE TABLE signals (seq INTEGER PRIMARY KEY, pos INTEGER, article TEXT NOT NULL,
  article_pos INTEGER NOT NULL, signal TEXT NOT NULL, body TEXT NOT NULL);
CREATE TABLE cites (article TEXT NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL);
"""
# Made once the rows are in: one sort per index instead of a B-tree kept up on every insert.
INDEXES = """
CREATE INDEX articles_id ON articles (id);
CREATE INDEX articles_anchor ON articles (anchor);
CREATE INDEX articles_story ON articles (story);
CREATE INDEX articles_sources ON articles (sort_site, published);
CREATE INDEX stories_id ON stories (id);
CREATE INDEX story_articles_story ON story_articles (story, n);
CREATE INDEX story_articles_article ON story_articles (article);
CREATE INDEX timeline_story ON timeline (story);
CREATE INDEX entities_id ON entities (id);
CREATE INDEX entities_order ON entities (rank, mentions DESC, articles DESC, sort_name);
CREATE INDEX entities_type ON entities (type, rank, mentions DESC, articles DESC, sort_name);
CREATE INDEX entity_articles_article ON entity_articles (article);
CREATE INDEX entity_articles_entity ON entity_articles (entity, n DESC, first);
CREATE INDEX quotes_article ON quotes (article);
CREATE INDEX quotes_speaker ON quotes (speaker);
CREATE INDEX events_article ON events (article);
CREATE INDEX events_source ON events (source);
CREATE INDEX events_target ON events (target);
CREATE INDEX claims_id ON claims (id);
CREATE INDEX claims_story ON claims (story);
CREATE INDEX claims_actor ON claims (actor);
CREATE INDEX claim_articles_article ON claim_articles (article);
CREATE INDEX conflicts_story ON conflicts (story);
CREATE INDEX stances_actor ON stances (actor);
CREATE INDEX stance_articles_article ON stance_articles (article);
CREATE INDEX signals_article ON signals (article);
CREATE INDEX cites_article ON cites (article);
"""


def dumps(value: Any) -> str:
    """A model value (or plain JSON values) as compact contract JSON, as the API sends it."""
    return json.dumps(to_dict(value), ensure_ascii=False, separators=(",", ":"))


class Catalog:
    """A catalog file, read through one connection per thread (FastAPI runs handlers in a pool)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.path = folder / "catalog.sqlite"
        self._local = threading.local()
        self._opened: list[sqlite3.Connection] = []
        self._lock = threading.Lock()

    @classmethod
    def of_briefing(cls, briefing: Briefing) -> Catalog:
        """The catalog of a briefing held in memory (tests, and callers that have one)."""
        return cls._written(briefing, lambda builder: builder.from_briefing(briefing))

    @classmethod
    def of_plan(cls, plan: Plan) -> Catalog:
        """The catalog of a plan's briefing, a story at a time (never `assemble`)."""
        header = Briefing(generated_at=plan.generated_at, tool=plan.tool, inputs=plan.inputs)
        return cls._written(header, lambda builder: builder.from_plan(plan))

    @classmethod
    def _written(cls, header: Briefing, fill: Callable[[Builder], None]) -> Catalog:
        """A new catalog in a folder of its own, filled by `fill`; the folder goes if that fails."""
        from storyline.web.catalog_build import Builder

        catalog = cls(Path(tempfile.mkdtemp(prefix="storyline-catalog-")))
        try:
            with Builder(catalog.path, header) as builder:
                fill(builder)
        except BaseException:
            catalog.remove()
            raise
        return catalog

    def connection(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            # Written once, then only read: `immutable` skips SQLite's locking on every query.
            conn = sqlite3.connect(f"file:{self.path}?mode=ro&immutable=1", uri=True, check_same_thread=False)
            self._local.conn = conn
            with self._lock:
                self._opened.append(conn)
        return conn

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return self.connection().execute(sql, params).fetchall()

    def one(self, sql: str, params: Sequence[Any] = ()) -> tuple[Any, ...] | None:
        row: tuple[Any, ...] | None = self.connection().execute(sql, params).fetchone()
        return row

    def stream(self, sql: str, params: Sequence[Any] = (), batch: int = 500) -> Iterator[tuple[Any, ...]]:
        """Rows a batch at a time on a connection of their own: a streamed download is read from
        whichever thread the server gives each step, and may outlive the request's thread."""
        conn = sqlite3.connect(f"file:{self.path}?mode=ro&immutable=1", uri=True, check_same_thread=False)
        try:
            cursor = conn.execute(sql, params)
            while rows := cursor.fetchmany(batch):
                yield from rows
        finally:
            conn.close()

    def meta(self, key: str) -> Any:
        row = self.one("SELECT value FROM meta WHERE key = ?", (key,))
        return json.loads(row[0]) if row else None

    def remove(self) -> None:
        """Close every connection and delete the file's folder (the snapshot is no longer used)."""
        with self._lock:
            for conn in self._opened:
                conn.close()
            self._opened.clear()
        shutil.rmtree(self.folder, ignore_errors=True)
