"""Latency of the web workbench and its JSON API: p50/p95 per GET route, on the demo or a large store.

Builds the store (or takes --db), starts the FastAPI app in-process (Starlette's TestClient: the
whole ASGI stack, no sockets, so the figures are the app's own time) and requests every GET route
--requests times after one untimed request, filling path parameters with ids of the first story,
article, entity and claim (read through the API). The first request is timed apart: it loads the
briefing (story stages). The process's resident memory is read once the store is loaded, once the
Q&A index is built and at the end (steady RSS after a garbage collection, and the peak so far).

    python benchmarks/api.py --demo                    # the bundled demo corpus
    python benchmarks/api.py --limit 3000 --json       # the first 3,000 Reuters stories
    python benchmarks/api.py --db /tmp/bench20k/x.db   # an existing store
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlencode

from _measure import DEFAULT_DATA, ROOT, clock, peak_rss_mb, write_rows
from stages import without_story

DEMO = ROOT / "examples" / "demo"
# Routes that are not reads of the briefing: forms, sign-in, static files, the schema.
SKIP = re.compile(r"^/(static|assets|login|logout|add|openapi\.json|docs|redoc)\b")
_PARAM = re.compile(r"{(\w+)(?::\w+)?}")


def build_store(inputs: Sequence[Path], db: Path) -> float:
    """Seconds to ingest and annotate `inputs` into the store `db`. The story stages are skipped:
    the app runs them on its first request, which is timed apart."""
    from storyline.pipeline import run
    from storyline.settings import Settings

    with without_story(), clock() as took:
        run(inputs, Settings(db=db))
    return took.wall


def routes(app: Any) -> list[str]:
    """The app's GET paths that read the briefing, in the order the app declares them."""
    found = [path for path, methods in _walk(app.routes, "") if "GET" in methods and not SKIP.match(path)]
    return list(dict.fromkeys(found))


def _walk(entries: Sequence[Any], prefix: str) -> list[tuple[str, set[str]]]:
    # FastAPI >= 0.116 keeps an included router whole (an `_IncludedRouter` with its own routes and
    # the include's prefix); older versions copy its routes into the app's list.
    out: list[tuple[str, set[str]]] = []
    for entry in entries:
        inner = getattr(entry, "original_router", None)
        if inner is not None:
            context = getattr(entry, "include_context", None)
            out += _walk(inner.routes, prefix + getattr(context, "prefix", ""))
        elif isinstance(getattr(entry, "path", None), str) and getattr(entry, "methods", None):
            out.append((prefix + entry.path, set(entry.methods)))
    return out


def first_ids(client: Any) -> SimpleNamespace:
    """The store's first story, article, entity and claim, read through the API (the app keeps no
    whole briefing to read them from), in the shape `fill` reads."""

    def first(table: str) -> list[SimpleNamespace]:
        rows = client.get(f"/api/{table}", params={"limit": 1}).json()
        return [SimpleNamespace(id=r["id"], title=r.get("title")) for r in rows]

    return SimpleNamespace(
        stories=first("stories"),
        articles=first("articles"),
        entities=first("entities"),
        claims=first("claims"),
    )


def fill(path: str, briefing: Any) -> str | None:
    """`path` with its parameters set to ids from `briefing`; None when one cannot be filled."""
    ids = {
        "story_id": briefing.stories[0].id if briefing.stories else None,
        "article_id": briefing.articles[0].id if briefing.articles else None,
        "entity_id": briefing.entities[0].id if briefing.entities else None,
        "claim_id": briefing.claims[0].id if briefing.claims else None,
        "fmt": "json",
        "table": "quotes",
    }
    missing = [name for name in _PARAM.findall(path) if ids.get(name) is None]
    if missing:
        return None
    url = _PARAM.sub(lambda m: str(ids[m.group(1)]), path)
    if path.endswith("/ask"):
        # A question the store can answer: the first story's title.
        title = briefing.stories[0].title if briefing.stories else ""
        url += "?" + urlencode({"q": title or "What happened?"})
    return url


def rss_mb() -> float:
    """The process's resident memory now, in MiB (Linux /proc), once garbage is collected and the
    C heap's free pages handed back (without that, RSS stays near the high-water mark of a load)."""
    import contextlib
    import ctypes
    import gc

    gc.collect()
    with contextlib.suppress(OSError, AttributeError):  # not glibc: the figure is closer to the peak
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0-100) of `values`, linear between order statistics (numpy's default)."""
    import numpy as np

    return float(np.percentile(values, q))


def measure(
    db: Path, requests: int, skip: re.Pattern[str] | None = None, budget_s: float | None = None
) -> dict[str, Any]:
    """First-request time, then p50/p95 milliseconds and the status of every GET route (but those
    `skip` matches: the whole-store exports of a large store are downloads of hundreds of MB).

    With `budget_s`, a route stops being timed once its timed requests have taken that long (after
    at least 3), so one slow route of a large store cannot eat the run; its row says how many ran.
    Each route's row is printed to stderr as it is done, so a stopped run still shows what it got.
    """
    from fastapi.testclient import TestClient

    from storyline.web.app import create_app

    app = create_app(db)
    result: dict[str, Any] = {"routes": {}, "rss_mb_start": round(rss_mb(), 1)}
    with TestClient(app) as client:
        with clock() as took:
            first = client.get("/")
        result["first_request_s"] = round(took.wall, 3)
        result["first_status"] = first.status_code
        # Memory held once the store is loaded (steady), and once the Q&A index is built too.
        result["rss_mb_loaded"], result["peak_rss_mb_loaded"] = round(rss_mb(), 1), round(peak_rss_mb(), 1)
        counts = client.get("/.json").json()["counts"]
        result["articles"], result["stories"] = counts["articles"], counts["stories"]
        ids = first_ids(client)
        with clock() as took:
            client.get(fill("/api/ask", ids) or "/api/ask?q=What+happened%3F")
        result["index_s"] = round(took.wall, 3)
        result["rss_mb_indexed"], result["peak_rss_mb_indexed"] = round(rss_mb(), 1), round(peak_rss_mb(), 1)
        for path in routes(app):
            url = fill(path, ids)
            if skip is not None and skip.search(path):
                result["routes"][path] = {"skipped": f"--skip {skip.pattern}"}
                continue
            if url is None:
                result["routes"][path] = {"skipped": "no id to fill it with"}
                continue
            result["routes"][path] = _timed_route(client, url, requests, budget_s)
            print(f"{path}: {json.dumps(result['routes'][path])}", file=sys.stderr, flush=True)
    answered = [r["p95_ms"] for r in result["routes"].values() if "p95_ms" in r]
    result["p95_ms_max"] = max(answered, default=None)
    result["rss_mb_end"], result["peak_rss_mb"] = round(rss_mb(), 1), round(peak_rss_mb(), 1)
    return result


def _timed_route(client: Any, url: str, requests: int, budget_s: float | None = None) -> dict[str, Any]:
    with clock() as untimed:
        client.get(url)  # untimed: lazy look-ups (a story's view, the Q&A index) are built once
    latencies: list[float] = []
    statuses, size = set(), 0
    for _ in range(requests):
        if budget_s is not None and len(latencies) >= 3 and sum(latencies) / 1000 > budget_s:
            break
        with clock() as took:
            response = client.get(url)
        latencies.append(took.wall * 1000)
        statuses.add(response.status_code)
        size = len(response.content)
    return {
        "url": url,
        "requests": len(latencies),
        "first_ms": round(untimed.wall * 1000, 2),
        "p50_ms": round(percentile(latencies, 50), 2),
        "p95_ms": round(percentile(latencies, 95), 2),
        "status": sorted(statuses),
        "bytes": size,
    }


def table(result: dict[str, Any]) -> str:
    lines = [
        f"{result['articles']} articles, {result['stories']} stories ({result['source']}); "
        f"first request {result['first_request_s']:.2f} s (loads the briefing)",
        f"RSS MiB: loaded {result['rss_mb_loaded']} (peak {result['peak_rss_mb_loaded']}), with the Q&A"
        f" index {result['rss_mb_indexed']} (peak {result['peak_rss_mb_indexed']}), after every route"
        f" {result['rss_mb_end']} (peak {result['peak_rss_mb']})",
        "",
        f"{'route':44} {'n':>4} {'first ms':>10} {'p50 ms':>9} {'p95 ms':>9} {'status':>8} {'bytes':>10}",
    ]
    for path, row in result["routes"].items():
        if "skipped" in row:
            lines.append(f"{path:44} {'skipped: ' + row['skipped']:>38}")
            continue
        status = ",".join(str(s) for s in row["status"])
        lines.append(
            f"{path:44} {row['requests']:4d} {row['first_ms']:10.2f} {row['p50_ms']:9.2f}"
            f" {row['p95_ms']:9.2f} {status:>8} {row['bytes']:10d}"
        )
    return "\n".join(lines)


def _inputs(args: argparse.Namespace, tmp: Path) -> tuple[list[Path], str]:
    if args.demo:
        return [DEMO], str(DEMO)
    corpus = tmp / "corpus.jsonl"
    write_rows(args.data, 0, args.limit, corpus)
    return [corpus], f"{args.data}, first {args.limit} rows"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--demo", action="store_true", help="the bundled demo corpus (examples/demo)")
    source.add_argument("--db", type=Path, default=None, help="an existing store (SQLite file)")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="JSONL corpus for a new store")
    parser.add_argument("--limit", type=int, default=3000, help="rows of --data in the new store")
    parser.add_argument("--requests", type=int, default=30, help="timed requests per route")
    parser.add_argument("--skip", default=None, help="regex of route paths not to time (e.g. ^/api/export)")
    parser.add_argument(
        "--budget", type=float, default=None, help="seconds of timed requests per route (at least 3 run)"
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object on the last line")
    args = parser.parse_args(argv)
    if args.db is not None and not args.db.is_file():
        parser.error(f"no such store: {args.db}")
    if args.db is None and not args.demo and not args.data.is_file():
        parser.error(f"no such corpus: {args.data}")
    with tempfile.TemporaryDirectory(prefix="storyline-api-") as tmp:
        db, built_s, source_name = args.db, None, str(args.db)
        if db is None:
            inputs, source_name = _inputs(args, Path(tmp))
            db = Path(tmp) / "store.db"
            built_s = round(build_store(inputs, db), 1)
        skip = re.compile(args.skip) if args.skip else None
        result = measure(db, max(1, args.requests), skip, args.budget)
    result.update(source=source_name, store_built_s=built_s, requests=args.requests, budget_s=args.budget)
    print(table(result))
    if args.json:
        print(json.dumps(result, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
