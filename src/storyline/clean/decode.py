"""Bytes to text: detect the encoding (charset-normalizer) and refuse what is not text.

A BOM or valid UTF-8 wins outright; otherwise charset-normalizer picks the most coherent encoding
(Windows-1251, UTF-16 and the like come out right). A file that is mostly UTF-8 with some lines in a
legacy encoding (text pasted from an old system) is decoded line by line. Binary data is refused.
"""

from __future__ import annotations

import codecs
import unicodedata

from charset_normalizer import from_bytes

from storyline.errors import DecodeError, EmptyInputError

__all__ = ["decode"]

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# When at least this share of the non-ASCII bytes form valid UTF-8 sequences, the file is UTF-8 with
# foreign lines. Legacy single-byte text almost never forms UTF-8 by chance (Windows-1251 Cyrillic
# scores under 0.1), while a UTF-8 file with a few pasted Windows-1252 lines scores well over 0.5.
_UTF8_MAJORITY = 0.5
_FALLBACK_LEGACY = "cp1252"


def decode(data: bytes, source: str) -> str:
    """The text in `data`, normalised to NFC with Unix newlines; raises for empty or binary input."""
    if not data.strip():
        raise EmptyInputError(source, "the file is empty")
    text = _decode(data, source)
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    if not text.strip():
        raise EmptyInputError(source, "the file holds only whitespace")
    if _control_ratio(text) > 0.05:
        raise DecodeError(source, "the file looks binary, not text (many control characters)")
    return text


def _decode(data: bytes, source: str) -> str:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace")
    share = 0.0
    if b"\x00" not in data:
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            share = _utf8_share(data)
        if share >= _UTF8_MAJORITY:
            return _decode_lines(data)
    best = from_bytes(data).best()
    if best is not None:
        return str(best)
    if share > 0:
        return _decode_lines(data)
    raise DecodeError(source, "the bytes are not text in any encoding we can detect (binary file?)")


def _utf8_share(data: bytes) -> float:
    """The share of non-ASCII bytes that belong to valid UTF-8 sequences."""
    # surrogateescape turns each invalid byte into one lone surrogate, so they can be counted.
    text = data.decode("utf-8", errors="surrogateescape")
    invalid = sum(1 for ch in text if "\udc80" <= ch <= "\udcff")
    non_ascii = sum(1 for byte in data if byte >= 0x80)
    return (non_ascii - invalid) / max(1, non_ascii)


def _decode_lines(data: bytes) -> str:
    """UTF-8 lines as UTF-8; the other lines in the one legacy encoding detected over all of them."""
    lines = data.split(b"\n")
    decoded: list[str | None] = []
    foreign: list[bytes] = []
    for line in lines:
        try:
            decoded.append(line.decode("utf-8"))
        except UnicodeDecodeError:
            decoded.append(None)
            foreign.append(line)
    best = from_bytes(b"\n".join(foreign)).best()
    encoding = best.encoding if best is not None else _FALLBACK_LEGACY
    return "\n".join(
        text if text is not None else line.decode(encoding, errors="replace")
        for text, line in zip(decoded, lines, strict=True)
    )


def _control_ratio(text: str) -> float:
    sample = text[:20000]
    bad = sum(1 for ch in sample if unicodedata.category(ch) == "Cc" and ch not in "\n\t\f\v")
    return bad / max(1, len(sample))
