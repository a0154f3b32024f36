"""Plain-text articles (.txt, .md): the file's bytes, decoded later by `clean.decode`.

Reading is bounded: a file over `MAX_BYTES` is refused before it is read, and no read ever asks for
more than `MAX_BYTES + 1` bytes, so a huge or growing file cannot fill the memory.
"""

from __future__ import annotations

import stat
from collections.abc import Iterator
from pathlib import Path

from storyline.errors import InputError
from storyline.model import RawDocument

MAX_BYTES = 50 * 1024 * 1024  # a news article is never this long; larger files are refused, not read
MAX_MB = MAX_BYTES // (1024 * 1024)


def read_bytes(path: Path) -> bytes | InputError:
    """The bytes of one article file, or an error naming it (too large, not a file, unreadable)."""
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            return InputError(str(path), "not a regular file (a pipe or device?); only files are read")
        if info.st_size > MAX_BYTES:
            return _too_large(path, info.st_size)
        with path.open("rb") as handle:
            # The size can change between stat and read (a file still being written): cap the read.
            data = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        return InputError(str(path), f"cannot read file: {exc.strerror or exc}")
    if len(data) > MAX_BYTES:
        return _too_large(path, len(data))
    return data


def _too_large(path: Path, size: int) -> InputError:
    return InputError(
        str(path),
        f"file is {size / (1024 * 1024):.0f} MB; the limit per article is {MAX_MB} MB "
        "(put many articles in a .jsonl file, one per line)",
    )


def read(path: Path) -> Iterator[RawDocument | InputError]:
    data = read_bytes(path)
    if isinstance(data, InputError):
        yield data
    else:
        yield RawDocument(source=str(path), data=data, mime="text/plain")
