"""What every benchmark measures with: the default corpus, a wall-and-CPU clock, peak memory, row copies.

Wall seconds are `time.perf_counter`, CPU seconds `time.process_time` (this process only: steadier
than wall time on a machine shared with other jobs), peak memory the process's high-water mark.
"""

from __future__ import annotations

import resource
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "bench" / "corpus" / "reuters21578.jsonl"


@dataclass
class Clock:
    """Seconds a `clock()` block took: wall and CPU (set when the block ends)."""

    wall: float = 0.0
    cpu: float = 0.0


@contextmanager
def clock() -> Iterator[Clock]:
    """Time the block: `with clock() as c: ...`, then `c.wall` and `c.cpu`."""
    result = Clock()
    wall, cpu = time.perf_counter(), time.process_time()
    try:
        yield result
    finally:
        result.wall = time.perf_counter() - wall
        result.cpu = time.process_time() - cpu


def peak_rss_mb() -> float:
    """The process's peak resident memory so far, in MiB (models and children's share excluded)."""
    # ru_maxrss is in KiB on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def write_rows(data: Path, start: int, stop: int | None, out: Path) -> int:
    """Copy the non-empty rows [start, stop) of the JSONL file `data` to `out`; the number written."""
    written = 0
    with data.open("rb") as src, out.open("wb") as dst:
        rows = (line for line in src if line.strip())
        for number, line in enumerate(rows):
            if stop is not None and number >= stop:
                break
            if number >= start:
                dst.write(line)
                written += 1
    return written


def count_rows(data: Path) -> int:
    """The non-empty rows of a JSONL file."""
    with data.open("rb") as handle:
        return sum(1 for line in handle if line.strip())
