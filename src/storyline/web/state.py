"""What the web app keeps between requests: the store's catalog, a briefing's look-ups, the Q&A index.

Loading the store runs the story stages (seconds) and writes their briefing to a catalog
(`web.catalog`), so one `StoreSnapshot` is built lazily, shared by every request, and swapped whole
after an ingest; readers never see a half-built one. A `Snapshot` holds one briefing with the
look-ups the pages need: a story's own part, read from the catalog. The sentence index for
questions is built on the first question after each swap.
"""

from __future__ import annotations

import functools
import json
import re
import secrets
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import TYPE_CHECKING

from storyline.briefing.render import article_anchor
from storyline.briefing.render_html import cited_spans
from storyline.briefing.view import BriefingView, EntityRow, StoryView, entity_rows, story_view
from storyline.model import Briefing, Cite, Claim, InputFailure, Quote, Story
from storyline.settings import Settings

if TYPE_CHECKING:
    from storyline.story.ask import SentenceIndex
    from storyline.web.network import ActorGraph, NetworkPicture
    from storyline.web.snapshot import StoreSnapshot

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass
class Snapshot:
    """One briefing and the look-ups the pages need: a story's part of the store (`StoreSnapshot.part`),
    an entity's, or any briefing held in memory."""

    briefing: Briefing
    view: BriefingView
    generation: int
    story_of: dict[str, str] = field(default_factory=dict)  # article id -> story id
    quotes_by_article: dict[str, list[Quote]] = field(default_factory=dict)
    mentions_by_article: dict[str, list[tuple[Cite, str]]] = field(default_factory=dict)  # (cite, entity)
    claims_by_article: dict[str, list[tuple[Cite, Claim]]] = field(default_factory=dict)  # (mention, claim)
    disputed: set[str] = field(default_factory=set)  # ids of claims that are a side of a conflict
    cited: dict[str, set[Cite]] = field(default_factory=dict)  # every cite the briefing makes, by article
    by_anchor: dict[str, str] = field(default_factory=dict)  # article anchor -> article id
    views: dict[str, StoryView] = field(default_factory=dict)  # story id -> its view, laid out once

    @classmethod
    def of(cls, briefing: Briefing, generation: int, colours: dict[str, int] | None = None) -> Snapshot:
        """`colours`: the speakers' palette slots of a larger briefing this one is part of."""
        view = BriefingView(briefing, colours=colours)
        snap = cls(briefing, view, generation, cited=cited_spans(briefing))
        snap.by_anchor = {article_anchor(a.id): a.id for a in briefing.articles}
        for story in briefing.stories:
            for article in story.articles:
                snap.story_of.setdefault(article, story.id)
        for quote in briefing.quotes:
            snap.quotes_by_article.setdefault(quote.cite.article, []).append(quote)
        for entity in briefing.entities:
            for cite in entity.mentions:
                snap.mentions_by_article.setdefault(cite.article, []).append((cite, entity.id))
        for claim in briefing.claims:
            for cite in claim.mentions:
                snap.claims_by_article.setdefault(cite.article, []).append((cite, claim))
        snap.disputed = {s.ref for c in briefing.conflicts for s in c.sides if s.kind == "claim"}
        return snap

    def story_view(self, story: Story) -> StoryView:
        """The story's view, laid out on first use (a story's slice is kept while pages read it)."""
        found = self.views.get(story.id)
        if found is None:
            found = self.views[story.id] = story_view(self.view, story)
        return found

    @functools.cached_property
    def entity_rows(self) -> list[EntityRow]:
        """Every entity's row (names, roles, counts) in the order the entities page lists them;
        built on first use, once per load: on a large store it reads every mention."""
        return entity_rows(self.view, set(self.view.articles))

    @functools.cached_property
    def network(self) -> tuple[ActorGraph, NetworkPicture]:
        """The whole store's actor network and its drawing, built once per load."""
        from storyline.web.network import actor_graph, picture

        graph = actor_graph(self.briefing, view=self.view, mentions_by_article=self.mentions_by_article)
        return graph, picture(graph)

    @functools.cached_property
    def issue_order(self) -> tuple[str, ...]:
        """The whole store's stance issues in the matrix's column order (entity pages read it)."""
        from storyline.web.comparison import issue_order

        return issue_order(self.briefing.stances)

    @functools.cached_property
    def entity_row_by_id(self) -> dict[str, EntityRow]:
        return {r.id: r for r in self.entity_rows}

    def story_articles(self, story_id: str | None) -> set[str] | None:
        """The article ids of a story (None: no filter); KeyError for an unknown story."""
        if story_id is None:
            return None
        for story in self.briefing.stories:
            if story.id == story_id:
                return set(story.articles)
        raise KeyError(story_id)


@dataclass(frozen=True)
class Upload:
    """A file sent through the form or the API: its name as the client gave it, and its bytes."""

    filename: str
    data: bytes


@dataclass(frozen=True)
class Pasted:
    """Article text pasted into the form, with the metadata the reader may give."""

    text: str
    title: str | None = None
    url: str | None = None
    published: str | None = None
    site: str | None = None


@dataclass(frozen=True)
class IngestResult:
    added: tuple[str, ...]  # article ids, in input order (known articles included: ingest is idempotent)
    failures: tuple[InputFailure, ...]
    cleaned_new: int


class Workbench:
    """The store behind the app: a cached snapshot of its catalog, and ingest into it."""

    def __init__(self, db: str | Path, briefing: Briefing | None = None) -> None:
        from storyline.web.snapshot import StoreSnapshot

        self.settings = Settings(db=db)
        self._lock = threading.RLock()  # one load or ingest at a time; readers take the current snapshot
        self._snapshot = StoreSnapshot.of_briefing(briefing, 1) if briefing is not None else None
        self._index: tuple[int, SentenceIndex] | None = None
        self.failures: list[InputFailure] = []  # inputs that failed in this server's ingests

    @property
    def snapshot(self) -> StoreSnapshot:
        current = self._snapshot
        if current is not None:
            return current
        with self._lock:
            if self._snapshot is None:
                self._snapshot = self._load(1)
            return self._snapshot

    def index(self) -> SentenceIndex:
        """The question-answering index of the current snapshot (built on first use)."""
        snap = self.snapshot
        cached = self._index
        if cached is not None and cached[0] == snap.generation:
            return cached[1]
        with self._lock:
            if self._index is None or self._index[0] != snap.generation:
                from storyline.store import Store

                store = Store.open(self.settings.db)  # sentence vectors are kept there per article
                try:
                    self._index = (snap.generation, snap.sentence_index(store))
                finally:
                    store.close()
            return self._index[1]

    def warm(self) -> None:
        """Load the snapshot and the index now, so that the first visitor does not wait."""
        self.index()

    def ingest(self, uploads: Sequence[Upload], pasted: Pasted | None) -> IngestResult:
        """Save the inputs beside the store, run the pipeline on them, then reload the briefing."""
        from storyline.pipeline import run

        with self._lock:
            folder = self._new_upload_folder()
            for upload in uploads:
                _free_path(folder, safe_filename(upload.filename)).write_bytes(upload.data)
            if pasted is not None:
                # A leading "_" is never produced by `safe_filename`, so no upload can overwrite it.
                (folder / "_pasted.jsonl").write_text(_pasted_line(pasted) + "\n", encoding="utf-8")
            result = run([str(folder)], self.settings)
            self.failures.extend(result.failures)
            generation = (self._snapshot.generation if self._snapshot else 0) + 1
            # The old snapshot's catalog is removed once its last reader lets it go.
            self._snapshot = self._load(generation)
            self._index = None
            return IngestResult(result.article_ids, result.failures, result.cleaned_new)

    def _load(self, generation: int) -> StoreSnapshot:
        """The store's briefing written to a new catalog a story at a time (never held whole)."""
        from storyline.pipeline import planned
        from storyline.web.catalog import Catalog
        from storyline.web.snapshot import StoreSnapshot

        with planned((), self.settings, whole_store=True) as done:
            catalog = Catalog.of_plan(done.plan)
        return StoreSnapshot(catalog, generation)

    def _new_upload_folder(self) -> Path:
        # Inputs are kept (not a temp dir) so that each article's `source` names a file that exists.
        db = str(self.settings.db)
        base = Path(tempfile.gettempdir()) / "storyline-uploads" if "://" in db else _uploads_root(Path(db))
        stamp = time.strftime("%Y%m%d-%H%M%S") + "-" + secrets.token_hex(3)
        folder = base / stamp
        folder.mkdir(parents=True, exist_ok=False)
        return folder


def _uploads_root(db: Path) -> Path:
    return db.parent / f"{db.stem}-uploads"


def safe_filename(name: str) -> str:
    """The last path part of a client's file name, reduced to [A-Za-z0-9._-] (never a path)."""
    base = PureWindowsPath(PurePosixPath(name).name).name
    cleaned = _UNSAFE.sub("_", base).strip("._") or "upload"
    stem, dot, suffix = cleaned.rpartition(".")
    if not dot:
        return cleaned[:80]
    return f"{stem[: 79 - len(suffix)]}.{suffix}"


def _free_path(folder: Path, name: str) -> Path:
    """`folder/name`, or `folder/stem-2.suffix`… when two uploads share a name."""
    path, number = folder / name, 1
    while path.exists():
        number += 1
        path = folder / f"{Path(name).stem}-{number}{Path(name).suffix}"
    return path


def _pasted_line(pasted: Pasted) -> str:
    record = {"text": pasted.text}
    for key in ("title", "url", "published", "site"):
        value = getattr(pasted, key)
        if value:
            record[key] = value
    return json.dumps(record, ensure_ascii=False)
