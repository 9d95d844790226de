"""What every listener needs: the database session, the clock, and who is acting."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from slack_bolt import BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Person, Workspace
from slackapp.scheduling.clock import Clock
from slackapp.services.people import ensure_person, ensure_workspace, find_person

logger = logging.getLogger(__name__)


@dataclass
class Actor:
    """The person acting on this request, and where they are."""

    db: Session
    client: WebClient
    clock: Clock
    workspace: Workspace
    person: Person
    user_id: str


def user_tz(client: WebClient, user_id: str) -> str | None:
    try:
        user = client.users_info(user=user_id)["user"]
    except SlackApiError:
        logger.warning("users.info failed for a user; keeping the stored time zone")
        return None
    return str(user.get("tz") or "UTC")


def actor(context: BoltContext, client: WebClient, *, refresh_tz: bool = False) -> Actor:
    """Find (or meet) the acting user. The time zone is asked of Slack on first contact."""
    db: Session = context["db"]
    user_id = context.user_id
    assert user_id, "a listener that needs an actor got a request without a user"
    workspace = ensure_workspace(
        db, team_id=context.team_id or "", enterprise_id=context.enterprise_id
    )
    person = find_person(db, workspace_id=workspace.id, slack_user_id=user_id)
    tz = None
    if person is None or refresh_tz:
        # No connection (nor SQLite's one write lock) is held while Slack answers: under load,
        # sessions waiting on Slack emptied the pool and delayed every ack (bench/ack_latency.py).
        db.commit()
        tz = user_tz(client, user_id)
    person = ensure_person(db, workspace=workspace, slack_user_id=user_id, tz=tz)
    if db.new or db.dirty:
        db.commit()  # saved at once, for the same reason
    return Actor(
        db=db,
        client=client,
        clock=context["clock"],
        workspace=workspace,
        person=person,
        user_id=user_id,
    )


def known_person(context: BoltContext) -> Person | None:
    """The acting person if the app has met them, without asking Slack or writing anything."""
    db: Session = context["db"]
    workspace = db.scalar(
        select(Workspace).where(
            Workspace.team_id == (context.team_id or ""),
            Workspace.enterprise_id == (context.enterprise_id or ""),
        )
    )
    if workspace is None or not context.user_id:
        return None
    return find_person(db, workspace_id=workspace.id, slack_user_id=context.user_id)


def private_metadata(body: dict[str, Any]) -> str:
    return str((body.get("view") or {}).get("private_metadata") or "")
