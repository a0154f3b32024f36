"""Line-level cleaning of plain-text articles: boilerplate lines out; title, headings and TOC found.

Each line is matched against small pattern families (navigation, teasers, share and subscribe
widgets, ads, legal notices, photo credits, bylines, datelines, comment widgets), then judged by its
neighbours: the headline after "Next article", an outlet's name beside the byline, an author bio
closing the text, a wire's sign-off on the last line, a table of contents whose entries repeat the
headings (see `headings`). A line with a quotation mark is never removed as boilerplate: it carries
someone's words. The first line is the title only when it cannot be the start of the first
sentence. The author, day and site are then read from the byline and dateline lines (see `textmeta`).

The cleaned text keeps every kept line whole (stripped of surrounding whitespace, no character
changed) and joins lines with "\\n"; where the input had one or more blank lines between two kept
lines it has exactly one ("\\n\\n"). Offsets in `headings` and `toc` index this text.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from storyline.annotate.nlp import hard_wrapped
from storyline.clean import headings as shape
from storyline.clean import textmeta
from storyline.model import Heading, Removed, TocEntry

__all__ = ["REASONS", "CleanText", "clean_text"]

# Why a line was removed. `byline` and `dateline` lines keep their text in `removed`: `textmeta`
# reads the author, day and site from them.
REASONS = (
    "navigation",  # prev/next links and their headlines, menus, breadcrumbs, "back to top"
    "teaser",  # "read more", related-story lists, summary and listen buttons
    "share",  # share, follow, subscribe, newsletter and app promotions
    "advertisement",  # ad labels, sponsored content, "story continues below"
    "legal",  # copyright lines, cookie notices, syndication notes, footer links
    "caption",  # photo captions and credits
    "byline",  # "By Jane Doe", "Jane Doe, Staff Writer", "Reporting by ...", the outlet's name line
    "dateline",  # "Published 5 March 2031", "4 min read", "CITY, 5 March 2031" alone on a line
    "comments",  # comment widgets: "Comments", "Leave a reply"
    "author_bio",  # the paragraph about the writer that closes the article
    "toc",  # a table of contents (its entries are kept in `CleanText.toc`)
    "signoff",  # a last line that only names the wire or outlet ("Reuter") or ends the copy ("-30-")
)


@dataclass(frozen=True)
class CleanText:
    """An article body with its title, headings, TOC, removed lines (offsets index `text`) and the
    author, day (YYYY-MM-DD) and site its byline and dateline lines give."""

    text: str
    title: str | None = None
    headings: tuple[Heading, ...] = ()
    toc: tuple[TocEntry, ...] = ()
    removed: tuple[Removed, ...] = ()
    author: str | None = None
    published: str | None = None
    site: str | None = None


def _family(*alternatives: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{a})" for a in alternatives))


_SOCIAL = r"twitter|x|facebook|instagram|linkedin|threads|bluesky|tiktok|youtube|telegram|mastodon|whatsapp"
_NAV_LINK = _family(
    r"(?:previous|prev|next|older|newer)(?: (?:article|post|story|page|entry|item|read|news))?s?"
)
_LIST_HEADER = _family(
    r"related|read more|read also|also read|see also|more (?:from|on|in|about) (?:\S+ ){0,3}\S+",
    r"(?:more|related|recommended|popular|latest|top|other|similar|trending) "
    r"(?:stories|articles|posts|news|reads|coverage|content|videos|links|reading)",
    r"you (?:may|might) (?:also )?(?:like|enjoy|be interested in)|recommended(?: for you)?|further reading",
    r"most (?:read|popular|viewed|shared)|trending(?: now)?|top stories|read next|what to read next",
    r"don't miss|must reads?|editors?'? ?picks?|latest news",
)
_WEAK_SHARE = _family(
    rf"{_SOCIAL}|email|e-mail|mail|print|reddit|pinterest|copy(?: article)?(?: link| url)?|link copied",
    r"messenger|flipboard|sms|more|link|gift(?: this)? article",
)
# (reason, most words, whether a line that reads as prose may match, pattern on the line's key).
# Families naming a widget ("Comments", "Next") leave prose alone; promotions and notices are often
# whole sentences, so theirs are anchored on openings that article prose does not use.
_KEY_FAMILIES: tuple[tuple[str, int, bool, re.Pattern[str]], ...] = (
    ("navigation", 30, False, _family(
        r"(?:previous|prev|next|older|newer) (?:article|post|story|page|entry|item|read)s?(?:\W.*)?",
        r"previous|prev|next|older|newer|back|close|home|search|loading|my account",
        r"log ?(?:in|out)|sign ?(?:in|out)|you are here\b.*|please enable javascript\b.*",
        r"(?:back|return|go|scroll) to (?:the )?(?:top|home ?page|home|main menu)",
        r"skip to (?:the )?(?:main )?(?:content|navigation|article)",
        r"(?:toggle |main |open |close )?(?:menu|navigation)",
        r"already (?:a subscriber|have an account|registered)\b.*",
        r"(?:[\w'&.-]+(?: [\w'&.-]+){0,3} ?[»›>] ?){2,}[\w'&.-]+(?: [\w'&.-]+){0,3}",  # breadcrumbs
    )),
    ("teaser", 30, False, _family(rf"(?:{_LIST_HEADER.pattern})(?: ?[:|»›] ?.+)?")),
    ("teaser", 30, True, _family(
        r"(?:no|short on|pressed for|not enough|don't have(?: the)?) time(?: to read)?"
        r"(?: (?:this|it|the (?:full )?(?:article|story)))?|in a (?:hurry|rush)",
        r"(?:get|show|see|view|read|open)(?: me)? (?:a|an|the) (?:quick |short |ai |brief )?"
        r"(?:summary|gist|overview|recap|short version|key points|highlights)"
        r"(?: of (?:this|the) (?:article|story))?",
        r"(?:click|tap) here\b.*|continue reading\b.*",
        r"listen to (?:this|the) (?:article|story|episode|podcast)\b.*",
        r"(?:watch|video|listen|audio|photos|gallery|podcast) ?[:|] .*",
    )),
    ("comments", 15, False, _family(
        r"(?:\d+ )?comments?(?: \(?\d+)?|(?:\d+ )?(?:responses?|replies)|reply",
        r"(?:leave|post|add|write|view|show|hide|load|submit)"
        r"(?: (?:a|an|all|the|your|more|new|our|\d+)){0,2} (?:comments?|reply|replies|responses?)\b.*",
        r"comments? (?:are|is|have been) (?:now )?(?:closed|disabled|turned off)\b.*|no comments(?: yet)?",
        r"join the (?:conversation|discussion|debate)\b.*|be the first to comment\b.*",
        r"share your thoughts\b.*|tell us what you think\b.*|have your say\b.*|what do you think",
    )),
    ("share", 12, False, _family(
        r"share(?: this| it)?|(?:\d+ )?shares?|tweet(?: this| it)?",
        r"share (?:this|the) (?:article|story|post|page|link)\b.*|share (?:on|via|to|with) (?:\S+ ){0,2}\S+",
        r"(?:email|e-mail|pin|save|bookmark|print) (?:this|it)(?: article| story| page| post)?",
        r"(?:subscribe|sign up|sign-up|signup)(?: now| today| here| for free| free)?",
        r"(?:subscribe|sign up|sign-up|signup) (?:to|for) (?:our|free|a free) .*",
    )),
    ("share", 30, True, _family(
        rf"follow (?:us|me|@\S+)\b.*|follow (?:\S+ ){{1,3}}on (?:{_SOCIAL})\b.*",
        r"like us on facebook\b.*|(?:join|find|connect with) us on \w+.*",
        r"(?:subscribe|sign up|sign-up|signup|get|join|register|receive|enter your email)\b.*"
        r"\b(?:newsletters?|inbox|alerts?|updates|briefing|digest|subscription|free trial)\b.*",
        r"(?:download|get|install) (?:the|our) (?:\S+ ){0,3}app\b.*|(?:enter )?your email(?: address)?",
    )),
    ("advertisement", 12, False, _family(
        r"advertisement|advertising|advert|ads?|sponsored(?: (?:content|post|story|links?|by\b.*))?",
        r"promoted(?: (?:content|stories|by\b.*))?|paid (?:content|post|partnership|for by\b.*)",
        r"partner content|supported by|remove ads|ad feedback|report (?:this )?ad",
        r"(?:story|article|content|text) continues (?:below|after)"
        r"(?: this| the)?(?: advertisement| ad| video)?",
        r"scroll (?:down )?to continue(?: with content| reading)?|continue reading (?:the main story|below)",
    )),
    ("legal", 60, True, _family(
        r"(?:we|this (?:web)?site|our (?:web)?site|this page) uses? cookies\b.*",
        r"(?:accept|reject|manage|allow|decline)(?: all)? cookies\b.*",
        r"cookie (?:policy|settings|preferences|notice)\b.*",
        r"by (?:continuing|using|browsing)\b.*\b(?:cookies|agree|consent)\b.*",
        r"(?:(?:privacy policy|terms of (?:use|service)|terms (?:and|&) conditions|contact us|about us"
        r"|cookie policy|accessibility|sitemap|careers|advertise with us)\W*)+|all rights reserved",
        r"this (?:material|article|content|story) (?:may|must) not be "
        r"(?:published|reproduced|copied|redistributed)\b.*",
        r"this (?:article|story|report|piece|post|column) (?:was|is|has been) (?:originally |first )?"
        r"(?:published|posted|appeared)\b.*",
        r"(?:this (?:article|story) is )?republished (?:here )?(?:with|under|by|from)\b.*",
    )),
    ("caption", 40, True, _family(
        r"(?:image|photo|picture|video|graphic)s? (?:caption|credit|source)s?\b.*",
        r"(?:photo|photograph|image|picture|pictured|illustration|photo credit|credit)s? ?[:|] .*",
        r"(?:photo|image|picture|illustration)s? (?:by|courtesy(?: of)?)\b.*|file photo\b.*",
        r"getty images|shutterstock|alamy|ap photo",
    )),
)  # fmt: skip
_AGENCIES = (
    r"REUTERS|Reuters|AFP|AP|EPA|Getty Images|Shutterstock|Alamy|Bloomberg|Anadolu Agency|Xinhua|TASS"
    r"|Sputnik|dpa|SIPA|Pool"
)
# (reason, most words, pattern searched in the raw line)
_RAW_FAMILIES: tuple[tuple[str, int, re.Pattern[str]], ...] = (
    ("legal", 30, re.compile(r"^(?:©|Ⓒ|\([cC]\)\s?\d|[Cc]opyright\b|COPYRIGHT\b)")),
    ("caption", 60, re.compile(rf"\b(?:{_AGENCIES})(?: Photo| via Getty Images)?\s?/\s?[A-Z]")),
    (
        "caption",
        10,
        re.compile(rf"^\(?(?:[A-Z][\w.'’-]*\s){{0,4}}[A-Z][\w.'’-]*\s?/\s?(?:{_AGENCIES})\)?\.?$"),
    ),
)


def clean_text(text: str, title: str | None = None) -> CleanText:
    """Split `text` into kept lines and removed boilerplate; find its title, headings and TOC.

    `title` is the one the input gives, if any: then only a first line that repeats it is taken
    for the title (a first line that does not is the text's own, and stays in it).
    """
    lines = [line.strip() for line in re.split(r"\r\n|\r|\n", text)]
    reasons = _classify_lines(lines)
    tocs = shape.find_tocs(lines, skip=reasons.keys())
    for block in tocs:
        reasons.update(dict.fromkeys(block.lines, "toc"))
    _mark_signoff(lines, reasons)
    _mark_author_bio(lines, reasons, _writers(lines, reasons))
    kept = [i for i, line in enumerate(lines) if line and i not in reasons]
    # The annotate stage's test of wrapped text (its sentence starts depend on it), so both stages
    # read a line break the same way; it is judged on the text as cleaned, which it was tuned on.
    wrapped = hard_wrapped(_assemble(lines, kept)[0])
    head = _title_line(lines, kept, reasons, title, wrapped)
    body = kept[1:] if head is not None else kept
    forced = {t for block in tocs for t in block.targets if t is not None} & set(body)
    levels = shape.find_headings(lines, body, forced, wrapped)
    cleaned, offsets = _assemble(lines, body)
    removed = tuple(Removed(lines[i], reasons[i], i + 1) for i in sorted(reasons))
    meta = textmeta.read_meta(removed, cleaned)
    return CleanText(
        text=cleaned,
        title=lines[head] if head is not None else None,
        headings=tuple(
            Heading(offsets[i], offsets[i] + len(lines[i]), level) for i, level in sorted(levels.items())
        ),
        toc=shape.toc_entries(tocs, body, offsets, len(cleaned)),
        removed=removed,
        author=meta.author,
        published=meta.published,
        site=meta.site,
    )


def _title_line(
    lines: Sequence[str], kept: Sequence[int], reasons: Collection[int], given: str | None, wrapped: bool
) -> int | None:
    """The first kept line when it is the article's headline: shaped like one, the input's title
    again when the input gives one, and neither the head of the first sentence (a line the one
    under it goes on) nor the first row of a table.

    A line the cleaner took for the title leaves the text without a trace in `removed`, so a
    doubtful one stays: on Reuters-21578, whose wire copy is wrapped at ~65 characters, 430 of the
    first 1,000 stories lost the first half of their first sentence ("Standard Oil Co and BP North
    America" / "Inc said they plan ...") or the first row of their earnings table that way.
    """
    if not kept:
        return None
    first = kept[0]
    following = lines[kept[1]] if len(kept) > 1 else ""
    if not shape.looks_like_title(lines[first], following):
        return None
    if given and not shape.repeats_title(lines[first], given):
        return None
    # Removed lines count as gaps: a headline over a byline is not the head of a sentence.
    visible = [line if i not in reasons else "" for i, line in enumerate(lines)]
    if shape.goes_on(visible, first, wrapped) or shape.is_table_row(visible, first):
        return None
    return first


def _assemble(lines: Sequence[str], body: Sequence[int]) -> tuple[str, dict[int, int]]:
    parts: list[str] = []
    offsets: dict[int, int] = {}
    pos = 0
    for n, i in enumerate(body):
        if n:
            gap = lines[body[n - 1] + 1 : i]
            sep = "\n\n" if any(not line for line in gap) else "\n"
            parts.append(sep)
            pos += len(sep)
        offsets[i] = pos
        parts.append(lines[i])
        pos += len(lines[i])
    return "".join(parts), offsets


def _key(line: str) -> str:
    key = " ".join(line.replace("’", "'").casefold().split())
    return re.sub(r"^[\W_]+|[\W_]+$", "", key)


def _line_reason(line: str) -> str | None:
    n = len(shape.words(line))
    if n == 0 or shape.has_quote(line):
        return None
    key = _key(line)
    prose = shape.is_prose(line)
    for reason, most, prose_ok, pattern in _KEY_FAMILIES:
        if n <= most and (prose_ok or not prose) and pattern.fullmatch(key):
            return reason
    for reason, most, pattern in _RAW_FAMILIES:
        if n <= most and pattern.search(line):
            return reason
    if textmeta.parse_byline(line) is not None:
        return "byline"
    if textmeta.is_dateline(line, marked_only=True) or textmeta.is_wire_dateline(line):
        return "dateline"
    return None


def _classify_lines(lines: Sequence[str]) -> dict[int, str]:
    reasons: dict[int, str] = {}
    free: list[int] = []
    for i, line in enumerate(lines):
        # In text wrapped at a fixed width a short line can be the tail of a sentence ("shares."),
        # but not of a boilerplate line (a byline does not go on into "No time to read?"), and an
        # unfinished line of a date with its year under the headline is its dateline ("on May 2, 2031").
        if line and (i - 1 in reasons or not shape.continues_sentence(lines, i) or _is_dated(line)):
            free.append(i)
            if (reason := _line_reason(line)) is not None:
                reasons[i] = reason
    _mark_link_followers(lines, reasons)
    _mark_share_runs(lines, reasons)
    _mark_outlet_names(lines, reasons)
    prose = [i for i, line in enumerate(lines) if i not in reasons and shape.is_prose(line)]
    for i in free:
        # A bare date is metadata only above or below the article; inside it may be a section heading.
        outside = not prose or i < prose[0] or i > prose[-1]
        if outside and i not in reasons and not shape.has_quote(lines[i]) and textmeta.is_dateline(lines[i]):
            reasons[i] = "dateline"
    return reasons


def _is_dated(line: str) -> bool:
    return (
        shape.last_char(line) not in ".!?…" and textmeta.is_dateline(line) and bool(textmeta.find_day(line))
    )


def _next_line(lines: Sequence[str], i: int) -> int | None:
    return next((j for j in range(i + 1, len(lines)) if lines[j]), None)


def _mark_outlet_names(lines: Sequence[str], reasons: dict[int, str]) -> None:
    """The outlet's name on a line of its own beside a byline or dateline, above the story.

    The first line is left alone: there it is the headline's place.
    """
    filled = [i for i, line in enumerate(lines) if line]
    for previous, i, after in zip(filled, filled[1:], [*filled[2:], -1], strict=False):
        if i not in reasons and shape.is_prose(lines[i]):
            return
        beside = {reasons.get(previous), reasons.get(after)}
        if i not in reasons and beside & {"byline", "dateline"} and textmeta.is_outlet_name(lines[i]):
            reasons[i] = "byline"


def _mark_signoff(lines: Sequence[str], reasons: dict[int, str]) -> None:
    """The last line when it only signs the copy off (see `textmeta.is_signoff`) and the line above
    does not leave a sentence open ("... told" / "Reuters" is the end of a sentence)."""
    filled = [i for i, line in enumerate(lines) if line and i not in reasons]
    if len(filled) < 2:
        return
    last = filled[-1]
    above = next(i for i in range(last - 1, -1, -1) if lines[i])
    outlets = _outlets(lines, reasons)
    if textmeta.is_signoff(lines[last], outlets) and not shape.ends_open(lines[above]):
        reasons[last] = "signoff"


def _outlets(lines: Sequence[str], reasons: dict[int, str]) -> frozenset[str]:
    """The outlets the byline lines name, and the outlet name lines beside them."""
    names: set[str] = set()
    for i in (i for i, reason in reasons.items() if reason == "byline"):
        byline = textmeta.parse_byline(lines[i])
        if byline is None:
            names.add(lines[i])  # an outlet's name on a line of its own (`_mark_outlet_names`)
        elif byline.outlet:
            names.add(byline.outlet)
    return frozenset(names)


def _is_link(line: str) -> bool:
    text = shape.strip_list_mark(line)
    n = len(shape.words(text))
    return (
        1 <= n <= 25
        and not shape.has_quote(line)
        and shape.last_char(text) not in ".;,"
        and not shape.is_prose(text)
    )


def _mark_link_followers(lines: Sequence[str], reasons: dict[int, str]) -> None:
    """The headline after a "Next article" line, and the headlines listed under "Related stories"."""
    for i, line in enumerate(lines):
        if i not in reasons or not line:
            continue
        key = _key(line)
        if _NAV_LINK.fullmatch(key):
            j = _next_line(lines, i)
            if j is not None and j not in reasons and _is_link(lines[j]):
                reasons[j] = "navigation"
        elif _LIST_HEADER.fullmatch(key):
            j = _next_line(lines, i)
            for _ in range(12):
                if j is None or j in reasons or not _is_link(lines[j]):
                    break
                after = _next_line(lines, j)
                # An unmarked short line opening prose is the article's next section heading.
                if (
                    not shape.is_list_item(lines[j])
                    and after is not None
                    and shape.is_sentence_like(lines[after])
                ):
                    break
                reasons[j] = "teaser"
                j = after


def _mark_share_runs(lines: Sequence[str], reasons: dict[int, str]) -> None:
    """A network name alone ("Facebook") is a share button only beside other share buttons."""
    run: list[int] = []
    for i, line in enumerate([*lines, "."]):
        if not line:
            continue
        weak = i < len(lines) and i not in reasons and _WEAK_SHARE.fullmatch(_key(line)) is not None
        if weak or reasons.get(i) == "share":
            run.append(i)
            continue
        weak_lines = [j for j in run if j not in reasons]
        if len(weak_lines) >= 2 or (weak_lines and len(run) > len(weak_lines)):
            reasons.update(dict.fromkeys(weak_lines, "share"))
        run = []


_BIO_SUBJECT = re.compile(
    r"^(?:(?i:about the (?:author|writer))\W*)?(?:(?:[A-Z][\w'’.-]*\s+){1,4}|(?:He|She|They)\s+)"
    r"(?:is|was|has|had|joined|covers|writes|reports|lives|holds|graduated|works|worked|began|started)\b"
)
_BIO_ROLE = re.compile(
    r"\b(?:is|was|has been|works as|worked as)\s+(?:a|an|the)\s+(?:[\w,'’-]+\s+){0,5}?"
    r"(?:writer|journalist|reporter|editor|correspondent|columnist|contributor|author|blogger"
    r"|freelancer|producer|photographer|critic|content creator)s?\b",
    re.I,
)
_BIO_CUES = re.compile(
    r"\bcovers\b|has (?:written|reported) for|has (?:covered|reported on)\b"
    r"|previously (?:worked|wrote|reported)\b|(?:work|writing) has appeared|self-proclaimed|time away from"
    r"|(?:spare|free) time|when (?:he|she|they)(?:'s|’s| is| are|'re|’re)? not (?:writing|working|reporting)"
    r"|follow (?:him|her|them) on|can be reached at|reach (?:him|her|them) at"
    r"|holds a (?:degree|master|bachelor)"
    r"|graduated from|graduate of|is based in|lives in|passionate about|aficionado|enthusiast|revels in"
    r"|\bavid\b|strives to|focuses on|speciali[sz]es in|years of experience",
    re.I,
)
_ABOUT_AUTHOR = re.compile(r"about the (?:author|writer)s?", re.I)


def _writers(lines: Sequence[str], reasons: dict[int, str]) -> frozenset[str]:
    """The names the byline lines give."""
    bylines = (textmeta.parse_byline(lines[i]) for i, r in reasons.items() if r == "byline")
    return frozenset(name for b in bylines if b is not None for name in b.authors)


def _is_author_bio(text: str, writers: Collection[str] = ()) -> bool:
    if shape.has_quote(text) or not _BIO_SUBJECT.match(text):
        return False
    # A closing paragraph that opens with the byline's name is about the writer.
    by_writer = any(text.startswith(f"{name} ") for name in writers)
    score = 2 * bool(_BIO_ROLE.search(text)) + len(_BIO_CUES.findall(text)) + 2 * by_writer
    return score >= 3


def _mark_author_bio(lines: Sequence[str], reasons: dict[int, str], writers: Collection[str] = ()) -> None:
    """Up to two closing paragraphs about the writer (a line ending a sentence closes a paragraph)."""
    i = len(lines) - 1
    for _ in range(3):
        while i >= 0 and (not lines[i] or i in reasons):
            i -= 1
        if i < 0:
            return
        start = i
        while (
            start > 0
            and lines[start - 1]
            and start - 1 not in reasons
            and shape.last_char(lines[start - 1]) not in ".!?…"
        ):
            start -= 1
        paragraph = " ".join(lines[start : i + 1])
        if _ABOUT_AUTHOR.fullmatch(_key(paragraph)) or _is_author_bio(paragraph, writers):
            reasons.update(dict.fromkeys(range(start, i + 1), "author_bio"))
            i = start - 1
        else:
            return
