"""The comeback summary: when the employee closes their plan, what went wrong and the repairs,
the commitments, the concerns addressed, what both agreed and how each ended, and the feedback
trend, gathered once. It stays the employee's until they choose to share it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy.orm import Session

from models import FeedbackSchedule, Person, Plan
from slackapp.services import expectations, feedback, feedback_answers, meeting_concerns
from slackapp.services.plans import NotYours


@dataclass
class Summary:
    title: str
    what_happened: str | None
    steps: list[tuple[str, bool]] = field(default_factory=list)  # (step, done)
    commitments: list[str] = field(default_factory=list)
    concerns: list[tuple[str, bool]] = field(default_factory=list)  # (concern, addressed)
    # (expectation, by when, its last rating or None), as both agreed them last.
    expected: list[tuple[str, date | None, str | None]] = field(default_factory=list)
    ratings: list[str] = field(default_factory=list)  # the overall ratings, oldest first


def summary_of(session: Session, owner: Person, plan: Plan) -> Summary:
    if plan.owner_id != owner.id:
        raise NotYours
    summary = Summary(title=plan.title, what_happened=plan.what_happened)
    summary.steps = [(s.description, s.done_at is not None) for s in plan.steps]
    if plan.reflection is not None:
        summary.commitments = [c.text for c in plan.reflection.commitments]
    summary.concerns = [
        (c.text, c.addressed_at is not None) for c in meeting_concerns.concerns_of(session, owner)
    ]
    history = feedback_answers.history(session, owner, limit=50)
    last: dict[str, str | None] = {}
    for request in reversed(history):  # oldest first: the last word wins
        if request.answer is None:
            continue
        summary.ratings.append(request.answer.rating)
        for rated in request.answer.expectation_ratings or []:
            if rated.get("rating"):
                last[str(rated.get("expectation"))] = rated.get("rating")
    meeting = expectations.latest_with_expectations(session, owner)
    if meeting is not None:
        summary.expected = [(e.text, e.due_on, last.get(e.text)) for e in meeting.expectations]
    return summary


def summary_manager(session: Session, owner: Person) -> Person | None:
    """Who the summary can be shared with: the manager they named last."""
    return session.get(Person, owner.manager_id) if owner.manager_id else None


def remember(
    plan: Plan, *, markdown: str, canvas_id: str | None = None, file_id: str | None = None
) -> None:
    plan.summary_markdown = markdown
    plan.summary_canvas_id, plan.summary_file_id = canvas_id, file_id


def remember_shared(plan: Plan, *, channel: str, ts: str) -> None:
    plan.summary_shared_channel, plan.summary_shared_ts = channel, ts


def share(*, session: Session, owner: Person, plan: Plan, now: datetime) -> bool:
    """The employee shares it with their manager: once; the feedback schedule ends with it.
    False when there is nothing to share or it was shared already."""
    if plan.owner_id != owner.id:
        raise NotYours
    if plan.summary_markdown is None or plan.summary_shared_at is not None:
        return False
    plan.summary_shared_at = now
    schedule: FeedbackSchedule | None = feedback.latest_schedule(session, owner)
    if schedule is not None:
        feedback.stop_schedule(session=session, schedule=schedule, now=now)
    return True
