"""A page's list of stories kept on disk reads back as the list it was, and leaves no file behind."""

from __future__ import annotations

import pytest

from storyline.briefing import render_html, render_md
from storyline.briefing.stream import HeadSpool
from storyline.briefing.view import StoryHead
from storyline.model import Briefing, Tool


def _heads(n: int) -> list[StoryHead]:
    return [
        StoryHead(f"story-{i}", f"Title {i} <b>&</b>", tuple(f"a{i}-{k}" for k in range(i % 3 + 1)), i, None)
        for i in range(n)
    ]


def _spooled(heads: list[StoryHead]) -> HeadSpool:
    spool = HeadSpool()
    for head in heads:
        spool.append(head)
    return spool


def test_heads_come_back_in_order_whole_and_by_place() -> None:
    heads = _heads(2_345)  # more than one read batch
    spool = _spooled(heads)
    try:
        assert len(spool) == len(heads)
        assert list(spool) == heads
        assert spool[0] == heads[0] and spool[-1] == heads[-1] and spool[1_500] == heads[1_500]
        assert list(spool[3:6]) == heads[3:6]
        with pytest.raises(IndexError):
            spool[len(heads)]
    finally:
        spool.close()
    assert not spool.path.exists()


@pytest.mark.parametrize("count", [0, 1, 7])
def test_pages_written_from_the_spool_are_those_written_from_a_list(count: int) -> None:
    heads = _heads(count)
    spool = _spooled(heads)
    try:
        assert list(render_md.head_lines(spool, 12, 3)) == list(render_md.head_lines(heads, 12, 3))
        header = Briefing(generated_at="2026-01-01T00:00:00+00:00", tool=Tool(version="0.1.0"))
        from_list = render_html.PageParts(header, heads, 12, 3)
        from_spool = render_html.PageParts(header, spool, 12, 3)
        assert "".join(from_spool.head_pieces()) == from_list.head()
        assert from_spool.tail() == from_list.tail()
    finally:
        spool.close()
