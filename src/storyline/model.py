"""The data model every stage reads and writes: frozen dataclasses and their JSON form.

The classes mirror the briefing contract `storyline.briefing/1` (see DESIGN.md) one to one, so a
briefing round-trips through `to_dict`/`from_dict` without loss. Sequences are tuples so that a
value, once built, cannot change under a later stage.
"""

from __future__ import annotations

import dataclasses
import sys
import types
import typing
from array import array
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar, Union

SCHEMA = "storyline.briefing/1"

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Cite:
    """A span of an article's cleaned text: `text[start:end]` is exactly the cited words."""

    article: str
    start: int
    end: int


class Spans(Sequence[tuple[int, int]]):
    """An immutable sequence of (start, end) offset pairs, kept as one flat array of machine ints.

    An article's sentence offsets as a tuple of 2-tuples cost about 120 bytes a sentence (a tuple
    and two int objects); here they cost 16. A briefing of 19,000 articles holds 265,000 sentences.
    It reads, compares and hashes like the tuple of pairs it replaces, and its JSON is the same.
    """

    __slots__ = ("_flat",)

    def __init__(self, pairs: Iterable[Sequence[int]] = ()) -> None:
        self._flat = array("q", (int(x) for pair in pairs for x in _pair(pair)))

    def __len__(self) -> int:
        return len(self._flat) // 2

    @typing.overload
    def __getitem__(self, i: int) -> tuple[int, int]: ...

    @typing.overload
    def __getitem__(self, i: slice) -> Spans: ...

    def __getitem__(self, i: int | slice) -> tuple[int, int] | Spans:
        if isinstance(i, slice):
            return Spans(self.pairs()[i])
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError("span index out of range")
        return self._flat[2 * i], self._flat[2 * i + 1]

    def __iter__(self) -> Iterator[tuple[int, int]]:
        return zip(self._flat[::2], self._flat[1::2], strict=True)

    def pairs(self) -> tuple[tuple[int, int], ...]:
        return tuple(self)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Spans):
            return self._flat == other._flat
        if isinstance(other, tuple):
            return self.pairs() == tuple(tuple(p) for p in other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.pairs())

    def __repr__(self) -> str:
        return repr(self.pairs())

    def __reduce__(self) -> tuple[type[Spans], tuple[tuple[tuple[int, int], ...]]]:
        return Spans, (self.pairs(),)

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> Any:
        """For the HTTP API's schemas (pydantic reads this): a list of [start, end] pairs."""
        from pydantic_core import core_schema

        pair = core_schema.tuple_schema([core_schema.int_schema(), core_schema.int_schema()])
        pairs = core_schema.list_schema(pair)
        return core_schema.no_info_after_validator_function(
            cls,
            pairs,
            serialization=core_schema.plain_serializer_function_ser_schema(
                lambda spans: [list(p) for p in spans], return_schema=pairs
            ),
        )


def _pair(pair: Sequence[int]) -> Sequence[int]:
    if len(pair) != 2:
        raise ValueError(f"a span is (start, end), not {pair!r}")
    return pair


@dataclass(frozen=True, slots=True)
class Heading:
    start: int
    end: int
    level: int


@dataclass(frozen=True, slots=True)
class TocEntry:
    title: str
    start: int


@dataclass(frozen=True, slots=True)
class Removed:
    """A line the cleaner dropped, with why, and its 1-based line number in the input (if any)."""

    text: str
    reason: str
    line: int | None = None


@dataclass(frozen=True, slots=True)
class Article:
    id: str
    source: str
    text: str
    language: str = "en"
    url: str | None = None
    title: str | None = None
    author: str | None = None
    site: str | None = None
    published: str | None = None
    duplicate_of: str | None = None
    headings: tuple[Heading, ...] = ()
    toc: tuple[TocEntry, ...] = ()
    removed: tuple[Removed, ...] = ()
    sentences: Spans = field(default_factory=Spans)

    def __post_init__(self) -> None:
        if not isinstance(self.sentences, Spans):  # a tuple of pairs, as older code and tests give
            object.__setattr__(self, "sentences", Spans(self.sentences))


@dataclass(frozen=True, slots=True)
class Role:
    role: str
    cite: Cite


@dataclass(frozen=True, slots=True)
class Entity:
    id: str
    name: str
    type: str
    variants: tuple[str, ...] = ()
    roles: tuple[Role, ...] = ()
    mentions: tuple[Cite, ...] = ()
    articles: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Quote:
    id: str
    cite: Cite
    text: str
    kind: str  # direct | partial | indirect
    speaker: str | None = None
    speaker_text: str | None = None
    cue: str | None = None
    cue_cite: Cite | None = None
    resolved_by: str = "none"  # name | pronoun | title | none


@dataclass(frozen=True, slots=True)
class Passage:
    """A sentence of generated output (summary line, takeaway, answer) with its evidence."""

    text: str
    cites: tuple[Cite, ...] = ()


@dataclass(frozen=True, slots=True)
class FaqItem:
    question: str
    answer: tuple[Passage, ...] = ()


@dataclass(frozen=True, slots=True)
class StoryTocEntry:
    title: str
    anchor: str


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    date: str | None
    precision: str  # day | month | year | unresolved
    expression: str
    text: str
    cite: Cite
    reported: str | None = None
    cites: tuple[Cite, ...] = ()


@dataclass(frozen=True, slots=True)
class Story:
    id: str
    title: str
    articles: tuple[str, ...] = ()
    summary: tuple[Passage, ...] = ()
    takeaways: tuple[Passage, ...] = ()
    toc: tuple[StoryTocEntry, ...] = ()
    faq: tuple[FaqItem, ...] = ()
    timeline: tuple[TimelineEntry, ...] = ()


@dataclass(frozen=True, slots=True)
class Claim:
    id: str
    story: str
    text: str
    polarity: str = "assert"  # assert | deny
    actor: str | None = None
    mentions: tuple[Cite, ...] = ()
    sources: int = 1
    single_source: bool = True


@dataclass(frozen=True, slots=True)
class ConflictSide:
    """One side of a disagreement; `kind` names what `ref` points at: claim, quote or entity."""

    kind: str
    ref: str
    cites: tuple[Cite, ...] = ()


@dataclass(frozen=True, slots=True)
class Conflict:
    id: str
    story: str
    kind: str  # polarity | number | date | quote_wording | quote_speaker | role
    summary: str
    sides: tuple[ConflictSide, ...] = ()


@dataclass(frozen=True, slots=True)
class Stance:
    actor: str
    issue: str
    stance: str  # support | oppose | conditional | mixed
    cites: tuple[Cite, ...] = ()


@dataclass(frozen=True, slots=True)
class Event:
    id: str
    type: str
    cite: Cite
    source: str | None = None
    target: str | None = None
    date: str | None = None


@dataclass(frozen=True, slots=True)
class Signal:
    article: str
    signal: str
    value: float
    evidence: tuple[Cite | str, ...] = ()


@dataclass(frozen=True, slots=True)
class InputFailure:
    path: str
    error: str
    line: int | None = None


@dataclass(frozen=True, slots=True)
class Inputs:
    ok: int = 0
    failed: tuple[InputFailure, ...] = ()


@dataclass(frozen=True, slots=True)
class Tool:
    name: str = "storyline"
    version: str = ""
    stages: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Briefing:
    generated_at: str
    tool: Tool
    inputs: Inputs = field(default_factory=Inputs)
    articles: tuple[Article, ...] = ()
    entities: tuple[Entity, ...] = ()
    quotes: tuple[Quote, ...] = ()
    stories: tuple[Story, ...] = ()
    claims: tuple[Claim, ...] = ()
    conflicts: tuple[Conflict, ...] = ()
    stances: tuple[Stance, ...] = ()
    events: tuple[Event, ...] = ()
    signals: tuple[Signal, ...] = ()
    schema: str = SCHEMA

    def to_dict(self) -> dict[str, Any]:
        body = to_dict(self)
        return {"schema": body.pop("schema"), **body}

    def to_json(self, indent: int | None = 2) -> str:
        return "".join(self.iter_json(indent))

    def iter_json(self, indent: int | None = 2) -> Iterator[str]:
        """`to_json` in pieces, one table row at a time: the same text as `json.dumps(to_dict())`
        without the whole briefing as plain dicts in memory at once (hundreds of MB on a large store).
        """
        layout = JsonLayout(indent)
        yield "{"
        for n, name in enumerate(BRIEFING_KEYS):
            yield layout.key(n, name)
            value = getattr(self, name)
            if not isinstance(value, tuple) or not value:
                yield layout.value(value)
                continue
            yield "["
            yield from (layout.row(i, item) for i, item in enumerate(value))
            yield layout.table_end()
        yield layout.end()

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Briefing:
        if data.get("schema") != SCHEMA:
            raise ValueError(f"unsupported briefing schema {data.get('schema')!r}; expected {SCHEMA}")
        return from_dict(cls, data)

    @classmethod
    def from_json(cls, text: str) -> Briefing:
        import json

        return cls.from_dict(json.loads(text))

    # Convenience look-ups used by renderers and the web UI.
    def article(self, article_id: str) -> Article:
        for art in self.articles:
            if art.id == article_id:
                return art
        raise KeyError(article_id)

    def entity(self, entity_id: str) -> Entity:
        for ent in self.entities:
            if ent.id == entity_id:
                return ent
        raise KeyError(entity_id)

    def cited_text(self, cite: Cite) -> str:
        return self.article(cite.article).text[cite.start : cite.end]

    def to_pandas(self) -> dict[str, Any]:
        """One pandas DataFrame per table of the contract (needs pandas installed)."""
        import pandas as pd

        data = self.to_dict()
        tables = ("articles", "entities", "quotes", "claims", "conflicts", "stances", "events", "signals")
        frames = {name: pd.json_normalize(data[name]) for name in tables}
        frames["stories"] = pd.json_normalize(data["stories"])
        frames["timeline"] = pd.json_normalize(
            [{"story": s["id"], **entry} for s in data["stories"] for entry in s["timeline"]]
        )
        return frames


BRIEFING_KEYS = ("schema", *(f.name for f in dataclasses.fields(Briefing) if f.name != "schema"))


class JsonLayout:
    """How `json.dumps(value, indent=indent)` lays out the briefing object, a piece at a time:
    `Briefing.iter_json` and the writer that streams a briefing from the store share it, so both
    give the same text. A value at depth d goes after a newline and d indents, separated by ",\n";
    without an indent, on one line with ", " between items and ": " after keys."""

    def __init__(self, indent: int | None = 2) -> None:
        self.indent = indent
        self.pad = "" if indent is None else " " * indent
        self.open, self.comma, self.close = ("", ", ", "") if indent is None else ("\n", ",\n", "\n")

    def dumps(self, value: Any) -> str:
        import json

        return json.dumps(value, ensure_ascii=False, indent=self.indent)

    def key(self, n: int, name: str) -> str:
        """The `n`th key of the object, up to its value."""
        return f"{self.comma if n else self.open}{self.pad}{self.dumps(name)}: "

    def value(self, value: Any) -> str:
        """A value that is not a table (or an empty table), at depth 1."""
        return self.dumps(to_dict(value)).replace("\n", "\n" + self.pad)

    def row(self, i: int, item: Any) -> str:
        """The `i`th row of a table, after its "[" (and the rows before)."""
        pad = self.pad * 2
        return f"{self.comma if i else self.open}{pad}" + self.dumps(to_dict(item)).replace("\n", "\n" + pad)

    def table_end(self) -> str:
        return f"{self.close}{self.pad}]"

    def end(self) -> str:
        return self.close + "}"


# --- per-article annotations (what `annotate/` stores per article, before story-level work) ---


@dataclass(frozen=True, slots=True)
class Mention:
    """A named-entity span found in one article (spaCy label, e.g. PERSON, ORG, GPE)."""

    start: int
    end: int
    text: str
    label: str


@dataclass(frozen=True, slots=True)
class Attribution:
    """A quotation or reported statement in one article, before speakers become canonical entities.

    `start:end` is the content (the quoted or reported words). `speaker_start:speaker_end` is the
    span that names the speaker: the name next to the cue, or, when the cue has a pronoun or a title
    ("he said", "the minister said"), the earlier name it refers to (`resolved_by` says which).
    `speaker_text` is the speaker as written at the cue ("he", "the foreign minister", "Lavrov").
    """

    start: int
    end: int
    kind: str  # direct | partial | indirect
    cue: str | None = None
    cue_start: int | None = None
    cue_end: int | None = None
    speaker_start: int | None = None
    speaker_end: int | None = None
    speaker_text: str | None = None
    resolved_by: str = "none"  # name | pronoun | title | none


@dataclass(frozen=True, slots=True)
class DateMention:
    """A time expression in one article, normalised where possible.

    `value` is YYYY, YYYY-MM or YYYY-MM-DD (None when it cannot be placed on the calendar, e.g.
    "last week" in an undated article); `precision` is day | month | year | unresolved.
    """

    start: int
    end: int
    expression: str
    value: str | None
    precision: str
    sentence_start: int
    sentence_end: int


@dataclass(frozen=True, slots=True)
class RoleMention:
    """A title or role given to a person in one article ("foreign minister", "former president")."""

    start: int
    end: int
    role: str
    person_start: int
    person_end: int


@dataclass(frozen=True, slots=True)
class EventSpan:
    """A who-did-what-to-whom event in one sentence: PLOVER type and the spans of its parts."""

    type: str
    sentence_start: int
    sentence_end: int
    trigger_start: int
    trigger_end: int
    source_start: int | None = None
    source_end: int | None = None
    target_start: int | None = None
    target_end: int | None = None
    confidence: float = 0.0


@dataclass(frozen=True, slots=True)
class StanceFrame:
    """A position taken in one sentence: the holder is for (`support`) or against (`oppose`) the target.

    `holder_start:holder_end` is the mention standing for the holder (a pronoun's antecedent);
    `holder_text` the words at the cue. `issue` is a short phrase for the target built from the parse.
    """

    sentence_start: int
    sentence_end: int
    holder_start: int
    holder_end: int
    holder_text: str
    cue_start: int
    cue_end: int
    target_start: int
    target_end: int
    issue: str
    polarity: str  # support | oppose
    conditional: bool = False


@dataclass(frozen=True, slots=True)
class Annotation:
    """Everything the per-article stages found in one article; cached by (article id, version)."""

    article: str
    sentences: tuple[tuple[int, int], ...] = ()
    mentions: tuple[Mention, ...] = ()
    attributions: tuple[Attribution, ...] = ()
    dates: tuple[DateMention, ...] = ()
    roles: tuple[RoleMention, ...] = ()
    events: tuple[EventSpan, ...] = ()
    stances: tuple[StanceFrame, ...] = ()


@dataclass(frozen=True, slots=True)
class RawDocument:
    """One input as read, before cleaning: bytes (files) or text (JSONL fields), with where it came from."""

    source: str
    data: bytes | str
    mime: str  # text/plain | text/html
    line: int | None = None
    meta: tuple[tuple[str, str], ...] = ()  # url, title, published, author, site given by the input

    def meta_value(self, key: str) -> str | None:
        return dict(self.meta).get(key)


# --- (de)serialisation -------------------------------------------------------------------------


def to_dict(value: Any) -> Any:
    """Turn a model value into plain JSON types (tuples become lists)."""
    if isinstance(value, ConflictSide):
        return {value.kind: value.ref, "cites": [to_dict(c) for c in value.cites]}
    names = _field_names(type(value))
    if names is not None:
        return {name: to_dict(getattr(value, name)) for name in names}
    if isinstance(value, (list, tuple)):
        return [to_dict(v) for v in value]
    if isinstance(value, Spans):
        return [list(pair) for pair in value]
    return value


_NOT_A_DATACLASS = ()
_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _field_names(cls: type) -> tuple[str, ...] | None:
    """A dataclass's field names, looked up once per class (`dataclasses.fields` and
    `is_dataclass` on every value were a third of writing a large store's briefing)."""
    names = _FIELD_NAMES.get(cls)
    if names is None:
        is_model = dataclasses.is_dataclass(cls) and isinstance(cls, type)
        names = tuple(f.name for f in dataclasses.fields(cls)) if is_model else _NOT_A_DATACLASS
        _FIELD_NAMES[cls] = names
    return names if names is not _NOT_A_DATACLASS else None


def from_dict(cls: type[T], data: Any) -> T:
    """Build a model value of type `cls` from plain JSON types."""
    return typing.cast(T, _decoder(cls)(data))


# Short strings (ids, names, labels, kinds) are interned on decoding: `json.loads` makes a new string
# for every occurrence, and a store's article ids alone recur in every cite that points into the
# article (800,000 cites on an 18,700-article store, 113 bytes each). Texts are left alone.
_INTERN_MAX = 80

Decoder = typing.Callable[[Any], Any]
# One decoder per type, made the first time the type is read: walking the type hints for every value
# (`get_origin`, `fields`, `is_dataclass` millions of times) was most of reading a large store's
# annotations back.
_DECODERS: dict[Any, Decoder] = {}


def _decoder(tp: Any) -> Decoder:
    found = _DECODERS.get(tp)
    if found is None:
        found = _DECODERS[tp] = _made(tp)
    return found


def _made(tp: Any) -> Decoder:
    """The decoder of values of type `tp`; None decodes to None whatever the type."""
    if tp is str:
        return lambda d: None if d is None else (sys.intern(d) if len(d) <= _INTERN_MAX else d)
    if tp is Cite:  # the commonest value by far
        return lambda d: None if d is None else Cite(sys.intern(d["article"]), d["start"], d["end"])
    origin = typing.get_origin(tp)
    if origin in (Union, types.UnionType):
        options = [a for a in typing.get_args(tp) if a is not type(None)]
        if Cite in options:
            cite = _decoder(Cite)
            only = _decoder(options[0]) if len(options) == 1 else None
            return lambda d: cite(d) if isinstance(d, dict) else (only(d) if only else d)
        if len(options) == 1:
            return _lazy(options[0])
        return lambda d: d  # plain values pass through
    if origin is tuple:
        args = typing.get_args(tp)
        if len(args) == 2 and args[1] is Ellipsis:
            item = _lazy(args[0])
            return lambda d: None if d is None else tuple(map(item, d))
        items = [_lazy(a) for a in args]
        return lambda d: None if d is None else tuple(f(v) for f, v in zip(items, d, strict=True))
    if tp is Spans:
        return lambda d: None if d is None else Spans(d)
    if tp is ConflictSide:
        cites = _lazy(tuple[Cite, ...])

        def side(d: Any) -> Any:
            if d is None:
                return None
            kind = next(k for k in d if k != "cites")
            return ConflictSide(kind=kind, ref=d[kind], cites=cites(d["cites"]))

        return side
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        hints = typing.get_type_hints(tp)
        fields = [(f.name, _lazy(hints[f.name])) for f in dataclasses.fields(tp)]

        def value(d: Any) -> Any:
            if d is None:
                return None
            return tp(**{name: decode(d[name]) for name, decode in fields if name in d})

        return value
    return lambda d: d


def _lazy(tp: Any) -> Decoder:
    """`_decoder(tp)`, looked up when first called (a type's decoder may be made before the
    decoders of the types it holds)."""
    made: list[Decoder] = []

    def decode(d: Any) -> Any:
        if not made:
            made.append(_decoder(tp))
        return made[0](d)

    return decode
