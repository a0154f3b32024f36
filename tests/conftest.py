"""Shared fixtures: the spaCy pipeline loaded once per session, and the optional shared data."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def nlp():  # type: ignore[no-untyped-def]
    from storyline.annotate.nlp import load_spacy

    return load_spacy()


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    path = SHARED / "seeds"
    if not path.is_dir() or not any(path.glob("*.txt")):
        pytest.skip("../shared/seeds is not present")
    return path


@pytest.fixture(scope="session")
def bench_dir() -> Path:
    path = SHARED / "bench"
    if not path.is_dir():
        pytest.skip("../shared/bench is not present")
    return path


@pytest.fixture(scope="session")
def demo_dir() -> Path:
    return ROOT / "examples" / "demo"
