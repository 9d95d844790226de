"""What a feedback request tells the manager about the employee's progress since the last one.

The scheduled request builds it when it goes out; the employee's previews (the schedule modal,
the App Home) build it the same way for the request that goes out next, so what they see is
what their manager gets.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Concern, FeedbackRequest, FeedbackSchedule, MeetingRequest, Person, Plan
from slackapp.services.plan_queries import active_plan


@dataclass
class Progress:
    """What the employee did since their last feedback request went out."""

    since: datetime | None
    plan_title: str | None = None
    steps_done: list[str] = field(default_factory=list)
    steps_done_total: int = 0
    steps_total: int = 0
    concerns_addressed: list[str] = field(default_factory=list)
    commitments: list[str] = field(default_factory=list)


def _plan_of(session: Session, employee_id: int, schedule: FeedbackSchedule | None) -> Plan | None:
    """The plan the schedule was set up with, else the employee's active plan."""
    if schedule is not None and schedule.plan_id is not None:
        plan = session.get(Plan, schedule.plan_id)
        if plan is not None:
            return plan
    employee = session.get(Person, employee_id)
    return active_plan(session, employee) if employee is not None else None


def _assemble(since: datetime | None, plan: Plan | None, concerns_addressed: list[str]) -> Progress:
    """The one place that decides what counts: every path below only finds its inputs."""
    progress = Progress(since=since, concerns_addressed=concerns_addressed)
    if plan is not None:
        progress.plan_title = plan.title
        progress.steps_total = len(plan.steps)
        done = [step for step in plan.steps if step.done_at is not None]
        progress.steps_done_total = len(done)
        progress.steps_done = [
            step.description
            for step in done
            if since is None or step.done_at > since  # type: ignore[operator]
        ]
        if plan.reflection is not None:
            progress.commitments = [c.text for c in plan.reflection.commitments]
    return progress


def _from_database(
    session: Session,
    *,
    employee_id: int,
    schedule: FeedbackSchedule | None,
    until: datetime,
    leave_out: int | None,
) -> Progress:
    last_sent = select(FeedbackRequest.sent_at).where(
        FeedbackRequest.employee_id == employee_id,
        FeedbackRequest.sent_at.is_not(None),
        FeedbackRequest.sent_at <= until,
    )
    if leave_out is not None:
        last_sent = last_sent.where(FeedbackRequest.id != leave_out)
    since = session.scalar(last_sent.order_by(FeedbackRequest.sent_at.desc()).limit(1))
    concerns = (
        select(Concern.text)
        .join(MeetingRequest)
        .where(MeetingRequest.employee_id == employee_id, Concern.addressed_at.is_not(None))
    )
    if since is not None:
        concerns = concerns.where(Concern.addressed_at > since)
    addressed = list(session.scalars(concerns.order_by(Concern.addressed_at, Concern.id)))
    return _assemble(since, _plan_of(session, employee_id, schedule), addressed)


def progress_since_last(session: Session, request: FeedbackRequest) -> Progress:
    """The progress this request carries, as it goes out."""
    schedule = session.get(FeedbackSchedule, request.schedule_id) if request.schedule_id else None
    return _from_database(
        session,
        employee_id=request.employee_id,
        schedule=schedule,
        until=request.sent_at or request.due_at,
        leave_out=request.id,
    )


def progress_for_next(
    session: Session, *, employee: Person, schedule: FeedbackSchedule | None, now: datetime
) -> Progress:
    """The progress the next request would carry if it went out now (the employee's preview)."""
    return _from_database(
        session, employee_id=employee.id, schedule=schedule, until=now, leave_out=None
    )


def progress_from_loaded(
    session: Session,
    *,
    schedule: FeedbackSchedule,
    now: datetime,
    history: list[FeedbackRequest],
    concerns: list[Concern],
    active: Plan | None,
) -> Progress:
    """progress_for_next from what the App Home has already loaded, with no statement of its own
    (tests/unit/test_home_queries.py). history is the newest requests that went out (a request
    that went out is sent, answered or missed), concerns all of the employee's."""
    sent = [r.sent_at for r in history if r.sent_at is not None and r.sent_at <= now]
    since = max(sent, default=None)
    addressed = sorted(
        (
            c
            for c in concerns
            if c.addressed_at is not None and (since is None or c.addressed_at > since)
        ),
        key=lambda c: (c.addressed_at, c.id),
    )
    # As _plan_of decides, from the plans the App Home holds (session.get finds them loaded).
    plan = session.get(Plan, schedule.plan_id) if schedule.plan_id is not None else None
    return _assemble(since, plan or active, [c.text for c in addressed])
