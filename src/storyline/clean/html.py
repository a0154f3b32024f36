"""Main text and metadata of an HTML page: trafilatura's extraction, checked against readability.

trafilatura (comments off) gives the text blocks and metadata. When readability-lxml finds a text
that holds nearly all of trafilatura's and is at least twice as long, trafilatura cut the article
short and readability's blocks are used. Then the title repeated at the top and short boilerplate lines
("Read more: ...", "© 2024 ...") are dropped. Paragraphs are joined by "\\n"; headings are offsets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import trafilatura
from lxml import html as lxml_html
from lxml.etree import ParserError
from trafilatura.settings import Document
from trafilatura.xml import xmltotxt

from storyline.model import Heading

__all__ = ["HtmlArticle", "extract"]

# A block is one line of the output text and its heading level (0 for body text).
Block = tuple[str, int]

# readability must hold at least this share of trafilatura's shingles, and this many times its
# words, before we believe trafilatura truncated the article (on the bench dev pages this fires on
# long magazine articles split over several containers; lower ratios trade precision for recall).
_SUPERSET_SHARE = 0.97
_SUPERSET_GROWTH = 2.0

# Only the first lines can be the page title repeated; the article body never restates it.
_TITLE_LINES = 3
_MIN_TITLE_PART = 15

# Web boilerplate that survives extraction as short lines: cross-links, sharing and subscription
# calls, comment counters and copyright notices. Only lines of at most _CUE_MAX_WORDS words are
# dropped, so a sentence of the article that happens to start with "Subscribe" stays.
_CUE_MAX_WORDS = 12
_BOILERPLATE_CUE = re.compile(
    r"^\W*(?:related(?: posts?| articles?| stories)?:|read more\b|see more\b|more:$|also on\b"
    r"|click here\b|sign up\b|subscribe\b|follow (?:us|\w+ on)\b|share (?:this|it)\b"
    r"|like this story|copyright\b|©|all rights reserved|\d* ?comments?$|you may also like"
    r"|don'?t miss$|advertisement$|thanks for signing up|tell us what you think)",
    re.IGNORECASE,
)

_BLOCK_TAGS = (
    "p", "div", "li", "ul", "ol", "blockquote", "pre", "table", "tr", "section", "article",
    "h1", "h2", "h3", "h4", "h5", "h6", "br", "dd", "dt", "figcaption",
)  # fmt: skip
_WORD = re.compile(r"\w+")
_SPACE = re.compile(r"\s+")
# libxml2's HTML parser (under lxml, trafilatura and readability) silently drops what lies deeper
# than this; such pages (generated, or hostile) are read again without their wrapper elements.
MAX_DEPTH = 255
# `[^<>]` keeps each match inside one tag: with `[^>]` a page of "<a <a <a" rescans to its end.
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)\b[^<>]*?(/?)>")
_VOID = frozenset(
    "area base br col embed hr img input link meta param source track wbr".split()
)  # fmt: skip
_WRAPPER = r"</?(?:div|section|article|main|center|table|tbody|thead|tr|td|th|dl|blockquote)\b[^<>]*>"
_BLOCK_WRAPPER = re.compile(rf"{_WRAPPER}(?:\s*{_WRAPPER})*", re.IGNORECASE)
_INLINE_WRAPPER = re.compile(
    r"</?(?:span|font|b|i|u|em|strong|small|big|mark|ins|del)\b[^<>]*>", re.IGNORECASE
)
_SCRIPT_OPEN = re.compile(r"<(script|style)\b([^<>]*)>", re.IGNORECASE)
_SCRIPT_CLOSE = {name: re.compile(rf"</{name}\s*>", re.IGNORECASE) for name in ("script", "style")}
_HTML_LANG = re.compile(r"<html\b[^>]*?\blang\s*=\s*[\"']?([A-Za-z]{2,3})\b", re.IGNORECASE)


@dataclass(frozen=True)
class HtmlArticle:
    """The main text of a page, its metadata, and where its headings sit in `text`."""

    text: str
    title: str | None = None
    author: str | None = None
    site: str | None = None
    published: str | None = None
    language: str | None = None
    headings: tuple[Heading, ...] = ()


# htmldate refuses dates after today by default; archives and test corpora can hold pages dated
# later than the machine's clock, and the publication date (not the last edit) is what we want.
_DATE_PARAMS = {"original_date": True, "extensive_search": True, "max_date": "2099-12-31"}


def extract(html: str, url: str | None = None) -> HtmlArticle | None:
    """The article in an HTML page, or None when the page holds no main text."""
    if not html.strip():
        return None
    html = _without_bulk_scripts(html)
    page = _extract(html, url)
    if page is None and nesting_depth(html) > MAX_DEPTH:
        page = _extract(_flatten(html), url)
    return page


def nesting_depth(html: str) -> int:
    """How deeply the page's elements nest, counted from its tags (void elements open nothing)."""
    depth = deepest = 0
    for match in _TAG.finditer(html):
        closing, name, self_closing = match.group(1), match.group(2).lower(), match.group(3)
        if closing:
            depth = max(0, depth - 1)
        elif name not in _VOID and not self_closing:
            depth += 1
            deepest = max(deepest, depth)
    return deepest


def _without_bulk_scripts(html: str) -> str:
    """The page without its scripts and styles, when they are most of the page.

    htmldate's and trafilatura's regular expressions scan script text too: on a page that is mostly
    script they take seconds. JSON-LD blocks stay, as they hold the page's author and dates.
    """
    pieces: list[str] = []
    pos = 0
    for opened in _SCRIPT_OPEN.finditer(html):
        if opened.start() < pos:
            continue  # an opening tag inside the code just dropped
        if "ld+json" in opened.group(2).lower():
            continue
        close = _SCRIPT_CLOSE[opened.group(1).lower()].search(html, opened.end())
        end = close.end() if close else len(html)
        pieces.append(html[pos : opened.start()])
        pos = end
    pieces.append(html[pos:])
    stripped = "".join(pieces)
    return stripped if len(stripped) < len(html) // 2 else html


def _flatten(html: str) -> str:
    """The page without its layout-only wrapper tags: blocks become line breaks, inline tags vanish.

    A run of wrapper tags becomes one break: thousands of `<br>` in a row slow the extractors down.
    """
    html = _BLOCK_WRAPPER.sub("<br>", html)
    return _INLINE_WRAPPER.sub("", html)


def _extract(html: str, url: str | None) -> HtmlArticle | None:
    doc = trafilatura.bare_extraction(
        html, url=url, include_comments=False, with_metadata=True, date_extraction_params=_DATE_PARAMS
    )
    blocks = _trafilatura_blocks(doc) if isinstance(doc, Document) else []
    fuller = _readability_blocks(html)
    if _holds_and_outgrows(fuller, blocks):
        blocks = fuller
    title = getattr(doc, "title", None) or None
    blocks = _drop_boilerplate(_drop_title(blocks, title))
    if not blocks:
        return None
    text, headings = _assemble(blocks)
    return HtmlArticle(
        text=text,
        title=title,
        author=getattr(doc, "author", None) or None,
        site=getattr(doc, "sitename", None) or None,
        published=getattr(doc, "date", None) or None,
        language=_page_language(html),
        headings=headings,
    )


def _trafilatura_blocks(doc: Document) -> list[Block]:
    """trafilatura's text lines, the lines that render a <head> element marked with its level."""
    if doc.body is None:
        return []
    heads = [
        (_normalize_space("".join(el.itertext())), _head_level(el.get("rend")))
        for el in doc.body.iter("head")
    ]
    lines = xmltotxt(doc.body, False).split("\n")
    return _mark_headings(lines, heads)


def _head_level(rend: str | None) -> int:
    """The level of a trafilatura <head rend="h3">; unmarked heads count as level 2."""
    return int(rend[1]) if rend and re.fullmatch(r"h[1-6]", rend) else 2


def _readability_blocks(html: str) -> list[Block]:
    """readability-lxml's article as lines, or [] when it is not installed or fails on the page."""
    try:
        from readability import Document as ReadabilityDocument
    except ImportError:
        # Optional: without it only the truncation check is skipped.
        return []
    try:
        summary = lxml_html.fromstring(ReadabilityDocument(html).summary(html_partial=True))
        heads = [
            (_normalize_space(el.text_content()), int(el.tag[1]))
            for el in summary.iter("h1", "h2", "h3", "h4", "h5", "h6")
        ]
        # lxml's text_content() runs blocks together; a newline around each block keeps paragraphs.
        for el in summary.iter(*_BLOCK_TAGS):
            el.text = "\n" + (el.text or "")
            el.tail = "\n" + (el.tail or "")
    except (ParserError, ValueError, TypeError):
        # Control characters lxml refuses, or an empty document: readability has nothing to offer.
        return []
    return _mark_headings(summary.text_content().split("\n"), heads)


def _mark_headings(lines: list[str], heads: list[tuple[str, int]]) -> list[Block]:
    """Non-blank lines, each given the level of the next unmatched heading it equals (else 0)."""
    blocks: list[Block] = []
    pending = [h for h in heads if h[0]]
    for raw in lines:
        line = _normalize_space(raw)
        if not line:
            continue
        level = 0
        if pending and line == pending[0][0]:
            level = pending.pop(0)[1]
        blocks.append((line, level))
    return blocks


def _holds_and_outgrows(fuller: list[Block], blocks: list[Block]) -> bool:
    """Whether `fuller` contains nearly all of `blocks` and is much longer."""
    if not fuller:
        return False
    own = _WORD.findall(" ".join(t for t, _ in blocks))
    other = _WORD.findall(" ".join(t for t, _ in fuller))
    if len(other) < _SUPERSET_GROWTH * max(1, len(own)):
        return False
    # Word 4-grams, so that shared function words alone do not make a text look contained.
    own_grams = [tuple(own[i : i + 4]) for i in range(max(1, len(own) - 3))]
    other_grams = {tuple(other[i : i + 4]) for i in range(max(1, len(other) - 3))}
    held = sum(1 for g in own_grams if g in other_grams)
    return held >= _SUPERSET_SHARE * len(own_grams)


def _drop_title(blocks: list[Block], title: str | None) -> list[Block]:
    """The blocks without the page title (or a part of it, like the headline) among the first lines."""
    if not title:
        return blocks
    key = _normalize_space(title).casefold()

    def is_title(line: str) -> bool:
        folded = line.casefold()
        return folded == key or (len(folded) > _MIN_TITLE_PART and folded in key)

    head = [b for b in blocks[:_TITLE_LINES] if not is_title(b[0])]
    return head + blocks[_TITLE_LINES:]


def _drop_boilerplate(blocks: list[Block]) -> list[Block]:
    """The blocks without short lines that open with a boilerplate cue."""
    return [
        (text, level)
        for text, level in blocks
        if not (len(_WORD.findall(text)) <= _CUE_MAX_WORDS and _BOILERPLATE_CUE.search(text))
    ]


def _assemble(blocks: list[Block]) -> tuple[str, tuple[Heading, ...]]:
    """The text (blocks joined by newlines) and the heading spans in it."""
    parts: list[str] = []
    headings: list[Heading] = []
    offset = 0
    for text, level in blocks:
        if level:
            headings.append(Heading(start=offset, end=offset + len(text), level=level))
        parts.append(text)
        offset += len(text) + 1
    return "\n".join(parts), tuple(headings)


def _normalize_space(text: str) -> str:
    """Runs of Unicode whitespace (NBSP included) as one space, ends stripped."""
    return _SPACE.sub(" ", text).strip()


def _page_language(html: str) -> str | None:
    """The two- or three-letter code of the page's `<html lang>` attribute, if it has one."""
    match = _HTML_LANG.search(html[:5000])
    return match.group(1).lower() if match else None
