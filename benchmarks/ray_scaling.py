"""Time the annotate stage alone, local engine versus Ray with N workers, on the same articles.

The articles are ingested into a fresh store first (not timed); then `pipeline._annotate` runs with
the chosen engine and the wall time is printed. `--warm` starts the Ray runtime before the clock, to
separate start-up cost from throughput.

    nice -n 10 .venv/bin/python benchmarks/ray_scaling.py --engine ray --workers 2 --limit 300
"""

from __future__ import annotations

import argparse
import itertools
import json
import tempfile
import time
from pathlib import Path

from storyline import ingest, pipeline
from storyline.settings import Settings
from storyline.store import Store

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "bench" / "corpus" / "reuters21578.jsonl"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", choices=("local", "ray"), default="local")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--limit", type=int, default=300)
    parser.add_argument("--warm", action="store_true", help="start Ray before the clock")
    args = parser.parse_args()
    if args.warm and args.engine == "ray":
        import ray

        ray.init(num_cpus=args.workers + 1, include_dashboard=False, logging_level="WARNING")

    def quiet(phase: str, done: int, total: int | None) -> None:
        return None

    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(db=Path(tmp) / "s.db", engine=args.engine, workers=args.workers)
        store = Store.open(settings.db)
        documents = itertools.islice(ingest.read([args.data]), args.limit)
        ids, _, _ = pipeline._ingest(documents, store, settings, quiet)
        articles = list(store.articles(ids))
        start = time.perf_counter()
        _, annotated = pipeline._annotate(articles, store, settings, quiet)
        seconds = time.perf_counter() - start
        store.close()
    result = {
        "engine": args.engine,
        "workers": args.workers,
        "warm": args.warm,
        "articles": annotated,
        "annotate_s": round(seconds, 2),
        "articles_per_s": round(annotated / seconds, 2) if seconds else None,
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
