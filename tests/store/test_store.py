from __future__ import annotations

from pathlib import Path

import pytest

from storyline.errors import StoreError
from storyline.model import Annotation, Article, Cite, Heading, Mention
from storyline.store import Store


def _article(i: int) -> Article:
    return Article(
        id=f"id{i}", source=f"a{i}.txt", text=f"Body {i}.", title=f"T{i}", headings=(Heading(0, 4, 2),)
    )


def test_articles_and_annotations_round_trip(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "s.db")
    store.put_articles([("h1", "clean.v1", _article(1)), ("h2", "clean.v1", _article(2))])
    assert store.cleaned("h1", "clean.v1") == "id1"
    assert store.cleaned("h1", "clean.v2") is None
    assert [a.id for a in store.articles()] == ["id1", "id2"]
    assert store.article("id2") == _article(2)
    ann = Annotation(article="id1", sentences=((0, 7),), mentions=(Mention(0, 4, "Body", "ORG"),))
    store.put_annotations([ann], "v1")
    assert store.annotation("id1", "v1") == ann
    assert store.missing_annotations(["id1", "id2"], "v1") == ["id2"]
    store.close()


def test_the_same_article_from_two_inputs_is_stored_once(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "s.db")
    store.put_articles([("h1", "clean.v1", _article(1)), ("h9", "clean.v1", _article(1))])
    store.put_articles([("h1", "clean.v1", _article(1))])
    assert store.article_count() == 1
    assert store.cleaned("h9", "clean.v1") == "id1"


def test_reopening_keeps_everything(tmp_path: Path) -> None:
    Store.open(tmp_path / "s.db").put_articles([("h1", "clean.v1", _article(1))])
    assert Store.open(tmp_path / "s.db").article("id1") == _article(1)


def test_unopenable_store_is_a_store_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(StoreError):
        Store.open(blocker / "sub" / "s.db")


def test_cite_type_survives_json(tmp_path: Path) -> None:
    from storyline.model import Quote

    store = Store.open(tmp_path / "s.db")
    q = Quote(id="q", cite=Cite("a", 1, 2), text="x", kind="direct")
    assert q.cite == Cite("a", 1, 2)
    assert store.article("missing") is None
