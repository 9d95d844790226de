"""Due work of step 3: reminders before the meeting, "How did it go?", the nudge, the expiry.

Handlers only read (they may run again after a retry); the expiry's state change happens in
on_sent, in the transaction that records the send.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from models import MeetingRequest, MeetingStatus
from slackapp.jobs.away import hold_while_away
from slackapp.jobs.registry import Delivery, Hold, JobContext
from slackapp.kernel import due_work, kinds
from slackapp.services import meetings
from slackapp.services.meeting_timeline import REMINDER_BEFORE
from slackapp.services.refusals import has_refused
from slackapp.views.i18n import _, read_as
from slackapp.views.meeting_messages import (
    dicts,
    expiry_blocks,
    followup_blocks,
    manager_outcome,
    manager_request_blocks,
    manager_request_text,
    nudge_text,
    reminder_text,
)
from slackapp.views.meeting_words import EXPIRED, HOW_DID_IT_GO


def _request(ctx: JobContext, *states: MeetingStatus) -> MeetingRequest | None:
    request = ctx.session.get(MeetingRequest, ctx.work.subject_id)
    if request is None or MeetingStatus(request.status) not in states:
        return None
    # Saying "I'm not their manager" closes the request; this holds even if a row slipped by.
    if has_refused(ctx.session, employee_id=request.employee_id, person_id=request.manager_id):
        return None
    return request


def _reminder(ctx: JobContext, *, to_manager: bool) -> Delivery | None:
    request = _request(ctx, MeetingStatus.ACCEPTED)
    if request is None or request.accepted_time is None:
        return None
    # A reminder for a time that has moved, or one already too late to help, is not sent.
    if ctx.work.due_at != request.accepted_time - REMINDER_BEFORE:
        return None
    if ctx.now >= request.accepted_time:
        return None
    employee = meetings.request_employee(ctx.session, request)
    manager = meetings.request_manager(ctx.session, request)
    reader, other = (manager, employee) if to_manager else (employee, manager)
    read_as(reader.reads)
    return Delivery(
        user_id=reader.slack_user_id, text=reminder_text(request, reader=reader, other=other)
    )


def remind_employee(ctx: JobContext) -> Delivery | None:
    return _reminder(ctx, to_manager=False)


def remind_manager(ctx: JobContext) -> Delivery | None:
    return _reminder(ctx, to_manager=True)


def ask_how_it_went(ctx: JobContext) -> Delivery | None:
    request = _request(ctx, MeetingStatus.ACCEPTED)
    if request is None or request.outcome_recorded_at is not None:
        return None
    manager = meetings.request_manager(ctx.session, request)
    employee = meetings.request_employee(ctx.session, request)
    read_as(employee.reads)
    return Delivery(
        user_id=employee.slack_user_id,
        text=_(HOW_DID_IT_GO),
        blocks=dicts(followup_blocks(request, manager=manager)),
    )


def nudge_manager(ctx: JobContext) -> Delivery | Hold | None:
    request = _request(ctx, MeetingStatus.PENDING)
    if request is None:
        return None
    employee = meetings.request_employee(ctx.session, request)
    manager = meetings.request_manager(ctx.session, request)
    read_as(manager.reads)
    held = hold_while_away(ctx, manager)  # no reminder on their holiday: the morning they're back
    if held is not None:
        return held
    return Delivery(
        user_id=manager.slack_user_id,
        text=nudge_text(request, employee=employee, manager=manager),
    )


def expire_request(ctx: JobContext) -> Delivery | None:
    """A week without an answer: tell the employee (with "Send it again"), then expire it."""
    request = _request(ctx, MeetingStatus.PENDING)
    if request is None:
        return None
    employee = meetings.request_employee(ctx.session, request)
    read_as(employee.reads)
    manager = meetings.request_manager(ctx.session, request)
    request_id, now = request.id, ctx.now

    def expired(session: Session, _channel: str, _ts: str) -> None:
        done = meetings.expire(session=session, request_id=request_id, now=now)
        if done is not None and done.manager_ts:
            # The manager's buttons go too, by an update of their DM in place.
            due_work.schedule(
                session,
                workspace_id=done.workspace_id,
                kind=kinds.MEETING_EXPIRED_MANAGER,
                subject_id=done.id,
                due_at=now,
            )

    return Delivery(
        user_id=employee.slack_user_id,
        text=_(EXPIRED),
        blocks=dicts(expiry_blocks(request, manager=manager)),
        on_sent=expired,
    )


def clear_expired_buttons(ctx: JobContext) -> Delivery | None:
    request = _request(ctx, MeetingStatus.EXPIRED)
    if request is None or not (request.manager_channel and request.manager_ts):
        return None
    employee = meetings.request_employee(ctx.session, request)
    manager = meetings.request_manager(ctx.session, request)
    read_as(manager.reads)
    outcome = manager_outcome(request, employee=employee, manager=manager)
    return Delivery(
        user_id=manager.slack_user_id,
        text=manager_request_text(employee),
        blocks=dicts(
            manager_request_blocks(request, employee=employee, manager=manager, outcome=outcome)
        ),
        replace=(request.manager_channel, request.manager_ts),
    )
