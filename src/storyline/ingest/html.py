"""HTML pages (.html, .htm): the file's bytes; main-text extraction happens in `clean.html`."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from storyline.errors import InputError
from storyline.ingest.text import read_bytes
from storyline.model import RawDocument


def read(path: Path) -> Iterator[RawDocument | InputError]:
    data = read_bytes(path)
    if isinstance(data, InputError):
        yield data
    else:
        yield RawDocument(source=str(path), data=data, mime="text/html")
