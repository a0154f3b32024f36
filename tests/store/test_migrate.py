"""Schema migrations: new stores, stores made before migrations, and stores from a newer version."""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine

from storyline.errors import StoreError
from storyline.model import Article, to_dict
from storyline.store import Store, migrate, schema
from storyline.store import engine as _engine

# What `schema.metadata.create_all` wrote on SQLite before the store had migrations, verbatim.
OLD_SQLITE_SCHEMA = """
CREATE TABLE meta ("key" VARCHAR(64) NOT NULL, value TEXT NOT NULL, PRIMARY KEY ("key"));
CREATE TABLE documents (
    raw_hash VARCHAR(64) NOT NULL, clean_version VARCHAR(32) NOT NULL,
    article_id VARCHAR(32) NOT NULL, PRIMARY KEY (raw_hash, clean_version));
CREATE INDEX ix_documents_article_id ON documents (article_id);
CREATE TABLE articles (
    id VARCHAR(32) NOT NULL, source TEXT NOT NULL, title TEXT, site TEXT, published VARCHAR(10),
    language VARCHAR(8), body TEXT NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (id));
CREATE INDEX ix_articles_published ON articles (published);
CREATE INDEX ix_articles_seq ON articles (seq);
CREATE TABLE annotations (
    article_id VARCHAR(32) NOT NULL, version VARCHAR(160) NOT NULL, body TEXT NOT NULL,
    PRIMARY KEY (article_id, version));
"""


def _schema_differences(store: Store) -> list[object]:
    with store.engine.connect() as conn:
        return list(compare_metadata(MigrationContext.configure(conn), schema.metadata))


def test_a_new_store_is_at_the_newest_revision_and_matches_schema_py(store_url: str) -> None:
    # Guards against editing schema.py without adding a migration (or the other way round).
    store = Store.open(store_url)
    assert migrate.revision(store.engine) == migrate.head() == "0002"
    assert _schema_differences(store) == []
    store.close()


def test_opening_a_store_at_the_newest_revision_again_changes_nothing(store_url: str) -> None:
    Store.open(store_url).close()
    store = Store.open(store_url)
    with store.engine.connect() as conn:
        versions = conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    assert versions == ["0002"]
    store.close()


def test_a_store_made_before_migrations_is_stamped_and_keeps_its_articles(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    article = Article(id="a1", source="old.txt", text="Kept from before.", title="Old")
    with sqlite3.connect(path) as conn:
        conn.executescript(OLD_SQLITE_SCHEMA)
        conn.execute(
            "INSERT INTO articles (id, source, title, body, seq) VALUES (?, ?, ?, ?, ?)",
            ("a1", "old.txt", "Old", json.dumps(to_dict(article)), 1),
        )
        conn.execute("INSERT INTO documents VALUES ('raw1', 'clean.v1', 'a1')")
    conn.close()
    store = Store.open(path)
    assert migrate.revision(store.engine) == migrate.head()
    assert _schema_differences(store) == []
    assert store.article("a1") == article
    assert store.cleaned("raw1", "clean.v1") == "a1"
    store.put_articles([("raw2", "clean.v1", Article(id="a2", source="new.txt", text="Added after."))])
    assert [a.id for a in store.articles()] == ["a1", "a2"]
    store.close()


def test_a_store_from_a_newer_storyline_is_refused_with_a_clear_error(store_url: str) -> None:
    store = Store.open(store_url)
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    store.close()
    with pytest.raises(StoreError, match="has schema revision 9999, which this storyline does not know"):
        Store.open(store_url)


def test_a_migration_that_fails_half_way_leaves_the_database_as_it_was(store_url: str) -> None:
    # An index already holding a name the first revision needs makes it fail after three tables.
    engine = _engine.connect(store_url)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE other (x INTEGER)"))
        conn.execute(text("CREATE INDEX ix_articles_seq ON other (x)"))
    with pytest.raises(StoreError, match="^cannot open the store "):
        Store.open(store_url)
    assert inspect(engine).get_table_names() == ["other"]  # no table of the failed revision stays
    engine.dispose()


def test_a_second_opener_waits_for_the_first_one_upgrading_a_shared_server(postgres_url: str) -> None:
    # Two workers start on an empty shared database at once. Here the "first" holds the upgrade lock
    # and creates the schema; the second must wait for it, then find the store done, not redo it.
    engine = _engine.connect(postgres_url)
    opened: list[object] = []
    second = threading.Thread(target=lambda: opened.append(_open_or_error(postgres_url)))
    with engine.begin() as first:
        first.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": migrate.LOCK_KEY})
        schema.metadata.create_all(first)
        first.execute(text("CREATE TABLE alembic_version (version_num VARCHAR(32) PRIMARY KEY)"))
        first.execute(text("INSERT INTO alembic_version VALUES (:head)"), {"head": migrate.head()})
        second.start()
        _wait_until_a_session_waits_for_a_lock(engine)
    second.join(timeout=60)
    assert len(opened) == 1 and isinstance(opened[0], Store), opened
    assert migrate.revision(engine) == migrate.head()
    opened[0].close()
    engine.dispose()


def _open_or_error(url: str) -> Store | StoreError:
    try:
        return Store.open(url)
    except StoreError as exc:
        return exc


def _wait_until_a_session_waits_for_a_lock(engine: Engine) -> None:
    query = text("SELECT count(*) FROM pg_locks WHERE NOT granted")
    deadline = time.monotonic() + 30
    with engine.connect() as conn:
        while conn.execute(query).scalar_one() == 0:
            assert time.monotonic() < deadline, "the second opener never waited for a lock"
            conn.rollback()  # a fresh snapshot of pg_locks on the next poll
            time.sleep(0.02)


def test_a_store_at_0001_gains_the_story_results_table_and_keeps_its_rows(tmp_path: Path) -> None:
    from alembic import command

    from storyline.store.migrate import _config  # the migration set-up the store itself uses

    db = tmp_path / "old.db"
    store = Store.open(db)
    with store.engine.begin() as conn:
        conn.execute(text("INSERT INTO meta (key, value) VALUES ('kept', 'yes')"))
        command.downgrade(_config(conn), "0001")
    store.close()
    store = Store.open(db)
    assert migrate.revision(store.engine) == "0002"
    store.put_story_results([("k", "{}")])
    assert store.story_results(["k", "other"]) == {"k": "{}"}
    with store.engine.connect() as conn:
        assert conn.execute(text("SELECT value FROM meta WHERE key = 'kept'")).scalar_one() == "yes"
    store.close()
