"""Time and memory of working out one story, as the story grows.

The largest story of a store grows with the store (on the Reuters stories, the largest among the
first 1,000 articles has 16, among 18,775 it has 113), so what one story costs bounds how large a
store a run can take. This reads a store whose store-wide stages are cached (a store `storyline
analyze` has filled), makes stories of growing size out of its largest stories (the articles of
the first k stories by size, taken as one story: unrelated topics, so more actors and issues than
a real story of that size has), and works each out alone (`stories.work_out`, no cache): CPU time,
the traced peak of Python's allocations (tracemalloc) and the process's peak RSS. The sentence
model is loaded before, its memory is not the story's.

    python benchmarks/story_size.py --db STORE --sizes 100,200,400,800 --json
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
import tracemalloc
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from _measure import peak_rss_mb


def measure(db: Path, sizes: Sequence[int]) -> list[dict[str, Any]]:
    from storyline import pipeline
    from storyline.annotate.embed import load_embedder
    from storyline.briefing.build import ids_of
    from storyline.briefing.stories import Index, work_out
    from storyline.settings import Settings

    rows: list[dict[str, Any]] = []
    with pipeline.planned((), Settings(db=db), whole_store=True) as done:
        plan = done.plan
        ids = ids_of(plan.articles)
        by_size = [label for label, _ in Counter(plan.corpus.labels).most_common()]
        members_of: dict[int, list[str]] = {}
        for article, label in zip(ids, plan.corpus.labels, strict=True):
            members_of.setdefault(label, []).append(article)
        load_embedder().encode(["warm up"])
        for size in sizes:
            story: list[str] = []
            for label in by_size:
                if len(story) >= size:
                    break
                story += members_of[label]
            story = story[:size]
            found = plan.scopes.view(story)
            annotations = dict(zip(story, plan.source.read(story), strict=True))
            read = list(plan._rows(plan.members.read(story), annotations.values(), found))
            held = {i: a for i, a in annotations.items() if a is not None}
            index = Index(found, plan.corpus.groups_of, plan.corpus.entities.capitals)
            quotes = {r.article.id: list(r.quotes) for r in read}
            members = [r.article for r in read]
            tracemalloc.start()
            started = time.process_time()
            result = work_out(members, held, replace(index, quotes=quotes), plan.settings)
            cpu = time.process_time() - started
            _, traced = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            rows.append(
                {
                    "articles": len(members),
                    "words": sum(len(a.text.split()) for a in members),
                    "quotes": sum(len(q) for q in quotes.values()),
                    "claims": len(result.claims),
                    "stances": len(result.stances),
                    "cpu_s": round(cpu, 2),
                    "traced_peak_mb": round(traced / 2**20, 1),
                    "peak_rss_mb": round(peak_rss_mb(), 1),
                    # Two versions that work a story out alike give the same digest.
                    "digest": hashlib.sha256(result.to_json().encode()).hexdigest()[:12],
                }
            )
            print(json.dumps(rows[-1]), file=sys.stderr, flush=True)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True, help="a SQLite store storyline has filled")
    parser.add_argument("--sizes", default="100,200,400", help="comma-separated story sizes (articles)")
    parser.add_argument("--json", action="store_true", help="print one JSON object on the last line")
    args = parser.parse_args()
    if not args.db.is_file():
        print(f"error: no store at {args.db}", file=sys.stderr)
        raise SystemExit(2)
    rows = measure(args.db, [int(s) for s in args.sizes.split(",")])
    if args.json:
        print(json.dumps({"stories": rows}))
    else:
        for row in rows:
            print("  ".join(f"{k} {v}" for k, v in row.items()))


if __name__ == "__main__":
    main()
