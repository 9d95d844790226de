"""Stage 4: the employee's schedule of feedback requests, one-off requests, and the manager's answer.

The schedule itself (turning a schedule into occurrences) is in services/feedback_schedule.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from models import FeedbackRequest, FeedbackSchedule, Person, Plan, PlanStatus, ScheduleStatus
from models.feedback import (
    OPEN_STATUSES,
    FeedbackRequestStatus,
    PausedReason,
    RequestSource,
    ScheduleEnd,
)
from slackapp.kernel import due_work, kinds
from slackapp.kernel import recurrence as rec
from slackapp.kernel import working_days as wd
from slackapp.kernel.zones import exact
from slackapp.services import workflow_steps
from slackapp.services.plan_queries import active_plan
from slackapp.services.problems import Code, Problem, Problems
from slackapp.services.working_time import Away, calendar_of

DEFAULT_QUESTIONS = ["Am I on the right track?", "What should I do differently?"]
MAX_QUESTIONS = 5
MAX_QUESTION_LENGTH = 200
MAX_END_COUNT = 52
# An occurrence later than this (the app was down) is marked missed rather than sent late.
LATE_LIMIT = timedelta(hours=12)
NUDGE_AFTER_WORKING_DAYS = 2


class Refusal(StrEnum):
    """Why the app cannot do what a person asked of this stage (views/feedback.py says it)."""

    SCHEDULE_STOPPED = "schedule_stopped"  # a change to a schedule that was stopped
    NO_SCHEDULE = "no_schedule"  # a request now, with no manager known yet
    NO_RATING = "no_rating"  # an answer without a rating
    REQUEST_GONE = "request_gone"
    NOT_THE_MANAGER = "not_the_manager"  # the request is for someone else to answer
    ALREADY_ANSWERED = "already_answered"
    REQUEST_CLOSED = "request_closed"  # replaced by a newer one, or withdrawn


class FeedbackError(Exception):
    """Something the person asked for cannot be done; `refusal` says why."""

    def __init__(self, refusal: Refusal) -> None:
        super().__init__(refusal.value)
        self.refusal = refusal


@dataclass
class ScheduleForm:
    """What the employee chose in the modal (times are the manager's wall-clock time)."""

    manager: Person
    tz: str
    first_date: date
    time_of_day: time
    repeat: str
    monthly_week: int | None
    end_kind: str
    end_count: int | None
    end_date: date | None
    questions: list[str]
    share_progress: bool = True

    def rule(self) -> rec.Rule:
        return rec.Rule(self.tz, self.first_date, self.time_of_day, self.repeat, self.monthly_week)


def parse_questions(text: str | None) -> list[str]:
    """One question per line; blank lines dropped, the words kept as typed."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def rule_of(schedule: FeedbackSchedule) -> rec.Rule:
    return rec.Rule(
        schedule.tz,
        schedule.first_date,
        schedule.time_of_day,
        schedule.repeat,
        schedule.monthly_week,
    )


def check_schedule(
    form: ScheduleForm, *, employee: Person, now: datetime, schedule: FeedbackSchedule | None = None
) -> Problems:
    """Field problems (the fields are the modal's block ids); empty when the form can be saved."""
    problems: Problems = {}
    if form.manager.id == employee.id:
        problems["manager"] = Problem(Code.YOURSELF)
    local_now = now.astimezone(exact(form.tz))
    if rec.local_datetime(form.first_date, form.time_of_day, form.tz) <= now:
        if form.first_date < local_now.date():
            problems["first_date"] = Problem(Code.PASSED, tz=form.tz)
        else:
            problems["time"] = Problem(Code.PASSED, tz=form.tz, at=local_now)
    made = schedule.occurrence_count if schedule is not None else 0
    if form.end_kind == ScheduleEnd.AFTER_COUNT.value:
        if form.end_count is None or not 1 <= form.end_count <= MAX_END_COUNT:
            problems["end_count"] = Problem(Code.OUT_OF_RANGE, limit=MAX_END_COUNT)
        elif form.end_count <= made:
            problems["end_count"] = Problem(Code.ALREADY_SENT, count=made)
    elif form.end_kind == ScheduleEnd.ON_DATE.value:
        if form.end_date is None:
            problems["end_date"] = Problem(Code.MISSING)
        elif form.end_date < form.first_date:
            problems["end_date"] = Problem(Code.BEFORE_FIRST)
    if not form.questions:
        problems["questions"] = Problem(Code.NONE)
    elif len(form.questions) > MAX_QUESTIONS:
        problems["questions"] = Problem(Code.TOO_MANY, limit=MAX_QUESTIONS)
    elif any(len(q) > MAX_QUESTION_LENGTH for q in form.questions):
        problems["questions"] = Problem(Code.TOO_LONG, limit=MAX_QUESTION_LENGTH)
    return problems


def current_schedule(session: Session, employee: Person) -> FeedbackSchedule | None:
    """The employee's schedule that is running or paused (there is at most one)."""
    return session.scalar(
        select(FeedbackSchedule)
        .where(
            FeedbackSchedule.employee_id == employee.id,
            FeedbackSchedule.status.in_([ScheduleStatus.ACTIVE.value, ScheduleStatus.PAUSED.value]),
        )
        .order_by(FeedbackSchedule.created_at.desc(), FeedbackSchedule.id.desc())
        .limit(1)
    )


def latest_schedule(session: Session, employee: Person) -> FeedbackSchedule | None:
    return session.scalar(
        select(FeedbackSchedule)
        .where(FeedbackSchedule.employee_id == employee.id)
        .order_by(FeedbackSchedule.created_at.desc(), FeedbackSchedule.id.desc())
        .limit(1)
    )


def save_schedule(
    *,
    session: Session,
    employee: Person,
    form: ScheduleForm,
    now: datetime,
    schedule: FeedbackSchedule | None = None,
) -> FeedbackSchedule:
    """Create the schedule, or change the given one; the first request goes out on the first date."""
    if schedule is None:
        for old in session.scalars(
            select(FeedbackSchedule).where(
                FeedbackSchedule.employee_id == employee.id,
                FeedbackSchedule.status.in_(
                    [ScheduleStatus.ACTIVE.value, ScheduleStatus.PAUSED.value]
                ),
            )
        ):
            _stop(session, old, now)
        plan = active_plan(session, employee)
        schedule = FeedbackSchedule(
            workspace_id=employee.workspace_id,
            employee_id=employee.id,
            plan_id=plan.id if plan else None,
            occurrence_count=0,
        )
        session.add(schedule)
    elif schedule.status not in (ScheduleStatus.ACTIVE.value, ScheduleStatus.PAUSED.value):
        raise FeedbackError(Refusal.SCHEDULE_STOPPED)
    # A schedule the employee paused stays paused through a change; one paused because the
    # manager was unreachable starts again (the change is how a new manager is picked).
    # So does one paused while they are away: it resumes by itself when they are back.
    stay_paused = schedule.status == ScheduleStatus.PAUSED.value and schedule.paused_reason in (
        PausedReason.EMPLOYEE.value,
        PausedReason.EMPLOYEE_AWAY.value,
    )
    schedule.manager_id = form.manager.id
    schedule.tz = form.tz
    schedule.first_date = form.first_date
    schedule.time_of_day = form.time_of_day.replace(second=0, microsecond=0, tzinfo=None)
    schedule.repeat = form.repeat
    schedule.monthly_week = form.monthly_week if form.repeat == rec.MONTHLY else None
    schedule.end_kind = form.end_kind
    schedule.end_count = form.end_count if form.end_kind == ScheduleEnd.AFTER_COUNT.value else None
    schedule.end_date = form.end_date if form.end_kind == ScheduleEnd.ON_DATE.value else None
    schedule.questions = list(form.questions)
    schedule.share_progress = form.share_progress
    schedule.updated_at = now
    if stay_paused:
        schedule.next_run_at = None
    else:
        schedule.status = ScheduleStatus.ACTIVE.value
        schedule.paused_reason = None
        place(
            schedule,
            rec.first_occurrence(rule_of(schedule)),
            manager_calendar(schedule, form.manager),
        )
    employee.manager_id = form.manager.id  # remembered for next time
    session.flush()
    return schedule


def manager_calendar(schedule: FeedbackSchedule, manager: Person | None) -> wd.Calendar:
    """The manager's holidays and working week, read in the schedule's zone (theirs)."""
    return calendar_of(manager, tz=schedule.tz)


def place(schedule: FeedbackSchedule, nominal: datetime | None, cal: wd.Calendar) -> None:
    """The schedule's next send: the rule's time `nominal`, moved to the manager's next working
    day when it falls on their holiday or day off (moved_from keeps why, for the App Home)."""
    if nominal is None:
        schedule.next_run_at = schedule.moved_from = None
        return
    shift = cal.shift(nominal, schedule.time_of_day)
    schedule.next_run_at = shift.at
    schedule.moved_from = nominal if shift.moved else None


def following_send(
    schedule: FeedbackSchedule, cal: wd.Calendar, *, made: int
) -> tuple[datetime | None, datetime | None]:
    """(send time, rule time) of the occurrence after the current next_run_at: the rule goes
    on from the time actually sent, so a move never makes two requests of one schedule meet."""
    assert schedule.next_run_at is not None
    nominal = next_within_end(schedule, schedule.next_run_at, made=made)
    if nominal is None:
        return None, None
    shift = cal.shift(nominal, schedule.time_of_day)
    return shift.at, nominal if shift.moved else None


def upcoming(schedule: FeedbackSchedule, count: int = 3) -> list[datetime]:
    """The rule's next `count` send times, with no calendar moving them."""
    every_day = wd.Calendar(schedule.tz, week=frozenset(range(7)))
    return [send.at for send in upcoming_sends(schedule, every_day, count)]


def upcoming_sends(schedule: FeedbackSchedule, cal: wd.Calendar, count: int = 3) -> list[wd.Shift]:
    """The next `count` send times the schedule will make, its end rule included, each with
    the day off it was moved from."""
    if schedule.next_run_at is None:
        return []
    times: list[wd.Shift] = []
    at, moved_from = schedule.next_run_at, schedule.moved_from
    while at is not None and len(times) < count:
        off = cal.day_off(cal.day_of(moved_from, schedule.time_of_day)) if moved_from else None
        times.append(wd.Shift(at, off))
        if len(times) == count:
            break
        nominal = next_within_end(schedule, at, made=schedule.occurrence_count + len(times))
        if nominal is None:
            break
        shift = cal.shift(nominal, schedule.time_of_day)
        at, moved_from = shift.at, nominal if shift.moved else None
    return times


def next_within_end(schedule: FeedbackSchedule, after: datetime, *, made: int) -> datetime | None:
    """The occurrence after `after`, or None when the end rule says the schedule is over."""
    if schedule.end_kind == ScheduleEnd.AFTER_COUNT.value and made >= (schedule.end_count or 0):
        return None
    following = rec.next_after(rule_of(schedule), after)
    if (
        schedule.end_kind == ScheduleEnd.ON_DATE.value
        and schedule.end_date is not None
        and following.astimezone(exact(schedule.tz)).date() > schedule.end_date
    ):
        return None
    return following


def plan_is_closed(session: Session, schedule: FeedbackSchedule) -> bool:
    if schedule.plan_id is None:
        return False
    plan = session.get(Plan, schedule.plan_id)
    return plan is None or plan.status != PlanStatus.ACTIVE.value


def open_feedback_request(session: Session, employee_id: int) -> FeedbackRequest | None:
    return session.scalar(
        select(FeedbackRequest).where(FeedbackRequest.open_employee_id == employee_id)
    )


def close_request(
    request: FeedbackRequest, status: FeedbackRequestStatus, *, reason: str, now: datetime
) -> None:
    request.status = status.value
    request.open_employee_id = None
    request.closed_at = now
    request.close_reason = reason


def retire_messages(session: Session, request: FeedbackRequest, now: datetime) -> None:
    """A request closed without an answer: nothing more goes out for it (its send, its nudge),
    and the manager's DM and nudge already out are redrawn without their button."""
    for kind in (kinds.FEEDBACK_REQUEST, kinds.FEEDBACK_NUDGE):
        due_work.cancel(session, kind=kind, subject_id=request.id, now=now)
    for kind, ts in (
        (kinds.FEEDBACK_REQUEST_CLOSED, request.ts),
        (kinds.FEEDBACK_NUDGE_CLOSED, request.nudge_ts),
    ):
        if ts:
            due_work.schedule(
                session,
                workspace_id=request.workspace_id,
                kind=kind,
                subject_id=request.id,
                due_at=now,
            )


def _drop_unsent(session: Session, schedule: FeedbackSchedule, now: datetime, reason: str) -> None:
    """A request not yet sent is cancelled with its schedule (one already sent stays answerable)."""
    for request in session.scalars(
        select(FeedbackRequest).where(
            FeedbackRequest.schedule_id == schedule.id,
            FeedbackRequest.status == FeedbackRequestStatus.DUE.value,
        )
    ):
        close_request(request, FeedbackRequestStatus.CANCELLED, reason=reason, now=now)
        due_work.cancel(session, kind=kinds.FEEDBACK_REQUEST, subject_id=request.id, now=now)


def pause_schedule(
    *,
    session: Session,
    schedule: FeedbackSchedule,
    now: datetime,
    reason: PausedReason = PausedReason.EMPLOYEE,
) -> None:
    if schedule.status != ScheduleStatus.ACTIVE.value:
        return
    schedule.status = ScheduleStatus.PAUSED.value
    schedule.paused_reason = reason.value
    schedule.next_run_at = schedule.moved_from = None
    schedule.updated_at = now
    _drop_unsent(session, schedule, now, "paused")


def resume_schedule(*, session: Session, schedule: FeedbackSchedule, now: datetime) -> None:
    """Carry on from the next send time after now; times passed while paused are skipped."""
    if schedule.status != ScheduleStatus.PAUSED.value:
        return
    first = rec.first_occurrence(rule_of(schedule))
    following = (
        first if first > now else next_within_end(schedule, now, made=schedule.occurrence_count)
    )
    schedule.status = ScheduleStatus.ACTIVE.value if following else ScheduleStatus.ENDED.value
    schedule.paused_reason = None
    place(schedule, following, manager_calendar(schedule, session.get(Person, schedule.manager_id)))
    schedule.updated_at = now


def _stop(session: Session, schedule: FeedbackSchedule, now: datetime) -> None:
    schedule.status = ScheduleStatus.STOPPED.value
    schedule.next_run_at = schedule.moved_from = None
    schedule.updated_at = now
    _drop_unsent(session, schedule, now, "stopped")


def set_share_progress(*, schedule: FeedbackSchedule, share: bool, now: datetime) -> None:
    """Whether the next requests show the manager the employee's progress (their choice)."""
    if schedule.status in (ScheduleStatus.ACTIVE.value, ScheduleStatus.PAUSED.value):
        schedule.share_progress = share
        schedule.updated_at = now


def stop_schedule(*, session: Session, schedule: FeedbackSchedule, now: datetime) -> None:
    if schedule.status in (ScheduleStatus.ACTIVE.value, ScheduleStatus.PAUSED.value):
        _stop(session, schedule, now)


def request_now(
    *, session: Session, employee: Person, now: datetime, away: Away | None = None
) -> tuple[FeedbackRequest, bool]:
    """One request at once, outside the schedule. Returns (request, made now?): when one is
    already waiting on the manager, that one comes back and nothing is stacked. A manager who is
    `away` gets it at their first working morning back (held_until)."""
    waiting = open_feedback_request(session, employee.id)
    if waiting is not None:
        return waiting, False
    schedule = current_schedule(session, employee)
    if schedule is None:
        raise FeedbackError(Refusal.NO_SCHEDULE)
    request = FeedbackRequest(
        workspace_id=employee.workspace_id,
        schedule_id=schedule.id,
        employee_id=employee.id,
        manager_id=schedule.manager_id,
        due_at=now,
        questions=list(schedule.questions),
        status=FeedbackRequestStatus.DUE.value,
        source=RequestSource.NOW.value,
        open_employee_id=employee.id,
        held_until=away.recheck_at if away is not None else None,
        held_return=away.back if away is not None else None,
    )
    try:
        with session.begin_nested():
            session.add(request)
    except IntegrityError:  # a double click: the other click made it
        waiting = open_feedback_request(session, employee.id)
        if waiting is None:
            raise
        return waiting, False
    due_work.schedule(
        session,
        workspace_id=employee.workspace_id,
        kind=kinds.FEEDBACK_REQUEST,
        subject_id=request.id,
        due_at=request.held_until or now,
    )
    return request, True


def is_open(request: FeedbackRequest) -> bool:
    return request.status in OPEN_STATUSES


def manager_unreachable(*, session: Session, request_id: int, now: datetime) -> None:
    """Slack says the manager is gone (deactivated, left): pause the schedule, tell the employee."""
    request = session.get(FeedbackRequest, request_id)
    if request is None:
        return
    if request.status in OPEN_STATUSES:
        close_request(
            request, FeedbackRequestStatus.CANCELLED, reason="manager_unreachable", now=now
        )
        workflow_steps.settle_soon(session, request_id=request.id, now=now)
    schedule = session.get(FeedbackSchedule, request.schedule_id) if request.schedule_id else None
    if schedule is not None and schedule.status == ScheduleStatus.ACTIVE.value:
        pause_schedule(
            session=session, schedule=schedule, now=now, reason=PausedReason.MANAGER_UNREACHABLE
        )
    due_work.schedule(
        session,
        workspace_id=request.workspace_id,
        kind=kinds.FEEDBACK_MANAGER_UNREACHABLE,
        subject_id=request.id,
        due_at=now,
    )
