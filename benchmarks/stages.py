"""Which product functions the pipeline benchmark times, and the run-time wrappers that time them.

Each stage function is replaced on its module (or class) for the duration of a run by a wrapper
that adds its wall seconds and calls under a label; nothing in the product is edited. Functions the
product no longer has are skipped and named on stderr, so a renamed helper never stops a benchmark.
`without_story` swaps the story stages for an empty briefing, to fill a store or time per-article work.
"""

from __future__ import annotations

import functools
import importlib
import inspect
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from _measure import peak_rss_mb

TOP_STAGES = ("ingest", "annotate", "story")

# (owner module or module:Class, attribute, label). Labels with a dot are parts of the stage before
# the dot; times are inclusive (a part's time is also in its stage's time).
STAGE_FUNCTIONS = (
    ("storyline.pipeline", "_ingest", "ingest"),
    ("storyline.pipeline", "to_article", "ingest.clean"),
    ("storyline.store:Store", "cleaned", "ingest.store_lookup"),
    ("storyline.store:Store", "put_articles", "ingest.store_write"),
    ("storyline.store:Store", "articles", "load_articles"),
    ("storyline.pipeline", "_annotate", "annotate"),
    ("storyline.annotate", "annotate", "annotate.spacy+own"),
    ("storyline.annotate", "annotate_doc", "annotate.own"),
    ("storyline.annotate.ner_fixes", "refine", "annotate.own.ner_fixes"),
    ("storyline.annotate.entities", "extract", "annotate.own.entities"),
    ("storyline.annotate.quotes", "extract", "annotate.own.quotes"),
    ("storyline.annotate.dates", "extract", "annotate.own.dates"),
    ("storyline.annotate", "_events", "annotate.own.events"),
    ("storyline.store:Store", "missing_annotations", "annotate.store_lookup"),
    ("storyline.store:Store", "put_annotations", "annotate.store_write"),
    ("storyline.store:Store", "annotation", "annotate.store_read"),
    # The story stages are two calls: `prepare` (the stages over every article) and `assemble`.
    ("storyline.briefing.build", "prepare", "story"),
    ("storyline.briefing.build", "assemble", "story"),
    ("storyline.story.dedupe", "find_duplicates", "story.dedupe"),
    ("storyline.story.identities", "resolve", "story.identities"),
    ("storyline.briefing.build", "_quote", "story.quotes"),
    ("storyline.briefing.build", "_events", "story.events"),
    ("storyline.story.cluster", "cluster", "story.cluster"),
    ("storyline.story.cluster", "_features", "story.cluster.features"),
    ("storyline.story.cluster", "_neighbour_pairs", "story.cluster.neighbours"),
    ("storyline.story.cluster", "link_pairs", "story.cluster.linkage"),
    ("storyline.story.stances", "actor_groups", "story.actor_groups"),
    ("storyline.briefing.build:Plan", "_results", "story.per_story"),
    ("storyline.store:Store", "story_results", "story.cache_read"),
    ("storyline.store:Store", "put_story_results", "story.cache_write"),
    ("storyline.briefing.stories", "_story", "story.per_story.story"),
    ("storyline.story.timeline", "build", "story.per_story.story.timeline"),
    ("storyline.story.summary", "summarize_articles", "story.per_story.story.summary"),
    ("storyline.briefing.stories", "_ranked_actors", "story.per_story.story.top_actors"),
    ("storyline.briefing.stories", "_title", "story.per_story.story.title"),
    ("storyline.briefing.stories", "_compare", "story.per_story.compare"),
    ("storyline.story.takeaways", "takeaways", "story.per_story.takeaways"),
    ("storyline.story.faq", "faq", "story.per_story.faq"),
    ("storyline.story.signals", "of_scopes", "story.signals"),
    ("storyline.story.signals", "_story_signals", "story.signals.worked_out"),
)
# The embedder is timed per caller (cluster leads, summary candidates, claims) and its inputs are
# kept for the reference run.
EMBED = ("storyline.annotate.embed:Embedder", "encode")
SPACY_CALLER = "annotate.spacy+own"


@dataclass
class Timings:
    """Inclusive seconds and call counts per label, plus what the models were asked to read."""

    seconds: dict[str, float] = field(default_factory=dict)
    calls: dict[str, int] = field(default_factory=dict)
    rss_mb: dict[str, float] = field(default_factory=dict)
    spacy_texts: list[str] = field(default_factory=list)
    embed_batches: list[list[str]] = field(default_factory=list)
    stack: list[str] = field(default_factory=list)
    cpu_s: float = 0.0

    def add(self, label: str, seconds: float) -> None:
        self.seconds[label] = self.seconds.get(label, 0.0) + seconds
        self.calls[label] = self.calls.get(label, 0) + 1


def labels() -> list[str]:
    """Every label in table order."""
    return list(dict.fromkeys(label for _, _, label in STAGE_FUNCTIONS))


@contextmanager
def instrumented(timings: Timings) -> Iterator[None]:
    """Wrap the stage functions for the duration of the block; the originals come back afterwards."""
    saved: list[tuple[Any, str, Any]] = []

    def patch(owner: Any, attr: str, new: Any) -> None:
        saved.append((owner, attr, owner.__dict__[attr]))
        setattr(owner, attr, new)

    try:
        for owner_name, attr, label in STAGE_FUNCTIONS:
            owner = _resolve(owner_name)
            if owner is None or attr not in vars(owner):
                continue
            fn = getattr(owner, attr)
            # Generators are drained inside the timer, or their work would be billed to the caller.
            drain = inspect.isgeneratorfunction(fn)
            if label == SPACY_CALLER:
                fn = _spacy_capture(fn, timings)
            patch(owner, attr, _timed(fn, label, timings, drain))
        embedder = _resolve(EMBED[0])
        patch(embedder, EMBED[1], _embed_timed(getattr(embedder, EMBED[1]), timings))
        yield
    finally:
        for owner, attr, original in reversed(saved):
            setattr(owner, attr, original)


def missing() -> list[str]:
    """The stage functions the product does not have (any more)."""
    gone = []
    for owner_name, attr, _ in STAGE_FUNCTIONS:
        owner = _resolve(owner_name)
        if owner is None or attr not in vars(owner):
            gone.append(f"{owner_name}.{attr}")
    return gone


def _resolve(owner: str) -> Any:
    module, _, cls = owner.partition(":")
    try:
        obj = importlib.import_module(module)
    except ImportError:
        return None
    return getattr(obj, cls, None) if cls else obj


def _timed(fn: Callable[..., Any], label: str, timings: Timings, drain: bool) -> Callable[..., Any]:
    """`fn` timed under `label`; with `drain`, its generator is run to the end inside the timer."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        timings.stack.append(label)
        start = time.perf_counter()
        try:
            result = fn(*args, **kwargs)
            return list(result) if drain else result
        finally:
            timings.add(label, time.perf_counter() - start)
            timings.stack.pop()
            if label in TOP_STAGES:
                timings.rss_mb[label] = peak_rss_mb()

    return wrapper


def _embed_timed(fn: Callable[..., Any], timings: Timings) -> Callable[..., Any]:
    @functools.wraps(fn)
    def wrapper(self: Any, texts: Sequence[str]) -> Any:
        caller = next((s for s in reversed(timings.stack) if s.startswith("story.")), "other")
        timings.embed_batches.append(list(texts))
        start = time.perf_counter()
        try:
            return fn(self, texts)
        finally:
            timings.add(f"{caller}.embed", time.perf_counter() - start)

    return wrapper


def _spacy_capture(fn: Callable[..., Any], timings: Timings) -> Callable[..., Any]:
    @functools.wraps(fn)
    def wrapper(articles: Sequence[Any], *args: Any, **kwargs: Any) -> Any:
        articles = list(articles)
        timings.spacy_texts.extend(a.text for a in articles)
        return fn(articles, *args, **kwargs)

    return wrapper


def warn_missing() -> None:
    gone = missing()
    if gone:
        print(f"  not timed (not in the product): {', '.join(gone)}", file=sys.stderr)


@contextmanager
def without_story() -> Iterator[None]:
    """Runs inside the block skip the story stages: nothing is planned, and `assemble` returns an
    empty briefing."""
    from storyline.briefing import build as build_module
    from storyline.model import Briefing, Tool

    class _Unplanned:
        def close(self) -> None:  # what `pipeline.planned` calls when its block ends
            pass

    originals = build_module.prepare, build_module.assemble
    build_module.prepare = lambda *args, **kwargs: _Unplanned()  # type: ignore[assignment,return-value]
    build_module.assemble = lambda plan: Briefing(generated_at="", tool=Tool(name="storyline"))
    try:
        yield
    finally:
        build_module.prepare, build_module.assemble = originals
