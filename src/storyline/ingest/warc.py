"""Web archives (.warc, .warc.gz): each HTML `response` record with status 200 is one page, via warcio.

Other records (requests, metadata, revisits, redirects, images, robots.txt) are not articles and
are passed over; a file with no page at all is an error. A record's number in the file stands in
for the line (`file.warc.gz:7` is the 7th record), and its WARC-Target-URI becomes the article URL.
A broken record ends the file (the framing of what follows cannot be trusted), naming the record.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from warcio.archiveiterator import ArchiveIterator
from warcio.recordloader import ArcWarcRecord

from storyline.errors import FormatError, InputError
from storyline.ingest.jsonl import streamed
from storyline.ingest.text import MAX_BYTES, MAX_MB
from storyline.model import RawDocument

__all__ = ["read", "read_stream"]

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})


def read(path: Path) -> Iterator[RawDocument | InputError]:
    return streamed(path, read_stream)


def read_stream(source: str, handle: BinaryIO) -> Iterator[RawDocument | InputError]:
    """The pages in a WARC stream (plain or gzip per record), in file order."""
    pages = 0
    number = 0
    records = iter(ArchiveIterator(handle))
    while True:
        try:
            record = next(records, None)
        except Exception as exc:  # noqa: BLE001
            # warcio raises whatever its parser trips on in a damaged record (ArchiveLoadFailed,
            # but also ValueError, zlib.error, AttributeError on a record without a URI): all mean
            # the same to the reader here, and none may stop the run.
            reason = (
                f"WARC record {number + 1} is broken ({_first_line(exc)}); the rest of the file is not read"
            )
            yield FormatError(source, reason, number + 1)
            return
        if record is None:
            break
        number += 1
        item = _page(source, number, record)
        if item is not None:
            pages += isinstance(item, RawDocument)
            yield item
    if pages == 0:
        yield FormatError(source, f"no HTML response with status 200 in its {number} WARC record(s)")


def _page(source: str, number: int, record: ArcWarcRecord) -> RawDocument | InputError | None:
    """The page in one record; None for a record that is not a page; an error for a bad page."""
    if record.rec_type != "response" or record.http_headers is None:
        return None
    if record.http_headers.get_statuscode() != "200":
        return None
    media = (record.http_headers.get_header("Content-Type") or "").split(";", 1)[0].strip().lower()
    if media not in HTML_TYPES:
        return None
    url = record.rec_headers.get_header("WARC-Target-URI")
    try:
        # content_stream undoes chunking and Content-Encoding; the cap keeps a bomb out of memory.
        body = record.content_stream().read(MAX_BYTES + 1)
    except Exception as exc:  # noqa: BLE001 - as above: a damaged body, whatever warcio raises
        return FormatError(source, f"cannot decode the page {url} ({_first_line(exc)})", number)
    if len(body) > MAX_BYTES:
        return InputError(source, f"the page {url} is larger than {MAX_MB} MB; skipped", number)
    meta = (("url", url),) if url else ()
    return RawDocument(source=source, data=body, mime="text/html", line=number, meta=meta)


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]
