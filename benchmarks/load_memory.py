"""Time and peak memory of loading a filled store's briefing and writing it out as JSON.

What `storyline` does when it opens a store it already analysed (the workbench's first request,
`storyline render`): every article's cached work is read back (story results, the store-wide
stages, signals), any story whose inputs changed is worked out again, and the briefing JSON is
written. Run it on a store whose caches are warm (a second run), or it times a cold build.

    python benchmarks/load_memory.py --db /tmp/bench20k/base-18943.db --json
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from _measure import clock, peak_rss_mb


def measure(db: Path, out: Path) -> dict[str, Any]:
    from storyline import pipeline
    from storyline.briefing import render
    from storyline.settings import Settings

    started = peak_rss_mb()
    with clock() as loading:
        briefing = pipeline.load(Settings(db=db))
    loaded = peak_rss_mb()
    with clock() as writing:
        render.write("json", briefing, out)
    return {
        "articles": len(briefing.articles),
        "stories": len(briefing.stories),
        "entities": len(briefing.entities),
        "load_s": round(loading.wall, 2),
        "load_cpu_s": round(loading.cpu, 2),
        "json_write_s": round(writing.wall, 2),
        "json_bytes": out.stat().st_size,
        "peak_rss_mb_start": round(started, 1),
        "peak_rss_mb_loaded": round(loaded, 1),
        "peak_rss_mb": round(peak_rss_mb(), 1),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, required=True, help="a store filled by storyline analyze")
    parser.add_argument("--json", action="store_true", help="print one JSON object on the last line")
    args = parser.parse_args(argv)
    if not args.db.exists():
        print(f"error: no store at {args.db}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="storyline-load-") as tmp:
        result = measure(args.db, Path(tmp) / "briefing.json")
    for key, value in result.items():
        print(f"{key:>20}  {value}")
    if args.json:
        print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
