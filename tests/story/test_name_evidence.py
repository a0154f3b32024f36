"""What the texts say about names (storyline.story.name_evidence), tallied in SQLite: the labels by
majority, ties to the label met first, the same however often the tallies are written out."""

from __future__ import annotations

import sqlite3

import pytest

from storyline.model import Mention
from storyline.story import name_evidence
from storyline.story.name_evidence import Evidence


def _read(evidence: Evidence, text: str, *names: tuple[str, str]) -> None:
    mentions = [Mention(text.index(name), text.index(name) + len(name), name, label) for name, label in names]
    evidence.read(text, mentions)


@pytest.mark.parametrize("buffered", [0, 1 << 15])
def test_labels_go_by_majority_and_ties_to_the_label_met_first(
    buffered: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(name_evidence, "_BUFFERED", buffered)  # 0: written after every article
    evidence = Evidence(sqlite3.connect(":memory:"))
    _read(evidence, "Talks with Dorvana ended.", ("Dorvana", "ORG"))
    _read(evidence, "Dorvana said no.", ("Dorvana", "PERSON"))
    _read(evidence, "Officials of Kesmet Ltd and the Kesmet office met.", ("Kesmet", "PERSON"))
    _read(evidence, "Kesmet agreed, said Anja Kesmet.", ("Kesmet", "GPE"), ("Anja Kesmet", "PERSON"))
    # "Northern Littoral Union" makes its acronym an organisation, whatever NER called it.
    _read(
        evidence,
        "The Northern Littoral Union, or NLU, voted.",
        ("Northern Littoral Union", "ORG"),
        ("NLU", "PERSON"),
    )
    labels = evidence.labels()
    assert labels.get("dorvana") == "ORG"  # one vote each: the first met
    assert labels.get("kesmet") == "PERSON"  # a surname of a full name in its article: +2
    assert labels.get("nlu") == "ORG"
    assert labels.get("anja kesmet") == "PERSON"
    assert labels.get("nobody", "OTHER") == "OTHER"


def test_common_nouns_are_words_written_in_lower_case_more_often() -> None:
    evidence = Evidence(sqlite3.connect(":memory:"))
    for text in [
        "The ports reopened, and ports were busy.",
        "Both ports shut.",
        "he met Ports and Harbours.",
    ]:
        evidence.read(text, [])
    common = evidence.common()
    assert "ports" in common
    assert "harbours" not in common  # never written in lower case
