"""Readers: turn paths (files, folders) into a stream of `RawDocument`s, one per article.

Each reader yields documents or `InputError`s (never raises for one bad input), so a run goes on
past a broken file and the caller records the failure with its path and line.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from storyline.errors import FormatError, InputError
from storyline.ingest import archive, html, jsonl, text, warc
from storyline.model import RawDocument

__all__ = ["read", "iter_files", "reader_for", "SUFFIXES"]

Reader = Callable[[Path], Iterator[RawDocument | InputError]]

READERS: dict[str, Reader] = {
    ".txt": text.read,
    ".md": text.read,
    ".text": text.read,
    ".html": html.read,
    ".htm": html.read,
    ".jsonl": jsonl.read,
    ".warc": warc.read,
    ".warc.gz": warc.read,
    ".zip": archive.read_zip,
    ".tar": archive.read_tar,
    ".tgz": archive.read_tar,
    ".tar.gz": archive.read_tar,
    ".tar.bz2": archive.read_tar,
    ".tar.xz": archive.read_tar,
    **{f"{suffix}.gz": archive.read_gzip for suffix in archive.MEMBER_TYPES},
}
SUFFIXES = tuple(READERS)


def reader_for(path: Path) -> Reader | None:
    """The reader for a file, by the longest suffix of its name that has one (".tar.gz" before ".gz")."""
    name = path.name.lower()
    best = max((s for s in READERS if name.endswith(s) and len(name) > len(s)), key=len, default=None)
    return READERS[best] if best else None


def iter_files(paths: Iterable[str | os.PathLike[str]]) -> Iterator[Path | InputError]:
    """Every readable file under `paths`, sorted within each folder, each real file once.

    Symlinked folders are followed once: the set of visited real paths breaks symlink loops.
    """
    seen: set[str] = set()
    for given in paths:
        path = Path(given)
        if not path.exists():
            yield InputError(str(path), "no such file or folder")
        elif path.is_dir():
            yield from _walk(path, seen)
        else:
            real = os.path.realpath(path)
            if real not in seen:
                seen.add(real)
                yield path


def _walk(folder: Path, seen: set[str]) -> Iterator[Path | InputError]:
    real = os.path.realpath(folder)
    if real in seen:
        return
    seen.add(real)
    try:
        children = sorted(folder.iterdir())
    except OSError as exc:
        yield InputError(str(folder), f"cannot list folder: {exc.strerror or exc}")
        return
    for child in children:
        if child.name.startswith("."):
            continue
        if child.is_dir():
            yield from _walk(child, seen)
        elif reader_for(child) is not None:
            child_real = os.path.realpath(child)
            if child_real not in seen:
                seen.add(child_real)
                yield child


def read(paths: Iterable[str | os.PathLike[str]]) -> Iterator[RawDocument | InputError]:
    """Stream the documents in `paths` (files or folders); errors come through as values."""
    for item in iter_files(paths):
        if isinstance(item, InputError):
            yield item
            continue
        reader = reader_for(item)
        if reader is None:
            yield FormatError(
                str(item), f"unsupported file type {item.suffix!r}; expected one of {', '.join(SUFFIXES)}"
            )
            continue
        yield from reader(item)
