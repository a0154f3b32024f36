"""Property tests over the cleaning, quote and date code: no crash, offsets inside the text, and every
span reproduces the words it claims to hold."""

from __future__ import annotations

import re
import unicodedata

from fuzz import budget, html_page, news_text
from hypothesis import example, given
from hypothesis import strategies as st

from storyline import annotate
from storyline.annotate import dates, quotes
from storyline.annotate.quotemarks import quote_spans
from storyline.clean import html as html_clean
from storyline.clean.article import article_id, to_article
from storyline.clean.decode import decode
from storyline.errors import DecodeError, EmptyInputError, FormatError, InputError
from storyline.model import Annotation, Article, RawDocument

_VALUE = {"day": r"\d{4}-\d{2}-\d{2}", "month": r"\d{4}-\d{2}", "year": r"\d{4}"}


@budget(300)
@given(st.binary(max_size=2000))
def test_decode_any_bytes_gives_text_or_a_named_error(data: bytes) -> None:
    try:
        text = decode(data, "in.txt")
    except (DecodeError, EmptyInputError) as exc:
        assert exc.path == "in.txt"
        return
    assert text.strip() and "\r" not in text
    assert text == unicodedata.normalize("NFC", text)


@budget(200)
@given(news_text(), st.sampled_from(("utf-8", "utf-8-sig", "utf-16", "utf-32")))
def test_decode_gives_back_text_in_a_unicode_encoding(text: str, encoding: str) -> None:
    expected = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    if encoding == "utf-8":
        expected = expected.removeprefix("\ufeff")  # read as a byte-order mark, as editors do
    try:
        assert decode(text.encode(encoding), "in.txt") == expected
    except EmptyInputError:
        assert not expected.strip()
    except DecodeError:
        # Refused as binary only when the text really is mostly control characters.
        controls = sum(1 for ch in expected if unicodedata.category(ch) == "Cc" and ch not in "\n\t\f\v")
        assert controls / len(expected[:20000]) > 0.05


@budget(150)
@given(st.one_of(news_text(), st.text()))
def test_plain_text_article_offsets(text: str) -> None:
    article = _article_or_error(RawDocument(source="in.txt", data=text, mime="text/plain"))
    if article is None:
        return
    _assert_article(article)
    input_lines = {line.strip() for line in re.split(r"\r\n|\r|\n", text)}
    assert set(article.text.split("\n")) <= input_lines  # cleaning drops lines, never rewrites them
    for removed in article.removed:
        assert removed.text in input_lines


@budget(60)
@given(html_page())
def test_html_article_offsets(markup: str) -> None:
    article = _article_or_error(RawDocument(source="in.html", data=markup, mime="text/html"))
    if article is not None:
        _assert_article(article)
        assert all(line and line == line.strip() for line in article.text.split("\n"))


@budget(60)
@given(html_page())
@example("<div>\n</div>")  # found by a newer Hypothesis: white space between block wrappers
def test_flattening_keeps_the_text_of_any_page(markup: str) -> None:
    flat = html_clean._flatten(markup)
    assert not html_clean._BLOCK_WRAPPER.search(flat) and not html_clean._INLINE_WRAPPER.search(flat)

    # The text stays as it was, but for white space alone between two tags ("<div>\n</div>"):
    # layout a browser collapses too, and a run of block wrappers becomes one break.
    def text_of(page: str) -> str:
        return re.sub(r"<[^<>]*>", "", re.sub(r">\s+<", "><", page))

    assert text_of(flat) == text_of(markup)


@budget(400)
@given(st.one_of(news_text(), st.text()))
def test_quote_spans_lie_inside_their_marks_and_paragraph(text: str) -> None:
    for span in quote_spans(text):
        assert 0 <= span.open < span.start <= span.end <= span.close <= len(text)
        assert "\n" not in text[span.open : span.close]
        assert text[span.start : span.end] == text[span.start : span.end].strip()


@budget(60)
@given(news_text())
def test_attributions_reproduce_their_words(nlp, text: str) -> None:  # type: ignore[no-untyped-def]
    doc = nlp(text)
    for attr in quotes.extract(doc):
        assert 0 <= attr.start < attr.end <= len(text)
        assert attr.kind in {"direct", "partial", "indirect"}
        if attr.cue is not None:
            assert attr.cue_start is not None and attr.cue_end is not None
            assert text[attr.cue_start : attr.cue_end] == attr.cue
        if attr.speaker_start is not None:
            assert attr.speaker_end is not None and 0 <= attr.speaker_start < attr.speaker_end <= len(text)


@budget(60)
@given(news_text(), st.one_of(st.none(), st.dates().map(lambda d: d.isoformat())))
def test_dates_reproduce_their_expression(nlp, text: str, published: str | None) -> None:  # type: ignore[no-untyped-def]
    for found in dates.extract(nlp(text), published):
        assert text[found.start : found.end] == found.expression
        assert found.sentence_start <= found.start < found.end <= found.sentence_end <= len(text)
        assert found.precision in {"day", "month", "year", "unresolved"}
        if found.value is None:
            assert found.precision == "unresolved"
        else:
            assert re.fullmatch(_VALUE[found.precision], found.value)


@budget(40)
@given(news_text(max_tokens=150), st.sampled_from(("en", "und", "fr")))
def test_whole_annotation_stays_inside_the_text(nlp, text: str, language: str) -> None:  # type: ignore[no-untyped-def]
    article = Article(id="a1", source="in.txt", text=text, language=language)
    (ann,) = annotate.annotate([article], nlp)
    _assert_annotation(ann, text)
    if language == "fr":
        assert ann == Annotation(article="a1", sentences=ann.sentences)  # sentences only


def _article_or_error(raw: RawDocument) -> Article | None:
    try:
        return to_article(raw)
    except (EmptyInputError, FormatError) as exc:
        assert isinstance(exc, InputError) and exc.path == raw.source
        return None


def _assert_article(article: Article) -> None:
    text = article.text
    assert text.strip() and article.id == article_id(article.title, text)
    for heading in article.headings:
        assert 0 <= heading.start < heading.end <= len(text)
        assert "\n" not in text[heading.start : heading.end]
    for entry in article.toc:
        assert 0 <= entry.start <= len(text)


def _assert_annotation(ann: Annotation, text: str) -> None:
    for start, end in ann.sentences:
        assert 0 <= start < end <= len(text) and text[start:end] == text[start:end].strip()
    for mention in ann.mentions:
        assert text[mention.start : mention.end] == mention.text
    for role in ann.roles:
        assert 0 <= role.start < role.end <= len(text)
        assert 0 <= role.person_start < role.person_end <= len(text)
    for attr in ann.attributions:
        assert 0 <= attr.start < attr.end <= len(text)
    for found in ann.dates:
        assert text[found.start : found.end] == found.expression
    for event in ann.events:
        assert 0 <= event.sentence_start <= event.trigger_start < event.trigger_end <= event.sentence_end
