"""storyline: turn news articles from many outlets into a briefing where every line cites a source.

>>> import storyline
>>> briefing = storyline.analyze(["articles/"])
>>> briefing.stories[0].summary[0].cites

For stores too large to hold as one `Briefing`, `storyline.write` writes the files a story at a
time, as `storyline analyze` does.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from storyline._version import __version__
from storyline.model import Briefing
from storyline.settings import Settings

if TYPE_CHECKING:
    from storyline.briefing.stream import Tally

__all__ = ["analyze", "write", "Briefing", "Settings", "__version__"]


def analyze(
    paths: Iterable[str | os.PathLike[str]],
    db: str | Path | None = None,
    settings: Settings | None = None,
) -> Briefing:
    """Analyze files or folders of articles into a `Briefing`.

    With `db` (a SQLite path or database URL) the per-article work is stored and reused on the next
    call; without it, a temporary store is used and removed afterwards.
    """
    from dataclasses import replace

    from storyline.pipeline import run

    base = settings or Settings()
    if db is not None:
        return run(paths, replace(base, db=db)).briefing
    with tempfile.TemporaryDirectory(prefix="storyline-") as tmp:
        return run(paths, replace(base, db=Path(tmp) / "storyline.db")).briefing


def write(
    paths: Iterable[str | os.PathLike[str]],
    out: str | Path,
    db: str | Path | None = None,
    formats: Iterable[str] = ("json", "md", "html"),
    settings: Settings | None = None,
) -> Tally:
    """Analyze `paths` and write `briefing.<format>` files into the folder `out`, a story at a time:
    the briefing is never held whole, so memory stays that of the store-wide stages and one batch
    of stories (about 400 MB for 18,713 stored articles; `analyze` returns the whole briefing). The
    files are byte for byte those of `analyze(...)` rendered. Returns what was written, counted
    (`Tally`), with the inputs that failed in `failed`.

    The store is kept in `db` (a SQLite path or database URL), or in `out/storyline.db`.
    """
    from dataclasses import replace

    from storyline import ingest
    from storyline.briefing import render, stream
    from storyline.pipeline import planned

    names = list(formats)
    unknown = [name for name in names if name not in render.names()]
    if unknown:  # before any work is done
        raise ValueError(f"unknown format {', '.join(unknown)}; choose from {', '.join(render.names())}")
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    base = replace(settings or Settings(), db=db if db is not None else folder / "storyline.db")
    targets = {name: folder / f"briefing.{name}" for name in names}
    with planned(ingest.read(paths), base) as done:
        return stream.write_files(done.plan, targets)
