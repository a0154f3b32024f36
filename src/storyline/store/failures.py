"""Database errors turned into one clear `StoreError` that names the database and says what to do.

The driver's error code decides the kind (SQLite's result-code name, PostgreSQL's SQLSTATE); the
driver's first message line is kept for detail. SQL statements and their parameters never are:
they would bury the message under article text.
"""

from __future__ import annotations

from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from storyline.errors import StoreError

DISK_FULL = "the disk is full; free some space and run again (the unfinished write was rolled back)"
READ_ONLY = "the database is read-only; give a store you may write to (the write was not made)"
UNREACHABLE = "the database server cannot be reached; check that it is running (retry once it is back)"
BUSY = "the database is locked by another process; wait for it to finish and run again"
NOT_A_STORE = "the file is not a storyline store (or it is damaged); give another --db"
NO_ACCESS = "the database refused these credentials or this database name; check the URL"


def explain(exc: SQLAlchemyError, database: str, doing: str) -> StoreError:
    """A StoreError for `exc`, raised while `doing` (e.g. "cannot write to") the store `database`."""
    orig = getattr(exc, "orig", None) or exc
    detail = (str(orig).strip().splitlines() or [type(orig).__name__])[0]
    advice = _advice(exc, orig, detail)
    return StoreError(f"{doing} the store {database}: " + (f"{advice} ({detail})" if advice else detail))


def _advice(exc: SQLAlchemyError, orig: BaseException, detail: str) -> str | None:
    sqlite_code = getattr(orig, "sqlite_errorname", None) or ""
    sqlstate = getattr(orig, "sqlstate", None) or ""
    lowered = detail.lower()
    if sqlite_code.startswith("SQLITE_FULL") or sqlstate == "53100" or "no space left" in lowered:
        return DISK_FULL
    if sqlite_code.startswith("SQLITE_READONLY") or sqlstate == "25006":
        return READ_ONLY
    if sqlite_code.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or sqlstate == "55P03":
        return BUSY
    if sqlite_code.startswith(("SQLITE_NOTADB", "SQLITE_CORRUPT")):
        return NOT_A_STORE
    if sqlstate.startswith("28") or sqlstate == "3D000":
        return NO_ACCESS
    # psycopg reports a failed connection without an SQLSTATE; a server shutting down or starting
    # up has class 57P; a connection that died mid-request is flagged invalidated by SQLAlchemy.
    lost = isinstance(exc, DBAPIError) and exc.connection_invalidated
    if sqlstate.startswith(("08", "57P")) or lost or _failed_to_connect(orig):
        return UNREACHABLE
    return None


def _failed_to_connect(orig: BaseException) -> bool:
    if not type(orig).__module__.startswith("psycopg"):
        return False  # a SQLite store never needs to import psycopg
    import psycopg

    return isinstance(orig, psycopg.OperationalError) and not getattr(orig, "sqlstate", None)
