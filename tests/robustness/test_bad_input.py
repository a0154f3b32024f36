"""One run over a folder of every kind of bad input: each failure names its input (file, line), the
run goes on, the good articles are stored and annotated, and every cite reproduces its words."""

from __future__ import annotations

import gzip
import json
import os
import random
import zipfile
from pathlib import Path

import pytest

from storyline.model import Briefing, Cite
from storyline.pipeline import RunResult, run
from storyline.settings import Settings
from storyline.store import Store

GOOD = (
    "Velmora harbour reopens after strike\n\n"
    "The Velmora harbour board reopened the northern quay on Tuesday, ending a strike that had "
    'lasted three weeks. "We are back at work and the ferries will run tonight," said Ilse Dravik, '
    "the head of the dockers' union. The board said repairs to the sea wall would finish in April."
)
RUSSIAN = (
    "Порт Вельморы снова открыт\n\n"
    "Совет порта Вельморы во вторник открыл северный причал, положив конец забастовке, которая "
    "длилась три недели. Ремонт морской стены завершится в апреле, сообщили в совете."
)
WEIRD = "\n\n".join(
    [
        "Dockers return to the Orvane quay",
        # a 5,000-word sentence, then a paragraph with no punctuation at all
        "The dockers of Orvane " + " ".join(["and the crane drivers"] * 1250) + " returned on Monday.",
        " ".join(["the ferry crews stayed home"] * 60),
        # emoji, right-to-left text, zero-width characters, unbalanced and mixed quote marks
        "Crews cheered 🚢👩\u200d👩\u200d👧 as the sign \u202eNEPO\u202c went up, \u200bwith a banner "
        'reading «שלום» and “welcome back.  "We never left, said one crew chief.',
    ]
)


@pytest.fixture(scope="module")
def bad_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[RunResult, Path, Path]:
    folder = tmp_path_factory.mktemp("inputs")
    _write_inputs(folder)
    db = folder.parent / f"{folder.name}.db"
    return run([folder], Settings(db=db)), folder, db


def _write_inputs(folder: Path) -> None:
    (folder / "a_good.txt").write_text(GOOD, encoding="utf-8")
    (folder / "b_empty.txt").write_bytes(b"")
    rng = random.Random(3)
    (folder / "c_binary.txt").write_bytes(bytes(rng.randrange(256) for _ in range(4000)))
    with (folder / "d_huge.txt").open("wb") as handle:
        handle.truncate(200 * 1024 * 1024)  # sparse: 200 MB that is never written or read
    (folder / "e_ru.txt").write_bytes(RUSSIAN.encode("cp1251"))
    (folder / "f_utf16.txt").write_bytes(GOOD.replace("Tuesday", "Wednesday").encode("utf-16"))
    (folder / "g_weird.txt").write_text(WEIRD, encoding="utf-8")
    packed = gzip.compress(GOOD.replace("Tuesday", "Friday").encode() * 30)
    (folder / "h_cut.txt.gz").write_bytes(packed[: len(packed) // 2])
    (folder / "i_bomb.txt.gz").write_bytes(gzip.compress(b"\0" * (51 * 1024 * 1024), compresslevel=1))
    rows = [json.dumps({"text": GOOD.replace("Tuesday", "Monday"), "title": "Quay reopens"}), "{broken", "[]"]
    (folder / "j_feed.jsonl").write_text("\n".join(rows) + "\n", encoding="utf-8")
    with zipfile.ZipFile(folder / "k_pack.zip", "w") as zf:
        zf.writestr("../outside.txt", GOOD)
        zf.writestr("inside.txt", GOOD.replace("Tuesday", "Thursday"))
    page = "<div>" * 400 + "<p>" + GOOD.replace("\n\n", "</p><p>") + "</p>" + "</div>" * 400
    (folder / "l_deep.html").write_text(f"<html><body>{page}</body></html>", encoding="utf-8")
    (folder / "m_script.html").write_text(
        "<html><body><script>" + "x();" * 50_000 + "</script></body></html>"
    )
    (folder / "loop").mkdir()
    os.symlink(folder, folder / "loop" / "back")


def test_each_bad_input_is_named_and_the_run_goes_on(bad_run: tuple[RunResult, Path, Path]) -> None:
    result, folder, _ = bad_run
    failures = [(str(Path(f.path).relative_to(folder)), f.line, f.error) for f in result.failures]
    assert failures == [
        ("b_empty.txt", None, "the file is empty"),
        ("c_binary.txt", None, "the bytes are not text in any encoding we can detect (binary file?)"),
        ("d_huge.txt", None, "file is 200 MB; the limit per article is 50 MB "
                             "(put many articles in a .jsonl file, one per line)"),
        ("h_cut.txt.gz", None, "cannot read the gzip file: "
                               "the compressed data ends early (a truncated file?)"),
        ("i_bomb.txt.gz", None, "expands to more than 50 MB, the limit per article (a compression bomb?)"),
        ("j_feed.jsonl", 2, "not valid JSON (Expecting property name enclosed in double quotes at column 2)"),
        ("j_feed.jsonl", 3, "a line must be a JSON object with a 'text' or 'html' field"),
        ("k_pack.zip!../outside.txt", None, "the member's path points outside the archive; it is not read"),
        ("m_script.html", None, "the HTML page has no main article text"),
    ]  # fmt: skip
    sources = [str(Path(a.source).relative_to(folder)) for a in result.briefing.articles]
    assert sources == [
        "a_good.txt", "e_ru.txt", "f_utf16.txt", "g_weird.txt", "j_feed.jsonl",
        "k_pack.zip!inside.txt", "l_deep.html",
    ]  # fmt: skip
    assert result.briefing.inputs.ok == 7


def test_nothing_is_lost_from_the_store(bad_run: tuple[RunResult, Path, Path]) -> None:
    result, _, db = bad_run
    store = Store.open(db)
    try:
        assert [a.id for a in store.articles()] == list(result.article_ids)
    finally:
        store.close()


def test_non_english_article_is_kept_and_marked_but_not_annotated_as_english(
    bad_run: tuple[RunResult, Path, Path],
) -> None:
    briefing = bad_run[0].briefing
    (ru,) = [a for a in briefing.articles if a.source.endswith("e_ru.txt")]
    assert ru.language == "ru" and ru.text == RUSSIAN.split("\n\n", 1)[1]
    assert len(ru.sentences) == 2
    assert not any(ru.id in e.articles for e in briefing.entities)
    assert not any(q.cite.article == ru.id for q in briefing.quotes)
    assert {a.language for a in briefing.articles if a is not ru} == {"en"}


def test_text_that_breaks_naive_parsers_is_annotated_with_exact_cites(
    bad_run: tuple[RunResult, Path, Path],
) -> None:
    briefing = bad_run[0].briefing
    (weird,) = [a for a in briefing.articles if a.source.endswith("g_weird.txt")]
    assert "\u200b" in weird.text and "👩\u200d👩\u200d👧" in weird.text
    assert len(weird.text.split()) > 5000
    _check_cites(briefing)


def _check_cites(briefing: Briefing) -> None:
    texts = {a.id: a.text for a in briefing.articles}
    cites: list[Cite] = [q.cite for q in briefing.quotes] + [m for e in briefing.entities for m in e.mentions]
    cites += [t.cite for s in briefing.stories for t in s.timeline]
    assert cites
    for cite in cites:
        assert 0 <= cite.start < cite.end <= len(texts[cite.article])
    for quote in briefing.quotes:
        assert texts[quote.cite.article][quote.cite.start : quote.cite.end] == quote.text
