"""Where a person is on the journey's four stages, read from their real data.

Each stage comes back as facts (its state, which summary applies, the numbers and times
that summary needs); views/journey.py says them in words.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy.orm import Session

from models import MeetingStatus, Person, Plan, PlanStatus, ScheduleStatus
from slackapp.kernel.zones import exact, zone
from slackapp.services import feedback, feedback_answers, meeting_concerns, meetings
from slackapp.services.home_data import HISTORY_LOADED, HomeData, load_home_data

# The stage keys are contracts: `/secondchance plan|reflect|meeting|feedback` and the
# journey's action ids carry them.
STAGES = ("plan", "reflect", "meeting", "feedback")


class StageState(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"


class StageSummary(StrEnum):
    """Which one-line summary a stage shows (views/journey.py words each)."""

    NO_PLAN = "no_plan"
    PLAN_CLOSED = "plan_closed"
    PLAN_STEPS = "plan_steps"  # plan_title, done of total steps
    NO_REFLECTION = "no_reflection"
    REFLECTION_COMMITTED = "reflection_committed"  # commitments
    REFLECTION_STARTED = "reflection_started"
    NO_MEETING = "no_meeting"
    MEETING_ON = "meeting_on"  # at
    MEETING_HELD = "meeting_held"  # at
    MEETING_HELD_CONCERNS = "meeting_held_concerns"  # at, concerns_open of concerns
    MEETING_PENDING = "meeting_pending"
    MEETING_COUNTER_PROPOSED = "meeting_counter_proposed"
    MEETING_DECLINED = "meeting_declined"
    MEETING_CANCELLED = "meeting_cancelled"
    MEETING_EXPIRED = "meeting_expired"
    MEETING_NOT_MANAGER = "meeting_not_manager"
    NO_FEEDBACK = "no_feedback"
    FEEDBACK_ENDED = "feedback_ended"  # answers
    FEEDBACK_PAUSED = "feedback_paused"  # answers
    FEEDBACK_SCHEDULED = "feedback_scheduled"  # answers
    FEEDBACK_NEXT = "feedback_next"  # at, answers


@dataclass(frozen=True)
class StageProgress:
    key: str  # one of STAGES
    state: StageState
    summary: StageSummary
    plan_title: str | None = None  # as the employee typed it
    done: int = 0
    total: int = 0
    commitments: int = 0
    at: datetime | None = None  # the meeting or the next feedback request, in the person's zone
    concerns: int = 0
    concerns_open: int = 0
    answers: int = 0

    @property
    def action_id(self) -> str:
        return f"journey_open_{self.key}"


def plan_progress(plan: Plan | None) -> StageProgress:
    if plan is None:
        return StageProgress("plan", StageState.NOT_STARTED, StageSummary.NO_PLAN)
    if plan.status == PlanStatus.CLOSED.value:
        return StageProgress(
            "plan", StageState.DONE, StageSummary.PLAN_CLOSED, plan_title=plan.title
        )
    done = sum(1 for step in plan.steps if step.done_at is not None)
    total = len(plan.steps)
    state = StageState.DONE if total and done == total else StageState.IN_PROGRESS
    return StageProgress(
        "plan", state, StageSummary.PLAN_STEPS, plan_title=plan.title, done=done, total=total
    )


def reflection_progress(plan: Plan | None) -> StageProgress:
    reflection = plan.reflection if plan is not None else None
    if reflection is None:
        return StageProgress("reflect", StageState.NOT_STARTED, StageSummary.NO_REFLECTION)
    count = len(reflection.commitments)
    if count:
        return StageProgress(
            "reflect", StageState.DONE, StageSummary.REFLECTION_COMMITTED, commitments=count
        )
    return StageProgress("reflect", StageState.IN_PROGRESS, StageSummary.REFLECTION_STARTED)


_MEETING_SUMMARIES = {
    MeetingStatus.PENDING: StageSummary.MEETING_PENDING,
    MeetingStatus.COUNTER_PROPOSED: StageSummary.MEETING_COUNTER_PROPOSED,
    MeetingStatus.DECLINED: StageSummary.MEETING_DECLINED,
    MeetingStatus.CANCELLED: StageSummary.MEETING_CANCELLED,
    MeetingStatus.EXPIRED: StageSummary.MEETING_EXPIRED,
    MeetingStatus.NOT_MANAGER: StageSummary.MEETING_NOT_MANAGER,
}


def meeting_progress(
    session: Session, person: Person, data: HomeData | None = None
) -> StageProgress:
    """Stage 3 is done once a meeting is accepted; afterwards it counts the concerns to address."""
    latest = data.latest_meeting if data is not None else meetings.latest_request(session, person)
    if latest is None:
        return StageProgress("meeting", StageState.NOT_STARTED, StageSummary.NO_MEETING)
    status = MeetingStatus(latest.status)
    if status is MeetingStatus.ACCEPTED and latest.accepted_time is not None:
        at = latest.accepted_time.astimezone(zone(person.tz))
        if latest.outcome_recorded_at is None:
            return StageProgress("meeting", StageState.DONE, StageSummary.MEETING_ON, at=at)
        concerns = (
            data.concerns if data is not None else meeting_concerns.concerns_of(session, person)
        )
        if not concerns:
            return StageProgress("meeting", StageState.DONE, StageSummary.MEETING_HELD, at=at)
        return StageProgress(
            "meeting",
            StageState.DONE,
            StageSummary.MEETING_HELD_CONCERNS,
            at=at,
            concerns=len(concerns),
            concerns_open=sum(1 for concern in concerns if concern.addressed_at is None),
        )
    state = (
        StageState.IN_PROGRESS
        if status in (MeetingStatus.PENDING, MeetingStatus.COUNTER_PROPOSED)
        else StageState.NOT_STARTED
    )
    return StageProgress("meeting", state, _MEETING_SUMMARIES.get(status, StageSummary.NO_MEETING))


def feedback_progress(
    session: Session, person: Person, data: HomeData | None = None
) -> StageProgress:
    """Stage 4 is under way while a schedule runs; done once it has run its course with answers."""
    if data is None:
        schedule = feedback.current_schedule(session, person)
        history = feedback_answers.history(session, person, limit=HISTORY_LOADED)
    else:
        schedule, history = data.schedule, data.history
    answers = sum(1 for r in history if r.answer is not None)
    if schedule is None:
        if answers:
            return StageProgress(
                "feedback", StageState.DONE, StageSummary.FEEDBACK_ENDED, answers=answers
            )
        return StageProgress("feedback", StageState.NOT_STARTED, StageSummary.NO_FEEDBACK)
    if schedule.status == ScheduleStatus.PAUSED.value:
        summary = StageSummary.FEEDBACK_PAUSED
    elif schedule.next_run_at is None:
        summary = StageSummary.FEEDBACK_SCHEDULED
    else:
        return StageProgress(
            "feedback",
            StageState.IN_PROGRESS,
            StageSummary.FEEDBACK_NEXT,
            at=schedule.next_run_at.astimezone(exact(person.tz)),
            answers=answers,
        )
    return StageProgress("feedback", StageState.IN_PROGRESS, summary, answers=answers)


def newcomer_journey() -> list[StageProgress]:
    """The journey of someone the app has not met yet: nothing started."""
    return [plan_progress(None), reflection_progress(None)] + [
        StageProgress("meeting", StageState.NOT_STARTED, StageSummary.NO_MEETING),
        StageProgress("feedback", StageState.NOT_STARTED, StageSummary.NO_FEEDBACK),
    ]


def journey(
    session: Session, person: Person | None, data: HomeData | None = None
) -> list[StageProgress]:
    """The four stages; the App Home passes what it already loaded for its sections."""
    if person is None:
        return newcomer_journey()
    if data is None:
        data = load_home_data(session, person)
    plan = data.journey_plan
    return [
        plan_progress(plan),
        reflection_progress(plan),
        meeting_progress(session, person, data),
        feedback_progress(session, person, data),
    ]
