from __future__ import annotations

import os
from pathlib import Path

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
