"""WARC input: pages come from 200 HTML response records; everything else is passed over."""

from __future__ import annotations

import gzip
import io
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from storyline import ingest
from storyline.errors import FormatError, InputError
from storyline.ingest import warc
from storyline.model import RawDocument

PAGE = (
    "<html><head><title>Quay news</title></head><body><article><h1>Quay repairs finish</h1>"
    "<p>Repairs to the north quay of Harlen finished on Friday, harbour master Oskar Lindqvale said.</p>"
    "<p>\u201cShips can dock again from Monday,\u201d Lindqvale told the town council.</p>"
    "<p>The work took eleven weeks and cost less than the council had set aside.</p>"
    "</article></body></html>"
)


def _write(path: Path, records: list[tuple[str, str, int, str, bytes]], gz: bool = True) -> None:
    """(record type, URL, HTTP status, content type, body) records into a WARC file."""
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=gz)
        for kind, url, status, content_type, body in records:
            if kind == "response":
                http = StatusAndHeaders(f"{status} X", [("Content-Type", content_type)], protocol="HTTP/1.1")
                record = writer.create_warc_record(
                    url, "response", payload=io.BytesIO(body), http_headers=http
                )
            else:
                record = writer.create_warc_record(
                    url, kind, payload=io.BytesIO(body), warc_content_type=content_type
                )
            writer.write_record(record)


MIXED = [
    ("warcinfo", "", 0, "application/warc-fields", b"software: test\r\n"),
    ("response", "https://harlen.example/quay", 200, "text/html; charset=utf-8", PAGE.encode()),
    ("response", "https://harlen.example/missing", 404, "text/html", b"<p>Not found</p>"),
    ("response", "https://harlen.example/logo.png", 200, "image/png", b"\x89PNG\r\n"),
    ("metadata", "https://harlen.example/quay", 0, "application/warc-fields", b"via: feed\r\n"),
    (
        "response",
        "https://harlen.example/quay2",
        200,
        "application/xhtml+xml",
        PAGE.replace("north", "south").encode(),
    ),
]


@pytest.mark.parametrize("name", ["crawl.warc.gz", "crawl.warc"])
def test_only_200_html_responses_become_pages_with_their_urls(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    _write(path, MIXED, gz=name.endswith(".gz"))
    items = list(ingest.read([tmp_path]))
    assert [(d.source, d.line, d.meta, d.mime) for d in items if isinstance(d, RawDocument)] == [
        (str(path), 2, (("url", "https://harlen.example/quay"),), "text/html"),
        (str(path), 6, (("url", "https://harlen.example/quay2"),), "text/html"),
    ]
    assert len(items) == 2
    assert items[0].data == PAGE.encode()


def test_a_broken_record_is_named_and_what_came_before_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "broken.warc.gz"
    _write(path, MIXED[:2])
    with path.open("ab") as handle:
        handle.write(gzip.compress(b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 99999\r\n\r\nshort"))
    items = list(warc.read(path))
    assert isinstance(items[0], RawDocument) and items[0].meta_value("url") == "https://harlen.example/quay"
    assert isinstance(items[1], FormatError)
    assert items[1].line == 3
    assert items[1].reason.startswith("WARC record 3 is broken (")
    assert items[1].reason.endswith("); the rest of the file is not read")
    assert len(items) == 2


def test_a_file_that_is_not_a_warc_is_one_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.warc"
    path.write_bytes(b"these are just some notes, not a web archive\n")
    assert [str(e) for e in warc.read(path)] == [
        f"{path}: no HTML response with status 200 in its 1 WARC record(s)"
    ]


def test_a_warc_without_pages_says_so(tmp_path: Path) -> None:
    path = tmp_path / "empty.warc.gz"
    _write(path, MIXED[:1] + MIXED[2:4])
    (error,) = warc.read(path)
    assert isinstance(error, InputError)
    assert str(error) == f"{path}: no HTML response with status 200 in its 3 WARC record(s)"


def test_analyze_reads_a_warc(tmp_path: Path) -> None:
    from storyline.pipeline import run
    from storyline.settings import Settings

    path = tmp_path / "crawl.warc.gz"
    _write(path, MIXED[:3])
    result = run([path], Settings(db=tmp_path / "s.db"))
    (article,) = result.briefing.articles
    assert (article.url, article.title, article.source) == (
        "https://harlen.example/quay",
        "Quay repairs finish",
        str(path),
    )
    assert "Ships can dock again from Monday" in article.text
    assert result.failures == ()
