"""The story timeline as an SVG chart, laid out here and drawn by the template (no chart library).

One column per distinct date, in calendar order, with a dot per dated entry. Columns are evenly
spaced rather than to scale: a story's dates cluster in a few days but a background sentence can
reach years back, and a true scale would squeeze the days into one pixel. A dashed break marks
every jump of more than a month so the compression is visible.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from storyline.briefing.render import MONTHS
from storyline.model import TimelineEntry

WIDTH = 760
TOP = 28
ROW = 18
MAX_DOTS = 6
BREAK_DAYS = 31
PRECISION_ORDER = {"year": 0, "month": 1, "day": 2}


@dataclass(frozen=True)
class Dot:
    cx: float
    cy: float
    precision: str
    title: str
    href: str


@dataclass(frozen=True)
class Column:
    x: float
    label: str
    year: str | None  # shown under the first column of each year
    count: int
    more: int  # entries beyond the dots drawn
    dots: tuple[Dot, ...]


@dataclass(frozen=True)
class TimelineChart:
    width: int
    height: int
    baseline: float
    columns: tuple[Column, ...]
    breaks: tuple[float, ...]
    undated: int


def timeline_chart(entries: tuple[TimelineEntry, ...], anchor: str) -> TimelineChart | None:
    """The chart of a story's dated entries; `anchor` prefixes the id of each entry's row (`{anchor}-3`)."""
    dated: dict[str, list[tuple[int, TimelineEntry]]] = {}
    undated = 0
    for number, entry in enumerate(entries):
        if entry.date and entry.precision != "unresolved" and _start(entry.date):
            dated.setdefault(entry.date, []).append((number, entry))
        else:
            undated += 1
    if not dated:
        return None
    keys = sorted(dated, key=lambda d: (_start(d), PRECISION_ORDER.get(_precision(d), 3)))
    step = (WIDTH - 70) / max(len(keys) - 1, 1)
    tallest = min(max(len(v) for v in dated.values()), MAX_DOTS)
    baseline = TOP + tallest * ROW + 6
    columns, breaks = [], []
    previous: tuple[date, str] | None = None
    for i, key in enumerate(keys):
        x = 35 + i * step if len(keys) > 1 else WIDTH / 2
        first = _start(key)
        assert first is not None
        if previous and (first - previous[0]).days > BREAK_DAYS:
            breaks.append(x - step / 2)
        new_year = previous is None or previous[1] != str(first.year)
        year = str(first.year) if new_year and _precision(key) != "year" else None
        items = dated[key]
        dots = tuple(
            Dot(x, baseline - 10 - row * ROW, entry.precision, _dot_title(key, entry), f"#{anchor}-{number}")
            for row, (number, entry) in enumerate(items[:MAX_DOTS])
        )
        columns.append(Column(x, _label(key), year, len(items), max(0, len(items) - MAX_DOTS), dots))
        previous = (first, str(first.year))
    return TimelineChart(WIDTH, int(baseline + 44), baseline, tuple(columns), tuple(breaks), undated)


def _start(value: str) -> date | None:
    """The first day a YYYY, YYYY-MM or YYYY-MM-DD date covers (None when it is not one)."""
    parts = value.split("-")
    try:
        numbers = [int(p) for p in parts] + [1] * (3 - len(parts))
        return date(numbers[0], numbers[1], numbers[2])
    except (ValueError, IndexError):
        return None


def _precision(value: str) -> str:
    return ("year", "month", "day")[min(value.count("-"), 2)]


def _label(value: str) -> str:
    parts = value.split("-")
    if len(parts) == 3:
        return f"{int(parts[2])} {MONTHS[int(parts[1]) - 1][:3]}"
    if len(parts) == 2:
        return MONTHS[int(parts[1]) - 1][:3]
    return parts[0]


def _dot_title(key: str, entry: TimelineEntry) -> str:
    text = entry.text if len(entry.text) <= 200 else entry.text[:200].rstrip() + "…"
    return f"{key} ({entry.precision}, “{entry.expression}”): {text}"
