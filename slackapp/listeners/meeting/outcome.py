"""Stage 3 after the meeting: "How did it go?", and the concerns it turns into items to address."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from models import MeetingStatus
from slackapp.kernel import due_work
from slackapp.kernel.kinds import MEETING_FOLLOWUP
from slackapp.listeners.glue import (
    Edit,
    acked,
    actor,
    entry,
    id_in,
    in_modal,
    metadata,
    pressed_message,
    refuse,
    state_of,
    tell,
)
from slackapp.listeners.meeting.expectations import ask_other, rows_of
from slackapp.listeners.meeting.sent import already_moved_on, own_request
from slackapp.listeners.modals import open_view
from slackapp.services import meeting_concerns, meetings
from slackapp.views import meeting as views
from slackapp.views.i18n import _
from slackapp.views.meeting_messages import followup_blocks
from slackapp.views.meeting_words import NOT_YOURS, THANKS

logger = logging.getLogger(__name__)


def open_outcome(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    found = own_request(ack, body, action, context, client)
    if found is None:
        return
    who, request = found
    if request.outcome_recorded_at is not None or request.status != MeetingStatus.ACCEPTED:
        already_moved_on(who, body)
        return
    view = views.outcome_modal(
        request, manager=meetings.request_manager(who.db, request), message=pressed_message(body)
    )
    open_view(who, trigger_id=body["trigger_id"], view=view, push=in_modal(body))


def submit_outcome(ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient) -> None:
    who = actor(context, client)
    meta = metadata(body)
    request_id = id_in(meta.get("request"))
    concerns = meeting_concerns.parse_concerns(
        entry(state_of(body), "outcome_concerns").get("value")
    )
    now = who.clock.now()
    done = None
    if request_id is not None:
        try:
            done = meeting_concerns.record_outcome(
                session=who.db,
                request_id=request_id,
                employee=who.person,
                concerns=concerns,
                now=now,
                expected=rows_of(state_of(body)),
            )
        except meetings.NotAllowed:
            done = None
    who.save()
    ack(response_action="clear")
    if done is None:
        return
    manager = meetings.request_manager(who.db, done)
    # Only the "How did it go?" DM the app sent for this request: the metadata is the payload's.
    sent = due_work.sent_as(
        who.db,
        kind=MEETING_FOLLOWUP,
        subject_id=done.id,
        channel=meta.get("channel"),
        ts=meta.get("ts"),
    )
    thanks = followup_blocks(done, manager=manager, done=True)
    edit = Edit(sent[0], sent[1], _(THANKS), thanks) if sent is not None else None
    tell(who, edits=[edit], homes=[who.person])
    if done.expectations:
        ask_other(who, done, first=True)


def tick_concern(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    who = acked(ack, context, client)
    concern_id = id_in(action.get("block_id", "").removeprefix("meeting_concern_"))
    if concern_id is None:
        return
    ticked = bool(action.get("selected_options"))
    try:
        meeting_concerns.set_concern_addressed(
            session=who.db,
            employee=who.person,
            concern_id=concern_id,
            addressed=ticked,
            now=who.clock.now(),
        )
    except meetings.NotAllowed:
        refuse(who, _(NOT_YOURS), body)
        return
    tell(who, homes=[who.person])


def register(app: App) -> None:
    app.action("meeting_outcome_open")(open_outcome)
    app.view(views.OUTCOME)(submit_outcome)
    app.action("meeting_concern_tick")(tick_concern)
