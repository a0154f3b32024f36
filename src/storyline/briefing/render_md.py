"""Render a `Briefing` as Markdown: the story view from `view.py`, written line by line.

Article text is untrusted: every piece of it goes through `md_text`, which folds it onto one line
and backslash-escapes the characters that could open a link, an image, emphasis, code or HTML, so a
title like `[x](javascript:…)` reads as text. Citations are footnote numbers with a Sources list.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence

from storyline.briefing.render import anchor_id, article_anchor, format_date, is_web_url
from storyline.briefing.view import (
    TYPE_LABELS,
    BriefingView,
    Cited,
    ClaimRow,
    EntityRow,
    EventRow,
    Note,
    SourceRef,
    StoryHead,
    StoryView,
)
from storyline.model import Article, Briefing
from storyline.story.signals import EVIDENCE_SHOWN, describe

_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~])")
# A line that starts like a list item, a numbered item or a setext underline would change the block.
_BULLET = re.compile(r"^([-+=])")
_NUMBERED = re.compile(r"^(\d+)([.)])")


def md_text(text: str | None) -> str:
    """Article text made inert inside one Markdown line."""
    return _SPECIAL.sub(r"\\\1", " ".join((text or "").split()))


def md_line(text: str) -> str:
    """Rendered text that starts a line: a leading `-` or `1.` must not open a list."""
    return _NUMBERED.sub(r"\1\\\2", _BULLET.sub(r"\\\1", text))


def render(briefing: Briefing) -> str:
    """The whole briefing as one Markdown document."""
    view = BriefingView(briefing)
    stories = view.stories()
    out = list(head_lines([StoryHead.of(s) for s in stories], len(briefing.articles), view.site_count()))
    for story in stories:
        out += story_lines(view, story)
    others = view.unassigned_articles()
    if others:
        out += ["## Articles in no story", ""]
        for article in others:
            out += article_lines(view, article)
    out += footer_lines(briefing)
    return "\n".join(out).rstrip() + "\n"


def head_lines(stories: Sequence[StoryHead], articles: int, sites: int) -> Iterator[str]:
    """The title, the counts and the list of stories, a line at a time (`stories` may be on disk)."""
    counts = f"{plural(len(stories), 'story', 'stories')} · {plural(articles, 'article')}"
    yield from ("# Briefing", "", f"{counts} from {plural(sites, 'source')}", "")
    if len(stories) > 1:
        yield from (f"{i}. [{md_text(s.title)}](#{s.anchor})" for i, s in enumerate(stories, 1))
        yield ""
    if not stories:
        yield from ("_No stories in this briefing._", "")


def plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word if n == 1 else (many or word + 's')}"


def story_lines(view: BriefingView, story: StoryView) -> list[str]:
    sections = story.sections()
    meta = [plural(len(story.articles), "article"), plural(story.sites, "source")]
    if story.date_range:
        meta.append(story.date_range)
    out = [f'<a id="{story.anchor}"></a>', "", f"## {md_text(story.title)}", "", " · ".join(meta), ""]
    out += ["Contents: " + " · ".join(f"[{md_text(title)}](#{anchor})" for anchor, title in sections), ""]

    def section(key: str) -> list[str]:
        anchor = anchor_id(story.anchor, key)
        return [f'<a id="{anchor}"></a>', "", f"### {md_text(story.heading(key))}", ""]

    if story.summary:
        out += (
            section("summary")
            + [md_line(cited(c)) for c in story.summary]
            + [""]
            + notes(story.summary_notes)
        )
    if story.takeaways:
        out += section("takeaways") + [f"- {cited(c)}" for c in story.takeaways] + [""]
        out += notes(story.takeaway_notes)
    if story.faq:
        out += section("faq")
        for question, answer in story.faq:
            out += [f"**Q: {md_text(question)}**", "", md_line(" ".join(cited(c) for c in answer)), ""]
        out += notes(story.faq_notes)
    if story.entities:
        out += section("entities") + entity_lines(story)
    if story.quote_groups:
        out += section("quotes") + quote_lines(story)
    if story.timeline:
        out += section("timeline") + timeline_lines(story)
    if story.agree or story.differ or story.alone:
        out += section("claims") + comparison_lines(story)
    if story.stance_rows:
        out += section("stances") + stance_lines(story)
    if story.events:
        out += section("events") + [event_line(e) for e in story.events] + [""]
    if story.articles:
        out += section("sources")
        for article in story.articles:
            out += article_lines(view, article)
    return out


def cited(item: Cited) -> str:
    marks = "".join(f"[{n}]" for n in item.numbers)
    return f"{md_text(item.text)} {marks}" if marks else md_text(item.text)


def notes(items: Iterable[Note]) -> list[str]:
    """The Sources list closing a section: `[1] Site — "Title", chars 120–245: “cited words”`."""
    lines = []
    for note in items:
        ref = note.ref
        words = f": “{md_text(ref.words)}”" if ref.words and not note.verbatim else ""
        lines.append(f"- [{note.number}] {source(ref)}, chars {ref.start}–{ref.end}{words}")
    return ["Sources:", "", *lines, ""] if lines else []


def source(ref: SourceRef) -> str:
    return f'{md_text(ref.site)} — "{md_text(ref.title)}"'


def source_link(ref: SourceRef) -> str:
    # The Markdown has no article text to hold a passage anchor, so links go to the source block.
    return f"[{source(ref)}](#{ref.article_anchor})"


def entity_lines(story: StoryView) -> list[str]:
    out: list[str] = []
    for kind, rows in story.entity_groups():
        out += [f"#### {TYPE_LABELS.get(kind, md_text(kind))}", ""]
        out += [entity_line(row) for row in rows] + [""]
    return out


def entity_line(row: EntityRow) -> str:
    parts = [
        f"- **{md_text(row.name)}** ({md_text(row.type)}) — "
        f"{plural(row.mentions, 'mention')} in {plural(row.articles, 'article')}"
    ]
    if row.variants:
        parts.append("also written: " + ", ".join(md_text(v) for v in row.variants))
    if row.roles:
        parts.append(
            "roles: "
            + "; ".join(
                f"{md_text(r)} ({', '.join(source_link(ref) for ref in refs)})" for r, refs in row.roles
            )
        )
    return " · ".join(parts)


def quote_lines(story: StoryView) -> list[str]:
    out: list[str] = []
    for group in story.quote_groups:
        if group.speaker is None:
            heading = "Unattributed"
        else:
            role = f" — {md_text(group.role)}" if group.role else ""
            heading = f"{md_text(group.speaker)}{role}"
        out += [f"#### {heading}", ""]
        for q in group.quotes:
            words = f"Reported: {md_text(q.text)}" if q.kind == "indirect" else f"“{md_text(q.text)}”"
            meta = [f"{q.kind} quote"] + ([f"cue: {md_text(q.cue)}"] if q.cue else [])
            sources = ", ".join(source_link(ref) for ref in (q.ref, *q.also))
            line = f"- {words} — {', '.join(meta)} — {sources}"
            if q.resolved_from:
                line += f" _(speaker resolved from ‘{md_text(q.resolved_from)}’)_"
            out.append(line)
        out.append("")
    return out


def timeline_lines(story: StoryView) -> list[str]:
    out = []
    for row in story.timeline:
        line = f"- **{md_text(row.date)}** — {md_text(row.text)} — " + "; ".join(
            source_link(ref) for ref in row.sources
        )
        out.append(line + (f" · reported {row.reported}" if row.reported else ""))
    return [*out, ""]


def claim_line(row: ClaimRow) -> str:
    actor = f"{md_text(row.actor)}: " if row.actor else ""
    denial = " (denial)" if row.polarity == "deny" else ""
    count = f" — {plural(row.sources, 'source')}" if row.sources >= 2 else ""
    return f"- {actor}{cited(row.text)}{denial}{count}"


def comparison_lines(story: StoryView) -> list[str]:
    out: list[str] = []
    if story.agree:
        out += ["#### Where the sources agree", "", *map(claim_line, story.agree), ""]
    if story.differ:
        out += ["#### Where the sources differ", ""]
        for conflict in story.differ:
            out += [f"- **{md_text(conflict.summary)}** ({md_text(conflict.kind)}). These sources disagree:"]
            for label, refs in conflict.sides:
                words = (
                    "; ".join(f"“{md_text(r.words)}” — {source_link(r)}" for r in refs) or "(no cited words)"
                )
                out.append(f"  - {md_text(label)}: {words}")
        out.append("")
    if story.alone:
        out += ["#### What only one source says", "", *map(claim_line, story.alone), ""]
    return out + notes(story.claim_notes)


def stance_lines(story: StoryView) -> list[str]:
    out = [
        "| Actor | " + " | ".join(md_text(i) for i in story.stance_issues) + " |",
        "|---" * (len(story.stance_issues) + 1) + "|",
    ]
    for actor, cells in story.stance_rows:
        out.append(f"| {md_text(actor)} | " + " | ".join(cited(c) if c else "" for c in cells) + " |")
    return [*out, "", *notes(story.stance_notes)]


def event_line(row: EventRow) -> str:
    who = " → ".join(md_text(x) for x in (row.source, row.target) if x)
    when = f", {md_text(row.date)}" if row.date else ""
    return f"- **{md_text(row.type)}** {who}{when}: “{md_text(row.ref.words)}” — {source_link(row.ref)}"


def article_lines(view: BriefingView, article: Article) -> list[str]:
    """One source: its metadata, contents, signals and what the cleaner removed."""
    title = md_text(article.title or "untitled")
    out = [f'<a id="{article_anchor(article.id)}"></a>', "", f"#### {title}", ""]
    meta = [f"Site: {md_text(article.site or article.source)}"]
    meta += [f"Author: {md_text(article.author)}"] if article.author else []
    meta += [f"Published: {format_date(article.published)}"] if article.published else []
    out.append("- " + " · ".join([*meta, f"Language: {md_text(article.language)}"]))
    if article.url:
        out.append(f"- URL: <{article.url}>" if plain_url(article.url) else f"- URL: {md_text(article.url)}")
    if article.duplicate_of:
        original = view.articles.get(article.duplicate_of)
        name = md_text(original.title or "untitled") if original else md_text(article.duplicate_of)
        out.append(f"- Duplicate of: [{name}](#{article_anchor(article.duplicate_of)})")
    if article.toc:
        out.append("- Contents: " + " · ".join(md_text(t.title) for t in article.toc))
    return [*out, *signal_lines(view, article), *removed_lines(article), ""]


def signal_lines(view: BriefingView, article: Article) -> list[str]:
    """Each signal with its unit and the first pieces of its evidence; a cite into another source
    (the title a second outlet gives, say) links to that source."""
    signals = view.signals(article.id)
    out = ["- Signals (measurements to help reading, not verdicts):"] if signals else []
    here = article_anchor(article.id)
    for s in signals:
        shown = [
            (f"“{md_text(e.words)}”" if e.article_anchor == here else evidence_text(e))
            if isinstance(e, SourceRef)
            else md_text(e)
            for e in s.evidence[:EVIDENCE_SHOWN]
        ]
        if len(s.evidence) > EVIDENCE_SHOWN:
            shown.append(f"and {len(s.evidence) - EVIDENCE_SHOWN} more")
        evidence = f" — {'; '.join(shown)}" if shown else ""
        out.append(f"  - {md_text(describe(s.signal, s.value))}{evidence}")
    return out


def evidence_text(item: SourceRef | str) -> str:
    return f"“{md_text(item.words)}” — {source_link(item)}" if isinstance(item, SourceRef) else md_text(item)


def removed_lines(article: Article) -> list[str]:
    out = [f"- What was removed ({plural(len(article.removed), 'line')}):"] if article.removed else []
    for r in article.removed:
        where = f"line {r.line}" if r.line is not None else "line ?"
        out.append(f"  - {where}: “{md_text(r.text)}” — {md_text(r.reason)}")
    return out


def plain_url(url: str) -> bool:
    """An http(s) URL that can sit inside `<…>` as an autolink without breaking out of it."""
    return is_web_url(url) and not any(ch.isspace() or ch in "<>" for ch in url)


def footer_lines(briefing: Briefing) -> list[str]:
    inputs = briefing.inputs
    out = ["---", "", f"Inputs: {inputs.ok} read, {len(inputs.failed)} failed", ""]
    for f in inputs.failed:
        where = f"{f.path}:{f.line}" if f.line is not None else f.path
        out.append(f"- {md_text(where)} — {md_text(f.error)}")
    if inputs.failed:
        out.append("")
    tool = briefing.tool
    stages = f" (stages: {', '.join(md_text(s) for s in tool.stages)})" if tool.stages else ""
    made = f"Made by {md_text(tool.name)} {md_text(tool.version)}{stages}"
    out.append(f"{made} · generated {md_text(briefing.generated_at)}")
    return out
