"""Question answering over the sentences of the articles: hybrid retrieval, extractive answers.

Method: BM25 (Okapi, scored as rank-bm25 does, over a sparse matrix) over content-word stems and
cosine over MiniLM sentence embeddings, fused by reciprocal rank (Cormack et al. 2009), with a bonus
when a sentence holds what the question word asks for (a date for "when", a person for "who", a
number for "how many/much"). The answer is the best supporting sentences, each cited; when no
sentence shares enough meaning and words with the question, the answer says so instead of guessing.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import math
import os
import re
import tempfile
from array import array
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

import numpy as np

from storyline.model import Article, Briefing, Cite, Entity, Passage, Story
from storyline.story.fusion import fused_top
from storyline.story.spill import Partitions, SpillFolder
from storyline.views import Computed

if TYPE_CHECKING:
    from storyline.briefing.build import Plan
    from storyline.briefing.stories import StoryCache

T = TypeVar("T")

ASK_VERSION = "ask.v1"
# Keys of the sentence vectors kept in the store (one entry per article text) start with this.
SENTENCE_KEY = "sents:"
_KEY_LENGTH = 64  # the store's key column
_VECTOR_BATCH = 1000  # articles whose stored sentence vectors are read at once
NOT_FOUND = "The sources do not say."
_RRF_K = 60
_BONUS = 0.5 / _RRF_K  # for a sentence holding what the question word asks for
# Abstention: the best sentence must be this close in meaning AND share this many content words.
# Chosen on examples/qa.jsonl (19 answerable, 3 unanswerable questions about the demo corpus):
# answerable best-cosines ran .39-.78, unanswerable .31-.45, so meaning alone cannot decide.
MIN_COSINE = 0.30
MIN_SHARED = 1

_STOP = frozenset(
    """a an the of to in on at for by with from and or but is are was were be been being do does did
    has have had what who whom whose which when where why how many much that this these those it its
    they them their he she his her we our you your i me my as about into over than then there here
    will would can could should may might must not no yes any some all each""".split()
)
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*|\d[\d.,]*")
_NUMBER = re.compile(
    r"\b\d[\d.,]*\b|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|dozen|hundred|thousand|million|billion)\b",
    re.I,
)


@dataclass(frozen=True)
class Answer:
    question: str
    passages: tuple[Passage, ...]
    answered: bool


@functools.lru_cache(maxsize=1)
def _stemmer():
    import snowballstemmer

    return snowballstemmer.stemmer("english")


# Kept for the words met most: snowballstemmer is pure Python (it uses PyStemmer's C code only when
# that is installed), and stemming each word of each sentence was two thirds of building the index.
@functools.lru_cache(maxsize=1 << 14)
def stem(word: str) -> str:
    """The Snowball (Porter 2) stem: "mediating", "mediator", "mediation" all match."""
    return str(_stemmer().stemWord(word.lower().strip("'’")))


def content_words(text: str) -> list[str]:
    return [stem(w) for w in _WORD.findall(text) if w.lower() not in _STOP]


class SentenceIndex:
    """The sentences of a set of articles, ready for `answer`."""

    def __init__(
        self,
        cites: Sequence[Cite],
        texts: Sequence[str],
        kinds: Sequence[frozenset[str]],
        cache: StoryCache | None = None,
    ) -> None:
        from storyline.annotate.embed import load_embedder

        # `from_briefing` passes views over `_Located` arrays, kept as they are; others are copied.
        self.cites: Sequence[Cite] = cites if isinstance(cites, _CiteView) else list(cites)
        self.texts: Sequence[str] = texts if isinstance(texts, _TextView) else list(texts)
        self._kinds = kinds._codes if isinstance(kinds, _Kinds) else _Kinds.coded(kinds)
        # A generator: the content words of 265,000 sentences as lists would take ~200 MB at once.
        self._bm25 = Okapi(content_words(t) or ["_"] for t in self.texts) if self.texts else None
        self._embedder = load_embedder()
        self._vectors = _sentence_vectors(self.cites, self.texts, self._embedder.encode, cache)

    @property
    def kinds(self) -> Sequence[frozenset[str]]:
        """What each sentence holds: "date", "person", "number" (a frozenset per sentence)."""
        return _Kinds(self._kinds)

    @classmethod
    def from_briefing(cls, briefing: Briefing, cache: StoryCache | None = None) -> SentenceIndex:
        """All sentences of the briefing's original (non-duplicate) articles, with what they hold.

        With a `cache` (the store), each article's sentence vectors are kept there: the index of a
        store of thousands of articles is then embedded once, and after an ingest only the new
        articles are.
        """
        return cls.of(briefing.articles, briefing.entities, _dated(briefing.stories), cache)

    @classmethod
    def from_plan(cls, plan: Plan, cache: StoryCache | None = None) -> SentenceIndex:
        """The index `from_briefing` gives of the plan's whole briefing, made from the plan's two
        passes (articles, then stories) without holding that briefing: of the stories it keeps
        only which sentences their timelines cite."""
        dated = _dated(part.result.story for part in plan.stories())
        # The articles come a batch at a time; of each, only its text is kept (the index's
        # sentences are spans of it), not the article with its sentence and heading spans.
        articles = (row.article for row in plan.rows())
        return cls.of(articles, plan.corpus.entities, dated, cache)  # read back an entity at a time

    @classmethod
    def of(
        cls,
        articles: Iterable[Article],
        entities: Iterable[Entity],
        dated: Mapping[str, Collection[int]],
        cache: StoryCache | None = None,
    ) -> SentenceIndex:
        """The sentences of the `articles` that are not copies (read once, in order, keeping only
        each article's text), each marked with what it holds: a date when its start is among its
        article's in `dated` (the sentences timelines cite), a person when one of `entities`' PERSON mentions
        starts in it, a number. `from_briefing` and `from_plan` call this; so does the workbench,
        from its catalog."""
        persons = starts_by_article(
            (m.article, m.start) for e in entities if e.type == "PERSON" for m in e.mentions
        )
        located, kinds = _Located(), array("B")  # kinds: `_Kinds` codes, a byte a sentence
        for article in articles:
            if article.duplicate_of is not None:
                continue
            starts = sorted(set(persons.get(article.id, ())))
            cited = set(dated.get(article.id, ()))
            headings = {(h.start, h.end) for h in article.headings}
            located.open(article.id, article.text)
            for start, end in article.sentences:
                text = article.text[start:end]
                if len(text.split()) < 4 or (start, end) in headings:
                    continue
                kind = 0
                if start in cited:
                    kind |= _KIND_BITS["date"]
                if any(start <= p < end for p in starts):
                    kind |= _KIND_BITS["person"]
                if _NUMBER.search(text):
                    kind |= _KIND_BITS["number"]
                located.add(start, end)
                kinds.append(kind)
        located.finish()
        return cls(_CiteView(located), _TextView(located), _Kinds(np.frombuffer(kinds, np.uint8)), cache)

    def search(self, question: str, k: int = 5) -> list[tuple[int, float, int]]:
        """Top `k` sentences as (index, cosine, shared content words), best first."""
        if not self.texts or self._bm25 is None:
            return []
        words = content_words(question)
        bm25 = self._bm25.sparse_scores(words) if words else (np.zeros(0, dtype=np.int64), np.zeros(0))
        cosine = self._vectors.dot(self._embedder.encode([question])[0])
        wanted = _wanted(question)
        bit = _KIND_BITS[wanted] if wanted else 0
        # Reciprocal-rank fusion plus the question word's bonus; ties in fused rank go to the closer
        # meaning (paraphrases are what BM25 misses).
        order = fused_top(
            bm25,
            cosine,
            lambda rows: np.where(self._kinds[rows] & bit, _BONUS, 0.0),
            _BONUS if bit else 0.0,
            k,
            _RRF_K,
        )
        qset = set(words)
        return [(int(i), float(cosine[i]), len(qset & set(content_words(self.texts[i])))) for i in order]


def _dated(stories: Iterable[Story]) -> dict[str, array]:
    """The starts of the sentences the stories' timelines cite, per article."""
    return starts_by_article(
        (c.article, c.start)
        for story in stories
        for entry in story.timeline
        for c in (entry.cite, *entry.cites)
    )


def starts_by_article(spans: Iterable[tuple[str, int]]) -> dict[str, array]:
    """The (article, start) pairs of `spans` as an int32 array of starts per article. A set of
    pairs, with a tuple, an int and (read from JSON) a string per pair, was the question index's
    largest passing structure on a large store."""
    found: dict[str, array] = {}
    for article, start in spans:
        held = found.get(article)
        if held is None:
            held = found[article] = array("i")
        held.append(start)
    return found


class _Located:
    """Where each indexed sentence is, as three int arrays (12 bytes a sentence) over the articles'
    own texts: a `Cite` and a copy of the words for each of 265,000 sentences cost ~60 MB. The
    texts are in a temporary file (`_Bodies`), not in memory: a sentence's words are read when asked
    for, which is for the few a question's answer shows."""

    def __init__(self) -> None:
        self.articles: list[str] = []
        self.bodies = _Bodies()
        self.which, self.starts, self.ends = array("i"), array("i"), array("i")

    def open(self, article: str, text: str) -> None:
        """The sentences added next are in this article."""
        self.articles.append(article)
        self.bodies.add(text)

    def finish(self) -> None:
        """Every article is in: the texts can be read."""
        self.bodies.finish()

    def add(self, start: int, end: int) -> None:
        self.which.append(len(self.articles) - 1)
        self.starts.append(start)
        self.ends.append(end)


class _View(Computed[T]):
    """A sentence of a `_Located`, as something (a cite, its words), made on each read."""

    def __init__(self, located: _Located) -> None:
        self._at = located

    def __len__(self) -> int:
        return len(self._at.which)


class _CiteView(_View[Cite]):
    def _item(self, i: int) -> Cite:
        at = self._at
        return Cite(at.articles[at.which[i]], at.starts[i], at.ends[i])


class _TextView(_View[str]):
    def _item(self, i: int) -> str:
        at = self._at
        return at.bodies.text(at.which[i])[at.starts[i] : at.ends[i]]


class _Bodies:
    """Texts in an unnamed temporary file, UTF-8 one after another, with where each starts: what
    the index reads its sentences' words from. The text read last is kept, so a pass over the
    sentences in order reads each article once. Written here because the texts of a large store
    (16 MB for 19,000 Reuters articles, ~0.9 KB an article) were the index's largest part in
    memory, and a question reads the words of five sentences."""

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile()  # noqa: SIM115 - lives as long as the index
        self._ends = array("q")  # byte offset where each text ends
        self._pending: list[bytes] = []
        self._last: tuple[int, str] = (-1, "")

    def add(self, text: str) -> None:
        data = text.encode("utf-8")
        self._ends.append((self._ends[-1] if self._ends else 0) + len(data))
        self._pending.append(data)
        if len(self._pending) >= 256:
            self._flush()

    def finish(self) -> None:
        self._flush()

    def text(self, i: int) -> str:
        if self._pending:  # read before `finish`
            self._flush()
        last = self._last  # one read of the pair: other threads may replace it meanwhile
        if last[0] == i:
            return last[1]
        start = self._ends[i - 1] if i else 0
        data = os.pread(self._file.fileno(), self._ends[i] - start, start)
        found = (i, data.decode("utf-8"))
        self._last = found
        return found[1]

    def _flush(self) -> None:
        if self._pending:
            self._file.write(b"".join(self._pending))
            self._file.flush()
            self._pending.clear()


# What a sentence holds, a bit each; a sentence's kinds are one byte.
_KIND_BITS = {"date": 1, "person": 2, "number": 4}
_KIND_SETS = tuple(frozenset(k for k, bit in _KIND_BITS.items() if code & bit) for code in range(8))


class _Kinds(Computed[frozenset[str]]):
    """Each sentence's kinds as a frozenset, over their byte codes."""

    def __init__(self, codes: np.ndarray) -> None:
        self._codes = codes

    @classmethod
    def coded(cls, kinds: Iterable[frozenset[str]]) -> np.ndarray:
        return np.array([sum(_KIND_BITS[k] for k in kind) for kind in kinds], dtype=np.uint8)

    def __len__(self) -> int:
        return len(self._codes)

    def _item(self, i: int) -> frozenset[str]:
        return _KIND_SETS[int(self._codes[i])]


class Okapi:
    """BM25 Okapi scores exactly as rank-bm25's `BM25Okapi` gives them (k1 1.5, b 0.75, a negative idf
    floored at 0.25 x the mean idf, the mean summed in first-seen word order), over a sparse
    term-sentence matrix whose columns (each word's sentences and counts) are in a temporary file.

    Written here because rank-bm25 keeps one dict per sentence and, per query word, looks the word
    up in every one of them in Python: at 265,000 sentences (a store of 19,000 articles) that is
    hundreds of MB and most of a question's time. bm25s is sparse but has no variant with this idf
    floor, and the Q&A figures were measured with it.

    The postings are made a sentence at a time and spread by word over partitions on disk
    (`spill.Partitions`) once there are more than `PART_POSTINGS`; each partition is sorted by word
    in memory and appended to the postings file, so neither building nor asking holds the matrix:
    memory keeps the vocabulary, a few numbers per word and a length per sentence. A question reads
    the columns of its words (one read each).
    """

    K1, B, EPSILON = 1.5, 0.75, 0.25
    PART_POSTINGS = 1 << 18  # postings sorted in memory at once (12 bytes each, and their order)
    _GIVEN = np.dtype([("col", np.int32), ("row", np.int32), ("freq", np.int32)])
    _KEPT = np.dtype([("row", np.intc), ("freq", np.intc)])

    def __init__(self, docs: Iterable[Sequence[str]]) -> None:
        self._vocab: dict[str, int] = {}
        lengths = array("i")
        with SpillFolder() as folder:
            given = Partitions(self._GIVEN, 1, folder, held=False)
            rows, cols, freqs = array("i"), array("i"), array("i")
            for row, doc in enumerate(docs):
                lengths.append(len(doc))
                for word, n in Counter(doc).items():  # first-seen order, as rank-bm25 counts them
                    rows.append(row)
                    cols.append(self._vocab.setdefault(word, len(self._vocab)))
                    freqs.append(n)
                if len(rows) >= self.PART_POSTINGS:
                    given.add_to(0, self._columns(cols, rows, freqs))
                    rows, cols, freqs = array("i"), array("i"), array("i")
            given.add_to(0, self._columns(cols, rows, freqs))
            del rows, cols, freqs
            self._file = tempfile.TemporaryFile()  # noqa: SIM115 - lives as long as the index
            self._start, in_docs = self._written(given, folder)
            given.close()
        self._n_docs = len(lengths)
        self._doc_len = np.frombuffer(lengths, dtype=np.int32)
        self._avgdl = sum(lengths) / len(lengths) if lengths else 0.0
        idf = [math.log(len(lengths) - n + 0.5) - math.log(n + 0.5) for n in in_docs.tolist()]
        floor = self.EPSILON * (sum(idf) / len(idf)) if idf else 0.0
        self._idf = np.array([value if value >= 0 else floor for value in idf], dtype=np.float64)
        self._in_docs = in_docs

    @staticmethod
    def _columns(cols: array, rows: array, freqs: array) -> dict[str, np.ndarray]:
        # Views of the arrays (written to disk at once, then let go): no copy is needed.
        return {
            name: np.frombuffer(a, dtype=np.int32)
            for name, a in (("col", cols), ("row", rows), ("freq", freqs))
        }

    def _written(self, given: Partitions, folder: SpillFolder) -> tuple[np.ndarray, np.ndarray]:
        """Write the postings to the file a word after another, each word's in sentence order: where
        each word's start (in postings) and how many sentences hold it."""
        words = len(self._vocab)
        start, count = np.zeros(words, dtype=np.int64), np.zeros(words, dtype=np.int64)
        parts = max(1, -(-len(given) // self.PART_POSTINGS))
        spread = Partitions(self._GIVEN, parts, folder, held=parts == 1)
        for block in given.blocks(0, self.PART_POSTINGS):
            spread.add(block, block["col"].astype(np.int64))  # a word's postings stay in order
        at = 0
        for part in spread:
            order = np.argsort(part["col"], kind="stable")  # within a word, sentences stay in order
            col = part["col"][order]
            kept = np.empty(len(order), dtype=self._KEPT)
            kept["row"], kept["freq"] = part["row"][order], part["freq"][order]
            del order, part
            self._file.write(kept.tobytes())
            first = np.flatnonzero(np.diff(col, prepend=-1))  # where each word's postings begin
            sizes = np.diff(np.append(first, len(col)))
            start[col[first]] = at + first
            count[col[first]] = sizes
            at += len(col)
        spread.close()
        self._file.flush()
        return start, count

    def get_scores(self, query: Sequence[str]) -> np.ndarray:
        """One score per sentence; words of the query count as often as they occur in it."""
        rows, scores = self.sparse_scores(query)
        score = np.zeros(self._n_docs)
        score[rows] = scores
        return score

    def sparse_scores(self, query: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """The sentences holding a word of the query (sorted) and their scores, which are those of
        `get_scores` to the bit (each sentence's terms added in the same order, from 0); every other
        sentence scores 0."""
        size = self._KEPT.itemsize
        columns: list[tuple[int, np.ndarray]] = []
        for word in query:
            col = self._vocab.get(word)
            if col is None:
                continue  # rank-bm25 adds 0 for a word no sentence has
            n = int(self._in_docs[col])
            data = os.pread(self._file.fileno(), n * size, int(self._start[col]) * size)
            columns.append((col, np.frombuffer(data, dtype=self._KEPT)))
        if not columns:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        rows = np.unique(np.concatenate([kept["row"] for _, kept in columns])).astype(np.int64)
        score = np.zeros(len(rows))
        for col, kept in columns:
            docs, tf = kept["row"], kept["freq"]
            norm = 1 - self.B + self.B * self._doc_len[docs] / self._avgdl
            term = self._idf[col] * (tf * (self.K1 + 1) / (tf + self.K1 * norm))
            score[np.searchsorted(rows, docs)] += term
        return rows, score


class Int8Rows:
    """Row vectors kept as int8 codes with one float32 scale per row (a quarter of float32's bytes),
    the codes in an unnamed temporary file rather than in memory.

    Each row is scaled so its largest component is +-127; a cosine of unit vectors read back this
    way is off by less than 0.005. `dot` reads a block of rows at a time into a buffer that stays
    in the CPU cache and converts it there, which makes it as fast as a float32 product in memory
    (it reads a quarter of the bytes): written here because numpy's int8 matmul has no BLAS path.

    The codes of the 265,000 sentences of a 19,000-article store are 97 MB, held for as long as
    the workbench serves; in the file they are read from the page cache on each question (about
    as fast as from memory) and the process keeps one block. A memory map would not do: the pages
    a product touches count in the process's resident memory.
    """

    _BLOCK = 1024  # rows converted at once: 1,024 x 384 float32 is 1.5 MB

    def __init__(self, rows: int, dim: int) -> None:
        self._rows, self._dim = rows, dim
        self._file = tempfile.TemporaryFile()  # noqa: SIM115 - lives as long as the index
        self._file.truncate(rows * dim)  # sparse: rows not yet put read back as zeros
        self.scale = np.zeros(rows, dtype=np.float32)

    @classmethod
    def of(cls, vectors: np.ndarray) -> Int8Rows:
        out = cls(*vectors.shape)
        out.put(np.arange(len(vectors)), vectors)
        return out

    @property
    def shape(self) -> tuple[int, int]:
        return self._rows, self._dim

    @property
    def codes(self) -> np.ndarray:
        """Every row's codes, read whole (for checks; `dot` reads a block at a time)."""
        return self._read(0, self._rows)

    def put(self, rows: Sequence[int] | np.ndarray, vectors: np.ndarray) -> None:
        """Store `vectors` (float) at `rows`; a run of consecutive rows is written at once."""
        values = np.asarray(vectors, dtype=np.float32)
        scale = np.abs(values).max(axis=1) / 127.0 if len(values) else np.zeros(0, np.float32)
        scale[scale == 0] = 1.0
        codes = np.rint(values / scale[:, None]).astype(np.int8)
        at = np.asarray(rows, dtype=np.int64)
        self.scale[at] = scale
        # Runs of consecutive rows (an article's sentences are), each one write.
        breaks = np.flatnonzero(np.diff(at) != 1) + 1
        for first, last in zip([0, *breaks.tolist()], [*breaks.tolist(), len(at)], strict=True):
            if first < last:
                os.pwrite(self._file.fileno(), codes[first:last].tobytes(), int(at[first]) * self._dim)

    def dot(self, vector: np.ndarray) -> np.ndarray:
        """`rows @ vector`, float32."""
        rows, dim = self.shape
        query = np.asarray(vector, dtype=np.float32)
        out = np.empty(rows, dtype=np.float32)
        size = min(rows, self._BLOCK)
        codes = np.empty((size, dim), dtype=np.int8)
        block = np.empty((size, dim), dtype=np.float32)
        for start in range(0, rows, self._BLOCK):
            n = min(self._BLOCK, rows - start)
            self._read_into(codes[:n], start)
            np.copyto(block[:n], codes[:n], casting="unsafe")
            np.matmul(block[:n], query, out=out[start : start + n])
        out *= self.scale
        return out

    def _read(self, start: int, stop: int) -> np.ndarray:
        out = np.empty((stop - start, self._dim), dtype=np.int8)
        self._read_into(out, start)
        return out

    def _read_into(self, out: np.ndarray, start: int) -> None:
        view, offset = out.data.cast("B"), start * self._dim
        while len(view):
            got = os.preadv(self._file.fileno(), [view], offset)
            if got <= 0:
                raise OSError(f"the index's vector file ended at byte {offset}")
            view, offset = view[got:], offset + got

    def close(self) -> None:
        self._file.close()


def _sentence_vectors(
    cites: Sequence[Cite],
    texts: Sequence[str],
    encode: Callable[[Sequence[str]], np.ndarray],
    cache: StoryCache | None,
) -> Int8Rows:
    """The unit vectors of `texts`, read from `cache` per article where kept there.

    Vectors are rounded through float16 whether fresh or read back (the store keeps float16, half
    the bytes), then kept as `Int8Rows`, so an index built with or without the store ranks the same.
    """
    from storyline.annotate.embed import EMBED_VERSION

    if not texts:
        return Int8Rows(0, 0)
    if cache is None:
        return Int8Rows.of(np.asarray(encode(texts), dtype=np.float32).astype(np.float16))
    rows: dict[str, list[int]] = {}
    for n, cite in enumerate(cites):
        rows.setdefault(cite.article, []).append(n)
    keys = {
        article: (
            SENTENCE_KEY
            + hashlib.sha256("\x00".join([EMBED_VERSION, *(texts[n] for n in ns)]).encode()).hexdigest()
        )[:_KEY_LENGTH]
        for article, ns in rows.items()
    }
    # A thousand articles at a time: the stored vectors of a whole large store, as base64 text and
    # then as arrays, would sit in memory beside the matrix they are copied into.
    out: Int8Rows | None = None
    articles = list(rows)
    for start in range(0, len(articles), _VECTOR_BATCH):
        chunk = articles[start : start + _VECTOR_BATCH]
        stored = cache.story_results(list(dict.fromkeys(keys[a] for a in chunk)))
        missing = [a for a in chunk if keys[a] not in stored]
        if missing:
            fresh = np.asarray(encode([texts[n] for a in missing for n in rows[a]]), dtype=np.float16)
            kept, at = {}, 0
            for article in missing:
                block = fresh[at : at + len(rows[article])]
                at += len(rows[article])
                body = base64.b64encode(block.tobytes()).decode("ascii")
                kept[keys[article]] = stored[keys[article]] = body
            cache.put_story_results(list(kept.items()))
        for article in chunk:
            block = np.frombuffer(base64.b64decode(stored[keys[article]]), dtype=np.float16)
            block = block.reshape(len(rows[article]), -1)
            if out is None:
                out = Int8Rows(len(texts), block.shape[1])
            out.put(rows[article], block)
    assert out is not None, "texts is not empty"
    return out


def answer(index: SentenceIndex, question: str, max_sentences: int = 2) -> Answer:
    """The best supporting sentences for `question`, or an honest "the sources do not say"."""
    hits = index.search(question, k=max(5, max_sentences))
    supported = [(i, cos, shared) for i, cos, shared in hits if cos >= MIN_COSINE and shared >= MIN_SHARED]
    if not supported:
        return Answer(question, (Passage(NOT_FOUND, ()),), answered=False)
    best_cos = supported[0][1]
    chosen = [h for h in supported[:max_sentences] if h[1] >= best_cos - 0.1]
    passages = tuple(Passage(index.texts[i], (index.cites[i],)) for i, _, _ in chosen)
    return Answer(question, passages, answered=True)


def _wanted(question: str) -> str | None:
    """What the question word asks for: "date" (when), "person" (who), "number" (how many)."""
    q = question.lower()
    if q.startswith(("who", "whom")):
        return "person"
    if re.match(r"how (many|much|long|big|large)|what (share|percentage|number)", q):
        return "number"
    return "date" if q.startswith(("when", "what date", "what day", "since when")) else None
