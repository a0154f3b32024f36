"""Time the annotate stage alone, local engine versus Ray with N workers, on the same articles.

For each run (`local`, `ray:1`, `ray:2`, ...) the first --limit rows are ingested into a fresh store
(not timed); then `pipeline._annotate` runs with that engine and its wall and CPU seconds (this
process only: Ray's actors are other processes) are taken. A Ray run's time includes starting the
runtime and the actors loading spaCy, unless --warm starts Ray before the clock (the actors still
load spaCy inside it: that is part of every Ray run).

    nice -n 10 .venv/bin/python benchmarks/ray_scaling.py --limit 300 --runs local ray:1 ray:2
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from _measure import DEFAULT_DATA, clock, write_rows


def parse_run(text: str) -> tuple[str, int]:
    """`local` or `ray:N` as (engine, workers)."""
    engine, _, workers = text.partition(":")
    if engine not in ("local", "ray") or (workers and not workers.isdigit()):
        raise argparse.ArgumentTypeError(f"not a run: {text!r}; write local or ray:N")
    return engine, int(workers or 1)


def time_annotate(corpus: Path, engine: str, workers: int, warm: bool) -> dict[str, Any]:
    """Ingest `corpus` into a fresh store, then time annotating it with `engine` and `workers`."""
    from storyline import ingest, pipeline
    from storyline.settings import Settings
    from storyline.store import Store

    def quiet(phase: str, done: int, total: int | None) -> None:
        return None

    with tempfile.TemporaryDirectory(prefix="storyline-ray-") as tmp:
        settings = Settings(db=Path(tmp) / "s.db", engine=engine, workers=workers)
        store = Store.open(settings.db)
        try:
            ids, _, _ = pipeline._ingest(ingest.read([corpus]), store, settings, quiet)
            articles = list(store.articles(ids))
            ray = _start_ray(workers) if warm and engine == "ray" else None
            with clock() as took:
                _, annotated = pipeline._annotate(articles, store, settings, quiet)
            if ray is not None:
                ray.shutdown()
        finally:
            store.close()
    return {
        "engine": engine,
        "workers": workers,
        "warm": warm and engine == "ray",
        "articles": annotated,
        "annotate_s": round(took.wall, 2),
        "driver_cpu_s": round(took.cpu, 2),
        "articles_per_s": round(annotated / took.wall, 2) if took.wall else None,
    }


def _start_ray(workers: int) -> Any:
    import ray

    ray.init(num_cpus=workers + 1, include_dashboard=False, logging_level="WARNING")
    return ray


def table(rows: Sequence[dict[str, Any]]) -> str:
    lines = [f"{'run':10} {'warm':>5} {'articles':>9} {'seconds':>9} {'driver cpu':>11} {'art/s':>8}"]
    for r in rows:
        name = r["engine"] if r["engine"] == "local" else f"ray:{r['workers']}"
        lines.append(
            f"{name:10} {'yes' if r['warm'] else 'no':>5} {r['articles']:9d} {r['annotate_s']:9.2f} "
            f"{r['driver_cpu_s']:11.2f} {r['articles_per_s'] or 0:8.2f}"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--runs", nargs="+", type=parse_run, default=[("local", 1), ("ray", 1), ("ray", 2)])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="JSONL corpus (rows with text)")
    parser.add_argument("--limit", type=int, default=300, help="use only the first N rows")
    parser.add_argument("--warm", action="store_true", help="start Ray before the clock")
    parser.add_argument("--json", action="store_true", help="print one JSON object on the last line")
    args = parser.parse_args(argv)
    if not args.data.is_file():
        parser.error(f"no such corpus: {args.data}")
    rows = []
    with tempfile.TemporaryDirectory(prefix="storyline-ray-") as tmp:
        corpus = Path(tmp) / "corpus.jsonl"
        write_rows(args.data, 0, args.limit, corpus)
        from storyline.annotate.nlp import load_spacy

        load_spacy()  # the local engine's model load stays out of its time, as Ray's does with --warm
        for engine, workers in args.runs:
            rows.append(time_annotate(corpus, engine, workers, args.warm))
            print(f"  {table(rows[-1:]).splitlines()[1]}", file=sys.stderr, flush=True)
    print(table(rows))
    if args.json:
        print(json.dumps({"limit": args.limit, "runs": rows}, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
