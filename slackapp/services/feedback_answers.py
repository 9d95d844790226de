"""Stage 4: the manager's answer (stored once), who may give it, and the employee's history."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session, joinedload

from models import FeedbackAnswer, FeedbackRequest, Person
from models.feedback import FeedbackRequestStatus, Rating
from slackapp.kernel import due_work, kinds
from slackapp.services import workflow_steps
from slackapp.services.feedback import FeedbackError, Refusal

# Worst to best (their labels are views/feedback.py's RATING_LABELS).
RATING_ORDER = [Rating.NOT_YET_ON_TRACK.value, Rating.ON_TRACK.value, Rating.EXCEEDING.value]


def record_answer(
    *,
    session: Session,
    request_id: int,
    manager: Person,
    rating: str,
    answers: list[dict[str, str]],
    discuss_in_person: bool,
    now: datetime,
    expectation_ratings: list[dict[str, str | None]] | None = None,
) -> FeedbackAnswer | None:
    """Store the manager's answer once; None when it was already answered (a double submit) or
    is no longer open."""
    if rating not in RATING_ORDER:
        raise FeedbackError(Refusal.NO_RATING)
    result = session.execute(
        update(FeedbackRequest)
        .where(
            FeedbackRequest.id == request_id,
            FeedbackRequest.manager_id == manager.id,
            FeedbackRequest.status == FeedbackRequestStatus.SENT.value,
        )
        .values(
            status=FeedbackRequestStatus.ANSWERED.value,
            answered_at=now,
            closed_at=now,
            open_employee_id=None,
        )
        .execution_options(synchronize_session=False)
    )
    if not result.rowcount:  # type: ignore[attr-defined]
        return None
    request = session.get(FeedbackRequest, request_id)
    assert request is not None
    session.refresh(request)
    answer = FeedbackAnswer(
        workspace_id=request.workspace_id,
        feedback_request_id=request.id,
        rating=rating,
        answers=answers,
        discuss_in_person=discuss_in_person,
        expectation_ratings=[
            r for r in expectation_ratings or [] if r.get("rating") in (None, *RATING_ORDER)
        ],
    )
    session.add(answer)
    session.flush()
    due_work.cancel(session, kind=kinds.FEEDBACK_NUDGE, subject_id=request.id, now=now)
    # The employee's DM with the answer is due work, stored with it: sent exactly once by
    # whichever process gets to it first (the one that took the answer, at once, or after a
    # crash any worker's next tick), never lost with a process killed after the ack.
    due_work.schedule(
        session,
        workspace_id=request.workspace_id,
        kind=kinds.FEEDBACK_ANSWER_NOTICE,
        subject_id=request.id,
        due_at=now,
    )
    workflow_steps.settle_soon(session, request_id=request.id, now=now)
    return answer


def answerable(request: FeedbackRequest | None, manager: Person) -> Refusal | None:
    """Why this person cannot answer this request, or None if they can."""
    if request is None:
        return Refusal.REQUEST_GONE
    if request.manager_id != manager.id:
        return Refusal.NOT_THE_MANAGER
    if request.status == FeedbackRequestStatus.ANSWERED.value:
        return Refusal.ALREADY_ANSWERED
    if request.status != FeedbackRequestStatus.SENT.value:
        return Refusal.REQUEST_CLOSED
    return None


def waiting_and_open(
    session: Session, person: Person
) -> tuple[list[tuple[FeedbackRequest, Person]], FeedbackRequest | None]:
    """For the App Home, in one query: the requests sent to this person as a manager that they
    have not answered yet (oldest first, each with its employee), and their own request still
    open, if any (as feedback.open_feedback_request gives it)."""
    rows = list(
        session.execute(
            select(FeedbackRequest, Person)
            .join(Person, Person.id == FeedbackRequest.employee_id)
            .where(
                or_(
                    and_(
                        FeedbackRequest.manager_id == person.id,
                        FeedbackRequest.status == FeedbackRequestStatus.SENT.value,
                    ),
                    FeedbackRequest.open_employee_id == person.id,
                )
            )
            .order_by(FeedbackRequest.sent_at, FeedbackRequest.id)
        )
    )
    waiting = [
        (request, employee)
        for request, employee in rows
        if request.manager_id == person.id and request.status == FeedbackRequestStatus.SENT.value
    ]
    own = next((r for r, _employee in rows if r.open_employee_id == person.id), None)
    return waiting, own


def history(session: Session, employee: Person, *, limit: int = 8) -> list[FeedbackRequest]:
    """The employee's requests that went out or were missed, newest first."""
    return list(
        session.scalars(
            select(FeedbackRequest)
            .where(
                FeedbackRequest.employee_id == employee.id,
                FeedbackRequest.status.in_(
                    [
                        FeedbackRequestStatus.SENT.value,
                        FeedbackRequestStatus.ANSWERED.value,
                        FeedbackRequestStatus.MISSED.value,
                    ]
                ),
            )
            .order_by(FeedbackRequest.due_at.desc(), FeedbackRequest.id.desc())
            .limit(limit)
            # Every caller reads the answers: in the same query, not one query per request.
            .options(joinedload(FeedbackRequest.answer))
        )
    )


def rating_trend(ratings: list[str]) -> str | None:
    """Oldest first -> "improving" / "steady" / "slipping" between the last two ratings."""
    known = [RATING_ORDER.index(r) for r in ratings if r in RATING_ORDER]
    if len(known) < 2:
        return None
    if known[-1] > known[-2]:
        return "improving"
    if known[-1] < known[-2]:
        return "slipping"
    return "steady"
