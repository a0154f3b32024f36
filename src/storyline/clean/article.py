"""One raw document to one `Article`: decode, extract the main text (HTML) or strip boilerplate
lines (plain text), detect the language, and give it a content-hash id.

The id is a hash of the cleaned title and text, so the same article read twice (or from two
files) is one article, and a re-run finds it in the store without doing the work again.
"""

from __future__ import annotations

import hashlib
from datetime import date

from storyline.clean import boilerplate, decode, language
from storyline.clean import html as html_clean
from storyline.errors import EmptyInputError, FormatError
from storyline.model import Article, RawDocument

CLEAN_VERSION = "clean.v5"  # v5: no standfirst, nor the only line of a text, taken for a title


def article_id(title: str | None, text: str) -> str:
    digest = hashlib.sha256(f"{title or ''}\n{text}".encode()).hexdigest()
    return digest[:16]


def to_article(raw: RawDocument) -> Article:
    """Clean one document; raises an `InputError` subclass naming the input when there is no article."""
    text = raw.data if isinstance(raw.data, str) else decode.decode(raw.data, raw.source)
    article = _from_html(raw, text) if raw.mime == "text/html" else _from_text(raw, text)
    if not article.text.strip():
        raise EmptyInputError(raw.source, "no article text left after removing boilerplate", raw.line)
    return article


def _from_html(raw: RawDocument, markup: str) -> Article:
    page = html_clean.extract(markup, url=raw.meta_value("url"))
    if page is None:
        raise FormatError(raw.source, "the HTML page has no main article text", raw.line)
    headings = tuple(page.headings)
    title = raw.meta_value("title") or page.title
    return Article(
        id=article_id(title, page.text),
        source=raw.source,
        text=page.text,
        language=language.detect(page.text, declared=page.language),
        url=raw.meta_value("url"),
        title=title,
        author=raw.meta_value("author") or page.author,
        site=raw.meta_value("site") or page.site or site_from_url(raw.meta_value("url")),
        published=_iso_day(raw.meta_value("published")) or page.published,
        headings=headings,
    )


def _from_text(raw: RawDocument, text: str) -> Article:
    """A plain-text article; what the input's metadata says wins over what the text's lines say."""
    cleaned = boilerplate.clean_text(text, title=raw.meta_value("title"))
    title = raw.meta_value("title") or cleaned.title
    return Article(
        id=article_id(title, cleaned.text),
        source=raw.source,
        text=cleaned.text,
        language=language.detect(cleaned.text),
        url=raw.meta_value("url"),
        title=title,
        author=raw.meta_value("author") or cleaned.author,
        site=raw.meta_value("site") or cleaned.site or site_from_url(raw.meta_value("url")),
        published=_iso_day(raw.meta_value("published")) or cleaned.published,
        headings=cleaned.headings,
        toc=cleaned.toc,
        removed=cleaned.removed,
    )


def _iso_day(value: str | None) -> str | None:
    """The YYYY-MM-DD day of a date or timestamp given by the input, or None when it is not one."""
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10]).isoformat()
    except ValueError:
        import dateparser

        parsed = dateparser.parse(value)
        return parsed.date().isoformat() if parsed else None


def site_from_url(url: str | None) -> str | None:
    """The host of a web address without "www." — the outlet's name when a page gives none."""
    if not url:
        return None
    from urllib.parse import urlsplit

    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.") or None
