""" "I'm not their manager", pressed on a request by the person it was sent to, and its undo.

Only the person a request names can say so, and only they can undo it. Every DM from that
employee still open with them is updated in place, the employee is told kindly, and both App
Homes follow.
"""

from __future__ import annotations

import logging
import time
from datetime import datetime
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.models.blocks import Block
from sqlalchemy.orm import Session

from models import FeedbackRequest, MeetingRequest, Person
from slackapp.ids import parse_id
from slackapp.listeners.context import Actor, actor
from slackapp.listeners.home import HOME_SECTIONS
from slackapp.listeners.meeting import ManagerCheck, check_manager, refresh_home, refuse
from slackapp.listeners.steps import SAVE_WAIT_SECONDS
from slackapp.services import refusals
from slackapp.services.home_data import HomeData
from slackapp.services.people import find_person
from slackapp.views.meeting_messages import dicts
from slackapp.views.refusal import (
    NOT_MANAGER_ACTION,
    UNDO_ACTION,
    closed_blocks,
    done_blocks,
    done_text,
    employee_note,
    employee_undone_text,
    field_error,
    home_blocks,
    undone_blocks,
)

logger = logging.getLogger(__name__)

ONLY_NAMED = (
    "Only the person this request was sent to can say they aren't the sender's manager, "
    "so I left it alone."
)
NOTHING_TO_UNDO = "That's already undone, or it isn't yours to undo, so I left it alone."


# -- the employee's modals -------------------------------------------------------------------


def refusal_problem(who: Actor, user_id: str) -> str | None:
    """The field error when the employee picks someone who said they aren't their manager."""
    named = find_person(who.db, workspace_id=who.workspace.id, slack_user_id=user_id)
    if named is None or not refusals.has_refused(
        who.db, employee_id=who.person.id, person_id=named.id
    ):
        return None
    return field_error(_name(who.client, user_id))


def checked_manager(who: Actor, user_id: str) -> ManagerCheck:
    """The meeting modal's check of the person picked, and whether they said they aren't the
    employee's manager."""
    check = check_manager(who.client, user_id, employee_user_id=who.user_id)
    if check.problem is None:
        refused = refusal_problem(who, user_id)
        if refused is not None:
            return ManagerCheck(check.user_id, check.tz, refused)
    return check


def _name(client: WebClient, user_id: str) -> str:
    """Modal field errors are plain text, where a mention would not show a name."""
    try:
        user = client.users_info(user=user_id)["user"]
    except SlackApiError:
        return "This person"
    profile = user.get("profile") or {}
    return str(user.get("real_name") or profile.get("display_name") or "This person")


# -- telling people --------------------------------------------------------------------------


def _pressed(
    session: Session, body: dict[str, Any], *, employee_id: int, person_id: int
) -> tuple[str, str] | None:
    """The message the button was pressed in, when it is one the app stored for a request from
    this employee to this person: the payload names a message, not whose it is."""
    container = body.get("container") or {}
    channel, ts = container.get("channel_id"), container.get("message_ts")
    if not (isinstance(channel, str) and isinstance(ts, str) and channel and ts):
        return None
    # The DM is on their screen a moment before its place is saved: a press in that moment waits
    # for the save rather than being taken for a forgery.
    deadline = time.monotonic() + SAVE_WAIT_SECONDS
    while (channel, ts) not in refusals.messages_to(
        session, employee_id=employee_id, person_id=person_id
    ):
        if time.monotonic() >= deadline:
            logger.info("left alone a message not sent for this request")
            return None
        session.commit()  # ends this read, so the next one sees a save made meanwhile
        time.sleep(0.02)
    return channel, ts


def _update(client: WebClient, where: tuple[str, str] | None, text: str, blocks: list[Block]):
    if where is None:
        return
    try:
        client.chat_update(channel=where[0], ts=where[1], text=text, blocks=dicts(blocks))
    except SlackApiError:
        logger.warning("could not update a request DM after 'not their manager'")


def _post(client: WebClient, person: Person, text: str, blocks: list[Block] | None = None):
    try:
        client.chat_postMessage(
            channel=person.slack_user_id, text=text, blocks=dicts(blocks) if blocks else None
        )
    except SlackApiError:
        logger.warning("could not tell an employee about 'not their manager'")


def _refresh(client: WebClient, session: Session, people: list[Person], now: datetime) -> None:
    for person in people:
        refresh_home(client, session, person, now)


# -- the button and its undo -----------------------------------------------------------------


def _named_on(session: Session, value: Any) -> tuple[int, int] | None:
    """(employee id, manager id) of the request the button was on ("meeting:12")."""
    kind, _, raw = str(value or "").partition(":")
    request_id = parse_id(raw)
    if request_id is None:
        return None
    request: MeetingRequest | FeedbackRequest | None = None
    if kind == "meeting":
        request = session.get(MeetingRequest, request_id)
    elif kind == "feedback":
        request = session.get(FeedbackRequest, request_id)
    return (request.employee_id, request.manager_id) if request is not None else None


def press_not_manager(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    ack()
    who = actor(context, client)
    named = _named_on(who.db, action.get("value"))
    employee = who.db.get(Person, named[0]) if named is not None else None
    if named is None or employee is None or named[1] != who.person.id:
        refuse(client, body, who.user_id, ONLY_NAMED)
        return
    pressed = _pressed(who.db, body, employee_id=employee.id, person_id=who.person.id)
    now = who.clock.now()
    done = refusals.refuse(who.db, employee=employee, person=who.person, now=now)
    who.db.commit()
    _update(client, pressed, done_text(employee.slack_user_id), done_blocks(employee.slack_user_id))
    if done is None:
        return  # a second click: the first one did the rest
    others = [(m.manager_channel, m.manager_ts) for m in done.meetings]
    for request in done.feedback_requests:
        others += [(request.channel, request.ts), (request.nudge_channel, request.nudge_ts)]
    closed = closed_blocks(employee.slack_user_id)
    for channel, ts in others:
        if channel and ts and (channel, ts) != pressed:
            _update(client, (channel, ts), done_text(employee.slack_user_id), closed)
    text, blocks = employee_note(
        who.user_id,
        meeting=bool(done.meetings),
        feedback=bool(done.feedback_requests) or done.stopped_schedule,
    )
    _post(client, employee, text, blocks)
    _refresh(client, who.db, [employee, who.person], now)
    who.db.commit()


def undo_not_manager(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    """Only the person who said so can take it back; nothing stopped restarts by itself."""
    ack()
    who = actor(context, client)
    user_id = str(action.get("value") or "")
    employee = (
        find_person(who.db, workspace_id=who.workspace.id, slack_user_id=user_id)
        if user_id
        else None
    )
    undone = (
        refusals.undo(who.db, employee_id=employee.id, person=who.person)
        if employee is not None
        else None
    )
    who.db.commit()
    if undone is None:
        refuse(client, body, who.user_id, NOTHING_TO_UNDO)
        return
    pressed = _pressed(who.db, body, employee_id=undone.id, person_id=who.person.id)
    text = f"Undone: <@{undone.slack_user_id}> can send you requests again"
    _update(client, pressed, text, undone_blocks(undone.slack_user_id))
    _post(client, undone, employee_undone_text(who.user_id))
    _refresh(client, who.db, [undone, who.person], who.clock.now())
    who.db.commit()


# -- App Home --------------------------------------------------------------------------------


def refusal_home_section(
    session: Session, person: Person, now: datetime, data: HomeData
) -> list[Block]:
    """Shown until the employee names someone else: saying no clears the manager they last
    named, and sending a request or saving a schedule sets it again. Gated so, a busy home
    (which has a manager) spends no statement on it (tests/unit/test_home_queries.py)."""
    if person.manager_id is not None:
        return []
    return home_blocks([p.slack_user_id for p in refusals.refused_by(session, person)])


def register(app: App) -> None:
    app.action(NOT_MANAGER_ACTION)(press_not_manager)
    app.action(UNDO_ACTION)(undo_not_manager)
    if refusal_home_section not in HOME_SECTIONS:
        HOME_SECTIONS.append(refusal_home_section)
