"""Time and memory of the story stages that look across all articles, on a store already filled.

Reads the first --limit articles and their annotations from a store (e.g. the one
`pipeline.py --incremental --store DIR` builds), then runs the cross-article stages alone, in the
order the briefing runs them, timing each with the wrappers of stages.py (sub-parts included) and
recording the process's peak resident memory after each. Nothing in the product is edited.

    python benchmarks/story_scale.py --db /tmp/bench20k/base-18943.db --stages dedupe,cluster
    python benchmarks/story_scale.py --db /tmp/bench20k/base-18943.db --limit 1000 --stages identities
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from itertools import islice
from pathlib import Path
from typing import Any

from _measure import clock, peak_rss_mb
from stages import Timings, instrumented

STAGES = ("dedupe", "identities", "cluster")


def load(db: Path, limit: int | None) -> tuple[list[Any], dict[str, Any]]:
    """The first `limit` articles of the store and their annotations (current annotate version)."""
    from storyline import annotate
    from storyline.annotate.nlp import load_spacy
    from storyline.store import Store

    version = annotate.version(load_spacy())
    store = Store.open(db)
    try:
        articles = list(islice(store.articles(), limit))
        found = {a.id: store.annotation(a.id, version) for a in articles}
    finally:
        store.close()
    return articles, {key: value for key, value in found.items() if value is not None}


def run_stage(name: str, articles: Sequence[Any], annotations: dict[str, Any]) -> Any:
    """One cross-article stage as build.py calls it (through the module, so the wrappers see it)."""
    from storyline.story import cluster, dedupe, identities

    if name == "dedupe":
        return dedupe.find_duplicates(articles)
    if name == "identities":
        return identities.resolve(
            [
                identities.ArticleMentions(a.id, a.text, annotations[a.id].mentions, annotations[a.id].roles)
                for a in articles
                if a.id in annotations
            ]
        )
    return cluster.cluster(
        [f"{a.title or ''}\n{a.text}" for a in articles],
        entities=[cluster.entity_strings(annotations.get(a.id)) for a in articles],
        published=[a.published for a in articles],
    )


def measure(db: Path, limit: int | None, names: Sequence[str]) -> dict[str, Any]:
    with clock() as loading:
        articles, annotations = load(db, limit)
    result: dict[str, Any] = {
        "db": str(db),
        "articles": len(articles),
        "annotated": len(annotations),
        "load_s": round(loading.wall, 1),
        "rss_after_load_mb": round(peak_rss_mb(), 1),
        "stages": {},
    }
    for name in names:
        timings = Timings()
        with instrumented(timings), clock() as took:
            output = run_stage(name, articles, annotations)
        result["stages"][name] = {
            "s": round(took.wall, 2),
            "cpu_s": round(took.cpu, 2),
            "peak_rss_mb": round(peak_rss_mb(), 1),
            "size": len(set(output)) if name == "cluster" else len(getattr(output, "entities", output)),
            "parts_s": {k: round(v, 2) for k, v in timings.seconds.items()},
        }
        print(f"  {name}: {took.wall:.1f} s", file=sys.stderr, flush=True)
    return result


def table(result: dict[str, Any]) -> str:
    lines = [
        f"{result['articles']} articles ({result['annotated']} annotated) from {result['db']}; "
        f"loaded in {result['load_s']} s, RSS {result['rss_after_load_mb']:.0f} MB",
        "",
        f"{'stage':28} {'seconds':>9} {'cpu s':>9} {'peak MB':>8} {'output':>8}",
    ]
    for name, row in result["stages"].items():
        figures = f"{row['s']:9.2f} {row['cpu_s']:9.2f} {row['peak_rss_mb']:8.0f} {row['size']:8d}"
        lines.append(f"{name:28} {figures}")
        parts = [(part, seconds) for part, seconds in row["parts_s"].items() if part != f"story.{name}"]
        lines += [f"  {part:26} {seconds:9.2f}" for part, seconds in parts]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--db", type=Path, required=True, help="a filled store (SQLite file)")
    parser.add_argument("--limit", type=int, default=None, help="only the first N articles")
    parser.add_argument("--stages", default=",".join(STAGES), help=f"comma-separated, of {', '.join(STAGES)}")
    parser.add_argument("--json", action="store_true", help="print one JSON object on the last line")
    args = parser.parse_args(argv)
    names = [n.strip() for n in args.stages.split(",") if n.strip()]
    unknown = [n for n in names if n not in STAGES]
    if unknown:
        parser.error(f"unknown stage {', '.join(unknown)}; choose from {', '.join(STAGES)}")
    if not args.db.is_file():
        parser.error(f"no such store: {args.db}")
    result = measure(args.db, args.limit, names)
    print(table(result))
    if args.json:
        print(json.dumps(result, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
