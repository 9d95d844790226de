"""The secrets the app stores encrypted (each workspace's bot token, and its refresh token with
token rotation on), checked and rotated together.

SECONDCHANCE_ENCRYPTION_KEY may list several keys: the first encrypts, all decrypt. `secondchance
run` checks at start-up that the list reads every stored secret, since a key that cannot would
otherwise make every message to that workspace fail later, one at a time. `secondchance
rotate-key` re-encrypts them all with the first key, after which the older keys can go.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from cryptography.fernet import InvalidToken
from sqlalchemy import inspect, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import InstrumentedAttribute, Session, sessionmaker

from models import Installation
from models.db import make_engine, make_session_factory
from slackapp.config import Settings
from slackapp.installations import TokenCipher

logger = logging.getLogger(__name__)

# Every encrypted column; a new one is added here so that the check and the rotation cover it.
ENCRYPTED: list[tuple[Any, InstrumentedAttribute[Any]]] = [
    (Installation, Installation.bot_token_encrypted),
    (Installation, Installation.bot_refresh_token_encrypted),  # with token rotation on
]

VARIABLE = "SECONDCHANCE_ENCRYPTION_KEY"


@dataclass(frozen=True)
class Rotation:
    stored: int  # secrets found
    unreadable: int  # that no key in the list decrypts (then nothing was changed)
    rotated: int = 0  # re-encrypted with the first key
    changed_meanwhile: int = 0  # rewritten by the running app while we worked: run it again


def unreadable_secrets(session: Session, cipher: TokenCipher) -> tuple[int, int]:
    """(how many secrets are stored, how many of them no key in the list decrypts)."""
    stored = unreadable = 0
    for _model, column in ENCRYPTED:
        for encrypted in session.scalars(select(column).where(column.is_not(None))):
            stored += 1
            try:
                cipher.decrypt(encrypted)
            except InvalidToken:
                unreadable += 1
    return stored, unreadable


def _rotated(cipher: TokenCipher, encrypted: str) -> str | None:
    try:
        return cipher.rotate(encrypted)
    except InvalidToken:
        return None


def rotate_secrets(session_factory: sessionmaker[Session], cipher: TokenCipher) -> Rotation:
    """Re-encrypt every stored secret with the first key, all or nothing."""
    with session_factory() as session:
        if not inspect(session.connection()).has_table(Installation.__tablename__):
            return Rotation(stored=0, unreadable=0)  # not migrated yet: nothing stored
        found = [
            (model, column, row_id, encrypted)
            for model, column in ENCRYPTED
            for row_id, encrypted in session.execute(
                select(model.id, column).where(column.is_not(None))
            )
        ]
        rotated = [_rotated(cipher, encrypted) for *_, encrypted in found]
        unreadable = sum(1 for new in rotated if new is None)
        if unreadable:
            return Rotation(stored=len(found), unreadable=unreadable)
        done = 0
        for (model, column, row_id, encrypted), new in zip(found, rotated, strict=True):
            # Only if unchanged since it was read: a reinstall meanwhile stored a newer token.
            result = session.execute(
                update(model)
                .where(model.id == row_id, column == encrypted)
                .values({column.key: new})
            )
            done += int(result.rowcount or 0)  # type: ignore[attr-defined]
        session.commit()
    return Rotation(
        stored=len(found), unreadable=0, rotated=done, changed_meanwhile=len(found) - done
    )


def unreadable_text(stored: int, unreadable: int) -> str:
    return (
        f"{VARIABLE} cannot decrypt {unreadable} of the {stored} stored bot tokens: put the key "
        "they were encrypted with back in the list, after the new one (the first key encrypts, "
        "every key decrypts), then run `secondchance rotate-key`"
    )


def startup_key_problem(settings: Settings) -> str | None:
    """One line for the operator when the key cannot read what is stored; None to go on."""
    if not settings.encryption_key:
        return None
    engine = make_engine(settings.database_url)
    try:
        if not inspect(engine).has_table(Installation.__tablename__):
            return None  # a database not migrated yet holds no secrets
        with make_session_factory(engine)() as session:
            stored, unreadable = unreadable_secrets(session, TokenCipher(settings.encryption_key))
    except SQLAlchemyError:
        # The app starts without its database (/healthz says so); the key is checked next time.
        logger.warning("could not check %s against the stored bot tokens", VARIABLE)
        return None
    finally:
        engine.dispose()
    return unreadable_text(stored, unreadable) if unreadable else None
