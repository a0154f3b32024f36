"""JSON Lines: one article per line with `text` or `html`, and optional url/title/published/author/site.

Lines are read one at a time with a length cap (a million-line file, or one endless line, never sits
in memory); a line that is not a JSON object with article text becomes an `InputError` naming the
file and line, and reading goes on. `read_stream` reads any binary stream (a .jsonl.gz member too).
"""

from __future__ import annotations

import json
import re
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Protocol

from storyline.errors import DecodeError, FormatError, InputError
from storyline.ingest.text import MAX_BYTES, MAX_MB
from storyline.model import RawDocument

__all__ = ["ByteStream", "read", "read_stream", "parse_line"]

META_KEYS = ("url", "title", "published", "author", "site")
MAX_LINE_BYTES = MAX_BYTES  # one article per line: the same cap as one article file
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


class ByteStream(Protocol):
    """What the readers need of an open binary file (a file, a gzip stream, an archive member)."""

    def read(self, size: int = -1, /) -> bytes: ...

    def readline(self, size: int = -1, /) -> bytes: ...


def read(path: Path) -> Iterator[RawDocument | InputError]:
    return streamed(path, read_stream)


def streamed(
    path: Path, read_stream: Callable[[str, Any], Iterator[RawDocument | InputError]]
) -> Iterator[RawDocument | InputError]:
    """Open `path` and hand it to a stream reader; a file that cannot be opened is an InputError."""
    try:
        handle = path.open("rb")
    except OSError as exc:
        yield InputError(str(path), f"cannot read file: {exc.strerror or exc}")
        return
    with handle:
        yield from read_stream(str(path), handle)


def read_stream(
    source: str, handle: ByteStream, max_total: int | None = None
) -> Iterator[RawDocument | InputError]:
    """The articles of a JSONL stream; stops with an error once `max_total` bytes were read."""
    empty = True
    total = 0
    number = 0
    try:
        for number, raw, size in _lines(handle):
            total += size
            if max_total is not None and total > max_total:
                yield InputError(
                    source,
                    f"expands to more than {max_total // (1024 * 1024)} MB, far more than its "
                    "compressed size (a compression bomb?); the rest is not read",
                    number,
                )
                return
            if raw is None:
                yield FormatError(source, f"line is longer than {MAX_MB} MB; it is skipped", number)
                continue
            if not raw.strip():
                continue
            empty = False
            yield parse_line(source, number, raw)
    except (OSError, EOFError, zlib.error) as exc:
        # A truncated or corrupt compressed stream, or a disk error: what was read before is kept.
        yield InputError(source, f"cannot read past line {number}: {exc}", number + 1)
        return
    if empty:
        yield FormatError(source, "the JSONL file has no lines")


def _lines(handle: ByteStream) -> Iterator[tuple[int, bytes | None, int]]:
    """(line number, the line or None when over the cap, bytes consumed) for each line."""
    number = 0
    while line := handle.readline(MAX_LINE_BYTES + 1):
        number += 1
        if len(line) <= MAX_LINE_BYTES or line.endswith(b"\n"):
            yield number, line, len(line)
            continue
        size = len(line)
        # Skip the rest of the over-long line in bounded chunks rather than holding it.
        while (rest := handle.readline(MAX_LINE_BYTES)) and not rest.endswith(b"\n"):
            size += len(rest)
        yield number, None, size + len(rest)


def parse_line(source: str, number: int, raw: bytes) -> RawDocument | InputError:
    try:
        record = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        return DecodeError(source, "line is not UTF-8 (JSONL must be UTF-8)", number)
    except json.JSONDecodeError as exc:
        return FormatError(source, f"not valid JSON ({exc.msg} at column {exc.colno})", number)
    except RecursionError:
        return FormatError(source, "JSON nested too deeply to read", number)
    if not isinstance(record, dict):
        return FormatError(source, "a line must be a JSON object with a 'text' or 'html' field", number)
    body, mime = _body(record)
    if body is None:
        return FormatError(source, "no 'text' or 'html' field with a string value", number)
    meta = tuple(
        (k, _repair(str(record[k])))
        for k in META_KEYS
        if isinstance(record.get(k), (str, int, float)) and record[k] != ""
    )
    return RawDocument(source=source, data=_repair(body), mime=mime, line=number, meta=meta)


def _repair(value: str) -> str:
    """The value with lone surrogates (JSON "\\ud800" escapes that pair with nothing) as U+FFFD.

    They are not characters: left in, any later UTF-8 encoding of the text (hashing, storing) fails.
    """
    return _LONE_SURROGATE.sub("\ufffd", value)


def _body(record: dict[str, object]) -> tuple[str | None, str]:
    text, html = record.get("text"), record.get("html")
    if isinstance(text, str) and text.strip():
        return text, "text/plain"
    if isinstance(html, str) and html.strip():
        return html, "text/html"
    return None, "text/plain"
