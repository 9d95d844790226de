"""Whose language the app is writing in, and the words in it.

Every sentence a person reads goes through `_` (or `ngettext` for counts) at the moment it is
built, in the language of the person who will read it. Listeners and jobs say who that is with
`reading_as(locale)`; views never take a language argument. A sentence kept in a module-level
table is marked with `N_` (so it is extracted) and translated where it is used: `_(TABLE[key])`.

English is the source language. The catalogs are gettext files extracted with Babel
(`slackapp/locale/<language>/LC_MESSAGES/messages.po`, compiled to `.mo` by scripts/setup, the
wheel build and the Docker image); a language whose compiled catalog is missing reads English.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from gettext import NullTranslations
from pathlib import Path

from babel import Locale
from babel.support import Translations

SOURCE_LOCALE = "en"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
DOMAIN = "messages"

# The languages the app speaks, in the order the App Home offers them.
LANGUAGES = ("en", "de", "es", "fr", "pt_BR", "ja")

_reader: ContextVar[str] = ContextVar("reader_locale", default=SOURCE_LOCALE)


def supported(locale: str | None) -> str:
    """The app's language for a Slack locale ('de-DE' -> 'de', 'pt-BR' -> 'pt_BR', 'es-LA' ->
    'es', 'en-GB' -> 'en'); English for a language the app doesn't speak."""
    if not locale:
        return SOURCE_LOCALE
    tag = locale.replace("-", "_")
    if tag in LANGUAGES:
        return tag
    language = tag.split("_")[0].lower()
    if language == "pt":
        return "pt_BR"
    return language if language in LANGUAGES else SOURCE_LOCALE


def current_locale() -> str:
    """The reader's locale, e.g. 'en', 'de', 'pt_BR'."""
    return _reader.get()


@contextmanager
def reading_as(locale: str | None) -> Iterator[None]:
    """Build what follows in `locale` (None: the source language); a Slack locale such as
    'de-DE' is read as the app's language for it."""
    token = _reader.set(supported(locale))
    try:
        yield
    finally:
        _reader.reset(token)


def read_as(locale: str | None) -> None:
    """The reader from here on in this thread, for code that has no block to wrap: a Bolt
    listener, which the glue starts with the acting person's language (listeners/glue.py)."""
    _reader.set(supported(locale))


@cache
def _catalog(locale: str) -> NullTranslations:
    if locale == SOURCE_LOCALE:
        return NullTranslations()
    return Translations.load(str(LOCALE_DIR), [locale], DOMAIN)


@cache
def _babel(locale: str) -> Locale:
    return Locale.parse(locale)


def babel_locale() -> Locale:
    """The reader's locale as Babel knows it, for dates, lists and numbers."""
    return _babel(current_locale())


def _(message: str) -> str:
    """`message` in the reader's language."""
    return _catalog(current_locale()).gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The form of a counted sentence for `count`, in the reader's language (with its own plural
    rules: Japanese has one form, French counts 0 as singular); the caller fills in the number
    (`{count}`)."""
    return _catalog(current_locale()).ngettext(singular, plural, count)


def N_(message: str) -> str:
    """Marks `message` for translation without translating it now (for module-level tables)."""
    return message
