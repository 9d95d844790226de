"""The excuse check: the documented phrases are found, and ordinary owning language is not."""

from __future__ import annotations

import pytest

from slackapp.services.excuses import (
    EXCUSE_PHRASES,
    checked_language,
    find_excuses,
    sentence_around,
)
from slackapp.views.excuse_words import reason_text


@pytest.mark.parametrize("phrase", [phrase for phrase, _reason in EXCUSE_PHRASES["en"]])
def test_every_listed_phrase_is_found_in_a_sentence(phrase: str) -> None:
    text = f"I'm sorry. Honestly, {phrase} and I know that now."
    found = find_excuses(text)
    assert [excuse.phrase for excuse in found] == [phrase]
    assert reason_text(found[0].reason)


@pytest.mark.parametrize(
    ("text", "phrase", "as_written"),
    [
        ("It was NOT MY FAULT.", "not my fault", "NOT MY FAULT"),
        ("It wasn\u2019t my fault", "wasn't my fault", "wasn\u2019t my fault"),  # curly apostrophe
        ("To  be\nfair, the brief was vague.", "to be fair", "To  be\nfair"),
        ("But they never checked it.", "but they", "But they"),
        ("Everybody does it here.", "everybody does it", "Everybody does it"),
    ],
)
def test_case_apostrophes_and_spacing_do_not_hide_a_phrase(
    text: str, phrase: str, as_written: str
) -> None:
    (excuse,) = find_excuses(text)
    assert (excuse.phrase, excuse.found) == (phrase, as_written)


@pytest.mark.parametrize(
    "text",
    [
        "I made a mistake with the Acme quote and I take full responsibility.",
        "I was told the deadline on Monday and I missed it.",  # "told the", not "told to"
        "I called them, but theyre not back until Friday.",  # not the words "but they"
        "It was my fault, and I'm fixing it.",
        "",
    ],
)
def test_owning_language_passes(text: str) -> None:
    assert find_excuses(text) == []


def test_several_excuses_come_back_in_reading_order() -> None:
    text = "To be fair, everyone does it. But they should have checked. Not my fault!"
    found = [excuse.phrase for excuse in find_excuses(text)]
    assert found == [
        "to be fair",
        "everyone does it",
        "but they",
        "they should have",
        "not my fault",
    ]


def test_the_review_quotes_the_sentence_the_phrase_is_in() -> None:
    text = "I'm sorry for the delay. To be fair, the spec changed twice. I've fixed it now."
    (excuse,) = find_excuses(text)
    assert sentence_around(text, excuse) == "To be fair, the spec changed twice."


# One sentence per language that owns the mistake, and one with an excuse of that language's list.
OWNING = {
    "de": "Es war mein Fehler, und ich bringe es in Ordnung.",
    "es": "Fue mi error y lo estoy arreglando.",
    "fr": "C'était mon erreur, et je la corrige.",
    "pt": "Foi um erro meu e estou corrigindo.",
    "ja": "私の確認不足でした。すぐに対応します。",
}


@pytest.mark.parametrize(
    ("language", "phrase"),
    [
        (lang, phrase)
        for lang, phrases in EXCUSE_PHRASES.items()
        if lang != "en"
        for phrase, _r in phrases
    ],
)
def test_every_listed_phrase_of_each_language_is_found(language: str, phrase: str) -> None:
    text = f"{OWNING[language]} {phrase.capitalize()} ..."
    found = find_excuses(text, language)
    assert [excuse.phrase for excuse in found] == [phrase]
    assert reason_text(found[0].reason)


@pytest.mark.parametrize("language", sorted(OWNING))
def test_owning_language_passes_in_each_language(language: str) -> None:
    assert find_excuses(OWNING[language], language) == []


def test_the_list_follows_the_readers_locale() -> None:
    assert checked_language("de-DE") == "de"
    assert checked_language("pt_BR") == "pt"
    assert checked_language("it-IT") == "en"  # no list for Italian: the English one
    # A German excuse is not looked for in an English check, and the other way round.
    assert find_excuses("Das war nicht meine Schuld.", "de")[0].phrase == "nicht meine schuld"
    assert find_excuses("Das war nicht meine Schuld.", "en") == []
    assert find_excuses("Es war nicht meine Schuld, aber die anderen …", "de-DE")[1].found == (
        "aber die anderen"
    )


def test_a_japanese_phrase_is_found_without_spaces() -> None:
    (excuse,) = find_excuses("遅れてすみません。でも私のせいではないと思います。", "ja")
    assert excuse.phrase == "私のせいではない"
