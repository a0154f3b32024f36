"""The benchmark tasks `storyline eval` knows: task name -> evaluator, its default bench file, peers.

Evaluators are imported lazily by name, so one task's heavy imports (or its absence while it is
being written) never stop another: a task whose module is missing reports "not implemented".
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["TASKS", "Task", "evaluator", "run", "status"]

Evaluator = Callable[..., dict[str, Any]]
_REPO = Path(__file__).resolve().parents[3]


@dataclass(frozen=True)
class Task:
    """A benchmark task: where its evaluator lives and which bench file it reads by default."""

    name: str
    module: str
    function: str
    data: str
    peers: tuple[str, ...] = ()


TASKS: dict[str, Task] = {
    t.name: t
    for t in (
        Task(
            "extraction",
            "storyline.evaluate.extraction",
            "evaluate",
            "extraction/aeb.jsonl",
            ("trafilatura", "trafilatura-defaults", "readability", "justext"),
        ),
        Task(
            "extraction-snippets",
            "storyline.evaluate.extraction",
            "evaluate_snippets",
            "extraction/trafilatura_eval.jsonl",
            ("trafilatura", "trafilatura-defaults", "readability", "justext"),
        ),
        Task("ner", "storyline.evaluate.ner", "evaluate", "ner/conllpp_dev.txt"),
        Task("quotes", "storyline.evaluate.quotes", "evaluate", "quotes/polnear.jsonl", ("textacy",)),
        Task("timeline", "storyline.evaluate.timeline", "evaluate", "timeline/t17.jsonl"),
        Task(
            "summary",
            "storyline.evaluate.summary",
            "evaluate",
            "summary/t17_daily.jsonl",
            ("lexrank", "lead"),
        ),
        Task("stance", "storyline.evaluate.stance", "evaluate", "stance/fnc1.jsonl"),
        Task("clustering", "storyline.evaluate.clustering", "evaluate", "clustering/ecbplus.jsonl"),
        Task("events", "storyline.evaluate.events", "evaluate", "events/plover_gsr.jsonl"),
        # Not a bench file: the project's own question set about its demo corpus.
        Task("qa", "storyline.evaluate.qa", "evaluate", "repo:examples/qa.jsonl"),
    )
}


def evaluator(name: str) -> Evaluator | None:
    """The evaluate function of task `name`, or None when its module is not written yet.

    An unknown task name is a ValueError; an import error inside an existing module (a missing
    dependency) is raised as is, since "not implemented" would hide it.
    """
    task = _task(name)
    try:
        module = importlib.import_module(task.module)
    except ModuleNotFoundError as err:
        if err.name == task.module:
            return None
        raise
    found = getattr(module, task.function, None)
    return found if callable(found) else None


def run(
    name: str,
    path: str | Path | None = None,
    limit: int | None = None,
    bench_dir: str | Path | None = None,
    **options: Any,
) -> dict[str, Any]:
    """Run task `name` on `path` (default: its file under `bench_dir`) and return its figures.

    `options` go to the evaluator (e.g. `peer="trafilatura"`). A task without an evaluator
    returns {"task": name, "status": "not implemented"}.
    """
    task = _task(name)
    function = evaluator(name)
    if function is None:
        return {"task": name, "status": "not implemented"}
    if path is None:
        if bench_dir is None:
            raise ValueError(f"task {name!r} needs a data path or the bench directory")
        path = _REPO / task.data[5:] if task.data.startswith("repo:") else Path(bench_dir) / task.data
    return function(str(path), limit=limit, **options)


def status() -> dict[str, str]:
    """Each task name -> "implemented" or "not implemented"."""
    return {name: "implemented" if evaluator(name) else "not implemented" for name in TASKS}


def _task(name: str) -> Task:
    try:
        return TASKS[name]
    except KeyError:
        raise ValueError(f"unknown task {name!r}; choose one of {', '.join(TASKS)}") from None
