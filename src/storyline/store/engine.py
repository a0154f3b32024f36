"""The database connection behind a store: a SQLite file path or a database URL, made into an Engine.

SQLite runs in WAL mode with real transactions (a write takes the lock at BEGIN). PostgreSQL goes
through psycopg 3 with a pre-ping pool, so that connections a restarted server dropped are replaced
instead of failing the next request.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError

from storyline.errors import StoreError

# SQLAlchemy's bare `postgresql://` means psycopg2; the project ships psycopg 3. `postgres://` is
# the spelling Heroku-style hosts hand out.
_DRIVERS = {"postgresql": "postgresql+psycopg", "postgres": "postgresql+psycopg"}
_WRITE = "storyline_write"  # execution option marking an engine's transactions as writes
CONNECT_TIMEOUT = 10  # seconds: an unreachable server fails a request quickly instead of hanging it


def connect(target: str | Path) -> Engine:
    """An Engine for `target`: a file path (SQLite, its folder is created) or a database URL."""
    url = database_url(target)
    options: dict[str, object] = {}
    if url.get_backend_name() == "postgresql":
        options = {"pool_pre_ping": True, "connect_args": {"connect_timeout": CONNECT_TIMEOUT}}
    try:
        engine = create_engine(url, **options)
    except ArgumentError as exc:  # includes an unknown dialect (NoSuchModuleError)
        raise StoreError(f"cannot use the database URL {describe_url(url)}: {exc}") from exc
    except ImportError as exc:  # a dialect whose driver is not installed, e.g. postgresql+psycopg2
        shown = url.render_as_string(hide_password=True)
        raise StoreError(
            f"cannot use the database URL {shown}: its driver is not installed ({exc}); "
            "use postgresql://, which storyline's own dependency psycopg serves"
        ) from exc
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
    return engine


def for_writing(engine: Engine) -> Engine:
    """The same engine (and pool) for write transactions: on SQLite they take the write lock at BEGIN."""
    return engine.execution_options(**{_WRITE: True})


def database_url(target: str | Path) -> URL:
    """The SQLAlchemy URL of a path or URL; a path's folder is created so SQLite can make the file."""
    text = str(target)
    if "://" not in text:
        path = Path(text)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create the folder for the database {path}: {exc.strerror}") from exc
        return URL.create("sqlite", database=str(path))
    try:
        url = make_url(text)
    except (ArgumentError, ValueError) as exc:  # ValueError: a port that is not a number
        raise StoreError(f"{_without_password(text)} is not a database URL: {exc}") from exc
    if url.drivername in _DRIVERS:
        url = url.set(drivername=_DRIVERS[url.drivername])
    return url


def describe(engine: Engine) -> str:
    """How errors name the database: the SQLite file, or the URL without its password."""
    return describe_url(engine.url)


def describe_url(url: URL) -> str:
    if url.get_backend_name() == "sqlite":
        return url.database or ":memory:"
    # As the user spelt it, less the password and the query (libpq also takes `?password=`).
    shown = url.set(drivername=url.get_backend_name(), query={})
    return shown.render_as_string(hide_password=True)


def _without_password(text: str) -> str:
    scheme, _, rest = text.partition("://")
    credentials, at, host = rest.rpartition("@")
    if not at or ":" not in credentials:
        return text
    return f"{scheme}://{credentials.split(':', 1)[0]}:***@{host}"


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # sqlite3's legacy mode sends no BEGIN before a SELECT or DDL, so a migration would commit table
    # by table; turn it off and let `_sqlite_begin` start every transaction (SQLAlchemy's recipe).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def _sqlite_begin(conn: Connection) -> None:
    # A write takes the lock at BEGIN (IMMEDIATE) and so waits out another writer (busy_timeout);
    # a deferred one that read first would fail at once with SQLITE_BUSY had a writer got in between.
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(_WRITE) else "BEGIN")
