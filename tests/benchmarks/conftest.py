"""What the benchmark-script tests share: running a script of benchmarks/ as a user would."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from types import ModuleType

import pytest

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


@pytest.fixture
def run_script() -> Callable[..., subprocess.CompletedProcess[str]]:
    """`run_script("pipeline.py", "--limit", "5")`: the script's exit status and output."""

    def run(name: str, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, str(BENCHMARKS / name), *args]
        return subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)

    return run


@pytest.fixture
def script_module() -> Callable[[str], ModuleType]:
    """`script_module("memory_scaling")`: a script of benchmarks/ imported, to test its functions."""

    def load(name: str) -> ModuleType:
        sys.path.insert(0, str(BENCHMARKS))
        try:
            return importlib.import_module(name)
        finally:
            sys.path.remove(str(BENCHMARKS))

    return load


@pytest.fixture
def filled_store(tmp_path: Path) -> Callable[[Sequence[str], Sequence[str]], Path]:
    """`filled_store(texts, days)`: a SQLite store `storyline` filled with an article per text, each
    from a site of its own and published on its day."""
    from storyline import pipeline
    from storyline.settings import Settings

    def fill(texts: Sequence[str], days: Sequence[str]) -> Path:
        data = tmp_path / "tiny.jsonl"
        rows = [
            {"title": text[:30], "text": text, "site": f"s{i}.example", "published": day}
            for i, (text, day) in enumerate(zip(texts, days, strict=True))
        ]
        data.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
        db = tmp_path / "store.db"
        pipeline.run([data], Settings(db=db))
        return db

    return fill
