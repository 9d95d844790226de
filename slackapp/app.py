"""build_app(): the Bolt App with its middleware and listeners, nothing else."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta

from slack_bolt import App
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk import WebClient
from slack_sdk.oauth.installation_store import InstallationStore
from slack_sdk.oauth.state_store import OAuthStateStore
from sqlalchemy.orm import Session, sessionmaker

from slackapp.config import Settings
from slackapp.kernel.clock import Clock
from slackapp.listeners import register_listeners
from slackapp.listeners.acks import keep_acks
from slackapp.listeners.dedupe import make_event_dedupe
from slackapp.listeners.errors import handle_error
from slackapp.listeners.middleware import CloseSession, make_db_middleware
from slackapp.logging_setup import ContextThreadPool
from slackapp.scopes import BOT_SCOPES
from slackapp.slack_client import make_web_client

logger = logging.getLogger(__name__)


def build_app(
    settings: Settings,
    *,
    session_factory: sessionmaker[Session],
    clock: Clock,
    send_now: Callable[[int], bool],
    client: WebClient | None = None,
    installation_store: InstallationStore | None = None,
    state_store: OAuthStateStore | None = None,
) -> App:
    client = client or make_web_client(
        token=settings.slack_bot_token, base_url=settings.slack_api_url
    )
    oauth_settings = None
    if settings.oauth:
        # Many workspaces: each request is authorized with its workspace's stored bot token.
        oauth_settings = OAuthSettings(
            client_id=settings.slack_client_id,
            client_secret=settings.slack_client_secret,
            scopes=BOT_SCOPES,
            installation_store=installation_store,
            state_store=state_store,
            install_path="/slack/install",
            redirect_uri_path="/slack/oauth_redirect",
            authorization_url=settings.slack_api_url.replace("/api/", "/oauth/v2/authorize"),
        )
    app = App(
        token=None,  # the client carries the bot token (none in OAuth mode: each workspace has its own)
        signing_secret=settings.slack_signing_secret or "socket-mode-has-no-signing-secret",
        client=client,
        oauth_settings=oauth_settings,
        installation_store=installation_store if settings.oauth else None,
        # auth.test runs on the first request instead, so start-up does not need Slack up.
        token_verification_enabled=False,
        process_before_response=False,
        # ack() runs inside the listener, so a request waits for a free thread before it can be
        # acked; the threads mostly wait on Slack after their ack, so there are plenty of them.
        # Each runs in the context of its request, so its log lines carry the request id.
        listener_executor=ContextThreadPool(max_workers=64, thread_name_prefix="listener"),
        logger=logging.getLogger("slack_bolt"),
    )
    # Bolt has no public setter for this; it is the one hook that runs after the listener ends.
    app._listener_runner.listener_completion_handler = CloseSession()
    app.middleware(keep_acks)
    app.middleware(make_event_dedupe(session_factory, clock))
    app.middleware(
        make_db_middleware(
            session_factory,
            clock,
            retention=timedelta(days=settings.retention_days),
            send_now=send_now,
        )
    )
    app.error(handle_error)
    register_listeners(app)
    return app
