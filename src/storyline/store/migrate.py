"""Schema migrations (Alembic): bring any store, new or old, to the schema this code expects.

The revisions live in `migrations/versions/` (package data). A store older than migrations (its
tables but no `alembic_version`) is stamped with the first revision, which is that schema. On
PostgreSQL an advisory lock makes concurrent openers upgrade one at a time. To change the schema,
edit `schema.py` and add a revision beside `0001_initial.py`; a test checks the two agree.
"""

from __future__ import annotations

from functools import cache

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection, Engine

from storyline.errors import StoreError
from storyline.store.engine import for_writing

BASELINE = "0001"  # the schema stores had before migrations existed
LOCK_KEY = 0x5709_11E0  # any fixed 64-bit number: the "storyline schema upgrade" advisory lock


def upgrade(engine: Engine, database: str) -> None:
    """Upgrade the store behind `engine` to the newest revision (a no-op when it is there already)."""
    newest = head()
    with engine.connect() as conn:
        if _current(conn) == newest:  # the common case: no lock, no write
            return
    with for_writing(engine).begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_KEY})
        current = _current(conn)
        if current == newest:  # another process upgraded it while we waited for the lock
            return
        if current is not None and current not in _known():
            raise StoreError(
                f"the store {database} has schema revision {current}, which this storyline does not "
                "know: it was written by a newer version; upgrade storyline to use it"
            )
        config = _config(conn)
        if current is None and "articles" in inspect(conn).get_table_names():
            command.stamp(config, BASELINE)
        command.upgrade(config, "head")


def revision(engine: Engine) -> str | None:
    """The store's schema revision (None for an empty database or one older than migrations)."""
    with engine.connect() as conn:
        return _current(conn)


def head() -> str:
    """The newest revision this code knows."""
    newest = _script().get_current_head()
    assert newest is not None  # the package always ships at least the baseline
    return newest


def _current(conn: Connection) -> str | None:
    return MigrationContext.configure(conn).get_current_revision()


def _config(conn: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", "storyline.store:migrations")
    config.attributes["connection"] = conn
    return config


def _known() -> set[str]:
    return {script.revision for script in _script().walk_revisions()}


@cache
def _script() -> ScriptDirectory:
    # Reading the revision files once per process keeps `Store.open` cheap for the web app.
    return ScriptDirectory.from_config(_config())
