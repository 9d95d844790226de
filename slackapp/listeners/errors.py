"""One error handler: tell the person kindly, log the traceback without content or tokens."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import BoltContext
from slack_sdk import WebClient

from slackapp.views.i18n import _
from slackapp.views.words import SORRY

logger = logging.getLogger("slackapp.errors")


def handle_error(
    error: Exception, body: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    kind = body.get("type") or (body.get("event") or {}).get("type") or "command"
    # The traceback shows where; the body is never logged: it holds what people wrote.
    logger.error("listener failed on %s", kind, exc_info=error)
    session = context.get("db")
    if session is not None:
        session.rollback()
    user_id = context.user_id
    if not user_id or kind in ("event_callback", "app_home_opened"):
        return
    channel = context.channel_id or (body.get("channel") or {}).get("id")
    try:
        if channel:
            client.chat_postEphemeral(channel=channel, user=user_id, text=_(SORRY))
        else:
            client.chat_postMessage(channel=user_id, text=_(SORRY))
    except Exception:
        logger.warning("could not tell the user about the error")
