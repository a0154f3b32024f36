"""JSON Lines: one article per line with `text` or `html`, and optional url/title/published/author/site.

Lines are read one at a time (a million-line file never sits in memory); a line that is not a JSON
object with article text becomes an `InputError` naming the file and line, and reading goes on.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from storyline.errors import DecodeError, FormatError, InputError
from storyline.model import RawDocument

META_KEYS = ("url", "title", "published", "author", "site")


def read(path: Path) -> Iterator[RawDocument | InputError]:
    try:
        handle = path.open("rb")
    except OSError as exc:
        yield InputError(str(path), f"cannot read file: {exc.strerror or exc}")
        return
    with handle:
        empty = True
        for number, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            empty = False
            yield parse_line(str(path), number, raw)
        if empty:
            yield FormatError(str(path), "the JSONL file has no lines")


def parse_line(source: str, number: int, raw: bytes) -> RawDocument | InputError:
    try:
        record = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        return DecodeError(source, "line is not UTF-8 (JSONL must be UTF-8)", number)
    except json.JSONDecodeError as exc:
        return FormatError(source, f"not valid JSON ({exc.msg} at column {exc.colno})", number)
    if not isinstance(record, dict):
        return FormatError(source, "a line must be a JSON object with a 'text' or 'html' field", number)
    body, mime = _body(record)
    if body is None:
        return FormatError(source, "no 'text' or 'html' field with a string value", number)
    meta = tuple(
        (k, str(record[k]))
        for k in META_KEYS
        if isinstance(record.get(k), (str, int, float)) and record[k] != ""
    )
    return RawDocument(source=source, data=body, mime=mime, line=number, meta=meta)


def _body(record: dict[str, object]) -> tuple[str | None, str]:
    text, html = record.get("text"), record.get("html")
    if isinstance(text, str) and text.strip():
        return text, "text/plain"
    if isinstance(html, str) and html.strip():
        return html, "text/html"
    return None, "text/plain"
