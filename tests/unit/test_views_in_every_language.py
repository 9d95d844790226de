"""Slack's limits hold in every language, and every word is translated where the catalog is.

Each builder in slackapp/views (tests/unit/view_cases*.py) is rendered in each language the app
speaks and checked by the fake Slack's Block Kit validation: a German modal title of 25
characters fails here, not in front of someone. Where a language's catalog is complete, what it
renders must differ from the English: a sentence that skipped `_()` would read in English (so
this fails for a language until its catalog is complete: tests/unit/test_catalogs.py).
"""

from __future__ import annotations

from typing import Any

import pytest

from slackapp.views.i18n import LANGUAGES, SOURCE_LOCALE, reading_as
from tests.unit.test_typed_text_in_views import texts, valid
from tests.unit.view_cases import CASES

PLAIN = "plain words typed"
# Builders that show typed text only (nothing of the app's own to translate), or that write in
# someone else's language than the reader's: the next request's preview is in the manager's.
NO_WORDS_OF_THEIR_OWN = {"words.shortened_typed", "feedback_preview.next_request_preview"}


def _render(name: str, language: str) -> Any:
    with reading_as(language):
        return CASES[name].build(PLAIN)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", sorted(CASES))
def test_every_view_fits_slacks_limits_in_every_language(name: str, language: str) -> None:
    valid(_render(name, language), CASES[name].surface)


@pytest.mark.parametrize("language", [lang for lang in LANGUAGES if lang != SOURCE_LOCALE])
def test_every_view_is_translated_where_the_catalog_is_complete(language: str) -> None:
    english = [n for n in sorted(CASES) if n not in NO_WORDS_OF_THEIR_OWN]
    same = [
        name
        for name in english
        if texts(_render(name, language)) == texts(_render(name, SOURCE_LOCALE))
    ]
    assert same == [], f"these read the same in {language} as in English"
