"""What `watch` remembers between polls, per URL: validators, the last page digest, the feed items seen.

A small JSON file beside the store (not in it: the store holds articles, this holds crawl
bookkeeping). It is replaced atomically, so a crash mid-write leaves the previous poll's state.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

from storyline.errors import StoreError

__all__ = ["UrlState", "WatchState", "state_path"]

FORMAT = "storyline.watch/1"
MAX_SEEN = 5000  # feed item keys kept per feed; feeds list far fewer items than this at a time


@dataclass
class UrlState:
    etag: str | None = None
    last_modified: str | None = None
    digest: str | None = None  # sha256 of the last page body (for servers without validators)
    seen: list[str] = field(default_factory=list)  # keys of feed items already fetched

    def remember(self, key: str) -> None:
        if key not in self.seen:
            self.seen.append(key)
            del self.seen[:-MAX_SEEN]


class WatchState:
    """Per-URL state, loaded from and saved to one JSON file."""

    def __init__(self, path: Path, urls: dict[str, UrlState] | None = None) -> None:
        self.path = path
        self.urls = urls or {}

    @classmethod
    def load(cls, path: Path) -> WatchState:
        if not path.exists():
            return cls(path)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("format") != FORMAT:
                raise ValueError(f"format {data.get('format')!r}, expected {FORMAT}")
            urls = {url: UrlState(**fields) for url, fields in data["urls"].items()}
        except (OSError, ValueError, TypeError, KeyError, AttributeError) as exc:
            raise StoreError(
                f"the watch state {path} cannot be read ({exc}); move it away to start afresh "
                "(every feed item is then fetched again; the store keeps each article once)"
            ) from exc
        return cls(path, urls)

    def get(self, url: str) -> UrlState:
        return self.urls.setdefault(url, UrlState())

    def save(self) -> None:
        body = {"format": FORMAT, "urls": {url: asdict(s) for url, s in sorted(self.urls.items())}}
        temporary = self.path.with_name(self.path.name + ".tmp")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            temporary.write_text(json.dumps(body, ensure_ascii=False, indent=1), encoding="utf-8")
            os.replace(temporary, self.path)
        except OSError as exc:
            raise StoreError(f"cannot write the watch state {self.path}: {exc.strerror or exc}") from exc


def state_path(db: str | Path) -> Path:
    """`NAME.watch.json` beside a SQLite store `NAME.db`; a database URL needs an explicit path."""
    text = str(db)
    if "://" in text:
        raise StoreError(f"the store {text} is not a file: give the watch state file explicitly (--state)")
    path = Path(text)
    return path.with_name(f"{path.stem}.watch.json")
