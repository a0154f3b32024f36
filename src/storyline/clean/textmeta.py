"""Author, publication day and site of a plain-text article, read from its byline and dateline lines.

The lines themselves are read by `byline` ("By Jane Doe | The Outlet | March 7, 2031", "Reporting
by ..."), `datelines` ("Published 5 March 2031", a wire dateline opening the text) and `author_bio`;
this module weighs what they say: a byline over a closing credit, "Published" over "Updated", an
outlet the page names over a wire agency's abbreviation.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from storyline.clean.author_bio import bio_author
from storyline.clean.byline import parse_byline
from storyline.clean.datelines import dateline_day, prose_start, wire_dateline
from storyline.clean.outlets import is_outlet_name
from storyline.model import Removed

# `prose_start` lives in `datelines`; it stays importable from here for the story and evaluate stages.
__all__ = ["TextMeta", "prose_start", "read_meta"]


@dataclass(frozen=True)
class TextMeta:
    """What a text says about itself; None where it does not say it."""

    author: str | None = None
    published: str | None = None  # YYYY-MM-DD
    site: str | None = None


def read_meta(lines_removed: Sequence[Removed], text: str) -> TextMeta:
    """The author, publication day and site that an article's removed lines and its text give."""
    read = [(r.text, parse_byline(r.text)) for r in lines_removed if r.reason == "byline"]
    bylines = sorted((b for _, b in read if b is not None), key=lambda b: b.credit)  # credits last
    outlet_lines = (line for line, b in read if b is None and is_outlet_name(line))
    wire_day, agency = wire_dateline(text)
    authors = next((b.authors for b in bylines if b.authors), ())
    return TextMeta(
        author="; ".join(authors) or bio_author(lines_removed),
        published=next((b.published for b in bylines if b.published), None)
        or dateline_day(lines_removed)
        or wire_day,
        # An agency's abbreviation is the site of a wire story only when the page names no outlet.
        site=next((b.outlet for b in bylines if b.outlet), None) or next(outlet_lines, None) or agency,
    )
