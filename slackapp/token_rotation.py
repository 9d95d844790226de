"""Token rotation: an expiring bot token is refreshed before it expires, once, by one process.

With "token rotation" on in the Slack app's settings, an OAuth install hands out a bot token
that lives 12 hours and a refresh token that `oauth.v2.access` (grant_type=refresh_token)
exchanges for the next pair. Bolt can refresh on incoming requests (slack_sdk's TokenRotator),
but the scheduler's sends never pass through Bolt, several processes would each spend the same
refresh token, and TokenRotator reads the system clock where the app's clock is injected. So
this one path serves both: the installation store asks it for each request's token, the
dispatcher for each send's, and the row is locked while it refreshes (SELECT ... FOR UPDATE on
PostgreSQL; SQLite is one process, where a thread lock is enough).
"""

from __future__ import annotations

import logging
import threading
from datetime import timedelta
from typing import Protocol

from slack_sdk.errors import SlackApiError
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from models import Installation
from slackapp.kernel.clock import Clock
from slackapp.slack_client import make_web_client

logger = logging.getLogger(__name__)

# Bolt's default too: a token with less than this left is refreshed at its next use.
REFRESH_BEFORE = timedelta(hours=2)


class TokenCipherLike(Protocol):  # what installations.TokenCipher does
    def encrypt(self, token: str) -> str: ...

    def decrypt(self, encrypted: str) -> str: ...


class TokenRefresher:
    def __init__(
        self,
        *,
        session_factory: sessionmaker[Session],
        cipher: TokenCipherLike,
        clock: Clock,
        client_id: str | None,
        client_secret: str | None,
        api_url: str,
        refresh_before: timedelta = REFRESH_BEFORE,
    ) -> None:
        self.session_factory = session_factory
        self.cipher = cipher
        self.clock = clock
        self.client_id = client_id
        self.client_secret = client_secret
        # One quick try: a refresh may run before a request is acked, and a failed one is tried
        # again at the next use, hours before the token actually expires.
        self.client = make_web_client(token=None, base_url=api_url, timeout=5)
        self.client.retry_handlers = []
        self.refresh_before = refresh_before
        self._lock = threading.Lock()

    def _due(self, row: Installation) -> bool:
        return (
            row.bot_refresh_token_encrypted is not None
            and row.bot_token_expires_at is not None
            and row.bot_token_expires_at - self.clock.now() <= self.refresh_before
        )

    def token(self, row: Installation) -> str:
        """The row's bot token, refreshed first when it expires soon (raises InvalidToken when
        the key cannot read it)."""
        if not self._due(row):
            return self.cipher.decrypt(row.bot_token_encrypted)
        with self._lock, self.session_factory() as session:
            locked = session.scalar(
                select(Installation).where(Installation.id == row.id).with_for_update()
            )
            if locked is None:  # uninstalled meanwhile
                return self.cipher.decrypt(row.bot_token_encrypted)
            if self._due(locked):  # else another process refreshed it while we waited
                self._refresh(locked)
                session.commit()
            return self.cipher.decrypt(locked.bot_token_encrypted)

    def _refresh(self, row: Installation) -> None:
        assert row.bot_refresh_token_encrypted is not None
        try:
            answer = self.client.oauth_v2_access(
                client_id=self.client_id or "",
                client_secret=self.client_secret or "",
                grant_type="refresh_token",
                refresh_token=self.cipher.decrypt(row.bot_refresh_token_encrypted),
            )
        except SlackApiError as error:
            # The old token goes on working until it expires; after that every call says
            # token_expired, and only a new install (/slack/install) brings a token back.
            logger.error(
                "could not refresh the bot token of installation %s (%s): it stops working "
                "when it expires; install the app again at /slack/install if this goes on",
                row.id,
                error.response.get("error"),
            )
            return
        row.bot_token_encrypted = self.cipher.encrypt(str(answer["access_token"]))
        refresh = answer.get("refresh_token")
        row.bot_refresh_token_encrypted = self.cipher.encrypt(str(refresh)) if refresh else None
        row.bot_token_expires_at = self.clock.now() + timedelta(seconds=int(answer["expires_in"]))
        logger.info("refreshed the bot token of installation %s", row.id)
