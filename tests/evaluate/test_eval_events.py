from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from storyline.annotate.events import EventMention, load_model
from storyline.evaluate.events import actor_match, evaluate, folds, heldout_ids, read, score


def _record(
    rid: str, kind: str, text: str = "", source: tuple[str, ...] = (), target: tuple[str, ...] = ()
) -> dict[str, Any]:
    return {
        "id": rid,
        "text": text or f"Sentence {rid}.",
        "eventType": kind,
        "source": [{"actorText": a, "code": ""} for a in source],
        "target": [{"actorText": a, "code": ""} for a in target],
    }


def _mention(kind: str, source: tuple[int, int] | None, target: tuple[int, int] | None) -> EventMention:
    return EventMention(type=kind, trigger=(0, 1), source=source, target=target, confidence=0.9)


def test_actor_match_by_overlap_elision_or_words() -> None:
    text = "Senior Hungarian officials met Bosnian Serbs whose forces left."
    assert actor_match(text, (0, 26), ["Hungarian"])  # span "Senior Hungarian officials"
    assert not actor_match(text, (31, 44), ["Hungarian"])  # "Bosnian Serbs"
    assert actor_match(text, (51, 57), ["Bosnian Serbs ... forces"])  # each elided part counts
    # The coder's "Greek-Cypriot" is not in the text: the same words, any case, still match.
    assert actor_match("The greek cypriot side agreed.", (4, 22), ["Greek-Cypriot"])
    assert not actor_match(text, None, ["Hungarian"])


def test_score_counts_none_as_wrong_and_actors_only_where_gold_has_them() -> None:
    text = "The army hit the rebels."  # army 4:8, rebels 17:23
    records = [
        _record("r1", "FIGHT", text, ("army",), ("rebels",)),
        _record("r2", "REJECT", text, ("army",)),
        _record("r3", "COERCE", text, ("army",), ("rebels",)),
        _record("r4", "REJECT", text, ("army",), ("rebels",)),
    ]
    predicted = [
        _mention("FIGHT", (0, 8), (13, 23)),
        _mention("AGREE", (4, 8), None),
        None,
        _mention("REJECT", (9, 12), (17, 23)),
    ]
    result = score(records, predicted)
    # Per type F1: FIGHT 1, REJECT 2/3 (one of two found), COERCE 0, AGREE 0 (predicted only).
    assert result == {
        "type_accuracy": 0.5,
        "type_macro_f1": round((1 + 2 / 3) / 4, 4),
        "no_event": 1,
        "source_match": 0.5,
        "source_records": 4,
        "target_match": round(2 / 3, 4),
        "target_records": 3,
    }


def _records() -> list[dict[str, Any]]:
    records = [_record(f"a{i:02d}", "AGREE") for i in range(10)]
    records += [_record(f"b{i:02d}", "REJECT") for i in range(3)]
    # The same sentence coded twice stays one unit, filed under its first record's type.
    records += [_record("a10", "AGREE", "Coded twice."), _record("b03", "REJECT", "Coded twice.")]
    return records


def test_heldout_is_seeded_stratified_and_keeps_twice_coded_sentences_together() -> None:
    records = _records()
    held = heldout_ids(records)
    assert held == heldout_ids(list(reversed(records)))  # order of the file does not matter
    # AGREE has 11 units (a00-a09 and the twice-coded a10+b03), REJECT 3: round(0.3 n) of each.
    assert len([i for i in held if i.startswith("a")]) == round(0.3 * 11)
    assert len([i for i in held if i.startswith("b") and i != "b03"]) == round(0.3 * 3)
    assert ("a10" in held) == ("b03" in held)


def test_folds_partition_the_records() -> None:
    records = _records()
    parts = folds(records, k=5)
    assert sorted(i for part in parts for i in part) == sorted(r["id"] for r in records)
    assert sum(len(p) for p in parts) == len(records)
    assert any({"a10", "b03"} <= part for part in parts)
    assert parts == folds(records, k=5)


def _write(tmp_path: Path, records: list[dict[str, Any]]) -> Path:
    path = tmp_path / "events.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def test_evaluate_on_an_invented_file(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        [
            _record("t1", "FIGHT", "The army attacked rebel positions.", ("army",), ("rebel positions",)),
            _record("t2", "REJECT", "The minister rejected the proposal.", ("minister",)),
            _record("t3", "PROTEST", "The weather was mild on Tuesday.", ("weather",), ("Tuesday",)),
        ],
    )
    assert evaluate(path) == {
        "task": "events",
        "records": 3,
        "trained_on_skipped": 0,
        "type_accuracy": 0.6667,
        "type_macro_f1": 0.6667,
        "no_event": 1,
        "source_match": 0.6667,
        "source_records": 3,
        "target_match": 0.5,
        "target_records": 2,
    }


def test_evaluate_skips_records_the_model_was_trained_on(tmp_path: Path) -> None:
    trained = load_model().trained_on[0]
    path = _write(
        tmp_path, [_record(trained, "AGREE"), _record("t1", "REJECT", "The minister rejected the proposal.")]
    )
    result = evaluate(path, cv=False)
    assert (result["records"], result["trained_on_skipped"], result["type_accuracy"]) == (1, 1, 1.0)


def test_shipped_model_was_trained_outside_the_heldout_part(bench_dir: Path) -> None:
    records = read(bench_dir / "events" / "plover_gsr.jsonl")
    held = heldout_ids(records)
    assert len(held) == 65
    assert set(load_model().trained_on) == {r["id"] for r in records} - held


def test_limit_reads_the_first_rows(tmp_path: Path) -> None:
    path = _write(tmp_path, [_record("x1", "AGREE"), _record("x2", "AGREE")])
    assert [r["id"] for r in read(path, limit=1)] == ["x1"]


@pytest.mark.parametrize("share", [0.0, 1.0])
def test_heldout_share_bounds(share: float) -> None:
    held = heldout_ids(_records(), share=share)
    assert len(held) == (0 if share == 0 else len(_records()))
