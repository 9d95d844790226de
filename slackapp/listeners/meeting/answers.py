"""Stage 3, the manager's side: Accept, Propose another time, Decline. Only the named manager.

Whatever the manager does, their DM is updated in place (no stale buttons) and the employee
gets a DM with the answer.
"""

from __future__ import annotations

from typing import Any, TypeGuard

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient
from slack_sdk.models.blocks import Block

from models import MeetingRequest, MeetingStatus
from slackapp.listeners.glue import (
    Actor,
    acked,
    actor,
    dm,
    entry,
    id_in,
    metadata,
    refuse,
    state_of,
    tell,
    update_dm,
)
from slackapp.listeners.meeting.calendar import send_calendar
from slackapp.listeners.meeting.common import both, manager_dm, read_moment
from slackapp.listeners.meeting.sent import after_employee_proposed, employee_proposes
from slackapp.services import meetings
from slackapp.services.working_time import next_working_day
from slackapp.views import meeting as views
from slackapp.views.i18n import _, reading_as
from slackapp.views.meeting_messages import (
    accepted_blocks,
    counter_blocks,
    declined_blocks,
)
from slackapp.views.meeting_words import (
    ACCEPTED,
    ALREADY,
    CHOOSE_A_DAY,
    NOT_PENDING,
    ONLY_MANAGER,
    REQUEST_TITLE,
    counter_text,
    declined_text,
    manager_propose_intro,
)


def _request_in(body: dict[str, Any], who: Actor, raw_id: Any) -> MeetingRequest | None:
    """The request an id names, if the person acting is its named manager."""
    request_id = id_in(raw_id)
    request = meetings.get_request(who.db, request_id) if request_id is not None else None
    return request if request is not None and request.manager_id == who.person.id else None


def _pending_for_manager(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient
) -> tuple[Actor, MeetingRequest] | None:
    """Ack, then the request a manager's button names, if it is theirs and still waiting on
    them; anyone else, or a request already answered, is told kindly (and stale buttons go)."""
    who = acked(ack, context, client)
    request = _request_in(body, who, action.get("value"))
    if request is None:
        refuse(who, _(ONLY_MANAGER), body)
        return None
    if request.status != MeetingStatus.PENDING:
        update_dm(who, manager_dm(who.db, request))
        refuse(who, _(NOT_PENDING.get(MeetingStatus(request.status), ALREADY)), body)
        return None
    return who, request


def _submitted_for_manager(
    ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient, field: str
) -> tuple[Actor, MeetingRequest] | None:
    who = actor(context, client)
    request = _request_in(body, who, metadata(body).get("request"))
    if request is None:
        ack(response_action="errors", errors={field: _(ONLY_MANAGER)})
        return None
    return who, request


def _answered(
    who: Actor, request: MeetingRequest, text: str, blocks: list[Block], *, keep: bool = False
) -> None:
    """The manager's DM redrawn, the employee told, both App Homes shown; `keep` remembers the
    employee's DM so it can be updated in place later."""
    employee, manager = both(who.db, request)
    update_dm(who, manager_dm(who.db, request))
    where = dm(who, employee, text=text, blocks=blocks)
    if keep and where is not None:
        meetings.record_employee_dm(request, channel=where[0], ts=where[1])
    tell(who, homes=[employee, manager])


def _already(ack: Ack) -> None:
    ack(response_action="update", view=views.notice_modal(_(REQUEST_TITLE), _(ALREADY)))


def _saved(done: MeetingRequest | None, ack: Ack, who: Actor) -> TypeGuard[MeetingRequest]:
    """The manager's answer saved and the modal closed; False (the modal says so) when the request
    was answered already."""
    who.save()
    if done is None:
        _already(ack)
        return False
    ack()
    return True


# -- Accept ----------------------------------------------------------------------------------


def press_accept(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    found = _pending_for_manager(ack, body, action, context, client)
    if found is None:
        return
    who, request = found
    if len(request.proposed_times) > 1:
        who.save()
        who.client.views_open(
            trigger_id=body["trigger_id"],
            view=views.accept_chooser_modal(request, manager=who.person),
        )
        return
    accepted = meetings.accept(
        session=who.db, request_id=request.id, manager=who.person, choice=0, now=who.clock.now()
    )
    if accepted is None:
        refuse(who, _(ALREADY), body)
        return
    after_accept(who, accepted)


def submit_accept_choice(
    ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    found = _submitted_for_manager(ack, body, context, client, "meeting_choice")
    if found is None:
        return
    who, request = found
    choice = id_in(
        (entry(state_of(body), "meeting_choice").get("selected_option") or {}).get("value")
    )
    accepted = meetings.accept(
        session=who.db,
        request_id=request.id,
        manager=who.person,
        choice=choice or 0,
        now=who.clock.now(),
    )
    if _saved(accepted, ack, who):
        after_accept(who, accepted)


def after_accept(who: Actor, request: MeetingRequest) -> None:
    who.save()
    employee = meetings.request_employee(who.db, request)
    with reading_as(employee.reads):
        blocks = accepted_blocks(request, reader=employee, other=who.person, by_reader=False)
        text = _(ACCEPTED)
    _answered(who, request, text, blocks)
    send_calendar(who, request)


# -- Propose another time (the manager's, and the employee's answer to it) ---------------------


def press_propose(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    found = _pending_for_manager(ack, body, action, context, client)
    if found is None:
        return
    who, request = found
    employee = meetings.request_employee(who.db, request)
    view = views.propose_modal(
        request,
        by="manager",
        tz=who.person.tz,
        day=next_working_day(who.clock.now(), who.person.tz, who.person),
        intro=manager_propose_intro(employee.slack_user_id),
    )
    who.save()
    who.client.views_open(trigger_id=body["trigger_id"], view=view)


def submit_propose(ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient) -> None:
    who = actor(context, client)
    meta = metadata(body)
    request_id = id_in(meta.get("request"))
    request = meetings.get_request(who.db, request_id) if request_id is not None else None
    by_manager = meta.get("by") == "manager"
    allowed = request is not None and (
        request.manager_id == who.person.id if by_manager else request.employee_id == who.person.id
    )
    if request is None or not allowed:
        ack(response_action="errors", errors={"propose_date": _(ONLY_MANAGER)})
        return
    manager = meetings.request_manager(who.db, request)
    now = who.clock.now()
    when, errors = read_moment(
        state_of(body), "propose_date", "propose_time", tz=manager.tz, now=now
    )
    if errors or when is None:
        ack(response_action="errors", errors=errors or {"propose_date": _(CHOOSE_A_DAY)})
        return
    note = entry(state_of(body), "propose_note").get("value")  # None when left empty
    moving = meta.get("move") is True  # a new time for the meeting already accepted
    if by_manager:
        done = meetings.counter_propose(
            session=who.db,
            request_id=request.id,
            manager=who.person,
            when=when,
            note=note,
            now=now,
            moving=moving,
        )
    else:
        done = employee_proposes(who, request, when, moving=moving)
    who.save()
    if done is None:
        _already(ack)
        return
    ack(response_action="clear")
    if by_manager:
        after_counter(who, done)
    else:
        after_employee_proposed(who, done)


def after_counter(who: Actor, request: MeetingRequest) -> None:
    employee = meetings.request_employee(who.db, request)
    with reading_as(employee.reads):
        blocks = counter_blocks(request, employee=employee, manager=who.person)
        text = counter_text(who.user_id)
    _answered(who, request, text, blocks, keep=True)


# -- Decline ---------------------------------------------------------------------------------


def press_decline(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    found = _pending_for_manager(ack, body, action, context, client)
    if found is None:
        return
    who, request = found
    employee = meetings.request_employee(who.db, request)
    view = views.decline_modal(request, employee=employee)
    who.save()
    who.client.views_open(trigger_id=body["trigger_id"], view=view)


def submit_decline(ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient) -> None:
    found = _submitted_for_manager(ack, body, context, client, "decline_reason")
    if found is None:
        return
    who, request = found
    reason = entry(state_of(body), "decline_reason").get("value")  # None when left empty
    done = meetings.decline(
        session=who.db,
        request_id=request.id,
        manager=who.person,
        reason=reason,
        now=who.clock.now(),
    )
    if _saved(done, ack, who):
        with reading_as(meetings.request_employee(who.db, done).reads):
            text, blocks = declined_text(who.user_id), declined_blocks(done, manager=who.person)
        _answered(who, done, text, blocks)
        # A new time declined for a meeting in both calendars: it comes off them.
        send_calendar(who, done, cancelled=True)


def register(app: App) -> None:
    app.action("meeting_accept")(press_accept)
    app.view(views.ACCEPT_CHOOSER)(submit_accept_choice)
    app.action("meeting_propose")(press_propose)
    app.view(views.PROPOSE_MODAL)(submit_propose)
    app.action("meeting_decline")(press_decline)
    app.view(views.DECLINE_MODAL)(submit_decline)
