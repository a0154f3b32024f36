"""`views.Computed`: a read-only sequence whose items are made when read."""

from __future__ import annotations

import pytest

from storyline.views import Computed


class Squares(Computed[int]):
    def __init__(self, n: int) -> None:
        self.n, self.made = n, 0

    def __len__(self) -> int:
        return self.n

    def _item(self, i: int) -> int:
        self.made += 1
        return i * i


def test_a_computed_sequence_reads_like_a_list() -> None:
    squares = Squares(5)
    assert list(squares) == [0, 1, 4, 9, 16] and len(squares) == 5
    assert squares[-1] == 16 and squares[1:4] == [1, 4, 9] and squares[::-2] == [16, 4, 0]
    assert 9 in squares and squares.index(4) == 2
    with pytest.raises(IndexError, match="Squares index out of range"):
        squares[5]
    with pytest.raises(IndexError):
        squares[-6]


def test_items_are_made_only_when_read() -> None:
    squares = Squares(1000)
    assert squares.made == 0
    assert squares[10] == 100 and squares.made == 1
