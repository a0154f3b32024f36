"""Time and memory of working out one story, as the story grows.

The largest story of a store grows with the store (on the Reuters stories, the largest among the
first 1,000 articles has 16, among 18,775 it has 113), so what one story costs bounds how large a
store a run can take. This reads a store whose store-wide stages are cached (a store `storyline
analyze` has filled), makes stories of growing size out of its largest stories (the articles of
the first k stories by size, taken as one story: unrelated topics, so more actors and issues than
a real story of that size has), and works each out alone (`stories.work_out`, no cache): CPU time,
the traced peak of Python's allocations (tracemalloc) and the process's peak RSS. The sentence
model is loaded before, its memory is not the story's. With `--chapters N` each story is cut as a
run cuts a story past `Settings(max_story_articles=N)` (`story.chapters`), and its chapters are
worked out one after the other: the traced peak is the largest chapter's, the CPU time their sum.

    python benchmarks/story_size.py --db STORE --sizes 100,200,400,800 --json
    python benchmarks/story_size.py --db STORE --sizes 4000,8000 --chapters 2000 --json
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


def measure(db: Path, sizes: Sequence[int], chapters: int | None = None) -> list[dict[str, Any]]:
    from storyline import pipeline
    from storyline.annotate.embed import load_embedder
    from storyline.briefing.build import ids_of
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
            parts = _chapters(plan, story, chapters) if chapters else [story]
            # Only a chapter's counts are kept: its result and articles are let go, as in a run.
            worked = [_work_out(plan, part) for part in parts]
            digests = [part["digest"] for part in worked]
            digest = (
                digests[0] if len(digests) == 1 else hashlib.sha256("".join(digests).encode()).hexdigest()
            )
            rows.append(
                {
                    "articles": sum(part["articles"] for part in worked),
                    "chapters": len(parts),
                    "largest_chapter": max(len(part) for part in parts),
                    **{
                        key: sum(part[key] for part in worked)
                        for key in ("words", "quotes", "claims", "stances")
                    },
                    "cpu_s": round(sum(part["cpu"] for part in worked), 2),
                    "traced_peak_mb": round(max(part["traced"] for part in worked) / 2**20, 1),
                    "peak_rss_mb": round(peak_rss_mb(), 1),
                    # Two versions that work a story out alike give the same digest.
                    "digest": digest[:12],
                }
            )
            print(json.dumps(rows[-1]), file=sys.stderr, flush=True)
    return rows


def _chapters(plan: Any, story: list[str], most: int) -> list[list[str]]:
    """The chapters a run with `Settings(max_story_articles=most)` cuts `story` into."""
    from storyline.story.chapters import chapters_of

    published = [a.published for a in plan.members.read(story)]
    labels = chapters_of(story, [0] * len(story), published, plan.corpus.duplicates, most)
    parts: dict[int, list[str]] = {}
    for article, label in zip(story, labels, strict=True):
        parts.setdefault(label, []).append(article)
    return list(parts.values())


def _work_out(plan: Any, story: list[str]) -> dict[str, Any]:
    """One story worked out alone: its counts, CPU seconds, traced peak (bytes) and result's digest."""
    from storyline.briefing.stories import Index, work_out

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
    return {
        "articles": len(members),
        "words": sum(len(a.text.split()) for a in members),
        "quotes": sum(len(q) for q in quotes.values()),
        "claims": len(result.claims),
        "stances": len(result.stances),
        "cpu": cpu,
        "traced": traced,
        "digest": hashlib.sha256(result.to_json().encode()).hexdigest(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True, help="a SQLite store storyline has filled")
    parser.add_argument("--sizes", default="100,200,400", help="comma-separated story sizes (articles)")
    parser.add_argument(
        "--chapters",
        type=int,
        metavar="N",
        help="cut each story as a run with max_story_articles=N does (default 2,000), chapters one at a time",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object on the last line")
    args = parser.parse_args()
    if not args.db.is_file():
        print(f"error: no store at {args.db}", file=sys.stderr)
        raise SystemExit(2)
    rows = measure(args.db, [int(s) for s in args.sizes.split(",")], args.chapters)
    if args.json:
        print(json.dumps({"stories": rows}))
    else:
        for row in rows:
            print("  ".join(f"{k} {v}" for k, v in row.items()))


if __name__ == "__main__":
    main()
