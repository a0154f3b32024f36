"""A store K times larger than a filled one, for memory runs beyond the largest real corpus here.

The bench corpus has 19,043 Reuters stories; the issue asks for a bounded peak "whatever the
corpus size". This copies every article of a filled store K - 1 more times, each copy made a corpus
of its own:

- every word not among spaCy's English stop words (and the reporting verbs) has its letters
  swapped by a permutation drawn for that copy, case kept, and every number its digits (Reuters'
  figures would otherwise tie each copy's stories to the original's). Lengths do not change, so the cached
  annotations stay true: their offsets still point at the same words, and their strings (mention
  and speaker texts, cues, date expressions, issues, roles) get the same swap. No copy shares a
  content word with another, so near-duplicate detection, identity resolution and the key terms
  see as many new names and stories as the corpus had; the stop words keep the cues the story
  stages read ("said", "according to");
- publication days and resolved dates move by 10 years a copy;
- each copy's lead embedding is the original's, stored under the copy's lead text: clustering
  reads the cache instead of running MiniLM on the swapped words (whose vectors would all look
  alike and glue unrelated leads together). A copy's lead matches its original's, but its key
  terms and text share nothing, so the pair stays far below the clustering threshold.

Story results other than the leads are not copied: a run on the result works every story out.

    python benchmarks/replicate_store.py --db /tmp/full.db --copies 4 --out /tmp/x4.db
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import sqlite3
import string
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

YEARS_APART = 10
_WORD = re.compile(r"[A-Za-z]+|[0-9]+")
_YEAR = re.compile(r"^(\d{4})(?=-|$)")
# Annotation fields that hold words of the text (or words made from them); every other string
# (labels, kinds, precisions, ids) is a code the stages compare with fixed values.
_WORDY = {"text", "cue", "speaker_text", "expression", "holder_text", "issue", "role"}


def _kept_words() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS) | {"said", "says", "say", "told", "tells", "according", "added"}


def swapper(copy: int, kept: frozenset[str]) -> Callable[[str], str]:
    """The word swap of copy `copy` (0: no swap): a letter permutation applied to every word of
    ASCII letters that is not in `kept`, keeping each letter's case, and a digit permutation to
    every number."""
    if copy == 0:
        return lambda text: text
    rng = random.Random(copy)
    letters, digits = list(string.ascii_lowercase), list(string.digits)
    rng.shuffle(letters)
    rng.shuffle(digits)
    table = str.maketrans(
        string.ascii_lowercase + string.ascii_uppercase + string.digits,
        "".join(letters) + "".join(letters).upper() + "".join(digits),
    )

    def word(match: re.Match[str]) -> str:
        w = match.group(0)
        return w if w.casefold() in kept else w.translate(table)

    return lambda text: _WORD.sub(word, text)


def moved(day: str | None, copy: int) -> str | None:
    """`day` (YYYY-MM-DD or YYYY…) moved YEARS_APART years per copy; other values as they are."""
    if not day or copy == 0:
        return day
    return _YEAR.sub(lambda m: str(int(m.group(1)) + YEARS_APART * copy), day)


def copied_id(article_id: str, copy: int) -> str:
    if copy == 0:
        return article_id
    return hashlib.sha256(f"{copy}|{article_id}".encode()).hexdigest()[: len(article_id)]


def swapped_annotation(data: Any, swap: Callable[[str], str], copy: int) -> Any:
    """The annotation JSON with its words swapped and its dates moved."""
    if isinstance(data, list):
        return [swapped_annotation(v, swap, copy) for v in data]
    if not isinstance(data, dict):
        return data
    out: dict[str, Any] = {}
    for key, value in data.items():
        if key in _WORDY and isinstance(value, str):
            out[key] = swap(value)
        elif key == "value" and isinstance(value, str):
            out[key] = moved(value, copy)
        else:
            out[key] = swapped_annotation(value, swap, copy)
    return out


def _copied_annotation(body: str, swap: Callable[[str], str], copy: int) -> str:
    if copy == 0:
        return body
    data = swapped_annotation(json.loads(body), swap, copy)
    data["article"] = copied_id(data["article"], copy)
    return json.dumps(data, ensure_ascii=False)


def _rows(con: sqlite3.Connection, sql: str, size: int = 2_000) -> Iterator[list[tuple[Any, ...]]]:
    cursor = con.execute(sql)
    while rows := cursor.fetchmany(size):
        yield rows


def replicate(db: Path, copies: int, out: Path) -> int:
    """Write `out`: `db`'s articles, annotations and lead embeddings, then `copies` - 1 swapped
    copies of them; the number of articles written."""
    from storyline.briefing.corpus import lead_cache_key
    from storyline.story.cluster import lead_text

    if out.exists():
        raise FileExistsError(f"{out} exists; pick a new path")
    kept = _kept_words()
    src = sqlite3.connect(db)
    schema = [s for (s,) in src.execute("SELECT sql FROM sqlite_master WHERE sql IS NOT NULL")]
    dst = sqlite3.connect(out)
    for statement in schema:
        dst.execute(statement)
    for table in ("alembic_version", "meta"):
        rows = src.execute(f"SELECT * FROM {table}").fetchall()
        if rows:
            marks = ", ".join("?" * len(rows[0]))
            dst.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)
    top = int(src.execute("SELECT coalesce(max(seq), 0) FROM articles").fetchone()[0])
    written = 0
    for copy in range(copies):
        swap = swapper(copy, kept)
        columns = "id, source, title, site, published, language, body, seq"
        for batch in _rows(src, f"SELECT {columns} FROM articles ORDER BY seq"):
            articles, leads = [], []
            for article_id, source, _title, site, published, language, body, seq in batch:
                data = json.loads(body)
                original_lead = lead_text(f"{data.get('title') or ''}\n{data['text']}")
                data.update(
                    id=copied_id(article_id, copy),
                    text=swap(data["text"]),
                    title=swap(data["title"]) if data.get("title") else data.get("title"),
                    published=moved(data.get("published"), copy),
                )
                leads.append((original_lead, lead_text(f"{data.get('title') or ''}\n{data['text']}")))
                articles.append(
                    (
                        data["id"],
                        source,
                        data["title"],
                        site,
                        moved(published, copy),
                        language,
                        json.dumps(data, ensure_ascii=False),
                        seq + copy * top,
                    )
                )
            dst.executemany("INSERT INTO articles VALUES (?, ?, ?, ?, ?, ?, ?, ?)", articles)
            written += len(articles)
            _copy_leads(src, dst, leads, lead_cache_key)
        for batch in _rows(src, "SELECT article_id, version, body FROM annotations"):
            dst.executemany(
                "INSERT INTO annotations VALUES (?, ?, ?)",
                [
                    (
                        copied_id(article_id, copy),
                        version,
                        _copied_annotation(body, swap, copy),
                    )
                    for article_id, version, body in batch
                ],
            )
        for batch in _rows(src, "SELECT raw_hash, clean_version, article_id FROM documents"):
            dst.executemany(
                "INSERT INTO documents VALUES (?, ?, ?)",
                [(copied_id(h, copy), v, copied_id(a, copy)) for h, v, a in batch],
            )
        dst.commit()
        print(f"copy {copy + 1}/{copies}: {written} articles", file=sys.stderr, flush=True)
    dst.close()
    src.close()
    return written


def _copy_leads(
    src: sqlite3.Connection,
    dst: sqlite3.Connection,
    leads: Sequence[tuple[str, str]],
    key: Callable[[str], str],
) -> None:
    """Store each original lead's cached vector under its copy's lead text (skipped if not cached)."""
    keys = {key(original): key(copy) for original, copy in leads}
    marks = ", ".join("?" * len(keys))
    found = src.execute(f"SELECT key, body FROM story_results WHERE key IN ({marks})", list(keys)).fetchall()
    dst.executemany(
        "INSERT OR IGNORE INTO story_results VALUES (?, ?)", [(keys[k], body) for k, body in found]
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, required=True, help="a SQLite store filled by storyline")
    parser.add_argument("--copies", type=int, default=2, help="how many times the corpus is in the result")
    parser.add_argument("--out", type=Path, required=True, help="the new store (must not exist)")
    args = parser.parse_args(argv)
    if not args.db.exists():
        print(f"error: no store at {args.db}", file=sys.stderr)
        return 2
    if args.copies < 1:
        print(f"error: --copies takes 1 or more, not {args.copies}", file=sys.stderr)
        return 2
    try:
        written = replicate(args.db, args.copies, args.out)
    except FileExistsError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"{written} articles in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
