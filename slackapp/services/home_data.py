"""What the App Home and the journey read, loaded once per render.

It sits below the journey and above the services whose queries it runs, so the imports point
one way: journey -> home_data -> feedback, feedback_answers, meetings, people.

Each section used to look up the plan, reflection, meeting request, schedule and feedback
history itself, and walk their children lazily: 132 statements for a busy person
(bench/app_home.py). Here each is read once, children eagerly, and every section shares it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from models import (
    Concern,
    FeedbackRequest,
    FeedbackSchedule,
    MeetingRequest,
    Person,
    Plan,
    PlanStatus,
    Reflection,
)
from slackapp.services import feedback, feedback_answers, meeting_concerns, meetings
from slackapp.services.people import reports_of

# The journey counts the answers among this many latest requests; the App Home lists fewer.
HISTORY_LOADED = 50


@dataclass
class HomeData:
    active_plan: Plan | None
    journey_plan: Plan | None  # the active plan, else the last one closed
    archived_plans: int
    latest_meeting: MeetingRequest | None  # the newest one sent (drafts don't count)
    concerns: list[Concern]  # raised in any of this person's meetings, oldest first
    schedule: FeedbackSchedule | None  # the schedule running or paused
    history: list[FeedbackRequest]  # newest first, answers loaded, at most HISTORY_LOADED
    # What waits on this person as someone's manager, each with the employee, oldest first.
    meetings_waiting: list[tuple[MeetingRequest, Person]] = field(default_factory=list)
    feedback_waiting: list[tuple[FeedbackRequest, Person]] = field(default_factory=list)
    open_feedback: FeedbackRequest | None = None  # this person's own request not answered yet
    # Who named this person as their manager, with their feedback schedule to them if any.
    reports: list[tuple[Person, FeedbackSchedule | None]] = field(default_factory=list)

    @property
    def has_journey(self) -> bool:
        """Whether this person has ever started a second chance of their own."""
        return bool(
            self.journey_plan
            or self.archived_plans
            or self.latest_meeting
            or self.schedule
            or self.history
        )

    @property
    def waiting_now(self) -> bool:
        """Something waits on this person's answer: a meeting request, feedback to give."""
        return bool(self.meetings_waiting or self.feedback_waiting)


def _plans(session: Session, owner: Person) -> tuple[Plan | None, Plan | None, int]:
    """(active plan, journey plan, archived count) from one query over the owner's plans, which
    are few (one active; earlier ones closed or archived)."""
    plans = (
        session.scalars(
            select(Plan)
            .where(Plan.owner_id == owner.id)
            .options(joinedload(Plan.reflection).joinedload(Reflection.commitments))
        )
        .unique()
        .all()
    )
    active = max(
        (p for p in plans if p.status == PlanStatus.ACTIVE.value),
        key=lambda p: (p.created_at, p.id),
        default=None,
    )
    closed = [p for p in plans if p.status == PlanStatus.CLOSED.value]
    # Closing a plan sets closed_at (plans.close); the last one closed is the journey's.
    shown = active or max(closed, key=lambda p: (p.closed_at or p.created_at, p.id), default=None)
    if active is not None:
        active.steps  # noqa: B018 - loads the steps now, in one query, not per section
    archived = sum(1 for p in plans if p.status == PlanStatus.ARCHIVED.value)
    return active, shown, archived


def load_home_data(session: Session, person: Person) -> HomeData:
    active, shown, archived = _plans(session, person)
    latest = meetings.latest_request(session, person)
    feedback_waiting, open_feedback = feedback_answers.waiting_and_open(session, person)
    # Concerns are raised on a meeting that was sent: with none sent there can be none.
    concerns = meeting_concerns.concerns_of(session, person) if latest is not None else []
    return HomeData(
        active_plan=active,
        journey_plan=shown,
        archived_plans=archived,
        latest_meeting=latest,
        concerns=concerns,
        schedule=feedback.current_schedule(session, person),
        history=feedback_answers.history(session, person, limit=HISTORY_LOADED),
        meetings_waiting=meetings.waiting_on(session, person),
        feedback_waiting=feedback_waiting,
        open_feedback=open_feedback,
        reports=reports_of(session, person),
    )
