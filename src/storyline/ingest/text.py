"""Plain-text articles (.txt, .md): the file's bytes, decoded later by `clean.decode`."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from storyline.errors import InputError
from storyline.model import RawDocument

MAX_BYTES = 50 * 1024 * 1024  # a news article is never this long; larger files are refused, not read


def read_bytes(path: Path) -> bytes | InputError:
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            return InputError(
                str(path), f"file is {size // (1024 * 1024)} MB; the limit per article is 50 MB"
            )
        return path.read_bytes()
    except OSError as exc:
        return InputError(str(path), f"cannot read file: {exc.strerror or exc}")


def read(path: Path) -> Iterator[RawDocument | InputError]:
    data = read_bytes(path)
    if isinstance(data, InputError):
        yield data
    else:
        yield RawDocument(source=str(path), data=data, mime="text/plain")
