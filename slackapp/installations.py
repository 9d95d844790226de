"""Multi-workspace installs: OAuth state and bot tokens in the database, tokens encrypted."""

from __future__ import annotations

import base64
import binascii
import logging
import math
import secrets
import threading
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from slack_sdk import WebClient
from slack_sdk.oauth.installation_store import Bot, InstallationStore
from slack_sdk.oauth.installation_store import Installation as SlackInstallation
from slack_sdk.oauth.state_store import OAuthStateStore
from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from models import Installation, OAuthState, Workspace
from slackapp.kernel.clock import Clock
from slackapp.services.people import ensure_workspace
from slackapp.services.workspaces import reinstall
from slackapp.slack_client import make_web_client
from slackapp.token_rotation import TokenRefresher

logger = logging.getLogger(__name__)


def encryption_keys(value: str) -> list[str]:
    """SECONDCHANCE_ENCRYPTION_KEY as a list: one key, or several separated by commas."""
    return [key.strip() for key in value.split(",")]


def _valid_one(key: str) -> bool:
    # Fernet's own check decodes leniently: it stops at the first "=", so "new,old" passed as
    # one key and the old one was silently dropped. A key must be exactly its 44 characters.
    try:
        Fernet(key.encode())
        return base64.urlsafe_b64encode(base64.urlsafe_b64decode(key)).decode() == key
    except (ValueError, TypeError, binascii.Error):
        return False


def valid_key(value: str) -> bool:
    """True when every comma-separated entry is a Fernet key (none empty)."""
    return all(_valid_one(key) for key in encryption_keys(value))


class TokenCipher:
    """The first key encrypts; every key decrypts, so a key can be rotated without downtime."""

    def __init__(self, value: str) -> None:
        self._fernet = MultiFernet([Fernet(key.encode()) for key in encryption_keys(value)])

    def encrypt(self, token: str) -> str:
        return self._fernet.encrypt(token.encode()).decode()

    def decrypt(self, encrypted: str) -> str:
        return self._fernet.decrypt(encrypted.encode()).decode()

    def rotate(self, encrypted: str) -> str:
        """The same secret, encrypted with the first key. Raises InvalidToken if no key reads it."""
        return self._fernet.rotate(encrypted.encode()).decode()


class DatabaseInstallationStore(InstallationStore):
    """slack_sdk's InstallationStore on our tables: one bot per workspace, or one per org for an
    org-wide install (Enterprise Grid), found for a request from any workspace of that org."""

    def __init__(
        self,
        session_factory: sessionmaker[Session],
        cipher: TokenCipher,
        clock: Clock,
        refresher: TokenRefresher | None = None,
    ):
        self.session_factory = session_factory
        self.cipher = cipher
        self.clock = clock
        self.refresher = refresher
        self._logger = logger

    @property
    def logger(self) -> logging.Logger:
        return self._logger

    def save(self, installation: SlackInstallation) -> None:
        if not installation.bot_token:
            return
        org_wide = bool(installation.is_enterprise_install)
        with self.session_factory() as session:
            # An org-wide install belongs to the org: its row is the org's (team_id "").
            workspace = ensure_workspace(
                session,
                team_id="" if org_wide else installation.team_id or "",
                enterprise_id=installation.enterprise_id,
            )
            workspace.name = installation.enterprise_name if org_wide else installation.team_name
            for each in org_members(session, workspace) if org_wide else [workspace]:
                reinstall(session, workspace=each, now=self.clock.now())
            row = session.scalar(
                select(Installation).where(Installation.workspace_id == workspace.id)
            )
            if row is None:
                row = Installation(workspace_id=workspace.id, bot_token_encrypted="")
                session.add(row)
            row.app_id = installation.app_id
            row.bot_id = installation.bot_id
            row.bot_user_id = installation.bot_user_id
            row.bot_scopes = ",".join(installation.bot_scopes or [])
            row.bot_token_encrypted = self.cipher.encrypt(installation.bot_token)
            refresh = installation.bot_refresh_token
            row.bot_refresh_token_encrypted = self.cipher.encrypt(refresh) if refresh else None
            row.bot_token_expires_at = None
            if installation.bot_token_expires_at is not None:
                # slack_sdk turned Slack's expires_in into a time by the system clock; the app
                # keeps time by its own (injected) clock.
                # (slack_sdk truncated its time to a whole second, so this rounds up again.)
                left = math.ceil(installation.bot_token_expires_at - time.time())
                row.bot_token_expires_at = self.clock.now() + timedelta(seconds=left)
            row.installer_user_id = installation.user_id
            row.is_enterprise_install = org_wide
            row.installed_at = self.clock.now()
            session.commit()

    def save_bot(self, bot: Bot) -> None:  # save() stores the bot already
        pass

    def _row(
        self,
        session: Session,
        enterprise_id: str | None,
        team_id: str | None,
        is_enterprise_install: bool | None = False,
    ) -> tuple[Workspace, Installation] | None:
        # As slack_sdk's own stores do: an org-wide install is found by its org alone.
        if is_enterprise_install or (enterprise_id and not team_id):
            team_id = ""
        found = session.execute(
            select(Workspace, Installation)
            .join(Installation, Installation.workspace_id == Workspace.id)
            .where(
                Workspace.team_id == (team_id or ""),
                Workspace.enterprise_id == (enterprise_id or ""),
            )
        ).first()
        return (found[0], found[1]) if found else None

    def _token(self, row: Installation) -> str | None:
        try:
            if self.refresher is not None:
                return self.refresher.token(row)
            return self.cipher.decrypt(row.bot_token_encrypted)
        except InvalidToken:
            logger.error(
                "a stored bot token cannot be decrypted: was SECONDCHANCE_ENCRYPTION_KEY changed?"
            )
            return None

    def find_bot(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        is_enterprise_install: bool | None = False,
    ) -> Bot | None:
        with self.session_factory() as session:
            found = self._row(session, enterprise_id, team_id, is_enterprise_install)
            if found is None:
                return None
            workspace, row = found
            # Refreshed here when it expires soon; Bolt is handed no refresh token, so its own
            # rotator (system clock, no lock between processes) never spends it.
            token = self._token(row)
            if token is None:
                return None
            return Bot(
                app_id=row.app_id,
                enterprise_id=enterprise_id,
                team_id=workspace.team_id or None,
                team_name=workspace.name,
                bot_token=token,
                bot_id=row.bot_id or "",
                bot_user_id=row.bot_user_id or "",
                bot_scopes=row.bot_scopes,
                is_enterprise_install=row.is_enterprise_install,
                installed_at=row.installed_at.timestamp(),
            )

    def find_installation(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None = None,
        is_enterprise_install: bool | None = False,
    ) -> SlackInstallation | None:
        if user_id:
            # Bolt asks again for the acting person's own install (user tokens): the app keeps
            # none, and asking would read (and perhaps refresh) the bot token twice a request.
            return None
        bot = self.find_bot(
            enterprise_id=enterprise_id,
            team_id=team_id,
            is_enterprise_install=is_enterprise_install,
        )
        if bot is None:
            return None
        return SlackInstallation(
            app_id=bot.app_id,
            enterprise_id=enterprise_id,
            team_id=bot.team_id,
            team_name=bot.team_name,
            bot_token=bot.bot_token,
            bot_id=bot.bot_id,
            bot_user_id=bot.bot_user_id,
            bot_scopes=bot.bot_scopes,
            user_id="",
            installed_at=bot.installed_at,
            is_enterprise_install=bot.is_enterprise_install,
        )

    def delete_bot(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        with self.session_factory() as session:
            found = self._row(session, enterprise_id, team_id)
            if found is not None:
                session.delete(found[1])
                session.commit()

    def delete_installation(
        self, *, enterprise_id: str | None, team_id: str | None, user_id: str | None = None
    ) -> None:
        self.delete_bot(enterprise_id=enterprise_id, team_id=team_id)

    def delete_all(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        self.delete_bot(enterprise_id=enterprise_id, team_id=team_id)


def installation_for(session: Session, workspace_id: int) -> Installation | None:
    """The install whose bot token serves a workspace: its own, or its org's (org-wide)."""
    own = session.scalar(select(Installation).where(Installation.workspace_id == workspace_id))
    if own is not None:
        return own
    workspace = session.get(Workspace, workspace_id)
    if workspace is None or not workspace.enterprise_id:
        return None
    return session.scalar(
        select(Installation)
        .join(Workspace, Workspace.id == Installation.workspace_id)
        .where(
            Workspace.enterprise_id == workspace.enterprise_id,
            Workspace.team_id == "",
            Installation.is_enterprise_install.is_(True),
        )
    )


def org_members(session: Session, org: Workspace) -> list[Workspace]:
    """The org's own row and every workspace of the org the app has met."""
    return list(
        session.scalars(select(Workspace).where(Workspace.enterprise_id == org.enterprise_id))
    )


class DatabaseOAuthStateStore(OAuthStateStore):
    def __init__(
        self, session_factory: sessionmaker[Session], clock: Clock, expiration_seconds: int = 600
    ):
        self.session_factory = session_factory
        self.clock = clock
        self.expiration = timedelta(seconds=expiration_seconds)
        self._logger = logger

    @property
    def logger(self) -> logging.Logger:
        return self._logger

    def issue(self, *args: Any, **kwargs: Any) -> str:
        state = secrets.token_urlsafe(32)
        now = self.clock.now()
        with self.session_factory() as session:
            session.execute(delete(OAuthState).where(OAuthState.expires_at < now))
            session.add(OAuthState(state=state, expires_at=now + self.expiration))
            session.commit()
        return state

    def consume(self, state: str) -> bool:
        with self.session_factory() as session:
            row = session.scalar(select(OAuthState).where(OAuthState.state == state))
            if row is None:
                return False
            session.delete(row)
            session.commit()
            return row.expires_at >= self.clock.now()


def workspace_clients(
    session_factory: sessionmaker[Session],
    cipher: TokenCipher,
    base_url: str,
    refresher: TokenRefresher | None = None,
) -> Callable[[int], WebClient]:
    """A Web API client per workspace, with the token that serves it, for scheduled sends."""
    cache: dict[tuple[int, str], WebClient] = {}
    lock = threading.Lock()

    def client_for(workspace_id: int) -> WebClient:
        with session_factory() as session:
            row = installation_for(session, workspace_id)
            token: str | None = None
            if row is not None:
                token = (
                    refresher.token(row) if refresher else cipher.decrypt(row.bot_token_encrypted)
                )
        with lock:
            client = cache.get((workspace_id, token or ""))
            if client is None:
                client = make_web_client(token=token, base_url=base_url)
                cache[(workspace_id, token or "")] = client
            return client

    return client_for
