"""The shared measuring helpers of the benchmarks: row copies, the clock, run specs of ray_scaling."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import pytest

FOLDER = Path(__file__).resolve().parents[2] / "benchmarks"
sys.path.insert(0, str(FOLDER))
try:
    import _measure
    import ray_scaling
finally:
    sys.path.remove(str(FOLDER))


def test_rows_are_copied_by_position_skipping_blank_lines(tmp_path: Path) -> None:
    data = tmp_path / "in.jsonl"
    data.write_text('{"n": 0}\n\n{"n": 1}\n{"n": 2}\n   \n{"n": 3}\n', encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert _measure.write_rows(data, 1, 3, out) == 2
    assert out.read_text(encoding="utf-8") == '{"n": 1}\n{"n": 2}\n'
    assert _measure.write_rows(data, 2, None, out) == 2
    assert out.read_text(encoding="utf-8") == '{"n": 2}\n{"n": 3}\n'
    assert _measure.count_rows(data) == 4


def test_the_clock_tells_wall_from_cpu_seconds() -> None:
    with _measure.clock() as slept:
        time.sleep(0.05)
    assert slept.wall >= 0.05 and slept.cpu < 0.04
    assert _measure.peak_rss_mb() > 1


def test_ray_scaling_runs_are_local_or_ray_with_a_worker_count() -> None:
    assert ray_scaling.parse_run("local") == ("local", 1)
    assert ray_scaling.parse_run("ray:2") == ("ray", 2)
    assert ray_scaling.parse_run("ray") == ("ray", 1)
    with pytest.raises(argparse.ArgumentTypeError):
        ray_scaling.parse_run("spark:2")
