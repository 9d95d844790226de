"""Turning feedback_schedules into feedback requests, and what each request tells the manager.

The planner runs at every scheduler tick, on every worker: feedback_schedules that are due are locked with
FOR UPDATE SKIP LOCKED (PostgreSQL), so two workers never plan the same one, and the unique
(schedule_id, due_at) constraint backs that up everywhere. Each occurrence is a FeedbackRequest
plus the due work that sends it, made in the same transaction that moves next_run_at on.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from models import (
    FeedbackRequest,
    FeedbackSchedule,
    Person,
    Plan,
    PlanStatus,
    ScheduleStatus,
)
from models.feedback import FeedbackRequestStatus, RequestSource
from slackapp.kernel import due_work, kinds
from slackapp.services import workflow_steps
from slackapp.services.feedback import (
    LATE_LIMIT,
    NUDGE_AFTER_WORKING_DAYS,
    close_request,
    following_send,
    manager_calendar,
    open_feedback_request,
    plan_is_closed,
    retire_messages,
)
from slackapp.services.working_time import Away, calendar_of

PLAN_BATCH = 200


def plan_due_requests(session: Session, now: datetime) -> int:
    """Make the occurrences of every schedule that is due; returns how many were made.

    Batch by batch, each committed (which releases its row locks), so the dispatcher can send
    the first batch while the next ones are planned.
    """
    made = 0
    while True:
        query = (
            select(FeedbackSchedule)
            .where(
                FeedbackSchedule.status == ScheduleStatus.ACTIVE.value,
                FeedbackSchedule.next_run_at.is_not(None),
                FeedbackSchedule.next_run_at <= now,
            )
            .order_by(FeedbackSchedule.next_run_at, FeedbackSchedule.id)
            .limit(PLAN_BATCH)
        )
        if session.get_bind().dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        feedback_schedules = list(session.scalars(query))
        made += _plan_batch(session, feedback_schedules, now)
        session.commit()
        if len(feedback_schedules) < PLAN_BATCH:
            return made


def _plan_batch(session: Session, feedback_schedules: list[FeedbackSchedule], now: datetime) -> int:
    """The common case (one occurrence due, on time, nothing open) in two INSERTs for the whole
    batch; anything else (late, several due, an open request, a closed plan) one by one."""
    simple, others = _split(session, feedback_schedules, now)
    made = 0
    if simple:
        try:
            with session.begin_nested():
                made += _make_in_bulk(session, simple)
        except IntegrityError:
            # Another worker (SQLite has no SKIP LOCKED) or a "request now" got in first; the
            # unique constraints refused the whole batch: one by one, which handles both.
            for schedule, _following in simple:
                session.expire(schedule)
            others = [schedule for schedule, _following in simple] + others
    for schedule in others:
        try:
            with session.begin_nested():
                made += make_occurrences(session, schedule, now)
        except IntegrityError:
            session.expire(schedule)
    return made


Following = tuple[datetime | None, datetime | None]  # (send time, rule time if moved)


def _split(
    session: Session, feedback_schedules: list[FeedbackSchedule], now: datetime
) -> tuple[list[tuple[FeedbackSchedule, Following]], list[FeedbackSchedule]]:
    if not feedback_schedules:
        return [], []
    employees = [schedule.employee_id for schedule in feedback_schedules]
    waiting = set(
        session.scalars(
            select(FeedbackRequest.open_employee_id).where(
                FeedbackRequest.open_employee_id.in_(employees)
            )
        )
    )
    plan_ids = {c.plan_id for c in feedback_schedules if c.end_kind == "plan_closed" and c.plan_id}
    active_plans = (
        set(
            session.scalars(
                select(Plan.id).where(Plan.id.in_(plan_ids), Plan.status == PlanStatus.ACTIVE.value)
            )
        )
        if plan_ids
        else set()
    )
    managers = {
        person.id: person
        for person in session.scalars(
            select(Person).where(Person.id.in_({c.manager_id for c in feedback_schedules}))
        )
    }
    simple: list[tuple[FeedbackSchedule, Following]] = []
    others: list[FeedbackSchedule] = []
    for schedule in feedback_schedules:
        due_at = schedule.next_run_at
        assert due_at is not None
        cal = manager_calendar(schedule, managers.get(schedule.manager_id))
        following, moved_from = following_send(schedule, cal, made=schedule.occurrence_count + 1)
        if (
            schedule.employee_id in waiting
            or now - due_at > LATE_LIMIT
            or (following is not None and following <= now)
            or (
                schedule.end_kind == "plan_closed"
                and schedule.plan_id is not None
                and schedule.plan_id not in active_plans
            )
        ):
            others.append(schedule)
        else:
            simple.append((schedule, (following, moved_from)))
        waiting.add(schedule.employee_id)  # a second schedule of the same person waits its turn
    return simple, others


def _make_in_bulk(session: Session, simple: list[tuple[FeedbackSchedule, Following]]) -> int:
    """One FeedbackRequest and its due work per schedule, as make_occurrences would make them."""
    rows = [
        {
            "workspace_id": schedule.workspace_id,
            "schedule_id": schedule.id,
            "employee_id": schedule.employee_id,
            "manager_id": schedule.manager_id,
            "due_at": schedule.next_run_at,
            "questions": list(schedule.questions),
            "status": FeedbackRequestStatus.DUE.value,
            "source": RequestSource.SCHEDULE.value,
            "open_employee_id": schedule.employee_id,
        }
        for schedule, _following in simple
    ]
    made = {
        schedule_id: request_id
        for schedule_id, request_id in session.execute(
            insert(FeedbackRequest).returning(FeedbackRequest.schedule_id, FeedbackRequest.id),
            rows,
        )
    }
    due_work.schedule_all(
        session,
        [
            {
                "workspace_id": schedule.workspace_id,
                "kind": kinds.FEEDBACK_REQUEST,
                "subject_id": made[schedule.id],
                "due_at": schedule.next_run_at,
            }
            for schedule, _following in simple
        ],
    )
    for schedule, (following, moved_from) in simple:
        schedule.occurrence_count += 1
        schedule.next_run_at, schedule.moved_from = following, moved_from
        if following is None:
            schedule.status = ScheduleStatus.ENDED.value
    return len(simple)


def make_occurrences(session: Session, schedule: FeedbackSchedule, now: datetime) -> int:
    """Every occurrence of this schedule due by now; the newest supersedes any still open."""
    made = 0
    missed: list[FeedbackRequest] = []
    cal = manager_calendar(schedule, session.get(Person, schedule.manager_id))
    while schedule.status == ScheduleStatus.ACTIVE.value and schedule.next_run_at is not None:
        due_at = schedule.next_run_at
        if due_at > now:
            break
        if schedule.end_kind == "plan_closed" and plan_is_closed(session, schedule):
            schedule.status, schedule.next_run_at = ScheduleStatus.ENDED.value, None
            break
        missed += supersede_open(session, schedule.employee_id, now)
        request = FeedbackRequest(
            workspace_id=schedule.workspace_id,
            schedule_id=schedule.id,
            employee_id=schedule.employee_id,
            manager_id=schedule.manager_id,
            due_at=due_at,
            questions=list(schedule.questions),
            status=FeedbackRequestStatus.DUE.value,
            source=RequestSource.SCHEDULE.value,
            open_employee_id=schedule.employee_id,
        )
        session.add(request)
        session.flush()
        if now - due_at > LATE_LIMIT:
            # The app was down: too late to make sense to the manager. Told once, below.
            close_request(request, FeedbackRequestStatus.MISSED, reason="late", now=now)
            missed.append(request)
        else:
            due_work.schedule(
                session,
                workspace_id=schedule.workspace_id,
                kind=kinds.FEEDBACK_REQUEST,
                subject_id=request.id,
                due_at=due_at,
            )
        made += 1
        schedule.occurrence_count += 1
        following, moved_from = following_send(schedule, cal, made=schedule.occurrence_count)
        schedule.next_run_at, schedule.moved_from = following, moved_from
        if following is None:
            schedule.status = ScheduleStatus.ENDED.value
    never_sent = [r for r in missed if r.sent_at is None]
    if never_sent:
        session.flush()
        due_work.schedule(
            session,
            workspace_id=schedule.workspace_id,
            kind=kinds.FEEDBACK_MISSED_NOTICE,
            subject_id=never_sent[-1].id,
            due_at=now,
        )
    return made


def supersede_open(session: Session, employee_id: int, now: datetime) -> list[FeedbackRequest]:
    """A new request falls due while the previous is still open: the previous is missed, not
    stacked; a sent one has its DM (and reminder) updated in place, so no button goes stale."""
    previous = open_feedback_request(session, employee_id)
    if previous is None:
        return []
    sent = previous.status == FeedbackRequestStatus.SENT.value
    if not sent and (now - previous.due_at <= LATE_LIMIT or previous.held_until is not None):
        # Not sent yet and not late (a "request now" a moment before a scheduled one), or held
        # while the manager is away: the new request goes out in its place (held in its turn
        # if they are still away), so nothing is missed and nothing stacked.
        close_request(previous, FeedbackRequestStatus.CANCELLED, reason="replaced", now=now)
        session.flush()
        workflow_steps.settle_soon(session, request_id=previous.id, now=now)
        due_work.cancel(session, kind=kinds.FEEDBACK_REQUEST, subject_id=previous.id, now=now)
        return []
    close_request(
        previous, FeedbackRequestStatus.MISSED, reason="superseded" if sent else "late", now=now
    )
    session.flush()  # frees the open slot for the new request
    workflow_steps.settle_soon(session, request_id=previous.id, now=now)
    retire_messages(session, previous, now)
    return [previous]


def mark_sent(
    session: Session,
    request: FeedbackRequest,
    *,
    channel: str,
    ts: str,
    now: datetime,
    manager: Person | None = None,
) -> None:
    """The manager's DM is out: remember where (to update it in place) and plan the nudge."""
    request.status = FeedbackRequestStatus.SENT.value
    request.channel, request.ts, request.sent_at = channel, ts, now
    if manager is None or manager.id != request.manager_id:
        manager = session.get(Person, request.manager_id)
    cal = calendar_of(manager)
    due_work.schedule_new(
        session,
        workspace_id=request.workspace_id,
        kind=kinds.FEEDBACK_NUDGE,
        subject_id=request.id,
        due_at=cal.nudge_after(now, NUDGE_AFTER_WORKING_DAYS),
    )


def missed_together(session: Session, request: FeedbackRequest) -> list[FeedbackRequest]:
    """The never-sent requests of this schedule marked missed in the same moment as this one."""
    return list(
        session.scalars(
            select(FeedbackRequest)
            .where(
                FeedbackRequest.schedule_id == request.schedule_id,
                FeedbackRequest.status == FeedbackRequestStatus.MISSED.value,
                FeedbackRequest.closed_at == request.closed_at,
                FeedbackRequest.sent_at.is_(None),
            )
            .order_by(FeedbackRequest.due_at)
        )
    )


def hold_request(session: Session, *, request_id: int, away: Away, now: datetime) -> None:
    """The manager is away: the request waits for their first working morning back (or, with
    no end known, the next working morning, when they are looked at again). The employee is told
    once for each return date; a held request that meets the schedule's next occurrence is
    replaced by it (supersede_open), so holding never stacks two."""
    request = session.get(FeedbackRequest, request_id)
    if request is None or request.status != FeedbackRequestStatus.DUE.value:
        return
    told = request.held_until is not None and request.held_return == away.back
    if not told:
        # A request of this schedule that was held and replaced a moment ago told them already.
        told = (
            session.scalar(
                select(FeedbackRequest.id)
                .where(
                    FeedbackRequest.employee_id == request.employee_id,
                    FeedbackRequest.manager_id == request.manager_id,
                    FeedbackRequest.id != request.id,
                    FeedbackRequest.held_until.is_not(None),
                    FeedbackRequest.close_reason == "replaced",
                    FeedbackRequest.closed_at >= now - LATE_LIMIT,
                    FeedbackRequest.held_return.is_(None)
                    if away.back is None
                    else FeedbackRequest.held_return == away.back,
                )
                .limit(1)
            )
            is not None
        )
    request.held_until = max(away.recheck_at, now)
    request.held_return = away.back
    due_work.schedule_again(
        session,
        workspace_id=request.workspace_id,
        kind=kinds.FEEDBACK_REQUEST,
        subject_id=request.id,
        due_at=request.held_until,
    )
    if not told:
        due_work.schedule_again(
            session,
            workspace_id=request.workspace_id,
            kind=kinds.FEEDBACK_HELD_NOTICE,
            subject_id=request.id,
            due_at=now,
        )
