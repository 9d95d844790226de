"""One effect per event: Slack delivers an event again (X-Slack-Retry-Num) when it thinks the
first delivery failed, and sometimes delivers it twice anyway. The first delivery of an event_id
records it under a unique constraint; any other delivery is acked and dropped."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from slack_bolt import BoltContext, BoltResponse
from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from models import ProcessedEvent
from slackapp.kernel.clock import Clock
from slackapp.services.people import ensure_workspace

logger = logging.getLogger(__name__)

# Slack retries within minutes (at once, after 1 minute, after 5 minutes); a day is plenty.
KEEP = timedelta(days=1)
# Prune on one insert in this many: a cheap indexed delete, never a job of its own.
PRUNE_EVERY = 200


def make_event_dedupe(
    session_factory: sessionmaker[Session], clock: Clock
) -> Callable[..., BoltResponse | None]:
    def dedupe_events(
        body: dict[str, Any], context: BoltContext, next: Callable[[], BoltResponse]
    ) -> BoltResponse | None:  # noqa: A002
        event_id = body.get("event_id")
        if body.get("type") != "event_callback" or not isinstance(event_id, str) or not event_id:
            return next()
        team_id, enterprise_id = context.team_id, context.enterprise_id
        if not isinstance(team_id, str) or not 0 < len(team_id) <= 32:
            return next()  # not an event from a workspace; the listeners will ignore it too
        if not isinstance(enterprise_id, str | None) or len(enterprise_id or "") > 32:
            return next()
        if not first_delivery(session_factory, clock, team_id, enterprise_id, event_id[:64]):
            logger.info("dropped a repeated delivery of an event")
            return BoltResponse(status=200, body="")
        return next()

    return dedupe_events


def first_delivery(
    session_factory: sessionmaker[Session],
    clock: Clock,
    team_id: str,
    enterprise_id: str | None,
    event_id: str,
) -> bool:
    """Record the event; False when it was recorded before (by this or another worker)."""
    # Its own short session: the record must be committed before the listener runs, whatever the
    # listener then does with its own session.
    with session_factory() as session:
        workspace = ensure_workspace(session, team_id=team_id, enterprise_id=enterprise_id)
        now = clock.now()
        row = ProcessedEvent(workspace_id=workspace.id, event_id=event_id, created_at=now)
        session.add(row)
        try:
            session.commit()
        except IntegrityError:
            session.rollback()
            return False
        if row.id % PRUNE_EVERY == 0:
            session.execute(delete(ProcessedEvent).where(ProcessedEvent.created_at < now - KEEP))
            session.commit()
    return True
