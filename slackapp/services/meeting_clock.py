"""Step 3 on the clock: when the nudge, the expiry, the reminders and "How did it go?" fall due.

The work itself is sent by slackapp/jobs/meeting.py through the due-work path.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy.orm import Session

from models import DueWorkStatus, MeetingRequest
from slackapp.kernel import due_work

NUDGE = "meeting_nudge"
EXPIRY = "meeting_expiry"
REMIND_EMPLOYEE = "meeting_reminder_employee"
REMIND_MANAGER = "meeting_reminder_manager"
FOLLOWUP = "meeting_followup"
WAITING_KINDS = (NUDGE, EXPIRY)
MEETING_KINDS = (REMIND_EMPLOYEE, REMIND_MANAGER, FOLLOWUP)

REMINDER_BEFORE = timedelta(minutes=15)
# "How did it go?" is asked once the meeting is surely over, not at its start.
FOLLOWUP_AFTER = timedelta(hours=1)
NUDGE_WORKING_DAYS = 2
EXPIRES_AFTER = timedelta(days=7)
WORKDAY_START, WORKDAY_END = time(9, 0), time(17, 0)


def zone(tz: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(tz or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def _next_weekday(day: datetime) -> datetime:
    day += timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def nudge_at(waiting_since: datetime, manager_tz: str) -> datetime:
    """Two working days (Mon–Fri in the manager's zone) later, moved into their working hours.

    A request sent at the weekend starts counting on Monday morning; a nudge that would land in
    the evening waits for the next working morning, so it never arrives at night.
    """
    tz = zone(manager_tz)
    local = waiting_since.astimezone(tz)
    if local.weekday() >= 5:
        monday = local + timedelta(days=7 - local.weekday())
        local = datetime.combine(monday.date(), WORKDAY_START, tzinfo=tz)
    for _ in range(NUDGE_WORKING_DAYS):
        local = _next_weekday(local)
    if local.timetz().replace(tzinfo=None) < WORKDAY_START:
        local = datetime.combine(local.date(), WORKDAY_START, tzinfo=tz)
    elif local.timetz().replace(tzinfo=None) >= WORKDAY_END:
        local = datetime.combine(_next_weekday(local).date(), WORKDAY_START, tzinfo=tz)
    return local.astimezone(UTC)


def schedule(session: Session, request: MeetingRequest, kind: str, due_at: datetime) -> None:
    work = due_work.schedule(
        session,
        workspace_id=request.workspace_id,
        kind=kind,
        subject_id=request.id,
        due_at=due_at,
    )
    # The same (kind, request, time) taken off the clock earlier (a nudge cancelled by a
    # counter-proposal, then due again at the same working-morning time) goes back on it.
    # Work that was sent stays sent: one nudge per time.
    if work.status == DueWorkStatus.SKIPPED:
        work.status = DueWorkStatus.PENDING.value
        work.finished_at = None
        work.lease_owner = None
        work.lease_until = None
        work.attempts = 0
        session.flush()


def cancel(
    session: Session, request: MeetingRequest, kinds: tuple[str, ...], now: datetime
) -> None:
    for kind in kinds:
        due_work.cancel(session, kind=kind, subject_id=request.id, now=now)


def wait_for_manager(
    session: Session, request: MeetingRequest, *, manager_tz: str, now: datetime
) -> None:
    cancel(session, request, WAITING_KINDS, now)
    schedule(session, request, NUDGE, nudge_at(now, manager_tz))
    schedule(session, request, EXPIRY, now + EXPIRES_AFTER)


def meeting_on_the_clock(session: Session, request: MeetingRequest, *, now: datetime) -> None:
    cancel(session, request, WAITING_KINDS + MEETING_KINDS, now)
    assert request.accepted_time is not None
    remind_at = request.accepted_time - REMINDER_BEFORE
    if remind_at > now:  # a reminder whose time has passed is not sent at all
        schedule(session, request, REMIND_EMPLOYEE, remind_at)
        schedule(session, request, REMIND_MANAGER, remind_at)
    schedule(session, request, FOLLOWUP, max(now, request.accepted_time + FOLLOWUP_AFTER))
