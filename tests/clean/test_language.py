from __future__ import annotations

import pytest

from storyline.clean.language import detect

# One invented news sentence per language (the same event: a harbour reopening after talks).
SENTENCES = {
    "en": "The mayor of Velmora said on Monday that the harbour would reopen once the talks ended.",
    "ru": "Мэр Вельморы заявил в понедельник, что порт откроется после окончания переговоров.",
    "uk": "Мер Вельмори заявив у понеділок, що порт відкриється після завершення переговорів.",
    "de": "Der Bürgermeister von Velmora sagte am Montag, der Hafen werde nach den Gesprächen öffnen.",
    "fr": "Le maire de Velmora a déclaré lundi que le port rouvrirait après la fin des négociations.",
    "es": "El alcalde de Velmora dijo el lunes que el puerto reabriría al terminar las negociaciones.",
    "ar": "قال رئيس بلدية فيلمورا يوم الاثنين إن الميناء سيعاد فتحه بعد انتهاء المفاوضات.",
    "he": "ראש עיריית ולמורה אמר ביום שני כי הנמל ייפתח מחדש לאחר סיום השיחות.",
    "zh": "韦尔莫拉市长周一表示，谈判结束后港口将重新开放，工人们将返回岗位。",
}


@pytest.mark.parametrize("code", sorted(SENTENCES))
def test_one_sentence_is_enough(code: str) -> None:
    assert detect(SENTENCES[code]) == code


def test_number_tables_are_not_given_another_language() -> None:
    table = "Shr 45 cts vs 58 cts\n    Net 1.1 mln vs 829,000\n    Sales 7.9 mln vs 9.4 mln\n"
    assert detect(table * 3) == "und"


def test_english_with_a_foreign_quote_stays_english() -> None:
    text = SENTENCES["en"] + " " + SENTENCES["en"] + ' A sign read "Le port est fermé".'
    assert detect(text) == "en"


def test_short_or_wordless_text_is_undetermined_unless_the_page_says() -> None:
    assert detect("Port reopens") == "und"
    assert detect("Port reopens", declared="fr") == "fr"
    assert detect("🚢 ⚓ 🌊 " * 20) == "und"
    assert detect(SENTENCES["de"], declared="en") == "de"  # the text outweighs a page's lang attribute
