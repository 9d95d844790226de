"""A meeting request's timeline: when its nudge, expiry, reminders and "How did it go?" fall due.

The work itself is sent by slackapp/jobs/meeting.py through the due-work path.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from models import MeetingRequest, Person
from slackapp.kernel import due_work, kinds
from slackapp.kernel import working_days as wd
from slackapp.services.working_time import calendar_of

# While the request waits on the manager, and once a time is accepted.
WAITING_KINDS = (kinds.MEETING_NUDGE, kinds.MEETING_EXPIRY)
MEETING_KINDS = (
    kinds.MEETING_REMINDER_EMPLOYEE,
    kinds.MEETING_REMINDER_MANAGER,
    kinds.MEETING_FOLLOWUP,
)

REMINDER_BEFORE = timedelta(minutes=15)
# "How did it go?" is asked once the meeting is surely over, not at its start.
FOLLOWUP_AFTER = timedelta(hours=1)
NUDGE_WORKING_DAYS = 2
EXPIRES_AFTER = timedelta(days=7)


def nudge_at(waiting_since: datetime, manager: wd.Calendar | str) -> datetime:
    """Two working days (in the manager's calendar: their zone, holidays and working week)
    later, moved into their working hours.

    A request sent on a day off starts counting the next working morning; a nudge that would
    land in the evening waits for the next working morning, so it never arrives at night.
    """
    cal = manager if isinstance(manager, wd.Calendar) else calendar_of(None, tz=manager)
    return cal.nudge_after(waiting_since, NUDGE_WORKING_DAYS)


def schedule(session: Session, request: MeetingRequest, kind: str, due_at: datetime) -> None:
    # A nudge cancelled by a counter-proposal may come due again at the same working-morning
    # time: that row goes back on the clock.
    due_work.schedule_again(
        session,
        workspace_id=request.workspace_id,
        kind=kind,
        subject_id=request.id,
        due_at=due_at,
    )


def cancel(
    session: Session, request: MeetingRequest, which: tuple[str, ...], now: datetime
) -> None:
    for kind in which:
        due_work.cancel(session, kind=kind, subject_id=request.id, now=now)


def wait_for_manager(
    session: Session, request: MeetingRequest, *, manager_tz: str, now: datetime
) -> None:
    cancel(session, request, WAITING_KINDS, now)
    manager = calendar_of(session.get(Person, request.manager_id), tz=manager_tz)
    schedule(session, request, kinds.MEETING_NUDGE, nudge_at(now, manager))
    schedule(session, request, kinds.MEETING_EXPIRY, now + EXPIRES_AFTER)


def meeting_on_the_clock(session: Session, request: MeetingRequest, *, now: datetime) -> None:
    cancel(session, request, WAITING_KINDS + MEETING_KINDS, now)
    assert request.accepted_time is not None
    remind_at = request.accepted_time - REMINDER_BEFORE
    if remind_at > now:  # a reminder whose time has passed is not sent at all
        schedule(session, request, kinds.MEETING_REMINDER_EMPLOYEE, remind_at)
        schedule(session, request, kinds.MEETING_REMINDER_MANAGER, remind_at)
    followup_at = max(now, request.accepted_time + FOLLOWUP_AFTER)
    schedule(session, request, kinds.MEETING_FOLLOWUP, followup_at)
