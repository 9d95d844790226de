"""Step 3 after the meeting: "How did it go?", and the concerns it turns into items to address."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from models import MeetingStatus
from slackapp.kernel import due_work
from slackapp.listeners.context import actor
from slackapp.listeners.meeting import (
    entry,
    metadata,
    refresh_home,
    refuse,
    request_id_of,
    state_of,
)
from slackapp.listeners.meeting_sent import NOT_YOURS, already_moved_on, own_request
from slackapp.services import meeting_concerns, meetings
from slackapp.services.meeting_clock import FOLLOWUP
from slackapp.views import meeting as views
from slackapp.views.meeting_messages import followup_blocks

logger = logging.getLogger(__name__)


def open_outcome(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    ack()
    who = actor(context, client)
    request = own_request(who, body, action)
    if request is None:
        return
    if request.outcome_recorded_at is not None or request.status != MeetingStatus.ACCEPTED:
        already_moved_on(who, body)
        return
    container = body.get("container") or {}
    message = None
    if container.get("type") == "message":
        message = (str(container["channel_id"]), str(container["message_ts"]))
    view = views.outcome_modal(
        request, manager=meetings.request_manager(who.db, request), message=message
    )
    if (body.get("view") or {}).get("type") == "modal":
        client.views_push(trigger_id=body["trigger_id"], view=view)
    else:
        client.views_open(trigger_id=body["trigger_id"], view=view)


def submit_outcome(ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient) -> None:
    who = actor(context, client)
    meta = metadata(body)
    request_id = request_id_of(meta.get("request"))
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
            )
        except meetings.NotAllowed:
            done = None
    who.db.commit()
    ack(response_action="clear")
    if done is None:
        return
    manager = meetings.request_manager(who.db, done)
    # Only the "How did it go?" DM the app sent for this request: the metadata is the payload's.
    sent = due_work.sent_as(
        who.db, kind=FOLLOWUP, subject_id=done.id, channel=meta.get("channel"), ts=meta.get("ts")
    )
    if sent is not None:
        try:
            client.chat_update(
                channel=sent[0],
                ts=sent[1],
                text="Thank you",
                blocks=[b.to_dict() for b in followup_blocks(done, manager=manager, done=True)],
            )
        except SlackApiError:
            logger.warning("could not update the follow-up message")
    refresh_home(client, who.db, who.person, now)
    who.db.commit()


def tick_concern(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    ack()
    who = actor(context, client)
    concern_id = request_id_of(action.get("block_id", "").removeprefix("meeting_concern_"))
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
        refuse(client, body, who.user_id, NOT_YOURS)
        return
    who.db.commit()
    refresh_home(client, who.db, who.person, who.clock.now())
    who.db.commit()


def register(app: App) -> None:
    app.action("meeting_outcome_open")(open_outcome)
    app.view(views.OUTCOME)(submit_outcome)
    app.action("meeting_concern_tick")(tick_concern)
