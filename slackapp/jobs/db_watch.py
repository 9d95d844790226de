"""Whether the database answers, said once when it stops and once when it is back.

While it is away every tick would fail the same way; a traceback per tick buries the one line
the operator needs. Due work waits in the database meanwhile, so nothing is lost: it goes out
at the first tick after the database is back.
"""

from __future__ import annotations

import logging
import threading

from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

from models.db import error_reason

logger = logging.getLogger(__name__)


class DatabaseWatch:
    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self.session_factory = session_factory
        self._away = False
        self._lock = threading.Lock()

    @property
    def away(self) -> bool:
        return self._away

    def answers(self) -> bool:
        """Ask the database; log only when the answer differs from the last one."""
        try:
            with self.session_factory() as session:
                session.execute(text("SELECT 1"))
        except Exception as error:
            with self._lock:
                went, self._away = not self._away, True
            if went:
                logger.warning(
                    "The database (DATABASE_URL) is not answering: %s. Scheduled messages "
                    "wait until it is back.",
                    error_reason(error),
                )
            return False
        with self._lock:
            back, self._away = self._away, False
        if back:
            logger.warning("The database is answering again; scheduled messages are going out.")
        return True
