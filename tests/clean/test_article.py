from __future__ import annotations

import pytest

from storyline.clean.article import to_article
from storyline.clean.html import nesting_depth
from storyline.errors import FormatError
from storyline.model import RawDocument

PARA = (
    "<p>The harbour board of Velmora met on Tuesday and agreed to reopen the northern quay "
    "after three weeks of repairs to the sea wall.</p>"
)
TEXT = (
    "The harbour board of Velmora met on Tuesday and agreed to reopen the northern quay "
    "after three weeks of repairs to the sea wall."
)


def _html(markup: str) -> RawDocument:
    return RawDocument(source="page.html", data=markup, mime="text/html")


def test_nesting_deeper_than_the_parser_reads_is_flattened() -> None:
    markup = "<html><body>" + "<div><span>" * 300 + PARA * 3 + "</span></div>" * 300 + "</body></html>"
    assert nesting_depth(markup) == 603  # html, body, 600 wrappers, p
    article = to_article(_html(markup))
    assert article.text == "\n".join([TEXT] * 3)


def test_unclosed_tags_to_any_depth() -> None:
    article = to_article(_html("<html><body>" + "<div><b><i>" * 5000 + PARA * 3))
    assert article.text == "\n".join([TEXT] * 3)


def test_page_that_is_mostly_script_keeps_its_text() -> None:
    script = "<script>var slot = {id: 1, size: [300, 250]};</script>" * 20_000
    article = to_article(_html(f"<html><head>{script}</head><body>{PARA * 2}{script}</body></html>"))
    assert article.text == f"{TEXT}\n{TEXT}"


def test_page_that_is_only_script_names_the_page() -> None:
    with pytest.raises(FormatError, match="page.html: the HTML page has no main article text"):
        to_article(_html("<html><body><script>" + "render();" * 5000 + "</script></body></html>"))


def test_language_is_detected_and_kept() -> None:
    russian = "Мэр Вельморы заявил в понедельник, что порт откроется после окончания переговоров."
    article = to_article(RawDocument(source="ru.txt", data=russian.encode("cp1251"), mime="text/plain"))
    assert (article.language, article.text) == ("ru", russian)


def test_short_page_takes_the_language_the_page_declares() -> None:
    article = to_article(
        _html('<html lang="pt-BR"><body><article><p>Porto reabre.</p></article></body></html>')
    )
    assert (article.text, article.language) == ("Porto reabre.", "pt")
