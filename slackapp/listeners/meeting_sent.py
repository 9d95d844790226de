"""Step 3, the employee's side once the request is sent: cancel, counter-proposals, resend."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from models import MeetingRequest, MeetingStatus
from slackapp.kernel import recurrence as rec
from slackapp.listeners.context import Actor, actor
from slackapp.listeners.meeting import (
    dm,
    refresh_both,
    refuse,
    request_id_of,
    update_employee_dm,
    update_manager_dm,
)
from slackapp.listeners.meeting_employee import NOT_YOURS, _new_form, deliver
from slackapp.listeners.steps import open_view, update_own_view
from slackapp.services import meetings
from slackapp.views import meeting as views
from slackapp.views.meeting_messages import (
    accepted_blocks,
    cancelled_text,
    counter_settled_blocks,
)

logger = logging.getLogger(__name__)


def own_request(who: Actor, body: dict[str, Any], action: dict[str, Any]) -> MeetingRequest | None:
    request_id = request_id_of(action.get("value"))
    request = meetings.get_request(who.db, request_id) if request_id is not None else None
    if request is None or request.employee_id != who.person.id:
        refuse(who.client, body, who.user_id, NOT_YOURS)
        return None
    return request


def _show_in_modal(who: Actor, body: dict[str, Any], view: dict[str, Any]) -> None:
    """When the button was in the status modal, the modal follows the change."""
    source = body.get("view") or {}
    if source.get("type") == "modal":
        try:
            update_own_view(who, source.get("id"), view)
        except SlackApiError:
            logger.info("status modal already closed")


def already_moved_on(who: Actor, body: dict[str, Any]) -> None:
    refuse(who.client, body, who.user_id, "This meeting request has already moved on.")


def cancel_request(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    ack()
    who = actor(context, client)
    request = own_request(who, body, action)
    if request is None:
        return
    now = who.clock.now()
    done = meetings.cancel(session=who.db, request_id=request.id, employee=who.person, now=now)
    who.db.commit()
    if done is None:
        already_moved_on(who, body)
        return
    cancelled, before = done
    update_manager_dm(client, who.db, cancelled)
    update_employee_dm(
        client, cancelled, counter_settled_blocks(cancelled, employee=who.person), "Cancelled"
    )
    if before is MeetingStatus.ACCEPTED:
        dm(client, meetings.request_manager(who.db, cancelled), text=cancelled_text(who.person))
    _show_in_modal(
        who, body, views.notice_modal("Talk to your boss", "You cancelled the meeting request.")
    )
    refresh_both(client, who.db, cancelled, now)
    who.db.commit()


def accept_counter(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    ack()
    who = actor(context, client)
    request = own_request(who, body, action)
    if request is None:
        return
    now = who.clock.now()
    done = meetings.accept_counter(
        session=who.db, request_id=request.id, employee=who.person, now=now
    )
    who.db.commit()
    if done is None:
        already_moved_on(who, body)
        return
    manager = meetings.request_manager(who.db, done)
    settled = counter_settled_blocks(done, employee=who.person)
    update_employee_dm(client, done, settled, "Meeting accepted")
    update_manager_dm(client, who.db, done)
    dm(
        client,
        manager,
        text="Meeting confirmed",
        blocks=accepted_blocks(done, reader=manager, other=who.person, by_reader=False),
    )
    if not done.employee_ts:  # accepted from the App Home or the modal: confirm in the DM too
        dm(
            client,
            who.person,
            text="Meeting confirmed",
            blocks=accepted_blocks(done, reader=who.person, other=manager, by_reader=True),
        )
    _show_in_modal(
        who, body, views.status_modal(done, employee=who.person, manager=manager, now=now)
    )
    refresh_both(client, who.db, done, now)
    who.db.commit()


def open_counter_propose(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    ack()
    who = actor(context, client)
    request = own_request(who, body, action)
    if request is None:
        return
    if request.status != MeetingStatus.COUNTER_PROPOSED:
        already_moved_on(who, body)
        return
    manager = meetings.request_manager(who.db, request)
    view = views.propose_modal(
        request,
        by="employee",
        tz=manager.tz,
        day=rec.next_working_day(who.clock.now(), manager.tz),
        intro=f"Propose a time that suits you both. It's read in <@{manager.slack_user_id}>'s "
        "time zone, as they'll see it.",
    )
    if (body.get("view") or {}).get("type") == "modal":
        client.views_push(trigger_id=body["trigger_id"], view=view)
    else:
        client.views_open(trigger_id=body["trigger_id"], view=view)


def employee_proposes(who: Actor, request: MeetingRequest, when: datetime) -> MeetingRequest | None:
    """Called by the propose modal's submission when the employee proposes back."""
    return meetings.propose_back(
        session=who.db, request_id=request.id, employee=who.person, when=when, now=who.clock.now()
    )


def after_employee_proposed(who: Actor, request: MeetingRequest) -> None:
    settled = counter_settled_blocks(request, employee=who.person)
    update_employee_dm(who.client, request, settled, "You proposed another time")
    meetings.record_employee_dm(request, channel=None, ts=None)
    deliver(who, request)


def resend(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    """After an expiry: the compose modal again, prefilled from the request that expired."""
    ack()
    who = actor(context, client)
    request = own_request(who, body, action)
    if request is None:
        return
    manager = meetings.request_manager(who.db, request)
    form = _new_form(who, manager_user_id=manager.slack_user_id, like=request)
    open_view(who, trigger_id=body["trigger_id"], view=views.compose_modal(form))
    who.db.commit()


def register(app: App) -> None:
    app.action("meeting_cancel")(cancel_request)
    app.action("meeting_counter_accept")(accept_counter)
    app.action("meeting_counter_propose")(open_counter_propose)
    app.action("meeting_resend")(resend)
