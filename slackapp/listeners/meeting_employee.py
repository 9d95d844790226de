"""Step 3, the employee's side: compose, review (excuse check + preview), send, and after."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from models import MeetingRequest, MeetingStatus
from slackapp.listeners.context import Actor, actor
from slackapp.listeners.meeting import (
    ManagerCheck,
    check_manager,
    dm,
    metadata,
    read_moment,
    refresh_both,
    refuse,
    request_id_of,
    state_of,
    update_employee_dm,
    update_manager_dm,
)
from slackapp.listeners.meeting_compose import form_from_state, new_form
from slackapp.scheduling import recurrence as rec
from slackapp.services import meetings
from slackapp.services.excuses import find_excuses
from slackapp.services.journey import active_plan
from slackapp.services.meeting_draft import repeated_in_message
from slackapp.services.people import ensure_person
from slackapp.views import meeting as views
from slackapp.views.meeting_messages import (
    accepted_blocks,
    cancelled_text,
    counter_settled_blocks,
    manager_request_blocks,
    manager_request_text,
    sent_text,
)

logger = logging.getLogger(__name__)

NOT_YOURS = "That button belongs to someone else's meeting request, so I left it alone."


# -- compose -> review -> send ---------------------------------------------------------------


def submit_compose(ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient) -> None:
    who = actor(context, client)
    now = who.clock.now()
    state, form = state_of(body), form_from_state(body)
    errors: dict[str, str] = {}
    check = ManagerCheck.from_metadata(form.metadata.get("checked"))
    manager_user_id = form.manager_user_id
    if not manager_user_id:
        errors[views.MANAGER_BLOCK] = "Choose your manager."
    elif check is None or check.user_id != manager_user_id:
        # The select's own check has not landed yet (a very quick submit): ask Slack now. One
        # users.info is a fast read; every other Slack call waits until after the ack.
        check = check_manager(client, manager_user_id, employee_user_id=who.user_id)
    if check is not None and check.problem and manager_user_id:
        errors[views.MANAGER_BLOCK] = check.problem
    tz = (check.tz if check is not None else None) or who.person.tz
    times: list[datetime] = []
    for i in range(1, meetings.MAX_TIMES + 1):
        moment, problems = read_moment(
            state, views.date_block(i), views.time_block(i), tz=tz, now=now
        )
        errors.update(problems)
        if moment is not None and moment not in times:
            times.append(moment)
    if not times and not errors:
        errors[views.date_block(1)] = "Propose at least one time."
    if not form.message.strip():
        errors[views.MESSAGE_BLOCK] = "Write a few words to your manager."
    if errors:
        ack(response_action="errors", errors=errors)
        return
    assert manager_user_id and check is not None
    manager = ensure_person(
        who.db, workspace=who.workspace, slack_user_id=manager_user_id, tz=check.tz
    )
    plan = active_plan(who.db, who.person)
    has_share_block = form.steps_count or form.commitments_count
    draft = meetings.save_draft(
        session=who.db,
        employee=who.person,
        plan=plan,
        composed=meetings.Composed(
            manager=manager,
            times=times,
            message=form.message,
            share_steps=bool(has_share_block) and "steps" in form.share,
            share_commitments=bool(has_share_block) and "commitments" in form.share,
        ),
        submit_key=str(body["view"]["id"]),
    )
    review = views.review_modal(
        draft,
        employee=who.person,
        manager=manager,
        excuses=find_excuses(form.message),
        repeated=repeated_in_message(form.message, draft.shared or {}),
    )
    who.db.commit()
    ack(response_action="push", view=review)


def submit_review(ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient) -> None:
    """Send: draft -> pending once, however many times the button is pressed."""
    who = actor(context, client)
    request_id = request_id_of(metadata(body).get("request"))
    sent = None
    if request_id is not None:
        try:
            sent = meetings.send(
                session=who.db, request_id=request_id, employee=who.person, now=who.clock.now()
            )
        except meetings.NotAllowed:
            sent = None
    who.db.commit()
    ack(response_action="clear")
    if sent is None:
        return
    deliver(who, sent)


def deliver(who: Actor, request: MeetingRequest) -> None:
    """Post the request to the manager and remember where, so it can be updated in place."""
    manager = meetings.request_manager(who.db, request)
    blocks = manager_request_blocks(request, employee=who.person, manager=manager)
    where = dm(who.client, manager, text=manager_request_text(who.person), blocks=blocks)
    if where is None:
        meetings.cancel(
            session=who.db, request_id=request.id, employee=who.person, now=who.clock.now()
        )
        who.db.commit()
        dm(
            who.client,
            who.person,
            text=f"Sorry, I couldn't deliver your meeting request to <@{manager.slack_user_id}>. "
            "Please check you chose the right person and try again with `/secondchance meeting`.",
        )
        return
    meetings.record_manager_dm(request, channel=where[0], ts=where[1])
    who.db.commit()
    dm(who.client, who.person, text=sent_text(manager))
    refresh_both(who.client, who.db, request, who.clock.now())
    who.db.commit()


# -- after sending: cancel, counter-proposals, resend ------------------------------------------


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
            who.client.views_update(view_id=source["id"], view=view)
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
    form = new_form(who, manager_user_id=manager.slack_user_id, like=request)
    client.views_open(trigger_id=body["trigger_id"], view=views.compose_modal(form))
    who.db.commit()


def register(app: App) -> None:
    app.view(views.COMPOSE)(submit_compose)
    app.view(views.REVIEW)(submit_review)
    app.action("meeting_cancel")(cancel_request)
    app.action("meeting_counter_accept")(accept_counter)
    app.action("meeting_counter_propose")(open_counter_propose)
    app.action("meeting_resend")(resend)
