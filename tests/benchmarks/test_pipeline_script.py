"""Smoke test of benchmarks/pipeline.py: it runs on a tiny JSONL and ends with one JSON object.

Not a timing test: only the shape of the report is checked (the figures depend on the machine).
"""

from __future__ import annotations

import json
from pathlib import Path

ROWS = [
    {
        "id": "1",
        "title": "Harbour fees to rise",
        "text": "The harbour board of Northport said on Monday it would raise fees by 4 percent from"
        ' June 1, chairman Tomas Breck told reporters. "Costs have gone up," Breck said.',
        "published": "2021-05-03",
        "topics": [],
    },
    {
        "id": "2",
        "title": "Northport fees",
        "text": "Northport's harbour board will raise its fees by 4 percent, chairman Tomas Breck said"
        " on Monday, after two shipping lines cut their calls at the port.",
        "published": "2021-05-03",
        "topics": [],
    },
    {
        "id": "3",
        "title": "Wheat crop",
        "text": "Farmers in the eastern plains expect a wheat harvest of 1.8 million tonnes this year,"
        " the regional farm office said in a report on Tuesday.",
        "published": "2021-05-04",
        "topics": ["grain"],
    },
]
REQUIRED = {"articles_per_s", "reference_ratio", "peak_rss_mb", "rerun_fraction"}


def test_script_prints_json_report_on_last_line(tmp_path: Path, run_script) -> None:  # type: ignore[no-untyped-def]
    data = tmp_path / "tiny.jsonl"
    data.write_text("".join(json.dumps(row) + "\n" for row in ROWS), encoding="utf-8")
    done = run_script(
        "pipeline.py",
        *["--data", str(data), "--limit", "5", "--json"],
        *["--incremental", "--base", "2", "--add", "1", "--store", str(tmp_path / "store")],
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert set(report) >= REQUIRED
    assert all(report[key] > 0 for key in REQUIRED)
    assert (report["articles"], report["limit"]) == (3, 5)
    assert set(report["stages"]) == {"ingest", "annotate", "story"}
    assert report["settings"] == {"workers": 1, "engine": "local"}
    # The re-run finds every article cleaned and annotated already.
    assert report["rerun_new"] == {"cleaned": 0, "annotated": 0}
    assert report["calls"]["story"] == 2  # prepare (the stages over every article), then assemble
    added = report["incremental"]
    assert (added["base"], added["added"], added["cleaned_new"], added["annotated_new"]) == (2, 1, 1, 1)
    # The base run finds its store complete: it only fills the story cache.
    assert added["base_run_new"] == {"cleaned": 0, "annotated": 0}
    assert added["articles"] == 3 and added["stories_redone"] <= added["stories"]
    # The base store is kept for the next run, at its base size.
    assert (tmp_path / "store" / "base-2.done").read_text().startswith("2 rows")


def test_script_refuses_a_missing_corpus(tmp_path: Path, run_script) -> None:  # type: ignore[no-untyped-def]
    done = run_script("pipeline.py", "--data", str(tmp_path / "none.jsonl"), timeout=60)
    assert done.returncode == 2
    assert "no such corpus" in done.stderr
