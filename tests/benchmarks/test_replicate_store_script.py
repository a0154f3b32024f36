"""benchmarks/replicate_store.py on a store the test fills with four small articles: the copies'
annotations still point at their words, no copy shares a content word or a story with another,
and each copy's lead embeddings are cached under its own lead text."""

from __future__ import annotations

import json
import re
import sqlite3
from collections import defaultdict
from pathlib import Path

from storyline import pipeline
from storyline.briefing.corpus import lead_cache_key
from storyline.settings import Settings
from storyline.story.cluster import lead_text

TEXTS = [
    "The harbour board of Northport will raise fees by 4 percent from March 3, 2021, chairman Tomas"
    ' Breck said. "Costs rose," Breck said.',
    "Northport's harbour board will raise its fees by 4 percent, chairman Tomas Breck said on Monday.",
    "Farmers in the eastern plains expect a wheat harvest of 1.8 million tonnes, the farm office said.",
    "The eastern plains' wheat harvest may reach 1.8 million tonnes, farm officials said on Friday.",
]


def test_swap_keeps_lengths_case_and_stop_words(script_module) -> None:  # type: ignore[no-untyped-def]
    replicate_store = script_module("replicate_store")
    swap = replicate_store.swapper(1, frozenset({"the", "said"}))
    text = "The Board said 1,750 tonnes."
    out = swap(text)
    assert len(out) == len(text)
    assert out.startswith("The ") and " said " in out
    assert [c.isupper() for c in out] == [c.isupper() for c in text]
    assert [c.isdigit() for c in out] == [c.isdigit() for c in text]
    assert out.split()[1] != "Board" and out.split()[3] != "1,750"
    assert replicate_store.swapper(0, frozenset())(text) == text
    assert replicate_store.swapper(2, frozenset())(text) != swap(text)


def test_copies_are_corpora_of_their_own(tmp_path: Path, filled_store, run_script, script_module) -> None:  # type: ignore[no-untyped-def]
    replicate_store = script_module("replicate_store")
    db = filled_store(TEXTS, [f"2021-03-0{i + 1}" for i in range(len(TEXTS))])
    out = tmp_path / "x3.db"
    done = run_script("replicate_store.py", "--db", str(db), "--copies", "3", "--out", str(out))
    assert done.returncode == 0, done.stderr
    con = sqlite3.connect(out)
    articles = {
        i: (seq, json.loads(body)) for i, seq, body in con.execute("SELECT id, seq, body FROM articles")
    }
    assert len(articles) == 3 * len(TEXTS)
    copy_of = {i: (seq - 1) // len(TEXTS) for i, (seq, _) in articles.items()}

    # Every annotation string with offsets is the copy's text at those offsets.
    for article_id, body in con.execute("SELECT article_id, body FROM annotations"):
        annotation = json.loads(body)
        text = articles[article_id][1]["text"]
        assert annotation["article"] == article_id
        for mention in annotation["mentions"]:
            assert text[mention["start"] : mention["end"]] == mention["text"]

    # Content words (numbers aside: a one-digit number has ten forms): each copy's own; days 10
    # years apart a copy.
    kept = replicate_store._kept_words()
    words: dict[int, set[str]] = defaultdict(set)
    for i, (_, data) in articles.items():
        words[copy_of[i]] |= {w for w in re.findall(r"[a-z]+", data["text"].casefold()) if w not in kept}
        assert data["published"][:4] == str(2021 + 10 * copy_of[i])
    assert not words[0] & words[1] and not words[0] & words[2] and not words[1] & words[2]

    # The leads cached for the original are cached for each copy, under the copy's lead.
    leads = {k for (k,) in con.execute("SELECT key FROM story_results WHERE key LIKE 'lead:%'")}
    for data in (d for _, d in articles.values()):
        assert lead_cache_key(lead_text(f"{data.get('title') or ''}\n{data['text']}")) in leads

    # A run on the copies finds each story three times, never one mixing copies.
    con.close()
    original = pipeline.load(Settings(db=db))
    tripled = pipeline.load(Settings(db=out))
    assert len(tripled.stories) == 3 * len(original.stories)
    for story in tripled.stories:
        assert len({copy_of[a] for a in story.articles}) == 1


def test_refuses_an_existing_output(tmp_path: Path, run_script) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "a.db").write_bytes(b"")
    (tmp_path / "b.db").write_bytes(b"")
    done = run_script("replicate_store.py", "--db", str(tmp_path / "a.db"), "--out", str(tmp_path / "b.db"))
    assert done.returncode == 2
    assert "exists" in done.stderr
