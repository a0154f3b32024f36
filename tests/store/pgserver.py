"""A throwaway PostgreSQL server driven by `scripts/postgres.sh`, for the store tests' fixtures."""

from __future__ import annotations

import itertools
import subprocess
from pathlib import Path

HELPER = Path(__file__).resolve().parents[2] / "scripts" / "postgres.sh"


class PostgresServer:
    """One cluster in `folder`, listening on 127.0.0.1:`port`; each test gets its own database."""

    def __init__(self, folder: Path, port: int) -> None:
        self.folder = folder
        self.port = port
        self.url = ""
        self._names = itertools.count(1)

    def start(self) -> None:
        self.url = _helper("start", str(self.folder), str(self.port)).strip()

    def stop(self) -> None:
        _helper("stop", str(self.folder))

    def url_of(self, database: str) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, folder: Path | None = None) -> str:
        """A new empty database; with `folder`, its files go there (a tablespace of the same name)."""
        name = f"store_test_{next(self._names)}"
        if folder is None:
            self._admin(f"CREATE DATABASE {name}")
        else:
            self._admin(f"CREATE TABLESPACE {name} LOCATION '{folder}'")
            self._admin(f"CREATE DATABASE {name} TABLESPACE {name}")
        return name

    def drop_database(self, name: str) -> None:
        self._admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        self._admin(f"DROP TABLESPACE IF EXISTS {name}")

    def owner_uid(self) -> int:
        """The system user the server runs as (tablespace folders must belong to it)."""
        return (self.folder / "data").stat().st_uid

    def _admin(self, statement: str) -> None:
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute(statement)  # type: ignore[arg-type]  # our own fixed statement


def _helper(*args: str) -> str:
    done = subprocess.run(["bash", str(HELPER), *args], capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        raise RuntimeError(f"scripts/postgres.sh {' '.join(args)} failed: {done.stderr.strip()[-800:]}")
    return done.stdout
