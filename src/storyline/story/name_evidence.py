"""What the texts say about names, for identity resolution: each name's label by majority vote, the
words written as common nouns, and the case slips ("lavrov") of the names known.

Gathered in one pass over the articles (`Evidence.read`, one article at a time); what is kept grows
with the distinct names and words of the store, not with its mentions.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence

from storyline.model import Mention
from storyline.story import places
from storyline.story.identity_index import NameScanner, acronym, name_tokens, surface_key

__all__ = ["Evidence", "Slips", "is_common_noun"]

# Head words that make a name an organisation whatever NER said ("Hallorsen Shipping", "X Bank").
_ORG_HEADS = frozenset(
    """agency association authority bank board bureau commission committee company corp corporation council
    court department foundation group inc institute institution league ltd ministry office organisation
    organization party police press service shipping union university airlines airways army navy""".split()
)
# Words before a name that place it: "in Calvora", "from Dessen" are places, not people.
_LOCATIVE = re.compile(r"(?:\b(?:in|at|from|near|across|outside|inside|to|towards|throughout)\s+)$", re.I)


class Evidence:
    """Label votes per folded name, how often each name is written as it is, the acronyms of the
    organisations named, and the words written in lower case and capitalised mid-sentence."""

    def __init__(self) -> None:
        self.votes: dict[str, Counter[str]] = defaultdict(Counter)
        self.counts: Counter[str] = Counter()  # mentions per name as written, first written first
        self._org_acronyms: set[str] = set()
        self._lower: Counter[str] = Counter()
        self._upper: Counter[str] = Counter()

    def read(self, text: str, mentions: Sequence[Mention]) -> None:
        """Take in one article (in the run's order: ties of votes go to the label met first)."""
        for word in re.findall(r"(?<=[a-z,;] )[A-Za-z]+", text):
            (self._lower if word.islower() else self._upper)[word.lower()] += 1
        # A surname alone is the person whose full name ends in it: the small NER model often calls
        # a bare "Lavrov" an ORG, but the "Sergey Lavrov" tagged PERSON in the same article outvotes
        # it. Only there: one article's "Radio Malaysia" tagged PERSON must not turn every
        # "Malaysia" of the store into a person, nor one new article the type of a word used a
        # thousand times.
        full = [surface_key(m.text).split() for m in mentions if m.label == "PERSON"]
        surnames = {words[-1] for words in full if len(words) >= 2}
        for m in mentions:
            key = surface_key(m.text)
            self.votes[key].update(_label_votes(text, m))
            if key in surnames:
                self.votes[key]["PERSON"] += 2
            self.counts[m.text] += 1
            if m.label == "ORG":
                self._org_acronyms.add(acronym(m.text))

    def labels(self) -> dict[str, str]:
        """Folded name -> the label most of its votes give (called once, after the last `read`)."""
        # An all-capitals word that abbreviates a multi-word organisation named in the texts ("NLU"
        # for "Northern Littoral Union") is that organisation, whatever NER called it.
        org_acronyms = self._org_acronyms - {""}
        for name, count in self.counts.items():
            bare = name.replace(".", "")
            if bare.isupper() and len(bare) >= 2 and bare in org_acronyms:
                self.votes[surface_key(name)]["ORG"] += 3 * count
        return {key: counter.most_common(1)[0][0] for key, counter in self.votes.items()}

    def common(self) -> set[str]:
        """Words the articles write in lower case mid-sentence more often than capitalised: common nouns.

        A case slip ("a threat to russia") is rarer than the name written properly, so it does not
        make a name common; "Ports" in a headline against "ports" in the prose does.
        """
        return {w for w, n in self._lower.items() if n >= 2 and n > self._upper[w]}


def _label_votes(text: str, m: Mention) -> Counter[str]:
    """NER's label for a mention, plus evidence from its head word and the preposition before it."""
    votes: Counter[str] = Counter({m.label: 1})
    known_place = places.place(m.text)
    if known_place is not None and m.label != "NORP":
        votes["GPE"] += 2 * known_place[1]
    words = name_tokens(m.text)
    if len(words) >= 2 and words[-1] in _ORG_HEADS:
        votes["ORG"] += 2
    elif (
        len(words) == 1
        and m.label in {"PERSON", "ORG"}
        and _LOCATIVE.search(text[max(0, m.start - 12) : m.start])
    ):
        votes["GPE"] += 1
    return votes


def is_common_noun(mention: Mention, labels: Mapping[str, str], common: set[str]) -> bool:
    # NER tags capitalised common nouns in headlines and titles ("Transport", "Ports") as names; a
    # one-word non-person "name" that the same texts write in lower case elsewhere is such a noun.
    key = surface_key(mention.text)
    return " " not in key and labels.get(key, mention.label) != "PERSON" and key in common


class Slips:
    """Finds mentions NER missed because of a case slip ("lavrov", "putin has"): known names, other case.

    A name the texts mostly write in lower case is a word, not a slipped name: "Said" or "Market"
    tagged a few times must not make every "said" and "market" of a wire archive a mention.
    """

    def __init__(self, counts: Mapping[str, int], labels: Mapping[str, str], common: set[str]) -> None:
        from spacy.lang.en.stop_words import STOP_WORDS

        self._known: dict[str, str] = {}
        for name, count in counts.items():
            label = labels.get(surface_key(name), "OTHER")
            words = name.split()
            if label not in {"PERSON", "ORG", "GPE", "LOC"} or count < 2 or not name[:1].isupper():
                continue
            candidates = [name] + ([words[-1]] if label == "PERSON" and len(words) > 1 else [])
            for cand in candidates:
                if len(cand) >= 4 and cand.lower() not in STOP_WORDS and cand.lower() not in common:
                    self._known.setdefault(cand, label)
        self._scanner = NameScanner(self._known) if self._known else None
        self._by_fold: dict[str, str] = {}
        for name in self._known:
            self._by_fold.setdefault(name.casefold(), name)

    def find(self, text: str, mentions: Sequence[Mention]) -> list[Mention]:
        """The slips in one article's `text`, whose mentions are `mentions`."""
        found: list[Mention] = []
        if self._scanner is None:
            return found
        taken = [(m.start, m.end) for m in mentions]
        exact = set(taken)  # most hits are the mentions themselves: no need to look for overlaps
        for s, e, name in self._scanner.find(text):
            written = text[s:e]
            if written in self._known or (s, e) in exact or any(a < e and s < b for a, b in taken):
                continue
            # The first known name of that spelling gives the label; `re.I` also equates a few letters
            # casefold keeps apart (dotless ı and i), and then the name that matched does.
            canonical = self._by_fold.get(written.casefold(), name)
            found.append(Mention(start=s, end=e, text=written, label=self._known[canonical]))
            taken.append((s, e))
        return found
