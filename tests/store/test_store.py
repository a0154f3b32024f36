"""The Store interface, run against a SQLite file and a PostgreSQL database alike (see conftest)."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyline.errors import StoreError
from storyline.model import Annotation, Article, Heading, Mention
from storyline.store import Store


def _article(i: int, text: str | None = None) -> Article:
    return Article(
        id=f"id{i}",
        source=f"a{i}.txt",
        text=text or f"Body {i}.",
        title=f"T{i}",
        headings=(Heading(0, 4, 2),),
    )


def test_articles_and_annotations_round_trip(store_url: str) -> None:
    store = Store.open(store_url)
    store.put_articles([("h1", "clean.v1", _article(1)), ("h2", "clean.v1", _article(2))])
    assert store.cleaned("h1", "clean.v1") == "id1"
    assert store.cleaned("h1", "clean.v2") is None
    assert [a.id for a in store.articles()] == ["id1", "id2"]
    assert [a.id for a in store.articles(["id2"])] == ["id2"]
    assert store.article("id2") == _article(2)
    assert store.article("missing") is None
    ann = Annotation(article="id1", sentences=((0, 7),), mentions=(Mention(0, 4, "Body", "ORG"),))
    store.put_annotations([ann], "v1")
    assert store.annotation("id1", "v1") == ann
    assert store.annotation("id1", "v2") is None
    assert store.missing_annotations(["id1", "id2"], "v1") == ["id2"]
    store.close()


def test_text_outside_ascii_and_long_bodies_survive(store_url: str) -> None:
    text = "Zoë Ångström met the délégation in Łódź — “quoted” words.\n" * 400
    store = Store.open(store_url)
    store.put_articles([("h1", "clean.v1", _article(1, text))])
    assert store.article("id1") == _article(1, text)
    store.close()


def test_the_same_article_from_two_inputs_is_stored_once(store_url: str) -> None:
    store = Store.open(store_url)
    store.put_articles([("h1", "clean.v1", _article(1)), ("h9", "clean.v1", _article(1))])
    store.put_articles([("h1", "clean.v1", _article(1))])
    assert store.article_count() == 1
    assert store.cleaned("h9", "clean.v1") == "id1"
    store.close()


def test_two_writers_storing_the_same_work_do_not_clash(store_url: str) -> None:
    # Two runs sharing a server may both clean and annotate one article before either commits.
    first, second = Store.open(store_url), Store.open(store_url)
    ann = Annotation(article="id1", sentences=((0, 7),))
    for store in (first, second):
        store.put_articles([("h1", "clean.v1", _article(1))])
        store.put_annotations([ann, ann], "v1")
    assert second.article_count() == 1
    assert first.annotation("id1", "v1") == ann
    first.close()
    second.close()


def test_insertion_order_is_kept_across_batches(store_url: str) -> None:
    store = Store.open(store_url)
    store.put_articles([("h3", "c", _article(3)), ("h1", "c", _article(1))])
    store.put_articles([("h2", "c", _article(2)), ("h1", "c", _article(1))])
    assert [a.id for a in store.articles()] == ["id3", "id1", "id2"]
    store.close()


def test_reopening_keeps_everything(store_url: str) -> None:
    store = Store.open(store_url)
    store.put_articles([("h1", "clean.v1", _article(1))])
    store.close()
    again = Store.open(store_url)
    assert again.article("id1") == _article(1)
    again.close()


def test_a_path_whose_folder_cannot_be_made_is_a_store_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(StoreError, match="cannot create the folder for the database"):
        Store.open(blocker / "sub" / "s.db")


def test_a_file_that_is_not_a_database_is_a_store_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(b"these are notes, not a database" * 200)
    with pytest.raises(StoreError) as caught:
        Store.open(path)
    assert str(caught.value).startswith(f"cannot open the store {path}: the file is not a storyline store")


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("nosuchdb://host/x", "cannot use the database URL nosuchdb://host/x: Can't load plugin"),
        (
            "postgresql+psycopg2://ann:pw123@host/x",
            "cannot use the database URL postgresql+psycopg2://ann:***@host/x: its driver is not installed",
        ),
        ("postgresql://ann:pw123@host:eighty/x", "postgresql://ann:***@host:eighty/x is not a database URL"),
    ],
)
def test_a_database_url_that_cannot_be_used_is_a_store_error_without_its_password(
    url: str, message: str
) -> None:
    with pytest.raises(StoreError) as caught:
        Store.open(url)
    assert str(caught.value).startswith(message)
    assert "pw123" not in str(caught.value)


def test_articles_a_newer_cleaner_replaced_are_not_the_stores_articles(store_url: str) -> None:
    """An input cleaned again under a newer version may give another article; the whole store's
    briefing then lists only that one, while articles of inputs not cleaned again stay."""
    store = Store.open(store_url)
    store.put_articles([("h1", "clean.v1", _article(1)), ("h2", "clean.v1", _article(2))])
    store.put_articles([("h3", "clean.v1", _article(3)), ("h3b", "clean.v1", _article(3))])
    # h1 cleans to another text now; h2 to the same article; h3 again elsewhere, h3b not re-run.
    store.put_articles([("h1", "clean.v2", _article(4)), ("h2", "clean.v2", _article(2))])
    store.put_articles([("h3", "clean.v2", _article(5))])
    assert store.article_ids() == ["id1", "id2", "id3", "id4", "id5"]
    assert store.article_ids("clean.v2") == ["id2", "id3", "id4", "id5"]
    # Read as of the older version, the newer cleaning's articles are the replaced ones.
    assert store.article_ids("clean.v1") == ["id1", "id2", "id3"]
    store.close()


def test_prune_deletes_replaced_articles_and_other_versions_annotations(store_url: str) -> None:
    store = Store.open(store_url)
    store.put_articles([("h1", "clean.v1", _article(1)), ("h2", "clean.v1", _article(2))])
    store.put_articles([("h3", "clean.v1", _article(3)), ("h3b", "clean.v1", _article(3))])
    store.put_articles([("h1", "clean.v2", _article(4)), ("h2", "clean.v2", _article(2))])
    store.put_articles([("h3", "clean.v2", _article(5))])
    for version in ("nlp.v1", "nlp.v2"):
        store.put_annotations([Annotation(article=f"id{i}") for i in range(1, 6)], version)

    counted = store.prune("clean.v2", "nlp.v2", dry_run=True)
    # id1 alone is replaced: id3 still comes from h3b, never cleaned again. Input records: h1 and h2
    # under clean.v1 (cleaned again), h3's too; annotations: five of nlp.v1, and id1's of nlp.v2.
    assert (counted.articles, counted.documents, counted.annotations) == (1, 3, 6)
    assert store.article_ids() == ["id1", "id2", "id3", "id4", "id5"]

    done = store.prune("clean.v2", "nlp.v2")
    assert (done.articles, done.documents, done.annotations) == (1, 3, 6)
    assert store.article_ids() == ["id2", "id3", "id4", "id5"] == store.article_ids("clean.v2")
    assert store.missing_annotations(["id2", "id3", "id4", "id5"], "nlp.v2") == []
    assert store.missing_annotations(["id2"], "nlp.v1") == ["id2"]
    assert store.cleaned("h3b", "clean.v1") == "id3" and store.cleaned("h1", "clean.v2") == "id4"
    assert store.cleaned("h1", "clean.v1") is None
    again = store.prune("clean.v2", "nlp.v2")
    assert (again.articles, again.documents, again.annotations) == (0, 0, 0)
    if "://" not in store_url:  # a SQLite file, compacted
        assert done.size_before is not None and done.size_after is not None
        assert done.size_after <= done.size_before
    else:
        assert done.size_before is None
    store.close()
