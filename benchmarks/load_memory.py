"""Time and peak memory of loading a filled store's briefing and writing it out.

What `storyline` does when it opens a store it already analysed (the workbench's first request,
`storyline render`): every article's cached work is read back (story results, the store-wide
stages, signals), any story whose inputs changed is worked out again, and the briefing is
written. Run it on a store whose caches are warm (a second run), or it times a cold build.

`--workbench` measures what the web workbench holds instead (its snapshot, then its Q&A index).

`--formats json,md,html` writes those files (default: JSON only). By default the briefing is
loaded whole, then written (what the library's `load` and the workbench do); with `--streamed` the
files are written a story at a time from the store (what `storyline analyze` and `render` do).

    python benchmarks/load_memory.py --db /tmp/bench20k/base-18943.db --json
    python benchmarks/load_memory.py --db /tmp/bench20k/base-18943.db --formats json,md,html --streamed --json
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections.abc import Sequence
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from _measure import clock, peak_rss_mb


def measure(db: Path, folder: Path, formats: Sequence[str] = ("json",)) -> dict[str, Any]:
    """Load the briefing whole, then write each format."""
    from storyline import pipeline
    from storyline.briefing import render
    from storyline.settings import Settings

    started = peak_rss_mb()
    with clock() as loading:
        briefing = pipeline.load(Settings(db=db))
    loaded = peak_rss_mb()
    targets = {name: folder / f"briefing.{name}" for name in formats}
    with clock() as writing:
        for name, target in targets.items():
            render.write(name, briefing, target)
    return {
        "mode": "whole",
        "articles": len(briefing.articles),
        "stories": len(briefing.stories),
        "entities": len(briefing.entities),
        "load_s": round(loading.wall, 2),
        "load_cpu_s": round(loading.cpu, 2),
        "write_s": round(writing.wall, 2),
        **{f"{name}_bytes": target.stat().st_size for name, target in targets.items()},
        "peak_rss_mb_start": round(started, 1),
        "peak_rss_mb_loaded": round(loaded, 1),
        "peak_rss_mb": round(peak_rss_mb(), 1),
    }


def measure_streamed(db: Path, folder: Path, formats: Sequence[str]) -> dict[str, Any]:
    """Run the store-wide stages (`load_s`), then write each format a story at a time (`write_s`)."""
    from storyline import pipeline
    from storyline.briefing import stream
    from storyline.settings import Settings

    started = peak_rss_mb()
    targets = {name: folder / f"briefing.{name}" for name in formats}
    with ExitStack() as stack:
        with clock() as loading:
            done = stack.enter_context(pipeline.planned((), Settings(db=db), whole_store=True))
        loaded = peak_rss_mb()
        with clock() as writing:
            tally = stream.write(done.plan, targets)
    return {
        "mode": "streamed",
        "articles": tally.articles,
        "stories": tally.stories,
        "entities": tally.entities,
        "load_s": round(loading.wall, 2),
        "load_cpu_s": round(loading.cpu, 2),
        "write_s": round(writing.wall, 2),
        **{f"{name}_bytes": target.stat().st_size for name, target in targets.items()},
        "peak_rss_mb_start": round(started, 1),
        "peak_rss_mb_loaded": round(loaded, 1),
        "peak_rss_mb": round(peak_rss_mb(), 1),
    }


def measure_workbench(db: Path, folder: Path, formats: Sequence[str] = ()) -> dict[str, Any]:
    """What the web workbench holds for a store: Python memory (tracemalloc) live once its
    snapshot is loaded and once the Q&A index is built too, and the peaks on the way. A first
    load, dropped, imports every module before tracing, so the figures are the snapshot's own."""
    import gc
    import tracemalloc

    from storyline.web.state import Workbench

    Workbench(db).snapshot  # noqa: B018 - imports and warms what a load reads, then is dropped
    gc.collect()
    tracemalloc.start()
    bench = Workbench(db)
    with clock() as loading:
        bench.snapshot  # noqa: B018 - the load itself
    gc.collect()
    loaded, loaded_peak = tracemalloc.get_traced_memory()
    tracemalloc.reset_peak()
    with clock() as indexing:
        bench.index()
    gc.collect()
    indexed, indexed_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    mb = 1024 * 1024
    return {
        "mode": "workbench",
        "load_s": round(loading.wall, 2),
        "index_s": round(indexing.wall, 2),
        "traced_mb_loaded": round(loaded / mb, 1),
        "traced_mb_load_peak": round(loaded_peak / mb, 1),
        "traced_mb_indexed": round(indexed / mb, 1),
        "traced_mb_index_peak": round(indexed_peak / mb, 1),
        "peak_rss_mb": round(peak_rss_mb(), 1),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, required=True, help="a store filled by storyline analyze")
    parser.add_argument("--json", action="store_true", help="print one JSON object on the last line")
    parser.add_argument("--formats", default="json", help="comma-separated: json,md,html (default json)")
    parser.add_argument("--streamed", action="store_true", help="write a story at a time (storyline analyze)")
    parser.add_argument(
        "--workbench", action="store_true", help="what the web workbench holds once loaded (tracemalloc)"
    )
    args = parser.parse_args(argv)
    formats = [f.strip() for f in args.formats.split(",") if f.strip()]
    if not args.db.exists():
        print(f"error: no store at {args.db}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="storyline-load-") as tmp:
        how = measure_workbench if args.workbench else measure_streamed if args.streamed else measure
        result = how(args.db, Path(tmp), formats)
    for key, value in result.items():
        print(f"{key:>20}  {value}")
    if args.json:
        print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
