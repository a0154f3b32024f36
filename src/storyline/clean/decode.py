"""Bytes to text: detect the encoding (charset-normalizer) and refuse what is not text.

A BOM or valid UTF-8 wins outright; otherwise charset-normalizer picks the most coherent encoding
(Windows-1251, UTF-16 and the like come out right). Binary data is refused with a reason.
"""

from __future__ import annotations

import codecs
import unicodedata

from charset_normalizer import from_bytes

from storyline.errors import DecodeError, EmptyInputError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


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
    if b"\x00" not in data:
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            pass
    best = from_bytes(data).best()
    if best is None:
        raise DecodeError(source, "the bytes are not text in any encoding we can detect (binary file?)")
    return str(best)


def _control_ratio(text: str) -> float:
    sample = text[:20000]
    bad = sum(1 for ch in sample if unicodedata.category(ch) == "Cc" and ch not in "\n\t\f\v")
    return bad / max(1, len(sample))
