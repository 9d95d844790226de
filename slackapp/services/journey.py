"""Where a person is on the four steps, read from their real data."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import (
    MeetingStatus,
    Person,
    Plan,
    PlanStatus,
    ScheduleStatus,
)
from slackapp.kernel.zones import exact, zone
from slackapp.services.home_data import HISTORY_LOADED, HomeData, load_home_data
from slackapp.views.words import plural


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
    if plan.status == PlanStatus.CLOSED.value:
        return _progress("plan", StepState.DONE, f"{plan.title}: plan closed.")
    done = sum(1 for step in plan.steps if step.done_at is not None)
    total = len(plan.steps)
    state = StepState.DONE if total and done == total else StepState.IN_PROGRESS
    return _progress("plan", state, f"{plan.title}: {done} of {plural(total, 'step')} done.")


def reflect_progress(plan: Plan | None) -> StepProgress:
    reflection = plan.reflection if plan is not None else None
    if reflection is None:
        return _progress("reflect", StepState.NOT_STARTED, "No reflection yet.")
    count = len(reflection.commitments)
    noun = "commitment" if count == 1 else "commitments"
    if count:
        return _progress("reflect", StepState.DONE, f"Reflection written, {count} {noun}.")
    return _progress("reflect", StepState.IN_PROGRESS, "Reflection started, no commitments yet.")


def meeting_progress(
    session: Session, person: Person, data: HomeData | None = None
) -> StepProgress:
    """Step 3 is done once a meeting is accepted; afterwards it counts the concerns to address."""
    from slackapp.services import meetings  # meetings uses the scheduler; keep imports one-way

    latest = data.latest_meeting if data is not None else meetings.latest_request(session, person)
    if latest is None:
        return _progress("meeting", StepState.NOT_STARTED, "No meeting requested yet.")
    status = MeetingStatus(latest.status)
    if status is MeetingStatus.ACCEPTED and latest.accepted_time is not None:
        local = latest.accepted_time.astimezone(zone(person.tz))
        at = f"{local:%a} {local.day} {local:%b}, {local:%H:%M}"
        if latest.outcome_recorded_at is None:
            return _progress("meeting", StepState.DONE, f"Meeting with your manager on {at}.")
        concerns = data.concerns if data is not None else meetings.concerns_of(session, person)
        still_open = sum(1 for concern in concerns if concern.addressed_at is None)
        summary = (
            f"Meeting held on {at}; {still_open} of {plural(len(concerns), 'concern')} still to address."
            if concerns
            else f"Meeting held on {at}."
        )
        return _progress("meeting", StepState.DONE, summary)
    summaries = {
        MeetingStatus.PENDING: "Meeting requested; waiting for your manager's answer.",
        MeetingStatus.COUNTER_PROPOSED: "Your manager proposed another time; it's your turn.",
        MeetingStatus.DECLINED: "Your manager declined the meeting. You can ask again later.",
        MeetingStatus.CANCELLED: "You cancelled the meeting request.",
        MeetingStatus.EXPIRED: "The meeting request expired without an answer. Send it again?",
        MeetingStatus.NOT_MANAGER: "The person you asked said they aren't your manager. "
        "Choose the person you report to.",
    }
    state = (
        StepState.IN_PROGRESS
        if status in (MeetingStatus.PENDING, MeetingStatus.COUNTER_PROPOSED)
        else StepState.NOT_STARTED
    )
    return _progress("meeting", state, summaries.get(status, "No meeting requested yet."))


def feedback_progress(
    session: Session, person: Person, data: HomeData | None = None
) -> StepProgress:
    """Step 4 is under way while a schedule runs; done once it has run its course with answers."""
    # feedback imports this module; keep the imports one-way
    from slackapp.services import feedback, feedback_answers

    if data is None:
        schedule = feedback.current_schedule(session, person)
        history = feedback_answers.history(session, person, limit=HISTORY_LOADED)
    else:
        schedule, history = data.schedule, data.history
    answered = [r for r in history if r.answer is not None]
    count = f"{len(answered)} answer{'' if len(answered) == 1 else 's'} so far"
    if schedule is None:
        if answered:
            return _progress(
                "feedback", StepState.DONE, f"Your feedback schedule has ended; {count}."
            )
        return _progress("feedback", StepState.NOT_STARTED, "No feedback requests scheduled yet.")
    if schedule.status == ScheduleStatus.PAUSED.value:
        return _progress(
            "feedback", StepState.IN_PROGRESS, f"Feedback requests are paused; {count}."
        )
    if schedule.next_run_at is None:
        return _progress(
            "feedback", StepState.IN_PROGRESS, f"Feedback requests scheduled; {count}."
        )
    local = schedule.next_run_at.astimezone(exact(person.tz))
    return _progress(
        "feedback",
        StepState.IN_PROGRESS,
        f"Next feedback request {local:%a} {local.day} {local:%b}, {local:%H:%M}; {count}.",
    )


def newcomer_journey() -> list[StepProgress]:
    """The journey of someone the app has not met yet: nothing started."""
    summaries = {
        "plan": "No repair plan yet.",
        "reflect": "No reflection yet.",
        "meeting": "No meeting requested yet.",
        "feedback": "No feedback requests scheduled yet.",
    }
    return [_progress(key, StepState.NOT_STARTED, summaries[key]) for key in TITLES]


def journey(
    session: Session, person: Person | None, data: HomeData | None = None
) -> list[StepProgress]:
    """The four steps; the App Home passes what it already loaded for its sections."""
    if person is None:
        return newcomer_journey()
    if data is None:
        data = load_home_data(session, person)
    plan = data.journey_plan
    return [
        plan_progress(plan),
        reflect_progress(plan),
        meeting_progress(session, person, data),
        feedback_progress(session, person, data),
    ]
