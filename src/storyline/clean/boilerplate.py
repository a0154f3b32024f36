"""Line-level cleaning of plain-text articles: boilerplate lines out; title, headings and TOC found.

Each line is first matched against small pattern families (`boilerplate_lines`: navigation,
teasers, share and subscribe widgets, ads, legal notices, photo credits, bylines, datelines,
comment widgets), then judged by its neighbours here: the headline after "Next article", an
outlet's name beside the byline, a wire's sign-off on the last line; `toc` finds tables of contents
and `author_bio` the paragraph about the writer. A line with a quotation mark is never removed as
boilerplate: it carries someone's words. `title` decides whether the first line is the headline,
`headings` which lines open sections, and `textmeta` reads the author, day and site from the
byline and dateline lines.

The cleaned text keeps every kept line whole (stripped of surrounding whitespace, no character
changed) and joins lines with "\\n"; where the input had one or more blank lines between two kept
lines it has exactly one ("\\n\\n"). Offsets in `headings` and `toc` index this text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from storyline.annotate.nlp import hard_wrapped
from storyline.clean import datelines, textmeta
from storyline.clean.author_bio import mark_author_bio
from storyline.clean.boilerplate_lines import (
    is_list_header,
    is_nav_link,
    is_weak_share,
    line_key,
    line_reason,
)
from storyline.clean.byline import parse_byline
from storyline.clean.headings import find_headings
from storyline.clean.lineshape import (
    ends_open,
    has_quote,
    is_list_item,
    is_prose,
    is_sentence_like,
    last_char,
    strip_list_mark,
    words,
)
from storyline.clean.outlets import is_outlet_name, is_signoff
from storyline.clean.title import title_line
from storyline.clean.toc import find_tocs, toc_entries
from storyline.clean.wrapping import continues_sentence
from storyline.model import Heading, Removed, TocEntry

__all__ = ["REASONS", "CleanText", "clean_text"]

# Why a line was removed. `byline` and `dateline` lines keep their text in `removed`: `textmeta`
# reads the author, day and site from them.
REASONS = (
    "navigation",  # prev/next links and their headlines, menus, breadcrumbs, "back to top"
    "teaser",  # "read more", related-story lists, summary and listen buttons
    "share",  # share, follow, subscribe, newsletter and app promotions
    "advertisement",  # ad labels, sponsored content, "story continues below"
    "legal",  # copyright lines, cookie notices, syndication notes, footer links
    "caption",  # photo captions and credits
    "byline",  # "By Jane Doe", "Jane Doe, Staff Writer", "Reporting by ...", the outlet's name line
    "dateline",  # "Published 5 March 2031", "4 min read", "CITY, 5 March 2031" alone on a line
    "comments",  # comment widgets: "Comments", "Leave a reply"
    "author_bio",  # the paragraph about the writer that closes the article
    "toc",  # a table of contents (its entries are kept in `CleanText.toc`)
    "signoff",  # a last line that only names the wire or outlet ("Reuter") or ends the copy ("-30-")
)


@dataclass(frozen=True)
class CleanText:
    """An article body with its title, headings, TOC, removed lines (offsets index `text`) and the
    author, day (YYYY-MM-DD) and site its byline and dateline lines give."""

    text: str
    title: str | None = None
    headings: tuple[Heading, ...] = ()
    toc: tuple[TocEntry, ...] = ()
    removed: tuple[Removed, ...] = ()
    author: str | None = None
    published: str | None = None
    site: str | None = None


def clean_text(text: str, title: str | None = None) -> CleanText:
    """Split `text` into kept lines and removed boilerplate; find its title, headings and TOC.

    `title` is the one the input gives, if any: then only a first line that repeats it is taken
    for the title (a first line that does not is the text's own, and stays in it).
    """
    lines = [line.strip() for line in re.split(r"\r\n|\r|\n", text)]
    reasons = _classify_lines(lines)
    tocs = find_tocs(lines, skip=reasons.keys())
    for block in tocs:
        reasons.update(dict.fromkeys(block.lines, "toc"))
    _mark_signoff(lines, reasons)
    mark_author_bio(lines, reasons)
    kept = [i for i, line in enumerate(lines) if line and i not in reasons]
    # The annotate stage's test of wrapped text (its sentence starts depend on it), so both stages
    # read a line break the same way; it is judged on the text as cleaned, which it was tuned on.
    wrapped = hard_wrapped(_assemble(lines, kept)[0])
    head = title_line(lines, kept, reasons, title, wrapped)
    body = kept[1:] if head is not None else kept
    forced = {t for block in tocs for t in block.targets if t is not None} & set(body)
    levels = find_headings(lines, body, forced, wrapped)
    cleaned, offsets = _assemble(lines, body)
    removed = tuple(Removed(lines[i], reasons[i], i + 1) for i in sorted(reasons))
    meta = textmeta.read_meta(removed, cleaned)
    return CleanText(
        text=cleaned,
        title=lines[head] if head is not None else None,
        headings=tuple(
            Heading(offsets[i], offsets[i] + len(lines[i]), level) for i, level in sorted(levels.items())
        ),
        toc=toc_entries(tocs, body, offsets, len(cleaned)),
        removed=removed,
        author=meta.author,
        published=meta.published,
        site=meta.site,
    )


def _assemble(lines: Sequence[str], body: Sequence[int]) -> tuple[str, dict[int, int]]:
    parts: list[str] = []
    offsets: dict[int, int] = {}
    pos = 0
    for n, i in enumerate(body):
        if n:
            gap = lines[body[n - 1] + 1 : i]
            sep = "\n\n" if any(not line for line in gap) else "\n"
            parts.append(sep)
            pos += len(sep)
        offsets[i] = pos
        parts.append(lines[i])
        pos += len(lines[i])
    return "".join(parts), offsets


def _classify_lines(lines: Sequence[str]) -> dict[int, str]:
    reasons: dict[int, str] = {}
    free: list[int] = []
    for i, line in enumerate(lines):
        # In text wrapped at a fixed width a short line can be the tail of a sentence ("shares."),
        # but not of a boilerplate line (a byline does not go on into "No time to read?"), and an
        # unfinished line of a date with its year under the headline is its dateline ("on May 2, 2031").
        if line and (i - 1 in reasons or not continues_sentence(lines, i) or _is_dated(line)):
            free.append(i)
            if (reason := line_reason(line)) is not None:
                reasons[i] = reason
    _mark_link_followers(lines, reasons)
    _mark_share_runs(lines, reasons)
    _mark_outlet_names(lines, reasons)
    prose = [i for i, line in enumerate(lines) if i not in reasons and is_prose(line)]
    for i in free:
        # A bare date is metadata only above or below the article; inside it may be a section heading.
        outside = not prose or i < prose[0] or i > prose[-1]
        if outside and i not in reasons and not has_quote(lines[i]) and datelines.is_dateline(lines[i]):
            reasons[i] = "dateline"
    return reasons


def _is_dated(line: str) -> bool:
    return last_char(line) not in ".!?…" and datelines.is_dateline(line) and bool(datelines.find_day(line))


def _next_line(lines: Sequence[str], i: int) -> int | None:
    return next((j for j in range(i + 1, len(lines)) if lines[j]), None)


def _mark_outlet_names(lines: Sequence[str], reasons: dict[int, str]) -> None:
    """The outlet's name on a line of its own beside a byline or dateline, above the story.

    The first line is left alone: there it is the headline's place.
    """
    filled = [i for i, line in enumerate(lines) if line]
    for previous, i, after in zip(filled, filled[1:], [*filled[2:], -1], strict=False):
        if i not in reasons and is_prose(lines[i]):
            return
        beside = {reasons.get(previous), reasons.get(after)}
        if i not in reasons and beside & {"byline", "dateline"} and is_outlet_name(lines[i]):
            reasons[i] = "byline"


def _mark_signoff(lines: Sequence[str], reasons: dict[int, str]) -> None:
    """The last line when it only signs the copy off (see `outlets.is_signoff`) and the line above
    does not leave a sentence open ("... told" / "Reuters" is the end of a sentence)."""
    filled = [i for i, line in enumerate(lines) if line and i not in reasons]
    if len(filled) < 2:
        return
    last = filled[-1]
    above = next(i for i in range(last - 1, -1, -1) if lines[i])
    outlets = _outlets(lines, reasons)
    if is_signoff(lines[last], outlets) and not ends_open(lines[above]):
        reasons[last] = "signoff"


def _outlets(lines: Sequence[str], reasons: dict[int, str]) -> frozenset[str]:
    """The outlets the byline lines name, and the outlet name lines beside them."""
    names: set[str] = set()
    for i in (i for i, reason in reasons.items() if reason == "byline"):
        byline = parse_byline(lines[i])
        if byline is None:
            names.add(lines[i])  # an outlet's name on a line of its own (`_mark_outlet_names`)
        elif byline.outlet:
            names.add(byline.outlet)
    return frozenset(names)


def _is_link(line: str) -> bool:
    text = strip_list_mark(line)
    n = len(words(text))
    return 1 <= n <= 25 and not has_quote(line) and last_char(text) not in ".;," and not is_prose(text)


def _mark_link_followers(lines: Sequence[str], reasons: dict[int, str]) -> None:
    """The headline after a "Next article" line, and the headlines listed under "Related stories"."""
    for i, line in enumerate(lines):
        if i not in reasons or not line:
            continue
        key = line_key(line)
        if is_nav_link(key):
            j = _next_line(lines, i)
            if j is not None and j not in reasons and _is_link(lines[j]):
                reasons[j] = "navigation"
        elif is_list_header(key):
            j = _next_line(lines, i)
            for _ in range(12):
                if j is None or j in reasons or not _is_link(lines[j]):
                    break
                after = _next_line(lines, j)
                # An unmarked short line opening prose is the article's next section heading.
                if not is_list_item(lines[j]) and after is not None and is_sentence_like(lines[after]):
                    break
                reasons[j] = "teaser"
                j = after


def _mark_share_runs(lines: Sequence[str], reasons: dict[int, str]) -> None:
    """A network name alone ("Facebook") is a share button only beside other share buttons."""
    run: list[int] = []
    for i, line in enumerate([*lines, "."]):
        if not line:
            continue
        weak = i < len(lines) and i not in reasons and is_weak_share(line_key(line))
        if weak or reasons.get(i) == "share":
            run.append(i)
            continue
        weak_lines = [j for j in run if j not in reasons]
        if len(weak_lines) >= 2 or (weak_lines and len(run) > len(weak_lines)):
            reasons.update(dict.fromkeys(weak_lines, "share"))
        run = []
