""" "I'm not their manager", pressed on a request by the person it was sent to, and its undo.

Only the person a request names can say so, and only they can undo it. Every DM from that
employee still open with them is updated in place, the employee is told kindly, and both App
Homes follow.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient
from sqlalchemy.orm import Session

from models import FeedbackRequest, MeetingRequest, Person
from slackapp.listeners.glue import Edit, acked, id_in, refuse, tell
from slackapp.listeners.modals import SAVE_WAIT_SECONDS
from slackapp.services import refusals
from slackapp.services.people import find_person
from slackapp.views.i18n import _, reading_as
from slackapp.views.refusal import (
    NOT_MANAGER_ACTION,
    NOTHING_TO_UNDO,
    ONLY_NAMED,
    UNDO_ACTION,
    closed_blocks,
    done_blocks,
    done_text,
    employee_note,
    employee_undone_text,
    undone_blocks,
    undone_text,
)

logger = logging.getLogger(__name__)


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


# -- the button and its undo -----------------------------------------------------------------


def _named_on(session: Session, value: Any) -> tuple[int, int] | None:
    """(employee id, manager id) of the request the button was on ("meeting:12")."""
    kind, _, raw = str(value or "").partition(":")
    request_id = id_in(raw)
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
    who = acked(ack, context, client)
    named = _named_on(who.db, action.get("value"))
    employee = who.db.get(Person, named[0]) if named is not None else None
    if named is None or employee is None or named[1] != who.person.id:
        refuse(who, _(ONLY_NAMED), body)
        return
    pressed = _pressed(who.db, body, employee_id=employee.id, person_id=who.person.id)
    now = who.clock.now()
    done = refusals.refuse(who.db, employee=employee, person=who.person, now=now)
    note = done_text(employee.slack_user_id)
    edits = [Edit(*pressed, note, done_blocks(employee.slack_user_id))] if pressed else []
    if done is None:
        tell(who, edits=edits)
        return  # a second click: the first one did the rest
    others = [(m.manager_channel, m.manager_ts) for m in done.meetings]
    for request in done.feedback_requests:
        others += [(request.channel, request.ts), (request.nudge_channel, request.nudge_ts)]
    closed = closed_blocks(employee.slack_user_id)
    edits += [Edit(c, t, note, closed) for c, t in others if c and t and (c, t) != pressed]
    with reading_as(employee.reads):  # the employee's DM, in their language
        text, blocks = employee_note(
            who.user_id,
            meeting=bool(done.meetings),
            feedback=bool(done.feedback_requests) or done.stopped_schedule,
        )
    tell(who, edits=edits, posts=[(employee, text, blocks)], homes=[employee, who.person])


def undo_not_manager(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    """Only the person who said so can take it back; nothing stopped restarts by itself."""
    who = acked(ack, context, client)
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
    if undone is None:
        refuse(who, _(NOTHING_TO_UNDO), body)
        return
    who.save()
    pressed = _pressed(who.db, body, employee_id=undone.id, person_id=who.person.id)
    text = undone_text(undone.slack_user_id)
    with reading_as(undone.reads):
        to_employee = employee_undone_text(who.user_id)
    tell(
        who,
        edits=[Edit(*pressed, text, undone_blocks(undone.slack_user_id))] if pressed else [],
        posts=[(undone, to_employee, None)],
        homes=[undone, who.person],
    )


def register(app: App) -> None:
    app.action(NOT_MANAGER_ACTION)(press_not_manager)
    app.action(UNDO_ACTION)(undo_not_manager)
