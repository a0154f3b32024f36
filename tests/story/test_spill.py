"""Partitions of rows: read back in the order added, a key in one partition, files removed."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from storyline.story.spill import Partitions, SpillFolder, partition_of

ROW = np.dtype([("key", np.int64), ("value", np.float64)])


@pytest.mark.parametrize("count", [1, 5])
def test_rows_come_back_by_partition_in_the_order_they_were_added(count: int) -> None:
    rng = np.random.default_rng(0)
    keys = rng.integers(0, 50, size=400)
    with SpillFolder() as folder:
        parts = Partitions(ROW, count, folder)
        for start in range(0, 400, 64):
            piece = keys[start : start + 64]
            parts.add({"key": piece, "value": np.arange(start, start + len(piece), dtype=np.float64)}, piece)
        assert len(parts) == 400
        seen: dict[int, int] = {}
        for i, rows in enumerate(parts):
            assert np.all(np.diff(rows["value"]) > 0)  # in the order added
            assert np.all(partition_of(rows["key"], count) == i)
            for key in rows["key"].tolist():
                assert seen.setdefault(key, i) == i  # a key in one partition only
            blocks = list(parts.blocks(i, 7))
            joined = np.concatenate([b["value"] for b in blocks]) if blocks else np.zeros(0)
            assert np.array_equal(joined, rows["value"])
        assert sorted(np.concatenate([r["value"] for r in parts]).tolist()) == list(range(400))


def test_the_folder_and_its_files_go_when_closed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    folder = SpillFolder()
    parts = Partitions(ROW, 3, folder)
    parts.add({"key": np.arange(30), "value": np.ones(30)}, np.arange(30))
    assert len(list(tmp_path.iterdir())) == 1 and len(list(next(tmp_path.iterdir()).iterdir())) == 3
    parts.close()
    assert list(next(tmp_path.iterdir()).iterdir()) == []
    folder.close()
    assert list(tmp_path.iterdir()) == []
    assert len(partition_of(np.arange(1000), 8)) == 1000
    assert set(partition_of(np.arange(1000), 8).tolist()) == set(range(8))  # spread over all
