"""Step 3, the manager's side: Accept, Propose another time, Decline. Only the named manager.

Whatever the manager does, their DM is updated in place (no stale buttons) and the employee
gets a DM with the answer.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from models import MeetingRequest, MeetingStatus
from slackapp.kernel.recurrence import next_working_day
from slackapp.listeners.context import Actor, actor
from slackapp.listeners.meeting import (
    dm,
    entry,
    metadata,
    read_moment,
    refresh_both,
    refuse,
    request_id_of,
    state_of,
    update_manager_dm,
)
from slackapp.listeners.meeting_sent import after_employee_proposed, employee_proposes
from slackapp.services import meetings
from slackapp.views import meeting as views
from slackapp.views.meeting_messages import (
    accepted_blocks,
    counter_blocks,
    declined_blocks,
)

ONLY_MANAGER = (
    "Only the manager this meeting request was sent to can answer it, so I left it alone."
)
ALREADY = "You've already answered this meeting request; nothing has changed."


def _for_manager(who: Actor, body: dict[str, Any], request_id: int | None) -> MeetingRequest | None:
    """The request, if the person acting is its named manager; otherwise a kind refusal."""
    request = meetings.get_request(who.db, request_id) if request_id is not None else None
    if request is None or request.manager_id != who.person.id:
        refuse(who.client, body, who.user_id, ONLY_MANAGER)
        return None
    return request


def _not_pending(who: Actor, body: dict[str, Any], request: MeetingRequest) -> bool:
    """True (after telling them, and clearing any stale buttons) when it's not theirs to answer."""
    if request.status == MeetingStatus.PENDING:
        return False
    update_manager_dm(who.client, who.db, request)
    if request.status == MeetingStatus.EXPIRED:
        refuse(who.client, body, who.user_id, "This meeting request has expired.")
    elif request.status == MeetingStatus.CANCELLED:
        refuse(who.client, body, who.user_id, "This meeting request was cancelled.")
    elif request.status == MeetingStatus.NOT_MANAGER:
        refuse(who.client, body, who.user_id, "You said you aren't their manager; it's closed.")
    else:
        refuse(who.client, body, who.user_id, ALREADY)
    return True


def _pending_for_manager(
    who: Actor, body: dict[str, Any], action: dict[str, Any]
) -> MeetingRequest | None:
    """The request a manager's button names, if it is theirs and still waiting on them; anyone
    else, or a request already answered, is told kindly and gets None."""
    request = _for_manager(who, body, request_id_of(action.get("value")))
    if request is None or _not_pending(who, body, request):
        who.db.commit()
        return None
    return request


def _open(who: Actor, body: dict[str, Any], view: dict[str, Any]) -> None:
    who.client.views_open(trigger_id=body["trigger_id"], view=view)


# -- Accept ----------------------------------------------------------------------------------


def press_accept(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    ack()
    who = actor(context, client)
    request = _pending_for_manager(who, body, action)
    if request is None:
        return
    if len(request.proposed_times) > 1:
        _open(who, body, views.accept_chooser_modal(request, manager=who.person))
        who.db.commit()
        return
    accepted = meetings.accept(
        session=who.db, request_id=request.id, manager=who.person, choice=0, now=who.clock.now()
    )
    who.db.commit()
    if accepted is None:
        refuse(client, body, who.user_id, ALREADY)
        return
    after_accept(who, accepted)


def submit_accept_choice(
    ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    who = actor(context, client)
    request_id = request_id_of(metadata(body).get("request"))
    choice = request_id_of(
        (entry(state_of(body), "meeting_choice").get("selected_option") or {}).get("value")
    )
    request = meetings.get_request(who.db, request_id) if request_id is not None else None
    if request is None or request.manager_id != who.person.id:
        ack(response_action="errors", errors={"meeting_choice": ONLY_MANAGER})
        return
    accepted = meetings.accept(
        session=who.db,
        request_id=request.id,
        manager=who.person,
        choice=choice or 0,
        now=who.clock.now(),
    )
    who.db.commit()
    if accepted is None:
        ack(response_action="update", view=views.notice_modal("Meeting request", ALREADY))
        return
    ack()
    after_accept(who, accepted)


def after_accept(who: Actor, request: MeetingRequest) -> None:
    employee = meetings.request_employee(who.db, request)
    update_manager_dm(who.client, who.db, request)
    dm(
        who.client,
        employee,
        text="Your meeting was accepted",
        blocks=accepted_blocks(request, reader=employee, other=who.person, by_reader=False),
    )
    refresh_both(who.client, who.db, request, who.clock.now())
    who.db.commit()


# -- Propose another time (the manager's, and the employee's answer to it) ---------------------


def press_propose(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    ack()
    who = actor(context, client)
    request = _pending_for_manager(who, body, action)
    if request is None:
        return
    employee = meetings.request_employee(who.db, request)
    view = views.propose_modal(
        request,
        by="manager",
        tz=who.person.tz,
        day=next_working_day(who.clock.now(), who.person.tz),
        intro=f"<@{employee.slack_user_id}> will see it in their own time zone and can accept it "
        "or propose another.",
    )
    _open(who, body, view)
    who.db.commit()


def submit_propose(ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient) -> None:
    who = actor(context, client)
    meta = metadata(body)
    request_id = request_id_of(meta.get("request"))
    request = meetings.get_request(who.db, request_id) if request_id is not None else None
    by_manager = meta.get("by") == "manager"
    allowed = request is not None and (
        request.manager_id == who.person.id if by_manager else request.employee_id == who.person.id
    )
    if request is None or not allowed:
        ack(response_action="errors", errors={"propose_date": ONLY_MANAGER})
        return
    manager = meetings.request_manager(who.db, request)
    now = who.clock.now()
    when, errors = read_moment(
        state_of(body), "propose_date", "propose_time", tz=manager.tz, now=now
    )
    if errors or when is None:
        ack(response_action="errors", errors=errors or {"propose_date": "Choose a day."})
        return
    note = entry(state_of(body), "propose_note").get("value")  # None when left empty
    if by_manager:
        done = meetings.counter_propose(
            session=who.db, request_id=request.id, manager=who.person, when=when, note=note, now=now
        )
    else:
        done = employee_proposes(who, request, when)
    who.db.commit()
    if done is None:
        ack(response_action="update", view=views.notice_modal("Meeting request", ALREADY))
        return
    ack(response_action="clear")
    if by_manager:
        after_counter(who, done)
    else:
        after_employee_proposed(who, done)


def after_counter(who: Actor, request: MeetingRequest) -> None:
    employee = meetings.request_employee(who.db, request)
    update_manager_dm(who.client, who.db, request)
    where = dm(
        who.client,
        employee,
        text=f"<@{who.user_id}> proposed another time for your meeting",
        blocks=counter_blocks(request, employee=employee, manager=who.person),
    )
    if where is not None:
        meetings.record_employee_dm(request, channel=where[0], ts=where[1])
    who.db.commit()
    refresh_both(who.client, who.db, request, who.clock.now())
    who.db.commit()


# -- Decline ---------------------------------------------------------------------------------


def press_decline(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    ack()
    who = actor(context, client)
    request = _pending_for_manager(who, body, action)
    if request is None:
        return
    employee = meetings.request_employee(who.db, request)
    _open(who, body, views.decline_modal(request, employee=employee))
    who.db.commit()


def submit_decline(ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient) -> None:
    who = actor(context, client)
    request_id = request_id_of(metadata(body).get("request"))
    request = meetings.get_request(who.db, request_id) if request_id is not None else None
    if request is None or request.manager_id != who.person.id:
        ack(response_action="errors", errors={"decline_reason": ONLY_MANAGER})
        return
    reason = entry(state_of(body), "decline_reason").get("value")  # None when left empty
    done = meetings.decline(
        session=who.db,
        request_id=request.id,
        manager=who.person,
        reason=reason,
        now=who.clock.now(),
    )
    who.db.commit()
    if done is None:
        ack(response_action="update", view=views.notice_modal("Meeting request", ALREADY))
        return
    ack()
    employee = meetings.request_employee(who.db, done)
    update_manager_dm(client, who.db, done)
    dm(
        client,
        employee,
        text=f"<@{who.user_id}> declined the meeting",
        blocks=declined_blocks(done, manager=who.person),
    )
    refresh_both(client, who.db, done, who.clock.now())
    who.db.commit()


def register(app: App) -> None:
    app.action("meeting_accept")(press_accept)
    app.view(views.ACCEPT_CHOOSER)(submit_accept_choice)
    app.action("meeting_propose")(press_propose)
    app.view(views.PROPOSE_MODAL)(submit_propose)
    app.action("meeting_decline")(press_decline)
    app.view(views.DECLINE_MODAL)(submit_decline)
