"""The Workflow Builder step "Request feedback from a manager": a feedback request sent for the
person running the workflow, and the step's ending once the manager answers (or does not).

The step is a feedback request like any other (the manager gets the same DM, the employee the
same answer in their history); what this module adds is the run it belongs to, and what to tell
Slack when it ends. Only models and the kernel are imported here, so the feedback services can
say "this request has ended" without a cycle.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from models import FeedbackRequest, Person, WorkflowStep
from models.feedback import FeedbackRequestStatus, RequestSource
from slackapp.kernel import due_work, kinds

# No answer within this long and the step fails (the request is then closed as missed).
ANSWER_WITHIN = timedelta(days=7)
COMPLETED, FAILED = "completed", "failed"


class StepRefusal(StrEnum):
    """Why the step cannot run, or how it ended without an answer (views/workflow.py says it)."""

    NOT_THE_RUNNER = "not_the_runner"  # the employee named is not the person running it
    NO_EMPLOYEE = "no_employee"
    NO_MANAGER = "no_manager"
    SAME_PERSON = "same_person"
    MANAGER_IS_BOT = "manager_is_bot"
    MANAGER_DEACTIVATED = "manager_deactivated"
    MANAGER_NOT_FOUND = "manager_not_found"
    MANAGER_REFUSED = "manager_refused"  # they said they aren't this person's manager
    TOO_MANY_QUESTIONS = "too_many_questions"
    QUESTION_TOO_LONG = "question_too_long"
    ALREADY_WAITING = "already_waiting"  # a request to another manager is still open
    NO_ANSWER = "no_answer"  # nothing within ANSWER_WITHIN
    UNREACHABLE = "unreachable"  # Slack could not deliver the request
    CLOSED = "closed"  # replaced by a newer request, or withdrawn
    DELETED = "deleted"  # the request went with someone's "Delete my data"


class StepRefused(Exception):
    def __init__(self, refusal: StepRefusal) -> None:
        super().__init__(refusal.value)
        self.refusal = refusal


def step_for(session: Session, request_id: int) -> WorkflowStep | None:
    return session.scalar(
        select(WorkflowStep).where(WorkflowStep.feedback_request_id == request_id)
    )


def start(
    session: Session,
    *,
    employee: Person,
    manager: Person,
    questions: list[str],
    execution_id: str,
    now: datetime,
) -> WorkflowStep:
    """The run's feedback request, sent at once (the dispatcher's next tick), and its deadline.

    A request already waiting on this manager is the one the run waits for: nothing is stacked.
    Raises StepRefused(ALREADY_WAITING) when the waiting request is to someone else."""
    existing = session.scalar(
        select(WorkflowStep).where(WorkflowStep.function_execution_id == execution_id)
    )
    if existing is not None:  # the same event delivered twice
        return existing
    waiting = session.scalar(
        select(FeedbackRequest).where(FeedbackRequest.open_employee_id == employee.id)
    )
    if waiting is not None and (waiting.manager_id != manager.id or step_for(session, waiting.id)):
        raise StepRefused(StepRefusal.ALREADY_WAITING)
    request = waiting
    if request is None:
        request = FeedbackRequest(
            workspace_id=employee.workspace_id,
            employee_id=employee.id,
            manager_id=manager.id,
            due_at=now,
            questions=list(questions),
            status=FeedbackRequestStatus.DUE.value,
            source=RequestSource.WORKFLOW.value,
            open_employee_id=employee.id,
        )
        try:
            with session.begin_nested():
                session.add(request)
        except IntegrityError:  # another request took the open slot a moment ago
            raise StepRefused(StepRefusal.ALREADY_WAITING) from None
        due_work.schedule(
            session,
            workspace_id=employee.workspace_id,
            kind=kinds.FEEDBACK_REQUEST,
            subject_id=request.id,
            due_at=now,
        )
    step = WorkflowStep(
        workspace_id=employee.workspace_id,
        function_execution_id=execution_id,
        feedback_request_id=request.id,
        deadline_at=now + ANSWER_WITHIN,
    )
    session.add(step)
    session.flush()
    due_work.schedule(
        session,
        workspace_id=employee.workspace_id,
        kind=kinds.WORKFLOW_STEP_DEADLINE,
        subject_id=request.id,
        due_at=step.deadline_at,
    )
    return step


def settle_soon(session: Session, *, request_id: int, now: datetime) -> None:
    """The request has ended (answered, unreachable, refused, replaced): if a workflow run waits
    on it, Slack is told at once."""
    step = step_for(session, request_id)
    if step is None or step.finished_at is not None:
        return
    due_work.schedule(
        session,
        workspace_id=step.workspace_id,
        kind=kinds.WORKFLOW_STEP_ENDED,
        subject_id=request_id,
        due_at=now,
    )


@dataclass(frozen=True)
class Ending:
    """What to tell Slack about a run: the answer (completeSuccess) or why not (completeError)."""

    step_id: int
    execution_id: str
    rating: str | None = None
    answers: list[dict[str, str]] | None = None
    refusal: StepRefusal | None = None


_CLOSED_AS = {
    "manager_unreachable": StepRefusal.UNREACHABLE,
    "not_manager": StepRefusal.MANAGER_REFUSED,
}


def ending(session: Session, *, request_id: int, now: datetime) -> Ending | None:
    """How the run waiting on this request ends now, or None (nothing waits, it was already
    reported, or the manager still has time)."""
    step = step_for(session, request_id)
    request = session.get(FeedbackRequest, request_id)
    if step is None or request is None or step.finished_at is not None:
        return None
    step_id, execution_id = step.id, step.function_execution_id
    if request.status == FeedbackRequestStatus.ANSWERED.value and request.answer is not None:
        return Ending(
            step_id,
            execution_id,
            rating=request.answer.rating,
            answers=list(request.answer.answers or []),
        )
    if request.status in (FeedbackRequestStatus.DUE.value, FeedbackRequestStatus.SENT.value):
        if now < step.deadline_at:
            return None
        return Ending(step_id, execution_id, refusal=StepRefusal.NO_ANSWER)
    return Ending(
        step_id,
        execution_id,
        refusal=_CLOSED_AS.get(request.close_reason or "", StepRefusal.CLOSED),
    )


def finish(session: Session, *, step_id: int, failed: bool, now: datetime) -> None:
    """Slack has been told; the deadline's work has nothing more to do."""
    step = session.get(WorkflowStep, step_id)
    if step is None or step.finished_at is not None:
        return
    step.finished_at = now
    step.outcome = FAILED if failed else COMPLETED
    for kind in (kinds.WORKFLOW_STEP_DEADLINE, kinds.WORKFLOW_STEP_ENDED):
        due_work.cancel(session, kind=kind, subject_id=step.feedback_request_id, now=now)
