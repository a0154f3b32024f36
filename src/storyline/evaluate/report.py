"""`make eval`: every task on its bench file, storyline beside each peer, as `eval/results.md`.

Also pins the quality gates: `--pin` measures the fast CI subset of each task (the `limit` in
`eval/baseline.json`) and writes its figures minus a noise margin as the floors CI enforces.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

from storyline.evaluate import registry

# The figure that heads each task's row, as a path into its result dict.
HEADLINE: dict[str, tuple[str, ...]] = {
    "extraction": ("f1",),
    "extraction-snippets": ("f1",),
    "ner": ("f1",),
    "quotes": ("direct", "f1"),
    "timeline": ("date_f1",),
    "qa": ("answerable_accuracy",),
    "summary": ("rouge1",),
    "stance": ("fnc_score",),
    "clustering": ("b3", "f1"),
    "events": ("type_accuracy",),
}
MARGIN = 0.01  # floors sit this far below the pinned figure: run-to-run noise is far smaller


def flatten(result: dict[str, Any], prefix: str = "") -> dict[str, float]:
    """Numeric leaves of a result as dotted paths: {"direct.f1": 0.87, ...}."""
    out: dict[str, float] = {}
    for key, value in result.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(flatten(value, path + "."))
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            out[path] = float(value)
    return out


def measure(bench: Path, tasks: list[str], with_peers: bool) -> dict[str, dict[str, Any]]:
    results: dict[str, dict[str, Any]] = {}
    for name in tasks:
        task = registry.TASKS[name]
        runs: dict[str, dict[str, Any]] = {"storyline": {}}
        if with_peers:
            runs.update({peer: {"peer": peer} for peer in task.peers})
        for system, options in runs.items():
            start = time.perf_counter()
            try:
                figures = registry.run(name, bench_dir=bench, **options)
            except Exception as exc:  # a peer that cannot run is reported, not fatal
                figures = {"error": f"{type(exc).__name__}: {exc}"}
            figures["seconds"] = round(time.perf_counter() - start, 1)
            results.setdefault(name, {})[system] = figures
    return results


def to_markdown(results: dict[str, dict[str, Any]]) -> str:
    lines = [
        "# storyline accuracy on ../shared/bench (dev files)",
        "",
        "Made by `make eval` (`python -m storyline.evaluate.report`). Metric definitions: `eval/README.md`.",
        "",
        "| task | system | headline | all figures | seconds |",
        "|---|---|---|---|---|",
    ]
    for name, systems in results.items():
        for system, figures in systems.items():
            flat = flatten(figures)
            head = ".".join(HEADLINE.get(name, ()))
            headline = (
                f"{flat[head]:.3f}" if head in flat else figures.get("status") or figures.get("error", "")
            )
            detail = ", ".join(
                f"{k} {v:.3f}" for k, v in flat.items() if k != "seconds" and not k.startswith("n_")
            )
            lines.append(f"| {name} | {system} | {headline} | {detail} | {figures.get('seconds', '')} |")
    return "\n".join(lines) + "\n"


def pin(bench: Path, baseline_path: Path) -> dict[str, Any]:
    """Measure each gated task on its CI subset and write floors = figure - MARGIN."""
    baseline = json.loads(baseline_path.read_text(encoding="utf-8"))
    for name, gate in baseline["gates"].items():
        figures = flatten(registry.run(name, bench_dir=bench, limit=gate.get("limit")))
        gate["floors"] = {m: round(figures[m] - MARGIN, 3) for m in gate["floors"] if m in figures}
        gate["measured"] = {m: round(figures[m], 4) for m in gate["floors"]}
    baseline_path.write_text(json.dumps(baseline, indent=2) + "\n", encoding="utf-8")
    return baseline


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bench", type=Path, default=Path("../shared/bench"))
    parser.add_argument("--out", type=Path, default=Path("eval/results.md"))
    parser.add_argument("--tasks", default=",".join(registry.TASKS))
    parser.add_argument("--no-peers", action="store_true")
    parser.add_argument("--pin", type=Path, help="re-pin the floors in this baseline.json")
    args = parser.parse_args(argv)
    if args.pin:
        print(json.dumps(pin(args.bench, args.pin), indent=2))
        return 0
    results = measure(args.bench, [t.strip() for t in args.tasks.split(",") if t.strip()], not args.no_peers)
    args.out.write_text(to_markdown(results), encoding="utf-8")
    args.out.with_suffix(".json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(to_markdown(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
