"""The store: articles and per-article annotations in SQLite (default) or PostgreSQL.

One `Store` class over SQLAlchemy Core; opening it migrates the schema to the newest revision
(Alembic). Every write is one transaction, so an interrupted run, a full disk or a lost server
leaves what was finished and nothing half-written; every database error reaches the caller as a
`StoreError` naming the database. Only this package touches the database.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, Insert, Table, delete, func, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

from storyline.errors import StoreError
from storyline.model import Annotation, Article, from_dict, to_dict
from storyline.store import engine as _engine
from storyline.store import migrate, schema
from storyline.store.failures import explain

__all__ = ["Pruned", "Store"]


# Ids per IN (...) query: SQLite allows 32,766 bound parameters in one statement.
_IN_BATCH = 5000


class Store:
    """Articles and annotations by content hash; open with `Store.open(path_or_url)`."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._writer = _engine.for_writing(engine)
        self.database = _engine.describe(engine)  # how messages name it: a path, or a URL sans password

    @classmethod
    def open(cls, target: str | Path) -> Store:
        """Open (creating or upgrading as needed) the store at a SQLite path or a database URL."""
        engine = _engine.connect(target)
        database = _engine.describe(engine)
        try:
            migrate.upgrade(engine, database)
        except SQLAlchemyError as exc:
            engine.dispose()
            raise explain(exc, database, "cannot open") from exc
        except BaseException:
            engine.dispose()
            raise
        return cls(engine)

    def close(self) -> None:
        self.engine.dispose()

    # --- documents and articles -----------------------------------------------------------------

    def cleaned(self, raw_hash: str, clean_version: str) -> str | None:
        """The id of the article an input with these bytes cleaned to, if it was cleaned before."""
        query = select(schema.documents.c.article_id).where(
            schema.documents.c.raw_hash == raw_hash, schema.documents.c.clean_version == clean_version
        )
        with self._read() as conn:
            return conn.execute(query).scalar_one_or_none()

    def put_articles(self, items: Sequence[tuple[str, str, Article]]) -> None:
        """Store (raw_hash, clean_version, article) triples in one transaction; known ones are skipped."""
        if not items:
            return
        with self._write() as conn:
            ids = list(dict.fromkeys(a.id for _, _, a in items))
            query = select(schema.articles.c.id).where(schema.articles.c.id.in_(ids))
            known = set(conn.execute(query).scalars())
            seq = conn.execute(select(func.coalesce(func.max(schema.articles.c.seq), 0))).scalar_one()
            rows, docs = [], []
            for raw_hash, version, article in items:
                if article.id not in known:
                    seq += 1
                    known.add(article.id)
                    rows.append(_article_row(article, seq))
                docs.append({"raw_hash": raw_hash, "clean_version": version, "article_id": article.id})
            if rows:
                conn.execute(self._insert_new(schema.articles), rows)
            conn.execute(self._insert_new(schema.documents), docs)

    def article(self, article_id: str) -> Article | None:
        query = select(schema.articles.c.body).where(schema.articles.c.id == article_id)
        with self._read() as conn:
            body = conn.execute(query).scalar_one_or_none()
        return from_dict(Article, json.loads(body)) if body else None

    def articles(self, ids: Iterable[str] | None = None) -> Iterator[Article]:
        """Articles in insertion order (all of them, or those with the given ids)."""
        # `id` breaks ties: two shared-server writers can draw the same `seq`.
        table = schema.articles
        if ids is None:
            query = select(table.c.body).order_by(table.c.seq, table.c.id)
            with self._read() as conn:
                for body in conn.execute(query).scalars():
                    yield from_dict(Article, json.loads(body))
            return
        wanted = list(ids)
        rows: list[Any] = []
        with self._read() as conn:
            for start in range(0, len(wanted), _IN_BATCH):
                chunk = wanted[start : start + _IN_BATCH]
                query = select(table.c.seq, table.c.id, table.c.body).where(table.c.id.in_(chunk))
                rows.extend(conn.execute(query).all())
        for _, _, body in sorted(rows, key=lambda r: (r[0], r[1])):
            yield from_dict(Article, json.loads(body))

    def article_ids(self, clean_version: str | None = None) -> list[str]:
        """Every article's id, in insertion order. With `clean_version`, not the articles that
        cleaning under that version replaced: an input cleaned again by a newer cleaner may give
        another text, so another article, and the one its older cleaning gave would otherwise
        stand beside it in every briefing of the whole store."""
        table = schema.articles
        query = select(table.c.id).order_by(table.c.seq, table.c.id)
        if clean_version is not None:
            query = query.where(_listed(clean_version))
        with self._read() as conn:
            return list(conn.execute(query).scalars())

    def prune(self, clean_version: str, annotation_version: str, *, dry_run: bool = False) -> Pruned:
        """Delete what no run under these versions reads: the articles a newer cleaning replaced
        (with their annotations and the inputs' records that led to them), the older cleanings'
        records of inputs cleaned again, and annotations made under any other version. Worked-out
        stories are kept: their keys do not say which are stale. One transaction; a SQLite file is
        then compacted. `dry_run` counts without deleting."""
        articles, docs, notes = schema.articles, schema.documents, schema.annotations
        again = docs.alias("again")
        superseded = (
            select(again.c.raw_hash)
            .where(again.c.raw_hash == docs.c.raw_hash, again.c.clean_version == clean_version)
            .exists()
        )
        older = (docs.c.clean_version != clean_version) & superseded
        size = self._file_size()
        stale = notes.c.version != annotation_version
        with self._read() if dry_run else self._write() as conn:
            removed = list(conn.execute(select(articles.c.id).where(~_listed(clean_version))).scalars())
            chunks = [removed[i : i + _IN_BATCH] for i in range(0, len(removed), _IN_BATCH)]
            # Each row once: the rows of removed articles not already counted as older or stale.
            documents = _count(conn, docs, older)
            documents += sum(_count(conn, docs, docs.c.article_id.in_(c) & ~older) for c in chunks)
            annotations = _count(conn, notes, stale)
            annotations += sum(_count(conn, notes, notes.c.article_id.in_(c) & ~stale) for c in chunks)
            if not dry_run:
                conn.execute(delete(docs).where(older))
                conn.execute(delete(notes).where(stale))
                for chunk in chunks:
                    conn.execute(delete(docs).where(docs.c.article_id.in_(chunk)))
                    conn.execute(delete(notes).where(notes.c.article_id.in_(chunk)))
                    conn.execute(delete(articles).where(articles.c.id.in_(chunk)))
        if not dry_run and size is not None:
            self._compact()
        after = size if dry_run else self._file_size()
        return Pruned(len(removed), documents, annotations, size_before=size, size_after=after)

    def article_count(self) -> int:
        with self._read() as conn:
            return int(conn.execute(select(func.count()).select_from(schema.articles)).scalar_one())

    # --- annotations ----------------------------------------------------------------------------

    def annotation(self, article_id: str, version: str) -> Annotation | None:
        query = select(schema.annotations.c.body).where(
            schema.annotations.c.article_id == article_id, schema.annotations.c.version == version
        )
        with self._read() as conn:
            body = conn.execute(query).scalar_one_or_none()
        return from_dict(Annotation, json.loads(body)) if body else None

    def annotations(self, article_ids: Sequence[str], version: str) -> dict[str, Annotation]:
        """The stored annotations of `article_ids` under `version` (read in a few queries)."""
        table = schema.annotations
        out: dict[str, Annotation] = {}
        with self._read() as conn:
            for start in range(0, len(article_ids), _IN_BATCH):
                chunk = list(article_ids[start : start + _IN_BATCH])
                query = select(table.c.article_id, table.c.body).where(
                    table.c.version == version, table.c.article_id.in_(chunk)
                )
                for article_id, body in conn.execute(query):
                    out[article_id] = from_dict(Annotation, json.loads(body))
        return out

    def missing_annotations(self, article_ids: Sequence[str], version: str) -> list[str]:
        table = schema.annotations
        have: set[str] = set()
        with self._read() as conn:
            for start in range(0, len(article_ids), _IN_BATCH):
                chunk = list(article_ids[start : start + _IN_BATCH])
                query = select(table.c.article_id).where(
                    table.c.version == version, table.c.article_id.in_(chunk)
                )
                have.update(conn.execute(query).scalars())
        return [a for a in article_ids if a not in have]

    def put_annotations(self, items: Sequence[Annotation], version: str) -> None:
        if not items:
            return
        rows = [
            {"article_id": a.article, "version": version, "body": json.dumps(to_dict(a), ensure_ascii=False)}
            for a in items
        ]
        with self._write() as conn:
            conn.execute(self._insert_new(schema.annotations), rows)

    # --- worked-out stories ----------------------------------------------------------------------

    def story_results(self, keys: Sequence[str]) -> dict[str, str]:
        """The stored results (JSON) of those `keys` that are stored."""
        out: dict[str, str] = {}
        table = schema.story_results
        with self._read() as conn:
            for start in range(0, len(keys), _IN_BATCH):
                chunk = list(keys[start : start + _IN_BATCH])
                out.update(
                    conn.execute(select(table.c.key, table.c.body).where(table.c.key.in_(chunk))).all()
                )
        return out

    def put_story_results(self, items: Sequence[tuple[str, str]]) -> None:
        if items:
            with self._write() as conn:
                conn.execute(
                    self._insert_new(schema.story_results), [{"key": k, "body": b} for k, b in items]
                )

    def drop_story_results(self, prefix: str, keep: Sequence[str]) -> None:
        """Delete the stored results whose key starts with `prefix`, except those of `keep`: results
        of a whole store's articles are superseded by each change, and would otherwise pile up."""
        table = schema.story_results
        with self._write() as conn:
            conn.execute(
                delete(table).where(table.c.key.startswith(prefix, autoescape=True), table.c.key.not_in(keep))
            )

    def _file_size(self) -> int | None:
        """A SQLite store's size on disk (its write-ahead log included); None for a server."""
        path = self.engine.url.database
        if self.engine.dialect.name != "sqlite" or not path or path == ":memory:":
            return None
        files = [Path(path), Path(f"{path}-wal")]
        return sum(f.stat().st_size for f in files if f.exists())

    def _compact(self) -> None:
        """Give a SQLite file's free pages back to the disk (VACUUM, outside any transaction: the
        connections run in autocommit mode, see `engine`), and empty the write-ahead log."""
        try:
            raw = self.engine.raw_connection()
            try:
                driver: Any = raw.driver_connection
                driver.execute("VACUUM")
                driver.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            finally:
                raw.close()
        except sqlite3.Error as exc:  # raised by the driver itself, outside SQLAlchemy's wrapping
            raise StoreError(f"cannot compact {self.database}: {exc}") from exc

    # --- transactions ---------------------------------------------------------------------------

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        try:
            with self.engine.connect() as conn:
                yield conn
        except SQLAlchemyError as exc:
            raise explain(exc, self.database, "cannot read") from exc

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        """One transaction: committed whole when the block ends, rolled back whole on any error."""
        try:
            with self._writer.begin() as conn:
                yield conn
        except SQLAlchemyError as exc:
            raise explain(exc, self.database, "cannot write to") from exc

    def _insert_new(self, table: Table) -> Insert:
        """INSERT that skips rows whose key is stored already (or repeats in the batch): two inputs,
        or two runs sharing a server, may bring the same article."""
        name = self.engine.dialect.name
        if name == "postgresql":
            return postgresql.insert(table).on_conflict_do_nothing()
        if name == "sqlite":
            return sqlite.insert(table).on_conflict_do_nothing()
        return insert(table)


def _article_row(article: Article, seq: int) -> dict[str, Any]:
    return {
        "id": article.id,
        "source": article.source,
        "title": article.title,
        "site": article.site,
        "published": article.published,
        "language": article.language,
        "body": json.dumps(to_dict(article), ensure_ascii=False),
        "seq": seq,
    }


@dataclass(frozen=True)
class Pruned:
    """What `Store.prune` deleted (or would delete): rows of each table, and a SQLite file's size."""

    articles: int
    documents: int
    annotations: int
    size_before: int | None = None  # bytes; None for a database server
    size_after: int | None = None


def _listed(clean_version: str) -> ColumnElement[bool]:
    """Whether an article is one of the store's under `clean_version`: not replaced by that
    version's cleaning of one of its inputs, unless another input still cleans to it (or was never
    cleaned again)."""
    table, docs = schema.articles, schema.documents
    again = docs.alias("again")
    elsewhere = (
        select(again.c.raw_hash)
        .where(
            again.c.raw_hash == docs.c.raw_hash,
            again.c.clean_version == clean_version,
            again.c.article_id != docs.c.article_id,
        )
        .exists()
    )
    replaced = (
        select(docs.c.article_id)
        .join(again, again.c.raw_hash == docs.c.raw_hash)
        .where(again.c.clean_version == clean_version, again.c.article_id != docs.c.article_id)
    )
    kept = select(docs.c.article_id).where(~elsewhere)
    return table.c.id.not_in(replaced) | table.c.id.in_(kept)


def _count(conn: Connection, table: Table, where: ColumnElement[bool]) -> int:
    return int(conn.execute(select(func.count()).select_from(table).where(where)).scalar_one())
