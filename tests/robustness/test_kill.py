"""`storyline analyze` killed with SIGKILL during ingest and during annotation, then run again: the
store stays consistent (nothing lost, nothing counted twice) and the briefing equals the one of an
uninterrupted run. The kill points are found by polling the store's row counts, not by sleeping."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from storyline.briefing import render
from storyline.pipeline import run
from storyline.settings import Settings

ARTICLES = 40  # more than one batch (32), so that a kill can fall between two commits
TOWNS = ("Velmora", "Orvane", "Kestrel Bay", "Dunmarrow")
PEOPLE = ("Ilse Dravik", "Tomas Arlen", "Mira Solberg", "Jonas Pell", "Edda Voss")
TOPICS = ("the harbour strike", "the new ferry route", "the sea wall repairs", "the fishing quota")


def _article(i: int) -> str:
    town, person, topic = TOWNS[i % 4], PEOPLE[i % 5], TOPICS[(i // 4) % 4]
    return (
        f"{town} council debates {topic}\n\n"
        f"The {town} council met on {1 + i % 27} March 2031 to discuss {topic}, officials said. "
        f'"We will not wait another year," said {person}, who chairs the committee on {topic}. '
        f"{person} told reporters that {3 + i} families had written to the council about it. "
        f"A vote is expected next week, according to the council's clerk in {town}.\n"
    )


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("kill_inputs")
    for i in range(ARTICLES):
        (folder / f"story_{i:02d}.txt").write_text(_article(i), encoding="utf-8")
    return folder


def _analyze(corpus: Path, out: Path) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "storyline.cli", "analyze", str(corpus), "--out", str(out)]
    return subprocess.Popen(
        [*command, "--format", "json", "-q"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )


def _counts(db: Path) -> tuple[int, int]:
    """(articles, annotations) committed so far; (0, 0) before the tables exist."""
    if not db.exists():
        return 0, 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
            articles = conn.execute("select count(*) from articles").fetchone()[0]
            annotations = conn.execute("select count(*) from annotations").fetchone()[0]
    except sqlite3.OperationalError:
        return 0, 0
    return articles, annotations


def _kill_when(corpus: Path, out: Path, ready: Callable[[int, int], bool]) -> tuple[int, int]:
    """Start an analysis, SIGKILL it once the store's counts satisfy `ready`; the counts seen then."""
    process = _analyze(corpus, out)
    db = out / "storyline.db"
    deadline = time.monotonic() + 120
    while process.poll() is None and time.monotonic() < deadline:
        seen = _counts(db)
        if ready(*seen):
            process.send_signal(signal.SIGKILL)
            process.wait()
            assert process.returncode == -signal.SIGKILL
            return seen
        time.sleep(0.02)
    process.kill()
    raise AssertionError(f"the run ended before the kill point: {process.returncode}, {process.stderr!r}")


def _briefing(path: Path) -> dict[str, object]:
    data = json.loads(path.read_text(encoding="utf-8"))
    data.pop("generated_at")
    return data


def test_killed_runs_resume_to_the_same_briefing(corpus: Path, tmp_path: Path) -> None:
    clean = run([corpus], Settings(db=tmp_path / "clean.db"))
    expected = json.loads(render.get("json")(clean.briefing))
    expected.pop("generated_at")

    out = tmp_path / "killed"
    in_ingest = _kill_when(corpus, out, lambda articles, annotations: articles > 0)
    in_annotate = _kill_when(corpus, out, lambda articles, annotations: annotations > 0)
    assert in_ingest[1] == 0 and in_annotate[1] > 0
    assert not (out / "briefing.json").exists()

    final = _analyze(corpus, out)
    _, errors = final.communicate(timeout=300)
    assert final.returncode == 0, errors.decode()
    assert _briefing(out / "briefing.json") == expected
    _assert_store_consistent(out / "storyline.db")


def _assert_store_consistent(db: Path) -> None:
    with sqlite3.connect(db) as conn:
        assert conn.execute("pragma integrity_check").fetchone() == ("ok",)
        seq = [row[0] for row in conn.execute("select seq from articles order by seq")]
        assert seq == list(range(1, ARTICLES + 1))  # every article stored once, no gap from a lost batch
        documents = conn.execute("select count(*), count(distinct article_id) from documents").fetchone()
        assert documents == (ARTICLES, ARTICLES)
        orphans = conn.execute(
            "select count(*) from documents where article_id not in (select id from articles)"
        ).fetchone()
        assert orphans == (0,)
        annotations = conn.execute("select count(*), count(distinct version) from annotations").fetchone()
        assert annotations == (ARTICLES, 1)
