"""Stage 3, the employee's side once the request is sent: cancel, counter-proposals, resend."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from models import MeetingRequest, MeetingStatus
from slackapp.listeners.glue import (
    Actor,
    acked,
    id_in,
    in_modal,
    pressed_message,
    refuse,
    tell,
    update_dm,
    view_of,
)
from slackapp.listeners.meeting.calendar import send_calendar
from slackapp.listeners.meeting.common import both, employee_dm, manager_dm
from slackapp.listeners.meeting.compose import _new_form, deliver
from slackapp.listeners.modals import open_view, update_own_view
from slackapp.services import meetings
from slackapp.services.working_time import next_working_day
from slackapp.views import meeting as views
from slackapp.views.i18n import _, reading_as
from slackapp.views.meeting_messages import (
    accepted_blocks,
    cancelled_text,
    counter_settled_blocks,
)
from slackapp.views.meeting_words import (
    CANCELLED,
    CONFIRMED,
    COUNTER_ACCEPTED,
    MOVED_ON,
    NOT_YOURS,
    TITLE,
    YOU_CANCELLED,
    YOU_PROPOSED,
    employee_propose_intro,
)

logger = logging.getLogger(__name__)

T = TypeVar("T")


def own_request(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient
) -> tuple[Actor, MeetingRequest] | None:
    """Ack, then the employee's own request the button names; anyone else is told kindly."""
    who = acked(ack, context, client)
    request_id = id_in(action.get("value"))
    request = meetings.get_request(who.db, request_id) if request_id is not None else None
    if request is None or request.employee_id != who.person.id:
        refuse(who, _(NOT_YOURS), body)
        return None
    return who, request


def _show_in_modal(who: Actor, body: dict[str, Any], view: dict[str, Any]) -> None:
    """When the button was in the status modal, the modal follows the change."""
    source = view_of(body)
    if in_modal(body):
        try:
            update_own_view(who, source.get("id"), view)
        except SlackApiError:
            logger.info("status modal already closed")


def already_moved_on(who: Actor, body: dict[str, Any]) -> None:
    refuse(who, _(MOVED_ON), body)


def _settle(
    ack: Ack,
    body: dict[str, Any],
    action: dict[str, Any],
    context: BoltContext,
    client: WebClient,
    change: Callable[..., T | None],
) -> tuple[Actor, T] | None:
    """The employee's change to their own request (a button), saved; None (after saying so)
    when the request is not theirs or has moved on."""
    found = own_request(ack, body, action, context, client)
    if found is None:
        return None
    who, request = found
    done = change(session=who.db, request_id=request.id, employee=who.person, now=who.clock.now())
    if done is None:
        already_moved_on(who, body)
        return None
    who.save()
    return who, done


def cancel_request(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    result = _settle(ack, body, action, context, client, meetings.cancel)
    if result is None:
        return
    who, (cancelled, before) = result
    employee, manager = both(who.db, cancelled)
    settled = counter_settled_blocks(cancelled, employee=who.person)
    _show_in_modal(who, body, views.notice_modal(_(TITLE), _(YOU_CANCELLED)))
    with reading_as(manager.reads):
        to_manager = cancelled_text(who.person)
    tell(
        who,
        edits=[manager_dm(who.db, cancelled), employee_dm(cancelled, settled, _(CANCELLED))],
        posts=[(manager, to_manager, None)] if before is MeetingStatus.ACCEPTED else [],
        homes=[employee, manager],
    )
    send_calendar(who, cancelled, cancelled=True)


def accept_counter(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    result = _settle(ack, body, action, context, client, meetings.accept_counter)
    if result is None:
        return
    who, done = result
    pressed = pressed_message(body)
    if pressed is not None and not done.employee_ts:
        # Accepted in the proposal's DM before the app had saved where that DM is: it is this one.
        meetings.record_employee_dm(done, channel=pressed[0], ts=pressed[1])
    now = who.clock.now()
    manager = meetings.request_manager(who.db, done)
    settled = counter_settled_blocks(done, employee=who.person)
    with reading_as(manager.reads):
        confirmed = [
            (
                manager,
                _(CONFIRMED),
                accepted_blocks(done, reader=manager, other=who.person, by_reader=False),
            )
        ]
    if not done.employee_ts:  # accepted from the App Home or the modal: confirm in the DM too
        confirmed.append(
            (
                who.person,
                _(CONFIRMED),
                accepted_blocks(done, reader=who.person, other=manager, by_reader=True),
            )
        )
    _show_in_modal(
        who, body, views.status_modal(done, employee=who.person, manager=manager, now=now)
    )
    tell(
        who,
        edits=[employee_dm(done, settled, _(COUNTER_ACCEPTED)), manager_dm(who.db, done)],
        posts=confirmed,
        homes=both(who.db, done),
    )
    send_calendar(who, done)


def open_counter_propose(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    found = own_request(ack, body, action, context, client)
    if found is None:
        return
    who, request = found
    if request.status != MeetingStatus.COUNTER_PROPOSED:
        already_moved_on(who, body)
        return
    manager = meetings.request_manager(who.db, request)
    view = views.propose_modal(
        request,
        by="employee",
        tz=manager.tz,
        day=next_working_day(who.clock.now(), manager.tz, manager),
        intro=employee_propose_intro(manager.slack_user_id),
    )
    open_view(who, trigger_id=body["trigger_id"], view=view, push=in_modal(body))


def employee_proposes(
    who: Actor, request: MeetingRequest, when: datetime, *, moving: bool = False
) -> MeetingRequest | None:
    """Called by the propose modal's submission when the employee proposes back (or, `moving`,
    proposes a new time for the meeting already accepted)."""
    return meetings.propose_back(
        session=who.db,
        request_id=request.id,
        employee=who.person,
        when=when,
        now=who.clock.now(),
        moving=moving,
    )


def after_employee_proposed(who: Actor, request: MeetingRequest) -> None:
    settled = counter_settled_blocks(request, employee=who.person)
    update_dm(who, employee_dm(request, settled, _(YOU_PROPOSED)))
    meetings.record_employee_dm(request, channel=None, ts=None)
    deliver(who, request)


def resend(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    """After an expiry: the compose modal again, prefilled from the request that expired."""
    found = own_request(ack, body, action, context, client)
    if found is None:
        return
    who, request = found
    manager = meetings.request_manager(who.db, request)
    form = _new_form(who, manager_user_id=manager.slack_user_id, like=request)
    open_view(who, trigger_id=body["trigger_id"], view=views.compose_modal(form))
    who.save()


def register(app: App) -> None:
    app.action("meeting_cancel")(cancel_request)
    app.action("meeting_counter_accept")(accept_counter)
    app.action("meeting_counter_propose")(open_counter_propose)
    app.action("meeting_resend")(resend)
