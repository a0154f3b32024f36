"""Fixtures for the web tests: the demo store, built once per session and shared.

Building it runs the whole pipeline (~15 s), the slow part of the web tests; every test that needs
a real store reads this one, and tests that write get their own copy of the database file.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from storyline.model import Briefing


@pytest.fixture(scope="session")
def demo_store(tmp_path_factory: pytest.TempPathFactory, demo_dir: Path) -> tuple[Path, Briefing]:
    """The demo corpus analysed into a store once per session: (database path, its briefing)."""
    from storyline.pipeline import run
    from storyline.settings import Settings

    db = tmp_path_factory.mktemp("web-demo") / "demo.db"
    result = run([str(demo_dir)], Settings(db=db))
    return db, result.briefing
