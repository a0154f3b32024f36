from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from storyline.clean.decode import decode
from storyline.errors import DecodeError, EmptyInputError

TEXT = "Мэр города заявил, что порт откроется в понедельник. Переговоры продолжаются уже третью неделю."


def test_utf8_and_crlf() -> None:
    assert decode(b"Line one.\r\nLine two.", "a.txt") == "Line one.\nLine two."


def test_windows_1251_comes_out_right() -> None:
    assert decode(TEXT.encode("cp1251"), "ru.txt") == TEXT


def test_utf16_with_bom() -> None:
    assert decode(TEXT.encode("utf-16"), "ru16.txt") == TEXT


def test_empty_and_whitespace_files_are_refused() -> None:
    with pytest.raises(EmptyInputError, match="empty.txt: the file is empty"):
        decode(b"", "empty.txt")
    with pytest.raises(EmptyInputError):
        decode(b"  \n\t \n", "blank.txt")


def test_binary_is_refused_with_the_file_named() -> None:
    blob = bytes(range(256)) * 40
    with pytest.raises(DecodeError, match="blob.bin"):
        decode(blob, "blob.bin")


@given(st.text(min_size=1).filter(lambda s: s.strip()))
def test_any_utf8_text_round_trips_or_is_refused_cleanly(text: str) -> None:
    try:
        out = decode(text.encode("utf-8"), "t.txt")
    except (DecodeError, EmptyInputError):
        return
    assert out.strip()
