"""Compressed inputs: one gzip file (`a.txt.gz`, `feed.jsonl.gz`) or a .zip/.tar archive of articles.

Nothing is extracted to disk: members are read into memory one at a time, each capped at the
per-article limit, and the whole archive may expand at most `MAX_EXPANSION` times its size, so a
compression bomb stops with an error instead of filling the memory. Members named outside the
archive (absolute, `..`), links and nested archives are refused by name; the other members go on.
"""

from __future__ import annotations

import gzip
import tarfile
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from storyline.errors import FormatError, InputError
from storyline.ingest import jsonl
from storyline.ingest.jsonl import ByteStream
from storyline.ingest.text import MAX_BYTES, MAX_MB
from storyline.model import RawDocument

__all__ = ["MEMBER_TYPES", "read_gzip", "read_tar", "read_zip"]

# What an article file inside an archive can be, by suffix: its MIME type, or JSONL.
MEMBER_TYPES = {
    ".txt": "text/plain",
    ".md": "text/plain",
    ".text": "text/plain",
    ".html": "text/html",
    ".htm": "text/html",
    ".jsonl": "application/jsonl",
}
_ARCHIVES = (".gz", ".tgz", ".zip", ".tar", ".bz2", ".xz", ".7z")

# Text compresses 3-10x with gzip, repetitive JSONL up to ~20x; a bomb compresses 1000x or more.
MAX_EXPANSION = 100

_STREAM_ERRORS = (OSError, EOFError, zlib.error, tarfile.TarError, zipfile.BadZipFile, RuntimeError)


def read_gzip(path: Path) -> Iterator[RawDocument | InputError]:
    """The article(s) of one gzip file; the name without `.gz` says what it holds."""
    kind = MEMBER_TYPES.get(PurePosixPath(path.name[: -len(".gz")]).suffix.lower())
    if kind is None:
        yield FormatError(str(path), "unsupported file type inside .gz; expected " + ", ".join(MEMBER_TYPES))
        return
    try:
        with gzip.open(path, "rb") as handle:
            if kind == "application/jsonl":
                yield from jsonl.read_stream(str(path), handle, _budget(path))
            else:
                yield _member(str(path), handle, kind)
    except _STREAM_ERRORS as exc:
        yield InputError(str(path), f"cannot read the gzip file: {_reason(exc)}")


def read_zip(path: Path) -> Iterator[RawDocument | InputError]:
    """The articles in a .zip archive, in the archive's order."""
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as exc:
        yield InputError(str(path), f"cannot open the zip archive: {_reason(exc)}")
        return
    left = _budget(path)
    with archive:
        for info in archive.infolist():
            if info.is_dir():
                continue
            source = f"{path}!{info.filename}"
            kind, refusal = _member_kind(source, info.filename)
            if refusal is not None or kind is None:
                if refusal is not None:
                    yield refusal
                continue
            try:
                with archive.open(info) as handle:
                    counted = _Counted(handle)
                    yield from _read_member(source, counted, kind, left)
                    left -= counted.count
            except _STREAM_ERRORS as exc:
                yield InputError(source, f"cannot read this archive member: {_reason(exc)}")
                continue
            if left < 0:
                yield _bomb(path)
                return


def read_tar(path: Path) -> Iterator[RawDocument | InputError]:
    """The articles in a .tar (optionally gzip/bzip2/xz-compressed) archive, streamed in order."""
    left = _budget(path)
    try:
        # Stream mode ("r|*") never seeks, so a compressed tar is decompressed once, front to back.
        with tarfile.open(path, mode="r|*") as archive:
            for member in archive:
                left -= member.size  # passing a member decompresses it, read or not
                if left < 0:
                    yield _bomb(path)
                    return
                yield from _tar_member(path, archive, member)
    except _STREAM_ERRORS as exc:
        yield InputError(str(path), f"cannot read the tar archive: {_reason(exc)}")


def _tar_member(
    path: Path, archive: tarfile.TarFile, member: tarfile.TarInfo
) -> Iterator[RawDocument | InputError]:
    source = f"{path}!{member.name}"
    if member.isdir():
        return
    kind, refusal = _member_kind(source, member.name)
    if refusal is not None:
        yield refusal
    elif kind is not None and not member.isfile():
        yield FormatError(source, "links and special files in archives are not followed")
    elif kind is not None:
        handle = archive.extractfile(member)
        if handle is not None:
            yield from _read_member(source, handle, kind, member.size)


def _member_kind(source: str, name: str) -> tuple[str | None, InputError | None]:
    """What the member holds (None: not an article file, skipped like in a folder), or why it is refused."""
    parts = PurePosixPath(name.replace("\\", "/"))
    if parts.is_absolute() or ".." in parts.parts or (parts.parts and ":" in parts.parts[0]):
        return None, FormatError(source, "the member's path points outside the archive; it is not read")
    suffix = parts.suffix.lower()
    if suffix in _ARCHIVES:
        return None, FormatError(source, "archives inside archives are not opened; unpack it first")
    return MEMBER_TYPES.get(suffix), None


def _read_member(source: str, handle: ByteStream, kind: str, left: int) -> Iterator[RawDocument | InputError]:
    if kind == "application/jsonl":
        yield from jsonl.read_stream(source, handle, max(0, left))
    else:
        yield _member(source, handle, kind)


def _member(source: str, handle: ByteStream, mime: str) -> RawDocument | InputError:
    data = handle.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        return InputError(
            source, f"expands to more than {MAX_MB} MB, the limit per article (a compression bomb?)"
        )
    return RawDocument(source=source, data=data, mime=mime)


def _budget(path: Path) -> int:
    """How many bytes the archive may expand to: MAX_EXPANSION times its size, at least one article."""
    try:
        size = path.stat().st_size
    except OSError:
        size = 0
    return max(MAX_BYTES, MAX_EXPANSION * size)


def _bomb(path: Path) -> InputError:
    return InputError(
        str(path),
        f"expands to more than {MAX_EXPANSION} times its size (a compression bomb?); the rest is not read",
    )


def _reason(exc: BaseException) -> str:
    if isinstance(exc, EOFError):
        return "the compressed data ends early (a truncated file?)"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc) or type(exc).__name__


class _Counted:
    """A read-only stream that counts the bytes read through it (zip sizes in headers can lie)."""

    def __init__(self, handle: ByteStream) -> None:
        self._handle = handle
        self.count = 0

    def read(self, size: int = -1) -> bytes:
        data = self._handle.read(size)
        self.count += len(data)
        return data

    def readline(self, size: int = -1) -> bytes:
        line = self._handle.readline(size)
        self.count += len(line)
        return line
