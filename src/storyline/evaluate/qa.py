"""Question answering accuracy on a question set about a corpus (`examples/qa.jsonl` + `examples/demo`).

A row is `{"question", "answer_article", "answer_contains", "also_accept"?}`; `answer_article` null
marks a question the corpus does not answer. An answer is right when its first sentence contains
`answer_contains` or one of `also_accept` (the same fact worded by another outlet), and an
unanswerable question is right when the answer is "the sources do not say".
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any


def evaluate(path: str, limit: int | None = None, corpus: str | None = None) -> dict[str, Any]:
    from storyline.pipeline import run
    from storyline.settings import Settings
    from storyline.story.ask import SentenceIndex, answer

    rows = [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]
    rows = rows[:limit] if limit else rows
    folder = Path(corpus) if corpus else Path(path).parent / "demo"
    with tempfile.TemporaryDirectory() as tmp:
        briefing = run([folder], Settings(db=Path(tmp) / "qa.db")).briefing
    index = SentenceIndex.from_briefing(briefing)
    answerable = right_answerable = abstain_right = top3 = 0
    misses = []
    for row in rows:
        result = answer(index, row["question"])
        accepted = [row["answer_contains"], *row.get("also_accept", [])] if row["answer_contains"] else []
        if not accepted:
            ok = not result.answered
            abstain_right += ok
        else:
            answerable += 1
            ok = result.answered and any(a in result.passages[0].text for a in accepted)
            right_answerable += ok
            hits = index.search(row["question"], k=3)
            top3 += any(any(a in index.texts[i] for a in accepted) for i, _, _ in hits)
        if not ok:
            misses.append(row["question"])
    unanswerable = len(rows) - answerable
    return {
        "task": "qa",
        "questions": len(rows),
        "accuracy": (right_answerable + abstain_right) / max(1, len(rows)),
        "answerable_accuracy": right_answerable / max(1, answerable),
        "retrieval_at_3": top3 / max(1, answerable),
        "abstention_accuracy": abstain_right / max(1, unanswerable),
        "misses": misses,
    }
