"""The store: articles and per-article annotations in SQLite (default) or PostgreSQL.

One `Store` class over SQLAlchemy Core; every write is a transaction, so an interrupted run leaves
what it finished and nothing half-written (SQLite runs in WAL mode). Only this package touches the
database.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from sqlalchemy import create_engine, event, func, insert, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from storyline.errors import StoreError
from storyline.model import Annotation, Article, from_dict, to_dict
from storyline.store import schema

__all__ = ["Store"]


class Store:
    """Articles and annotations by content hash; open with `Store.open(path_or_url)`."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @classmethod
    def open(cls, target: str | Path) -> Store:
        url = str(target)
        if "://" not in url:
            path = Path(url)
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"cannot create the folder for the database {path}: {exc.strerror}") from exc
            url = f"sqlite:///{path}"
        try:
            engine = create_engine(url, future=True)
            if engine.dialect.name == "sqlite":
                event.listen(engine, "connect", _sqlite_pragmas)
            schema.metadata.create_all(engine)
        except SQLAlchemyError as exc:
            raise StoreError(
                f"cannot open the store at {target}: {getattr(exc, 'orig', None) or exc}"
            ) from exc
        return cls(engine)

    def close(self) -> None:
        self.engine.dispose()

    # --- documents and articles -----------------------------------------------------------------

    def cleaned(self, raw_hash: str, clean_version: str) -> str | None:
        """The id of the article an input with these bytes cleaned to, if it was cleaned before."""
        query = select(schema.documents.c.article_id).where(
            schema.documents.c.raw_hash == raw_hash, schema.documents.c.clean_version == clean_version
        )
        with self.engine.connect() as conn:
            return conn.execute(query).scalar_one_or_none()

    def put_articles(self, items: Sequence[tuple[str, str, Article]]) -> None:
        """Store (raw_hash, clean_version, article) triples in one transaction; known ones are skipped."""
        if not items:
            return
        with self._write() as conn:
            known = set(
                conn.execute(
                    select(schema.articles.c.id).where(schema.articles.c.id.in_([a.id for _, _, a in items]))
                ).scalars()
            )
            seq = conn.execute(select(func.coalesce(func.max(schema.articles.c.seq), 0))).scalar_one()
            done_docs: set[tuple[str, str]] = set()
            for raw_hash, version, article in items:
                if article.id not in known:
                    seq += 1
                    known.add(article.id)
                    conn.execute(
                        insert(schema.articles).values(
                            id=article.id,
                            source=article.source,
                            title=article.title,
                            site=article.site,
                            published=article.published,
                            language=article.language,
                            body=json.dumps(to_dict(article), ensure_ascii=False),
                            seq=seq,
                        )
                    )
                if (raw_hash, version) not in done_docs and self.cleaned(raw_hash, version) is None:
                    conn.execute(
                        insert(schema.documents).values(
                            raw_hash=raw_hash, clean_version=version, article_id=article.id
                        )
                    )
                done_docs.add((raw_hash, version))

    def article(self, article_id: str) -> Article | None:
        query = select(schema.articles.c.body).where(schema.articles.c.id == article_id)
        with self.engine.connect() as conn:
            body = conn.execute(query).scalar_one_or_none()
        return from_dict(Article, json.loads(body)) if body else None

    def articles(self, ids: Iterable[str] | None = None) -> Iterator[Article]:
        """Articles in insertion order (all of them, or those with the given ids)."""
        query = select(schema.articles.c.body).order_by(schema.articles.c.seq)
        if ids is not None:
            query = query.where(schema.articles.c.id.in_(list(ids)))
        with self.engine.connect() as conn:
            for body in conn.execute(query).scalars():
                yield from_dict(Article, json.loads(body))

    def article_count(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(schema.articles)).scalar_one())

    # --- annotations ----------------------------------------------------------------------------

    def annotation(self, article_id: str, version: str) -> Annotation | None:
        query = select(schema.annotations.c.body).where(
            schema.annotations.c.article_id == article_id, schema.annotations.c.version == version
        )
        with self.engine.connect() as conn:
            body = conn.execute(query).scalar_one_or_none()
        return from_dict(Annotation, json.loads(body)) if body else None

    def missing_annotations(self, article_ids: Sequence[str], version: str) -> list[str]:
        query = select(schema.annotations.c.article_id).where(
            schema.annotations.c.version == version, schema.annotations.c.article_id.in_(list(article_ids))
        )
        with self.engine.connect() as conn:
            have = set(conn.execute(query).scalars())
        return [a for a in article_ids if a not in have]

    def put_annotations(self, items: Sequence[Annotation], version: str) -> None:
        if not items:
            return
        with self._write() as conn:
            for ann in items:
                conn.execute(
                    insert(schema.annotations).values(
                        article_id=ann.article,
                        version=version,
                        body=json.dumps(to_dict(ann), ensure_ascii=False),
                    )
                )

    def _write(self):  # type: ignore[no-untyped-def]
        try:
            return self.engine.begin()
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot write to the store: {exc}") from exc


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()
