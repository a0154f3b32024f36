"""How peak memory grows with the store: cold builds and warm loads of the first N articles of a store.

For each size N, a copy of a filled SQLite store keeps its first N articles (by insertion order) with
their annotations; the story caches are dropped, the lead embeddings kept (they only save model
time). `load_memory.py` then runs twice on it, each in a fresh process: a cold build (every story
worked out), then a warm load (every cache filled). A straight line through the peaks gives the
memory each 1,000 more articles cost, and the store size at which the peak would reach the issue's
2.5 GB budget. With `--streamed`, each run writes briefing.json, .md and .html a story at a time
(what `storyline analyze` does) instead of loading the briefing whole and writing its JSON; its
times are then the store-wide stages plus the writing (the per-story work happens while writing).

    python benchmarks/memory_scaling.py --db /tmp/bench20k/base-18943.db --sizes 1000,4000 --json
"""

from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
BUDGET_MB = 2500.0
LEAD_KEY = "lead:"  # storyline.briefing.build.LEAD_KEY: cached lead embeddings, kept


def subset(db: Path, size: int, out: Path) -> int:
    """Copy `db` to `out` keeping its first `size` articles; the number of articles kept."""
    shutil.copyfile(db, out)
    with sqlite3.connect(out) as con:
        cut = con.execute("SELECT seq FROM articles ORDER BY seq LIMIT 1 OFFSET ?", (size,)).fetchone()
        if cut is not None:
            con.execute("DELETE FROM articles WHERE seq >= ?", cut)
        con.execute("DELETE FROM annotations WHERE article_id NOT IN (SELECT id FROM articles)")
        con.execute("DELETE FROM documents WHERE article_id NOT IN (SELECT id FROM articles)")
        con.execute("DELETE FROM story_results WHERE key NOT LIKE ?", (LEAD_KEY + "%",))
        kept = int(con.execute("SELECT count(*) FROM articles").fetchone()[0])
    with sqlite3.connect(out) as con:
        con.execute("VACUUM")
    return kept


def load(db: Path, streamed: bool = False) -> dict[str, Any]:
    """`load_memory.py --json` on `db` in a fresh process: its last line, parsed."""
    command = [sys.executable, str(HERE / "load_memory.py"), "--db", str(db), "--json"]
    if streamed:
        command += ["--streamed", "--formats", "json,md,html"]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"load_memory.py failed on {db}:\n{done.stderr[-2000:]}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def fit(sizes: Sequence[int], peaks: Sequence[float]) -> dict[str, float | None]:
    """The line through (articles, peak MB): MB per 1,000 articles, MB at zero, articles at budget."""
    if len(sizes) < 2:
        return {"mb_per_1000": None, "mb_at_0": None, "articles_at_budget": None}
    slope, intercept = np.polyfit(np.asarray(sizes, float), np.asarray(peaks, float), 1)
    per_1000 = round(float(slope) * 1000, 1)
    # Flat (under 0.05 MB per 1,000 articles) or falling: no store size reaches the budget.
    at_budget = round((BUDGET_MB - float(intercept)) / float(slope)) if per_1000 > 0 else None
    return {"mb_per_1000": per_1000, "mb_at_0": round(float(intercept), 1), "articles_at_budget": at_budget}


def measure(db: Path, sizes: Sequence[int], streamed: bool = False) -> dict[str, Any]:
    rows = []
    with tempfile.TemporaryDirectory(prefix="storyline-scaling-") as tmp:
        for size in sizes:
            store = Path(tmp) / f"first-{size}.db"
            articles = subset(db, size, store)
            cold = load(store, streamed)
            warm = load(store, streamed)
            row = {
                "articles": articles,
                "stories": warm["stories"],
                "cold_s": _seconds(cold, streamed),
                "cold_peak_mb": cold["peak_rss_mb"],
                "warm_s": _seconds(warm, streamed),
                "warm_peak_mb": warm["peak_rss_mb"],
            }
            print(json.dumps(row), file=sys.stderr, flush=True)
            rows.append(row)
            store.unlink()
    counts = [r["articles"] for r in rows]
    return {
        "mode": "streamed" if streamed else "whole",
        "sizes": rows,
        "cold": fit(counts, [r["cold_peak_mb"] for r in rows]),
        "warm": fit(counts, [r["warm_peak_mb"] for r in rows]),
    }


def _seconds(report: dict[str, Any], streamed: bool) -> float:
    # Streamed, the stories are worked out while the files are written.
    return round(report["load_s"] + (report["write_s"] if streamed else 0.0), 2)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, required=True, help="a SQLite store filled by storyline")
    parser.add_argument("--sizes", default="1000,4000", help="comma-separated article counts")
    parser.add_argument("--json", action="store_true", help="print one JSON object on the last line")
    parser.add_argument("--streamed", action="store_true", help="write json, md and html a story at a time")
    args = parser.parse_args(argv)
    if not args.db.exists():
        print(f"error: no store at {args.db}", file=sys.stderr)
        return 2
    try:
        sizes = sorted({int(s) for s in args.sizes.split(",") if s.strip()})
    except ValueError:
        print(f"error: --sizes takes article counts such as 1000,4000, not {args.sizes!r}", file=sys.stderr)
        return 2
    result = measure(args.db, sizes, args.streamed)
    for row in result["sizes"]:
        print("  ".join(f"{k}={v}" for k, v in row.items()))
    for kind in ("cold", "warm"):
        print(f"{kind}: " + "  ".join(f"{k}={v}" for k, v in result[kind].items()))
    if args.json:
        print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
