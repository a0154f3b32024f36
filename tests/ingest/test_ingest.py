from __future__ import annotations

import os
from pathlib import Path

import pytest

from storyline import ingest
from storyline.errors import FormatError, InputError
from storyline.model import RawDocument


def _read(*paths: Path) -> list[RawDocument | InputError]:
    return list(ingest.read(paths))


def test_folder_is_walked_sorted_and_unknown_suffixes_skipped(tmp_path: Path) -> None:
    (tmp_path / "b.txt").write_text("Second article body.", encoding="utf-8")
    (tmp_path / "a.html").write_text("<html><body><p>First</p></body></html>", encoding="utf-8")
    (tmp_path / "notes.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / ".hidden.txt").write_text("hidden", encoding="utf-8")
    docs = _read(tmp_path)
    assert [Path(d.source).name for d in docs if isinstance(d, RawDocument)] == ["a.html", "b.txt"]
    assert [d.mime for d in docs if isinstance(d, RawDocument)] == ["text/html", "text/plain"]


def test_missing_path_is_an_error_value(tmp_path: Path) -> None:
    (error,) = _read(tmp_path / "nope.txt")
    assert isinstance(error, InputError)
    assert "no such file" in str(error)


def test_jsonl_bad_lines_name_their_line_and_reading_goes_on(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    path.write_text(
        '{"text": "First article.", "title": "One", "published": "2031-03-05", "url": "https://x.example/1"}\n'
        "{not json\n"
        "\n"
        '["a list"]\n'
        '{"title": "no body"}\n'
        '{"html": "<p>Body</p>"}\n',
        encoding="utf-8",
    )
    items = _read(path)
    assert [type(i).__name__ for i in items] == [
        "RawDocument",
        "FormatError",
        "FormatError",
        "FormatError",
        "RawDocument",
    ]
    errors = [i for i in items if isinstance(i, FormatError)]
    assert [e.line for e in errors] == [2, 4, 5]
    assert str(errors[0]).startswith(f"{path}:2: not valid JSON")
    first = items[0]
    assert isinstance(first, RawDocument)
    assert first.meta_value("title") == "One" and first.meta_value("published") == "2031-03-05"
    assert items[-1].mime == "text/html"  # type: ignore[union-attr]


def test_symlink_loop_is_visited_once(tmp_path: Path) -> None:
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "a.txt").write_text("An article.", encoding="utf-8")
    os.symlink(tmp_path, sub / "loop")
    docs = _read(tmp_path)
    assert [Path(d.source).name for d in docs] == ["a.txt"]


def test_same_file_given_twice_is_read_once(tmp_path: Path) -> None:
    f = tmp_path / "a.txt"
    f.write_text("An article.", encoding="utf-8")
    assert len(_read(f, f, tmp_path)) == 1


def test_a_200_mb_file_is_refused_without_being_read(tmp_path: Path) -> None:
    big = tmp_path / "huge.txt"
    with big.open("wb") as handle:  # sparse: 200 MB on paper, nothing written
        handle.truncate(200 * 1024 * 1024)
    (error,) = _read(big)
    assert str(error) == (
        f"{big}: file is 200 MB; the limit per article is 50 MB "
        "(put many articles in a .jsonl file, one per line)"
    )


def test_read_is_capped_even_when_the_size_on_disk_says_zero(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from storyline.ingest import text

    monkeypatch.setattr(text, "MAX_BYTES", 10)
    status = Path("/proc/self/status")  # a regular file of size 0 on disk, with content when read
    if not status.exists():
        pytest.skip("needs /proc")
    error = text.read_bytes(status)
    assert isinstance(error, InputError) and error.reason.startswith("file is 0 MB; the limit per article")


def test_a_pipe_is_not_read(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    (error,) = _read(fifo)
    assert str(error) == f"{fifo}: not a regular file (a pipe or device?); only files are read"


def test_self_referencing_symlink_is_an_error_value(tmp_path: Path) -> None:
    os.symlink(tmp_path / "self.txt", tmp_path / "self.txt")
    (error,) = _read(tmp_path)
    assert isinstance(error, InputError)
    assert error.reason == "cannot read file: Too many levels of symbolic links"


def test_jsonl_over_long_line_is_skipped_in_bounded_reads(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from storyline.ingest import jsonl

    monkeypatch.setattr(jsonl, "MAX_LINE_BYTES", 100)
    path = tmp_path / "feed.jsonl"
    long_line = '{"text": "' + "word " * 500 + '"}'
    path.write_text(f'{{"text": "before"}}\n{long_line}\n{{"text": "after"}}\n{long_line}', encoding="utf-8")
    items = _read(path)
    assert [(type(i).__name__, i.line) for i in items] == [
        ("RawDocument", 1),
        ("FormatError", 2),
        ("RawDocument", 3),
        ("FormatError", 4),
    ]
    assert items[1].reason == "line is longer than 50 MB; it is skipped"  # type: ignore[union-attr]


def test_jsonl_lone_surrogates_and_deep_nesting(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    path.write_text('{"text": "Half a pair \\ud800 here", "title": "T\\udc00"}\n' + "[" * 100_000 + "\n")
    first, second = _read(path)
    assert isinstance(first, RawDocument)
    assert first.data == "Half a pair \ufffd here" and first.meta_value("title") == "T\ufffd"
    assert isinstance(second, FormatError) and second.line == 2
    assert second.reason == "JSON nested too deeply to read"
