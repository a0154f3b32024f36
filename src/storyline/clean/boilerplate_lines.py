"""Boilerplate a line is by itself: navigation, teasers, share and subscribe widgets, ads, legal
notices, photo credits, bylines and datelines, each a small family of patterns.

Families naming a widget ("Comments", "Next") match only lines that do not read as prose;
promotions and notices are often whole sentences, so theirs are anchored on openings that article
prose does not use. A line with a quotation mark is never boilerplate: it carries someone's words.
"""

from __future__ import annotations

import re

from storyline.clean.byline import parse_byline
from storyline.clean.datelines import is_dateline, is_wire_dateline
from storyline.clean.lineshape import has_quote, is_prose, words

__all__ = ["is_list_header", "is_nav_link", "is_weak_share", "line_key", "line_reason"]


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


def line_key(line: str) -> str:
    """The line as the families match it: case-folded, spaces collapsed, no punctuation at the ends."""
    key = " ".join(line.replace("’", "'").casefold().split())
    return re.sub(r"^[\W_]+|[\W_]+$", "", key)


def line_reason(line: str) -> str | None:
    """The kind of boilerplate (a `boilerplate.REASONS` entry) the line is by itself, or None."""
    n = len(words(line))
    if n == 0 or has_quote(line):
        return None
    key = line_key(line)
    prose = is_prose(line)
    for reason, most, prose_ok, pattern in _KEY_FAMILIES:
        if n <= most and (prose_ok or not prose) and pattern.fullmatch(key):
            return reason
    for reason, most, pattern in _RAW_FAMILIES:
        if n <= most and pattern.search(line):
            return reason
    if parse_byline(line) is not None:
        return "byline"
    if is_dateline(line, marked_only=True) or is_wire_dateline(line):
        return "dateline"
    return None


def is_nav_link(key: str) -> bool:
    """A "Next article" line: the line after it is a headline that leads away."""
    return _NAV_LINK.fullmatch(key) is not None


def is_list_header(key: str) -> bool:
    """A "Related stories" line: the short lines under it are teasers."""
    return _LIST_HEADER.fullmatch(key) is not None


def is_weak_share(key: str) -> bool:
    """A network's name or a share word alone ("Facebook", "Email"): a button only beside others."""
    return _WEAK_SHARE.fullmatch(key) is not None
