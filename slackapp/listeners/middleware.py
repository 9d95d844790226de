"""Hands each listener a database session, the clock and the retention window, and closes the
session afterwards."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from slack_bolt import BoltContext, BoltRequest, BoltResponse
from slack_bolt.listener.listener_completion_handler import ListenerCompletionHandler
from sqlalchemy.orm import Session, sessionmaker

from slackapp.kernel.clock import Clock

logger = logging.getLogger(__name__)


def make_db_middleware(
    session_factory: sessionmaker[Session],
    clock: Clock,
    *,
    retention: timedelta,
    send_now: Callable[[int], bool],
) -> Callable[..., BoltResponse | None]:
    """`send_now` sends one piece of due work at once (the dispatcher's), for a listener whose
    change made work someone is waiting for; when it cannot (False), the next tick sends it."""

    def db_middleware(
        context: BoltContext, body: dict[str, Any], next: Callable[[], BoltResponse]
    ) -> BoltResponse | None:  # noqa: A002
        if context.is_enterprise_install:
            # An org-wide install is authorized for the org (events name no workspace, a modal
            # names the org as where the app is installed); whose people a request concerns is
            # the workspace it came from.
            team_id = request_team(body)
            if team_id:
                context["team_id"] = team_id
        # A Session takes no connection until first used, so requests that need none cost nothing.
        context["db"] = session_factory()
        context["clock"] = clock
        context["retention"] = retention  # how long data is kept after an uninstall
        context["send_now"] = send_now
        return next()

    return db_middleware


def request_team(body: dict[str, Any]) -> str | None:
    """The workspace a request came from: commands and events say team_id, interactivity its
    team (or, org-wide, only its user's team_id)."""
    candidates = [
        body.get("team_id"),
        (body.get("team") or {}).get("id") if isinstance(body.get("team"), dict) else None,
        (body.get("user") or {}).get("team_id") if isinstance(body.get("user"), dict) else None,
    ]
    return next((c for c in candidates if isinstance(c, str) and c), None)


class CloseSession(ListenerCompletionHandler):
    """Bolt runs listeners on a thread pool after ack(), so the middleware cannot close the
    session when next() returns; this runs when the listener itself has finished."""

    def handle(self, request: BoltRequest, response: BoltResponse | None) -> None:
        session: Session | None = request.context.get("db")
        if session is None:
            return
        try:
            session.rollback()  # anything the listener did not commit is dropped
        finally:
            session.close()
