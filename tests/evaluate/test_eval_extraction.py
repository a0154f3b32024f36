"""The extraction evaluators on two tiny pages the test writes: exact scores, peers and errors."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

from storyline.errors import ModelMissingError
from storyline.evaluate.extraction import evaluate, evaluate_snippets, extractor

FIRST = (
    "The harbour bridge reopened to traffic on Tuesday morning after eight months of repairs "
    "to its steel deck, the city council said."
)
SECOND = (
    "Engineers replaced more than two hundred rusted plates and repainted the towers, work that "
    "cost the city far more than first planned."
)
PAGE = f"""<html><head><title>Harbour bridge reopens after repairs</title></head><body>
<div class="cookie-banner">We use cookies. <button>Accept all cookies</button></div>
<nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article><h1>Harbour bridge reopens after repairs</h1><p>{FIRST}</p><p>{SECOND}</p></article>
<footer><a href="/privacy">Privacy policy</a></footer></body></html>"""


def _write(path: Path, rows: list[dict[str, Any]]) -> str:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return str(path)


def test_evaluate_aeb_counts_an_empty_output_against_recall_only(tmp_path: Path) -> None:
    rows = [
        {"id": "a", "url": "https://example.org/a", "html": PAGE, "gold_text": f"{FIRST}\n{SECOND}"},
        {"id": "b", "url": "", "html": "", "gold_text": "A page whose article the extractor cannot see."},
    ]
    result = evaluate(_write(tmp_path / "aeb.jsonl", rows))
    assert {k: result[k] for k in ("task", "system", "pages", "empty", "failed")} == {
        "task": "extraction",
        "system": "storyline",
        "pages": 2,
        "empty": 1,
        "failed": 0,
    }
    assert (result["precision"], result["recall"]) == (1.0, 0.5)
    assert result["f1"] == pytest.approx(2 / 3)
    assert evaluate(str(tmp_path / "aeb.jsonl"), limit=1)["recall"] == 1.0


def test_evaluate_snippets_micro_counts(tmp_path: Path) -> None:
    rows = [
        {
            "id": "p",
            "url": "",
            "html": PAGE,
            "with": ["eight months of repairs", "rusted\u00a0plates", "not on the page"],
            "without": ["Accept all cookies", "Privacy policy"],
        }
    ]
    result = evaluate_snippets(_write(tmp_path / "traf.jsonl", rows))
    assert {k: result[k] for k in ("tp", "fp", "fn", "tn")} == {"tp": 2, "fp": 0, "fn": 1, "tn": 2}
    assert (result["precision"], result["recall"]) == (1.0, pytest.approx(2 / 3))
    assert result["f1"] == pytest.approx(0.8)


def test_peers_extract_the_article() -> None:
    for peer in ("trafilatura", "trafilatura-defaults", "readability"):
        assert FIRST in extractor(peer)(PAGE, None)
    # jusText calls paragraphs under 200 characters "short" and drops them between boilerplate.
    assert extractor("justext", stoplist="English")(PAGE, None) == ""


def test_unknown_peer_and_missing_peer_package(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ValueError, match="unknown peer"):
        extractor("boilerpipe")
    monkeypatch.setitem(sys.modules, "readability", None)
    with pytest.raises(ModelMissingError, match="readability-lxml"):
        extractor("readability")
