"""Render a `Briefing` as one self-contained HTML page: Jinja2 with autoescape on, CSS inline.

Article text is cut in Python into pieces at the offsets of quotes, cites, headings and contents
entries; the template escapes each piece and wraps it (`<mark>` for a quote, coloured by speaker),
so highlighting never needs to mark article text as safe. Hard-wrapped text is shown reflowed:
a line break where a line merely ran out is shown as a space (`shown_text`).
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from jinja2 import Environment

from storyline.annotate import runs_on
from storyline.annotate.nlp import hard_wrapped
from storyline.briefing.render import (
    SPEAKER_COLOURS,
    anchor_id,
    article_anchor,
    cite_anchor,
    format_date,
    is_web_url,
    template_environment,
)
from storyline.briefing.view import TYPE_LABELS, BriefingView, SourceRef, StoryHead, StoryView
from storyline.model import Article, Briefing, Cite, Quote
from storyline.story.signals import EVIDENCE_SHOWN, describe

# Hues spaced around the wheel so that neighbouring palette slots stay distinguishable.
SPEAKER_HUES = (212, 28, 150, 280, 350, 185, 48, 245, 100, 320)
assert len(SPEAKER_HUES) == SPEAKER_COLOURS
TOOLTIP_CHARS = 280


@dataclass(frozen=True)
class Piece:
    """A run of article text with one look: plain, heading, cited, or a quote of one speaker."""

    text: str  # as shown (`shown_text`): as long as the article's characters it stands for
    anchors: tuple[str, ...] = ()
    speaker: str | None = None  # CSS class of the quote's speaker colour; None outside quotes
    label: str = ""  # the quote's tooltip: who, and which kind
    cited: bool = False
    heading: bool = False


def render(briefing: Briefing, *, include_text: bool = True) -> str:
    """The whole briefing as one HTML page; `include_text` adds each article's highlighted text."""
    context = story_context(BriefingView(briefing), include_text)
    view = context["view"]
    stories = view.stories()
    return (
        environment()
        .get_template("briefing.html.j2")
        .render(
            briefing=briefing,
            stories=stories,
            story_count=len(stories),
            article_count=len(briefing.articles),
            site_count=view.site_count(),
            others=view.unassigned_articles(),
            **context,
        )
    )


@dataclass(frozen=True)
class PageParts:
    """The head and tail of the page written a story at a time (`briefing.stream`, the workbench's
    export), from the list of stories; each story's part is `story_part`."""

    header: Briefing
    heads: Sequence[StoryHead]
    article_count: int
    site_count: int
    include_text: bool = True

    def _context(self) -> dict[str, Any]:
        return {
            "briefing": self.header,
            "stories": self.heads,
            "story_count": len(self.heads),
            "article_count": self.article_count,
            "site_count": self.site_count,
            "others": [],  # every article of a plan is in a story
            "include_text": self.include_text,
        }

    def head(self) -> str:
        return "".join(self.head_pieces())

    def head_pieces(self) -> Iterator[str]:
        """The head a piece at a time: its list of stories grows with the store (one line each,
        ~150 bytes), and the heads may be read from disk as it goes."""
        yield from environment().get_template("briefing_head.html.j2").generate(**self._context())
        yield "\n"

    def tail(self) -> str:
        return environment().get_template("briefing_tail.html.j2").render(**self._context())


def story_part(
    view: BriefingView, shown: StoryView, number: int, count: int, include_text: bool = True
) -> str:
    """One story's part of the page, `number` of `count`, from its own view."""
    template = environment().get_template("briefing_story.html.j2")
    parts = story_context(view, include_text)
    return template.render(s=shown, number=number, story_count=count, **parts) + "\n"


def story_context(view: BriefingView, include_text: bool) -> dict[str, Any]:
    """What the story part of the page reads besides the story: the view, the cut-up article
    texts, and where a source link goes (the cited words, or the article when texts are left out)."""
    cites = cited_spans(view.briefing)
    quotes: dict[str, list[Quote]] = {}
    for quote in view.briefing.quotes:
        quotes.setdefault(quote.cite.article, []).append(quote)

    def pieces(article: Article) -> list[Piece]:
        return text_pieces(view, article, quotes.get(article.id, []), cites.get(article.id, set()))

    def target(ref: SourceRef) -> str:
        return ref.anchor if include_text else ref.article_anchor

    return {"view": view, "pieces": pieces, "target": target, "include_text": include_text}


@functools.cache
def environment() -> Environment:
    env = template_environment("storyline.briefing")
    env.globals.update(
        type_labels=TYPE_LABELS,
        hues=SPEAKER_HUES,
        speaker_class=speaker_class,
        tooltip=tooltip,
        anchor_id=anchor_id,
        article_anchor=article_anchor,
        toc_anchor=toc_anchor,
        is_web_url=is_web_url,
        format_date=format_date,
        signal_label=describe,
        evidence_shown=EVIDENCE_SHOWN,
    )
    return env


def speaker_class(colour: int) -> str:
    return f"sp-{colour}" if colour >= 0 else "sp-none"


def tooltip(ref: SourceRef) -> str:
    words = ref.words if len(ref.words) <= TOOLTIP_CHARS else ref.words[:TOOLTIP_CHARS].rstrip() + "…"
    return f"{ref.site} — “{ref.title}”\n“{words}”"


def toc_anchor(article_id: str, start: int) -> str:
    return anchor_id("t", article_id, start)


def cited_spans(briefing: Briefing) -> dict[str, set[Cite]]:
    """Every cite the page links to, by article: each gets an anchor in the article's text."""
    spans: dict[str, set[Cite]] = {}
    for cite in _all_cites(briefing):
        spans.setdefault(cite.article, set()).add(cite)
    return spans


def _all_cites(b: Briefing) -> Iterator[Cite]:
    for story in b.stories:
        for passage in (*story.summary, *story.takeaways, *(p for f in story.faq for p in f.answer)):
            yield from passage.cites
        for entry in story.timeline:
            yield entry.cite
            yield from entry.cites
    yield from (role.cite for e in b.entities for role in e.roles)
    yield from (q.cite for q in b.quotes)
    yield from (c for claim in b.claims for c in claim.mentions)
    yield from (c for conflict in b.conflicts for side in conflict.sides for c in side.cites)
    yield from (c for stance in b.stances for c in stance.cites)
    yield from (e.cite for e in b.events)
    yield from (e for s in b.signals for e in s.evidence if isinstance(e, Cite))


def text_pieces(view: BriefingView, article: Article, quotes: list[Quote], cites: set[Cite]) -> list[Piece]:
    """Cut `article.text` at every span boundary; each piece knows its anchors and its look.

    The pieces' texts are cut from `shown_text(article)`, which is exactly as long as the article's
    text: joined, they are the text as shown, and every offset into the article still holds."""
    text = shown_text(article)

    def clamp(i: int) -> int:
        return max(0, min(len(text), i))

    quote_spans = [(clamp(q.cite.start), clamp(q.cite.end), q) for q in quotes]
    cite_spans = [(clamp(c.start), clamp(c.end)) for c in cites]
    heading_spans = [(clamp(h.start), clamp(h.end)) for h in article.headings]
    anchors: dict[int, list[str]] = {}
    for cite in sorted(cites, key=lambda c: (c.start, c.end)):
        anchors.setdefault(clamp(cite.start), []).append(cite_anchor(cite))
    for entry in article.toc:
        anchors.setdefault(clamp(entry.start), []).append(toc_anchor(article.id, entry.start))
    spans = [(s, e) for s, e, _ in quote_spans] + cite_spans + heading_spans
    bounds = sorted({0, len(text), *anchors, *(i for span in spans for i in span)})
    pieces = []
    for start, end in zip(bounds, [*bounds[1:], len(text)], strict=True):
        # The innermost quote wins where quotes nest (a partial quote inside a reported one).
        covering = [q for s, e, q in quote_spans if s <= start < e]
        quote = min(covering, key=lambda q: q.cite.end - q.cite.start) if covering else None
        pieces.append(
            Piece(
                text=text[start:end],
                anchors=tuple(dict.fromkeys(anchors.get(start, ()))),
                speaker=speaker_class(view.colour(quote.speaker)) if quote else None,
                label=quote_label(view, quote) if quote else "",
                cited=any(s <= start < e for s, e in cite_spans),
                heading=any(s <= start < e for s, e in heading_spans),
            )
        )
    return pieces


_WORD_JOINER = "\u2060"


def shown_text(article: Article) -> str:
    """`article.text` as a page shows it, character for character as long. In hard-wrapped text
    (`nlp.hard_wrapped`) a line break where the line ran out, mid-paragraph, is a space, so that
    the text reflows to the page's width; a blank line, a line that ends a sentence, a table row
    and a heading keep their breaks; a break after a hyphen joins the word. Other text is shown as
    it is."""
    text = article.text
    if not hard_wrapped(text):
        return text
    shown = list(text)
    lines = text.split("\n")
    offset = 0  # of the line break after `line`
    for line, following in zip(lines, lines[1:], strict=False):
        offset += len(line)
        if runs_on(line, following) and not any(h.start - 1 <= offset <= h.end for h in article.headings):
            # A compound cut after its hyphen ("English-" / "language") is one word again; a word
            # joiner stands for the break, keeping the text as long (offsets) and invisible.
            joined = line[-2:-1].isalpha() and line.endswith("-") and following[:1].isalpha()
            shown[offset] = _WORD_JOINER if joined else " "
        offset += 1
    return "".join(shown)


def quote_label(view: BriefingView, quote: Quote) -> str:
    speaker = view.entity_name(quote.speaker) or quote.speaker_text or "unattributed"
    return f"{speaker} · {quote.kind} quote"
