"""The renderer registry: a renderer is `fn(briefing) -> str`, registered under a format name.

Built-in formats (json, md, html) register through the same `register` call a plugin would use
(datasette registers its own output renderers that way); packages can also declare renderers in
the `storyline.renderers` entry-point group. Below the registry: the small pieces every renderer
words the same way (anchors, dates, numbers, speaker colours, which URLs may become links).
"""

from __future__ import annotations

import importlib
import zlib
from collections import Counter
from collections.abc import Callable, Iterable
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from storyline.model import Briefing, Cite

__all__ = ["Renderer", "get", "names", "register", "render_json", "write"]

Renderer = Callable[[Briefing], str]

ENTRY_POINT_GROUP = "storyline.renderers"
_BUILTINS = {"json": None, "md": "storyline.briefing.render_md", "html": "storyline.briefing.render_html"}
_RENDERERS: dict[str, Renderer] = {}
_loaded = False


def template_environment(package: str) -> Any:
    """A Jinja environment over `package`'s templates/ folder: every value escaped, a missing
    variable an error. The briefing page and the web workbench both render through one of these."""
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    return Environment(
        loader=PackageLoader(package, "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=StrictUndefined,
    )


def register(name: str, fn: Renderer) -> None:
    """Make `fn(briefing) -> str` available as format `name` (a later call replaces an earlier one)."""
    _RENDERERS[name] = fn


def write(name: str, briefing: Briefing, target: Path) -> None:
    """Render `briefing` as format `name` into the file `target`. The built-in JSON goes out a
    table row at a time, so a large briefing is never held as one string next to its plain dicts."""
    fn = get(name)
    with target.open("w", encoding="utf-8") as out:
        if fn is render_json:
            out.writelines(briefing.iter_json())
        else:
            out.write(fn(briefing))


def get(name: str) -> Renderer:
    """The renderer registered as `name`; KeyError names the formats there are."""
    _load()
    try:
        return _RENDERERS[name]
    except KeyError:
        raise KeyError(f"no renderer named {name!r}; available: {', '.join(names())}") from None


def names() -> list[str]:
    """The registered format names, sorted."""
    _load()
    return sorted(_RENDERERS)


def render_json(briefing: Briefing) -> str:
    return briefing.to_json()


def _load() -> None:
    # Built-ins load on first use so that importing the registry does not import Jinja; a name
    # registered before that (a plugin overriding "html", say) keeps its own renderer.
    global _loaded
    if _loaded:
        return
    _loaded = True
    for name, module in _BUILTINS.items():
        if name not in _RENDERERS:
            register(name, render_json if module is None else importlib.import_module(module).render)
    for point in entry_points(group=ENTRY_POINT_GROUP):
        if point.name not in _RENDERERS:
            register(point.name, point.load())


# --- what every renderer words the same way ----------------------------------------------------

SPEAKER_COLOURS = 10
# Month names are spelled out here rather than by strftime("%B"), which follows the process locale.
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")  # fmt: skip


def anchor_id(*parts: object) -> str:
    """An HTML id / URL fragment from ids and offsets: only [A-Za-z0-9_-] survive."""
    raw = "-".join(str(p) for p in parts)
    return "".join(ch if ch.isascii() and (ch.isalnum() or ch in "_-") else "_" for ch in raw)


def article_anchor(article_id: str) -> str:
    return anchor_id("article", article_id)


def cite_anchor(cite: Cite) -> str:
    return anchor_id("c", cite.article, cite.start, cite.end)


def speaker_colours(speakers: Iterable[str]) -> dict[str, int]:
    """A palette slot per speaker id, from its crc32 (stable across runs, unlike `hash()`).

    Two speakers whose hashes share a slot would look alike, so the most quoted speaker keeps its
    slot and the next takes the following free one, until the palette runs out.
    """
    counts = Counter(speakers)
    taken: set[int] = set()
    slots = {}
    for speaker in sorted(counts, key=lambda s: (-counts[s], s)):
        home = zlib.crc32(speaker.encode("utf-8")) % SPEAKER_COLOURS
        free = [(home + i) % SPEAKER_COLOURS for i in range(SPEAKER_COLOURS)]
        slot = next((f for f in free if f not in taken), home)
        taken.add(slot)
        slots[speaker] = slot
    return slots


def format_date(value: str | None, precision: str = "day", expression: str = "") -> str:
    """'26 December 2024', 'January 2025', '2014', or the expression marked unresolved."""
    if not value or precision == "unresolved":
        return f"{expression} (date unresolved)" if expression else "(date unresolved)"
    try:
        parts = [int(p) for p in value.split("-")]
        month = MONTHS[parts[1] - 1] if len(parts) >= 2 and 1 <= parts[1] <= 12 else None
    except ValueError:
        return value  # a malformed date is still shown as written rather than dropped
    if month and len(parts) >= 3 and precision == "day":
        return f"{parts[2]} {month} {parts[0]}"
    if month and precision in ("day", "month"):
        return f"{month} {parts[0]}"
    return str(parts[0])


def format_number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.2f}"


def is_web_url(url: str | None) -> bool:
    """Only http(s) URLs become links: a `javascript:` or `data:` URL stays plain text."""
    return bool(url) and urlsplit(url or "").scheme.lower() in ("http", "https")
