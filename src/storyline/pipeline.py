"""The main job: paths in, a `Briefing` out, with every per-article result kept in the store.

ingest -> clean -> (store) -> annotate -> (store) -> story stages -> briefing. Per-article work is
looked up by content hash first, so a second run over the same input only re-does the story stages.
Bad inputs become `inputs.failed` entries; the run goes on.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING

from storyline import annotate, ingest
from storyline.clean.article import CLEAN_VERSION, to_article
from storyline.errors import InputError, StorylineError
from storyline.model import Annotation, Article, Briefing, InputFailure, RawDocument
from storyline.settings import Settings
from storyline.store import Store
from storyline.views import Computed

if TYPE_CHECKING:
    from storyline.briefing.build import Plan

Progress = Callable[[str, int, int | None], None]  # (phase, done, total)


@dataclass(frozen=True)
class RunResult:
    briefing: Briefing
    article_ids: tuple[str, ...]
    failures: tuple[InputFailure, ...]
    cleaned_new: int
    annotated_new: int


@dataclass(frozen=True)
class PlannedRun:
    """A run whose per-article work is stored and whose store-wide stages ran: `plan` gives the
    briefing a batch at a time (`briefing.stream` writes its files from it) while the store is open."""

    plan: Plan
    article_ids: tuple[str, ...]
    failures: tuple[InputFailure, ...]
    cleaned_new: int
    annotated_new: int


def run(
    paths: Iterable[str | os.PathLike[str]], settings: Settings, progress: Progress | None = None
) -> RunResult:
    """Analyze `paths` into a briefing, storing per-article work in `settings.db`."""
    return run_documents(ingest.read(paths), settings, progress)


def run_documents(
    documents: Iterable[RawDocument | InputError],
    settings: Settings,
    progress: Progress | None = None,
    *,
    whole_store: bool = False,
) -> RunResult:
    """Analyze documents already read (by a reader, or fetched by `storyline.fetch`) like `run`.

    With `whole_store`, the briefing covers every article in the store (as `load` gives it), not
    only these documents: `storyline watch` stores a poll's pages and builds one briefing of all.
    """
    from storyline.briefing.build import assemble

    with planned(documents, settings, progress, whole_store=whole_store) as done:
        briefing = assemble(done.plan)
    return RunResult(briefing, done.article_ids, done.failures, done.cleaned_new, done.annotated_new)


@contextmanager
def planned(
    documents: Iterable[RawDocument | InputError],
    settings: Settings,
    progress: Progress | None = None,
    *,
    whole_store: bool = False,
) -> Iterator[PlannedRun]:
    """Ingest and annotate `documents`, run the store-wide stages, and give the plan of the rest
    while the store is open. Articles are read from the store a batch at a time, never all at once."""
    from storyline.briefing.build import prepare

    notify = progress or (lambda phase, done, total: None)
    store = Store.open(settings.db)
    try:
        ids, failures, cleaned_new = _ingest(documents, store, settings, notify)
        articles = StoredArticles(store, store.article_ids(CLEAN_VERSION) if whole_store else ids)
        annotations, annotated_new = _annotate(articles, store, settings, notify)
        notify("story", 0, None)
        plan = prepare(articles, annotations, failures, settings, cache=store, members=articles)
        try:
            yield PlannedRun(plan, tuple(ids), tuple(failures), cleaned_new, annotated_new)
        finally:
            plan.close()  # its entity table's file
        notify("story", 1, 1)
    finally:
        store.close()


def load(settings: Settings) -> Briefing:
    """The briefing of everything already in the store (no input is read)."""
    from storyline.briefing.build import assemble

    with planned((), settings, whole_store=True) as done:
        return assemble(done.plan)


class StoredArticles(Computed[Article]):
    """Stored articles in a given order, read a batch at a time: the store-wide stages read them in
    order, a story's members are read by id; at most one batch is held (not the whole store's texts)."""

    def __init__(self, store: Store, ids: Sequence[str], batch: int = 500) -> None:
        self._store, self._ids, self._batch = store, list(ids), batch
        self._start = 0
        self._held: list[Article] = []

    def __len__(self) -> int:
        return len(self._ids)

    @property
    def ids(self) -> Sequence[str]:
        return self._ids

    def _item(self, i: int) -> Article:
        if not self._start <= i < self._start + len(self._held):
            self._start = i - i % self._batch
            self._held = list(self.read(self._ids[self._start : self._start + self._batch]))
        return self._held[i - self._start]

    def read(self, article_ids: Sequence[str]) -> Iterator[Article]:
        """The articles with these ids, in that order."""
        found = {a.id: a for a in self._store.articles(article_ids)}
        missing = [i for i in article_ids if i not in found]
        if missing:
            raise StorylineError(f"{self._store.database}: article {missing[0]} is not stored")
        return (found[i] for i in article_ids)


def raw_hash(raw: RawDocument) -> str:
    data = raw.data if isinstance(raw.data, bytes) else raw.data.encode("utf-8")
    digest = hashlib.sha256(data)
    digest.update(raw.mime.encode())
    for key, value in raw.meta:
        digest.update(f"\x00{key}={value}".encode())
    return digest.hexdigest()


def _ingest(
    documents: Iterable[RawDocument | InputError], store: Store, settings: Settings, notify: Progress
) -> tuple[list[str], list[InputFailure], int]:
    ids: list[str] = []
    failures: list[InputFailure] = []
    fresh = 0
    done = 0
    for batch in _batched(documents, settings.batch_size):
        pending = []
        for item in batch:
            done += 1
            if isinstance(item, InputError):
                failures.append(InputFailure(path=item.path, line=item.line, error=item.reason))
                continue
            key = raw_hash(item)
            known = store.cleaned(key, CLEAN_VERSION)
            if known is not None:
                ids.append(known)
                continue
            try:
                article = to_article(item)
            except InputError as exc:
                failures.append(InputFailure(path=exc.path, line=exc.line, error=exc.reason))
                continue
            pending.append((key, CLEAN_VERSION, article))
            ids.append(article.id)
        store.put_articles(pending)
        fresh += len(pending)
        notify("read", done, None)
    return list(dict.fromkeys(ids)), failures, fresh


def _annotate(
    articles: Sequence[Article], store: Store, settings: Settings, notify: Progress
) -> tuple[StoredAnnotations, int]:
    from storyline.annotate.nlp import load_spacy

    version = annotate.installed_version()
    stored = articles if isinstance(articles, StoredArticles) else None
    held = {} if stored is not None else {a.id: a for a in articles}
    ids = list(stored.ids) if stored is not None else list(held)

    def read(wanted: Sequence[str]) -> Iterator[Article]:
        return stored.read(wanted) if stored is not None else (held[i] for i in wanted)

    missing = store.missing_annotations(ids, version)
    # The articles to annotate are read from the store a batch at a time as the engine asks.
    todo = (list(read(chunk)) for chunk in _batched(iter(missing), settings.batch_size))
    done = 0
    notify("annotate", 0, len(missing))
    batches: Iterable[list[Annotation]]
    if settings.engine == "ray":
        from storyline import engine_ray

        # Ray Data writes its input to Parquet shards first, so it takes the articles whole.
        batches = engine_ray.annotate([a for batch in todo for a in batch], settings, version)
    elif settings.workers > 1 and len(missing) > settings.batch_size:
        from storyline import engine_pool

        batches = engine_pool.annotate(todo, settings.workers)
    elif missing:
        nlp = load_spacy()
        batches = (annotate.annotate(b, nlp) for b in todo)
    else:
        batches = iter(())
    for results in batches:
        store.put_annotations(results, version)
        done += len(results)
        notify("annotate", done, len(missing))
    return StoredAnnotations(store, version), len(missing)


class StoredAnnotations:
    """The store's annotations under one version, read a batch at a time (`build` reads them in a
    few passes rather than holding every article's annotation at once)."""

    def __init__(self, store: Store, version: str, batch: int = 500) -> None:
        self._store, self.version, self._batch = store, version, batch

    def read(self, article_ids: Sequence[str]) -> Iterator[Annotation | None]:
        for start in range(0, len(article_ids), self._batch):
            chunk = article_ids[start : start + self._batch]
            found = self._store.annotations(chunk, self.version)
            yield from (found.get(i) for i in chunk)


def _batched(items: Iterator[object] | Iterable[object], size: int) -> Iterator[list]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def default_db(out: Path) -> Path:
    return out / "storyline.db"
