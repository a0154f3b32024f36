"""The fuzz budget and the text that breaks naive parsers, shared by the robustness tests.

CI runs a fixed, derandomized budget (the same examples every run); a longer fuzz run sets
STORYLINE_FUZZ_EXAMPLES, e.g. `STORYLINE_FUZZ_EXAMPLES=5000 pytest tests/robustness`.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

_OVERRIDE = int(os.environ.get("STORYLINE_FUZZ_EXAMPLES", "0"))


def budget(examples: int) -> settings:
    """Deterministic settings with `examples` examples (or the STORYLINE_FUZZ_EXAMPLES override)."""
    return settings(
        max_examples=_OVERRIDE or examples,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


# Pieces of news text (invented names) and the characters that trip naive parsers: quote marks of
# every kind, opened and never closed; dashes; emoji with zero-width joiners; right-to-left scripts
# and direction overrides; zero-width spaces and BOMs; combining accents; non-breaking spaces.
_WORDS = (
    "Velmora", "Ilse", "Dravik", "the", "harbour", "board", "said", "told", "reporters", "according",
    "to", "minister", "he", "she", "on", "Tuesday", "March", "2031", "last", "week", "next", "year",
    "3", "percent", "Orvane", "Ferry", "Co.", "Mr.", "U.S.", "talks", "would", "not", "reopen",
)  # fmt: skip
_MARKS = ('"', "“", "”", "‘", "’", "'", "«", "»", "„", "``", "''", "(", ")", "[", "]")
_PUNCT = (".", ",", ";", ":", "!", "?", "…", "—", "–", "-", "/", "\n", "\n\n", "\t", "  ")
_ODD = (
    "🚢", "👩\u200d👩\u200d👧", "🇺🇦", "שלום", "مرحبا بكم", "\u202eevil\u202c", "\u200b", "\u200c", "\u200d",
    "\ufeff", "e\u0301", "\u00a0", "港口", "\u2028", "\x0b", "&amp;", "<b>", "</p>", "\ufffd",
)  # fmt: skip

_TOKEN = st.one_of(
    st.sampled_from(_WORDS),
    st.sampled_from(_MARKS),
    st.sampled_from(_PUNCT),
    st.sampled_from(_ODD),
    st.text(max_size=4),
)


@st.composite
def news_text(draw: st.DrawFn, max_tokens: int = 80) -> str:
    """Text made of news words, quote marks, punctuation and odd characters, glued or spaced."""
    tokens = draw(st.lists(_TOKEN, max_size=max_tokens))
    glue = draw(st.sampled_from((" ", "", " ", "\n")))
    return glue.join(tokens)


_TAGS = ("p", "div", "span", "h1", "h2", "article", "script", "style", "b", "table", "td", "li", "br")


@st.composite
def html_page(draw: st.DrawFn) -> str:
    """Markup of nested, unclosed and stray tags around news text."""
    parts: list[str] = []
    for _ in range(draw(st.integers(0, 12))):
        tag = draw(st.sampled_from(_TAGS))
        kind = draw(st.sampled_from(("open", "close", "wrap", "text")))
        body = draw(news_text(max_tokens=25))
        parts.append(
            {"open": f"<{tag}>{body}", "close": f"{body}</{tag}>", "wrap": f"<{tag}>{body}</{tag}>"}.get(
                kind, body
            )
        )
    head = draw(st.sampled_from(("", "<html><head><title>Velmora</title></head><body>", '<html lang="en">')))
    return head + "".join(parts)
