"""Run configuration: one frozen dataclass built at the edge (CLI flags, environment) and passed down."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from storyline.story.chapters import MOST_ARTICLES


@dataclass(frozen=True)
class Settings:
    db: str | Path = "storyline.db"
    batch_size: int = 32
    summary_sentences: int = 5
    summary_words: int | None = None
    cluster_threshold: float = 0.77
    max_story_articles: int = MOST_ARTICLES  # a larger story is cut by time into chapters
    workers: int = 1
    engine: str = "local"  # local | ray: where the per-article stages run
    ray_address: str | None = None  # None starts a local Ray runtime; "auto" joins the node's cluster
    ray_shards: str | None = None  # folder or URI every Ray node reads (None: a temp dir on this node)
