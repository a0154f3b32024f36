"""The main job: paths in, a `Briefing` out, with every per-article result kept in the store.

ingest -> clean -> (store) -> annotate -> (store) -> story stages -> briefing. Per-article work is
looked up by content hash first, so a second run over the same input only re-does the story stages.
Bad inputs become `inputs.failed` entries; the run goes on.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from storyline import annotate, ingest
from storyline.clean.article import CLEAN_VERSION, to_article
from storyline.errors import InputError
from storyline.model import Annotation, Article, Briefing, InputFailure, RawDocument
from storyline.settings import Settings
from storyline.store import Store

Progress = Callable[[str, int, int | None], None]  # (phase, done, total)


@dataclass(frozen=True)
class RunResult:
    briefing: Briefing
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
    from storyline.briefing.build import build

    notify = progress or (lambda phase, done, total: None)
    store = Store.open(settings.db)
    try:
        ids, failures, cleaned_new = _ingest(documents, store, settings, notify)
        if whole_store:
            articles = list(store.articles())
        else:
            by_id = {a.id: a for a in store.articles(ids)}
            articles = [by_id[i] for i in ids if i in by_id]
        annotations, annotated_new = _annotate(articles, store, settings, notify)
        notify("story", 0, None)
        briefing = build(articles, annotations, failures, settings, cache=store)
        notify("story", 1, 1)
    finally:
        store.close()
    return RunResult(briefing, tuple(ids), tuple(failures), cleaned_new, annotated_new)


def load(settings: Settings) -> Briefing:
    """The briefing of everything already in the store (no input is read)."""
    from storyline.briefing.build import build

    store = Store.open(settings.db)
    try:
        articles = list(store.articles())
        annotations, _ = _annotate(articles, store, settings, lambda phase, done, total: None)
        return build(articles, annotations, [], settings, cache=store)
    finally:
        store.close()


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
    missing = set(store.missing_annotations([a.id for a in articles], version))
    todo = [a for a in articles if a.id in missing]
    done = 0
    notify("annotate", 0, len(todo))
    batches: Iterable[list[Annotation]]
    if settings.engine == "ray":
        from storyline import engine_ray

        batches = engine_ray.annotate(todo, settings, version)
    elif settings.workers > 1 and len(todo) > settings.batch_size:
        from storyline import engine_pool

        batches = engine_pool.annotate(_batched(iter(todo), settings.batch_size), settings.workers)
    elif todo:
        nlp = load_spacy()
        batches = (list(annotate.annotate(b, nlp)) for b in _batched(iter(todo), settings.batch_size))
    else:
        batches = iter(())
    for results in batches:
        store.put_annotations(results, version)
        done += len(results)
        notify("annotate", done, len(todo))
    return StoredAnnotations(store, version), len(todo)


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
