"""Names of the wrong kind in the small NER model's output, put right by their shape and context.

Method: a PERSON that ends in a legal form or a business's head word ("Antibioticos SA", "Union
Bank"), that a ticker follows, or that the document writes elsewhere as a company ("Buckhorn" and
"Buckhorn Inc"), is an ORG; a PERSON that is a place of several words ("Sri Lanka", "Ohio River"),
or that leads a row of a table whose rows are led by places ("Duluth  2.65  2.71"), is a place;
titles are cut from people's names ("Treasurer Paul Keating" -> "Paul Keating", as CoNLL's are),
but a title that leaves only a common word opens an organisation's name ("General Binding").
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from spacy.tokens import Span

from storyline.story.places import place

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Token

__all__ = ["common_words", "correct", "hyphen_in_word"]

# Legal forms of companies. Closed classes are the usual way for these (cf. the company-suffix
# lists of CoreNLP's and OpenNLP's NER features); compared without dots and case ("S.p.A.", "N.V.").
_LEGAL_FORMS = frozenset(
    """inc incorporated corp corporation co cos company companies ltd limited plc llc llp lp sa spa
    ag gmbh nv bv ab kk pte bhd cie srl oyj""".split()
)
# Head words of the names of businesses and bodies: a name that ends in one is no person's. Words
# that are also surnames are left out ("David Steel", "Samantha Power", "Gordon Banks", "John Mills").
_ORG_HEADS = frozenset(
    """bank bancorp bancshares securities airlines airways air electric electronics instruments
    industries holdings holding group associates association agency service services technology
    technologies systems financial capital markets pipeline reports motors mining manufacturing
    steels chemical chemicals petroleum oil gas energy resources trust insurance investments
    partners enterprises communications laboratories pharmaceuticals pharma realty exchange fund
    bureau commission committee council institute university ministry department federation party
    news times journal foods products software computers telephone telecommunications railroad
    railway shipping lines works paper equity brokerage international club embassy""".split()
)
# Head words of the names of places: no surname, so a PERSON that ends in one is a place.
_PLACE_HEADS = frozenset(
    """river island islands county province canal strait straits gulf sea ocean peninsula
    valley mountains airport harbour harbor coast delta basin plateau desert""".split()
)
# Titles that come before a name; CoNLL's spans leave them out ("President [Clinton]", "King
# [Hussein]"). Only a title that opens a longer name is cut: alone, some are surnames ("King").
_TITLES = frozenset(
    """mr mrs ms dr prof professor sir dame lord lady sen senator rep representative
    congressman congresswoman gov governor gen general col colonel lt lieutenant capt captain maj
    major adm admiral sgt sergeant cmdr commander president premier chancellor minister secretary
    treasurer chairman chairwoman judge justice king queen prince princess sheikh sheik emir sultan
    pope cardinal bishop archbishop rabbi imam ayatollah reverend rev mayor ambassador commissioner
    inspector""".split()
)
# Words that head a title with the words above ("Vice Adm.", "Prime Minister", "Crown Prince").
_TITLE_MODIFIERS = frozenset("vice deputy prime acting chief crown grand".split())
# A title alone is no name; these are never surnames, so a PERSON that is one of them is dropped.
_HONORIFICS = frozenset("mr mrs ms dr sen rep gov gen sheikh sheik ayatollah".split())
_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
_OPENERS = {"(": ")", "<": ">", "[": "]"}
# A ticker: capitals, digits and the marks of an exchange ("CKGH.HK", "NYSE:IBM", "VOLV ST").
_TICKER = re.compile(r"[A-Z][A-Z0-9.:&-]*")
_INITIALS = re.compile(r"(?:[A-Z]\.)+")
_ROW_FIGURE = re.compile(r"[-+]?[\d.,/%]*\d[\d.,/%]*|-{1,3}|n/?a")


def correct(
    doc: Doc, spans: list[Span], words: list[str], lexicon: frozenset[str] = frozenset()
) -> list[Span]:
    """`spans` (sorted, non-overlapping) with companies, places and titles read as such; sorted.

    `words` are the doc's words in the casing to read them in (`ner_fixes.truecased_words`);
    `lexicon` the common English words (`common_words`)."""
    spans = _companies(doc, spans, words)
    spans = _places(doc, spans)
    return sorted(_without_titles(doc, spans, lexicon), key=lambda s: s.start)


@functools.lru_cache(maxsize=2)
def common_words(nlp: Language) -> frozenset[str]:
    """The words English uses as verbs, adjectives or adverbs, from the word lists of the
    pipeline's lemmatizer (WordNet's); empty when it has none.

    Its nouns are left out: WordNet lists people among them ("reagan", "kohl", "hussein")."""
    if "lemmatizer" not in nlp.pipe_names:
        return frozenset()
    lookups = getattr(nlp.get_pipe("lemmatizer"), "lookups", None)
    if lookups is None or not lookups.has_table("lemma_index"):
        return frozenset()
    index = lookups.get_table("lemma_index")
    return frozenset(w for pos in ("verb", "adj", "adv") for w in index.get(pos, ()))


# --- companies -----------------------------------------------------------------------------------


def _companies(doc: Doc, spans: list[Span], words: list[str]) -> list[Span]:
    """PERSON spans that are companies relabelled ORG, with a legal form right after one taken in."""
    taken = {i for s in spans for i in range(s.start, s.end)}
    keys = _company_names(doc, words)

    def people(spans: list[Span], size: int) -> Iterator[Span]:
        sizes = (lambda n: n > 1) if size > 1 else (lambda n: n == 1)
        return (s for s in spans if s.label_ == "PERSON" and sizes(len(_words(s, words))))

    # Full names first: the surnames that shield a one-word name are those of the people left.
    full = {s: _as_company(doc, s, words, keys, taken) for s in people(spans, 2)}
    surnames = {_words(s, words)[-1] for s in full.values() if s.label_ == "PERSON"}
    one = {s: _as_company(doc, s, words, keys, taken, surnames) for s in people(spans, 1)}
    return [full.get(s) or one.get(s) or s for s in spans]


def _as_company(
    doc: Doc,
    span: Span,
    words: list[str],
    keys: set[tuple[str, ...]],
    taken: set[int],
    surnames: set[str] | frozenset[str] = frozenset(),
) -> Span:
    name = _words(span, words)
    after = _next_word(doc, span.end)
    if after is not None and after.i not in taken and _legal_form(words[after.i]):
        taken.add(after.i)
        return Span(doc, span.start, after.i + 1, label="ORG")  # "Buckhorn" + "Inc"
    last = name[-1].lower().replace(".", "")
    if last in _LEGAL_FORMS or last in _ORG_HEADS or (after is not None and _ticker_at(doc, after.i)):
        return Span(doc, span.start, span.end, label="ORG")
    # A name the document writes as a company elsewhere is that company, unless it is the surname
    # of a person the document names in full (news names people in full first).
    if name[-1] not in surnames and any(_inside(name, key) for key in keys):
        return Span(doc, span.start, span.end, label="ORG")
    return span


def _company_names(doc: Doc, words: list[str]) -> set[tuple[str, ...]]:
    """The capitalised words right before each legal form or ticker in the doc ("Buckhorn" of
    "Buckhorn Inc", "Cheung Kong" of "Cheung Kong (Holdings) Ltd <CKGH.HK>")."""
    keys = set()
    for tok in doc:
        legal = _legal_form(words[tok.i]) and tok.i > 0
        if legal or (tok.text in _OPENERS and _ticker_at(doc, tok.i)):
            key = tuple(_name_before(doc, tok.i, words))
            if key:
                keys.add(key)
    return keys


def _name_before(doc: Doc, i: int, words: list[str]) -> list[str]:
    """The run of capitalised words (at most five) ending before token `i`, across line breaks,
    hyphens inside words, a qualifier in brackets ("(Holdings)"), other legal forms and the "and"
    of "Teck Hock and Co"."""
    found: list[str] = []
    j = i - 1
    if j > 0 and words[j].lower() in {"and", "&"}:
        j -= 1
    while j >= 0 and len(found) < 5:
        word = words[j]
        if doc[j].is_space or _legal_form(word) or hyphen_in_word(doc[j]):
            j -= 1
        elif word == ")" and not found:
            j = _skip_brackets(doc, j)
        elif word[:1].isupper() and any(c.isalpha() for c in word):
            found.insert(0, word)
            j -= 1
        else:
            break
    return found


def _skip_brackets(doc: Doc, j: int) -> int:
    """The index before the "(" that opens the bracket closing at `j`, or -1 when it is not a short
    qualifier of capitalised words."""
    for k in range(j - 1, max(j - 5, -1), -1):
        if doc[k].text == "(":
            inner = doc[k + 1 : j]
            return k - 1 if len(inner) and all(t.text[:1].isupper() for t in inner) else -1
    return -1


def _ticker_at(doc: Doc, i: int) -> bool:
    """Whether a ticker in brackets opens at token `i`: "<VOLV ST>", "(CKGH.HK)", "(NYSE: IBM)".

    In round brackets a lone code of letters may be an acronym or a country ("(U.S.)", "(ANC)"),
    so one needs an exchange's mark there; wire copy writes tickers in angle brackets."""
    if i >= len(doc) or doc[i].text not in _OPENERS:
        return False
    close = _OPENERS[doc[i].text]
    codes: list[str] = []
    for tok in doc[i + 1 : i + 5]:
        if tok.text in {close, ">", ")"}:
            break
        codes.append(tok.text)
    else:
        return False
    if not codes or not all(_TICKER.fullmatch(c) or c == ":" for c in codes):
        return False
    text = " ".join(codes)
    if _INITIALS.fullmatch(codes[0]) or place(text) is not None:
        return False
    marked = len(codes) > 1 or any(c in text for c in ".:")
    return doc[i].text == "<" or marked


def _legal_form(word: str) -> bool:
    return word[:1].isupper() and word.lower().replace(".", "") in _LEGAL_FORMS


# --- places --------------------------------------------------------------------------------------


def _places(doc: Doc, spans: list[Span]) -> list[Span]:
    """PERSON spans that are places: a known place of several words ("Los Angeles", "Sri Lanka"),
    a name that ends in a place's head word ("Ohio River"), or the name leading a row of a table
    whose rows are mostly led by places ("Duluth  2.65").

    One-word places are left alone elsewhere: many are surnames too ("Houston", "Jordan")."""
    heads = [s for s in spans if _leads_row(doc, s)]
    places = sum(s.label_ in _PLACE_LABELS or place(s.text) is not None for s in heads)
    table_of_places = places >= 2 and 2 * places >= len(heads)
    out = []
    for span in spans:
        label = _place_label(span, table_of_places and span in heads) if span.label_ == "PERSON" else None
        out.append(Span(doc, span.start, span.end, label=label) if label else span)
    return out


def _place_label(span: Span, leads_table_of_places: bool) -> str | None:
    name = [t.text for t in span if not t.is_space]
    if len(name) > 1 and name[-1].lower() in _PLACE_HEADS:
        return "LOC"
    if (len(name) > 1 and place(" ".join(name)) is not None) or leads_table_of_places:
        return "GPE"
    return None


def _leads_row(doc: Doc, span: Span) -> bool:
    """Whether `span` opens a line whose rest is figures: numbers and dashes, perhaps a capitalised
    word ("Lou. Gulf  --  3.16"), never a word in lower case (that would be a sentence)."""
    line = list(_line(doc, span))
    if any(not t.is_space for t in line if t.i < span.start):
        return False
    rest = [
        t for t in line if t.i >= span.end and not t.is_space and (not t.is_punct or t.text in {"--", "-"})
    ]
    numbers = sum(bool(_ROW_FIGURE.fullmatch(t.text)) for t in rest)
    words = [t for t in rest if not _ROW_FIGURE.fullmatch(t.text)]
    return numbers >= 1 and numbers >= len(words) and all(t.text[:1].isupper() for t in words)


def _line(doc: Doc, span: Span) -> Iterator[Token]:
    """The tokens of the line (and sentence) that holds `span`."""
    start = span.start
    while start > 0 and not _line_break_before(doc, start):
        start -= 1
    end = span.end
    while end < len(doc) and not _line_break_before(doc, end):
        end += 1
    return iter(doc[start:end])


def _line_break_before(doc: Doc, i: int) -> bool:
    before = doc[i - 1]
    return doc[i].is_sent_start or "\n" in before.whitespace_ or (before.is_space and "\n" in before.text)


# --- titles --------------------------------------------------------------------------------------


def _without_titles(doc: Doc, spans: list[Span], lexicon: frozenset[str]) -> Iterator[Span]:
    """The spans, people's without the titles that open them; a PERSON that is only an honorific
    ("Sheikh", "Mr.") or only titles ("Prime Minister") is dropped, and one whose titles leave no
    name (`_no_name_left`: "General Binding") is an organisation."""
    names = {(s.start, s.end): _untitled(s) for s in spans if s.label_ == "PERSON"}
    lone = {key for key, name in names.items() if name.start > key[0] and len(_name_words(name)) == 1}
    # The words the text names people with elsewhere than in a lone word after titles.
    named = {t.text for key, name in names.items() if key not in lone for t in _name_words(name)}
    for span in spans:
        if span.label_ != "PERSON":
            yield span
            continue
        name = names[span.start, span.end]
        if name.start == span.start:
            yield span
        elif any(t.text[:1].isupper() for t in name):
            if (span.start, span.end) in lone and _no_name_left(span, name, named, lexicon):
                yield Span(doc, span.start, span.end, label="ORG")
            else:
                yield Span(doc, name.start, span.end, label="PERSON")
        elif sum(not t.is_space for t in span) == 1 and span[0].lower_.rstrip(".") not in _HONORIFICS:
            yield span  # "King", "Major": a surname as often as a title


def _untitled(span: Span) -> Span:
    """`span` without the titles that open it (empty when it is only titles)."""
    doc, start = span.doc, span.start
    while start < span.end and (doc[start].is_space or _title_word(doc[start])):
        start += 1
    return doc[start : span.end]


def _name_words(name: Span) -> list[Token]:
    return [t for t in name if not t.is_space]


def _no_name_left(span: Span, word: Span, named: set[str], lexicon: frozenset[str]) -> bool:
    """Whether the one `word` that titles leave of `span` is no person's name but the rest of an
    organisation's ("General Binding", "Grand Metropolitan": the title word is an adjective there).

    It is a name after an honorific or a title written short ("Mr. Brown", "Gen. Powell": they open
    no other names), when the text names a person with it elsewhere ("General Young" ... "Steve
    Young"), and when it is no common word: in `lexicon`, or written in lower case in the text. On
    the first 3,000 Reuters stories a title cut leaves one word six times, each a person's name
    (Sheikh Ali, Mrs Reagan, Lord Brabazon, General Setijana), and this takes none of them.
    """
    titles = _name_words(span.doc[span.start : word.start])
    if any(t.text.endswith(".") or t.lower_ in _HONORIFICS for t in titles):
        return False
    text = _name_words(word)[0].text
    common = text.lower() in lexicon or any(t.text == text.lower() for t in span.doc)
    return common and text not in named


def _title_word(tok: Token) -> bool:
    word = tok.lower_.rstrip(".")
    return word in _TITLES or word in _TITLE_MODIFIERS


# --- shared --------------------------------------------------------------------------------------


def _words(span: Span, words: list[str]) -> list[str]:
    """A name's words (truecased), without line breaks and hyphens inside words (as in its keys)."""
    return [words[t.i] for t in span if not t.is_space and not hyphen_in_word(t)]


def _next_word(doc: Doc, i: int) -> Token | None:
    while i < len(doc) and doc[i].is_space:
        i += 1
    return doc[i] if i < len(doc) else None


def _inside(name: list[str], key: tuple[str, ...]) -> bool:
    n = len(name)
    return any(list(key[i : i + n]) == name for i in range(len(key) - n + 1))


def hyphen_in_word(tok: Token) -> bool:
    """Whether the token is a hyphen inside a word ("Abdul-Aziz", "Ka-shing"): spaCy makes it a
    token of its own, with no space on either side."""
    doc = tok.doc
    return (
        tok.text in {"-", "–"}
        and 0 < tok.i < len(doc) - 1
        and not doc[tok.i - 1].whitespace_
        and not tok.whitespace_
        and doc[tok.i - 1].text[-1:].isalnum()
        and doc[tok.i + 1].text[:1].isalnum()
    )
