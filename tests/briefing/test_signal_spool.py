"""The signal spool gives the signals back as briefing.json lists them: by listed article, then as
they came; and leaves no file behind."""

from __future__ import annotations

from storyline.briefing.signal_spool import SignalSpool
from storyline.model import Cite, Signal, to_dict


def _signal(article: str, name: str, value: float = 0.5) -> Signal:
    return Signal(article, name, value, (Cite(article, 1, 4), "a note"))


def test_signals_come_back_by_listed_article_then_in_arrival_order() -> None:
    spool = SignalSpool()
    try:
        for article in ("b", "a", "c"):
            spool.article(article)
        spool.add([_signal("a", "first"), _signal("c", "x")])
        spool.add([_signal("b", "y"), _signal("a", "second", 0.1)])
        spool.add([_signal("gone", "never listed")])
        got = [(s["article"], s["signal"]) for s in spool]
        assert got == [("b", "y"), ("a", "first"), ("a", "second"), ("c", "x")]
    finally:
        spool.close()


def test_a_signal_reads_back_as_its_json_object() -> None:
    spool = SignalSpool()
    spool.article("a")
    signal = _signal("a", "hedging", 0.3333333333333333)
    spool.add([signal])
    assert list(spool) == [to_dict(signal)]
    spool.close()


def test_listing_an_article_twice_keeps_its_first_place() -> None:
    spool = SignalSpool()
    for article in ("a", "b", "a"):
        spool.article(article)
    spool.add([_signal("b", "1"), _signal("a", "2")])
    assert [s["article"] for s in spool] == ["a", "b"]
    spool.close()


def test_close_removes_the_file() -> None:
    spool = SignalSpool()
    folder = spool.path.parent
    assert folder.exists()
    spool.close()
    assert not folder.exists()
