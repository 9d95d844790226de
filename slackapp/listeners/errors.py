"""One error handler: tell the person kindly, log the traceback without content or tokens.

When the database is away (a restart, a failover) before a request was acknowledged, Slack gets
a considered answer, not Bolt's 500: an event gets 503, so Slack delivers it again later (the
dedupe record was not written either); a modal's submission stays open, with what the person
wrote and a line asking them to press Submit again; anything else is acknowledged and the person
is told, as for any other error."""

from __future__ import annotations

import http.client
import json
import logging
import urllib.error
from typing import Any

from slack_bolt import BoltContext, BoltResponse
from slack_sdk import WebClient
from sqlalchemy.exc import DisconnectionError, InterfaceError, OperationalError

from slackapp.views.i18n import _
from slackapp.views.words import NOT_SAVED_YET, SORRY

DATABASE_AWAY = (OperationalError, InterfaceError, DisconnectionError)
# Slack itself unreachable (a dropped or refused connection, a timeout): before the first ack,
# Bolt's auth.test on a process's first request can meet it. Handled like the database away.
SLACK_AWAY = (urllib.error.URLError, ConnectionError, TimeoutError, http.client.HTTPException)

logger = logging.getLogger("slackapp.errors")


def _caused_by(error: BaseException | None, kinds: tuple[type[BaseException], ...]) -> bool:
    seen = 0
    while error is not None and seen < 10:
        if isinstance(error, kinds):
            return True
        error, seen = error.__cause__ or error.__context__, seen + 1
    return False


def database_away(error: BaseException | None) -> bool:
    """Whether the error (or one that caused it) says the database, or Slack, did not answer:
    a passing outage, not a mistake of the request."""
    return _caused_by(error, DATABASE_AWAY + SLACK_AWAY)


def slack_away(error: BaseException | None) -> bool:
    return _caused_by(error, SLACK_AWAY)


def answer_while_away(body: dict[str, Any], kind: str, response: BoltResponse) -> bool:
    """Turn Bolt's 500 into an answer for a request the database failed before its ack;
    True when the person still needs telling."""
    if kind == "event_callback":
        response.status, response.body = 503, ""  # Slack delivers it again later
        return False
    response.status, response.body = 200, ""
    if kind == "view_submission":
        blocks = ((body.get("view") or {}).get("blocks")) or []
        inputs = [b["block_id"] for b in blocks if b.get("type") == "input" and b.get("block_id")]
        if inputs:
            response.body = json.dumps(
                {"response_action": "errors", "errors": {inputs[0]: _(NOT_SAVED_YET)}}
            )
            response.headers["content-type"] = ["application/json;charset=utf-8"]
            return False
    return True


def handle_error(
    error: Exception,
    body: dict[str, Any],
    context: BoltContext,
    client: WebClient,
    response: BoltResponse | None = None,
) -> None:
    kind = body.get("type") or (body.get("event") or {}).get("type") or "command"
    # The traceback shows where; the body is never logged: it holds what people wrote.
    logger.error("listener failed on %s", kind, exc_info=error)
    session = context.get("db")
    if session is not None:
        session.rollback()
    # Bolt passes the response it will send while nothing was acknowledged yet (a 500).
    away = response is not None and response.status >= 500 and database_away(error)
    if away and response is not None and not answer_while_away(body, kind, response):
        return
    if away and slack_away(error):
        return  # telling them would go through Slack, which is not answering (and delay the ack)
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
