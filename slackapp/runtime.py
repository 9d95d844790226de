"""Everything a running app is made of, built once from the settings."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from slack_bolt import App
from slack_sdk import WebClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from models.db import make_engine, make_session_factory
from slackapp.app import build_app
from slackapp.config import Settings
from slackapp.installations import (
    DatabaseInstallationStore,
    DatabaseOAuthStateStore,
    TokenCipher,
    workspace_clients,
)
from slackapp.jobs.dispatcher import Dispatcher, RateLimiter, SharedRateLimiter
from slackapp.kernel.clock import Clock, SystemClock
from slackapp.slack_client import make_web_client
from slackapp.token_rotation import TokenRefresher


@dataclass
class Runtime:
    settings: Settings
    engine: Engine
    session_factory: sessionmaker[Session]
    clock: Clock
    client: WebClient
    app: App
    dispatcher: Dispatcher


def build_runtime(
    settings: Settings, *, clock: Clock | None = None, engine: Engine | None = None
) -> Runtime:
    clock = clock or SystemClock()
    engine = engine or make_engine(settings.database_url)
    session_factory = make_session_factory(engine)
    client = make_web_client(token=settings.slack_bot_token, base_url=settings.slack_api_url)

    def one_workspace(_workspace_id: int) -> WebClient:
        return client

    client_for_workspace: Callable[[int], WebClient] = one_workspace
    installation_store = state_store = None
    if settings.oauth:
        assert settings.encryption_key
        cipher = TokenCipher(settings.encryption_key)
        refresher = TokenRefresher(
            session_factory=session_factory,
            cipher=cipher,
            clock=clock,
            client_id=settings.slack_client_id,
            client_secret=settings.slack_client_secret,
            api_url=settings.slack_api_url,
        )
        installation_store = DatabaseInstallationStore(session_factory, cipher, clock, refresher)
        state_store = DatabaseOAuthStateStore(session_factory, clock)
        client_for_workspace = workspace_clients(
            session_factory, cipher, settings.slack_api_url, refresher
        )
    # PostgreSQL: any number of processes send, and keep the workspace's rate together.
    rate = settings.workspace_messages_per_second
    rate_limiter = (
        SharedRateLimiter(engine, workspace_per_second=rate)
        if engine.dialect.name == "postgresql"
        else RateLimiter(workspace_per_second=rate)
    )
    dispatcher = Dispatcher(
        session_factory=session_factory,
        client_for_workspace=client_for_workspace,
        clock=clock,
        rate_limiter=rate_limiter,
        retention=timedelta(days=settings.retention_days),
    )
    app = build_app(
        settings,
        session_factory=session_factory,
        clock=clock,
        client=client,
        installation_store=installation_store,
        state_store=state_store,
        send_now=dispatcher.send_now,
    )
    return Runtime(settings, engine, session_factory, clock, client, app, dispatcher)
