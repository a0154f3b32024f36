"""The annotation cache key read from the installed pipeline's package is the loaded pipeline's."""

from __future__ import annotations

import pytest

from storyline import annotate, pipeline
from storyline.annotate import nlp as nlp_module
from storyline.model import Article
from storyline.settings import Settings
from storyline.store import Store


def test_the_installed_version_is_the_version_of_the_loaded_pipeline(nlp) -> None:  # type: ignore[no-untyped-def]
    assert annotate.installed_version() == annotate.version(nlp)
    assert annotate.installed_version().startswith(f"{nlp.meta['name']}-{nlp.meta['version']}-")


def test_a_store_with_every_article_annotated_does_not_load_the_pipeline(
    tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    article = Article(id="a1", source="a1.txt", text="Mayor Ilsa Varnquist said the ferry would run again.")
    settings = Settings(db=tmp_path / "store.db")
    store = Store.open(settings.db)
    try:
        store.put_articles([("raw-a1", "clean", article)])
        _, annotated = pipeline._annotate([article], store, settings, lambda *_: None)
        assert annotated == 1

        def refuse(*args: object, **kwargs: object) -> None:
            raise AssertionError("the pipeline was loaded with nothing to annotate")

        monkeypatch.setattr(nlp_module, "load_spacy", refuse)
        source, annotated = pipeline._annotate([article], store, settings, lambda *_: None)
        assert annotated == 0
        assert [a.article for a in source.read(["a1"]) if a] == ["a1"]
    finally:
        store.close()
