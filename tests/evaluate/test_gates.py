"""Quality gates: each stage's figure on a fast subset of its bench file must stay above the floor
pinned in eval/baseline.json (see eval/README.md). Skipped when ../shared/bench is absent."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from storyline.evaluate import registry
from storyline.evaluate.report import flatten

BASELINE = json.loads(
    (Path(__file__).resolve().parents[2] / "eval" / "baseline.json").read_text(encoding="utf-8")
)


@pytest.mark.parametrize("task", sorted(BASELINE["gates"]))
def test_figures_stay_above_their_floors(task: str, bench_dir: Path) -> None:
    gate = BASELINE["gates"][task]
    figures = flatten(registry.run(task, bench_dir=bench_dir, limit=gate.get("limit")))
    assert "status" not in figures
    below = {
        m: (figures.get(m), floor) for m, floor in gate["floors"].items() if figures.get(m, -1.0) < floor
    }
    assert below == {}, f"{task}: figures below their floors (got, floor): {below}"
