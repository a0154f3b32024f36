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


def test_utf16_without_bom_both_byte_orders() -> None:
    assert decode(TEXT.encode("utf-16-le"), "le.txt") == TEXT
    assert decode(TEXT.encode("utf-16-be"), "be.txt") == TEXT


def test_utf8_file_with_pasted_windows_1252_lines_is_decoded_line_by_line() -> None:
    utf8 = "Le café du port a rouvert, a dit la mairie.\n".encode()
    legacy = "The owner said \u201cwe are open\u201d \u2014 at last.\n".encode("cp1252")
    assert decode(utf8 + legacy + utf8, "mixed.txt") == (
        "Le café du port a rouvert, a dit la mairie.\n"
        "The owner said \u201cwe are open\u201d \u2014 at last.\n"
        "Le café du port a rouvert, a dit la mairie.\n"
    )


def test_utf8_and_windows_1251_halves() -> None:
    assert decode((TEXT + "\n").encode() + TEXT.encode("cp1251"), "halves.txt") == TEXT + "\n" + TEXT


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
