"""The task registry: lazy lookup, "not implemented" for missing modules, options passed on."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyline.evaluate import registry
from storyline.evaluate.registry import TASKS, Task


def test_a_task_without_a_module_reports_not_implemented(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(TASKS, "stance", Task("stance", "storyline.evaluate._absent", "evaluate", "x"))
    assert registry.evaluator("stance") is None
    assert registry.run("stance", bench_dir="/nowhere") == {"task": "stance", "status": "not implemented"}
    assert registry.status()["stance"] == "not implemented"


def test_run_reads_the_default_file_under_the_bench_dir(tmp_path: Path) -> None:
    (tmp_path / "ner").mkdir()
    (tmp_path / "ner" / "conllpp_dev.txt").write_text(
        "-DOCSTART- -X- -X- O\n\nParis NNP B-NP B-LOC\n. . O O\n", encoding="utf-8"
    )
    result = registry.run("ner", bench_dir=tmp_path)
    assert (result["task"], result["documents"], result["entities"]) == ("ner", 1, 1)


def test_unknown_task_and_missing_path() -> None:
    with pytest.raises(ValueError, match="unknown task"):
        registry.run("translation")
    with pytest.raises(ValueError, match="needs a data path"):
        registry.run("ner")
