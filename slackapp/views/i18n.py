"""Whose language the app is writing in, and the words in it.

Every sentence a person reads goes through `_` (or `ngettext` for counts) at the moment it is
built, in the language of the person who will read it. Listeners and jobs say who that is with
`reading_as(locale)`; views never take a language argument. A sentence kept in a module-level
table is marked with `N_` (so it is extracted) and translated where it is used: `_(TABLE[key])`.

English is the source language; until a catalog for the reader's language is loaded, the
English text is what they read.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

SOURCE_LOCALE = "en"

_reader: ContextVar[str] = ContextVar("reader_locale", default=SOURCE_LOCALE)


def current_locale() -> str:
    """The reader's locale, e.g. 'en', 'de', 'pt_BR'."""
    return _reader.get()


@contextmanager
def reading_as(locale: str | None) -> Iterator[None]:
    """Build what follows in `locale` (None: the source language)."""
    token = _reader.set(locale or SOURCE_LOCALE)
    try:
        yield
    finally:
        _reader.reset(token)


def _(message: str) -> str:
    """`message` in the reader's language."""
    return message


def ngettext(singular: str, plural: str, count: int) -> str:
    """The form of a counted sentence for `count`, in the reader's language; the caller fills
    in the number (`%(count)s` or `{count}`)."""
    return singular if count == 1 else plural


def N_(message: str) -> str:
    """Marks `message` for translation without translating it now (for module-level tables)."""
    return message
