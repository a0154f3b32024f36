"""Smoke test of benchmarks/load_memory.py on a store the test fills with three small articles.

Not a timing test: only the report's shape and its counts are checked.
"""

from __future__ import annotations

import json
from pathlib import Path

from storyline import pipeline
from storyline.model import Briefing
from storyline.settings import Settings

TEXTS = [
    "The harbour board of Northport will raise fees by 4 percent, chairman Tomas Breck said."
    ' "Costs rose," Breck said.',
    "Northport's harbour board will raise its fees by 4 percent, chairman Tomas Breck said on Monday.",
    "Farmers in the eastern plains expect a wheat harvest of 1.8 million tonnes, the farm office said.",
]


def _filled(tmp_path: Path) -> tuple[Path, Briefing]:
    data = tmp_path / "tiny.jsonl"
    rows = [{"title": text[:30], "text": text, "site": f"s{i}.example"} for i, text in enumerate(TEXTS)]
    data.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    db = tmp_path / "store.db"
    return db, pipeline.run([data], Settings(db=db)).briefing


def _report(run_script, *args: str) -> dict:  # type: ignore[no-untyped-def,type-arg]
    done = run_script("load_memory.py", *args, "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["peak_rss_mb"] >= report["peak_rss_mb_loaded"] >= report["peak_rss_mb_start"] > 0
    return dict(report)


def test_script_reports_the_load_of_a_filled_store(tmp_path: Path, run_script) -> None:  # type: ignore[no-untyped-def]
    db, first = _filled(tmp_path)
    report = _report(run_script, "--db", str(db))
    assert (report["articles"], report["stories"]) == (3, len(first.stories))
    assert report["entities"] == len(first.entities)
    assert report["json_bytes"] > 1000 and report["load_s"] > 0
    assert report["mode"] == "whole"


def test_script_reports_the_streamed_writing_of_every_format(tmp_path: Path, run_script) -> None:  # type: ignore[no-untyped-def]
    db, first = _filled(tmp_path)
    report = _report(run_script, "--db", str(db), "--formats", "json,md,html", "--streamed")
    assert report["mode"] == "streamed"
    assert (report["articles"], report["stories"]) == (3, len(first.stories))
    assert report["entities"] == len(first.entities)
    assert min(report["json_bytes"], report["md_bytes"], report["html_bytes"]) > 1000


def test_script_refuses_a_missing_store(tmp_path: Path, run_script) -> None:  # type: ignore[no-untyped-def]
    done = run_script("load_memory.py", "--db", str(tmp_path / "none.db"), timeout=60)
    assert done.returncode == 2
    assert "no store at" in done.stderr
