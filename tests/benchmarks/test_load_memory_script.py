"""Smoke test of benchmarks/load_memory.py on a store the test fills with three small articles.

Not a timing test: only the report's shape and its counts are checked.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from storyline import pipeline
from storyline.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "benchmarks" / "load_memory.py"
TEXTS = [
    "The harbour board of Northport will raise fees by 4 percent, chairman Tomas Breck said."
    ' "Costs rose," Breck said.',
    "Northport's harbour board will raise its fees by 4 percent, chairman Tomas Breck said on Monday.",
    "Farmers in the eastern plains expect a wheat harvest of 1.8 million tonnes, the farm office said.",
]


def test_script_reports_the_load_of_a_filled_store(tmp_path: Path) -> None:
    data = tmp_path / "tiny.jsonl"
    rows = [{"title": text[:30], "text": text, "site": f"s{i}.example"} for i, text in enumerate(TEXTS)]
    data.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    db = tmp_path / "store.db"
    first = pipeline.run([data], Settings(db=db)).briefing
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--db", str(db), "--json"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert (report["articles"], report["stories"]) == (3, len(first.stories))
    assert report["entities"] == len(first.entities)
    assert report["peak_rss_mb"] >= report["peak_rss_mb_loaded"] >= report["peak_rss_mb_start"] > 0
    assert report["json_bytes"] > 1000 and report["load_s"] > 0


def test_script_refuses_a_missing_store(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--db", str(tmp_path / "none.db")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert "no store at" in done.stderr
