"""Store fixtures: a throwaway PostgreSQL server for the session, and `store_url` over both backends.

The server is made by `scripts/postgres.sh` (initdb + pg_ctl on 127.0.0.1, a free port, a temp
folder) and removed at the end. Without PostgreSQL the postgresql cases skip, saying why, unless
STORYLINE_REQUIRE_POSTGRES=1 (set by `make test`): then they fail.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from pgserver import HELPER, PostgresServer


def _unavailable(reason: str) -> None:
    if os.environ.get("STORYLINE_REQUIRE_POSTGRES") == "1":
        pytest.fail(f"{reason}; STORYLINE_REQUIRE_POSTGRES=1 says these tests must run", pytrace=False)
    pytest.skip(f"{reason} (`make test` installs and starts it)")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """A running PostgreSQL server for this session (skips, or fails under `make test`, without one)."""
    if subprocess.run(["bash", str(HELPER), "bindir"], capture_output=True).returncode != 0:
        _unavailable("PostgreSQL is not installed (no initdb/pg_ctl under /usr/lib/postgresql/*/bin)")
    # A folder of its own under the system temp dir: pytest's tmp folders are private to root, and
    # under root the server runs as an unprivileged user who must reach this one.
    folder = Path(tempfile.mkdtemp(prefix="storyline-pg-"))
    server = PostgresServer(folder, _free_port())
    try:
        server.start()
    except (RuntimeError, subprocess.TimeoutExpired) as exc:
        shutil.rmtree(folder, ignore_errors=True)
        _unavailable(f"PostgreSQL could not be started: {exc}")
    yield server
    try:
        server.stop()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def postgres_url(postgres: PostgresServer) -> Iterator[str]:
    """A fresh, empty database on the session's server, dropped after the test."""
    name = postgres.create_database()
    yield postgres.url_of(name)
    postgres.drop_database(name)


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Where a test's store lives: a SQLite file path, or a PostgreSQL URL on the test server."""
    if request.param == "sqlite":
        return str(tmp_path / "store.db")
    url: str = request.getfixturevalue("postgres_url")
    return url


@contextmanager
def _small_disk(owner: int) -> Iterator[Path]:
    """An 8 MB tmpfs owned by `owner`: a disk that really fills up (needs the right to mount)."""
    folder = Path(tempfile.mkdtemp(prefix="storyline-full-"))
    mount = ["mount", "-t", "tmpfs", "-o", f"size=8m,mode=0700,uid={owner}", "tmpfs", str(folder)]
    mounted = subprocess.run(mount, capture_output=True, text=True)
    if mounted.returncode != 0:
        folder.rmdir()
        pytest.skip(f"cannot mount a small tmpfs here: {mounted.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=True)
        folder.rmdir()


@pytest.fixture(params=["sqlite", "postgresql"])
def full_disk_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """A store on a small disk: a SQLite file there, or a database in a tablespace there."""
    if os.geteuid() != 0:
        pytest.skip("mounting a small disk needs root")
    if request.param == "sqlite":
        with _small_disk(os.geteuid()) as folder:
            yield str(folder / "store.db")
        return
    server: PostgresServer = request.getfixturevalue("postgres")
    with _small_disk(server.owner_uid()) as folder:
        name = server.create_database(folder)
        yield server.url_of(name)
        server.drop_database(name)
