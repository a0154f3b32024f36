"""benchmarks/memory_scaling.py: the store subsets it measures, the line it fits, and one real run.

Not a timing test: only which articles a subset keeps, the fit's arithmetic and the report's shape.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from storyline import pipeline
from storyline.settings import Settings

TEXTS = [
    "The harbour board of Northport will raise fees by 4 percent, chairman Tomas Breck said.",
    "Farmers in the eastern plains expect a wheat harvest of 1.8 million tonnes, the farm office said.",
    "The city of Lanford opened a second bridge over the Esk on Friday, mayor Ada Quill said.",
]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("scaling")
    data = folder / "tiny.jsonl"
    rows = [{"title": text[:30], "text": text} for text in TEXTS]
    data.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    db = folder / "store.db"
    pipeline.run([data], Settings(db=db))
    return db


def test_a_subset_keeps_the_first_articles_their_annotations_and_only_lead_vectors(
    store: Path, tmp_path: Path, script_module
) -> None:  # type: ignore[no-untyped-def]
    memory_scaling = script_module("memory_scaling")
    out = tmp_path / "two.db"
    assert memory_scaling.subset(store, 2, out) == 2
    with sqlite3.connect(store) as full, sqlite3.connect(out) as part:
        first_two = [r[0] for r in full.execute("SELECT id FROM articles ORDER BY seq LIMIT 2")]
        assert [r[0] for r in part.execute("SELECT id FROM articles ORDER BY seq")] == first_two
        assert sorted(r[0] for r in part.execute("SELECT article_id FROM annotations")) == sorted(first_two)
        keys = [r[0] for r in part.execute("SELECT key FROM story_results")]
        assert keys and all(k.startswith(memory_scaling.LEAD_KEY) for k in keys)
    assert memory_scaling.subset(store, 10, tmp_path / "all.db") == 3  # more than the store holds


def test_the_fit_gives_memory_per_thousand_articles_and_the_size_at_the_budget(script_module) -> None:  # type: ignore[no-untyped-def]
    memory_scaling = script_module("memory_scaling")
    fit = memory_scaling.fit([1000, 3000], [300.0, 340.0])
    assert fit == {"mb_per_1000": 20.0, "mb_at_0": 280.0, "articles_at_budget": 111000}
    assert memory_scaling.fit([1000], [300.0])["mb_per_1000"] is None
    assert memory_scaling.fit([1000, 2000], [300.0, 300.0])["articles_at_budget"] is None  # flat


def test_script_reports_cold_and_warm_peaks(store: Path, run_script) -> None:  # type: ignore[no-untyped-def]
    done = run_script("memory_scaling.py", "--db", str(store), "--sizes", "2", "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    (row,) = report["sizes"]
    assert row["articles"] == 2 and row["cold_peak_mb"] > 0 and row["warm_peak_mb"] > 0
    assert set(report["cold"]) == {"mb_per_1000", "mb_at_0", "articles_at_budget"}
    assert report["mode"] == "whole"


def test_script_measures_the_streamed_writing_too(store: Path, run_script) -> None:  # type: ignore[no-untyped-def]
    done = run_script("memory_scaling.py", "--db", str(store), "--sizes", "2", "--streamed", "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    (row,) = report["sizes"]
    assert report["mode"] == "streamed"
    assert row["articles"] == 2 and row["cold_s"] > 0 and row["warm_peak_mb"] > 0


def test_script_refuses_bad_sizes_and_a_missing_store(tmp_path: Path, run_script) -> None:  # type: ignore[no-untyped-def]
    done = run_script("memory_scaling.py", "--db", str(tmp_path / "none.db"), timeout=60)
    assert done.returncode == 2 and "no store at" in done.stderr
    (tmp_path / "x.db").write_bytes(b"")
    done = run_script("memory_scaling.py", "--db", str(tmp_path / "x.db"), "--sizes", "1k", timeout=60)
    assert done.returncode == 2 and "--sizes" in done.stderr
