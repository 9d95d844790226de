"""Stage 1's clock: the 09:00 reminder of each dated step, and the "act quickly" nudge.

Kept in the database as due work (docs/architecture.md, scheduling): `sync_*` put exactly the wanted work
on the clock after any change, and `*_due` decide at send time whether anything is left to say.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import DueWork, DueWorkStatus, MeetingRequest, Person, Plan, PlanStatus, Situation, Step
from slackapp.kernel import due_work, kinds
from slackapp.kernel.zones import at_local_time, local
from slackapp.services.plan_queries import active_plan
from slackapp.services.working_time import calendar_of, said_away

REMINDER_TIME = time(9, 0)
ACT_QUICKLY_AFTER = timedelta(hours=24)


# -- time ---------------------------------------------------------------------------------------


def local_today(person: Person, now: datetime) -> date:
    return local(now, person.tz).date()


def reminder_due_at(due_date: date, tz: str | None, owner: Person | None = None) -> datetime:
    """09:00 on the due date in the person's zone, in UTC (DST included); on their holiday or
    day off, the next working morning (their calendar, when the owner is given)."""
    if owner is None:
        return at_local_time(due_date, REMINDER_TIME, tz)
    cal = calendar_of(owner, tz=tz)
    return at_local_time(cal.first_working_day(due_date), REMINDER_TIME, tz)


# -- the clock ----------------------------------------------------------------------------------


def _put_on_clock(
    session: Session, *, kind: str, subject_id: int, workspace_id: int, at: datetime
) -> DueWork:
    # Cancelled earlier (step unticked, date changed back): wanted again. Sent work stays sent.
    return due_work.schedule_again(
        session, workspace_id=workspace_id, kind=kind, subject_id=subject_id, due_at=at
    )


def reminder_time(step: Step, *, tz: str | None, owner: Person | None = None) -> datetime | None:
    """When this step's reminder belongs on the clock, or None: done, no date, plan replaced."""
    if step.done_at is not None or step.due_date is None:
        return None
    if step.plan.status != PlanStatus.ACTIVE.value:
        return None
    return reminder_due_at(step.due_date, tz, owner)


def sync_step_reminder(session: Session, *, step: Step, owner: Person, now: datetime) -> None:
    """Exactly one pending reminder at the right time, or none. Work already due stays (the
    next tick sends it); a new reminder is only added while 09:00 on the day is still ahead."""
    pending = due_work.pending(session, kind=kinds.STEP_REMINDER, subject_id=step.id)
    _sync_step(session, step=step, owner=owner, now=now, pending=pending)


def _sync_step(
    session: Session, *, step: Step, owner: Person, now: datetime, pending: list[DueWork]
) -> None:
    want = reminder_time(step, tz=owner.tz, owner=owner)
    for work in pending:
        if work.due_at != want:
            due_work.skip(work, now=now)
    if want is not None and want >= now and not any(w.due_at == want for w in pending):
        _put_on_clock(
            session,
            kind=kinds.STEP_REMINDER,
            subject_id=step.id,
            workspace_id=step.workspace_id,
            at=want,
        )


def sync_reminders(
    session: Session, *, owner: Person, now: datetime, plan: Plan | None = None
) -> None:
    """After the person's time zone changed: every open step's reminder moves to 09:00 there.

    `plan` is the owner's active plan when the caller has it. The pending reminders of all its
    steps are read in one query, and work is written only where a time is wrong or missing: when
    nothing changed (the usual App Home visit) this is that one read."""
    if plan is None:
        plan = active_plan(session, owner)
    if plan is None or not plan.steps:
        return
    pending: dict[int, list[DueWork]] = {step.id: [] for step in plan.steps}
    for work in session.scalars(
        select(DueWork).where(
            DueWork.kind == kinds.STEP_REMINDER,
            DueWork.subject_id.in_(list(pending)),
            DueWork.status == DueWorkStatus.PENDING.value,
        )
    ):
        pending[work.subject_id].append(work)
    for step in plan.steps:
        _sync_step(session, step=step, owner=owner, now=now, pending=pending[step.id])


def sync_act_quickly(session: Session, *, plan: Plan, now: datetime) -> None:
    serious = plan.status == PlanStatus.ACTIVE.value and Situation(plan.situation).serious
    if serious:
        _put_on_clock(
            session,
            kind=kinds.ACT_QUICKLY,
            subject_id=plan.id,
            workspace_id=plan.workspace_id,
            # On the owner's working day, in their working hours: never at night or on a holiday.
            at=calendar_of(session.get(Person, plan.owner_id)).within_hours(
                plan.created_at + ACT_QUICKLY_AFTER
            ),
        )
    else:
        due_work.cancel(session, kind=kinds.ACT_QUICKLY, subject_id=plan.id, now=now)


@dataclass(frozen=True)
class StepReminder:
    step: Step
    plan: Plan
    owner: Person


def step_reminder_due(session: Session, *, work: DueWork, now: datetime) -> StepReminder | None:
    """What the step reminder should say now, or None when there is nothing to send."""
    step = session.get(Step, work.subject_id)
    if step is None or step.done_at is not None or step.due_date is None:
        return None
    plan = step.plan
    owner = session.get(Person, plan.owner_id)
    if owner is None or plan.status != PlanStatus.ACTIVE.value:
        return None
    expected = reminder_due_at(step.due_date, owner.tz, owner)
    if local_today(owner, now) > local(expected, owner.tz).date():
        return None  # the day is over; a reminder now would only nag
    if said_away(owner, now):
        return None  # "I'm away until ...": nothing falls due meanwhile, nothing stacks after
    if expected != work.due_at and expected > now:
        # The person moved to a zone where 09:00 is still ahead: remind them then instead.
        _put_on_clock(
            session,
            kind=kinds.STEP_REMINDER,
            subject_id=step.id,
            workspace_id=step.workspace_id,
            at=expected,
        )
        return None
    return StepReminder(step=step, plan=plan, owner=owner)


def act_quickly_due(
    session: Session, *, plan_id: int, now: datetime | None = None
) -> tuple[Plan, Person] | None:
    """The plan and owner to nudge, or None: not serious any more, replaced, or they already
    asked for a meeting."""
    plan = session.get(Plan, plan_id)
    if plan is None or plan.status != PlanStatus.ACTIVE.value:
        return None
    if not Situation(plan.situation).serious:
        return None
    # Stage 3's table, read only: any meeting request at all means they already acted.
    asked = session.scalar(
        select(MeetingRequest.id).where(MeetingRequest.employee_id == plan.owner_id).limit(1)
    )
    owner = session.get(Person, plan.owner_id)
    if asked is not None or owner is None or (now is not None and said_away(owner, now)):
        return None
    return plan, owner
