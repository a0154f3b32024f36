from __future__ import annotations

import gzip
import io
import json
import random
import tarfile
import zipfile
from pathlib import Path

from pytest import MonkeyPatch

from storyline import ingest
from storyline.errors import FormatError, InputError
from storyline.ingest import archive
from storyline.model import RawDocument

OUTSIDE = "the member's path points outside the archive; it is not read"
BODY = b"The Orvane ferry board met on Tuesday and voted to keep the night crossing."


def _read(*paths: Path) -> list[RawDocument | InputError]:
    return list(ingest.read(paths))


def _summary(items: list[RawDocument | InputError]) -> list[tuple[str, str | int | None]]:
    """(source or error text, line) per item, with the temporary folder cut off."""
    out: list[tuple[str, str | int | None]] = []
    for item in items:
        if isinstance(item, RawDocument):
            out.append((Path(item.source.split("!")[0]).name + _member(item.source), item.line))
        else:
            out.append((f"{type(item).__name__}: {Path(item.path.split('!')[0]).name}"
                        f"{_member(item.path)}: {item.reason}", item.line))  # fmt: skip
    return out


def _member(source: str) -> str:
    return "!" + source.split("!", 1)[1] if "!" in source else ""


def test_gzip_text_html_and_jsonl(tmp_path: Path) -> None:
    (tmp_path / "a.txt.gz").write_bytes(gzip.compress(BODY))
    (tmp_path / "b.html.gz").write_bytes(gzip.compress(b"<p>" + BODY + b"</p>"))
    lines = [json.dumps({"text": f"Story {i} about the Orvane ferry."}) for i in range(3)]
    (tmp_path / "c.jsonl.gz").write_bytes(gzip.compress("\n".join(lines).encode()))
    (tmp_path / "d.csv.gz").write_bytes(gzip.compress(b"a,b\n"))  # not an article type: skipped
    items = _read(tmp_path)
    assert _summary(items) == [("a.txt.gz", None), ("b.html.gz", None), ("c.jsonl.gz", 1),
                               ("c.jsonl.gz", 2), ("c.jsonl.gz", 3)]  # fmt: skip
    assert [i.mime for i in items if isinstance(i, RawDocument)][:2] == ["text/plain", "text/html"]
    assert items[0].data == BODY  # type: ignore[union-attr]


def test_truncated_gzip_is_an_error_and_jsonl_keeps_the_lines_before(tmp_path: Path) -> None:
    whole = gzip.compress(BODY * 50)
    (tmp_path / "a.txt.gz").write_bytes(whole[: len(whole) // 2])
    rows = "\n".join(json.dumps({"text": f"Story {i} about the Orvane ferry crossing."}) for i in range(400))
    packed = gzip.compress(rows.encode())
    (tmp_path / "b.jsonl.gz").write_bytes(packed[: len(packed) * 3 // 4])
    items = _read(tmp_path)
    first = items[0]
    assert isinstance(first, InputError)
    assert str(first) == (
        f"{tmp_path / 'a.txt.gz'}: cannot read the gzip file: "
        "the compressed data ends early (a truncated file?)"
    )
    kept = [i for i in items[1:] if isinstance(i, RawDocument)]
    last = items[-1]
    assert isinstance(last, InputError) and last.line == len(kept) + 1
    assert last.reason.startswith(f"cannot read past line {len(kept)}: Compressed file ended")
    assert 0 < len(kept) < 400 and [d.line for d in kept] == list(range(1, len(kept) + 1))


def test_not_gzip_at_all(tmp_path: Path) -> None:
    (tmp_path / "a.txt.gz").write_bytes(BODY)
    assert _summary(_read(tmp_path)) == [
        ("InputError: a.txt.gz: cannot read the gzip file: Not a gzipped file (b'Th')", None)
    ]


def test_gzip_bomb_stops_at_the_article_limit(tmp_path: Path, monkeypatch: MonkeyPatch) -> None:
    monkeypatch.setattr(archive, "MAX_BYTES", 1000)
    (tmp_path / "bomb.txt.gz").write_bytes(gzip.compress(b"\0" * 100_000))
    assert _summary(_read(tmp_path)) == [
        (
            "InputError: bomb.txt.gz: expands to more than 50 MB, the limit per article "
            "(a compression bomb?)",
            None,
        )
    ]


def test_jsonl_gzip_bomb_stops_at_the_expansion_budget(tmp_path: Path, monkeypatch: MonkeyPatch) -> None:
    monkeypatch.setattr(archive, "MAX_BYTES", 1000)
    row = json.dumps({"text": "The Orvane ferry ran late again on Tuesday."}).encode() + b"\n"
    (tmp_path / "bomb.jsonl.gz").write_bytes(gzip.compress(row * 20_000, compresslevel=9))
    items = _read(tmp_path)
    error = items[-1]
    assert isinstance(error, InputError) and "a compression bomb?" in error.reason
    # 100 times the compressed size, in whole rows, then the error: bounded, never the 20,000 rows.
    budget = 100 * (tmp_path / "bomb.jsonl.gz").stat().st_size
    assert len(items) - 1 == budget // len(row)


def _zip(path: Path, members: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)


def test_zip_members_are_read_and_bad_paths_refused_by_name(tmp_path: Path) -> None:
    _zip(
        tmp_path / "pack.zip",
        {
            "news/a.txt": BODY,
            "../escape.txt": BODY,
            "/etc/abs.txt": BODY,
            "C:/win.txt": BODY,
            "inner.zip": b"PK",
            "photo.jpg": b"\xff\xd8",
            "news/b.html": b"<p>" + BODY + b"</p>",
        },
    )
    assert _summary(_read(tmp_path)) == [
        ("pack.zip!news/a.txt", None),
        ("FormatError: pack.zip!../escape.txt: " + OUTSIDE, None),
        ("FormatError: pack.zip!/etc/abs.txt: " + OUTSIDE, None),
        ("FormatError: pack.zip!C:/win.txt: " + OUTSIDE, None),
        ("FormatError: pack.zip!inner.zip: archives inside archives are not opened; unpack it first", None),
        ("pack.zip!news/b.html", None),
    ]


def test_zip_bomb_of_many_members_stops_at_the_budget(tmp_path: Path, monkeypatch: MonkeyPatch) -> None:
    monkeypatch.setattr(archive, "MAX_BYTES", 200_000)
    _zip(tmp_path / "bomb.zip", {f"m{i}.txt": b"a" * 190_000 for i in range(100)})
    items = _read(tmp_path)
    budget = 100 * (tmp_path / "bomb.zip").stat().st_size
    assert len(items) - 1 == budget // 190_000 + 1  # the member that crossed the budget was read
    assert _summary(items[-1:]) == [
        ("InputError: bomb.zip: expands to more than 100 times its size (a compression bomb?); "
         "the rest is not read", None)
    ]  # fmt: skip


def test_corrupt_zip_is_one_error(tmp_path: Path) -> None:
    (tmp_path / "bad.zip").write_bytes(b"PK\x03\x04 this is not a zip")
    assert _summary(_read(tmp_path)) == [
        ("InputError: bad.zip: cannot open the zip archive: File is not a zip file", None)
    ]


def _tar(path: Path, mode: str, members: list[tarfile.TarInfo | tuple[str, bytes]]) -> None:
    with tarfile.open(path, mode) as tf:
        for member in members:
            if isinstance(member, tarfile.TarInfo):
                tf.addfile(member)
            else:
                info = tarfile.TarInfo(member[0])
                info.size = len(member[1])
                tf.addfile(info, io.BytesIO(member[1]))


def test_tar_gz_members_links_and_traversal(tmp_path: Path) -> None:
    link = tarfile.TarInfo("news/link.txt")
    link.type, link.linkname = tarfile.SYMTYPE, "/etc/passwd"
    folder = tarfile.TarInfo("news")
    folder.type = tarfile.DIRTYPE
    _tar(
        tmp_path / "pack.tar.gz",
        "w:gz",
        [folder, ("news/a.txt", BODY), ("news/../../up.txt", BODY), link, ("f.jsonl", b'{"text": "x y"}\n')],
    )
    assert _summary(_read(tmp_path)) == [
        ("pack.tar.gz!news/a.txt", None),
        ("FormatError: pack.tar.gz!news/../../up.txt: " + OUTSIDE, None),
        ("FormatError: pack.tar.gz!news/link.txt: links and special files in archives are not followed",
         None),
        ("pack.tar.gz!f.jsonl", 1),
    ]  # fmt: skip


def test_truncated_tar_keeps_the_members_before(tmp_path: Path) -> None:
    rng = random.Random(7)  # varied members, so that the compressed stream grows member by member
    words = BODY.split()
    members = [(f"m{i}.txt", b" ".join(rng.choice(words) for _ in range(2000))) for i in range(6)]
    _tar(tmp_path / "whole.tar", "w", members)
    data = (tmp_path / "whole.tar").read_bytes()
    (tmp_path / "whole.tar").unlink()
    packed = gzip.compress(data)
    (tmp_path / "cut.tgz").write_bytes(packed[: len(packed) // 2])
    items = _read(tmp_path)
    assert [type(i).__name__ for i in items] == ["RawDocument"] * 2 + ["InputError"]
    assert _summary(items[-1:]) == [
        ("InputError: cut.tgz: cannot read the tar archive: unexpected end of data", None)
    ]


def test_tar_bomb_header_stops_before_the_data(tmp_path: Path, monkeypatch: MonkeyPatch) -> None:
    monkeypatch.setattr(archive, "MAX_BYTES", 1000)
    _tar(tmp_path / "bomb.tar.gz", "w:gz", [("a.txt", BODY), ("zeros.txt", b"\0" * 300_000)])
    assert _summary(_read(tmp_path)) == [
        ("bomb.tar.gz!a.txt", None),
        ("InputError: bomb.tar.gz: expands to more than 100 times its size (a compression bomb?); "
         "the rest is not read", None),
    ]  # fmt: skip


def test_reader_for_prefers_the_longest_suffix() -> None:
    assert ingest.reader_for(Path("x.TAR.GZ")) is archive.read_tar
    assert ingest.reader_for(Path("x.jsonl.gz")) is archive.read_gzip
    assert ingest.reader_for(Path("x.csv.gz")) is None
    assert ingest.reader_for(Path(".gz")) is None
    assert isinstance(FormatError("a", "b"), InputError)
