"""A full disk, a read-only database and a lost server: one clear StoreError, and no damaged store."""

from __future__ import annotations

import base64
import random
from pathlib import Path

import pytest
from pgserver import PostgresServer
from sqlalchemy import event, text

from storyline.errors import StoreError
from storyline.model import Article
from storyline.store import Store


def _article(i: int, words: int = 3) -> Article:
    return Article(id=f"id{i}", source=f"a{i}.txt", text=" ".join(["word"] * words))


def _read_only(store_url: str) -> str:
    if "://" in store_url:  # PostgreSQL: every transaction of this connection is read-only
        return store_url + "?options=-c%20default_transaction_read_only%3Don"
    # SQLite's own read-only open (file permissions would not stop root, who may run the tests).
    return f"sqlite:///file:{store_url}?mode=ro&uri=true"


def test_a_full_disk_rolls_the_batch_back_and_leaves_a_sound_store(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    store = Store.open(path)
    store.put_articles([("h1", "c", _article(1))])
    with store.engine.connect() as conn:
        pages = conn.execute(text("PRAGMA page_count")).scalar_one()
    # SQLite's page cap gives the same SQLITE_FULL as a disk with no room left.
    event.listen(store.engine, "connect", lambda dbapi, _: dbapi.execute(f"PRAGMA max_page_count={pages}"))
    store.engine.dispose()
    batch = [(f"h{i}", "c", _article(i, words=3000)) for i in range(2, 12)]
    with pytest.raises(StoreError) as caught:
        store.put_articles(batch)
    assert str(caught.value) == (
        f"cannot write to the store {path}: the disk is full; free some space and run again "
        "(the unfinished write was rolled back) (database or disk is full)"
    )
    store.close()
    again = Store.open(path)
    with again.engine.connect() as conn:
        assert conn.execute(text("PRAGMA integrity_check")).scalar_one() == "ok"
    assert [a.id for a in again.articles()] == ["id1"]  # nothing of the failed batch
    again.put_articles(batch)  # with room again, the same batch goes in
    assert again.article_count() == 11
    again.close()


def test_a_disk_that_fills_up_fails_the_batch_cleanly(full_disk_url: str) -> None:
    store = Store.open(full_disk_url)
    store.put_articles([("h1", "c", _article(1))])
    noise = random.Random(7)  # text that does not compress, so the disk really fills
    texts = [base64.b64encode(noise.randbytes(10**6)).decode() for _ in range(10)]
    batch = [(f"h{i}", "c", Article(id=f"id{i}", source="big.txt", text=t)) for i, t in enumerate(texts, 2)]
    with pytest.raises(StoreError) as caught:
        store.put_articles(batch)
    assert str(caught.value).startswith(
        f"cannot write to the store {store.database}: the disk is full; free some space and run again"
    )
    assert [a.id for a in store.articles()] == ["id1"]  # nothing of the failed batch, the rest readable
    store.close()


def test_a_read_only_store_can_be_read_and_a_write_says_why_it_failed(store_url: str) -> None:
    writable = Store.open(store_url)
    writable.put_articles([("h1", "c", _article(1))])
    writable.close()
    store = Store.open(_read_only(store_url))
    assert [a.id for a in store.articles()] == ["id1"]
    with pytest.raises(StoreError) as caught:
        store.put_articles([("h2", "c", _article(2))])
    named = store_url if "://" in store_url else f"file:{store_url}"  # the password-less URL, or the file
    assert str(caught.value).startswith(f"cannot write to the store {named}: the database is read-only;")
    store.close()
    assert Store.open(store_url).article_count() == 1


def test_an_empty_read_only_database_cannot_be_made_into_a_store(store_url: str) -> None:
    if "://" not in store_url:
        Store.open(store_url).close()  # SQLite cannot open a missing file read-only at all
        Path(store_url).unlink()
        Path(store_url).write_bytes(b"")
    with pytest.raises(StoreError, match=r"^cannot open the store .*: the database is read-only;"):
        Store.open(_read_only(store_url))


def test_a_restarted_server_is_reconnected_to_without_an_error(
    postgres: PostgresServer, postgres_url: str
) -> None:
    store = Store.open(postgres_url)
    store.put_articles([("h1", "c", _article(1))])
    postgres.stop()
    postgres.start()
    # The pooled connection died with the old server; the pre-ping replaces it unseen.
    assert store.article_count() == 1
    store.put_articles([("h2", "c", _article(2))])
    assert store.article_count() == 2
    store.close()


def test_requests_while_the_server_is_down_fail_cleanly_and_recover(
    postgres: PostgresServer, postgres_url: str
) -> None:
    store = Store.open(postgres_url)
    store.put_articles([("h1", "c", _article(1))])
    postgres.stop()
    try:
        for request in (store.article_count, lambda: store.put_articles([("h2", "c", _article(2))])):
            with pytest.raises(StoreError) as caught:
                request()
            assert f"the store {store.database}: the database server cannot be reached" in str(caught.value)
    finally:
        postgres.start()
    assert store.article_count() == 1  # the write made while it was down was not half-kept
    store.close()


def test_a_password_in_the_url_never_reaches_the_message(postgres: PostgresServer) -> None:
    url = f"postgresql://reader:s3cret-pw@127.0.0.1:{postgres.port}/no_such_database"
    with pytest.raises(StoreError) as caught:
        Store.open(url)
    message = str(caught.value)
    assert "s3cret-pw" not in message
    assert message.startswith(
        f"cannot open the store postgresql://reader:***@127.0.0.1:{postgres.port}/no_such_database:"
    )
