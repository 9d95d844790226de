"""What every listener needs: the database session, the clock, and who is acting."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from slack_bolt import BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import and_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from models import Person, Workspace
from slackapp.kernel.clock import Clock
from slackapp.services.people import ensure_person, ensure_workspace
from slackapp.services.retention import restart_workspace

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


def actor(
    context: BoltContext,
    client: WebClient,
    *,
    refresh_tz: bool = False,
    found: tuple[Workspace | None, Person | None] | None = None,
) -> Actor:
    """Find (or meet) the acting user. The time zone is asked of Slack on first contact.

    `found` is what lookup() already returned on this request, so it is not asked twice."""
    db: Session = context["db"]
    user_id = context.user_id
    assert user_id, "a listener that needs an actor got a request without a user"
    workspace, person = found if found is not None else lookup(context)
    if workspace is None:
        workspace = ensure_workspace(
            db, team_id=context.team_id or "", enterprise_id=context.enterprise_id
        )
    elif workspace.uninstalled_at is not None:
        # Slack sends nothing to an app that is not installed, so someone using it means it was
        # installed again; with one workspace's token (no OAuth) nothing else would say so.
        restart_workspace(db, workspace=workspace, now=context["clock"].now())
    tz = None
    if person is None or refresh_tz:
        # No connection (nor SQLite's one write lock) is held while Slack answers: under load,
        # sessions waiting on Slack emptied the pool and delayed every ack (bench/ack_latency.py).
        db.commit()
        tz = user_tz(client, user_id)
    if person is None:
        person = _meet(db, workspace, user_id, tz)
    elif tz and person.tz != tz:
        person.tz = tz
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


def _meet(db: Session, workspace: Workspace, user_id: str, tz: str | None) -> Person:
    """Save someone new at once: one INSERT, no savepoint (nothing else is pending here); a
    concurrent request that met them first makes it fail, and then theirs is used."""
    person = Person(workspace_id=workspace.id, slack_user_id=user_id, tz=tz or "UTC")
    db.add(person)
    try:
        db.commit()
    except IntegrityError:
        db.rollback()
        person = ensure_person(db, workspace=workspace, slack_user_id=user_id, tz=tz)
        db.commit()
    return person


def lookup(context: BoltContext) -> tuple[Workspace | None, Person | None]:
    """The workspace and the acting person (None if not met yet), in one query, writing nothing."""
    db: Session = context["db"]
    row = db.execute(
        select(Workspace, Person)
        .outerjoin(
            Person,
            and_(
                Person.workspace_id == Workspace.id,
                Person.slack_user_id == (context.user_id or ""),
            ),
        )
        .where(
            Workspace.team_id == (context.team_id or ""),
            Workspace.enterprise_id == (context.enterprise_id or ""),
        )
        .limit(1)
    ).first()
    if row is None:
        return None, None
    return row[0], (row[1] if context.user_id else None)


def known_person(context: BoltContext) -> Person | None:
    """The acting person if the app has met them, without asking Slack or writing anything."""
    return lookup(context)[1]


def private_metadata(body: dict[str, Any]) -> str:
    return str((body.get("view") or {}).get("private_metadata") or "")
