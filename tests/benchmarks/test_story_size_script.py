"""Smoke test of benchmarks/story_size.py on a store the test fills with four small articles.

Not a timing test: only the report's shape, its counts and that a story worked out twice gives
the same digest are checked.
"""

from __future__ import annotations

import json
from pathlib import Path

TEXTS = [
    "The harbour board of Northport will raise fees by 4 percent, chairman Tomas Breck said."
    ' "Costs rose," Breck said.',
    "Northport's harbour board will raise its fees by 4 percent, chairman Tomas Breck said on Monday.",
    "Farmers in the eastern plains expect a wheat harvest of 1.8 million tonnes, the farm office said.",
    "The eastern plains' wheat harvest may reach 1.8 million tonnes, farm officials said on Friday.",
]


DAYS = ["2024-05-04", "2024-05-03", "2024-05-02", "2024-05-01"]


def test_script_works_out_stories_of_the_sizes_asked(filled_store, run_script) -> None:  # type: ignore[no-untyped-def]
    db = filled_store(TEXTS, DAYS)
    done = run_script("story_size.py", "--db", str(db), "--sizes", "2,4,4", "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    sizes = report["stories"]
    assert [s["articles"] for s in sizes] == [2, 4, 4]
    assert all(s["cpu_s"] > 0 and s["traced_peak_mb"] > 0 and s["words"] > 0 for s in sizes)
    assert sizes[1]["digest"] == sizes[2]["digest"] != sizes[0]["digest"]


def test_script_cuts_each_story_into_chapters_when_asked(filled_store, run_script) -> None:  # type: ignore[no-untyped-def]
    db = filled_store(TEXTS, DAYS)
    whole = run_script("story_size.py", "--db", str(db), "--sizes", "4", "--json")
    cut = run_script("story_size.py", "--db", str(db), "--sizes", "4,3", "--chapters", "2", "--json")
    assert whole.returncode == cut.returncode == 0, whole.stderr + cut.stderr
    [one] = json.loads(whole.stdout.strip().splitlines()[-1])["stories"]
    four, three = json.loads(cut.stdout.strip().splitlines()[-1])["stories"]
    assert (one["chapters"], one["largest_chapter"]) == (1, 4)
    assert (four["articles"], four["chapters"], four["largest_chapter"]) == (4, 2, 2)
    assert (three["articles"], three["chapters"], three["largest_chapter"]) == (3, 2, 2)
    assert four["digest"] != one["digest"]  # two chapters are worked out, not the whole story


def test_script_refuses_a_missing_store(tmp_path: Path, run_script) -> None:  # type: ignore[no-untyped-def]
    done = run_script("story_size.py", "--db", str(tmp_path / "none.db"), timeout=60)
    assert done.returncode == 2
    assert "no store at" in done.stderr
