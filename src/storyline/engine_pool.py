"""The per-article stages on several local processes: each loads spaCy once and annotates batches.

Batches go out in order and come back in order, at most two per process in flight, so memory stays
bounded however long the input is. The standard library's pool does the job: Ray is for clusters,
and `Executor.map` would queue every batch at once (it consumes its input eagerly).
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

from storyline.model import Annotation, Article

__all__ = ["annotate"]

IN_FLIGHT_PER_WORKER = 2
_nlp: Any = None  # each worker's spaCy pipeline, loaded once by `_start`


def annotate(batches: Iterable[Sequence[Article]], workers: int) -> Iterator[list[Annotation]]:
    """The annotations of each batch, batch by batch in input order, worked out on `workers` processes."""
    # "spawn": a forked copy of a parent that holds ONNX sessions and threads is not safe.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_start) as pool:
        pending: deque[Future[list[Annotation]]] = deque()
        for batch in batches:
            pending.append(pool.submit(_work, list(batch)))
            if len(pending) >= workers * IN_FLIGHT_PER_WORKER:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def _start() -> None:
    global _nlp
    from storyline.annotate.nlp import load_spacy

    _nlp = load_spacy()


def _work(batch: list[Article]) -> list[Annotation]:
    from storyline import annotate as stage

    return stage.annotate(batch, _nlp)
