"""storyline: turn news articles from many outlets into a briefing where every line cites a source.

>>> import storyline
>>> briefing = storyline.analyze(["articles/"])
>>> briefing.stories[0].summary[0].cites
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from storyline._version import __version__
from storyline.model import Briefing
from storyline.settings import Settings

__all__ = ["analyze", "Briefing", "Settings", "__version__"]


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
