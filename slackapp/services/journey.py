"""Where a person is on the four steps, read from their real data."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import (
    Cadence,
    CadenceStatus,
    MeetingRequest,
    MeetingStatus,
    Person,
    Plan,
    PlanStatus,
)


class StepState(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"


@dataclass(frozen=True)
class StepProgress:
    key: str  # plan | reflect | meeting | feedback
    title: str
    advice: str
    state: StepState
    summary: str  # one line on where this person is with the step

    @property
    def action_id(self) -> str:
        return f"journey_open_{self.key}"

    @property
    def button_label(self) -> str:
        return "Start" if self.state is StepState.NOT_STARTED else "Continue"


TITLES = {
    "plan": (
        "Fix what went wrong",
        "Repair the damage first, and fast: apologise, correct the problem.",
    ),
    "reflect": ("Be introspective", "Name what really caused it, and the changes you will make."),
    "meeting": (
        "Talk to your boss",
        "Ask for a private meeting soon. No excuses; bring your plan.",
    ),
    "feedback": ("Prepare to perform", "Ask for feedback regularly to make sure you're on track."),
}


def active_plan(session: Session, owner: Person) -> Plan | None:
    return session.scalar(
        select(Plan)
        .where(Plan.owner_id == owner.id, Plan.status == PlanStatus.ACTIVE.value)
        .order_by(Plan.created_at.desc(), Plan.id.desc())
        .limit(1)
    )


def _progress(key: str, state: StepState, summary: str) -> StepProgress:
    title, advice = TITLES[key]
    return StepProgress(key=key, title=title, advice=advice, state=state, summary=summary)


def plan_progress(plan: Plan | None) -> StepProgress:
    if plan is None:
        return _progress("plan", StepState.NOT_STARTED, "No repair plan yet.")
    done = sum(1 for step in plan.steps if step.done_at is not None)
    total = len(plan.steps)
    state = StepState.DONE if total and done == total else StepState.IN_PROGRESS
    return _progress("plan", state, f"{plan.title}: {done} of {total} steps done.")


def reflect_progress(plan: Plan | None) -> StepProgress:
    reflection = plan.reflection if plan is not None else None
    if reflection is None:
        return _progress("reflect", StepState.NOT_STARTED, "No reflection yet.")
    count = len(reflection.commitments)
    noun = "commitment" if count == 1 else "commitments"
    if count:
        return _progress("reflect", StepState.DONE, f"Reflection written, {count} {noun}.")
    return _progress("reflect", StepState.IN_PROGRESS, "Reflection started, no commitments yet.")


def meeting_progress(session: Session, person: Person) -> StepProgress:
    latest = session.scalar(
        select(MeetingRequest)
        .where(MeetingRequest.employee_id == person.id)
        .order_by(MeetingRequest.created_at.desc(), MeetingRequest.id.desc())
        .limit(1)
    )
    if latest is None:
        return _progress("meeting", StepState.NOT_STARTED, "No meeting requested yet.")
    summaries = {
        MeetingStatus.PENDING: "Meeting requested; waiting for an answer.",
        MeetingStatus.COUNTER_PROPOSED: "Your manager proposed another time.",
        MeetingStatus.ACCEPTED: "Meeting accepted.",
        MeetingStatus.DECLINED: "Your manager declined the meeting.",
        MeetingStatus.CANCELLED: "You cancelled the meeting request.",
        MeetingStatus.EXPIRED: "The meeting request expired without an answer.",
    }
    status = MeetingStatus(latest.status)
    if status is MeetingStatus.ACCEPTED:
        state = StepState.DONE
    elif status in (MeetingStatus.PENDING, MeetingStatus.COUNTER_PROPOSED):
        state = StepState.IN_PROGRESS
    else:
        state = StepState.NOT_STARTED
    return _progress("meeting", state, summaries[status])


def feedback_progress(session: Session, person: Person) -> StepProgress:
    cadence = session.scalar(
        select(Cadence)
        .where(
            Cadence.employee_id == person.id,
            Cadence.status.in_([CadenceStatus.ACTIVE.value, CadenceStatus.PAUSED.value]),
        )
        .order_by(Cadence.created_at.desc(), Cadence.id.desc())
        .limit(1)
    )
    if cadence is None:
        return _progress("feedback", StepState.NOT_STARTED, "No feedback requests scheduled yet.")
    if cadence.status == CadenceStatus.PAUSED.value:
        return _progress("feedback", StepState.IN_PROGRESS, "Feedback requests are paused.")
    return _progress("feedback", StepState.IN_PROGRESS, "Feedback requests are scheduled.")


def journey(session: Session, person: Person) -> list[StepProgress]:
    plan = active_plan(session, person)
    return [
        plan_progress(plan),
        reflect_progress(plan),
        meeting_progress(session, person),
        feedback_progress(session, person),
    ]
